package org.pml.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pml.Dataset;
import org.pml.Model;
import org.pml.Params;

/** Models as bytes and files: identical predictions after a round trip, reproducible bytes. */
class PersistenceTest {
  private static byte[] trainBytes(String algorithm, TestData d, long seed, int nJobs) {
    try (Params p =
             new Params().set("task", "classification").set("seed", seed).set("n_jobs", nJobs);
         Dataset train = Dataset.fromDense(d.x, d.rows, d.cols, d.y);
         Model m = Model.train(algorithm, p, train, null)) {
      return m.toBytes();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"forest", "boosting", "svm"})
  void roundTrip(String algorithm, @TempDir Path dir) {
    TestData d = TestData.blobs(400, 4, 3, 2);
    try (Params p = new Params().set("task", "classification").set("seed", 5L);
         Dataset train = Dataset.fromDense(d.x, d.rows, d.cols, d.y);
         Dataset test = Dataset.fromDense(d.x, d.rows, d.cols, null);
         Model m = Model.train(algorithm, p, train, null)) {
      byte[] bytes = m.toBytes();
      double[] predicted = m.predict(test);
      double[] raw = m.predictRaw(test);
      try (Model copy = Model.fromBytes(bytes)) {
        assertArrayEquals(predicted, copy.predict(test));
        assertArrayEquals(raw, copy.predictRaw(test));
        assertArrayEquals(bytes, copy.toBytes());
      }
      Path file = dir.resolve(algorithm + ".pml");
      m.save(file);
      try (Model loaded = Model.load(file)) {
        assertArrayEquals(predicted, loaded.predict(test));
        assertArrayEquals(bytes, loaded.toBytes());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"forest", "boosting", "svm"})
  void sameSeedSameBytesAtOneAndTwoThreads(String algorithm) throws Exception {
    TestData d = TestData.blobs(500, 4, 2, 8);
    byte[] one = trainBytes(algorithm, d, 42, 1);
    byte[] two = trainBytes(algorithm, d, 42, 2);
    assertArrayEquals(one, two);
    assertArrayEquals(one, trainBytes(algorithm, d, 42, 1));
    if (algorithm.equals("forest")) { // (a bootstrap: the seed changes the trees)
      assertFalse(Arrays.equals(one, trainBytes(algorithm, d, 43, 1)), "the seed matters");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"forest", "boosting", "svm"})
  void javaSerialization(String algorithm) throws Exception {
    TestData d = TestData.blobs(300, 3, 3, 12);
    try (Params p = new Params().set("task", "classification").set("seed", 3L);
         Dataset train = Dataset.fromDense(d.x, d.rows, d.cols, d.y);
         Model m = Model.train(algorithm, p, train, null)) {
      java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
      try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(buffer)) {
        out.writeObject(m);
      }
      try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
               new java.io.ByteArrayInputStream(buffer.toByteArray()));
           Model copy = (Model) in.readObject()) {
        assertArrayEquals(m.toBytes(), copy.toBytes());
        assertArrayEquals(m.predict(train), copy.predict(train));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"forest"})
  void savedFileIsTheBytes(String algorithm, @TempDir Path dir) throws Exception {
    TestData d = TestData.blobs(200, 3, 2, 3);
    try (Params p = new Params().set("seed", 1L);
         Dataset train = Dataset.fromDense(d.x, d.rows, d.cols, d.y);
         Model m = Model.train(algorithm, p, train, null)) {
      Path file = dir.resolve("m.pml");
      m.save(file);
      assertArrayEquals(m.toBytes(), Files.readAllBytes(file));
    }
  }
}
