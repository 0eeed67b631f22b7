package org.pml;

/**
 * A pml call failed. {@link #getMessage()} is pml's message for the failing call (what C gets from
 * {@code pml_last_error()}, which names the function, the argument and the reason); {@link
 * #status()} is the {@code pml_status} it returned.
 *
 * <p>Unchecked: a failed call is a bug or bad input in the caller, as with {@link
 * IllegalArgumentException}. The binding's own argument checks (a null array, {@code rows * cols}
 * that differs from the array's length, a closed handle) throw it too, with status {@link
 * Status#INVALID_ARGUMENT}, so that one catch clause covers every pml failure.
 */
public class PmlException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The statuses of pml.h, in the order of their codes ({@code ordinal()} is the C value). */
  public enum Status {
    /** PML_OK: never thrown. */
    OK,
    /**
     * PML_ERR_INVALID_ARGUMENT: null where not allowed, a bad size, an unknown key, a bad value.
     */
    INVALID_ARGUMENT,
    /** PML_ERR_OUT_OF_MEMORY: an allocation failed; nothing was leaked. */
    OUT_OF_MEMORY,
    /** PML_ERR_IO: a file could not be opened, read or written. */
    IO,
    /** PML_ERR_FORMAT: a data or model file or buffer is malformed, truncated or corrupt. */
    FORMAT,
    /** PML_ERR_UNSUPPORTED: a valid request this build cannot do. */
    UNSUPPORTED,
    /** PML_ERR_DISTRIBUTED: a cluster-mode failure. */
    DISTRIBUTED,
    /** PML_ERR_CANCELLED: the training was cancelled. */
    CANCELLED,
    /** PML_ERR_INTERNAL: a bug in pml; please report it with the message. */
    INTERNAL;

    /** The status of a C code; unknown codes are {@link #INTERNAL}. */
    public static Status of(int code) {
      Status[] all = values();
      return code > 0 && code < all.length ? all[code] : INTERNAL;
    }
  }

  private final int code;

  /**
   * A failure with pml status {@code code} and {@code message}. The JNI layer calls this for every
   * status other than PML_OK.
   */
  public PmlException(int code, String message) {
    super(message);
    this.code = code;
  }

  PmlException(Status status, String message) { this(status.ordinal(), message); }

  /** The status, as an enum. */
  public Status status() { return Status.of(code); }

  /** The status as pml.h's integer code ({@code PML_ERR_FORMAT} is 4, ...). */
  public int code() { return code; }

  static PmlException invalid(String message) {
    return new PmlException(Status.INVALID_ARGUMENT, message);
  }
}
