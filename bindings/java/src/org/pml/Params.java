package org.pml;

import java.lang.ref.Cleaner;
import org.pml.internal.PmlNative;

/**
 * Training parameters: string key/value pairs ({@code pml_params}), validated by {@link
 * Model#train}: an unknown key or a bad value throws {@link PmlException} naming the key and what
 * is allowed. Keys and values are those of the command-line program and every other binding
 * (README, "Parameters"): {@code task}, {@code n_jobs}, {@code seed}, {@code n_trees}, ...
 *
 * <pre>{@code
 * try (Params p = new Params().set("task", "classification").set("n_trees", "200")) { ... }
 * }</pre>
 *
 * <p>Thread safety: {@link #set} must not race with other uses of the same object; a Params that
 * is no longer changed may be used by many trainings at once.
 */
public final class Params implements AutoCloseable {
  private final NativeHandle handle;
  private final Cleaner.Cleanable cleanable;

  /** An empty parameter set (every parameter at pml's default). */
  public Params() {
    long[] out = new long[1];
    PmlNative.pml_params_create(out);
    handle = new NativeHandle("Params", out[0], PmlNative::pml_params_free, null, null);
    cleanable = NativeHandle.CLEANER.register(this, handle);
  }

  /** Sets key to value (both copied), replacing an earlier value; returns this. */
  public Params set(String key, String value) {
    long p = handle.acquire();
    try {
      PmlNative.pml_params_set(p, key, value);
    } finally {
      handle.release();
    }
    return this;
  }

  /** Sets key to a number, written so that it reads back exactly; returns this. */
  public Params set(String key, long value) { return set(key, Long.toString(value)); }

  /** Sets key to a number, written so that it reads back exactly; returns this. */
  public Params set(String key, double value) { return set(key, Double.toString(value)); }

  /** Sets key to "true" or "false"; returns this. */
  public Params set(String key, boolean value) { return set(key, value ? "true" : "false"); }

  /** Sets every pair of {@code "key=value key=value ..."}, or none if one is malformed. */
  public Params parse(String text) {
    long p = handle.acquire();
    try {
      PmlNative.pml_params_parse(p, text);
    } finally {
      handle.release();
    }
    return this;
  }

  /** The value stored for key, or null if it is not set. */
  public String get(String key) {
    String[] value = new String[1];
    long p = handle.acquire();
    try {
      PmlNative.pml_params_get(p, key, value);
    } finally {
      handle.release();
    }
    return value[0];
  }

  NativeHandle handle() { return handle; }

  /** Frees the native parameter set. Idempotent; later uses throw {@link PmlException}. */
  @Override
  public void close() {
    cleanable.clean();
  }
}
