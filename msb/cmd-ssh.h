/* Shared by the msb ssh subcommands (msb/cmd-ssh*.c). */
#ifndef MSB_CMD_SSH_H
#define MSB_CMD_SSH_H

#define MSB_SSH_CONNECT_USAGE \
	"[SSH-OPTION...] [USER@]NAME[.msb] [COMMAND [ARG...]]"

/* What `msb ssh config NAME` puts in its Host block. */
struct msb_ssh_host {
	char *alias;         /* NAME.msb: HostName and HostKeyAlias */
	char *proxy;         /* ProxyCommand line */
	char *known_hosts;   /* UserKnownHostsFile, quoted for ssh_config */
};

/* Load sandbox NAME, ensure its host key and pin it; 0, or 1 after
 * reporting the error on stderr. */
int msb_ssh_host_settings(const char *name, struct msb_ssh_host *h);
void msb_ssh_host_free(struct msb_ssh_host *h);
/* 1 if name is a valid sandbox name; else "msb: ssh CMD: why" on stderr
 * and 0 (the caller exits 2: a usage error). */
int ssh_name_ok(const char *cmd, const char *name);

int cmd_ssh_connect(int argc, char **argv);
/* msb ssh NAME ...: as connect, unless NAME is no sandbox either. */
int cmd_ssh_connect_implicit(int argc, char **argv);

#endif
