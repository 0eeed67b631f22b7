/* pml_java.i - Java typemaps for bindings/pml.i (included only when SWIG targets Java).
 *
 * The generated classes (org.pml.internal.PmlNative, PmlNativeJNI and one Java enum per C enum)
 * mirror pml.h function for function; these typemaps make each call safe at the JNI boundary and
 * nothing more. The public API is the hand-written package org.pml on top.
 *   - a status other than PML_OK throws org.pml.PmlException(status, pml_last_error()) in the
 *     thread that made the call (pml_last_error() is thread-local), so every pml_status function
 *     returns void in Java;
 *   - handles (pml_params *, pml_dataset *, pml_model *) are Java longs; output handles and
 *     output scalars are one-element holder arrays (long[], double[], String[], byte[][]) that
 *     the call fills on success;
 *   - arrays pml only reads during the call or writes into (predict's output, classes, model
 *     bytes) are Java arrays, copied in and out by JNI;
 *   - arrays a dataset VIEWS (values, labels, weights, CSR parts) must not move while the dataset
 *     lives, and the JVM moves Java arrays: they cross only as direct java.nio buffers, whose
 *     address is handed to pml as is (zero copy). Each call checks that a buffer holds at least
 *     as many bytes as pml will read. org.pml keeps the buffers reachable until the dataset is
 *     freed and copies double[]/float[] into native memory it frees itself (pml_java_alloc);
 *   - nothing holds a lock: pml's C functions are thread-safe as pml.h says, and many Java
 *     threads may predict with one model at once.
 * Not wrapped for Java: the progress callback and the log handler (they would call back into the
 * JVM from pml's threads), and pml_free (every buffer pml allocates is freed here).
 */

%{
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A Java String from UTF-8 bytes (pml's messages may quote user text, which need not be the
 * "modified UTF-8" NewStringUTF requires). NULL with an exception pending on failure. */
static jstring pml_java_string(JNIEnv *jenv, const char *text) {
  if (!text) return NULL;
  jsize n = (jsize)strlen(text);
  jbyteArray bytes = (*jenv)->NewByteArray(jenv, n);
  if (!bytes) return NULL;
  (*jenv)->SetByteArrayRegion(jenv, bytes, 0, n, (const jbyte *)text);
  jclass string_class = (*jenv)->FindClass(jenv, "java/lang/String");
  if (!string_class) return NULL;
  jmethodID ctor = (*jenv)->GetMethodID(jenv, string_class, "<init>", "([BLjava/lang/String;)V");
  jstring charset = (*jenv)->NewStringUTF(jenv, "UTF-8");
  if (!ctor || !charset) return NULL;
  jstring s = (jstring)(*jenv)->NewObject(jenv, string_class, ctor, bytes, charset);
  (*jenv)->DeleteLocalRef(jenv, charset);
  (*jenv)->DeleteLocalRef(jenv, string_class);
  (*jenv)->DeleteLocalRef(jenv, bytes);
  return s;
}

/* Throws org.pml.PmlException(status, message) unless an exception is already pending. */
static void pml_java_throw(JNIEnv *jenv, int status, const char *message) {
  if ((*jenv)->ExceptionCheck(jenv)) return;
  jclass cls = (*jenv)->FindClass(jenv, "org/pml/PmlException");
  if (!cls) return; /* NoClassDefFoundError is pending */
  jmethodID ctor = (*jenv)->GetMethodID(jenv, cls, "<init>", "(ILjava/lang/String;)V");
  if (!ctor) return;
  jstring text = pml_java_string(jenv, message);
  if ((*jenv)->ExceptionCheck(jenv)) return;
  jthrowable error = (jthrowable)(*jenv)->NewObject(jenv, cls, ctor, (jint)status, text);
  if (error) (*jenv)->Throw(jenv, error);
}

/* The size in bytes of a direct buffer (capacity times its element size), or -1 if obj is not a
 * direct buffer. The address JNI gives is the buffer's element 0, whatever its position. */
static jlong pml_java_buffer_bytes(JNIEnv *jenv, jobject obj) {
  static const struct {
    const char *name;
    jlong size;
  } kinds[] = {{"java/nio/ByteBuffer", 1},  {"java/nio/DoubleBuffer", 8},
               {"java/nio/FloatBuffer", 4}, {"java/nio/LongBuffer", 8},
               {"java/nio/IntBuffer", 4},   {"java/nio/ShortBuffer", 2},
               {"java/nio/CharBuffer", 2}};
  if (!(*jenv)->GetDirectBufferAddress(jenv, obj)) return -1;
  jlong capacity = (jlong)(*jenv)->GetDirectBufferCapacity(jenv, obj);
  if (capacity < 0) return -1;
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; ++i) {
    jclass cls = (*jenv)->FindClass(jenv, kinds[i].name);
    if (!cls) return -1;
    jboolean is = (*jenv)->IsInstanceOf(jenv, obj, cls);
    (*jenv)->DeleteLocalRef(jenv, cls);
    if (is) return capacity > INT64_MAX / kinds[i].size ? -1 : capacity * kinds[i].size;
  }
  return -1;
}

/* Fails (returns 0 with PmlException pending) unless a buffer of have bytes holds count
 * elements of size bytes. count < 0 means "pml will refuse the call anyway": passes. */
static int pml_java_check_bytes(JNIEnv *jenv, const char *name, jlong have, int64_t count,
                                int64_t size) {
  if (have < 0 || count < 0) return 1;
  if (count > INT64_MAX / size || have < count * size) {
    char message[200];
    snprintf(message, sizeof message,
             "%s: the buffer holds %lld bytes but pml reads %lld elements of %lld bytes", name,
             (long long)have, (long long)count, (long long)size);
    pml_java_throw(jenv, PML_ERR_INVALID_ARGUMENT, message);
    return 0;
  }
  return 1;
}

static int64_t pml_java_dtype_size(pml_dtype dtype) {
  return dtype == PML_FLOAT32 ? 4 : 8;
}
%}

/* -- the module class --------------------------------------------------------------------- */

/* Any use of the generated classes loads the JNI library first (java.library.path, or the copy
 * packed in the jar). */
%pragma(java) jniclasscode=%{
  static {
    NativeLibrary.load();
  }

  /** A direct ByteBuffer over nbytes of malloc'd memory (see pml_java_alloc below). */
  public static final native java.nio.ByteBuffer pml_java_alloc(long nbytes);

  /** Frees the memory of a buffer from pml_java_alloc; the buffer must not be used again. */
  public static final native void pml_java_free(java.nio.Buffer buffer);
%}
%pragma(java) moduleclassmodifiers="public final class"

/* -- integers ------------------------------------------------------------------------------ */

/* pml.i reads stdint.i with int64_t as C long (SWIGWORDSIZE64, so the wrapper's casts match
 * pml.h on LP64); SWIG's Java maps C long to a Java int, so int64_t is mapped as a Java long. */
%apply long long { int64_t };

/* -- statuses ------------------------------------------------------------------------------- */

/* A returned pml_status becomes void, or PmlException. */
%typemap(jni) pml_status "void"
%typemap(jtype) pml_status "void"
%typemap(jstype) pml_status "void"
%typemap(javaout) pml_status { $jnicall; }
%typemap(out) pml_status %{
  if ($1 != PML_OK) pml_java_throw(jenv, (int)$1, pml_last_error());
%}
/* ... but a pml_status argument is a plain int. */
%typemap(jni) pml_status s, pml_status mine "jint"
%typemap(jtype) pml_status s, pml_status mine "int"
%typemap(jstype) pml_status s, pml_status mine "int"
%typemap(javain) pml_status s, pml_status mine "$javainput"
%typemap(in) pml_status s, pml_status mine %{ $1 = (pml_status)$input; %}

/* -- handles -------------------------------------------------------------------------------- */

%define PML_JAVA_HANDLE(TYPE)
%typemap(jni) TYPE *, const TYPE * "jlong"
%typemap(jtype) TYPE *, const TYPE * "long"
%typemap(jstype) TYPE *, const TYPE * "long"
%typemap(javain) TYPE *, const TYPE * "$javainput"
%typemap(in) TYPE *, const TYPE * %{ $1 = ($1_ltype)(intptr_t)$input; %}

/* Output handle: a long[] of at least one element, set on success. */
%typemap(jni) TYPE ** "jlongArray"
%typemap(jtype) TYPE ** "long[]"
%typemap(jstype) TYPE ** "long[]"
%typemap(javain) TYPE ** "$javainput"
%typemap(in) TYPE ** (TYPE *temp = NULL) {
  if (!$input || (*jenv)->GetArrayLength(jenv, $input) < 1) {
    pml_java_throw(jenv, PML_ERR_INVALID_ARGUMENT, "$1_name: a long[1] holder is required");
    return $null;
  }
  $1 = &temp;
}
%typemap(argout) TYPE ** {
  if (!(*jenv)->ExceptionCheck(jenv)) {
    jlong value = (jlong)(intptr_t)temp$argnum;
    (*jenv)->SetLongArrayRegion(jenv, $input, 0, 1, &value);
  }
}
%enddef

PML_JAVA_HANDLE(pml_params)
PML_JAVA_HANDLE(pml_dataset)
PML_JAVA_HANDLE(pml_model)

/* -- output scalars: one-element holders, null where pml.h allows NULL ----------------------- */

%typemap(jni) int64_t *n_rows, int64_t *n_cols, int64_t *n_out, int64_t *out, int64_t *n_rounds "jlongArray"
%typemap(jtype) int64_t *n_rows, int64_t *n_cols, int64_t *n_out, int64_t *out, int64_t *n_rounds "long[]"
%typemap(jstype) int64_t *n_rows, int64_t *n_cols, int64_t *n_out, int64_t *out, int64_t *n_rounds "long[]"
%typemap(javain) int64_t *n_rows, int64_t *n_cols, int64_t *n_out, int64_t *out, int64_t *n_rounds "$javainput"
%typemap(in) int64_t *n_rows (int64_t temp = 0), int64_t *n_cols (int64_t temp = 0),
             int64_t *n_out (int64_t temp = 0), int64_t *out (int64_t temp = 0),
             int64_t *n_rounds (int64_t temp = 0) {
  $1 = NULL;
  if ($input) {
    if ((*jenv)->GetArrayLength(jenv, $input) < 1) {
      pml_java_throw(jenv, PML_ERR_INVALID_ARGUMENT, "$1_name: an empty holder array");
      return $null;
    }
    $1 = &temp;
  }
}
%typemap(argout) int64_t *n_rows, int64_t *n_cols, int64_t *n_out, int64_t *out, int64_t *n_rounds {
  if ($1 && !(*jenv)->ExceptionCheck(jenv)) {
    jlong value = (jlong)temp$argnum;
    (*jenv)->SetLongArrayRegion(jenv, $input, 0, 1, &value);
  }
}

%typemap(jni) int *rank, int *size "jintArray"
%typemap(jtype) int *rank, int *size "int[]"
%typemap(jstype) int *rank, int *size "int[]"
%typemap(javain) int *rank, int *size "$javainput"
%typemap(in) int *rank (int temp = 0), int *size (int temp = 0) {
  if (!$input || (*jenv)->GetArrayLength(jenv, $input) < 1) {
    pml_java_throw(jenv, PML_ERR_INVALID_ARGUMENT, "$1_name: an int[1] holder is required");
    return $null;
  }
  $1 = &temp;
}
%typemap(argout) int *rank, int *size {
  if (!(*jenv)->ExceptionCheck(jenv)) {
    jint value = (jint)temp$argnum;
    (*jenv)->SetIntArrayRegion(jenv, $input, 0, 1, &value);
  }
}

/* A single double result (pml_model_evaluate, pml_model_oob_score). */
%typemap(jni) double *out "jdoubleArray"
%typemap(jtype) double *out "double[]"
%typemap(jstype) double *out "double[]"
%typemap(javain) double *out "$javainput"
%typemap(in) double *out (double temp = 0) {
  if (!$input || (*jenv)->GetArrayLength(jenv, $input) < 1) {
    pml_java_throw(jenv, PML_ERR_INVALID_ARGUMENT, "out: a double[1] holder is required");
    return $null;
  }
  $1 = &temp;
}
%typemap(argout) double *out {
  if (!(*jenv)->ExceptionCheck(jenv)) (*jenv)->SetDoubleArrayRegion(jenv, $input, 0, 1, &temp$argnum);
}

/* Strings owned by pml or static (const char **): a String[] holder, null for a NULL string. */
%typemap(jni) const char ** "jobjectArray"
%typemap(jtype) const char ** "String[]"
%typemap(jstype) const char ** "String[]"
%typemap(javain) const char ** "$javainput"
%typemap(in) const char ** (const char *temp = NULL) {
  if (!$input || (*jenv)->GetArrayLength(jenv, $input) < 1) {
    pml_java_throw(jenv, PML_ERR_INVALID_ARGUMENT, "$1_name: a String[1] holder is required");
    return $null;
  }
  $1 = ($1_ltype)&temp;
}
%typemap(argout) const char ** {
  if (!(*jenv)->ExceptionCheck(jenv)) {
    jstring s = pml_java_string(jenv, temp$argnum);
    if (!(*jenv)->ExceptionCheck(jenv)) (*jenv)->SetObjectArrayElement(jenv, $input, 0, s);
  }
}

/* A string pml allocated for the caller: copied into a Java String, then freed. */
%typemap(jni) char **json "jobjectArray"
%typemap(jtype) char **json "String[]"
%typemap(jstype) char **json "String[]"
%typemap(javain) char **json "$javainput"
%typemap(in) char **json (char *temp = NULL) {
  if (!$input || (*jenv)->GetArrayLength(jenv, $input) < 1) {
    pml_java_throw(jenv, PML_ERR_INVALID_ARGUMENT, "json: a String[1] holder is required");
    return $null;
  }
  $1 = &temp;
}
%typemap(argout) char **json {
  if (temp$argnum && !(*jenv)->ExceptionCheck(jenv)) {
    jstring s = pml_java_string(jenv, temp$argnum);
    if (!(*jenv)->ExceptionCheck(jenv)) (*jenv)->SetObjectArrayElement(jenv, $input, 0, s);
  }
}
%typemap(freearg) char **json { pml_free(temp$argnum); }

/* A buffer pml allocated for the caller (pml_model_save_buffer): a byte[][] holder receives a
 * copy as byte[], then pml's buffer is freed. */
%typemap(jni) (void **buf, int64_t *len) "jobjectArray"
%typemap(jtype) (void **buf, int64_t *len) "byte[][]"
%typemap(jstype) (void **buf, int64_t *len) "byte[][]"
%typemap(javain) (void **buf, int64_t *len) "$javainput"
%typemap(in) (void **buf, int64_t *len) (void *temp = NULL, int64_t n = 0) {
  if (!$input || (*jenv)->GetArrayLength(jenv, $input) < 1) {
    pml_java_throw(jenv, PML_ERR_INVALID_ARGUMENT, "buf: a byte[1][] holder is required");
    return $null;
  }
  $1 = &temp;
  $2 = &n;
}
%typemap(argout) (void **buf, int64_t *len) {
  if (temp$argnum && !(*jenv)->ExceptionCheck(jenv)) {
    if (n$argnum > (int64_t)INT32_MAX - 8) {
      pml_java_throw(jenv, PML_ERR_OUT_OF_MEMORY, "the model is larger than a Java byte[] can hold");
    } else {
      jbyteArray bytes = (*jenv)->NewByteArray(jenv, (jsize)n$argnum);
      if (bytes) {
        (*jenv)->SetByteArrayRegion(jenv, bytes, 0, (jsize)n$argnum, (const jbyte *)temp$argnum);
        (*jenv)->SetObjectArrayElement(jenv, $input, 0, bytes);
      }
    }
  }
}
%typemap(freearg) (void **buf, int64_t *len) { pml_free(temp$argnum); }

/* pml_mpi_init: the JVM has no argc/argv to hand over. */
%typemap(in, numinputs=0) int *argc { $1 = NULL; }
%typemap(in, numinputs=0) char ***argv { $1 = NULL; }

/* -- arrays read or written during the call: Java arrays ----------------------------------- */

/* A model buffer (pml_model_load_buffer copies it): a byte[]; null -> (NULL, 0). */
%typemap(jni) (const void *buf, int64_t len) "jbyteArray"
%typemap(jtype) (const void *buf, int64_t len) "byte[]"
%typemap(jstype) (const void *buf, int64_t len) "byte[]"
%typemap(javain) (const void *buf, int64_t len) "$javainput"
%typemap(in) (const void *buf, int64_t len) {
  $1 = NULL;
  $2 = 0;
  if ($input) {
    $1 = (*jenv)->GetByteArrayElements(jenv, $input, NULL);
    if (!$1) return $null; /* OutOfMemoryError is pending */
    $2 = (int64_t)(*jenv)->GetArrayLength(jenv, $input);
  }
}
%typemap(freearg) (const void *buf, int64_t len) {
  if ($1) (*jenv)->ReleaseByteArrayElements(jenv, $input, (jbyte *)$1, JNI_ABORT);
}

/* An output array pml fills (predictions, classes, labels, importances): a double[] whose
 * length is out_len; null -> (NULL, 0). */
%typemap(jni) (double *out, int64_t out_len) "jdoubleArray"
%typemap(jtype) (double *out, int64_t out_len) "double[]"
%typemap(jstype) (double *out, int64_t out_len) "double[]"
%typemap(javain) (double *out, int64_t out_len) "$javainput"
%typemap(in) (double *out, int64_t out_len) {
  $1 = NULL;
  $2 = 0;
  if ($input) {
    $1 = (*jenv)->GetDoubleArrayElements(jenv, $input, NULL);
    if (!$1) return $null;
    $2 = (int64_t)(*jenv)->GetArrayLength(jenv, $input);
  }
}
%typemap(argout) (double *out, int64_t out_len) ""
%typemap(freearg) (double *out, int64_t out_len) {
  if ($1) (*jenv)->ReleaseDoubleArrayElements(jenv, $input, $1, 0);
}

/* Category names (pml_dataset_set_category_names, which copies them): a String[]; null ->
 * (NULL, 0). Each name crosses as real UTF-8 (String.getBytes), not the "modified UTF-8" of
 * GetStringUTFChars, which encodes characters outside the BMP differently, so a name reaches pml
 * and the model as the same bytes from Java as from C or Python. A null element stays NULL, for
 * pml to refuse with its own message; a name holding U+0000 is refused here, as C would cut it. */
%{
static void pml_java_free_names(char **names, jsize n) {
  if (!names) return;
  for (jsize i = 0; i < n; ++i) free(names[i]);
  free(names);
}

/* The UTF-8 bytes of s, NUL-terminated, in malloc'd memory; NULL with an exception pending on
 * failure. get_bytes is String.getBytes(String), charset the jstring "UTF-8". */
static char *pml_java_utf8(JNIEnv *jenv, jstring s, jmethodID get_bytes, jstring charset,
                           jsize index) {
  jbyteArray bytes = (jbyteArray)(*jenv)->CallObjectMethod(jenv, s, get_bytes, charset);
  if (!bytes || (*jenv)->ExceptionCheck(jenv)) return NULL;
  jsize n = (*jenv)->GetArrayLength(jenv, bytes);
  char *text = (char *)malloc((size_t)n + 1);
  if (!text) {
    (*jenv)->DeleteLocalRef(jenv, bytes);
    pml_java_throw(jenv, PML_ERR_OUT_OF_MEMORY, "names: out of native memory");
    return NULL;
  }
  (*jenv)->GetByteArrayRegion(jenv, bytes, 0, n, (jbyte *)text);
  (*jenv)->DeleteLocalRef(jenv, bytes);
  text[n] = '\0';
  if (memchr(text, '\0', (size_t)n)) {
    char message[120];
    snprintf(message, sizeof message, "names[%ld] must not contain the character U+0000",
             (long)index);
    free(text);
    pml_java_throw(jenv, PML_ERR_INVALID_ARGUMENT, message);
    return NULL;
  }
  return text;
}

/* Copies the strings of array into *out (*n of them, NULL for a null element); returns 0 with
 * an exception pending, and nothing allocated, on failure. Deletes each local reference as it
 * goes: an array may hold 65,535 names, far more than a native frame's local references. */
static int pml_java_names(JNIEnv *jenv, jobjectArray array, char ***out, jsize *n) {
  *out = NULL;
  *n = 0;
  jsize count = (*jenv)->GetArrayLength(jenv, array);
  char **names = (char **)calloc(count > 0 ? (size_t)count : 1, sizeof *names);
  if (!names) {
    pml_java_throw(jenv, PML_ERR_OUT_OF_MEMORY, "names: out of native memory");
    return 0;
  }
  jclass string_class = (*jenv)->FindClass(jenv, "java/lang/String");
  jmethodID get_bytes =
      string_class ? (*jenv)->GetMethodID(jenv, string_class, "getBytes", "(Ljava/lang/String;)[B")
                   : NULL;
  jstring charset = get_bytes ? (*jenv)->NewStringUTF(jenv, "UTF-8") : NULL;
  int ok = charset != NULL;
  for (jsize i = 0; ok && i < count; ++i) {
    jstring s = (jstring)(*jenv)->GetObjectArrayElement(jenv, array, i);
    if ((*jenv)->ExceptionCheck(jenv)) {
      ok = 0;
    } else if (s) {
      names[i] = pml_java_utf8(jenv, s, get_bytes, charset, i);
      ok = names[i] != NULL;
      (*jenv)->DeleteLocalRef(jenv, s);
    }
  }
  if (charset) (*jenv)->DeleteLocalRef(jenv, charset);
  if (string_class) (*jenv)->DeleteLocalRef(jenv, string_class);
  if (!ok) {
    pml_java_free_names(names, count);
    return 0;
  }
  *out = names;
  *n = count;
  return 1;
}
%}
%typemap(jni) (const char *const *names, int64_t n_names) "jobjectArray"
%typemap(jtype) (const char *const *names, int64_t n_names) "String[]"
%typemap(jstype) (const char *const *names, int64_t n_names) "String[]"
%typemap(javain) (const char *const *names, int64_t n_names) "$javainput"
%typemap(in) (const char *const *names, int64_t n_names) (char **copies = NULL, jsize count = 0) {
  if ($input && !pml_java_names(jenv, $input, &copies, &count)) return $null;
  $1 = ($1_ltype)copies; /* SWIG declares the argument without its const */
  $2 = (int64_t)count;
}
%typemap(freearg) (const char *const *names, int64_t n_names) {
  pml_java_free_names(copies$argnum, count$argnum);
}

/* -- arrays a dataset views: direct java.nio buffers, zero copy ---------------------------- */

%typemap(jni) const void *values, const double *labels, const double *weights,
              const int64_t *indptr, const int32_t *indices "jobject"
%typemap(jtype) const void *values, const double *labels, const double *weights,
                const int64_t *indptr, const int32_t *indices "java.nio.Buffer"
%typemap(jstype) const void *values, const double *labels, const double *weights,
                 const int64_t *indptr, const int32_t *indices "java.nio.Buffer"
%typemap(javain) const void *values, const double *labels, const double *weights,
                 const int64_t *indptr, const int32_t *indices "$javainput"
/* nbytes: the buffer's size, checked against what pml will read (-1 for null). */
%typemap(in) const void *values (jlong nbytes = -1), const double *labels (jlong nbytes = -1),
             const double *weights (jlong nbytes = -1), const int64_t *indptr (jlong nbytes = -1),
             const int32_t *indices (jlong nbytes = -1) {
  $1 = NULL;
  if ($input) {
    nbytes = pml_java_buffer_bytes(jenv, $input);
    if (nbytes < 0) {
      pml_java_throw(jenv, PML_ERR_INVALID_ARGUMENT,
                     "$1_name must be a direct java.nio buffer (allocateDirect), which does not move");
      return $null;
    }
    $1 = ($1_ltype)(*jenv)->GetDirectBufferAddress(jenv, $input);
  }
}

/* pml reads as many elements as the shape says: a smaller buffer is refused before it could
 * read past its end. */
%exception pml_dataset_from_dense {
  if (arg4 > 0 && arg5 > 0 && arg4 <= INT64_MAX / arg5 &&
      !pml_java_check_bytes(jenv, "values", nbytes1, arg4 * arg5, pml_java_dtype_size(arg2)))
    return $null;
  if (arg4 > 0 && !pml_java_check_bytes(jenv, "labels", nbytes6, arg4, 8)) return $null;
  $action
}
%exception pml_dataset_from_csr {
  if (arg5 > 0) {
    if (!arg1) {
      pml_java_throw(jenv, PML_ERR_INVALID_ARGUMENT, "indptr must not be null");
      return $null;
    }
    if (!pml_java_check_bytes(jenv, "indptr", nbytes1, arg5 + 1, 8)) return $null;
    if (!pml_java_check_bytes(jenv, "indices", nbytes2, arg1[arg5], 4)) return $null;
    if (!pml_java_check_bytes(jenv, "values", nbytes3, arg1[arg5], pml_java_dtype_size(arg4)))
      return $null;
    if (!pml_java_check_bytes(jenv, "labels", nbytes7, arg5, 8)) return $null;
  }
  $action
}
%exception pml_dataset_set_weights {
  if (arg2) {
    int64_t rows = 0;
    if (pml_dataset_shape(arg1, &rows, NULL) != PML_OK) {
      pml_java_throw(jenv, PML_ERR_INVALID_ARGUMENT, pml_last_error());
      return $null;
    }
    if (!pml_java_check_bytes(jenv, "weights", nbytes2, rows, 8)) return $null;
  }
  $action
}

/* -- native memory for copies of Java arrays ------------------------------------------------ */

/* org.pml copies a double[]/float[] a dataset should view into memory from pml_java_alloc, a
 * direct ByteBuffer over malloc'd bytes, and frees it with pml_java_free right after the dataset:
 * deterministic, unlike allocateDirect's memory, which waits for the garbage collector. The Java
 * declarations are in the JNI class (jniclasscode above). */
%{
SWIGEXPORT jobject JNICALL Java_org_pml_internal_PmlNativeJNI_pml_1java_1alloc(JNIEnv *jenv,
                                                                               jclass jcls,
                                                                               jlong nbytes) {
  (void)jcls;
  if (nbytes <= 0 || (uint64_t)nbytes > (uint64_t)SIZE_MAX) {
    pml_java_throw(jenv, PML_ERR_INVALID_ARGUMENT, "pml_java_alloc: size must be > 0");
    return NULL;
  }
  void *p = malloc((size_t)nbytes);
  if (!p) {
    pml_java_throw(jenv, PML_ERR_OUT_OF_MEMORY, "pml_java_alloc: out of native memory");
    return NULL;
  }
  jobject buffer = (*jenv)->NewDirectByteBuffer(jenv, p, nbytes);
  if (!buffer) free(p);
  return buffer;
}

SWIGEXPORT void JNICALL Java_org_pml_internal_PmlNativeJNI_pml_1java_1free(JNIEnv *jenv,
                                                                           jclass jcls,
                                                                           jobject buffer) {
  (void)jcls;
  if (buffer) free((*jenv)->GetDirectBufferAddress(jenv, buffer));
}
%}

/* -- not wrapped ------------------------------------------------------------------------------ */

%ignore pml_params_set_progress;
/* pml_status has no Java class: a returned status is void or PmlException (its Status enum), and
 * the typemaps above make the type "void" in Java, which a generated enum class cannot be. */
%ignore pml_status;
%ignore pml_set_log_handler;
%ignore pml_free;
