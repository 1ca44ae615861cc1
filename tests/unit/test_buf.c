/* Unit tests of the wire buffer, including hostile inputs. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "msb/buf.h"
#include "msb/err.h"

Test(buf, put_get_roundtrip)
{
	struct msb_buf *b = msb_buf_new();
	uint8_t u8;
	uint32_t u32;
	uint64_t u64;
	char *s;
	size_t len;

	cr_assert_not_null(b);
	cr_assert_eq(msb_buf_put_u8(b, 0xab), 0);
	cr_assert_eq(msb_buf_put_u32(b, 0xdeadbeef), 0);
	cr_assert_eq(msb_buf_put_u64(b, 0x0102030405060708ULL), 0);
	cr_assert_eq(msb_buf_put_cstring(b, "hello"), 0);
	cr_assert_eq(msb_buf_len(b), 1 + 4 + 8 + 4 + 5);
	cr_assert_eq(msb_buf_ptr(b)[1], 0xde);
	cr_assert_eq(msb_buf_get_u8(b, &u8), 0);
	cr_assert_eq(u8, 0xab);
	cr_assert_eq(msb_buf_get_u32(b, &u32), 0);
	cr_assert_eq(u32, 0xdeadbeef);
	cr_assert_eq(msb_buf_get_u64(b, &u64), 0);
	cr_assert_eq(u64, 0x0102030405060708ULL);
	cr_assert_eq(msb_buf_get_cstring(b, &s, &len), 0);
	cr_assert_str_eq(s, "hello");
	cr_assert_eq(len, 5);
	cr_assert_eq(msb_buf_len(b), 0);
	free(s);
	msb_buf_free(b);
}

Test(buf, short_reads_leave_position)
{
	const uint8_t data[] = { 0, 0, 0 };
	struct msb_buf *b = msb_buf_from(data, sizeof(data));
	uint32_t v = 7;

	cr_assert_eq(msb_buf_get_u32(b, &v), MSB_ERR_INCOMPLETE);
	cr_assert_eq(v, 0);
	cr_assert_eq(msb_buf_len(b), 3);
	msb_buf_free(b);
}

Test(buf, string_length_beyond_data)
{
	const uint8_t data[] = { 0, 0, 0, 10, 'a', 'b' };
	struct msb_buf *b = msb_buf_from(data, sizeof(data));
	char *s = (char *)1;

	cr_assert_eq(msb_buf_get_cstring(b, &s, NULL), MSB_ERR_INCOMPLETE);
	cr_assert_null(s);
	cr_assert_eq(msb_buf_len(b), sizeof(data));
	msb_buf_free(b);
}

Test(buf, huge_string_length)
{
	const uint8_t data[] = { 0xff, 0xff, 0xff, 0xff, 'a' };
	struct msb_buf *b = msb_buf_from(data, sizeof(data));
	const uint8_t *p;
	size_t len;

	cr_assert_eq(msb_buf_get_string_direct(b, &p, &len), MSB_ERR_TOO_LARGE);
	cr_assert_null(p);
	cr_assert_eq(len, 0);
	msb_buf_free(b);
}

Test(buf, cstring_rejects_embedded_nul)
{
	const uint8_t data[] = { 0, 0, 0, 3, 'a', 0, 'b' };
	struct msb_buf *b = msb_buf_from(data, sizeof(data));
	char *s;

	cr_assert_eq(msb_buf_get_cstring(b, &s, NULL), MSB_ERR_FORMAT);
	cr_assert_eq(msb_buf_len(b), sizeof(data));
	msb_buf_free(b);
}

Test(buf, max_size_enforced)
{
	struct msb_buf *b = msb_buf_new();
	uint8_t big[100];

	memset(big, 'x', sizeof(big));
	cr_assert_eq(msb_buf_set_max(b, 64), 0);
	cr_assert_eq(msb_buf_put(b, big, 64), 0);
	cr_assert_eq(msb_buf_put_u8(b, 1), MSB_ERR_TOO_LARGE);
	cr_assert_eq(msb_buf_consume(b, 10), 0);
	cr_assert_eq(msb_buf_put(b, big, 10), 0);
	cr_assert_eq(msb_buf_len(b), 64);
	msb_buf_free(b);
}

Test(buf, readonly_view_refuses_writes)
{
	const uint8_t data[] = { 1, 2 };
	struct msb_buf *b = msb_buf_from(data, sizeof(data));

	cr_assert_eq(msb_buf_put_u8(b, 1), MSB_ERR_INVALID_ARG);
	cr_assert_null(msb_buf_mutable_ptr(b));
	msb_buf_free(b);
}

Test(buf, poke_and_consume_end)
{
	struct msb_buf *b = msb_buf_new();
	uint32_t v;

	cr_assert_eq(msb_buf_put_u32(b, 0), 0);
	cr_assert_eq(msb_buf_put_u32(b, 5), 0);
	cr_assert_eq(msb_buf_poke_u32(b, 0, 42), 0);
	cr_assert_eq(msb_buf_poke_u32(b, 5, 1), MSB_ERR_INCOMPLETE);
	cr_assert_eq(msb_buf_consume_end(b, 4), 0);
	cr_assert_eq(msb_buf_get_u32(b, &v), 0);
	cr_assert_eq(v, 42);
	cr_assert_eq(msb_buf_consume_end(b, 1), MSB_ERR_INCOMPLETE);
	msb_buf_free(b);
}

/* Every truncation of a valid message must fail cleanly, never crash. */
Test(buf, every_truncation_fails_cleanly)
{
	struct msb_buf *b = msb_buf_new(), *v;
	size_t n, full;
	uint32_t u;
	char *s;

	cr_assert_eq(msb_buf_put_u32(b, 7), 0);
	cr_assert_eq(msb_buf_put_cstring(b, "path/name"), 0);
	cr_assert_eq(msb_buf_put_u64(b, 9), 0);
	full = msb_buf_len(b);
	for (n = 0; n < full; n++) {
		uint64_t u64;
		int r;

		v = msb_buf_from(msb_buf_ptr(b), n);
		if ((r = msb_buf_get_u32(v, &u)) == 0 &&
		    (r = msb_buf_get_cstring(v, &s, NULL)) == 0) {
			free(s);
			r = msb_buf_get_u64(v, &u64);
		}
		cr_assert_eq(r, MSB_ERR_INCOMPLETE, "truncated at %zu", n);
		msb_buf_free(v);
	}
	msb_buf_free(b);
}
