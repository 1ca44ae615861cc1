/*
 * Which requests a session may make: read-only mode (-R) and the
 * allow/deny lists of request names (-p/-P), checked in one place for every
 * request, and used to leave refused extensions out of VERSION.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "msb/log.h"
#include "msb/xmalloc.h"
#include "server.h"

static int
in_list(char *const *list, const char *name)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, name) == 0)
			return 1;
	return 0;
}

int
sftp_policy_set(struct srv *s, int deny, const char *list)
{
	char ***dst = deny ? &s->deny : &s->allow;
	char *copy, *tok, *save = NULL;
	size_t n = 0;
	char **v;

	if (*dst != NULL) {
		log_error("%s requests already set", deny ? "denied" :
		    "allowed");
		return -1;
	}
	v = xcalloc(1, sizeof(*v));
	copy = xstrdup(list);
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (sftp_op_by_name(tok) == NULL) {
			log_error("unknown request name \"%.100s\" in the %s "
			    "list (see -Q requests)", tok, deny ? "denied" :
			    "allowed");
			free(copy);
			for (n = 0; v[n] != NULL; n++)
				free(v[n]);
			free(v);
			return -1;
		}
		v = xreallocarray(v, n + 2, sizeof(*v));
		v[n++] = xstrdup(tok);
		v[n] = NULL;
	}
	free(copy);
	*dst = v;
	return 0;
}

int
sftp_request_permitted(const struct srv *s, const struct sftp_op *op)
{
	if (s->readonly && op->does_write) {
		log_verbose("Refusing %s request in read-only mode", op->name);
		return 0;
	}
	if (s->deny != NULL && in_list(s->deny, op->name)) {
		log_verbose("Refusing denylisted %s request", op->name);
		return 0;
	}
	if (s->allow != NULL) {
		if (in_list(s->allow, op->name)) {
			log_debug2("Permitting allowlisted %s request", op->name);
			return 1;
		}
		log_verbose("Refusing non-allowlisted %s request", op->name);
		return 0;
	}
	return 1;
}
