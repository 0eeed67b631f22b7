package org.pml;

import java.lang.ref.Cleaner;
import java.nio.Buffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.pml.internal.PmlNative;
import org.pml.internal.pml_dtype;
import org.pml.internal.pml_layout;

/**
 * A matrix of samples (rows) by features (columns) with optional labels ({@code pml_dataset}).
 * NaN in a feature means "missing". For classification any distinct label values are classes.
 * A column of category codes can be given names with {@link #setCategoryNames(int, String[])}.
 *
 * <p>Memory: pml's dataset is a view of the caller's memory, and the JVM moves Java arrays, so
 *
 * <ul>
 *   <li>{@link #fromDense(double[], int, int, double[])} and its {@code float[]} twin copy the
 *       arrays once into native memory that the dataset owns and frees on {@link #close()}; the
 *       arrays may be changed or dropped afterwards;
 *   <li>{@link #fromDirect(DoubleBuffer, int, int, DoubleBuffer)} views direct buffers in place
 *       (zero copy): the dataset keeps them reachable until it is closed, and their contents must
 *       not change meanwhile;
 *   <li>{@link #load(Path, String)} reads a CSV or LIBSVM file into memory the dataset owns.
 * </ul>
 *
 * <p>Thread safety: apart from {@link #setCategoryNames(int, String[])}, which must not race with
 * other uses, a dataset is read-only; many threads may predict on it at once. {@link #close()} may
 * be called from any thread; a call in flight finishes first (see {@link Model}).
 */
public final class Dataset implements AutoCloseable {
  private final NativeHandle handle;
  private final Cleaner.Cleanable cleanable;
  private final long rows;
  private final long cols;

  /** Takes ownership of ptr and the buffers only if it returns normally. */
  private Dataset(long ptr, Buffer[] owned, Buffer[] kept) {
    long[] r = new long[1];
    long[] c = new long[1];
    PmlNative.pml_dataset_shape(ptr, r, c);
    rows = r[0];
    cols = c[0];
    handle = new NativeHandle("Dataset", ptr, PmlNative::pml_dataset_free, owned, kept);
    cleanable = NativeHandle.CLEANER.register(this, handle);
  }

  /**
   * A dataset of {@code rows} x {@code cols} values stored row by row ({@code values[i * cols +
   * j]} is feature j of sample i), with one label per row or null for prediction-only data. Both
   * arrays are copied into native memory.
   *
   * @throws PmlException if values is null, {@code rows * cols != values.length}, labels has
   *     other than rows values or holds a non-finite value, or rows or cols is not positive
   */
  public static Dataset fromDense(double[] values, int rows, int cols, double[] labels) {
    checkDense(values == null ? -1 : values.length, rows, cols, labels);
    Buffer v = NativeHandle.copyOf(values);
    return withCopies(v, pml_dtype.PML_FLOAT64, rows, cols, labels);
  }

  /** As {@link #fromDense(double[], int, int, double[])} with 32-bit features (kept as float). */
  public static Dataset fromDense(float[] values, int rows, int cols, double[] labels) {
    checkDense(values == null ? -1 : values.length, rows, cols, labels);
    Buffer v = NativeHandle.copyOf(values);
    return withCopies(v, pml_dtype.PML_FLOAT32, rows, cols, labels);
  }

  private static void checkDense(long length, int rows, int cols, double[] labels) {
    if (length < 0) {
      throw PmlException.invalid("Dataset.fromDense: values must not be null");
    }
    if (rows <= 0 || cols <= 0) {
      throw PmlException.invalid(
          "Dataset.fromDense: rows and cols must be > 0, got " + rows + " x " + cols);
    }
    if ((long) rows * cols != length) {
      throw PmlException.invalid("Dataset.fromDense: values has " + length
          + " elements but rows * cols = " + rows + " * " + cols + " = " + (long) rows * cols);
    }
    if (labels != null && labels.length != rows) {
      throw PmlException.invalid("Dataset.fromDense: labels has " + labels.length
          + " values but the data has " + rows + " rows");
    }
  }

  private static Dataset withCopies(
      Buffer values, pml_dtype dtype, int rows, int cols, double[] labels) {
    Buffer l = null;
    long ptr = 0;
    try {
      l = labels == null ? null : NativeHandle.copyOf(labels);
      long[] out = new long[1];
      PmlNative.pml_dataset_from_dense(values, dtype, pml_layout.PML_ROW_MAJOR, rows, cols, l, out);
      ptr = out[0];
    } finally {
      if (ptr == 0) {
        NativeHandle.freeAll(values, l);
      }
    }
    try {
      return new Dataset(ptr, new Buffer[] {values, l}, null);
    } catch (RuntimeException e) {
      PmlNative.pml_dataset_free(ptr);
      NativeHandle.freeAll(values, l);
      throw e;
    }
  }

  /**
   * A dataset that views {@code values} (the {@code rows * cols} elements from its position on,
   * row by row) and {@code labels} (null, or {@code rows} values from its position) in place:
   * zero copy. The buffers must be direct and in native byte order ({@code
   * ByteBuffer.allocateDirect(n).order(ByteOrder.nativeOrder()).asDoubleBuffer()}); the dataset
   * keeps them reachable until it is closed, and they must not change meanwhile.
   */
  public static Dataset fromDirect(DoubleBuffer values, int rows, int cols, DoubleBuffer labels) {
    if (values == null) {
      throw PmlException.invalid("Dataset.fromDirect: values must not be null");
    }
    checkDirect("values", values.isDirect(), values.order(), values.remaining(), rows, cols);
    return direct(values.slice(), pml_dtype.PML_FLOAT64, rows, cols, labels);
  }

  /** As {@link #fromDirect(DoubleBuffer, int, int, DoubleBuffer)} with 32-bit features. */
  public static Dataset fromDirect(FloatBuffer values, int rows, int cols, DoubleBuffer labels) {
    if (values == null) {
      throw PmlException.invalid("Dataset.fromDirect: values must not be null");
    }
    checkDirect("values", values.isDirect(), values.order(), values.remaining(), rows, cols);
    return direct(values.slice(), pml_dtype.PML_FLOAT32, rows, cols, labels);
  }

  private static void checkDirect(
      String name, boolean isDirect, ByteOrder order, int remaining, int rows, long cols) {
    if (!isDirect) {
      throw PmlException.invalid(
          "Dataset.fromDirect: " + name + " must be a direct buffer (heap buffers move)");
    }
    if (order != ByteOrder.nativeOrder()) {
      throw PmlException.invalid("Dataset.fromDirect: " + name + " must be in native byte order ("
          + ByteOrder.nativeOrder() + "), got " + order);
    }
    if (rows <= 0 || cols <= 0) {
      throw PmlException.invalid(
          "Dataset.fromDirect: rows and cols must be > 0, got " + rows + " x " + cols);
    }
    if ((long) rows * cols != remaining) {
      throw PmlException.invalid("Dataset.fromDirect: " + name + " has " + remaining
          + " elements remaining but needs " + (long) rows * cols);
    }
  }

  private static Dataset direct(
      Buffer values, pml_dtype dtype, int rows, int cols, DoubleBuffer labels) {
    Buffer l = null;
    if (labels != null) {
      checkDirect("labels", labels.isDirect(), labels.order(), labels.remaining(), rows, 1);
      l = labels.slice();
    }
    long[] out = new long[1];
    PmlNative.pml_dataset_from_dense(values, dtype, pml_layout.PML_ROW_MAJOR, rows, cols, l, out);
    try {
      return new Dataset(out[0], null, new Buffer[] {values, l});
    } catch (RuntimeException e) {
      PmlNative.pml_dataset_free(out[0]);
      throw e;
    }
  }

  /**
   * Reads a CSV or LIBSVM file (format "csv", "libsvm", or null to choose by extension). CSV: the
   * label is the first column, a non-numeric first line is a header. The dataset owns the data.
   */
  public static Dataset load(Path path, String format) {
    if (path == null) {
      throw PmlException.invalid("Dataset.load: path must not be null");
    }
    long[] out = new long[1];
    PmlNative.pml_dataset_load(path.toString(), format, out);
    try {
      return new Dataset(out[0], null, null);
    } catch (RuntimeException e) {
      PmlNative.pml_dataset_free(out[0]);
      throw e;
    }
  }

  /** The number of rows (samples). */
  public long rows() { return rows; }

  /** The number of columns (features). */
  public long cols() { return cols; }

  /** A copy of the labels; throws PmlException if the dataset has none. */
  public double[] labels() {
    double[] out = new double[Math.toIntExact(rows)];
    long p = handle.acquire();
    try {
      PmlNative.pml_dataset_get_labels(p, out);
    } finally {
      handle.release();
    }
    return out;
  }

  /**
   * A copy of the features as a dense row-major array of {@code rows() * cols()} values (missing
   * values are NaN), e.g. to split a loaded file into training and test rows.
   */
  public double[] values() {
    long n = rows * cols;
    if (n > Integer.MAX_VALUE - 8) {
      throw new PmlException(PmlException.Status.OUT_OF_MEMORY,
          "Dataset.values: " + n + " values do not fit a Java array");
    }
    double[] out = new double[(int) n];
    long p = handle.acquire();
    try {
      PmlNative.pml_dataset_get_dense(p, out);
    } finally {
      handle.release();
    }
    return out;
  }

  /**
   * Names the categories of a categorical column: code {@code k} in column {@code column}
   * (0-based) means {@code names[k]}. The names are copied; they must be distinct and non-null,
   * at most 65,535 of them; an empty array removes the column's names.
   *
   * <p>A named column is categorical for the forest and boosting whether or not the parameter
   * {@code categorical_features} lists it, and its values must be NaN (missing) or the codes
   * {@code 0 .. names.length - 1}. A model trained on it records the names ({@link
   * Model#infoJson()}, under {@code "categories"}), and data given to the model ({@link
   * Model#predict(Dataset)}, {@link Model#evaluate(Dataset, String)}, a validation set) that names
   * its codes is matched by name: another order of the same names predicts the same, and a name
   * the model never saw goes where missing values go. Data without names is taken as the model's
   * codes. The SVM refuses named columns.
   *
   * <pre>{@code
   * // column 0 holds 0, 1, 2 for three cities
   * train.setCategoryNames(0, new String[] {"oslo", "lima", "kyiv"});
   * // the same cities coded in another order predict the same
   * test.setCategoryNames(0, new String[] {"kyiv", "oslo", "lima"});
   * }</pre>
   *
   * <p>Changes the dataset: must not run while another thread uses it.
   *
   * @param column the column, 0-based
   * @param names the name of each code, in code order; empty to remove the names
   * @throws PmlException if names is null or a name holds the character U+0000; pml's message
   *     ({@code INVALID_ARGUMENT}) if the column is outside {@code [0, cols())}, a name is null or
   *     repeated, or there are more than 65,535 names; if the dataset is closed
   */
  public void setCategoryNames(int column, String[] names) {
    if (names == null) {
      throw PmlException.invalid(
          "Dataset.setCategoryNames: names must not be null (an empty array removes the names)");
    }
    long p = handle.acquire();
    try {
      PmlNative.pml_dataset_set_category_names(p, column, names);
    } finally {
      handle.release();
    }
  }

  NativeHandle handle() { return handle; }

  /** True once {@link #close()} was called (or the cleaner ran). */
  public boolean isClosed() { return handle.isClosed(); }

  /**
   * Frees the native dataset and any native copy of its arrays (at once, or when a call still
   * using it returns). Idempotent; later uses throw {@link PmlException}.
   */
  @Override
  public void close() {
    cleanable.clean();
  }
}
