package org.pml.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Loads the JNI library {@code libpml_jni.so} once per class loader, trying in turn:
 *
 * <ol>
 *   <li>the file named by the system property {@code pml.library}, if set (no fallback: a wrong
 *       path is an error);
 *   <li>{@code System.loadLibrary("pml_jni")}, i.e. a {@code libpml_jni.so} on {@code
 *       java.library.path};
 *   <li>the copy packed in the jar at {@code /org/pml/native/<os>-<arch>/libpml_jni.so}, unpacked
 *       to a temporary file (in the directory of the system property {@code pml.tmpdir}, else
 *       {@code java.io.tmpdir}; it must not be mounted noexec), loaded, and deleted at once (the
 *       mapping stays valid).
 * </ol>
 *
 * The JNI library contains pml itself (libpml's objects, Boost.Thread and the C++ runtime,
 * linked statically, only the JNI entry points exported), so it needs nothing but the C library:
 * a jar works on a machine where pml is not installed.
 */
public final class NativeLibrary {
  private static String source;

  private NativeLibrary() {}

  /** Loads the library if this class loader has not yet; throws UnsatisfiedLinkError if none. */
  public static synchronized void load() {
    if (source != null) {
      return;
    }
    String explicit = System.getProperty("pml.library");
    if (explicit != null && !explicit.isEmpty()) {
      System.load(Paths.get(explicit).toAbsolutePath().toString());
      source = explicit;
      return;
    }
    UnsatisfiedLinkError notOnPath;
    try {
      System.loadLibrary("pml_jni");
      source = "java.library.path";
      return;
    } catch (UnsatisfiedLinkError e) {
      notOnPath = e;
    }
    String resource = "/org/pml/native/" + platform() + "/" + System.mapLibraryName("pml_jni");
    try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
      if (in == null) {
        UnsatisfiedLinkError e = new UnsatisfiedLinkError("pml: no pml_jni on java.library.path ("
            + notOnPath.getMessage() + ") and no " + resource
            + " in the jar: this platform is not packaged");
        throw e;
      }
      String dir = System.getProperty("pml.tmpdir", System.getProperty("java.io.tmpdir"));
      Path file = Files.createTempFile(Paths.get(dir), "libpml_jni", ".so");
      try {
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        System.load(file.toAbsolutePath().toString());
      } finally {
        Files.deleteIfExists(file);
      }
      source = "jar:" + resource;
    } catch (IOException e) {
      UnsatisfiedLinkError error =
          new UnsatisfiedLinkError("pml: cannot unpack " + resource + ": " + e);
      error.initCause(e);
      throw error;
    }
  }

  /** Where the library came from (see {@link #load()}), or null before it is loaded. */
  public static synchronized String source() { return source; }

  /** "linux-x86_64", "linux-aarch64", ...: the folder of the jar's native libraries. */
  static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (os.startsWith("linux")) {
      os = "linux";
    } else if (os.startsWith("mac")) {
      os = "macos";
    } else if (os.startsWith("windows")) {
      os = "windows";
    }
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (arch.equals("amd64") || arch.equals("x86_64")) {
      arch = "x86_64";
    } else if (arch.equals("arm64")) {
      arch = "aarch64";
    }
    return os + "-" + arch;
  }
}
