/*
 * The OpenSSH extensions that are not plain path operations: limits,
 * expand-path (~ and ~user), home-directory and users-groups-by-id. Names
 * and home directories come from the sandbox's own account files, through
 * the worker.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "msb/buf.h"
#include "msb/err.h"
#include "msb/log.h"
#include "msb/proto.h"
#include "msb/xmalloc.h"
#include "ops.h"
#include "sftp.h"

void
op_limits(struct srv *s, struct sftp_req *req)
{
	size_t start;

	log_debug("request %u: limits", req->id);
	start = reply_begin(s, SSH2_FXP_EXTENDED_REPLY, req->id);
	reply_check(msb_buf_put_u64(s->oq, SFTP_MAX_MSG_LENGTH));
	reply_check(msb_buf_put_u64(s->oq, SFTP_MAX_READ_LENGTH));
	reply_check(msb_buf_put_u64(s->oq, SFTP_MAX_WRITE_LENGTH));
	reply_check(msb_buf_put_u64(s->oq, s->max_open_handles));
	reply_end(s, start);
}

/* Ask the worker to canonicalise path and answer NAME(1). */
static void
submit_realpath(struct srv *s, uint32_t id, const char *path)
{
	struct msb_buf *b;

	if (strlen(path) > MSB_PROTO_MAX_PATH) {
		reply_errno(s, id, ENAMETOOLONG);
		return;
	}
	log_verbose("expand \"%s\"", path);
	b = wreq_begin(s, MSB_MSG_FS_REALPATH);
	reply_check(msb_buf_put_cstring(b, path));
	/* OpenSSH's sftp and scp print this text */
	wreq_submit(s, -1, id, done_name1)->std_msg = 1;
}

/* Decode FS_PW; returns the home directory (heap). */
static char *
pw_home(struct msb_frame *f)
{
	char *name = NULL, *home = NULL;
	uint32_t uid, gid;
	int r;

	if ((r = msb_buf_get_cstring(f->payload, &name, NULL)) != 0 ||
	    (r = msb_buf_get_u32(f->payload, &uid)) != 0 ||
	    (r = msb_buf_get_u32(f->payload, &gid)) != 0 ||
	    (r = msb_buf_get_cstring(f->payload, &home, NULL)) != 0)
		log_fatal_r(r, "filesystem channel: bad FS_PW");
	free(name);
	return home;
}

static void
done_expand_user(struct srv *s, struct wreq *w, struct msb_frame *f)
{
	char *home, *path;

	if (f->type == MSB_MSG_ERROR) {
		reply_status(s, w->id, SSH2_FX_NO_SUCH_FILE, "no such user");
		return;
	}
	if (wreply_error(s, w, f, MSB_MSG_FS_PW))
		return;
	home = pw_home(f);
	/* w->s2: what followed "~user/", if anything */
	if (w->s2 == NULL)
		path = xstrdup(home);
	else
		path = xstrfmt("%s%s%s", home, home[0] != '\0' &&
		    home[strlen(home) - 1] == '/' ? "" : "/", w->s2);
	submit_realpath(s, w->id, path);
	free(path);
	free(home);
}

void
op_expand_path(struct srv *s, struct sftp_req *req)
{
	const char *p = req->str[0], *slash;
	struct msb_buf *b;
	struct wreq *w;
	char *path;

	log_debug3("request %u: expand, original \"%s\"", req->id, p);
	if (p[0] == '~' && p[1] != '\0' && p[1] != '/') {
		/* ~user[/rest]: that user's home in the sandbox */
		slash = strchr(p, '/');
		b = wreq_begin(s, MSB_MSG_FS_GETPWNAM);
		reply_check(msb_buf_put_string(b, p + 1, slash != NULL ?
		    (size_t)(slash - p - 1) : strlen(p + 1)));
		w = wreq_submit(s, -1, req->id, done_expand_user);
		if (slash != NULL)
			w->s2 = xstrdup(slash + 1);
		return;
	}
	/* "~" is the start directory, as sftp-server (respects -d) */
	if (p[0] == '\0' || strcmp(p, "~") == 0)
		path = xstrdup(s->start_dir);
	else if (p[0] == '~')
		path = xstrfmt("%s/%s", s->start_dir, p + 2);
	else if (p[0] != '/')
		path = xstrfmt("%s/%s", s->start_dir, p);
	else
		path = xstrdup(p);
	submit_realpath(s, req->id, path);
	free(path);
}

static void
done_home(struct srv *s, struct wreq *w, struct msb_frame *f)
{
	char *home;

	if (f->type == MSB_MSG_ERROR) {
		reply_status(s, w->id, SSH2_FX_FAILURE, "no such user");
		return;
	}
	if (wreply_error(s, w, f, MSB_MSG_FS_PW))
		return;
	home = pw_home(f);
	log_verbose("home-directory \"%s\"", home);
	reply_name1(s, w->id, home);
	free(home);
}

void
op_home_directory(struct srv *s, struct sftp_req *req)
{
	struct msb_buf *b;

	log_debug3("request %u: home-directory \"%s\"", req->id, req->str[0]);
	b = wreq_begin(s, MSB_MSG_FS_GETPWNAM);
	reply_check(msb_buf_put_cstring(b, req->str[0]));
	(void)wreq_submit(s, -1, req->id, done_home);
}

/* users-groups-by-id: one lookup per id, answered when all are back. */
struct gather {
	uint32_t id;
	size_t nusers, ngroups, pending;
	char **names;            /* users, then groups; "" if unknown */
};

static void
gather_reply(struct srv *s, struct gather *g)
{
	struct msb_buf *u, *gr;
	size_t i, start;

	if ((u = msb_buf_new()) == NULL || (gr = msb_buf_new()) == NULL)
		log_fatal("out of memory");
	for (i = 0; i < g->nusers + g->ngroups; i++)
		reply_check(msb_buf_put_cstring(i < g->nusers ? u : gr,
		    g->names[i] != NULL ? g->names[i] : ""));
	log_verbose("users-groups-by-id: %zu users, %zu groups", g->nusers,
	    g->ngroups);
	start = reply_begin(s, SSH2_FXP_EXTENDED_REPLY, g->id);
	reply_check(msb_buf_put_stringb(s->oq, u));
	reply_check(msb_buf_put_stringb(s->oq, gr));
	reply_end(s, start);
	msb_buf_free(u);
	msb_buf_free(gr);
	for (i = 0; i < g->nusers + g->ngroups; i++)
		free(g->names[i]);
	free(g->names);
	free(g);
}

static void
done_gather(struct srv *s, struct wreq *w, struct msb_frame *f)
{
	struct gather *g = w->ctx;
	uint8_t want = w->idx < g->nusers ? MSB_MSG_FS_PW : MSB_MSG_FS_GR;
	char *name = NULL;
	int r;

	if (f->type == want && f->nfds == 0) {
		if ((r = msb_buf_get_cstring(f->payload, &name, NULL)) != 0)
			log_fatal_r(r, "filesystem channel: bad %s",
			    msb_msg_name(want));
		g->names[w->idx] = name;
	} else if (f->type != MSB_MSG_ERROR)
		log_fatal("filesystem channel: %s where %s was expected",
		    msb_msg_name(f->type), msb_msg_name(want));
	if (--g->pending == 0)
		gather_reply(s, g);
}

void
op_users_groups_by_id(struct srv *s, struct sftp_req *req)
{
	struct gather *g;
	struct msb_buf *b;
	struct wreq *w;
	size_t i, n;

	if (req->blob[0].len % 4 != 0 || req->blob[1].len % 4 != 0) {
		reply_status(s, req->id, SSH2_FX_BAD_MESSAGE, NULL);
		return;
	}
	g = xcalloc(1, sizeof(*g));
	g->id = req->id;
	g->nusers = req->blob[0].len / 4;
	g->ngroups = req->blob[1].len / 4;
	n = g->nusers + g->ngroups;
	g->names = xcalloc(n > 0 ? n : 1, sizeof(*g->names));
	if (n == 0) {
		gather_reply(s, g);
		return;
	}
	g->pending = n;
	for (i = 0; i < n; i++) {
		if (i < g->nusers) {
			b = wreq_begin(s, MSB_MSG_FS_GETPWUID);
			reply_check(msb_buf_put_u32(b,
			    msb_peek_u32(req->blob[0].p + 4 * i)));
		} else {
			b = wreq_begin(s, MSB_MSG_FS_GETGRGID);
			reply_check(msb_buf_put_u32(b, msb_peek_u32(
			    req->blob[1].p + 4 * (i - g->nusers))));
		}
		w = wreq_submit(s, -1, req->id, done_gather);
		w->ctx = g;
		w->idx = i;
	}
}
