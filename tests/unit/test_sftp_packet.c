/*
 * Unit tests of msb-sftp-server's packet decoding: framing, ATTRS, the
 * argument decoder of every request in the table, handle strings; with
 * truncations, wrong lengths, huge counts and random bit flips.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "msb/buf.h"
#include "msb/err.h"
#include "msb/proto.h"
#include "msb-sftp-server/handle.h"
#include "msb-sftp-server/packet.h"
#include "msb-sftp-server/server.h"
#include "msb-sftp-server/sftp.h"

/* Encode one argument of a spec with plausible values. */
static void
put_arg(struct msb_buf *b, char c, int k)
{
	struct sftp_attrs a = { SSH2_FILEXFER_ATTR_SIZE |
	    SSH2_FILEXFER_ATTR_UIDGID | SSH2_FILEXFER_ATTR_PERMISSIONS |
	    SSH2_FILEXFER_ATTR_ACMODTIME, 1234, 1, 2, 0100644, 5, 6 };
	uint8_t h[4] = { 0, 0, 0, (uint8_t)k };

	switch (c) {
	case 'p':
	case 't':
		cr_assert_eq(msb_buf_put_cstring(b, k ? "/tmp/b" : "dir/a"), 0);
		break;
	case 'h':
		cr_assert_eq(msb_buf_put_string(b, h, sizeof(h)), 0);
		break;
	case 'u':
		cr_assert_eq(msb_buf_put_u32(b, 0x10 + (uint32_t)k), 0);
		break;
	case 'q':
		cr_assert_eq(msb_buf_put_u64(b, 0x100000000ull + (uint64_t)k), 0);
		break;
	case 'a':
		cr_assert_eq(sftp_attrs_encode(b, &a), 0);
		break;
	case 'd':
	case 'b':
		cr_assert_eq(msb_buf_put_string(b, "\0\0\0\1\0\0\0\2", 8), 0);
		break;
	default:
		cr_assert_fail("bad spec letter %c", c);
	}
}

static struct msb_buf *
encode_spec(const char *spec)
{
	struct msb_buf *b = msb_buf_new();
	int k;

	for (k = 0; spec[k] != '\0'; k++)
		put_arg(b, spec[k], k);
	return b;
}

Test(sftp_packet, attrs_roundtrip_and_partial_flags)
{
	struct sftp_attrs a = { SSH2_FILEXFER_ATTR_UIDGID |
	    SSH2_FILEXFER_ATTR_ACMODTIME, 0, 10, 20, 0, 30, 40 }, out;
	struct msb_buf *b = msb_buf_new();

	cr_assert_eq(sftp_attrs_encode(b, &a), 0);
	cr_assert_eq(msb_buf_len(b), 4 + 8 + 8);
	cr_assert_eq(sftp_attrs_decode(b, &out), 0);
	cr_assert_eq(out.flags, a.flags);
	cr_assert_eq(out.uid, 10);
	cr_assert_eq(out.gid, 20);
	cr_assert_eq(out.atime, 30);
	cr_assert_eq(out.mtime, 40);
	cr_assert_eq(out.size, 0);
	cr_assert_eq(msb_buf_len(b), 0);
	msb_buf_free(b);
}

Test(sftp_packet, attrs_extended_pairs_skipped_and_capped)
{
	struct msb_buf *b = msb_buf_new();
	struct sftp_attrs out;

	/* two extended pairs, then a trailing u32 that must remain */
	cr_assert_eq(msb_buf_put_u32(b, SSH2_FILEXFER_ATTR_EXTENDED |
	    SSH2_FILEXFER_ATTR_SIZE), 0);
	cr_assert_eq(msb_buf_put_u64(b, 99), 0);
	cr_assert_eq(msb_buf_put_u32(b, 2), 0);
	cr_assert_eq(msb_buf_put_cstring(b, "a@x"), 0);
	cr_assert_eq(msb_buf_put_cstring(b, "1"), 0);
	cr_assert_eq(msb_buf_put_cstring(b, "b@x"), 0);
	cr_assert_eq(msb_buf_put_cstring(b, ""), 0);
	cr_assert_eq(msb_buf_put_u32(b, 7), 0);
	cr_assert_eq(sftp_attrs_decode(b, &out), 0);
	cr_assert_eq(out.size, 99);
	cr_assert_eq(msb_buf_len(b), 4);
	msb_buf_reset(b);

	/* a huge count is refused without trying to read that many */
	cr_assert_eq(msb_buf_put_u32(b, SSH2_FILEXFER_ATTR_EXTENDED), 0);
	cr_assert_eq(msb_buf_put_u32(b, 0xffffffffu), 0);
	cr_assert_eq(sftp_attrs_decode(b, &out), MSB_ERR_FORMAT);
	msb_buf_reset(b);
	/* a plausible count with missing pairs is incomplete */
	cr_assert_eq(msb_buf_put_u32(b, SSH2_FILEXFER_ATTR_EXTENDED), 0);
	cr_assert_eq(msb_buf_put_u32(b, 1000), 0);
	cr_assert_eq(sftp_attrs_decode(b, &out), MSB_ERR_INCOMPLETE);
	msb_buf_free(b);
}

Test(sftp_packet, frame_peek_limits)
{
	uint8_t p[16] = { 0 };
	struct sftp_frame fr;

	/* fewer than 4 bytes: incomplete */
	cr_assert_eq(sftp_frame_peek(p, 3, &fr), MSB_ERR_INCOMPLETE);
	/* length 0..4 cannot hold type + id: the stream is broken */
	for (p[3] = 0; p[3] < 5; p[3]++)
		cr_assert_eq(sftp_frame_peek(p, sizeof(p), &fr), MSB_ERR_FORMAT);
	/* exactly the maximum is fine (if complete), one more is not */
	msb_poke_u32(p, SFTP_MAX_MSG_LENGTH);
	cr_assert_eq(sftp_frame_peek(p, sizeof(p), &fr), MSB_ERR_INCOMPLETE);
	msb_poke_u32(p, SFTP_MAX_MSG_LENGTH + 1);
	cr_assert_eq(sftp_frame_peek(p, sizeof(p), &fr), MSB_ERR_TOO_LARGE);
	msb_poke_u32(p, 0xffffffffu);
	cr_assert_eq(sftp_frame_peek(p, sizeof(p), &fr), MSB_ERR_TOO_LARGE);
	/* a complete packet */
	msb_poke_u32(p, 9);
	p[4] = SSH2_FXP_CLOSE;
	msb_poke_u32(p + 5, 77);
	cr_assert_eq(sftp_frame_peek(p, 12, &fr), MSB_ERR_INCOMPLETE);
	cr_assert_eq(sftp_frame_peek(p, 13, &fr), 0);
	cr_assert_eq(fr.type, SSH2_FXP_CLOSE);
	cr_assert_eq(fr.id, 77);
	cr_assert_eq(fr.len, 9);
	cr_assert_eq(fr.pkt, p + 4);
}

/* Every prefix of every request's arguments fails cleanly; the whole
 * decodes to the values that were encoded. */
Test(sftp_packet, every_truncation_of_every_request)
{
	const struct sftp_op *ops;
	struct sftp_req req;
	struct msb_buf *full, *v;
	size_t i, n, cut;
	int r;

	ops = sftp_ops_all(&n);
	for (i = 0; i < n; i++) {
		full = encode_spec(ops[i].args);
		for (cut = 0; cut < msb_buf_len(full); cut++) {
			v = msb_buf_from(msb_buf_ptr(full), cut);
			memset(&req, 0, sizeof(req));
			r = sftp_req_decode(ops[i].args, v, &req);
			cr_assert_neq(r, 0, "%s: %zu of %zu bytes decoded",
			    ops[i].name, cut, msb_buf_len(full));
			cr_assert_null(req.str[0]);
			msb_buf_free(v);
		}
		v = msb_buf_from(msb_buf_ptr(full), msb_buf_len(full));
		cr_assert_eq(sftp_req_decode(ops[i].args, v, &req), 0, "%s",
		    ops[i].name);
		cr_assert_eq(msb_buf_len(v), 0);
		cr_assert_eq(req.nstr + req.nhandle + req.nu32 + req.nu64 +
		    req.nblob + (req.data != NULL) +
		    (strchr(ops[i].args, 'a') != NULL),
		    (int)strlen(ops[i].args), "%s", ops[i].name);
		if (req.nstr > 0)
			cr_assert_str_eq(req.str[0], "dir/a");
		sftp_req_free(&req);
		msb_buf_free(v);
		msb_buf_free(full);
	}
}

Test(sftp_packet, strings_with_nul_and_huge_lengths)
{
	struct sftp_req req;
	struct msb_buf *b = msb_buf_new();

	/* embedded NUL in a path: malformed, not truncated */
	cr_assert_eq(msb_buf_put_string(b, "a\0b", 3), 0);
	memset(&req, 0, sizeof(req));
	cr_assert_eq(sftp_req_decode("p", b, &req), MSB_ERR_FORMAT);
	msb_buf_reset(b);
	/* a length far beyond the packet */
	cr_assert_eq(msb_buf_put_u32(b, 0x7fffffff), 0);
	cr_assert_eq(msb_buf_put_u32(b, 0), 0);
	cr_assert_neq(sftp_req_decode("p", b, &req), 0);
	cr_assert_neq(sftp_req_decode("h", b, &req), 0);
	cr_assert_neq(sftp_req_decode("d", b, &req), 0);
	msb_buf_free(b);
}

/* Random bit flips over every request: the decoder never crashes (ASan
 * watches) and either succeeds or reports an error with nothing leaked. */
Test(sftp_packet, random_bit_flips)
{
	const struct sftp_op *ops;
	struct sftp_req req;
	struct msb_buf *full, *v;
	uint8_t *copy;
	size_t i, n, len, round, j;

	srandom(12345);
	ops = sftp_ops_all(&n);
	for (i = 0; i < n; i++) {
		full = encode_spec(ops[i].args);
		len = msb_buf_len(full);
		copy = malloc(len + 1);
		for (round = 0; round < 2000; round++) {
			memcpy(copy, msb_buf_ptr(full), len);
			for (j = 0; j < 1 + (size_t)(random() % 4) && len > 0; j++)
				copy[random() % len] ^= (uint8_t)(1u << (random() % 8));
			v = msb_buf_from(copy, len);
			memset(&req, 0, sizeof(req));
			if (sftp_req_decode(ops[i].args, v, &req) == 0)
				cr_assert_leq(msb_buf_len(v), len);
			sftp_req_free(&req);
			msb_buf_free(v);
		}
		free(copy);
		msb_buf_free(full);
	}
}

Test(sftp_packet, handles_lengths_generations_kinds)
{
	struct sftp_handles t;
	struct sftp_deferred *d;
	uint8_t w[4], bad[5] = { 0 };
	int a, b, c;

	sftp_handles_init(&t, 2);
	a = sftp_handle_new(&t, SFTP_H_FILE, -1, 0, "a");
	b = sftp_handle_new(&t, SFTP_H_DIR, -1, 0, "b");
	cr_assert_geq(a, 0);
	cr_assert_geq(b, 0);
	cr_assert_eq(sftp_handle_new(&t, SFTP_H_FILE, -1, 0, "c"), -1,
	    "the table holds at most max handles");
	sftp_handle_wire(&t, a, w);
	cr_assert_eq(sftp_handle_lookup(&t, w, 4, SFTP_HMASK_FILE), a);
	cr_assert_eq(sftp_handle_lookup(&t, w, 4, SFTP_HMASK_DIR), -1);
	cr_assert_eq(sftp_handle_lookup(&t, w, 3, SFTP_HMASK_ANY), -1);
	memcpy(bad, w, 4);
	cr_assert_eq(sftp_handle_lookup(&t, bad, 5, SFTP_HMASK_ANY), -1);
	/* close and reuse the slot: the old handle string is now stale */
	cr_assert_eq(sftp_handle_free(&t, a, &d), 0);
	cr_assert_null(d);
	cr_assert_eq(sftp_handle_lookup(&t, w, 4, SFTP_HMASK_ANY), -1);
	c = sftp_handle_new(&t, SFTP_H_FILE, -1, 0, "c");
	cr_assert_eq(c, a, "the freed slot is reused");
	cr_assert_eq(sftp_handle_lookup(&t, w, 4, SFTP_HMASK_ANY), -1,
	    "a stale handle must not reach the new file");
	sftp_handle_wire(&t, c, w);
	cr_assert_eq(sftp_handle_lookup(&t, w, 4, SFTP_HMASK_ANY), c);
	/* indexes beyond the table */
	msb_poke_u32(w, 0x000fffffu);
	cr_assert_eq(sftp_handle_lookup(&t, w, 4, SFTP_HMASK_ANY), -1);
	msb_poke_u32(w, 0xffffffffu);
	cr_assert_eq(sftp_handle_lookup(&t, w, 4, SFTP_HMASK_ANY), -1);
	cr_assert_eq(sftp_handle_free(&t, b, &d), 0);
	cr_assert_eq(sftp_handle_free(&t, c, &d), 0);
	cr_assert_eq(t.used, 0);
	free(t.v);
}
