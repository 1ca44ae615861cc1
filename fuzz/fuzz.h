/* Shared by the fuzz harnesses (fuzz/README). */
#ifndef MSB_FUZZ_H
#define MSB_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* A property that must hold: abort (a finding) if it does not. */
#define FUZZ_CHECK(x) do {                                              \
	if (!(x)) {                                                     \
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,   \
		    __LINE__, #x);                                      \
		abort();                                                \
	}                                                               \
} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
