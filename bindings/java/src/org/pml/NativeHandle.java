package org.pml;

import java.lang.ref.Cleaner;
import java.nio.Buffer;
import java.util.function.LongConsumer;
import org.pml.internal.PmlNativeJNI;

/**
 * One pml handle and the native memory that goes with it, freed exactly once.
 *
 * <p>This object is the {@link Cleaner} action of its wrapper ({@link Params}, {@link Dataset},
 * {@link Model}) and holds no reference to the wrapper, so the wrapper can become unreachable and
 * be cleaned. {@code close()} on the wrapper runs the same action; whichever comes first frees.
 *
 * <p>Every call that passes the handle to pml brackets it with {@link #acquire()} / {@link
 * #release()}. Closing while calls are in flight marks the handle closed (new calls throw) and the
 * last call to release it frees it: a close that races with predict on other threads never pulls
 * memory out from under pml. pml's C functions do the real work without any lock held here, so
 * many threads predict with one model in parallel.
 */
final class NativeHandle implements Runnable {
  /** One daemon thread for the whole library. */
  static final Cleaner CLEANER = Cleaner.create();

  private final String kind;
  private final LongConsumer free;
  private long ptr;
  private int users;
  private boolean closed;
  /** Memory from pml_java_alloc to free after the handle (copies of Java arrays). */
  private Buffer[] owned;
  /** Direct buffers of the caller that a dataset views: kept reachable until it is freed. */
  private Buffer[] kept;

  NativeHandle(String kind, long ptr, LongConsumer free, Buffer[] owned, Buffer[] kept) {
    this.kind = kind;
    this.ptr = ptr;
    this.free = free;
    this.owned = owned;
    this.kept = kept;
  }

  /** The pointer, counted as in use until {@link #release()}; throws if closed. */
  synchronized long acquire() {
    if (closed) {
      throw PmlException.invalid(kind + " is closed");
    }
    users++;
    return ptr;
  }

  synchronized void release() {
    users--;
    if (users == 0 && closed) {
      freeNow();
    }
  }

  synchronized boolean isClosed() { return closed; }

  /** Closes: frees now, or when the last call in flight releases the handle. */
  @Override
  public synchronized void run() {
    if (closed) {
      return;
    }
    closed = true;
    if (users == 0) {
      freeNow();
    }
  }

  private void freeNow() {
    long p = ptr;
    ptr = 0;
    free.accept(p);
    if (owned != null) {
      for (Buffer b : owned) {
        if (b != null) {
          PmlNativeJNI.pml_java_free(b);
        }
      }
    }
    owned = null;
    kept = null;
  }

  /** A native copy of values (freed with the handle that owns it). */
  static Buffer copyOf(double[] values) {
    java.nio.ByteBuffer b = PmlNativeJNI.pml_java_alloc(8L * values.length);
    b.order(java.nio.ByteOrder.nativeOrder()).asDoubleBuffer().put(values);
    return b;
  }

  static Buffer copyOf(float[] values) {
    java.nio.ByteBuffer b = PmlNativeJNI.pml_java_alloc(4L * values.length);
    b.order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer().put(values);
    return b;
  }

  /** Frees buffers from copyOf that never made it into a handle (a failed constructor). */
  static void freeAll(Buffer... buffers) {
    for (Buffer b : buffers) {
      if (b != null) {
        PmlNativeJNI.pml_java_free(b);
      }
    }
  }
}
