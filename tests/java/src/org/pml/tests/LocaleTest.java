package org.pml.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pml.Dataset;
import org.pml.Model;
import org.pml.Params;

/**
 * pml in a JVM started with LANG=de_DE.UTF-8, as ctest's java_locale runs this class: the JVM
 * calls setlocale(LC_ALL, "") at start-up, which gives the C library a comma decimal separator.
 * Model.train with learning_rate=0.25 then failed ("parameter learning_rate=0.25 is invalid:
 * expected a number > 0") and the JSON description wrote "0,25" (issue 21).
 */
class LocaleTest {
  @Test
  void decimalsKeepTheirPointUnderACommaLocale(@TempDir Path dir) throws IOException {
    assumeTrue("de".equals(System.getProperty("user.language")),
        "needs LANG=de_DE.UTF-8 (ctest java_locale) and that locale installed"
            + " (scripts/install-deps generates it)");
    StringBuilder text = new StringBuilder("y,a,b\n");
    for (int i = 0; i < 40; i++) {
      text.append(i % 2).append(',').append(i).append(".25,");
      text.append(10 * (i % 2) + i % 7).append(".5\n");
    }
    Path csv = dir.resolve("decimals.csv");
    Files.writeString(csv, text);
    try (Dataset d = Dataset.load(csv, null)) {
      double[] values = d.values();
      assertEquals(0.25, values[0]);
      assertEquals(11.5, values[3]);
      try (Params p = new Params().set("learning_rate", 0.25).set("n_rounds", 3L);
           Model m = Model.train("boosting", p, d, null)) {
        assertEquals("boosting", m.algorithm());
      }
      try (Params p = new Params().set("kernel", "rbf").set("gamma", 0.25).set("C", 1.5);
           Model m = Model.train("svm", p, d, null)) {
        String json = m.infoJson();
        assertTrue(json.contains("\"gamma\": 0.25"), json);
      }
    }
  }
}
