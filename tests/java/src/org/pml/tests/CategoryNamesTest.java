package org.pml.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pml.Dataset;
import org.pml.Model;
import org.pml.Params;
import org.pml.PmlException.Status;

/**
 * Dataset.setCategoryNames (pml_dataset_set_category_names): a named column trains as
 * categorical, the model records the names, data is matched by name at prediction (another order
 * predicts the same, an unseen name goes where missing goes), and misuse is refused with pml's
 * message. The C semantics are tested in tests/c/test_category_names.c; this suite tests that
 * they reach Java intact (names cross as UTF-8, nulls and errors as pml reports them).
 */
class CategoryNamesTest {
  static final int ROWS = 1200;
  static final String[] CITIES = {
      "oslo", "lima", "kyiv", "rome", "baku", "doha", "suva", "apia", "male", "riga", "bern", "lome"};
  /** New code of old code k is PERM[k]. */
  static final int[] PERM = {5, 3, 11, 0, 9, 1, 7, 2, 10, 4, 8, 6};

  /** Whether city k is in the positive half: scattered, so only a set of cities separates it. */
  static boolean positive(int k) { return (k * 5 + 1) % 7 < 3 || k == 11; }

  /** Column 0: codes into CITIES (NaN every 17th row, label 1); column 1: noise. */
  static TestRows cities(long seed) { return cities(seed, true); }

  /** As {@link #cities(long)}, without missing values if !missing (for the SVM). */
  static TestRows cities(long seed, boolean missing) {
    Random rng = new Random(seed);
    double[] x = new double[ROWS * 2];
    double[] y = new double[ROWS];
    for (int i = 0; i < ROWS; i++) {
      int k = rng.nextInt(CITIES.length);
      boolean nan = missing && i % 17 == 0;
      x[2 * i] = nan ? Double.NaN : k;
      x[2 * i + 1] = rng.nextDouble();
      y[i] = nan || positive(k) ? 1 : 0;
    }
    return new TestRows(x, y);
  }

  static final class TestRows {
    final double[] x;
    final double[] y;

    TestRows(double[] x, double[] y) {
      this.x = x;
      this.y = y;
    }

    /** The same rows with column 0 recoded by perm, and the names in the new code order. */
    TestRows permuted(int[] perm, String[] names, String[] permutedNames) {
      double[] px = x.clone();
      for (int i = 0; i < ROWS; i++) {
        if (!Double.isNaN(px[2 * i])) {
          px[2 * i] = perm[(int) px[2 * i]];
        }
      }
      for (int k = 0; k < names.length; k++) {
        permutedNames[perm[k]] = names[k];
      }
      return new TestRows(px, y);
    }

    Dataset dataset(String[] names) {
      Dataset d = Dataset.fromDense(x, ROWS, 2, y);
      if (names != null) {
        d.setCategoryNames(0, names);
      }
      return d;
    }
  }

  static Params params(String algorithm) {
    Params p = new Params().set("task", "classification").set("seed", 3L);
    return algorithm.equals("boosting") ? p.parse("n_rounds=10 min_data_per_category=1")
                                        : p.set("n_trees", 5L);
  }

  /** The names as pml_model_info_json quotes them: "categories": {"0": ["a", "b", ...]}. */
  static String categoriesJson(String[] names) {
    StringBuilder b = new StringBuilder("\"categories\": {\"0\": [");
    for (int k = 0; k < names.length; k++) {
      b.append(k > 0 ? ", " : "").append('"').append(names[k]).append('"');
    }
    return b.append("]}").toString();
  }

  @ParameterizedTest
  @ValueSource(strings = {"forest", "boosting"})
  void namedColumnTrainsAsCategoricalAndTheModelListsTheNames(String algorithm) {
    TestRows t = cities(1);
    try (Dataset train = t.dataset(CITIES)) {
      // A stump separates the scattered half of the cities only by a set split: the named column
      // is categorical without categorical_features.
      try (Params p = params(algorithm).set("max_depth", 1L);
           Model stump = Model.train(algorithm, p, train, null)) {
        assertEquals(1.0, stump.evaluate(train, "accuracy"));
      }
      try (Params p = params(algorithm); Model m = Model.train(algorithm, p, train, null)) {
        String json = m.infoJson();
        assertTrue(json.contains(categoriesJson(CITIES)), json);
        // The names travel with the model's bytes.
        try (Model copy = Model.fromBytes(m.toBytes())) {
          assertTrue(copy.infoJson().contains(categoriesJson(CITIES)), copy.infoJson());
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"forest", "boosting"})
  void anotherOrderOfTheNamesPredictsTheSame(String algorithm) {
    TestRows t = cities(2);
    String[] names = new String[CITIES.length];
    TestRows other = t.permuted(PERM, CITIES, names);
    try (Dataset train = t.dataset(CITIES);
         Dataset otherOrder = other.dataset(names);
         Dataset bare = t.dataset(null); // the model's own codes, without names
         Dataset otherBare = other.dataset(null); // other codes, taken as the model's
         Params p = params(algorithm);
         Model m = Model.train(algorithm, p, train, null);
         Model loaded = Model.fromBytes(m.toBytes())) {
      double[] expected = m.predictProba(train);
      assertArrayEquals(expected, m.predictProba(otherOrder));
      assertArrayEquals(expected, m.predictProba(bare));
      assertArrayEquals(expected, loaded.predictProba(otherOrder));
      assertArrayEquals(m.predictRaw(train), m.predictRaw(otherOrder));
      assertEquals(m.evaluate(train, "accuracy"), m.evaluate(otherOrder, "accuracy"));
      // Without names the permuted codes mean other cities: the names are what made them agree.
      assertNotEquals(m.evaluate(train, "accuracy"), m.evaluate(otherBare, "accuracy"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"forest", "boosting"})
  void anUnseenNameGoesWhereMissingGoes(String algorithm) {
    TestRows t = cities(4);
    // atlantis, NaN, oslo, lima
    double[] x = {1, 0.5, Double.NaN, 0.5, 0, 0.5, 2, 0.5};
    double[] bareX = {0, 0.5, 1, 0.5}; // oslo, lima as the training codes
    try (Dataset train = t.dataset(CITIES);
         Dataset d = Dataset.fromDense(x, 4, 2, null);
         Dataset bare = Dataset.fromDense(bareX, 2, 2, null);
         Params p = params(algorithm);
         Model m = Model.train(algorithm, p, train, null)) {
      d.setCategoryNames(0, new String[] {"oslo", "atlantis", "lima"});
      double[] proba = m.predictProba(d);
      assertEquals(proba[3], proba[1]); // atlantis as missing
      assertTrue(proba[3] > 0.6, "missing rows are class 1: " + proba[3]);
      double[] known = m.predictProba(bare);
      assertEquals(known[1], proba[5]);
      assertEquals(known[3], proba[7]);
    }
  }

  @Test
  void namesCrossAsUtf8() {
    // Outside ASCII and outside the BMP (where JNI's "modified UTF-8" differs from UTF-8).
    String[] names = {
        "Zürich", "東京", "🍎 apple", "naïve \"quoted\"", "oslo", "lima", "kyiv", "rome", "baku",
        "doha", "suva", "Ω"};
    TestRows t = cities(5);
    String[] permutedNames = new String[names.length];
    TestRows other = t.permuted(PERM, names, permutedNames);
    try (Dataset train = t.dataset(names);
         Dataset otherOrder = other.dataset(permutedNames);
         Params p = params("forest");
         Model m = Model.train("forest", p, train, null)) {
      String json = m.infoJson();
      for (String name : names) {
        assertTrue(json.contains(name.replace("\"", "\\\"")), name + " in " + json);
      }
      assertArrayEquals(m.predictProba(train), m.predictProba(otherOrder));
    }
  }

  @Test
  void removedNamesMakeTheColumnNumericAgain() {
    TestRows t = cities(6, false);
    try (Dataset train = t.dataset(CITIES); Params p = new Params().set("task", "classification")) {
      // Named, the SVM one-hot encodes the column inside its model, which keeps the names.
      try (Model m = Model.train("svm", p, train, null)) {
        assertEquals(2, m.nFeatures());
        assertTrue(m.infoJson().contains("\"0\": ["), m.infoJson());
      }
      train.setCategoryNames(0, new String[0]);
      try (Model m = Model.train("svm", p, train, null)) {
        assertEquals(2, m.nFeatures());
        assertTrue(!m.infoJson().contains("\"0\": ["), m.infoJson());
      }
    }
  }

  @Test
  void badArgumentsAreRefusedWithPmlsMessage() {
    TestRows t = cities(7, false);
    try (Dataset d = t.dataset(null)) {
      ErrorsTest.fails(Status.INVALID_ARGUMENT, () -> d.setCategoryNames(2, CITIES),
          "pml_dataset_set_category_names", "column 2 is outside [0, 2)");
      ErrorsTest.fails(Status.INVALID_ARGUMENT, () -> d.setCategoryNames(-1, CITIES), "column -1");
      ErrorsTest.fails(Status.INVALID_ARGUMENT,
          () -> d.setCategoryNames(0, new String[] {"a", "b", "a"}),
          "names category 'a' twice (codes 0 and 2)");
      ErrorsTest.fails(Status.INVALID_ARGUMENT,
          () -> d.setCategoryNames(0, new String[] {"a", null}), "names[1] must not be NULL");
      ErrorsTest.fails(Status.INVALID_ARGUMENT,
          () -> d.setCategoryNames(0, new String[] {"a", "b\u0000c"}),
          "names[1] must not contain the character U+0000");
      ErrorsTest.fails(Status.INVALID_ARGUMENT, () -> d.setCategoryNames(0, null),
          "Dataset.setCategoryNames", "null");
      String[] tooMany = new String[65536];
      for (int k = 0; k < tooMany.length; k++) {
        tooMany[k] = "c" + k;
      }
      ErrorsTest.fails(
          Status.INVALID_ARGUMENT, () -> d.setCategoryNames(0, tooMany), "at most 65535");
      // None of the failures left names behind: the codes 0..11 train as numbers under the SVM.
      try (Params p = new Params().set("task", "classification");
           Model m = Model.train("svm", p, d, null)) {
        assertEquals(2, m.nFeatures());
      }
      // Codes the names do not cover are refused at training, naming the column.
      d.setCategoryNames(0, new String[] {"oslo", "lima", "kyiv"});
      try (Params p = params("forest")) {
        ErrorsTest.fails(Status.INVALID_ARGUMENT, () -> Model.train("forest", p, d, null),
            "not one of the codes 0 to 2 its category names cover");
      }
    }
    Dataset closed = t.dataset(null);
    closed.close();
    ErrorsTest.fails(
        Status.INVALID_ARGUMENT, () -> closed.setCategoryNames(0, CITIES), "Dataset is closed");
  }

  @Test
  void namesOnAColumnTheModelKnowsAsNumbersAreRefused() {
    TestRows t = cities(8);
    try (Dataset bare = t.dataset(null);
         Dataset named = t.dataset(CITIES);
         Params p = new Params().set("task", "classification").set("n_rounds", 3L);
         Model m = Model.train("boosting", p, bare, null)) {
      ErrorsTest.fails(Status.INVALID_ARGUMENT, () -> m.predict(named),
          "column 0 has category names, but the model");
      ErrorsTest.fails(
          Status.INVALID_ARGUMENT, () -> m.evaluate(named, "accuracy"), "column 0 has category names");
    }
  }

  @Test
  void categoricalFeaturesWithoutNames() {
    TestRows t = cities(9);
    try (Dataset train = t.dataset(null);
         Params p = params("boosting").set("categorical_features", "0").set("max_depth", 1L);
         Model m = Model.train("boosting", p, train, null)) {
      assertEquals(1.0, m.evaluate(train, "accuracy"));
      assertTrue(!m.infoJson().contains("\"0\": ["), m.infoJson());
    }
  }
}
