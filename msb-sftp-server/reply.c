/*
 * Replies to the client, composed straight into the output queue: a
 * packet is "u32 length, u8 type, u32 id, payload", the length patched in
 * by reply_end().
 */
#include "config.h"

#include <string.h>

#include "msb/buf.h"
#include "msb/err.h"
#include "msb/log.h"
#include "server.h"
#include "sftp.h"
#include "status.h"

void
reply_check(int r)
{
	if (r != 0)
		log_fatal_r(r, "composing a reply");
}

size_t
reply_begin(struct srv *s, uint8_t type, uint32_t id)
{
	size_t start = msb_buf_len(s->oq);

	reply_check(msb_buf_put_u32(s->oq, 0));
	reply_check(msb_buf_put_u8(s->oq, type));
	reply_check(msb_buf_put_u32(s->oq, id));
	return start;
}

void
reply_end(struct srv *s, size_t start)
{
	size_t len = msb_buf_len(s->oq) - start - 4;

	reply_check(msb_buf_poke_u32(s->oq, start, (uint32_t)len));
}

void
reply_status(struct srv *s, uint32_t id, uint32_t status, const char *msg)
{
	size_t start;

	log_debug3("request %u: sent status %u", id, status);
	if (msb_log_get_level() > MSB_LOG_VERBOSE ||
	    (status != SSH2_FX_OK && status != SSH2_FX_EOF))
		log_info("sent status %s", sftp_status_message(status));
	start = reply_begin(s, SSH2_FXP_STATUS, id);
	reply_check(msb_buf_put_u32(s->oq, status));
	reply_check(msb_buf_put_cstring(s->oq, msg != NULL ? msg :
	    sftp_status_message(status)));
	reply_check(msb_buf_put_cstring(s->oq, ""));
	reply_end(s, start);
}

void
reply_errno(struct srv *s, uint32_t id, int err)
{
	/* The system's text tells more than the status code's name. */
	reply_status(s, id, sftp_status_from_errno(err),
	    err != 0 ? strerror(err) : NULL);
}

void
reply_handle(struct srv *s, uint32_t id, int idx)
{
	uint8_t w[4];
	size_t start;

	sftp_handle_wire(&s->ht, idx, w);
	log_debug("request %u: sent handle %d", id, idx);
	start = reply_begin(s, SSH2_FXP_HANDLE, id);
	reply_check(msb_buf_put_string(s->oq, w, sizeof(w)));
	reply_end(s, start);
}

void
reply_attrs(struct srv *s, uint32_t id, const struct sftp_attrs *a)
{
	size_t start;

	log_debug("request %u: sent attrib have 0x%x", id, a->flags);
	start = reply_begin(s, SSH2_FXP_ATTRS, id);
	reply_check(sftp_attrs_encode(s->oq, a));
	reply_end(s, start);
}

void
reply_name1(struct srv *s, uint32_t id, const char *name)
{
	struct sftp_attrs none;
	size_t start;

	memset(&none, 0, sizeof(none));
	log_debug("request %u: sent names count 1", id);
	start = reply_begin(s, SSH2_FXP_NAME, id);
	reply_check(msb_buf_put_u32(s->oq, 1));
	reply_check(msb_buf_put_cstring(s->oq, name));
	reply_check(msb_buf_put_cstring(s->oq, name));
	reply_check(sftp_attrs_encode(s->oq, &none));
	reply_end(s, start);
}
