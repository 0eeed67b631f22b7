/* Shared pieces of pml's fuzz targets: the libFuzzer entry point every target defines, a memory
 * file for the readers (they take a path), and the limits that keep one input cheap. */
#ifndef PML_FUZZ_SUPPORT_H
#define PML_FUZZ_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "pml/pml.h"

/* Defined by each target; called by libFuzzer, or by standalone_main.c for a list of files. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The reader targets' one step: data as a file, loaded with options (then freed), and a dataset
 * that loads read back with fuzz_touch_dataset. */
void fuzz_load_file(const uint8_t *data, size_t size, pml_params *options);

/* The zlib/PNG CRC-32 the model format ends with, so a target can repair a mutated model's
 * checksum and reach the payload parsers behind it. */
uint32_t fuzz_crc32(const uint8_t *data, size_t size);

#endif
