package org.pml.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pml.Dataset;
import org.pml.Model;
import org.pml.Params;
import org.pml.PmlException;

/** One model, many threads: the results equal serial prediction exactly. */
class ConcurrencyTest {
  private static final int THREADS = 8;

  @ParameterizedTest
  @ValueSource(strings = {"forest", "boosting", "svm"})
  void eightThreadsEqualSerial(String algorithm) throws Exception {
    TestData all = TestData.blobs(3000, 6, 3, 17);
    TestData tr = all.slice(0, 1000);
    TestData te = all.slice(1000, 3000);
    try (Params p = new Params().set("task", "classification").set("seed", 2L);
         Dataset train = Dataset.fromDense(tr.x, tr.rows, tr.cols, tr.y);
         Dataset shared = Dataset.fromDense(te.x, te.rows, te.cols, null)) {
      if (algorithm.equals("svm")) {
        p.set("probability", true);
      }
      runThreads(Model.train(algorithm, p, train, null), shared, te);
    }
  }

  private static void runThreads(Model model, Dataset shared, TestData te) throws Exception {
    try (Model m = model) {
      double[] serial = m.predict(shared);
      double[] serialProba = m.predictProba(shared);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          final int id = t;
          results.add(pool.submit(() -> {
            start.await();
            int checked = 0;
            for (int round = 0; round < 10; round++) {
              // Half the threads share one dataset, half make their own.
              if (id % 2 == 0) {
                assertArrayEquals(serial, m.predict(shared));
                assertArrayEquals(serialProba, m.predictProba(shared));
              } else {
                try (Dataset own = Dataset.fromDense(te.x, te.rows, te.cols, null)) {
                  assertArrayEquals(serial, m.predict(own));
                  assertArrayEquals(serialProba, m.predictProba(own));
                }
              }
              checked++;
            }
            return checked;
          }));
        }
        start.countDown();
        for (Future<Integer> f : results) {
          assertEquals(10, f.get(120, TimeUnit.SECONDS));
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /**
   * close() racing with predict: every call either returns the full, correct result or throws
   * "Model is closed"; nothing crashes, and calls after close always throw.
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 2, 20})
  void closeRacingWithPredict(int delayMillis) throws Exception {
    TestData all = TestData.blobs(1200, 4, 2, 23);
    TestData tr = all.slice(0, 400);
    TestData te = all.slice(400, 1200);
    try (Params p = new Params().set("task", "classification").set("n_trees", 30L);
         Dataset train = Dataset.fromDense(tr.x, tr.rows, tr.cols, tr.y);
         Dataset test = Dataset.fromDense(te.x, te.rows, te.cols, null)) {
      Model m = Model.train("forest", p, train, null);
      double[] serial = m.predict(test);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      AtomicInteger ok = new AtomicInteger();
      AtomicInteger closed = new AtomicInteger();
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        futures.add(pool.submit(() -> {
          start.await();
          while (true) {
            try {
              assertArrayEquals(serial, m.predict(test));
              ok.incrementAndGet();
            } catch (PmlException e) {
              assertTrue(e.getMessage().contains("Model is closed"), e.getMessage());
              closed.incrementAndGet();
              return null;
            }
          }
        }));
      }
      start.countDown();
      Thread.sleep(delayMillis);
      m.close();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertEquals(THREADS, closed.get());
      assertTrue(m.isClosed());
      PmlException after =
          org.junit.jupiter.api.Assertions.assertThrows(PmlException.class, () -> m.predict(test));
      assertTrue(after.getMessage().contains("closed"));
    }
  }
}
