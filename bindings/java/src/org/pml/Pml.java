package org.pml;

import org.pml.internal.NativeLibrary;
import org.pml.internal.PmlNative;

/** Library-wide information. */
public final class Pml {
  private Pml() {}

  /** The version of the native pml library, "MAJOR.MINOR.PATCH". */
  public static String version() { return PmlNative.pml_version_string(); }

  /**
   * Where the JNI library was loaded from: a file path given by the system property {@code
   * pml.library}, "java.library.path", or "jar:" and the resource it was unpacked from.
   */
  public static String nativeLibrarySource() {
    NativeLibrary.load();
    return NativeLibrary.source();
  }
}
