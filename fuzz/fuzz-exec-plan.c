/*
 * libFuzzer harness: the agent's EXEC path up to fork (msb-agent/plan.c):
 * decode the request, resolve its user in the sandbox's account files and
 * build argv, environment, PATH candidates and terminal state. Input: the
 * passwd text, a NUL byte, a byte whose low bit says whether 3 fds came
 * with the request, the EXEC payload. The environment must hold
 * exactly one entry per name, every entry NAME=value.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msb/buf.h"
#include "msb/error.h"
#include "msb/passwd.h"
#include "agent-msg.h"
#include "plan.h"
#include "fuzz.h"

static void
check_env(char *const *envp)
{
	size_t i, j, a, b;

	for (i = 0; envp[i] != NULL; i++) {
		a = strcspn(envp[i], "=");
		FUZZ_CHECK(a > 0 && envp[i][a] == '=');
		for (j = 0; j < i; j++) {
			b = strcspn(envp[j], "=");
			FUZZ_CHECK(a != b || memcmp(envp[i], envp[j], a) != 0);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_exec_msg m;
	struct exec_plan plan;
	struct msb_pwdb db;
	const struct msb_pw *pw;
	const uint8_t *nul;
	struct msb_buf *p;
	char *pwtext;
	size_t n;

	/* passwd text, NUL, one byte: the fd count's parity, EXEC payload */
	if ((nul = memchr(data, '\0', size)) == NULL ||
	    (n = (size_t)(nul - data)) + 2 > size)
		return 0;
	if ((pwtext = malloc(n + 1)) == NULL)
		return 0;
	memcpy(pwtext, data, n);
	pwtext[n] = '\0';
	if ((p = msb_buf_from(nul + 2, size - n - 2)) == NULL) {
		free(pwtext);
		return 0;
	}
	if (msb_msg_get_exec(p, (nul[1] & 1) ? 3 : 0, &m) != 0)
		goto out;
	if (msb_pwdb_parse(&db, pwtext, "tty:x:5:\n", &err) == 0) {
		pw = msb_pwdb_by_name(&db, m.user[0] != '\0' ? m.user : "root");
		if (pw != NULL) {
			memset(&plan, 0, sizeof(plan));
			plan_build(&plan, &db, pw, &m);
			FUZZ_CHECK(plan.argv != NULL && plan.argv[0] != NULL);
			FUZZ_CHECK(plan.envp != NULL && plan.paths != NULL);
			check_env(plan.envp);
			FUZZ_CHECK(plan_getenv(plan.envp, "HOME") != NULL);
			plan_free(&plan);
		}
		msb_pwdb_free(&db);
	}
	msb_error_clear(&err);
	msb_exec_msg_free(&m);
out:
	msb_buf_free(p);
	free(pwtext);
	return 0;
}
