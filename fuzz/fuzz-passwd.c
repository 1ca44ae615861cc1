/*
 * libFuzzer harness: the sandbox's /etc/passwd and /etc/group as the
 * agent parses them (lib/passwd.c) for every EXEC and filesystem channel.
 * The sandbox's root writes these files: hostile input by design. Input:
 * passwd text, a NUL byte, group text. Every parsed entry is looked up
 * again by name and id and its groups are computed.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msb/error.h"
#include "msb/passwd.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_pwdb db;
	const struct msb_pw *pw;
	char *text, *group;
	gid_t *gids;
	size_t i, n;

	if ((text = malloc(size + 2)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	text[size + 1] = '\0';
	group = text + strlen(text) + 1;
	if (msb_pwdb_parse(&db, text, group, &err) == 0) {
		for (i = 0; i < db.npw; i++) {
			pw = msb_pwdb_by_name(&db, db.pw[i].name);
			FUZZ_CHECK(pw != NULL);
			FUZZ_CHECK(strchr(db.pw[i].name, ':') == NULL &&
			    strchr(db.pw[i].name, '\n') == NULL);
			(void)msb_pwdb_by_uid(&db, db.pw[i].uid);
			if (msb_pwdb_groups(&db, &db.pw[i], &gids, &n,
			    &err) == 0) {
				FUZZ_CHECK(n >= 1 && gids[0] == db.pw[i].gid);
				free(gids);
			}
			msb_error_clear(&err);
		}
		for (i = 0; i < db.ngr; i++) {
			(void)msb_pwdb_gr_by_gid(&db, db.gr[i].gid);
			FUZZ_CHECK(msb_pwdb_gr_by_name(&db, db.gr[i].name) !=
			    NULL);
		}
		msb_pwdb_free(&db);
	}
	msb_error_clear(&err);
	free(text);
	return 0;
}
