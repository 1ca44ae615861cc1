/*
 * copy-data: server-side copy between two open file handles (sftp's "cp").
 * Both descriptors are here, so the copy is local: copy_file_range where
 * the kernel can (reflinks, no user-space copy), else pread/pwrite.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msb/log.h"
#include "msb/xmalloc.h"
#include "ops.h"
#include "sftp.h"

#define COPY_CHUNK (64u * 1024u)
#define COPY_CFR_CHUNK (8u * 1024u * 1024u)

/* One chunk through user space; bytes copied, 0 at EOF, -1 on error. */
static ssize_t
copy_rw(int rfd, uint64_t roff, int wfd, uint64_t woff, size_t len)
{
	static uint8_t *buf;
	size_t done = 0;
	ssize_t n, w;

	if (buf == NULL)
		buf = xmalloc(COPY_CHUNK);
	if (len > COPY_CHUNK)
		len = COPY_CHUNK;
	do {
		n = pread(rfd, buf, len, (off_t)roff);
	} while (n < 0 && errno == EINTR);
	if (n <= 0)
		return n;
	while (done < (size_t)n) {
		/* with O_APPEND, Linux pwrite appends whatever the offset */
		w = pwrite(wfd, buf + done, (size_t)n - done,
		    (off_t)(woff + done));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = ENOSPC;
			return -1;
		}
		done += (size_t)w;
	}
	return n;
}

/*
 * Whether a copy of rlen bytes that met EOF after copied bytes reports EOF:
 * the reads that returned data took ceil(copied / 64K) chunks, one more met
 * EOF; only if rlen asked for more than that is the status EOF.
 */
static int
eof_is_short(uint64_t rlen, uint64_t copied)
{
	uint64_t chunks = copied / COPY_CHUNK + (copied % COPY_CHUNK != 0) + 1;

	return chunks <= UINT64_MAX / COPY_CHUNK && rlen > chunks * COPY_CHUNK;
}

void
op_copy_data(struct srv *s, struct sftp_req *req)
{
	struct sftp_handle *rh = sftp_handle_at(&s->ht, req->hidx[0]);
	struct sftp_handle *wh = sftp_handle_at(&s->ht, req->hidx[1]);
	uint64_t roff = req->u64[0], rlen = req->u64[1], woff = req->u64[2];
	uint64_t left, copied = 0;
	struct stat rst, wst;
	int until_eof = rlen == 0, use_cfr, status = SSH2_FX_OK;
	loff_t ro, wo;
	ssize_t n;
	size_t chunk;

	/* sftp-server 9.2: a bad or directory handle is a plain FAILURE */
	if (rh == NULL || wh == NULL || rh->kind != SFTP_H_FILE ||
	    wh->kind != SFTP_H_FILE) {
		log_error("copy-data: bad read or write handle");
		reply_status(s, req->id, SSH2_FX_FAILURE, NULL);
		return;
	}
	log_debug("request %u: copy-data from \"%s\" off %llu len %llu to "
	    "\"%s\" off %llu", req->id, rh->name, (unsigned long long)roff,
	    (unsigned long long)rlen, wh->name, (unsigned long long)woff);
	if (fstat(rh->fd, &rst) != 0 || fstat(wh->fd, &wst) != 0) {
		reply_errno(s, req->id, errno);
		return;
	}
	if (req->hidx[0] == req->hidx[1] || (rst.st_dev == wst.st_dev &&
	    rst.st_ino == wst.st_ino)) {
		log_error("copy-data: refusing to copy \"%.100s\" onto itself",
		    rh->name);
		reply_status(s, req->id, SSH2_FX_FAILURE,
		    "Source and destination are the same file");
		return;
	}
	if (roff > (uint64_t)INT64_MAX || woff > (uint64_t)INT64_MAX) {
		reply_errno(s, req->id, EINVAL);
		return;
	}
	left = until_eof ? (uint64_t)INT64_MAX - roff : rlen;
	/* copy_file_range cannot write to an O_APPEND descriptor */
	use_cfr = !wh->append && S_ISREG(rst.st_mode) && S_ISREG(wst.st_mode);
	while (left > 0) {
		chunk = left > COPY_CFR_CHUNK ? COPY_CFR_CHUNK : (size_t)left;
		if (use_cfr) {
			ro = (loff_t)roff;
			wo = (loff_t)woff;
			n = copy_file_range(rh->fd, &ro, wh->fd, &wo, chunk, 0);
			if (n < 0 && (errno == EXDEV || errno == EINVAL ||
			    errno == ENOSYS || errno == EOPNOTSUPP)) {
				use_cfr = 0;
				continue;
			}
		} else
			n = copy_rw(rh->fd, roff, wh->fd, woff, chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			log_error("copy-data: %s", strerror(errno));
			reply_errno(s, req->id, errno);
			return;
		}
		if (n == 0) {
			/*
			 * EOF before the requested length was copied.
			 * sftp-server counts the length off in 64 KiB reads
			 * before it makes them and says EOF only when more
			 * than the read that met EOF was still to come.
			 */
			if (!until_eof && eof_is_short(rlen, copied))
				status = SSH2_FX_EOF;
			break;
		}
		roff += (uint64_t)n;
		woff += (uint64_t)n;
		copied += (uint64_t)n;
		left -= (uint64_t)n;
		rh->bytes_read += (uint64_t)n;
		wh->bytes_written += (uint64_t)n;
	}
	reply_status(s, req->id, status, NULL);
}
