package org.pml.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;
import org.pml.Dataset;
import org.pml.Model;
import org.pml.Params;

/** Direct buffers are viewed in place (zero copy); Java arrays are copied once. */
class DirectBufferTest {
  private static DoubleBuffer direct(int n) {
    return ByteBuffer.allocateDirect(8 * n).order(ByteOrder.nativeOrder()).asDoubleBuffer();
  }

  @Test
  void directDatasetIsAViewArrayDatasetIsACopy() {
    TestData d = TestData.blobs(400, 3, 2, 71);
    TestData other = TestData.blobs(400, 3, 2, 72);
    // Values start at position 5 of the buffer, to check that the view begins at the position.
    DoubleBuffer values = direct(5 + d.x.length);
    values.position(5);
    values.put(d.x).position(5);
    DoubleBuffer labels = direct(d.rows);
    labels.put(d.y).flip();
    double[] array = d.x.clone();
    try (Params p = new Params().set("task", "classification").set("seed", 1L);
         Dataset fromBuffer = Dataset.fromDirect(values, d.rows, d.cols, labels);
         Dataset fromArray = Dataset.fromDense(array, d.rows, d.cols, d.y);
         Dataset otherData = Dataset.fromDense(other.x, other.rows, other.cols, null);
         Model a = Model.train("forest", p, fromBuffer, null);
         Model b = Model.train("forest", p, fromArray, null)) {
      assertArrayEquals(d.y, fromBuffer.labels());
      assertArrayEquals(d.x, fromBuffer.values());
      assertArrayEquals(a.toBytes(), b.toBytes()); // the same data, however it came
      double[] before = a.predict(fromBuffer);
      assertArrayEquals(before, a.predict(fromArray));

      // Overwrite the buffer and the array with other rows: the direct dataset sees the change
      // (a view), the array dataset does not (its own copy).
      for (int i = 0; i < other.x.length; i++) {
        values.put(5 + i, other.x[i]);
      }
      System.arraycopy(other.x, 0, array, 0, array.length);
      assertArrayEquals(other.x, fromBuffer.values());
      assertArrayEquals(d.x, fromArray.values());
      assertArrayEquals(a.predict(otherData), a.predict(fromBuffer));
      assertArrayEquals(before, a.predict(fromArray));
      assertFalse(java.util.Arrays.equals(before, a.predict(fromBuffer)));
    }
  }

  @Test
  void floatBuffer() {
    TestData d = TestData.blobs(300, 4, 3, 73);
    FloatBuffer values =
        ByteBuffer.allocateDirect(4 * d.x.length).order(ByteOrder.nativeOrder()).asFloatBuffer();
    float[] asFloat = new float[d.x.length];
    for (int i = 0; i < asFloat.length; i++) {
      asFloat[i] = (float) d.x[i];
      values.put(i, asFloat[i]);
    }
    try (Params p = new Params().set("task", "classification").set("seed", 2L);
         Dataset fromBuffer = Dataset.fromDirect(values, d.rows, d.cols, null);
         Dataset fromArray = Dataset.fromDense(asFloat, d.rows, d.cols, d.y);
         Model m = Model.train("boosting", p, fromArray, null)) {
      assertEquals(d.rows, fromBuffer.rows());
      assertArrayEquals(m.predict(fromArray), m.predict(fromBuffer));
      assertArrayEquals(m.predictProba(fromArray), m.predictProba(fromBuffer));
    }
  }
}
