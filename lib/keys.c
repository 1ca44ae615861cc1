/*
 * OpenSSH public key lines: parse, validate, fingerprint, format
 * (see msb/keys.h). The blob layouts follow PROTOCOL.key, PROTOCOL.certkeys
 * and PROTOCOL.u2f of OpenSSH; every blob byte is read through msb_buf.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msb/base64.h"
#include "msb/buf.h"
#include "msb/keys.h"
#include "msb/sha256.h"

#define CERT_SUFFIX "-cert-v01@openssh.com"
#define SSH_RSA_MIN_BITS 1024
#define SSH_RSA_MAX_BITS 16384
#define SSH_CERT_TYPE_USER 1
#define B64_CHARS \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="

struct keytype;
typedef int (*pub_check_fn)(struct msb_buf *b, const struct keytype *kt,
    struct msb_error *err);

struct keytype {
	const char *name;          /* plain key type */
	const char *cert_name;     /* certificate type */
	pub_check_fn check;        /* public fields after the type string */
	const char *curve;         /* ECDSA curve identifier */
	size_t point_len;          /* ECDSA uncompressed point length */
	int sk;                    /* FIDO key: application string follows */
};

static int check_ed25519(struct msb_buf *, const struct keytype *,
    struct msb_error *);
static int check_rsa(struct msb_buf *, const struct keytype *,
    struct msb_error *);
static int check_ecdsa(struct msb_buf *, const struct keytype *,
    struct msb_error *);

static const struct keytype keytypes[] = {
	{ "ssh-ed25519", "ssh-ed25519" CERT_SUFFIX, check_ed25519, NULL, 0, 0 },
	{ "ssh-rsa", "ssh-rsa" CERT_SUFFIX, check_rsa, NULL, 0, 0 },
	{ "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256" CERT_SUFFIX, check_ecdsa,
	  "nistp256", 65, 0 },
	{ "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp384" CERT_SUFFIX, check_ecdsa,
	  "nistp384", 97, 0 },
	{ "ecdsa-sha2-nistp521", "ecdsa-sha2-nistp521" CERT_SUFFIX, check_ecdsa,
	  "nistp521", 133, 0 },
	{ "sk-ssh-ed25519@openssh.com", "sk-ssh-ed25519" CERT_SUFFIX,
	  check_ed25519, NULL, 0, 1 },
	{ "sk-ecdsa-sha2-nistp256@openssh.com", "sk-ecdsa-sha2-nistp256" CERT_SUFFIX,
	  check_ecdsa, "nistp256", 65, 1 },
	{ NULL, NULL, NULL, NULL, 0, 0 },
};

/* Types people paste that we refuse with a specific reason. */
static const struct {
	const char *name;
	const char *why;
} refused_types[] = {
	{ "ssh-dss", "DSA keys are not supported (OpenSSH disabled them)" },
	{ "ssh-dss-cert-v01@openssh.com",
	  "DSA keys are not supported (OpenSSH disabled them)" },
	{ "rsa-sha2-256", "rsa-sha2-256 is a signature algorithm; the key type is ssh-rsa" },
	{ "rsa-sha2-512", "rsa-sha2-512 is a signature algorithm; the key type is ssh-rsa" },
	{ NULL, NULL },
};

static const struct keytype *
keytype_find(const char *name, int *is_cert)
{
	const struct keytype *kt;

	for (kt = keytypes; kt->name != NULL; kt++) {
		if (strcmp(kt->name, name) == 0) {
			*is_cert = 0;
			return kt;
		}
		if (strcmp(kt->cert_name, name) == 0) {
			*is_cert = 1;
			return kt;
		}
	}
	return NULL;
}

int
msb_pubkey_type_known(const char *name)
{
	int cert;

	return keytype_find(name, &cert) != NULL;
}

static int
truncated(const struct keytype *kt, const char *what, struct msb_error *err)
{
	return msb_error_set(err, EINVAL, "%s key data is truncated (%s)",
	    kt->name, what);
}

static int
get_str(struct msb_buf *b, const uint8_t **p, size_t *n)
{
	return msb_buf_get_string_direct(b, p, n) == 0 ? 0 : -1;
}

static int
check_sk_application(struct msb_buf *b, const struct keytype *kt,
    struct msb_error *err)
{
	const uint8_t *app;
	size_t n;

	if (!kt->sk)
		return 0;
	if (get_str(b, &app, &n) != 0)
		return truncated(kt, "application", err);
	if (n == 0 || memchr(app, '\0', n) != NULL)
		return msb_error_set(err, EINVAL,
		    "%s key has an invalid application string", kt->name);
	return 0;
}

static int
check_ed25519(struct msb_buf *b, const struct keytype *kt,
    struct msb_error *err)
{
	const uint8_t *pk;
	size_t n;

	if (get_str(b, &pk, &n) != 0)
		return truncated(kt, "public key", err);
	if (n != 32)
		return msb_error_set(err, EINVAL,
		    "%s public key must be 32 bytes, not %zu", kt->name, n);
	return check_sk_application(b, kt, err);
}

/* Bits of a positive canonical mpint; -1 if negative or non-canonical. */
static long
mpint_bits(const uint8_t *p, size_t n)
{
	unsigned int top;
	long bits;

	if (n == 0 || (p[0] & 0x80))
		return -1;
	if (p[0] == 0) {
		/* A leading zero is only allowed before a byte with the top bit set. */
		if (n == 1 || !(p[1] & 0x80))
			return -1;
		p++;
		n--;
	}
	bits = (long)(n - 1) * 8;
	for (top = p[0]; top != 0; top >>= 1)
		bits++;
	return bits;
}

static int
check_rsa(struct msb_buf *b, const struct keytype *kt, struct msb_error *err)
{
	const uint8_t *e, *nn;
	size_t elen, nlen;
	long ebits, nbits;

	if (get_str(b, &e, &elen) != 0)
		return truncated(kt, "exponent", err);
	if (get_str(b, &nn, &nlen) != 0)
		return truncated(kt, "modulus", err);
	ebits = mpint_bits(e, elen);
	nbits = mpint_bits(nn, nlen);
	if (ebits < 2 || !(e[elen - 1] & 1))
		return msb_error_set(err, EINVAL,
		    "ssh-rsa key has an invalid public exponent");
	if (nbits < 0 || !(nn[nlen - 1] & 1))
		return msb_error_set(err, EINVAL,
		    "ssh-rsa key has an invalid modulus");
	if (nbits < SSH_RSA_MIN_BITS)
		return msb_error_set(err, EINVAL,
		    "ssh-rsa key is too small (%ld bits; at least %d required)",
		    nbits, SSH_RSA_MIN_BITS);
	if (nbits > SSH_RSA_MAX_BITS)
		return msb_error_set(err, EINVAL,
		    "ssh-rsa key is too large (%ld bits; at most %d)",
		    nbits, SSH_RSA_MAX_BITS);
	return 0;
}

static int
check_ecdsa(struct msb_buf *b, const struct keytype *kt, struct msb_error *err)
{
	const uint8_t *curve, *q;
	size_t clen, qlen;

	if (get_str(b, &curve, &clen) != 0)
		return truncated(kt, "curve", err);
	if (clen != strlen(kt->curve) || memcmp(curve, kt->curve, clen) != 0)
		return msb_error_set(err, EINVAL,
		    "%s key names the wrong curve (expected %s)", kt->name,
		    kt->curve);
	if (get_str(b, &q, &qlen) != 0)
		return truncated(kt, "public point", err);
	if (qlen != kt->point_len || q[0] != 0x04)
		return msb_error_set(err, EINVAL,
		    "%s public point must be an uncompressed point of %zu bytes",
		    kt->name, kt->point_len);
	return check_sk_application(b, kt, err);
}

/* A sequence of strings filling the whole of p (principals). */
static int
check_string_list(const uint8_t *p, size_t n, int pairs)
{
	struct msb_buf *b = msb_buf_from(p, n);
	const uint8_t *s;
	size_t sl;
	int r = 0;

	if (b == NULL)
		return -1;
	while (msb_buf_len(b) > 0) {
		if (get_str(b, &s, &sl) != 0 || (!pairs && memchr(s, 0, sl)) ||
		    (pairs && (memchr(s, 0, sl) || get_str(b, &s, &sl) != 0))) {
			r = -1;
			break;
		}
	}
	msb_buf_free(b);
	return r;
}

static int check_blob(const char *type, const uint8_t *blob, size_t len,
    int allow_cert, struct msb_error *err);

static int
check_cert_trailer(struct msb_buf *b, const struct keytype *kt,
    struct msb_error *err)
{
	const uint8_t *s, *sigkey;
	size_t sl, sigkeylen;
	uint64_t serial, after, before;
	uint32_t ctype;
	char *sigtype;

	if (msb_buf_get_u64(b, &serial) != 0 ||
	    msb_buf_get_u32(b, &ctype) != 0)
		return truncated(kt, "certificate serial/type", err);
	if (ctype != SSH_CERT_TYPE_USER)
		return msb_error_set(err, EINVAL,
		    "certificate is not a user certificate (type %u)", ctype);
	if (get_str(b, &s, &sl) != 0)
		return truncated(kt, "certificate key id", err);
	if (get_str(b, &s, &sl) != 0)
		return truncated(kt, "certificate principals", err);
	if (check_string_list(s, sl, 0) != 0)
		return msb_error_set(err, EINVAL,
		    "certificate has a malformed principals list");
	if (msb_buf_get_u64(b, &after) != 0 ||
	    msb_buf_get_u64(b, &before) != 0)
		return truncated(kt, "certificate validity", err);
	if (get_str(b, &s, &sl) != 0 || check_string_list(s, sl, 1) != 0)
		return msb_error_set(err, EINVAL,
		    "certificate has malformed critical options");
	if (get_str(b, &s, &sl) != 0 || check_string_list(s, sl, 1) != 0)
		return msb_error_set(err, EINVAL,
		    "certificate has malformed extensions");
	if (get_str(b, &s, &sl) != 0)
		return truncated(kt, "certificate reserved field", err);
	if (get_str(b, &sigkey, &sigkeylen) != 0)
		return truncated(kt, "certificate signature key", err);
	{
		struct msb_buf *sb = msb_buf_from(sigkey, sigkeylen);
		int r;

		if (sb == NULL)
			return msb_error_set(err, ENOMEM, "out of memory");
		r = msb_buf_get_cstring(sb, &sigtype, NULL);
		msb_buf_free(sb);
		if (r != 0)
			return msb_error_set(err, EINVAL,
			    "certificate signature key is malformed");
	}
	if (check_blob(sigtype, sigkey, sigkeylen, 0, err) != 0) {
		free(sigtype);
		return msb_error_wrap(err, "certificate signature key");
	}
	free(sigtype);
	if (get_str(b, &s, &sl) != 0 || sl == 0)
		return truncated(kt, "certificate signature", err);
	if (check_string_list(s, sl, 1) != 0)
		return msb_error_set(err, EINVAL,
		    "certificate signature is malformed");
	return 0;
}

static int
check_blob(const char *type, const uint8_t *blob, size_t len, int allow_cert,
    struct msb_error *err)
{
	const struct keytype *kt;
	struct msb_buf *b;
	char *embedded = NULL;
	const uint8_t *nonce;
	size_t nlen;
	int cert, r = -1;

	if ((kt = keytype_find(type, &cert)) == NULL)
		return msb_error_set(err, EINVAL, "unsupported key type '%.64s'",
		    type);
	if (cert && !allow_cert)
		return msb_error_set(err, EINVAL,
		    "a certificate cannot sign a certificate");
	if (len > MSB_PUBKEY_BLOB_MAX)
		return msb_error_set(err, EINVAL, "key data is too large");
	if ((b = msb_buf_from(blob, len)) == NULL)
		return msb_error_set(err, ENOMEM, "out of memory");
	if (msb_buf_get_cstring(b, &embedded, NULL) != 0) {
		msb_error_set(err, EINVAL, msb_buf_len(b) < 4 ||
		    msb_peek_u32(msb_buf_ptr(b)) > msb_buf_len(b) - 4 ?
		    "%s key data is truncated" :
		    "%s key data does not start with a key type", type);
		goto out;
	}
	if (strcmp(embedded, type) != 0) {
		msb_error_set(err, EINVAL,
		    "key type mismatch: the line says %.64s but the key data is %.64s",
		    type, embedded);
		goto out;
	}
	if (cert && get_str(b, &nonce, &nlen) != 0) {
		truncated(kt, "certificate nonce", err);
		goto out;
	}
	if (kt->check(b, kt, err) != 0)
		goto out;
	if (cert && check_cert_trailer(b, kt, err) != 0)
		goto out;
	if (msb_buf_len(b) != 0) {
		msb_error_set(err, EINVAL, "%s key data has %zu trailing bytes",
		    type, msb_buf_len(b));
		goto out;
	}
	r = 0;
out:
	free(embedded);
	msb_buf_free(b);
	return r;
}

int
msb_pubkey_check_blob(const char *type, const uint8_t *blob, size_t len,
    struct msb_error *err)
{
	return check_blob(type, blob, len, 1, err);
}

/* ---- authorized_keys options (rules of OpenSSH auth-options.c) ---- */

enum optkind { OPT_FLAG, OPT_NEGATABLE, OPT_VALUE };

typedef int (*optval_fn)(const char *v);

static int
valid_expiry(const char *v)
{
	size_t n = strspn(v, "0123456789");
	int mon, day;

	if ((n != 8 && n != 12 && n != 14) ||
	    (v[n] != '\0' && !((v[n] == 'Z' || v[n] == 'z') && v[n + 1] == '\0')))
		return 0;
	mon = (v[4] - '0') * 10 + (v[5] - '0');
	day = (v[6] - '0') * 10 + (v[7] - '0');
	if (mon < 1 || mon > 12 || day < 1 || day > 31)
		return 0;
	if (n >= 12 && ((v[8] - '0') * 10 + (v[9] - '0') > 23 ||
	    (v[10] - '0') * 10 + (v[11] - '0') > 59))
		return 0;
	if (n == 14 && (v[12] - '0') * 10 + (v[13] - '0') > 60)
		return 0;
	return 1;
}

static int
valid_env(const char *v)
{
	const char *eq = strchr(v, '=');
	const char *p;

	if (eq == NULL || eq == v || isdigit((unsigned char)*v))
		return 0;
	for (p = v; p < eq; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			return 0;
	return 1;
}

static int
valid_tunnel(const char *v)
{
	return strcasecmp(v, "any") == 0 ||
	    (*v != '\0' && strspn(v, "0123456789") == strlen(v));
}

static int
valid_nonempty(const char *v)
{
	return *v != '\0';
}

static int
valid_permit(const char *v)
{
	/* host:port, [v6]:port or (permitlisten) port; port may be '*' */
	const char *colon = strrchr(v, ':');
	const char *port = colon != NULL ? colon + 1 : v;

	if (*v == '\0')
		return 0;
	return strcmp(port, "*") == 0 ||
	    (*port != '\0' && strspn(port, "0123456789") == strlen(port));
}

static const struct {
	const char *name;
	enum optkind kind;
	optval_fn valid;       /* OPT_VALUE only */
	int once;              /* may appear only once */
} keyopts[] = {
	{ "restrict", OPT_FLAG, NULL, 0 },
	{ "cert-authority", OPT_FLAG, NULL, 0 },
	{ "port-forwarding", OPT_NEGATABLE, NULL, 0 },
	{ "agent-forwarding", OPT_NEGATABLE, NULL, 0 },
	{ "x11-forwarding", OPT_NEGATABLE, NULL, 0 },
	{ "touch-required", OPT_NEGATABLE, NULL, 0 },
	{ "verify-required", OPT_NEGATABLE, NULL, 0 },
	{ "pty", OPT_NEGATABLE, NULL, 0 },
	{ "user-rc", OPT_NEGATABLE, NULL, 0 },
	{ "command", OPT_VALUE, NULL, 1 },
	{ "principals", OPT_VALUE, NULL, 1 },
	{ "from", OPT_VALUE, valid_nonempty, 1 },
	{ "expiry-time", OPT_VALUE, valid_expiry, 0 },
	{ "environment", OPT_VALUE, valid_env, 0 },
	{ "permitopen", OPT_VALUE, valid_permit, 0 },
	{ "permitlisten", OPT_VALUE, valid_permit, 0 },
	{ "tunnel", OPT_VALUE, valid_tunnel, 0 },
};
#define NKEYOPTS (sizeof(keyopts) / sizeof(keyopts[0]))

static int
opt_end(char c)
{
	return c == '\0' || c == ',' || c == ' ' || c == '\t';
}

/*
 * Read a double-quoted value at *pp (OpenSSH opt_dequote: only \" is an
 * escape). Returns a heap string or NULL (errno EINVAL / ENOMEM).
 */
static char *
opt_dequote(const char **pp)
{
	const char *p = *pp;
	char *v, *o;

	if (*p != '"') {
		errno = EINVAL;
		return NULL;
	}
	p++;
	if ((v = malloc(strlen(p) + 1)) == NULL)
		return NULL;
	for (o = v; *p != '\0' && *p != '"'; p++) {
		if (p[0] == '\\' && p[1] == '"')
			p++;
		*o++ = *p;
	}
	if (*p != '"') {
		free(v);
		errno = EINVAL;
		return NULL;
	}
	*o = '\0';
	*pp = p + 1;
	return v;
}

int
msb_keyopts_validate(const char *opts, struct msb_error *err)
{
	unsigned int seen[NKEYOPTS] = { 0 };
	const char *p = opts;
	size_t i, nl;
	char *val;

	if (*p == '\0')
		return msb_error_set(err, EINVAL, "empty key options");
	for (;;) {
		for (i = 0; i < NKEYOPTS; i++) {
			nl = strlen(keyopts[i].name);
			if (keyopts[i].kind == OPT_VALUE) {
				if (strncasecmp(p, keyopts[i].name, nl) == 0 &&
				    p[nl] == '=')
					break;
				continue;
			}
			if (keyopts[i].kind == OPT_NEGATABLE &&
			    strncasecmp(p, "no-", 3) == 0 &&
			    strncasecmp(p + 3, keyopts[i].name, nl) == 0 &&
			    opt_end(p[3 + nl])) {
				nl += 3;
				break;
			}
			if (strncasecmp(p, keyopts[i].name, nl) == 0 &&
			    opt_end(p[nl]))
				break;
		}
		if (i == NKEYOPTS) {
			nl = strcspn(p, ",= \t");
			return msb_error_set(err, EINVAL,
			    "unknown key option '%.*s'", (int)(nl > 40 ? 40 : nl), p);
		}
		if (keyopts[i].once && seen[i]++)
			return msb_error_set(err, EINVAL,
			    "key option '%s' given more than once", keyopts[i].name);
		p += nl;
		if (keyopts[i].kind == OPT_VALUE) {
			p++;   /* '=' */
			if ((val = opt_dequote(&p)) == NULL)
				return errno == ENOMEM ?
				    msb_error_set(err, ENOMEM, "out of memory") :
				    msb_error_set(err, EINVAL,
				    "key option '%s' needs a value in double quotes",
				    keyopts[i].name);
			if (keyopts[i].valid != NULL && !keyopts[i].valid(val)) {
				free(val);
				return msb_error_set(err, EINVAL,
				    "key option '%s' has an invalid value",
				    keyopts[i].name);
			}
			free(val);
		}
		if (*p == '\0')
			return 0;
		if (*p != ',')
			return msb_error_set(err, EINVAL,
			    "key options: expected ',' after '%s'", keyopts[i].name);
		p++;
		if (*p == '\0')
			return msb_error_set(err, EINVAL,
			    "key options end with ','");
	}
}

/* Next option of a valid options string; 1, 0 at the end, -1 malformed. */
static int
opt_next(const char **pp, const char **name, size_t *nlen, char **value)
{
	const char *p = *pp;

	*value = NULL;
	if (*p == '\0')
		return 0;
	*name = p;
	*nlen = strcspn(p, ",=");
	p += *nlen;
	if (*p == '=') {
		p++;
		if ((*value = opt_dequote(&p)) == NULL)
			return -1;
	}
	if (*p == ',')
		p++;
	else if (*p != '\0') {
		free(*value);
		*value = NULL;
		return -1;
	}
	*pp = p;
	return 1;
}

int
msb_keyopts_get(const char *opts, const char *name, char **value)
{
	const char *p = opts, *n;
	size_t nl;
	char *v;
	int r;

	*value = NULL;
	while ((r = opt_next(&p, &n, &nl, &v)) == 1) {
		if (nl == strlen(name) && strncasecmp(n, name, nl) == 0) {
			*value = v;
			return 1;
		}
		free(v);
	}
	return r < 0 && errno == ENOMEM ? -1 : 0;
}

int
msb_pubkey_is_cert(const struct msb_pubkey *k)
{
	int cert;

	return keytype_find(k->type, &cert) != NULL && cert;
}

/* force-command in a certificate's critical options (string pairs). */
static int
cert_force_command(const uint8_t *p, size_t n, char **out)
{
	struct msb_buf *b = msb_buf_from(p, n), *d;
	const uint8_t *name, *data;
	size_t namelen, datalen;
	int r = 0;

	*out = NULL;
	if (b == NULL)
		return -1;
	while (r == 0 && msb_buf_len(b) > 0) {
		if (get_str(b, &name, &namelen) != 0 ||
		    get_str(b, &data, &datalen) != 0) {
			r = -1;
			break;
		}
		if (namelen != strlen("force-command") ||
		    memcmp(name, "force-command", namelen) != 0)
			continue;
		if ((d = msb_buf_from(data, datalen)) == NULL ||
		    msb_buf_get_cstring(d, out, NULL) != 0)
			r = -1;
		msb_buf_free(d);
	}
	msb_buf_free(b);
	return r;
}

int
msb_pubkey_cert_info(const struct msb_pubkey *k, struct msb_pubkey *ca,
    char **force_command, struct msb_error *err)
{
	const struct keytype *kt;
	struct msb_buf *b;
	const uint8_t *s, *crit = NULL, *sig = NULL;
	size_t sl, critlen = 0, siglen = 0;
	uint64_t u64;
	uint32_t u32;
	int cert, r = -1;

	memset(ca, 0, sizeof(*ca));
	*force_command = NULL;
	if ((kt = keytype_find(k->type, &cert)) == NULL || !cert)
		return msb_error_set(err, EINVAL, "not a certificate");
	if ((b = msb_buf_from(k->blob, k->bloblen)) == NULL)
		return msb_error_set(err, ENOMEM, "out of memory");
	/* type, nonce, public fields, serial, type, key id, principals,
	 * validity, critical options, extensions, reserved, signature key */
	if (msb_buf_skip_string(b) != 0 || msb_buf_skip_string(b) != 0 ||
	    kt->check(b, kt, NULL) != 0 || msb_buf_get_u64(b, &u64) != 0 ||
	    msb_buf_get_u32(b, &u32) != 0 || get_str(b, &s, &sl) != 0 ||
	    get_str(b, &s, &sl) != 0 || msb_buf_get_u64(b, &u64) != 0 ||
	    msb_buf_get_u64(b, &u64) != 0 || get_str(b, &crit, &critlen) != 0 ||
	    get_str(b, &s, &sl) != 0 || get_str(b, &s, &sl) != 0 ||
	    get_str(b, &sig, &siglen) != 0) {
		msb_error_set(err, EINVAL, "malformed certificate");
		goto out;
	}
	{
		struct msb_buf *sb = msb_buf_from(sig, siglen);

		if (sb == NULL || msb_buf_get_cstring(sb, &ca->type, NULL) != 0) {
			msb_buf_free(sb);
			msb_error_set(err, EINVAL, "malformed certificate CA key");
			goto out;
		}
		msb_buf_free(sb);
	}
	if ((ca->blob = malloc(siglen)) == NULL) {
		msb_error_set(err, ENOMEM, "out of memory");
		goto out;
	}
	memcpy(ca->blob, sig, siglen);
	ca->bloblen = siglen;
	if (cert_force_command(crit, critlen, force_command) != 0) {
		msb_error_set(err, EINVAL, "malformed certificate options");
		goto out;
	}
	r = 0;
out:
	msb_buf_free(b);
	if (r != 0)
		msb_pubkey_free(ca);
	return r;
}

/* ---- lines ---- */

void
msb_pubkey_free(struct msb_pubkey *k)
{
	if (k == NULL)
		return;
	free(k->options);
	free(k->type);
	free(k->blob);
	free(k->comment);
	memset(k, 0, sizeof(*k));
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Length of the word at p, never looking past max bytes (p need not be a
 * terminated string). */
static size_t
word_len(const char *p, size_t max)
{
	size_t n;

	for (n = 0; n < max && !is_space(p[n]); n++)
		;
	return n;
}

/* Length of the options prefix at p: up to the first unquoted blank. */
static size_t
options_span(const char *p, size_t len, int *unterminated)
{
	size_t i;
	int quoted = 0;

	*unterminated = 0;
	for (i = 0; i < len; i++) {
		if (!quoted && is_space(p[i]))
			break;
		if (p[i] == '\\' && quoted && i + 1 < len && p[i + 1] == '"')
			i++;
		else if (p[i] == '"')
			quoted = !quoted;
	}
	*unterminated = quoted;
	return i;
}

static char *
dup_range(const char *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s != NULL) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

static int
known_type_token(const char *p, size_t n)
{
	char *t = dup_range(p, n);
	int ok;

	if (t == NULL)
		return 0;
	ok = msb_pubkey_type_known(t);
	if (!ok) {
		size_t i;

		for (i = 0; refused_types[i].name != NULL; i++)
			if (strcmp(refused_types[i].name, t) == 0)
				ok = 1;
	}
	free(t);
	return ok;
}

int
msb_pubkey_parse_line(const char *line, size_t len, struct msb_pubkey *k,
    struct msb_error *err)
{
	size_t i, n, start;
	const char *b64;
	size_t b64len;
	int unterminated;

	memset(k, 0, sizeof(*k));
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (len > MSB_PUBKEY_LINE_MAX)
		return msb_error_set(err, EINVAL,
		    "line is too long (%zu bytes; at most %d)", len,
		    MSB_PUBKEY_LINE_MAX);
	for (i = 0; i < len; i++)
		if (line[i] == '\0' ||
		    (iscntrl((unsigned char)line[i]) && line[i] != '\t'))
			return msb_error_set(err, EINVAL,
			    "line contains a control character at column %zu",
			    i + 1);
	for (i = 0; i < len && is_space(line[i]); i++)
		;
	if (i == len || line[i] == '#')
		return 0;
	while (len > i && is_space(line[len - 1]))
		len--;

	/* First token: a key type, or else an options prefix. */
	n = word_len(line + i, len - i);
	if (!known_type_token(line + i, n)) {
		n = options_span(line + i, len - i, &unterminated);
		if (unterminated)
			return msb_error_set(err, EINVAL,
			    "key options have an unterminated quote");
		if ((k->options = dup_range(line + i, n)) == NULL)
			goto nomem;
		if (n > 40 && strspn(k->options, B64_CHARS) == n) {
			msb_error_set(err, EINVAL,
			    "missing key type before the base64 key data");
			goto fail;
		}
		if (i + n == len) {
			msb_error_set(err, EINVAL,
			    "not a public key line (no key type found)");
			goto fail;
		}
		for (i += n; i < len && is_space(line[i]); i++)
			;
		n = word_len(line + i, len - i);
		if (msb_keyopts_validate(k->options, err) != 0) {
			/*
			 * Without a key type after it, the first word was
			 * more likely a mistyped key type than options.
			 */
			if (!known_type_token(line + i, n))
				msb_error_set(err, EINVAL,
				    "unknown key type '%.64s'", k->options);
			goto fail;
		}
	}
	if ((k->type = dup_range(line + i, n)) == NULL)
		goto nomem;
	for (start = 0; refused_types[start].name != NULL; start++)
		if (strcmp(refused_types[start].name, k->type) == 0) {
			msb_error_set(err, EINVAL, "%s", refused_types[start].why);
			goto fail;
		}
	if (!msb_pubkey_type_known(k->type)) {
		msb_error_set(err, EINVAL, "unknown key type '%.64s'", k->type);
		goto fail;
	}
	for (i += n; i < len && is_space(line[i]); i++)
		;
	if (i == len) {
		msb_error_set(err, EINVAL, "%s key has no key data", k->type);
		goto fail;
	}
	b64 = line + i;
	b64len = word_len(b64, len - i);
	if (msb_b64_decode(b64, b64len, &k->blob, &k->bloblen) != 0) {
		if (errno == ENOMEM)
			goto nomem;
		msb_error_set(err, EINVAL, "%s key data is not valid base64 "
		    "(truncated or damaged?)", k->type);
		goto fail;
	}
	if (k->bloblen == 0) {
		msb_error_set(err, EINVAL, "%s key has no key data", k->type);
		goto fail;
	}
	if (msb_pubkey_check_blob(k->type, k->blob, k->bloblen, err) != 0)
		goto fail;
	for (i += b64len; i < len && is_space(line[i]); i++)
		;
	if (i < len && (k->comment = dup_range(line + i, len - i)) == NULL)
		goto nomem;
	return 1;
nomem:
	msb_error_set(err, ENOMEM, "out of memory");
fail:
	msb_pubkey_free(k);
	return -1;
}

void
msb_pubkeys_free(struct msb_pubkey *keys, size_t n)
{
	size_t i;

	if (keys == NULL)
		return;
	for (i = 0; i < n; i++)
		msb_pubkey_free(&keys[i]);
	free(keys);
}

int
msb_pubkeys_parse_text(const char *text, size_t len, struct msb_pubkey **keys,
    size_t *nkeys, struct msb_error *err)
{
	struct msb_pubkey *v = NULL, *nv, k;
	size_t n = 0, lineno = 0, off = 0, ll;
	const char *nl;
	int r;

	*keys = NULL;
	*nkeys = 0;
	while (off < len) {
		lineno++;
		nl = memchr(text + off, '\n', len - off);
		ll = nl != NULL ? (size_t)(nl - (text + off)) : len - off;
		r = msb_pubkey_parse_line(text + off, ll, &k, err);
		off += ll + (nl != NULL);
		if (r < 0) {
			msb_error_wrap(err, "line %zu", lineno);
			goto fail;
		}
		if (r == 0)
			continue;
		if ((nv = reallocarray(v, n + 1, sizeof(*v))) == NULL) {
			msb_pubkey_free(&k);
			msb_error_set(err, ENOMEM, "out of memory");
			goto fail;
		}
		v = nv;
		v[n++] = k;
	}
	if (n == 0) {
		msb_error_set(err, ENOENT, "no public key found in the input");
		goto fail;
	}
	*keys = v;
	*nkeys = n;
	return 0;
fail:
	msb_pubkeys_free(v, n);
	return -1;
}

int
msb_pubkey_equal(const struct msb_pubkey *a, const struct msb_pubkey *b)
{
	return strcmp(a->type, b->type) == 0 && a->bloblen == b->bloblen &&
	    memcmp(a->blob, b->blob, a->bloblen) == 0;
}

/*
 * For a certificate, hash the plain key inside it (as ssh-keygen -l does):
 * string(plain type) followed by the public fields that follow the nonce.
 */
static void
fingerprint_digest(const struct msb_pubkey *k, uint8_t md[MSB_SHA256_LEN])
{
	const struct keytype *kt;
	struct msb_sha256 c;
	struct msb_buf *b;
	const uint8_t *start, *nonce;
	size_t nlen, before;
	uint8_t len4[4];
	int cert;

	kt = keytype_find(k->type, &cert);
	if (kt == NULL || !cert || (b = msb_buf_from(k->blob, k->bloblen)) == NULL) {
		msb_sha256(k->blob, k->bloblen, md);
		return;
	}
	if (msb_buf_skip_string(b) != 0 || get_str(b, &nonce, &nlen) != 0) {
		msb_buf_free(b);
		msb_sha256(k->blob, k->bloblen, md);
		return;
	}
	start = msb_buf_ptr(b);
	before = msb_buf_len(b);
	if (kt->check(b, kt, NULL) != 0) {
		msb_buf_free(b);
		msb_sha256(k->blob, k->bloblen, md);
		return;
	}
	msb_poke_u32(len4, (uint32_t)strlen(kt->name));
	msb_sha256_init(&c);
	msb_sha256_update(&c, len4, 4);
	msb_sha256_update(&c, kt->name, strlen(kt->name));
	msb_sha256_update(&c, start, before - msb_buf_len(b));
	msb_sha256_final(&c, md);
	msb_buf_free(b);
}

char *
msb_pubkey_fingerprint(const struct msb_pubkey *k)
{
	uint8_t md[MSB_SHA256_LEN];
	char *b64, *fp;

	fingerprint_digest(k, md);
	if ((b64 = msb_b64_encode(md, sizeof(md), 0)) == NULL)
		return NULL;
	if (asprintf(&fp, "SHA256:%s", b64) < 0)
		fp = NULL;
	free(b64);
	return fp;
}

char *
msb_pubkey_format(const struct msb_pubkey *k)
{
	char *b64, *s;

	if ((b64 = msb_b64_encode(k->blob, k->bloblen, 1)) == NULL)
		return NULL;
	if (asprintf(&s, "%s%s%s %s%s%s", k->options ? k->options : "",
	    k->options ? " " : "", k->type, b64, k->comment ? " " : "",
	    k->comment ? k->comment : "") < 0)
		s = NULL;
	free(b64);
	return s;
}
