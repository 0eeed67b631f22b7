/* pml.i - the one SWIG interface of pml, shared by every language binding.
 *
 * It wraps include/pml/pml.h as it stands: the same functions under the same names, so a binding
 * never drifts from the C ABI and a function added to pml.h is wrapped by the next build. What
 * differs between languages - how an array crosses, how a failed status becomes an exception, how
 * an output handle is returned, which calls release the interpreter lock - lives in the
 * language's own typemap file, included below. Each language writes its idiomatic layer (classes
 * that own handles, estimators) on top of the generated module, in the language itself.
 *
 * Shared rules every language file follows:
 *   - a status other than PML_OK becomes the language's error, carrying pml_last_error();
 *   - output handles (pml_params **, pml_dataset **, pml_model **) become return values;
 *   - arrays are passed without copying where the runtime allows, and a dataset's arrays are
 *     kept alive by the language layer for as long as the dataset exists (pml.h, Ownership).
 */
#if defined(SWIGPYTHON)
/* pml.capi (capi.py + _capi.so) inside the pure-Python package pml. threads="1" lets chosen
 * functions release the GIL (see python/pml_python.i). */
%module(package="pml", threads="1") capi
#elif defined(SWIGR)
/* The R package pml: R/swig_pml.R + src/pml_wrap.c, whose shared object must be pml.so. */
%module pml
#elif defined(SWIGJAVA)
/* org.pml.internal.PmlNative (+ PmlNativeJNI and the enums), under the hand-written org.pml;
 * the package is given on SWIG's command line (-package). */
%module PmlNative
#else
%module pml
#endif

%{
#include "pml/pml.h"
%}

/* int64_t and friends as the target language's integers. */
%include "stdint.i"

/* The export macro means nothing to the wrappers. */
#define PML_API

/* Handles are opaque; the wrappers only ever see pointers to them. */
typedef struct pml_params pml_params;
typedef struct pml_dataset pml_dataset;
typedef struct pml_model pml_model;

#if defined(SWIGPYTHON)
%include "python/pml_python.i"
#elif defined(SWIGR)
%include "r/pml_r.i"
#elif defined(SWIGJAVA)
%include "java/pml_java.i"
#endif

%include "pml/pml.h"
