/*
 * Resource limit values (msb_limits_parse_*) and the limits file
 * (msb_sandbox_limits_write / _read): what `msb create --memory/--pids/
 * --cpus` and a hand-written $dir/limits may say.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msb/error.h"
#include "msb/sandbox.h"

static uint64_t
mem(const char *s)
{
	struct msb_error err = MSB_ERROR_INIT;
	uint64_t v = 0;

	if (msb_limits_parse_memory(s, &v, &err) != 0) {
		cr_assert_eq(err.code, EINVAL);
		msb_error_clear(&err);
		return 0;
	}
	return v;
}

static uint64_t
cpus(const char *s)
{
	struct msb_error err = MSB_ERROR_INIT;
	uint64_t v = 0;

	if (msb_limits_parse_cpus(s, &v, &err) != 0) {
		cr_assert_eq(err.code, EINVAL);
		msb_error_clear(&err);
		return 0;
	}
	return v;
}

static uint64_t
pids(const char *s)
{
	struct msb_error err = MSB_ERROR_INIT;
	uint64_t v = 0;

	if (msb_limits_parse_pids(s, &v, &err) != 0) {
		cr_assert_eq(err.code, EINVAL);
		msb_error_clear(&err);
		return 0;
	}
	return v;
}

Test(limits, memory)
{
	cr_assert_eq(mem("512M"), 512ull << 20);
	cr_assert_eq(mem("2g"), 2ull << 30);
	cr_assert_eq(mem("4096k"), 4ull << 20);
	cr_assert_eq(mem("1T"), 1ull << 40);
	cr_assert_eq(mem("67108864"), 64ull << 20);
	cr_assert_eq(mem("3M"), 0, "below the minimum");
	cr_assert_eq(mem("0"), 0);
	cr_assert_eq(mem(""), 0);
	cr_assert_eq(mem("-1G"), 0);
	cr_assert_eq(mem("+1G"), 0);
	cr_assert_eq(mem(" 1G"), 0);
	cr_assert_eq(mem("1GB"), 0);
	cr_assert_eq(mem("1.5G"), 0);
	cr_assert_eq(mem("1Q"), 0);
	cr_assert_eq(mem("99999999999999999999"), 0, "overflow");
	cr_assert_eq(mem("16777216T"), 0, "overflow by the unit");
}

Test(limits, cpus)
{
	cr_assert_eq(cpus("1"), 1000);
	cr_assert_eq(cpus("0.5"), 500);
	cr_assert_eq(cpus("2.25"), 2250);
	cr_assert_eq(cpus("0.01"), 10);
	cr_assert_eq(cpus("1024"), 1024000);
	cr_assert_eq(cpus("0.009"), 0, "below 0.01");
	cr_assert_eq(cpus("0.0001"), 0, "finer than 1/1000");
	cr_assert_eq(cpus("1025"), 0);
	cr_assert_eq(cpus("99999999999999999999999"), 0);
	cr_assert_eq(cpus("1."), 0);
	cr_assert_eq(cpus(".5"), 0);
	cr_assert_eq(cpus("1,5"), 0);
	cr_assert_eq(cpus("-1"), 0);
	cr_assert_eq(cpus(""), 0);
}

Test(limits, pids)
{
	cr_assert_eq(pids("1"), 1);
	cr_assert_eq(pids("4194304"), 4194304);
	cr_assert_eq(pids("4194305"), 0);
	cr_assert_eq(pids("0"), 0);
	cr_assert_eq(pids("10x"), 0);
	cr_assert_eq(pids("-5"), 0);
	cr_assert_eq(pids("184467440737095516160"), 0);
}

Test(limits, file_round_trip)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_limits in = { 256ull << 20, 100, 1500 }, out, none = { 0 };
	char dir[] = "/tmp/msb-limits-test.XXXXXX", path[128];
	struct msb_sandbox sb;
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	memset(&sb, 0, sizeof(sb));
	sb.dir = dir;
	cr_assert_eq(msb_sandbox_limits_read(&sb, &out, &err), 0);
	cr_assert_eq(out.memory + out.pids + out.cpu_milli, 0, "no file");
	cr_assert_eq(msb_sandbox_limits_write(&sb, &in, &err), 0);
	cr_assert_eq(msb_sandbox_limits_read(&sb, &out, &err), 0);
	cr_assert_eq(out.memory, in.memory);
	cr_assert_eq(out.pids, in.pids);
	cr_assert_eq(out.cpu_milli, in.cpu_milli);
	snprintf(path, sizeof(path), "%s/limits", dir);
	cr_assert_eq(access(path, F_OK), 0);
	/* Hand-written: numbers and strings; an unknown name is an error. */
	cr_assert_not_null(f = fopen(path, "w"));
	fprintf(f, "memory = 67108864;\npids = \"20\";\n");
	fclose(f);
	cr_assert_eq(msb_sandbox_limits_read(&sb, &out, &err), 0);
	cr_assert_eq(out.memory, 64ull << 20);
	cr_assert_eq(out.pids, 20);
	cr_assert_eq(out.cpu_milli, 0);
	cr_assert_not_null(f = fopen(path, "w"));
	fprintf(f, "memory = \"64M\";\ncpu = \"1\";\n");
	fclose(f);
	cr_assert_eq(msb_sandbox_limits_read(&sb, &out, &err), -1);
	cr_assert_not_null(strstr(msb_error_msg(&err), "unknown setting 'cpu'"));
	msb_error_clear(&err);
	cr_assert_not_null(f = fopen(path, "w"));
	fprintf(f, "memory = [1, 2];\n");
	fclose(f);
	cr_assert_eq(msb_sandbox_limits_read(&sb, &out, &err), -1);
	msb_error_clear(&err);
	cr_assert_not_null(f = fopen(path, "w"));
	fprintf(f, "memory = = \"64M\";\n");   /* syntax error */
	fclose(f);
	cr_assert_eq(msb_sandbox_limits_read(&sb, &out, &err), -1);
	msb_error_clear(&err);
	/* All zero removes the file. */
	cr_assert_eq(msb_sandbox_limits_write(&sb, &none, &err), 0);
	cr_assert_neq(access(path, F_OK), 0);
	cr_assert_eq(rmdir(dir), 0);
}
