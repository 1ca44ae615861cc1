/*
 * The authorized_keys file of $MSB_HOME/ssh: load, dedupe, add, remove,
 * replace atomically. Upper-layer convention: 0 / -1 with struct msb_error.
 *
 * msb_authkeys_open() creates the directory (0700) if needed, takes an
 * exclusive lock on it (flock; concurrent `msb ssh authorize` runs queue)
 * and loads the file. Lines are kept verbatim, including comments and lines
 * that do not parse, so a rewrite never loses anything the user had.
 * msb_authkeys_commit() writes a 0600 temporary file in the same directory,
 * fsyncs it and renames it over the file (readers such as sshd see the old
 * or the new file, never a partial one, and the file is never group or
 * world readable, not even briefly).
 */
#ifndef MSB_AUTHKEYS_H
#define MSB_AUTHKEYS_H

#include <stddef.h>

#include "msb/error.h"
#include "msb/keys.h"

/* Refuse to load files larger than this (protects against mistakes). */
#define MSB_AUTHKEYS_FILE_MAX (16u * 1024u * 1024u)

enum msb_authkeys_kind {
	MSB_AK_BAD = -1,        /* does not parse; kept verbatim */
	MSB_AK_OTHER = 0,       /* blank or comment */
	MSB_AK_KEY = 1,
};

struct msb_authkeys_entry {
	char *line;              /* without newline */
	enum msb_authkeys_kind kind;
	struct msb_pubkey key;   /* MSB_AK_KEY */
	char *error;             /* MSB_AK_BAD: why it does not parse */
};

struct msb_authkeys {
	char *dir;
	char *path;
	struct msb_authkeys_entry *v;
	size_t n;
	int lock_fd;
	int dirty;
};

/* dir: e.g. $MSB_HOME/ssh; the file is dir/authorized_keys. */
int msb_authkeys_open(const char *dir, struct msb_authkeys *ak,
    struct msb_error *err);
/*
 * Load a file read-only: no directory creation, no lock (for snapshots such
 * as the per-connection copy msb-proxy gives sshd). A missing file is ENOENT.
 */
int msb_authkeys_read(const char *path, struct msb_authkeys *ak,
    struct msb_error *err);
/*
 * The per-connection copy msb-proxy gives sshd: line for line the same as
 * text, but every key line gets the option environment="MSB_KEY_LINE=N"
 * (N = its line number) in front of its own options, so that sshd (with
 * "PermitUserEnvironment MSB_KEY_LINE") tells msb-shell exactly which line
 * authenticated the session. Lines that do not parse are replaced by a
 * comment (counted in *nbad): what msb cannot check never lets anyone in.
 */
#define MSB_KEY_LINE_VAR "MSB_KEY_LINE"
int msb_authkeys_snapshot(const char *text, size_t len, char **out,
    size_t *nbad, struct msb_error *err);
/* Release the lock and free everything (uncommitted changes are dropped). */
void msb_authkeys_close(struct msb_authkeys *ak);
/* Index of the entry holding the same key material, or -1. */
long msb_authkeys_find(const struct msb_authkeys *ak,
    const struct msb_pubkey *k);
/* Append k in canonical form. */
int msb_authkeys_append(struct msb_authkeys *ak, const struct msb_pubkey *k,
    struct msb_error *err);
/*
 * Make k the only entry for its key material: append it if the material is
 * new; if the options or comment differ, replace the first entry holding it
 * (same position) and drop later ones (sshd would try those too, so a
 * leftover unrestricted line would defeat new restrictions). Returns one of
 * MSB_AK_PUT_* or -1 with err.
 */
enum {
	MSB_AK_PUT_SAME = 0,     /* already there, identical: nothing changed */
	MSB_AK_PUT_ADDED = 1,
	MSB_AK_PUT_UPDATED = 2,
};
int msb_authkeys_put(struct msb_authkeys *ak, const struct msb_pubkey *k,
    struct msb_error *err);
/* Remove entry i. */
void msb_authkeys_remove(struct msb_authkeys *ak, size_t i);
/* Write the file atomically if anything changed. */
int msb_authkeys_commit(struct msb_authkeys *ak, struct msb_error *err);

/* Create dir with mode 0700 if missing; tighten an existing one to 0700. */
int msb_private_dir_ensure(const char *dir, struct msb_error *err);
/*
 * Replace path atomically with len bytes of data: temporary file (mode
 * `mode`) in the same directory, fsync, rename, fsync of the directory.
 */
int msb_file_replace(const char *path, const void *data, size_t len,
    unsigned int mode, struct msb_error *err);

#endif
