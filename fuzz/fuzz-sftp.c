/*
 * libFuzzer harness: the SFTP packet decoder of msb-sftp-server
 * (msb-sftp-server/packet.c, used read-only here): the stream framing and
 * every request layout the server declares, plus ATTRS. SFTP clients are
 * authenticated users, but a bug here would run on the host.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msb/buf.h"
#include "msb/err.h"
#include "packet.h"
#include "fuzz.h"

/* The request layouts of msb-sftp-server/ops.c. */
static const char *const specs[] = {
	"pua", "h", "hqu", "hqd", "p", "pa", "ha", "pp", "tp", "t", "bb",
	"hqqhq",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sftp_frame fr;
	struct sftp_req req;
	struct sftp_attrs at;
	struct msb_buf *b;
	size_t off = 0;
	uint8_t sel;

	if (size < 1)
		return 0;
	sel = data[0];
	data++;
	size--;
	if (sel & 0x80) {
		if ((b = msb_buf_from(data, size)) != NULL) {
			(void)sftp_attrs_decode(b, &at);
			msb_buf_free(b);
		}
		return 0;
	}
	/* A stream of packets, as the server's input loop sees it. */
	while (off < size && sftp_frame_peek(data + off, size - off,
	    &fr) == 0) {
		FUZZ_CHECK(fr.len >= 1 && 4 + fr.len <= size - off);
		FUZZ_CHECK(fr.pkt == data + off + 4);
		/* type and id, then the fields */
		if (fr.len >= 5 && (b = msb_buf_from(fr.pkt + 5,
		    fr.len - 5)) != NULL) {
			if (sftp_req_decode(specs[sel % (sizeof(specs) /
			    sizeof(specs[0]))], b, &req) == 0)
				sftp_req_free(&req);
			msb_buf_free(b);
		}
		off += 4 + fr.len;
	}
	return 0;
}
