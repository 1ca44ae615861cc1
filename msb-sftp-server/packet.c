/* SFTP packet decoding (see packet.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "msb/buf.h"
#include "msb/err.h"
#include "msb/proto.h"
#include "packet.h"
#include "sftp.h"

/* sftp-server accepts up to this many extended attribute pairs. */
#define SFTP_MAX_EXT_ATTRS 0x100000u

int
sftp_attrs_decode(struct msb_buf *b, struct sftp_attrs *a)
{
	struct sftp_attrs t;
	uint32_t n, i;
	int r;

	memset(a, 0, sizeof(*a));
	memset(&t, 0, sizeof(t));
	if ((r = msb_buf_get_u32(b, &t.flags)) != 0)
		return r;
	if ((t.flags & SSH2_FILEXFER_ATTR_SIZE) &&
	    (r = msb_buf_get_u64(b, &t.size)) != 0)
		return r;
	if ((t.flags & SSH2_FILEXFER_ATTR_UIDGID) &&
	    ((r = msb_buf_get_u32(b, &t.uid)) != 0 ||
	    (r = msb_buf_get_u32(b, &t.gid)) != 0))
		return r;
	if ((t.flags & SSH2_FILEXFER_ATTR_PERMISSIONS) &&
	    (r = msb_buf_get_u32(b, &t.perm)) != 0)
		return r;
	if ((t.flags & SSH2_FILEXFER_ATTR_ACMODTIME) &&
	    ((r = msb_buf_get_u32(b, &t.atime)) != 0 ||
	    (r = msb_buf_get_u32(b, &t.mtime)) != 0))
		return r;
	if (t.flags & SSH2_FILEXFER_ATTR_EXTENDED) {
		if ((r = msb_buf_get_u32(b, &n)) != 0)
			return r;
		if (n > SFTP_MAX_EXT_ATTRS)
			return MSB_ERR_FORMAT;
		for (i = 0; i < n; i++)
			if ((r = msb_buf_skip_string(b)) != 0 ||
			    (r = msb_buf_skip_string(b)) != 0)
				return r;
	}
	*a = t;
	return 0;
}

int
sftp_attrs_encode(struct msb_buf *b, const struct sftp_attrs *a)
{
	uint32_t flags = a->flags & ~SSH2_FILEXFER_ATTR_EXTENDED;
	int r;

	if ((r = msb_buf_put_u32(b, flags)) != 0)
		return r;
	if ((flags & SSH2_FILEXFER_ATTR_SIZE) &&
	    (r = msb_buf_put_u64(b, a->size)) != 0)
		return r;
	if ((flags & SSH2_FILEXFER_ATTR_UIDGID) &&
	    ((r = msb_buf_put_u32(b, a->uid)) != 0 ||
	    (r = msb_buf_put_u32(b, a->gid)) != 0))
		return r;
	if ((flags & SSH2_FILEXFER_ATTR_PERMISSIONS) &&
	    (r = msb_buf_put_u32(b, a->perm)) != 0)
		return r;
	if ((flags & SSH2_FILEXFER_ATTR_ACMODTIME) &&
	    ((r = msb_buf_put_u32(b, a->atime)) != 0 ||
	    (r = msb_buf_put_u32(b, a->mtime)) != 0))
		return r;
	return 0;
}

void
sftp_attrs_from_fs(struct sftp_attrs *a, const struct msb_fs_attrs *fa)
{
	memset(a, 0, sizeof(*a));
	a->flags = SSH2_FILEXFER_ATTR_SIZE | SSH2_FILEXFER_ATTR_UIDGID |
	    SSH2_FILEXFER_ATTR_PERMISSIONS | SSH2_FILEXFER_ATTR_ACMODTIME;
	a->size = fa->size;
	a->uid = fa->uid;
	a->gid = fa->gid;
	a->perm = fa->mode;
	/* v3 times are u32 seconds: what sftp-server sends, too */
	a->atime = (uint32_t)fa->atime_sec;
	a->mtime = (uint32_t)fa->mtime_sec;
}

int
sftp_frame_peek(const uint8_t *p, size_t avail, struct sftp_frame *fr)
{
	uint32_t len;

	memset(fr, 0, sizeof(*fr));
	if (avail < 4)
		return MSB_ERR_INCOMPLETE;
	len = msb_peek_u32(p);
	if (len > SFTP_MAX_MSG_LENGTH)
		return MSB_ERR_TOO_LARGE;
	if (len < 5)
		return MSB_ERR_FORMAT;
	if (avail - 4 < len)
		return MSB_ERR_INCOMPLETE;
	fr->type = p[4];
	fr->id = msb_peek_u32(p + 5);
	fr->pkt = p + 4;
	fr->len = len;
	return 0;
}

void
sftp_req_free(struct sftp_req *req)
{
	int i;

	for (i = 0; i < SFTP_REQ_MAX; i++)
		free(req->str[i]);
	memset(req, 0, sizeof(*req));
}

static int
decode_field(char c, struct msb_buf *b, struct sftp_req *req)
{
	const uint8_t *p;
	size_t len;
	int r;

	switch (c) {
	case 'p':
	case 't':
		if (req->nstr >= SFTP_REQ_MAX)
			return MSB_ERR_INTERNAL;
		if ((r = msb_buf_get_cstring(b, &req->str[req->nstr], NULL)) != 0)
			return r;
		req->is_path[req->nstr++] = c == 'p';
		return 0;
	case 'h':
	case 'b':
	case 'd':
		if ((r = msb_buf_get_string_direct(b, &p, &len)) != 0)
			return r;
		if (c == 'd') {
			req->data = p;
			req->datalen = len;
		} else if (c == 'h') {
			if (req->nhandle >= SFTP_REQ_MAX)
				return MSB_ERR_INTERNAL;
			req->handle[req->nhandle].p = p;
			req->handle[req->nhandle++].len = len;
		} else {
			if (req->nblob >= SFTP_REQ_MAX)
				return MSB_ERR_INTERNAL;
			req->blob[req->nblob].p = p;
			req->blob[req->nblob++].len = len;
		}
		return 0;
	case 'u':
		if (req->nu32 >= SFTP_REQ_MAX)
			return MSB_ERR_INTERNAL;
		return msb_buf_get_u32(b, &req->u32[req->nu32++]);
	case 'q':
		if (req->nu64 >= SFTP_REQ_MAX)
			return MSB_ERR_INTERNAL;
		return msb_buf_get_u64(b, &req->u64[req->nu64++]);
	case 'a':
		return sftp_attrs_decode(b, &req->attrs);
	default:
		return MSB_ERR_INTERNAL;
	}
}

int
sftp_req_decode(const char *spec, struct msb_buf *b, struct sftp_req *req)
{
	uint8_t type = req->type;
	uint32_t id = req->id;
	int r;

	memset(req, 0, sizeof(*req));
	req->type = type;
	req->id = id;
	for (; *spec != '\0'; spec++)
		if ((r = decode_field(*spec, b, req)) != 0) {
			sftp_req_free(req);
			req->type = type;
			req->id = id;
			return r;
		}
	return 0;
}
