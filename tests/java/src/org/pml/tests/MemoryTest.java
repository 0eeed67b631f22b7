package org.pml.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pml.Dataset;
import org.pml.Model;
import org.pml.Params;

/**
 * try-with-resources frees native memory: 10,000 cycles of Params + Dataset + train + predict +
 * toBytes/fromBytes leave the resident set size where it was after a warm-up.
 *
 * <p>The closed wrappers are kept reachable on purpose, so the Cleaner (the safety net) cannot
 * free anything: only close() can, and a close() that leaked would grow RSS by the size of 10,000
 * models and datasets (tens of MB) and fail the test. ctest runs this class in its own JVM with a
 * fixed, pre-touched heap (-Xms = -Xmx, -XX:+AlwaysPreTouch) so that the Java heap does not grow
 * the RSS either.
 */
class MemoryTest {
  private static final int WARMUP = 5_000;
  private static final int CYCLES = 10_000;
  /** Slack for malloc and the JVM; a leak of 10,000 small models and datasets is far above it. */
  private static final long TOLERANCE_KB = 4 * 1024;

  static long rssKb() throws IOException {
    for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS in /proc/self/status");
  }

  private static final String[] ALGORITHMS = {"forest", "boosting", "svm"};

  private static int cycle(int i, TestData d, double[] row, List<AutoCloseable> closed) {
    String algorithm = ALGORITHMS[i % 3];
    int n = 0;
    try (Params p = new Params().set("n_jobs", 1L).set("seed", (long) i);
         Dataset train = Dataset.fromDense(d.x, d.rows, d.cols, d.y);
         Dataset one = Dataset.fromDense(row, 1, d.cols, null)) {
      if (algorithm.equals("forest")) {
        p.set("n_trees", 4L).set("max_depth", 4L);
      } else if (algorithm.equals("boosting")) {
        p.set("n_rounds", 4L).set("max_depth", 3L);
      }
      try (Model m = Model.train(algorithm, p, train, null);
           Model copy = Model.fromBytes(m.toBytes())) {
        n += m.predict(train).length + copy.predict(one).length;
        closed.add(m);
        closed.add(copy);
      }
      closed.add(p);
      closed.add(train);
      closed.add(one);
    }
    return n;
  }

  @Test
  void tenThousandCyclesDoNotGrowRss() throws Exception {
    TestData d = TestData.blobs(64, 4, 2, 1);
    double[] row = java.util.Arrays.copyOf(d.x, d.cols);
    List<AutoCloseable> closed = new ArrayList<>(5 * (WARMUP + CYCLES));
    for (int i = 0; i < WARMUP; i++) {
      assertEquals(d.rows + 1, cycle(i, d, row, closed));
    }
    long start = rssKb();
    StringBuilder trace = new StringBuilder();
    for (int i = 0; i < CYCLES; i++) {
      assertEquals(d.rows + 1, cycle(WARMUP + i, d, row, closed));
      if ((i + 1) % 1000 == 0) {
        trace.append(' ').append(rssKb());
      }
    }
    long end = rssKb();
    System.out.println("MemoryTest: VmRSS every 1000 cycles (kB):" + trace);
    System.out.printf(
        "MemoryTest: VmRSS after %d warm-up cycles %d kB, after %d more %d kB (%+d kB)%n", WARMUP,
        start, CYCLES, end, end - start);
    assertEquals(5 * (WARMUP + CYCLES), closed.size()); // every wrapper still reachable
    assertTrue(end - start < TOLERANCE_KB,
        "RSS grew by " + (end - start) + " kB over " + CYCLES + " closed cycles: a leak");
  }
}
