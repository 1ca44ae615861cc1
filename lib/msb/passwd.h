/*
 * Parser for passwd(5) and group(5) files, used inside the sandbox (the
 * agent reads the sandbox's own /etc files; no NSS, so it works in a static
 * binary and in foreign root filesystems).
 * Upper-layer convention: 0 / -1 with struct msb_error.
 */
#ifndef MSB_PASSWD_H
#define MSB_PASSWD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "msb/error.h"

struct msb_pw {
	char *name;
	uint32_t uid, gid;
	char *gecos;
	char *home;
	char *shell;
};

struct msb_gr {
	char *name;
	uint32_t gid;
	char **members;       /* NULL-terminated */
};

struct msb_pwdb {
	struct msb_pw *pw;
	size_t npw;
	struct msb_gr *gr;
	size_t ngr;
};

/* Load both files (a missing group file is an empty table). */
int msb_pwdb_load(struct msb_pwdb *db, const char *passwd_path,
    const char *group_path, struct msb_error *err);
/* Load a passwd file already open on passwd_fd (closed here; name for
 * messages); no groups. */
int msb_pwdb_load_fd(struct msb_pwdb *db, int passwd_fd, const char *name,
    struct msb_error *err);
/* Parse from memory (for tests and for generated files). */
int msb_pwdb_parse(struct msb_pwdb *db, const char *passwd_text,
    const char *group_text, struct msb_error *err);
void msb_pwdb_free(struct msb_pwdb *db);

const struct msb_pw *msb_pwdb_by_name(const struct msb_pwdb *db,
    const char *name);
const struct msb_pw *msb_pwdb_by_uid(const struct msb_pwdb *db, uint32_t uid);
const struct msb_gr *msb_pwdb_gr_by_gid(const struct msb_pwdb *db,
    uint32_t gid);
const struct msb_gr *msb_pwdb_gr_by_name(const struct msb_pwdb *db,
    const char *name);
/*
 * Supplementary groups of user (primary gid first, then every group listing
 * the name as a member). *out is heap; caller frees.
 */
int msb_pwdb_groups(const struct msb_pwdb *db, const struct msb_pw *pw,
    gid_t **out, size_t *n, struct msb_error *err);

/*
 * Switch the calling process to pw (from db): setgroups (supplementary
 * groups from db), setgid, setuid, and verify that the switch happened.
 * Used in the agent's forked children (exec sessions, filesystem workers).
 */
int msb_become_user(const struct msb_pwdb *db, const struct msb_pw *pw,
    struct msb_error *err);

#endif
