/*
 * A complete pml program in Java: the same steps as examples/c/main.c (load a CSV file, train,
 * evaluate, save and load back), plus what a JVM service does with a model: bytes to broadcast,
 * and prediction from many threads at once.
 *
 * Compile and run against the jar (it carries the native library; nothing else to install):
 *   javac -cp pml-0.1.0.jar PmlExample.java
 *   java -cp pml-0.1.0.jar:. PmlExample train.csv [forest|boosting|svm]
 * (in a build tree the jar is <build>/bindings/java/pml-0.1.0.jar; the label is the first CSV
 * column.)
 */
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.pml.Dataset;
import org.pml.Model;
import org.pml.Params;
import org.pml.Pml;
import org.pml.PmlException;

public class PmlExample {
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: java PmlExample data.csv [forest|boosting|svm]");
      System.exit(2);
    }
    String algorithm = args.length > 1 ? args[1] : "forest";
    System.out.println("pml " + Pml.version());

    // Read the file, then split its rows 80/20 into training and test sets.
    double[] x;
    double[] y;
    int rows;
    int cols;
    try (Dataset all = Dataset.load(Path.of(args[0]), "csv")) {
      rows = (int) all.rows();
      cols = (int) all.cols();
      x = all.values();
      y = all.labels();
    }
    System.out.println(args[0] + ": " + rows + " rows x " + cols + " features");
    int split = rows * 4 / 5;

    try (Params params = new Params().set("seed", 42L).set("task", "classification");
         Dataset train = Dataset.fromDense(
             Arrays.copyOfRange(x, 0, split * cols), split, cols, Arrays.copyOfRange(y, 0, split));
         Dataset test = Dataset.fromDense(Arrays.copyOfRange(x, split * cols, rows * cols),
             rows - split, cols, Arrays.copyOfRange(y, split, rows));
         Model model = Model.train(algorithm, params, train, null)) {
      System.out.printf("%s: %d classes, test accuracy %.4f%n", algorithm, model.nClasses(),
          model.evaluate(test, "accuracy"));

      // Bytes to broadcast (Spark, Flink, Kafka): any JVM, or C, Python, R, loads them.
      byte[] bytes = model.toBytes();
      double[] expected = model.predict(test);
      try (Model copy = Model.fromBytes(bytes)) {
        // One model, many threads: predict needs no lock.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        Future<?>[] results = new Future<?>[ 4 ];
        for (int t = 0; t < results.length; t++) {
          results[t] = pool.submit(() -> copy.predict(test));
        }
        for (Future<?> r : results) {
          if (!Arrays.equals((double[]) r.get(), expected)) {
            throw new AssertionError("a thread predicted differently");
          }
        }
        pool.shutdown();
      }
      System.out.println("model: " + bytes.length + " bytes, same predictions from 4 threads");

      Path file = Files.createTempFile("pml-example", ".pml");
      model.save(file);
      try (Model loaded = Model.load(file)) {
        System.out.println("saved and reloaded: " + loaded.algorithm() + ", "
            + (Arrays.equals(loaded.predict(test), expected) ? "same" : "DIFFERENT")
            + " predictions");
      } finally {
        Files.delete(file);
      }
    } catch (PmlException e) {
      System.err.println("pml failed (" + e.status() + "): " + e.getMessage());
      System.exit(1);
    }
  }
}
