/* Volume specs: HOST_DIR:SANDBOX_DIR[:ro|:rw]. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msb/sandbox.h"
#include "sandbox-int.h"

/* Targets no volume may cover or enter: the runtime mounts its own there. */
static const char *const reserved[] = {
	"/proc", "/dev", "/sys", MSB_SANDBOX_RUN_DIR, NULL,
};

/*
 * Normalise an absolute path lexically: collapse "//" and "/./", drop a
 * trailing "/". ".." is refused rather than resolved: inside the sandbox it
 * would depend on symlinks the host cannot see. NULL + err on failure.
 */
static char *
normalise(const char *path, const char *what, struct msb_error *err)
{
	char *out, *w;
	const char *r, *end;
	size_t n;

	if ((out = malloc(strlen(path) + 2)) == NULL) {
		msb_error_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	w = out;
	for (r = path; *r != '\0'; r = end) {
		while (*r == '/')
			r++;
		if (*r == '\0')
			break;
		end = strchr(r, '/');
		if (end == NULL)
			end = r + strlen(r);
		n = (size_t)(end - r);
		if (n == 1 && r[0] == '.')
			continue;
		if (n == 2 && r[0] == '.' && r[1] == '.') {
			free(out);
			msb_error_set(err, EINVAL, "%s '%.200s' must not "
			    "contain '..'", what, path);
			return NULL;
		}
		*w++ = '/';
		memcpy(w, r, n);
		w += n;
	}
	if (w == out)
		*w++ = '/';
	*w = '\0';
	return out;
}

int
msb_volume_check_target(const char *target, struct msb_error *err)
{
	size_t i;

	if (target[0] != '/')
		return msb_error_set(err, EINVAL, "volume target '%.200s' "
		    "must be an absolute path", target);
	if (strcmp(target, "/") == 0)
		return msb_error_set(err, EINVAL, "volume target '/' would "
		    "cover the whole sandbox");
	for (i = 0; reserved[i] != NULL; i++) {
		if (sb_path_under(target, reserved[i]))
			return msb_error_set(err, EINVAL, "volume target "
			    "'%.200s' is inside %s, which the sandbox runtime "
			    "provides", target, reserved[i]);
		if (sb_path_under(reserved[i], target))
			return msb_error_set(err, EINVAL, "volume target "
			    "'%.200s' would cover %s, which the sandbox runtime "
			    "provides", target, reserved[i]);
	}
	return 0;
}

void
msb_volume_free(struct msb_volume *v)
{
	if (v == NULL)
		return;
	free(v->host);
	free(v->target);
	v->host = v->target = NULL;
}

int
msb_volume_parse(const char *spec, struct msb_volume *v,
    struct msb_error *err)
{
	char *copy, *host, *target, *mode, *extra, *cwd, *abs;
	int readonly = 0;

	memset(v, 0, sizeof(*v));
	if (spec == NULL || (copy = strdup(spec)) == NULL)
		return msb_error_set(err, spec == NULL ? EINVAL : ENOMEM,
		    spec == NULL ? "no volume given" : "out of memory");
	host = copy;
	target = strchr(copy, ':');
	mode = target != NULL ? strchr(target + 1, ':') : NULL;
	extra = mode != NULL ? strchr(mode + 1, ':') : NULL;
	if (target == NULL) {
		free(copy);
		return msb_error_set(err, EINVAL, "invalid volume '%.200s': "
		    "expected HOST_DIR:SANDBOX_DIR[:ro|:rw]", spec);
	}
	/* ':' separates the fields and cannot be escaped: a third ':' or a
	 * path where the mode belongs means a path with ':' in it. */
	if (extra != NULL || (mode != NULL && strchr(mode + 1, '/') != NULL)) {
		free(copy);
		return msb_error_set(err, EINVAL, "invalid volume '%.200s': "
		    "paths containing ':' cannot be used in -v "
		    "(expected HOST_DIR:SANDBOX_DIR[:ro|:rw])", spec);
	}
	*target++ = '\0';
	if (mode != NULL) {
		*mode++ = '\0';
		if (strcmp(mode, "ro") == 0)
			readonly = 1;
		else if (strcmp(mode, "rw") != 0) {
			msb_error_set(err, EINVAL, "invalid volume '%.200s': "
			    "unknown mode '%.20s' (use ro or rw)", spec, mode);
			free(copy);
			return -1;
		}
	}
	if (*host == '\0' || *target == '\0') {
		msb_error_set(err, EINVAL, "invalid volume '%.200s': empty %s "
		    "directory", spec, *host == '\0' ? "host" : "sandbox");
		free(copy);
		return -1;
	}
	if (target[0] != '/') {
		msb_error_set(err, EINVAL, "invalid volume '%.200s': the "
		    "sandbox directory must be an absolute path", spec);
		free(copy);
		return -1;
	}
	if (host[0] != '/') {
		if ((cwd = getcwd(NULL, 0)) == NULL) {
			msb_error_sys(err, errno, "volume '%.200s'", spec);
			free(copy);
			return -1;
		}
		abs = sb_strjoin(cwd, "/", host);
		free(cwd);
	} else
		abs = strdup(host);
	if (abs == NULL) {
		free(copy);
		return msb_error_set(err, ENOMEM, "out of memory");
	}
	/* The host side is resolved with realpath(3) by create. */
	v->host = abs;
	v->target = normalise(target, "volume target", err);
	free(copy);
	if (v->host == NULL || v->target == NULL ||
	    msb_volume_check_target(v->target, err) != 0) {
		msb_volume_free(v);
		return -1;
	}
	v->readonly = readonly;
	return 0;
}
