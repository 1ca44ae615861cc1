/* Paths of the helper programs, overridable from the environment. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "msb/sandbox.h"

static const struct {
	const char *which;       /* also the environment variable */
	const char *installed;
} progs[] = {
	{ "MSB_AGENT", MSB_LIBEXECDIR "/msb-agent" },
	{ "MSB_SHELL", MSB_LIBEXECDIR "/msb-shell" },
	{ "MSB_PROXY", MSB_LIBEXECDIR "/msb-proxy" },
	{ "MSB_SFTP_SERVER", MSB_LIBEXECDIR "/msb-sftp-server" },
	{ "MSB_SSHD", MSB_SSHD_PATH },
	{ "MSB_SSH_KEYGEN", MSB_SSH_KEYGEN_PATH },
	{ NULL, NULL },
};

const char *
msb_prog_path(const char *which)
{
	const char *v;
	size_t i;

	for (i = 0; progs[i].which != NULL; i++) {
		if (strcmp(progs[i].which, which) != 0)
			continue;
		v = getenv(which);
		return v != NULL && *v == '/' ? v : progs[i].installed;
	}
	return "/nonexistent";
}
