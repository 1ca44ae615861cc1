/*
 * SFTP packet decoding: framing, ATTRS and request arguments. Pure
 * functions over struct msb_buf (codec-layer convention: 0 or a negative
 * MSB_ERR_*), so they can be unit-tested and fuzzed without a server.
 */
#ifndef MSB_SFTP_PACKET_H
#define MSB_SFTP_PACKET_H

#include <stddef.h>
#include <stdint.h>

struct msb_buf;
struct msb_fs_attrs;

struct sftp_attrs {
	uint32_t flags;          /* SSH2_FILEXFER_ATTR_* */
	uint64_t size;
	uint32_t uid, gid;
	uint32_t perm;           /* with the S_IFMT bits when sent */
	uint32_t atime, mtime;
};

/* Decode ATTRS (extended pairs are checked and skipped). */
int sftp_attrs_decode(struct msb_buf *b, struct sftp_attrs *a);
int sftp_attrs_encode(struct msb_buf *b, const struct sftp_attrs *a);
/* All four attribute groups from a filesystem-channel ATTRS. */
void sftp_attrs_from_fs(struct sftp_attrs *a, const struct msb_fs_attrs *fa);

/* Where the next packet of an input queue lies. */
struct sftp_frame {
	uint8_t type;
	uint32_t id;             /* INIT: the client's version */
	const uint8_t *pkt;      /* type byte onwards (len bytes) */
	size_t len;              /* the packet's length field */
};

/*
 * Find the packet at the front of p[0..avail): 0 with *fr filled;
 * MSB_ERR_INCOMPLETE when more bytes are needed; MSB_ERR_TOO_LARGE when the
 * length exceeds SFTP_MAX_MSG_LENGTH; MSB_ERR_FORMAT when the packet is
 * too short to hold a type and an id (the stream cannot be trusted).
 */
int sftp_frame_peek(const uint8_t *p, size_t avail, struct sftp_frame *fr);

/*
 * Request arguments, decoded from a spec string with one letter per field:
 *   p  path (string without NUL)           -> str[k], is_path[k] = 1
 *   t  text (string without NUL, no path)  -> str[k]
 *   h  handle (string, kept raw)           -> handle[k]
 *   u  uint32                              -> u32[k]
 *   q  uint64                              -> u64[k]
 *   a  ATTRS                               -> attrs
 *   d  data (string, borrowed)             -> data
 *   b  blob (string, borrowed)             -> blob[k]
 * Borrowed pointers point into the packet and live as long as it does.
 * Bytes after the last field are ignored, as sftp-server does.
 */
#define SFTP_REQ_MAX 3
struct sftp_req {
	uint8_t type;
	uint32_t id;
	char *str[SFTP_REQ_MAX];
	int is_path[SFTP_REQ_MAX];
	struct {
		const uint8_t *p;
		size_t len;
	} handle[SFTP_REQ_MAX], blob[SFTP_REQ_MAX];
	uint32_t u32[SFTP_REQ_MAX];
	uint64_t u64[SFTP_REQ_MAX];
	struct sftp_attrs attrs;
	const uint8_t *data;
	size_t datalen;
	int nstr, nhandle, nblob, nu32, nu64;
	int hidx[SFTP_REQ_MAX];  /* resolved by the dispatcher: slot or -1 */
};

/* Decode per spec; on failure everything is freed and zeroed. */
int sftp_req_decode(const char *spec, struct msb_buf *b, struct sftp_req *req);
void sftp_req_free(struct sftp_req *req);

#endif
