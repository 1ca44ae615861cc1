/*
 * Corpus replay for `make check`: feeds every file of
 * $MSB_SRCDIR/fuzz/corpus/FUZZ_NAME to one fuzz harness, built with the
 * ordinary compiler (and with ASan/UBSan under --enable-asan), so that
 * every input a fuzzer ever kept, including those that once crashed,
 * stays a regression test.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static int
replay(const char *path)
{
	unsigned char *data = NULL, *tmp;
	size_t len = 0, cap = 0, n;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			if ((tmp = realloc(data, cap)) == NULL)
				abort();
			data = tmp;
		}
		if ((n = fread(data + len, 1, cap - len, f)) == 0)
			break;
		len += n;
	}
	fclose(f);
	/* An exact-size copy, so that ASan sees reads past the input. */
	if ((tmp = malloc(len ? len : 1)) == NULL)
		abort();
	memcpy(tmp, data, len);
	free(data);
	LLVMFuzzerTestOneInput(tmp, len);
	free(tmp);
	return 0;
}

int
main(void)
{
	const char *src = getenv("MSB_SRCDIR");
	char dir[4096], path[8192];
	struct dirent *de;
	DIR *d;
	int n = 0;

	if (src == NULL) {
		fprintf(stderr, "MSB_SRCDIR is not set (run through make "
		    "check)\n");
		return 1;
	}
	snprintf(dir, sizeof(dir), "%s/fuzz/corpus/%s", src, FUZZ_NAME);
	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (replay(path) != 0) {
			closedir(d);
			return 1;
		}
		n++;
	}
	closedir(d);
	printf("%s: replayed %d inputs\n", FUZZ_NAME, n);
	return n > 0 ? 0 : 1;
}
