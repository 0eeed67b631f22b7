package org.pml.tests;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Synthetic data sets for the tests, generated from a seed (no expected results stored). */
final class TestData {
  final double[] x;
  final double[] y;
  final int rows;
  final int cols;

  private TestData(double[] x, double[] y, int rows, int cols) {
    this.x = x;
    this.y = y;
    this.rows = rows;
    this.cols = cols;
  }

  /** Rounds to 3 decimals, so that the values print and parse exactly in CSV files. */
  private static double r3(double v) { return Math.round(v * 1000) / 1000.0; }

  /**
   * k classes labelled 1..k (not 0-based, to check that labels come back as given): Gaussian blobs
   * whose centres lie 3 apart on the first two features, plus noise features.
   */
  static TestData blobs(int rows, int cols, int k, long seed) {
    Random rng = new Random(seed);
    double[] x = new double[rows * cols];
    double[] y = new double[rows];
    for (int i = 0; i < rows; i++) {
      int c = rng.nextInt(k);
      y[i] = c + 1;
      for (int j = 0; j < cols; j++) {
        double centre = j == 0 ? 3.0 * c : j == 1 ? 3.0 * (c % 2) : 0.0;
        x[i * cols + j] = r3(centre + rng.nextGaussian());
      }
    }
    return new TestData(x, y, rows, cols);
  }

  /** y = 2 x0 - x1 + 0.5 x2^2 + small noise, the other features noise. */
  static TestData regression(int rows, int cols, long seed) {
    Random rng = new Random(seed);
    double[] x = new double[rows * cols];
    double[] y = new double[rows];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        x[i * cols + j] = r3(rng.nextGaussian());
      }
      double x0 = x[i * cols];
      double x1 = x[i * cols + 1];
      double x2 = x[i * cols + 2];
      y[i] = r3(2 * x0 - x1 + 0.5 * x2 * x2 + 0.1 * rng.nextGaussian());
    }
    return new TestData(x, y, rows, cols);
  }

  /** Rows [from, to) as a new TestData. */
  TestData slice(int from, int to) {
    double[] sx = new double[(to - from) * cols];
    System.arraycopy(x, from * cols, sx, 0, sx.length);
    double[] sy = new double[to - from];
    System.arraycopy(y, from, sy, 0, sy.length);
    return new TestData(sx, sy, to - from, cols);
  }

  /** A CSV file: a header, then the label and the features of each row. */
  Path writeCsv(Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("label");
      for (int j = 0; j < cols; j++) {
        w.write(",f" + j);
      }
      w.write("\n");
      for (int i = 0; i < rows; i++) {
        w.write(Double.toString(y[i]));
        for (int j = 0; j < cols; j++) {
          w.write("," + x[i * cols + j]);
        }
        w.write("\n");
      }
    }
    return file;
  }

  static double accuracy(double[] predicted, double[] truth) {
    int ok = 0;
    for (int i = 0; i < truth.length; i++) {
      if (predicted[i] == truth[i]) {
        ok++;
      }
    }
    return ok / (double) truth.length;
  }

  static double r2(double[] predicted, double[] truth) {
    double mean = 0;
    for (double t : truth) {
      mean += t;
    }
    mean /= truth.length;
    double ssRes = 0;
    double ssTot = 0;
    for (int i = 0; i < truth.length; i++) {
      ssRes += (predicted[i] - truth[i]) * (predicted[i] - truth[i]);
      ssTot += (truth[i] - mean) * (truth[i] - mean);
    }
    return 1 - ssRes / ssTot;
  }
}
