/*
 * OpenSSH public keys as they appear in authorized_keys and *.pub files:
 * parsing, full validation, fingerprints, canonical formatting.
 * Upper-layer convention: 0 / -1 with struct msb_error (see error.h).
 *
 * Accepted key types: ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521,
 * sk-ssh-ed25519@openssh.com, sk-ecdsa-sha2-nistp256@openssh.com and the
 * -cert-v01@openssh.com form of each. The base64 must decode, the blob's
 * embedded type must equal the line's type and the blob must have the exact
 * structure of its type (sizes, point encoding, RSA modulus size, complete
 * certificate with a valid signature key) with nothing left over.
 * authorized_keys options are checked with the rules sshd applies
 * (auth-options.c): known names, quoted values, no duplicates.
 */
#ifndef MSB_KEYS_H
#define MSB_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "msb/error.h"

/* Longest line accepted (a 16384-bit RSA certificate with options fits). */
#define MSB_PUBKEY_LINE_MAX 32768
/* Largest decoded key blob (OpenSSH's SSH_MAX_PUBKEY_BYTES). */
#define MSB_PUBKEY_BLOB_MAX 16384

struct msb_pubkey {
	char *options;       /* options prefix as written, or NULL */
	char *type;          /* "ssh-ed25519", ... */
	uint8_t *blob;       /* decoded key blob */
	size_t bloblen;
	char *comment;       /* trailing comment (trimmed), or NULL */
};

#define MSB_PUBKEY_INIT { NULL, NULL, NULL, 0, NULL }

/*
 * Parse one line of len bytes (no newline needed; a trailing "\r\n" or "\n"
 * is ignored). Returns 1 and fills *k for a key, 0 for a blank or '#'
 * comment line (*k left empty), -1 with err naming the problem.
 */
int msb_pubkey_parse_line(const char *line, size_t len, struct msb_pubkey *k,
    struct msb_error *err);
void msb_pubkey_free(struct msb_pubkey *k);

/*
 * Parse every line of text; blank and comment lines are skipped. On any bad
 * line returns -1 with "line N: problem" and nothing allocated. A text
 * without any key is an error too (ENOENT "no public key found").
 */
int msb_pubkeys_parse_text(const char *text, size_t len,
    struct msb_pubkey **keys, size_t *nkeys, struct msb_error *err);
void msb_pubkeys_free(struct msb_pubkey *keys, size_t n);

/* 1 if a and b are the same key material (type and blob), else 0. */
int msb_pubkey_equal(const struct msb_pubkey *a, const struct msb_pubkey *b);
/* "SHA256:<base64 without padding>" as printed by ssh-keygen -l; NULL on ENOMEM. */
char *msb_pubkey_fingerprint(const struct msb_pubkey *k);
/* Canonical line "[options ]type base64[ comment]" (no newline); NULL on ENOMEM. */
char *msb_pubkey_format(const struct msb_pubkey *k);

/* Structural check of a decoded blob whose line claims type. */
int msb_pubkey_check_blob(const char *type, const uint8_t *blob, size_t len,
    struct msb_error *err);
/* 1 if name is a supported key type (plain or certificate). */
int msb_pubkey_type_known(const char *name);
/* Check an authorized_keys options string (the part before the key type). */
int msb_keyopts_validate(const char *opts, struct msb_error *err);
/*
 * In a valid options string: 1 and *value (heap, dequoted; NULL for a flag)
 * if option name (case-insensitive) is present, 0 if not, -1 on ENOMEM.
 */
int msb_keyopts_get(const char *opts, const char *name, char **value);

/* 1 if k is a certificate (a -cert-v01@openssh.com type). */
int msb_pubkey_is_cert(const struct msb_pubkey *k);
/*
 * For a certificate: its signing CA key (*ca, type and blob) and the value
 * of its force-command critical option (*force_command, heap, or NULL).
 */
int msb_pubkey_cert_info(const struct msb_pubkey *k, struct msb_pubkey *ca,
    char **force_command, struct msb_error *err);

#endif
