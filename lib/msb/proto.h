/*
 * The msb agent protocol: constants, framing over SOCK_SEQPACKET with fd
 * passing, and codecs for the shared structures. PROTOCOL.md is the
 * specification; keep the two in step and bump MSB_PROTO_VERSION when a
 * layout changes.
 *
 * Codec-layer convention: 0 or a negative MSB_ERR_* (see err.h).
 */
#ifndef MSB_PROTO_H
#define MSB_PROTO_H

#include <stdint.h>
#include <sys/types.h>

struct msb_buf;
struct stat;
struct statvfs;
struct termios;
struct winsize;

#define MSB_PROTO_MAGIC        "msb-agent"
#define MSB_PROTO_VERSION      1
#define MSB_PROTO_FRAME_MAX    (128u * 1024u)   /* max value of len */
#define MSB_PROTO_HDR_LEN      9                /* u32 len + u8 type + u32 id */
#define MSB_PROTO_MAX_FDS      3
#define MSB_PROTO_MAX_ARGS     4096
#define MSB_PROTO_MAX_PATH     4096
#define MSB_PROTO_HELLO_TIMEOUT_MS 10000
#define MSB_PROTO_KILL_GRACE_MS    2000

enum msb_channel {
	MSB_CHAN_COMMAND = 1,
	MSB_CHAN_FS = 2,
};

enum msb_msg_type {
	/* generic */
	MSB_MSG_HELLO = 0x01,
	MSB_MSG_HELLO_OK = 0x02,
	MSB_MSG_ERROR = 0x03,
	MSB_MSG_OK = 0x04,
	/* command channel */
	MSB_MSG_EXEC = 0x10,
	MSB_MSG_STARTED = 0x11,
	MSB_MSG_EXITED = 0x12,
	MSB_MSG_SIGNAL = 0x13,
	MSB_MSG_RESIZE = 0x14,          /* reserved */
	MSB_MSG_ACCOUNTS = 0x15,
	MSB_MSG_ACCOUNTS_REPLY = 0x16,
	/* filesystem channel requests */
	MSB_MSG_FS_OPEN = 0x40,
	MSB_MSG_FS_OPENDIR = 0x41,
	MSB_MSG_FS_READDIR = 0x42,
	MSB_MSG_FS_STAT = 0x43,
	MSB_MSG_FS_FSTAT = 0x44,
	MSB_MSG_FS_SETSTAT = 0x45,
	MSB_MSG_FS_FSETSTAT = 0x46,
	MSB_MSG_FS_MKDIR = 0x47,
	MSB_MSG_FS_RMDIR = 0x48,
	MSB_MSG_FS_UNLINK = 0x49,
	MSB_MSG_FS_RENAME = 0x4a,
	MSB_MSG_FS_LINK = 0x4b,
	MSB_MSG_FS_SYMLINK = 0x4c,
	MSB_MSG_FS_READLINK = 0x4d,
	MSB_MSG_FS_REALPATH = 0x4e,
	MSB_MSG_FS_STATVFS = 0x4f,
	MSB_MSG_FS_FSTATVFS = 0x50,
	MSB_MSG_FS_FSYNC = 0x51,
	MSB_MSG_FS_GETPWNAM = 0x52,
	MSB_MSG_FS_GETPWUID = 0x53,
	MSB_MSG_FS_GETGRGID = 0x54,
	/* filesystem channel replies */
	MSB_MSG_FS_FD = 0x60,
	MSB_MSG_FS_ATTRS = 0x61,
	MSB_MSG_FS_NAMES = 0x62,
	MSB_MSG_FS_PATH = 0x63,
	MSB_MSG_FS_STATVFS_REPLY = 0x64,
	MSB_MSG_FS_PW = 0x65,
	MSB_MSG_FS_GR = 0x66,
};

/* EXEC flags */
#define MSB_EXEC_PTY          0x1u
#define MSB_EXEC_LOGIN_SHELL  0x2u
#define MSB_EXEC_SHELL_CMD    0x4u   /* argv[0] run by the user's shell -c */

/* EXITED how */
#define MSB_EXIT_CODE    0
#define MSB_EXIT_SIGNAL  1

/* FS_OPEN flags */
#define MSB_FS_O_RDONLY  0x00u
#define MSB_FS_O_WRONLY  0x01u
#define MSB_FS_O_RDWR    0x02u
#define MSB_FS_O_ACCMODE 0x03u
#define MSB_FS_O_APPEND  0x08u
#define MSB_FS_O_CREAT   0x10u
#define MSB_FS_O_TRUNC   0x20u
#define MSB_FS_O_EXCL    0x40u

/* FS_RENAME flags */
#define MSB_FS_RENAME_NOREPLACE 0x1u

/* FS_FD kind */
#define MSB_FS_KIND_FILE 1
#define MSB_FS_KIND_DIR  2

/* SETATTRS mask */
#define MSB_FS_SET_SIZE   0x01u
#define MSB_FS_SET_MODE   0x02u
#define MSB_FS_SET_UIDGID 0x04u
#define MSB_FS_SET_ATIME  0x08u
#define MSB_FS_SET_MTIME  0x10u

/* STATVFS flag bits */
#define MSB_FS_ST_RDONLY 0x1u
#define MSB_FS_ST_NOSUID 0x2u

struct msb_fs_attrs {
	uint64_t dev, ino;
	uint32_t mode, nlink, uid, gid;
	uint64_t rdev, size, blocks;
	int64_t atime_sec, mtime_sec, ctime_sec;
	uint32_t atime_nsec, mtime_nsec, ctime_nsec;
};

struct msb_fs_setattrs {
	uint32_t mask;
	uint64_t size;
	uint32_t mode, uid, gid;
	int64_t atime_sec, mtime_sec;
	uint32_t atime_nsec, mtime_nsec;
};

struct msb_fs_statvfs {
	uint64_t bsize, frsize, blocks, bfree, bavail, files, ffree, favail;
	uint64_t fsid, flag, namemax;
};

/* Terminal state carried by EXEC with MSB_EXEC_PTY. */
struct msb_pty_params {
	char *term;                  /* heap (decoder) or borrowed (encoder) */
	uint32_t rows, cols, xpixel, ypixel;
	uint32_t iflag, oflag, cflag, lflag, ispeed, ospeed;
	uint8_t cc[32];
};

/*
 * A received frame. payload is a read-only view over the receive buffer
 * (valid until the next msb_frame_recv on the same msb_buf); fds[] are owned
 * by the caller (close them or pass them on).
 */
struct msb_frame {
	uint8_t type;
	uint32_t id;
	struct msb_buf *payload;
	int fds[MSB_PROTO_MAX_FDS];
	int nfds;
};

/*
 * Composing: msb_frame_begin() resets b and writes the header with a
 * placeholder length; append the payload with msb_buf_put_*; then
 * msb_frame_end() patches len (and fails with MSB_ERR_TOO_LARGE past
 * MSB_PROTO_FRAME_MAX).
 */
int msb_frame_begin(struct msb_buf *b, uint8_t type, uint32_t id);
int msb_frame_end(struct msb_buf *b);

/*
 * Send the complete frame held in b as one packet with nfds fds attached.
 * Returns 0, or MSB_ERR_SYSTEM with errno (EAGAIN on a full non-blocking
 * socket: nothing was sent; EPIPE/ECONNRESET: the peer is gone).
 */
int msb_frame_send(int sock, const struct msb_buf *b, const int *fds, int nfds);

/*
 * Receive one packet into rx (reset first) and parse its header into *f.
 * Returns 0; MSB_ERR_EOF when the peer closed; MSB_ERR_SYSTEM with errno
 * (EAGAIN when non-blocking and nothing is queued); MSB_ERR_PROTOCOL for a
 * truncated packet, a bad length, too many fds or truncated control data (any
 * fds received are closed in that case). f->payload must be released with
 * msb_frame_release().
 */
int msb_frame_recv(int sock, struct msb_buf *rx, struct msb_frame *f);
/* Free the payload view and close fds still owned (set to -1 when taken). */
void msb_frame_release(struct msb_frame *f);
/* Fail with MSB_ERR_PROTOCOL unless the payload was fully consumed. */
int msb_frame_expect_end(const struct msb_frame *f);

/* Convenience senders (compose + send in one step). */
int msb_proto_send_error(int sock, uint32_t id, int err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int msb_proto_send_ok(int sock, uint32_t id);
/* Decode an ERROR payload: *errp = errno value, *msgp = heap copy. */
int msb_proto_get_error(struct msb_buf *payload, int *errp, char **msgp);

/* Codecs of the shared structures. */
int msb_proto_put_attrs(struct msb_buf *b, const struct msb_fs_attrs *a);
int msb_proto_get_attrs(struct msb_buf *b, struct msb_fs_attrs *a);
void msb_fs_attrs_from_stat(struct msb_fs_attrs *a, const struct stat *st);
int msb_proto_put_setattrs(struct msb_buf *b, const struct msb_fs_setattrs *s);
int msb_proto_get_setattrs(struct msb_buf *b, struct msb_fs_setattrs *s);
int msb_proto_put_statvfs(struct msb_buf *b, const struct msb_fs_statvfs *v);
int msb_proto_get_statvfs(struct msb_buf *b, struct msb_fs_statvfs *v);
void msb_fs_statvfs_from(struct msb_fs_statvfs *v, const struct statvfs *st);
/* PTY parameters, in EXEC order: term, window, termios. */
int msb_proto_put_pty(struct msb_buf *b, const struct msb_pty_params *p);
int msb_proto_get_pty(struct msb_buf *b, struct msb_pty_params *p);
void msb_pty_params_from(struct msb_pty_params *p, const char *term,
    const struct termios *tio, const struct winsize *ws);
void msb_pty_params_to(const struct msb_pty_params *p, struct termios *tio,
    struct winsize *ws);
void msb_pty_params_free(struct msb_pty_params *p);

/* Static name of a message type, for logs ("EXEC", "FS_OPEN", "0x99"). */
const char *msb_msg_name(uint8_t type);

#endif
