package org.pml;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.lang.ref.Cleaner;
import java.nio.file.Path;
import org.pml.internal.PmlNative;
import org.pml.internal.pml_predict_kind;

/**
 * A trained model ({@code pml_model}): a random forest ({@code "forest"}), gradient-boosted trees
 * ({@code "boosting"}) or a support vector machine ({@code "svm"}).
 *
 * <pre>{@code
 * try (Params p = new Params().set("task", "classification").set("seed", "1");
 *      Dataset train = Dataset.fromDense(x, rows, cols, y);
 *      Model m = Model.train("forest", p, train, null)) {
 *   double[] predicted = m.predict(test);
 *   byte[] bytes = m.toBytes();            // broadcast; Model.fromBytes(bytes) on the executors
 * }
 * }</pre>
 *
 * <p>Models are portable: the bytes of {@link #toBytes()} and the files of {@link #save(Path)} are
 * pml's model format, which every binding, the C library and the {@code pml} program read. A
 * Model is also {@link Serializable}: Java serialization writes those bytes, so a framework can
 * broadcast or ship the object as is (Spark's {@code sc.broadcast(model)}, a Flink operator's
 * field); each deserialised copy is a new native model, freed by its {@link #close()} or, failing
 * that, by the cleaner once it is unreachable.
 *
 * <p>Thread safety: a model is read-only once trained. Any number of threads may call {@link
 * #predict}, {@link #predictProba}, {@link #toBytes()} and the other getters on one model at
 * once, without locking (pml's prediction is safe concurrently and each call runs on the calling
 * thread plus pml's own pool). {@link #close()} may be called from any thread at any time: calls
 * already running finish normally and the native model is freed when the last of them returns;
 * calls that start after close throw {@link PmlException} ("Model is closed"). So a close that
 * races with predict gives each predict either its full result or that exception, never a crash.
 */
public final class Model implements AutoCloseable, Serializable {
  private static final long serialVersionUID = 1L;
  private final transient NativeHandle handle;
  private final transient Cleaner.Cleanable cleanable;

  /** Takes ownership of ptr. */
  private Model(long ptr) {
    handle = new NativeHandle("Model", ptr, PmlNative::pml_model_free, null, null);
    cleanable = NativeHandle.CLEANER.register(this, handle);
  }

  /**
   * Trains a model. algorithm is "forest", "boosting" or "svm"; params may be null (defaults);
   * train must have labels; valid (may be null) is a labelled held-out set for early stopping.
   *
   * @throws PmlException for an unknown algorithm, an unknown parameter or a bad value (the
   *     message names it and what is allowed), data without labels, ...
   */
  public static Model train(String algorithm, Params params, Dataset train, Dataset valid) {
    if (train == null) {
      throw PmlException.invalid("Model.train: train must not be null");
    }
    long[] out = new long[1];
    NativeHandle ph = params == null ? null : params.handle();
    NativeHandle th = train.handle();
    NativeHandle vh = valid == null ? null : valid.handle();
    long p = ph == null ? 0 : ph.acquire();
    try {
      long t = th.acquire();
      try {
        long v = vh == null ? 0 : vh.acquire();
        try {
          PmlNative.pml_train(algorithm, p, t, v, out);
        } finally {
          if (vh != null) {
            vh.release();
          }
        }
      } finally {
        th.release();
      }
    } finally {
      if (ph != null) {
        ph.release();
      }
    }
    return new Model(out[0]);
  }

  /** Reads a model from the bytes of {@link #toBytes()} (or of a saved file). */
  public static Model fromBytes(byte[] bytes) {
    if (bytes == null) {
      throw PmlException.invalid("Model.fromBytes: bytes must not be null");
    }
    long[] out = new long[1];
    PmlNative.pml_model_load_buffer(bytes, out);
    return new Model(out[0]);
  }

  /** Reads a model file saved by any pml binding, the C library or the pml program. */
  public static Model load(Path path) {
    if (path == null) {
      throw PmlException.invalid("Model.load: path must not be null");
    }
    long[] out = new long[1];
    PmlNative.pml_model_load(path.toString(), out);
    return new Model(out[0]);
  }

  /** The model in pml's binary model format. Same seed, data and parameters: same bytes. */
  public byte[] toBytes() {
    byte[][] out = new byte[1][];
    long m = handle.acquire();
    try {
      PmlNative.pml_model_save_buffer(m, out);
    } finally {
      handle.release();
    }
    return out[0];
  }

  /** Writes the model to path (atomically: a temporary file, then a rename). */
  public void save(Path path) {
    if (path == null) {
      throw PmlException.invalid("Model.save: path must not be null");
    }
    long m = handle.acquire();
    try {
      PmlNative.pml_model_save(m, path.toString());
    } finally {
      handle.release();
    }
  }

  /** One value per row: the class label (as in the training labels) or the regression value. */
  public double[] predict(Dataset data) { return run(data, pml_predict_kind.PML_PREDICT_VALUE); }

  /**
   * Class probabilities, row-major: {@code rows x nClasses()}, columns in the order of {@link
   * #classes()} (ascending label). Throws PmlException for a regression model.
   */
  public double[] predictProba(Dataset data) {
    return run(data, pml_predict_kind.PML_PREDICT_PROBA);
  }

  /** Raw margins or decision values, before any link function, row-major. */
  public double[] predictRaw(Dataset data) { return run(data, pml_predict_kind.PML_PREDICT_RAW); }

  private double[] run(Dataset data, pml_predict_kind kind) {
    if (data == null) {
      throw PmlException.invalid("Model.predict: data must not be null");
    }
    NativeHandle dh = data.handle();
    long m = handle.acquire();
    try {
      long d = dh.acquire();
      try {
        long[] n = new long[1];
        PmlNative.pml_model_output_size(m, kind, data.rows(), n);
        if (n[0] > Integer.MAX_VALUE - 8) {
          throw new PmlException(PmlException.Status.OUT_OF_MEMORY,
              "Model.predict: " + n[0] + " outputs do not fit a Java array; predict fewer rows");
        }
        double[] out = new double[(int) n[0]];
        PmlNative.pml_model_predict(m, d, kind, out);
        return out;
      } finally {
        dh.release();
      }
    } finally {
      handle.release();
    }
  }

  /**
   * Evaluates the model on a labelled dataset. metric: accuracy, error, logloss, auc (binary),
   * rmse, mae, r2.
   */
  public double evaluate(Dataset data, String metric) {
    if (data == null) {
      throw PmlException.invalid("Model.evaluate: data must not be null");
    }
    double[] out = new double[1];
    NativeHandle dh = data.handle();
    long m = handle.acquire();
    try {
      long d = dh.acquire();
      try {
        PmlNative.pml_model_evaluate(m, d, metric, out);
      } finally {
        dh.release();
      }
    } finally {
      handle.release();
    }
    return out[0];
  }

  /** The algorithm: "forest", "boosting" or "svm". */
  public String algorithm() {
    String[] out = new String[1];
    long m = handle.acquire();
    try {
      PmlNative.pml_model_algorithm(m, out);
    } finally {
      handle.release();
    }
    return out[0];
  }

  /** The number of features the model was trained on. */
  public long nFeatures() {
    long[] out = new long[1];
    long m = handle.acquire();
    try {
      PmlNative.pml_model_n_features(m, out);
    } finally {
      handle.release();
    }
    return out[0];
  }

  /** The number of classes; 0 for a regression model. */
  public long nClasses() {
    long[] out = new long[1];
    long m = handle.acquire();
    try {
      PmlNative.pml_model_n_classes(m, out);
    } finally {
      handle.release();
    }
    return out[0];
  }

  /** The class labels in ascending order (the columns of predictProba); empty for regression. */
  public double[] classes() {
    double[] out = new double[Math.toIntExact(nClasses())];
    if (out.length == 0) {
      return out;
    }
    long m = handle.acquire();
    try {
      PmlNative.pml_model_classes(m, out);
    } finally {
      handle.release();
    }
    return out;
  }

  /**
   * One importance per feature, non-negative, summing to 1. Throws PmlException (UNSUPPORTED) for
   * a model that has none (a kernel SVM).
   */
  public double[] featureImportances() {
    double[] out = new double[Math.toIntExact(nFeatures())];
    long m = handle.acquire();
    try {
      PmlNative.pml_model_feature_importances(m, out);
    } finally {
      handle.release();
    }
    return out;
  }

  /** A JSON description: algorithm, format version, classes, features, parameters, summary. */
  public String infoJson() {
    String[] out = new String[1];
    long m = handle.acquire();
    try {
      PmlNative.pml_model_info_json(m, out);
    } finally {
      handle.release();
    }
    return out[0];
  }

  /** True once {@link #close()} was called (or the cleaner ran). */
  public boolean isClosed() { return handle.isClosed(); }

  /** Serialization writes the model's bytes (a closed model cannot be serialised). */
  private Object writeReplace() { return new Bytes(toBytes()); }

  private void readObject(ObjectInputStream in) throws InvalidObjectException {
    throw new InvalidObjectException("a Model is serialised as its bytes");
  }

  /** The serial form of a Model: pml's model format. */
  private static final class Bytes implements Serializable {
    private static final long serialVersionUID = 1L;
    private final byte[] bytes;

    Bytes(byte[] bytes) { this.bytes = bytes; }

    private Object readResolve() { return Model.fromBytes(bytes); }
  }

  /**
   * Frees the native model, at once or, if predictions are running on other threads, when the
   * last of them returns. Idempotent; later uses throw {@link PmlException}.
   */
  @Override
  public void close() {
    cleanable.clean();
  }
}
