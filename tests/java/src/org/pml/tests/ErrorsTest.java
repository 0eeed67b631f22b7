package org.pml.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.pml.Dataset;
import org.pml.Model;
import org.pml.Params;
import org.pml.PmlException;
import org.pml.PmlException.Status;
import org.pml.internal.PmlNative;
import org.pml.internal.pml_dtype;
import org.pml.internal.pml_layout;

/** Every failure is a PmlException with pml's message and status; none crashes the JVM. */
class ErrorsTest {
  static TestData data;
  static byte[] modelBytes;

  @BeforeAll
  static void train() {
    data = TestData.blobs(200, 3, 2, 1);
    try (Params p = new Params().set("task", "classification").set("n_trees", 10L);
         Dataset d = Dataset.fromDense(data.x, data.rows, data.cols, data.y);
         Model m = Model.train("forest", p, d, null)) {
      modelBytes = m.toBytes();
    }
  }

  /** Runs call, expects a PmlException of this status whose message contains every fragment. */
  static PmlException fails(Status status, Executable call, String... fragments) {
    PmlException e = assertThrows(PmlException.class, call);
    String message = e.getMessage();
    assertEquals(status, e.status(), message);
    assertEquals(status.ordinal(), e.code());
    assertTrue(message != null && !message.isEmpty());
    for (String f : fragments) {
      assertTrue(message.contains(f), "'" + message + "' should contain '" + f + "'");
    }
    return e;
  }

  @Test
  void badParameters() {
    try (Dataset d = Dataset.fromDense(data.x, data.rows, data.cols, data.y)) {
      try (Params p = new Params().set("no_such_key", "1")) {
        fails(Status.INVALID_ARGUMENT, () -> Model.train("forest", p, d, null), "no_such_key");
      }
      try (Params p = new Params().set("n_trees", "many")) {
        fails(Status.INVALID_ARGUMENT, () -> Model.train("forest", p, d, null), "n_trees");
      }
      try (Params p = new Params().set("kernel", "cubic")) {
        fails(Status.INVALID_ARGUMENT, () -> Model.train("svm", p, d, null), "kernel");
      }
      fails(Status.INVALID_ARGUMENT, () -> Model.train("deep_net", null, d, null), "deep_net");
      fails(Status.INVALID_ARGUMENT, () -> Model.train(null, null, d, null));
      try (Params p = new Params()) {
        fails(Status.INVALID_ARGUMENT, () -> p.set("Bad Key!", "1"));
        fails(Status.INVALID_ARGUMENT, () -> p.set("n_trees", null));
        fails(Status.INVALID_ARGUMENT, () -> p.parse("n_trees"));
      }
    }
  }

  @Test
  void badArrays() {
    fails(Status.INVALID_ARGUMENT, () -> Dataset.fromDense((double[]) null, 2, 2, null), "null");
    fails(Status.INVALID_ARGUMENT, () -> Dataset.fromDense((float[]) null, 2, 2, null), "null");
    fails(Status.INVALID_ARGUMENT,
        () -> Dataset.fromDense(new double[5], 2, 3, null), "5", "rows * cols");
    fails(Status.INVALID_ARGUMENT,
        () -> Dataset.fromDense(new float[7], 2, 3, null), "7", "rows * cols");
    fails(Status.INVALID_ARGUMENT, () -> Dataset.fromDense(new double[0], 0, 3, null), "> 0");
    fails(Status.INVALID_ARGUMENT,
        () -> Dataset.fromDense(new double[6], 2, 3, new double[3]), "labels");
    fails(Status.INVALID_ARGUMENT,
        () -> Dataset.fromDense(new double[6], 2, 3, new double[] {1, Double.NaN}), "label");
    fails(Status.INVALID_ARGUMENT, () -> Model.train("forest", null, null, null), "train");
    try (Dataset unlabelled = Dataset.fromDense(data.x, data.rows, data.cols, null)) {
      fails(Status.INVALID_ARGUMENT, () -> Model.train("forest", null, unlabelled, null));
      fails(Status.INVALID_ARGUMENT, unlabelled::labels);
    }
  }

  @Test
  void directBuffers() {
    DoubleBuffer heap = DoubleBuffer.allocate(6);
    fails(Status.INVALID_ARGUMENT, () -> Dataset.fromDirect(heap, 2, 3, null), "direct");
    DoubleBuffer bigEndian =
        ByteBuffer.allocateDirect(48).order(ByteOrder.BIG_ENDIAN).asDoubleBuffer();
    if (ByteOrder.nativeOrder() != ByteOrder.BIG_ENDIAN) {
      fails(Status.INVALID_ARGUMENT, () -> Dataset.fromDirect(bigEndian, 2, 3, null), "order");
    }
    DoubleBuffer six =
        ByteBuffer.allocateDirect(48).order(ByteOrder.nativeOrder()).asDoubleBuffer();
    fails(Status.INVALID_ARGUMENT, () -> Dataset.fromDirect(six, 3, 3, null), "6");
    // The JNI layer checks sizes too, for callers of the generated API: 6 doubles are not 3 x 3.
    fails(Status.INVALID_ARGUMENT,
        ()
            -> PmlNative.pml_dataset_from_dense(
                six, pml_dtype.PML_FLOAT64, pml_layout.PML_ROW_MAJOR, 3, 3, null, new long[1]),
        "values", "48 bytes");
    fails(Status.INVALID_ARGUMENT,
        ()
            -> PmlNative.pml_dataset_from_dense(
                heap, pml_dtype.PML_FLOAT64, pml_layout.PML_ROW_MAJOR, 2, 3, null, new long[1]),
        "direct");
  }

  @Test
  void wrongColumnsAtPredict() {
    try (Model m = Model.fromBytes(modelBytes);
         Dataset wide = Dataset.fromDense(new double[8], 2, 4, null)) {
      fails(Status.INVALID_ARGUMENT, () -> m.predict(wide), "3", "4");
      fails(Status.INVALID_ARGUMENT, () -> m.predict(null));
      fails(Status.INVALID_ARGUMENT, () -> m.evaluate(wide, "accuracy"));
    }
  }

  @Test
  void closedHandles() {
    Model m = Model.fromBytes(modelBytes);
    Dataset d = Dataset.fromDense(data.x, data.rows, data.cols, data.y);
    Params p = new Params();
    m.close();
    m.close(); // idempotent
    d.close();
    p.close();
    assertTrue(m.isClosed() && d.isClosed());
    try (Dataset open = Dataset.fromDense(data.x, data.rows, data.cols, data.y);
         Model live = Model.fromBytes(modelBytes)) {
      fails(Status.INVALID_ARGUMENT, () -> m.predict(open), "Model is closed");
      fails(Status.INVALID_ARGUMENT, m::toBytes, "Model is closed");
      fails(Status.INVALID_ARGUMENT, m::nClasses, "Model is closed");
      fails(Status.INVALID_ARGUMENT, () -> live.predict(d), "Dataset is closed");
      fails(Status.INVALID_ARGUMENT, () -> p.set("seed", "1"), "Params is closed");
      fails(
          Status.INVALID_ARGUMENT, () -> Model.train("forest", p, open, null), "Params is closed");
      fails(
          Status.INVALID_ARGUMENT, () -> Model.train("forest", null, d, null), "Dataset is closed");
      assertEquals(data.rows, live.predict(open).length); // the others still work
    }
  }

  @Test
  void corruptedBytes() {
    fails(Status.INVALID_ARGUMENT, () -> Model.fromBytes(null), "null");
    assertThrows(PmlException.class, () -> Model.fromBytes(new byte[0]));
    fails(Status.FORMAT, () -> Model.fromBytes(new byte[] {1, 2, 3}));
    byte[] truncated = java.util.Arrays.copyOf(modelBytes, modelBytes.length / 2);
    fails(Status.FORMAT, () -> Model.fromBytes(truncated));
    java.util.Random rng = new java.util.Random(4);
    for (int trial = 0; trial < 50; trial++) {
      byte[] flipped = modelBytes.clone();
      int at = rng.nextInt(flipped.length);
      flipped[at] ^= (byte) (1 << rng.nextInt(8));
      fails(Status.FORMAT, () -> Model.fromBytes(flipped)); // CRC-32 catches any one bit
    }
    byte[] garbage = new byte[4096];
    rng.nextBytes(garbage);
    fails(Status.FORMAT, () -> Model.fromBytes(garbage));
  }

  @Test
  void files(@TempDir Path dir) {
    fails(Status.IO, () -> Model.load(dir.resolve("missing.pml")));
    fails(Status.IO, () -> Dataset.load(dir.resolve("missing.csv"), "csv"));
    fails(Status.INVALID_ARGUMENT, () -> Dataset.load(dir.resolve("x.csv"), "parquet"), "parquet");
    try (Model m = Model.fromBytes(modelBytes)) {
      fails(Status.IO, () -> m.save(dir.resolve("no/such/dir/m.pml")));
    }
  }
}
