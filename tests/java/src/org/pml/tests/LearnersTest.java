package org.pml.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pml.Dataset;
import org.pml.Model;
import org.pml.Params;
import org.pml.Pml;
import org.pml.PmlException;

/** Each learner, classification and regression, through the public API. */
class LearnersTest {
  @Test
  void versionAndLibrary() {
    assertTrue(Pml.version().matches("\\d+\\.\\d+\\.\\d+"), Pml.version());
    // The test JVM has no java.library.path entry for pml: the library came out of the jar.
    assertTrue(Pml.nativeLibrarySource().startsWith("jar:"), Pml.nativeLibrarySource());
  }

  private static Params classification(String algorithm) {
    Params p = new Params().set("task", "classification").set("seed", 7L);
    if (algorithm.equals("svm")) {
      p.set("probability", true);
    }
    return p;
  }

  @ParameterizedTest
  @ValueSource(strings = {"forest", "boosting", "svm"})
  void multiclassClassification(String algorithm) {
    TestData all = TestData.blobs(900, 5, 3, 11);
    TestData tr = all.slice(0, 600);
    TestData te = all.slice(600, 900);
    try (Params p = classification(algorithm);
         Dataset train = Dataset.fromDense(tr.x, tr.rows, tr.cols, tr.y);
         Dataset test = Dataset.fromDense(te.x, te.rows, te.cols, null);
         Dataset testLabelled = Dataset.fromDense(te.x, te.rows, te.cols, te.y);
         Model m = Model.train(algorithm, p, train, null)) {
      assertEquals(algorithm, m.algorithm());
      assertEquals(5, m.nFeatures());
      assertEquals(3, m.nClasses());
      assertArrayEquals(new double[] {1, 2, 3}, m.classes());

      double[] predicted = m.predict(test);
      assertEquals(te.rows, predicted.length);
      double accuracy = TestData.accuracy(predicted, te.y);
      assertTrue(accuracy > 0.9, algorithm + " accuracy " + accuracy);
      assertEquals(accuracy, m.evaluate(testLabelled, "accuracy"), 1e-12);

      double[] proba = m.predictProba(test);
      assertEquals(te.rows * 3, proba.length);
      int agree = 0;
      for (int i = 0; i < te.rows; i++) {
        double sum = 0;
        int best = 0;
        for (int c = 0; c < 3; c++) {
          double v = proba[i * 3 + c];
          assertTrue(v >= 0 && v <= 1, "probability " + v);
          sum += v;
          if (v > proba[i * 3 + best]) {
            best = c;
          }
        }
        assertEquals(1.0, sum, 1e-9);
        if (m.classes()[best] == predicted[i]) {
          agree++;
        }
      }
      // Platt-scaled SVM probabilities may disagree with the vote on a few rows.
      assertTrue(agree >= 0.95 * te.rows, "argmax(proba) agrees with predict on " + agree);

      String json = m.infoJson();
      assertTrue(json.contains(algorithm), json);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"forest", "boosting", "svm"})
  void binaryClassificationFloat32(String algorithm) {
    TestData all = TestData.blobs(600, 4, 2, 5);
    float[] x = new float[all.x.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) all.x[i];
    }
    float[] trainX = java.util.Arrays.copyOfRange(x, 0, 400 * 4);
    float[] testX = java.util.Arrays.copyOfRange(x, 400 * 4, 600 * 4);
    TestData te = all.slice(400, 600);
    try (Params p = classification(algorithm); Dataset train = Dataset.fromDense(trainX, 400, 4,
                                                   java.util.Arrays.copyOfRange(all.y, 0, 400));
         Dataset test = Dataset.fromDense(testX, 200, 4, null);
         Model m = Model.train(algorithm, p, train, null)) {
      double accuracy = TestData.accuracy(m.predict(test), te.y);
      assertTrue(accuracy > 0.9, algorithm + " accuracy " + accuracy);
      assertArrayEquals(new double[] {1, 2}, m.classes());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"forest", "boosting", "svm"})
  void regression(String algorithm) {
    TestData all = TestData.regression(900, 4, 3);
    TestData tr = all.slice(0, 600);
    TestData te = all.slice(600, 900);
    try (Params p = new Params().set("task", "regression").set("seed", 3L);
         Dataset train = Dataset.fromDense(tr.x, tr.rows, tr.cols, tr.y);
         Dataset test = Dataset.fromDense(te.x, te.rows, te.cols, te.y)) {
      if (algorithm.equals("svm")) {
        p.set("C", 10.0); // C=1 underfits a target of this scale, as a user would notice
      }
      try (Model m = Model.train(algorithm, p, train, null)) {
        assertEquals(0, m.nClasses());
        assertEquals(0, m.classes().length);
        double[] predicted = m.predict(test);
        double r2 = TestData.r2(predicted, te.y);
        assertTrue(r2 > 0.8, algorithm + " R^2 " + r2);
        assertEquals(r2, m.evaluate(test, "r2"), 1e-9);
        PmlException e = assertThrows(PmlException.class, () -> m.predictProba(test));
        assertEquals(PmlException.Status.INVALID_ARGUMENT, e.status(), e.getMessage());
      }
    }
  }

  @Test
  void boostingWithValidationSetAndImportances() {
    TestData all = TestData.regression(900, 4, 9);
    TestData tr = all.slice(0, 600);
    TestData va = all.slice(600, 900);
    try (Params p = new Params()
                        .parse("task=regression n_rounds=500 early_stopping_rounds=10 seed=1")
                        .set("learning_rate", 0.3);
         Dataset train = Dataset.fromDense(tr.x, tr.rows, tr.cols, tr.y);
         Dataset valid = Dataset.fromDense(va.x, va.rows, va.cols, va.y);
         Model m = Model.train("boosting", p, train, valid)) {
      assertEquals("500", p.get("n_rounds"));
      assertEquals(null, p.get("max_depth"));
      double[] imp = m.featureImportances();
      assertEquals(4, imp.length);
      double sum = 0;
      for (double v : imp) {
        sum += v;
      }
      assertEquals(1.0, sum, 1e-9);
      // Features 0..2 carry the signal, feature 3 is noise.
      assertTrue(
          imp[3] < imp[0] && imp[3] < imp[1] && imp[3] < imp[2], java.util.Arrays.toString(imp));
      assertTrue(m.evaluate(valid, "r2") > 0.8);
    }
  }

  @Test
  void loadCsvMatchesArrays(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    TestData all = TestData.blobs(300, 3, 2, 21);
    java.nio.file.Path csv = all.writeCsv(dir.resolve("data.csv"));
    try (Params p = new Params().set("task", "classification").set("seed", 1L).set("n_trees", 20L);
         Dataset fromCsv = Dataset.load(csv, null);
         Dataset fromArray = Dataset.fromDense(all.x, all.rows, all.cols, all.y);
         Model a = Model.train("forest", p, fromCsv, null);
         Model b = Model.train("forest", p, fromArray, null)) {
      assertEquals(300, fromCsv.rows());
      assertEquals(3, fromCsv.cols());
      assertArrayEquals(all.y, fromCsv.labels());
      assertArrayEquals(all.x, fromCsv.values());
      assertArrayEquals(a.toBytes(), b.toBytes());
      assertArrayEquals(a.predict(fromArray), b.predict(fromCsv));
    }
  }
}
