/* Options of msb ssh serve / msb-proxy (see msb/serve-opts.h). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "msb/duration.h"
#include "msb/name.h"
#include "msb/sandbox.h"
#include "msb/serve-opts.h"
#include "msb/sshd-config.h"

enum serve_opt {
	OPT_STDIO, OPT_PORT, OPT_HOST, OPT_MAXCONN, OPT_INACT, OPT_NOINACT,
	OPT_LOGLEVEL, OPT_FORWARDING,
};

static const struct {
	const char *name;
	enum serve_opt id;
	int has_arg;
} serve_opts[] = {
	{ "--stdio", OPT_STDIO, 0 },
	{ "--port", OPT_PORT, 1 },
	{ "--host", OPT_HOST, 1 },
	{ "--max-connections", OPT_MAXCONN, 1 },
	{ "--inactivity-timeout", OPT_INACT, 1 },
	{ "--no-inactivity-timeout", OPT_NOINACT, 0 },
	{ "--log-level", OPT_LOGLEVEL, 1 },
	{ "--forwarding", OPT_FORWARDING, 1 },
	{ NULL, 0, 0 },
};

int
msb_serve_host_is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (strcmp(host, "localhost") == 0)
		return 1;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, host, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return 0;
}

static int
parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
apply(struct msb_serve_opts *o, enum serve_opt id, const char *v, int *seen_inact,
    struct msb_error *err)
{
	struct in_addr a4;
	struct in6_addr a6;
	unsigned long n;

	switch (id) {
	case OPT_STDIO:
		o->stdio = 1;
		break;
	case OPT_PORT:
		if (parse_uint(v, 65535, &n) != 0 || n == 0)
			return msb_error_set(err, EINVAL,
			    "invalid port '%.20s' (1-65535)", v);
		o->listen = 1;
		o->port = (int)n;
		break;
	case OPT_HOST:
		if (strcmp(v, "localhost") != 0 &&
		    inet_pton(AF_INET, v, &a4) != 1 &&
		    inet_pton(AF_INET6, v, &a6) != 1)
			return msb_error_set(err, EINVAL,
			    "invalid --host '%.60s': give an IPv4 or IPv6 address",
			    v);
		o->host = v;
		o->host_given = 1;
		break;
	case OPT_MAXCONN:
		if (parse_uint(v, 100000, &n) != 0 || n == 0)
			return msb_error_set(err, EINVAL,
			    "invalid --max-connections '%.20s' (1-100000)", v);
		o->max_connections = (unsigned int)n;
		o->max_given = 1;
		break;
	case OPT_INACT:
	case OPT_NOINACT:
		if ((*seen_inact)++)
			return msb_error_set(err, EINVAL,
			    "--inactivity-timeout and --no-inactivity-timeout "
			    "conflict (give one of them once)");
		if (id == OPT_NOINACT)
			o->inactivity = 0;
		else if (msb_duration_parse(v, &o->inactivity, err) != 0)
			return msb_error_wrap(err, "--inactivity-timeout");
		break;
	case OPT_LOGLEVEL:
		if (!msb_sshd_log_level_ok(v))
			return msb_error_set(err, EINVAL,
			    "invalid --log-level '%.20s' (QUIET, FATAL, ERROR, "
			    "INFO, VERBOSE, DEBUG, DEBUG1-3)", v);
		o->log_level = v;
		break;
	case OPT_FORWARDING:
		if (msb_ssh_forwarding_parse(v, &o->forwarding) != 0)
			return msb_error_set(err, EINVAL,
			    "invalid --forwarding '%.20s' (none, local, remote, "
			    "all)", v);
		break;
	}
	return 0;
}

int
msb_serve_opts_parse(int argc, char **argv, struct msb_serve_opts *o,
    struct msb_error *err)
{
	int i, j, seen_inact = 0;
	const char *arg, *v, *eq;
	size_t nl;

	memset(o, 0, sizeof(*o));
	o->host = MSB_SERVE_DEFAULT_HOST;
	o->inactivity = 600;
	o->log_level = "VERBOSE";
	o->max_connections = MSB_SERVE_DEFAULT_MAX_CONNECTIONS;
	o->forwarding = -1;
	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (arg[0] != '-' || arg[1] == '\0') {
			if (o->name != NULL)
				return msb_error_set(err, EINVAL,
				    "unexpected argument '%.60s' (one sandbox name "
				    "only)", arg);
			o->name = arg;
			continue;
		}
		eq = strchr(arg, '=');
		nl = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
		for (j = 0; serve_opts[j].name != NULL; j++)
			if (strlen(serve_opts[j].name) == nl &&
			    strncmp(serve_opts[j].name, arg, nl) == 0)
				break;
		if (serve_opts[j].name == NULL)
			return msb_error_set(err, EINVAL, "unknown option '%.60s'",
			    arg);
		v = NULL;
		if (serve_opts[j].has_arg) {
			if (eq != NULL)
				v = eq + 1;
			else if (i + 1 < argc)
				v = argv[++i];
			else
				return msb_error_set(err, EINVAL,
				    "option %s needs a value", serve_opts[j].name);
		} else if (eq != NULL)
			return msb_error_set(err, EINVAL,
			    "option %s takes no value", serve_opts[j].name);
		if (apply(o, serve_opts[j].id, v, &seen_inact, err) != 0)
			return -1;
	}
	if (o->name == NULL)
		return msb_error_set(err, EINVAL, "missing sandbox name");
	if (msb_name_validate(o->name, err) != 0)
		return -1;
	if (o->stdio == o->listen)
		return msb_error_set(err, EINVAL,
		    "give exactly one of --stdio and --port PORT");
	if (o->stdio && (o->host_given || o->max_given))
		return msb_error_set(err, EINVAL, "%s needs --port",
		    o->host_given ? "--host" : "--max-connections");
	return 0;
}

int
msb_serve_forwarding(const struct msb_serve_opts *o, int allowed)
{
	allowed &= MSB_SSH_FWD_ALL;
	return o->forwarding < 0 ? allowed : o->forwarding & allowed;
}
