/*
 * Resource limits of a sandbox: $dir/limits (libconfig), applied as cgroups
 * at start (lib/sandbox-cgroup.c). A separate file from config so that the
 * runtime alone reads and writes it:
 *
 *   memory = "512M";     # or a byte count
 *   pids = 200;
 *   cpus = "1.5";
 *
 * Unknown settings are errors: a limit that was meant but misspelled must
 * not silently not apply.
 */
#include "config.h"

#include <errno.h>
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msb/sandbox.h"
#include "sandbox-int.h"

#define MEMORY_MIN (4ull << 20)
#define PIDS_MAX 4194304ull          /* the kernel's PID_MAX_LIMIT */
#define CPU_MILLI_MIN 10ull
#define CPU_MILLI_MAX 1024000ull

int
msb_limits_parse_memory(const char *s, uint64_t *out, struct msb_error *err)
{
	static const char units[] = "kmgt";
	unsigned long long v;
	const char *u;
	char *end;
	int shift;

	errno = 0;
	if (s[0] < '0' || s[0] > '9')
		goto bad;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		goto bad;
	shift = 0;
	if (*end != '\0') {
		if ((u = strchr(units, end[0] | 0x20)) == NULL || end[1] != '\0')
			goto bad;
		shift = 10 * (int)(u - units + 1);
	}
	if (v > (UINT64_MAX >> shift))
		goto bad;
	v <<= shift;
	if (v < MEMORY_MIN)
		return msb_error_set(err, EINVAL, "memory limit '%.40s' is "
		    "below the minimum of 4M", s);
	*out = v;
	return 0;
bad:
	return msb_error_set(err, EINVAL, "invalid memory size '%.40s' "
	    "(expected e.g. 512M, 2G or a byte count)", s);
}

int
msb_limits_parse_cpus(const char *s, uint64_t *milli, struct msb_error *err)
{
	unsigned long long whole = 0, frac = 0, scale = 100;
	const char *p = s;

	if (*p < '0' || *p > '9')
		goto bad;
	for (; *p >= '0' && *p <= '9'; p++) {
		whole = whole * 10 + (unsigned)(*p - '0');
		if (whole > CPU_MILLI_MAX)
			goto range;
	}
	if (*p == '.') {
		if (*++p == '\0')
			goto bad;
		for (; *p >= '0' && *p <= '9'; p++, scale /= 10)
			if (scale == 0)
				goto bad;     /* finer than 1/1000 CPU */
			else
				frac += (unsigned)(*p - '0') * scale;
	}
	if (*p != '\0')
		goto bad;
	whole = whole * 1000 + frac;
	if (whole < CPU_MILLI_MIN || whole > CPU_MILLI_MAX)
		goto range;
	*milli = whole;
	return 0;
range:
	return msb_error_set(err, EINVAL, "CPU limit '%.40s' is outside "
	    "0.01 .. 1024", s);
bad:
	return msb_error_set(err, EINVAL, "invalid CPU count '%.40s' "
	    "(expected e.g. 1, 0.5 or 2.25)", s);
}

int
msb_limits_parse_pids(const char *s, uint64_t *out, struct msb_error *err)
{
	unsigned long long v;
	char *end;

	errno = 0;
	if (s[0] < '0' || s[0] > '9')
		goto bad;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		goto bad;
	if (v < 1 || v > PIDS_MAX)
		return msb_error_set(err, EINVAL, "process limit '%.40s' is "
		    "outside 1 .. %llu", s, PIDS_MAX);
	*out = v;
	return 0;
bad:
	return msb_error_set(err, EINVAL, "invalid process count '%.40s'", s);
}

/* A setting that is a string, or an integer (written as its decimal). */
static int
setting_text(config_setting_t *st, char *buf, size_t size, const char **out)
{
	switch (config_setting_type(st)) {
	case CONFIG_TYPE_STRING:
		*out = config_setting_get_string(st);
		return *out != NULL ? 0 : -1;
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		snprintf(buf, size, "%lld",
		    (long long)config_setting_get_int64(st));
		*out = buf;
		return 0;
	default:
		return -1;
	}
}

static int
parse_file(const char *path, struct msb_limits *lim, struct msb_error *err)
{
	config_t cf;
	config_setting_t *root, *st;
	const char *name, *text;
	char num[32];
	int i, r = 0;

	memset(lim, 0, sizeof(*lim));
	config_init(&cf);
	if (config_read_file(&cf, path) != CONFIG_TRUE) {
		if (config_error_type(&cf) == CONFIG_ERR_FILE_IO)
			r = msb_error_sys(err, errno ? errno : EIO, "cannot "
			    "read %s", path);
		else
			r = msb_error_set(err, EINVAL, "%s:%d: %s", path,
			    config_error_line(&cf), config_error_text(&cf));
		config_destroy(&cf);
		return r;
	}
	root = config_root_setting(&cf);
	for (i = 0; r == 0 && (st = config_setting_get_elem(root,
	    (unsigned)i)) != NULL; i++) {
		name = config_setting_name(st);
		if (name == NULL || setting_text(st, num, sizeof(num),
		    &text) != 0)
			r = msb_error_set(err, EINVAL, "%s: setting '%.40s' "
			    "must be a string or a number", path,
			    name != NULL ? name : "?");
		else if (strcmp(name, "memory") == 0)
			r = msb_limits_parse_memory(text, &lim->memory, err);
		else if (strcmp(name, "pids") == 0)
			r = msb_limits_parse_pids(text, &lim->pids, err);
		else if (strcmp(name, "cpus") == 0)
			r = msb_limits_parse_cpus(text, &lim->cpu_milli, err);
		else
			r = msb_error_set(err, EINVAL, "%s: unknown setting "
			    "'%.40s' (memory, pids, cpus)", path, name);
	}
	config_destroy(&cf);
	if (r != 0)
		memset(lim, 0, sizeof(*lim));
	return r;
}

int
sb_limits_load(const char *dir, struct msb_limits **out,
    struct msb_error *err)
{
	char *path = sb_strjoin(dir, "/", "limits");
	struct msb_limits lim;
	int r;

	*out = NULL;
	if (path == NULL)
		return msb_error_set(err, ENOMEM, "out of memory");
	if (access(path, F_OK) != 0 && errno == ENOENT) {
		free(path);
		return 0;
	}
	r = parse_file(path, &lim, err);
	free(path);
	if (r != 0)
		return -1;
	if (lim.memory == 0 && lim.pids == 0 && lim.cpu_milli == 0)
		return 0;
	if ((*out = malloc(sizeof(**out))) == NULL)
		return msb_error_set(err, ENOMEM, "out of memory");
	**out = lim;
	return 0;
}

int
msb_sandbox_limits_read(const struct msb_sandbox *sb, struct msb_limits *out,
    struct msb_error *err)
{
	struct msb_limits *l;

	memset(out, 0, sizeof(*out));
	if (sb_limits_load(sb->dir, &l, err) != 0)
		return -1;
	if (l != NULL)
		*out = *l;
	free(l);
	return 0;
}

int
msb_sandbox_limits_write(const struct msb_sandbox *sb,
    const struct msb_limits *lim, struct msb_error *err)
{
	char *path = sb_strjoin(sb->dir, "/", "limits"), text[256];
	int n, r;

	if (path == NULL)
		return msb_error_set(err, ENOMEM, "out of memory");
	if (lim->memory == 0 && lim->pids == 0 && lim->cpu_milli == 0) {
		r = unlink(path) != 0 && errno != ENOENT ?
		    msb_error_sys(err, errno, "cannot remove %s", path) : 0;
		free(path);
		return r;
	}
	n = snprintf(text, sizeof(text), "# msb resource limits, see msb(1)\n");
	if (lim->memory != 0)
		n += snprintf(text + n, sizeof(text) - (size_t)n,
		    "memory = \"%llu\";\n", (unsigned long long)lim->memory);
	if (lim->pids != 0)
		n += snprintf(text + n, sizeof(text) - (size_t)n,
		    "pids = \"%llu\";\n", (unsigned long long)lim->pids);
	if (lim->cpu_milli != 0)
		n += snprintf(text + n, sizeof(text) - (size_t)n,
		    "cpus = \"%llu.%03llu\";\n",
		    (unsigned long long)(lim->cpu_milli / 1000),
		    (unsigned long long)(lim->cpu_milli % 1000));
	r = sb_write_file(path, text, (size_t)n, 0600, err);
	free(path);
	return r;
}
