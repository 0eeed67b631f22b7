package org.pml.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pml.Dataset;
import org.pml.Model;
import org.pml.Params;

/**
 * Models cross languages: saved in Java, they predict the same in C (the pml program) and in
 * Python; saved by the pml program or Python, they predict the same in Java. Exactly: the numbers
 * are printed with the fewest digits that read back exactly on every side.
 *
 * <p>System properties (set by tests/java/CMakeLists.txt): pml.cli, the pml program; pml.python
 * and pml.pythonpath, the interpreter and the build tree's Python package (absent when the Python
 * binding is not built: those tests are then skipped).
 */
class InteropTest {
  private static String cli() {
    String cli = System.getProperty("pml.cli");
    assumeTrue(cli != null && !cli.isEmpty(), "pml.cli not set");
    return cli;
  }

  private static String python() {
    String python = System.getProperty("pml.python");
    assumeTrue(python != null && !python.isEmpty(), "pml.python not set");
    return python;
  }

  /** Runs a command; fails with its output unless it exits with 0. Returns stdout. */
  private static String run(Path dir, Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().putAll(env);
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = pb.start();
    if (!process.waitFor(300, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("timed out: " + String.join(" ", command));
    }
    String stdout = Files.readString(out);
    assertEquals(0, process.exitValue(),
        String.join(" ", command) + "\nstdout:\n" + stdout + "\nstderr:\n" + Files.readString(err));
    return stdout;
  }

  /** Every whitespace-separated number of a text, in order. */
  private static double[] numbers(String text) {
    List<Double> values = new ArrayList<>();
    for (String token : text.trim().split("\\s+")) {
      if (!token.isEmpty()) {
        values.add(Double.parseDouble(token));
      }
    }
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private static double[] cliPredict(Path dir, Path model, Path csv, String kind) throws Exception {
    Path out = dir.resolve("cli-" + kind + ".txt");
    run(dir, Map.of(), cli(), "predict", model.toString(), csv.toString(), "--kind", kind, "-o",
        out.toString());
    return numbers(Files.readString(out));
  }

  private static final String PY_PREDICT =
      String.join("\n", "import sys, numpy as np, pml", "m = pml.Model.load(sys.argv[1])",
          "X = np.loadtxt(sys.argv[2], delimiter=',', skiprows=1)[:, 1:]",
          "for v in np.asarray(m.predict(X, kind=sys.argv[3])).ravel(): print(repr(float(v)))");

  private static final String PY_TRAIN = String.join("\n", "import sys, numpy as np, pml",
      "D = np.loadtxt(sys.argv[1], delimiter=',', skiprows=1)",
      "with pml.Dataset(np.ascontiguousarray(D[:, 1:]), label=D[:, 0]) as d:",
      "    m = pml.train(sys.argv[2], {'task': 'classification', 'seed': 4}, d)",
      "    m.save(sys.argv[3])");

  private static Map<String, String> pythonEnv() {
    String path = System.getProperty("pml.pythonpath", "");
    return Map.of("PYTHONPATH", path, "PYTHONDONTWRITEBYTECODE", "1");
  }

  private static double[] pythonPredict(Path dir, Path model, Path csv, String kind)
      throws Exception {
    Path script = dir.resolve("predict.py");
    Files.writeString(script, PY_PREDICT, StandardCharsets.UTF_8);
    return numbers(
        run(dir, pythonEnv(), python(), script.toString(), model.toString(), csv.toString(), kind));
  }

  private static Model trainJava(String algorithm, TestData d, String task) {
    try (Params p = new Params().set("task", task).set("seed", 9L);
         Dataset train = Dataset.fromDense(d.x, d.rows, d.cols, d.y)) {
      if (algorithm.equals("svm") && task.equals("classification")) {
        p.set("probability", true);
      }
      return Model.train(algorithm, p, train, null);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"forest", "boosting", "svm"})
  void javaModelPredictsTheSameInC(String algorithm, @TempDir Path dir) throws Exception {
    cli();
    TestData all = TestData.blobs(500, 4, 3, 31);
    TestData te = all.slice(300, 500);
    Path csv = te.writeCsv(dir.resolve("test.csv"));
    Path file = dir.resolve("java.pml");
    try (Model m = trainJava(algorithm, all.slice(0, 300), "classification");
         Dataset test = Dataset.fromDense(te.x, te.rows, te.cols, null)) {
      m.save(file);
      assertArrayEquals(m.predict(test), cliPredict(dir, file, csv, "value"));
      assertArrayEquals(m.predictProba(test), cliPredict(dir, file, csv, "proba"));
    }
    TestData reg = TestData.regression(400, 4, 32);
    TestData rte = reg.slice(300, 400);
    Path rcsv = rte.writeCsv(dir.resolve("rtest.csv"));
    try (Model m = trainJava(algorithm, reg.slice(0, 300), "regression");
         Dataset test = Dataset.fromDense(rte.x, rte.rows, rte.cols, null)) {
      m.save(file);
      assertArrayEquals(m.predict(test), cliPredict(dir, file, rcsv, "value"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"forest", "boosting", "svm"})
  void javaModelPredictsTheSameInPython(String algorithm, @TempDir Path dir) throws Exception {
    python();
    TestData all = TestData.blobs(500, 4, 3, 41);
    TestData te = all.slice(300, 500);
    Path csv = te.writeCsv(dir.resolve("test.csv"));
    Path file = dir.resolve("java.pml");
    try (Model m = trainJava(algorithm, all.slice(0, 300), "classification");
         Dataset test = Dataset.fromDense(te.x, te.rows, te.cols, null)) {
      m.save(file);
      assertArrayEquals(m.predict(test), pythonPredict(dir, file, csv, "value"));
      assertArrayEquals(m.predictProba(test), pythonPredict(dir, file, csv, "proba"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"forest", "boosting", "svm"})
  void cliModelPredictsTheSameInJava(String algorithm, @TempDir Path dir) throws Exception {
    TestData all = TestData.blobs(500, 4, 2, 51);
    TestData te = all.slice(300, 500);
    Path trainCsv = all.slice(0, 300).writeCsv(dir.resolve("train.csv"));
    Path csv = te.writeCsv(dir.resolve("test.csv"));
    Path file = dir.resolve("cli.pml");
    run(dir, Map.of(), cli(), "train", algorithm, trainCsv.toString(), "task=classification",
        "seed=6", "-o", file.toString());
    try (Model m = Model.load(file);
         Dataset test = Dataset.fromDense(te.x, te.rows, te.cols, null)) {
      assertEquals(algorithm, m.algorithm());
      double[] java = m.predict(test);
      assertArrayEquals(cliPredict(dir, file, csv, "value"), java);
      assertArrayEquals(cliPredict(dir, file, csv, "raw"), m.predictRaw(test));
      // and the model is a good one, not merely the same one
      assertEquals(1.0, TestData.accuracy(java, te.y), 0.1);
    }
  }

  @Test
  void pythonModelPredictsTheSameInJava(@TempDir Path dir) throws Exception {
    python();
    TestData all = TestData.blobs(500, 4, 3, 61);
    TestData te = all.slice(300, 500);
    Path trainCsv = all.slice(0, 300).writeCsv(dir.resolve("train.csv"));
    Path csv = te.writeCsv(dir.resolve("test.csv"));
    Path file = dir.resolve("python.pml");
    Path script = dir.resolve("train.py");
    Files.writeString(script, PY_TRAIN, StandardCharsets.UTF_8);
    run(dir, pythonEnv(), python(), script.toString(), trainCsv.toString(), "boosting",
        file.toString());
    try (Model m = Model.load(file);
         Dataset test = Dataset.fromDense(te.x, te.rows, te.cols, null)) {
      assertArrayEquals(pythonPredict(dir, file, csv, "value"), m.predict(test));
      assertArrayEquals(pythonPredict(dir, file, csv, "proba"), m.predictProba(test));
    }
  }
}
