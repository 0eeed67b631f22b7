/* Shared pieces of pml's fuzz targets: the libFuzzer entry point every target defines, a memory
 * file for the readers (they take a path), and the limits that keep one input cheap. */
#ifndef PML_FUZZ_SUPPORT_H
#define PML_FUZZ_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "pml/pml.h"

/* Defined by each target; called by libFuzzer, or by standalone_main.c for a list of files. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Writes data to an anonymous in-memory file and puts its /proc/self/fd path in path. Returns the
 * descriptor to close afterwards, or -1. */
int fuzz_memory_file(const uint8_t *data, size_t size, const char *suffix, char *path,
                     size_t path_size);

/* Reads every accessor of a dataset a user would call after loading it, bounded so that a wide
 * or long dataset does not make one input slow. */
void fuzz_touch_dataset(const pml_dataset *d);

/* The zlib/PNG CRC-32 the model format ends with, so a target can repair a mutated model's
 * checksum and reach the payload parsers behind it. */
uint32_t fuzz_crc32(const uint8_t *data, size_t size);

#endif
