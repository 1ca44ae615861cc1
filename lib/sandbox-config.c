/*
 * The sandbox config file (libconfig syntax), e.g.
 *
 *   version = 1;
 *   name = "devbox";
 *   image = "host";
 *   user = "root";
 *   net = "none";
 *   layout = "single";
 *   created = 1764786900L;
 *   volumes = ( { host = "/srv/src"; target = "/src"; readonly = false; } );
 *   sftp = { read_only = false; allow = "open,read"; log_level = "INFO"; };
 *   ssh = { forwarding = "none"; };      (absent in older configs: none)
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msb/sandbox.h"
#include "sandbox-int.h"

#define CONFIG_VERSION 1

static const char *const layout_names[] = { "single", "split", NULL };
/* Indexed by the MSB_SSH_FWD_* bits. */
static const char *const fwd_names[] = { "none", "local", "remote", "all" };

int
msb_ssh_forwarding_parse(const char *s, int *out)
{
	int i;

	for (i = 0; i <= MSB_SSH_FWD_ALL; i++)
		if (s != NULL && strcmp(s, fwd_names[i]) == 0) {
			*out = i;
			return 0;
		}
	return -1;
}

const char *
msb_ssh_forwarding_name(int fwd)
{
	return fwd >= 0 && fwd <= MSB_SSH_FWD_ALL ? fwd_names[fwd] : "?";
}

void
msb_sandbox_config_free(struct msb_sandbox_config *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	free(cfg->name);
	free(cfg->image);
	free(cfg->user);
	for (i = 0; i < cfg->nvolumes; i++)
		msb_volume_free(&cfg->volumes[i]);
	free(cfg->volumes);
	free(cfg->sftp_allow);
	free(cfg->sftp_deny);
	free(cfg->sftp_log_level);
	memset(cfg, 0, sizeof(*cfg));
}

int
msb_user_name_validate(const char *user, struct msb_error *err)
{
	size_t i, n;

	n = user != NULL ? strlen(user) : 0;
	if (n == 0 || n > 32 || user[0] == '-')
		goto bad;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)user[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			goto bad;
	}
	return 0;
bad:
	return msb_error_set(err, EINVAL, "invalid user name '%.40s': use 1-32 "
	    "letters, digits, '.', '_' or '-' (not first)",
	    user != NULL ? user : "");
}

static int
add_string(config_setting_t *parent, const char *key, const char *val)
{
	config_setting_t *s;

	if (val == NULL)
		return 0;
	s = config_setting_add(parent, key, CONFIG_TYPE_STRING);
	return s != NULL && config_setting_set_string(s, val) == CONFIG_TRUE ?
	    0 : -1;
}

static int
add_bool(config_setting_t *parent, const char *key, int val)
{
	config_setting_t *s = config_setting_add(parent, key, CONFIG_TYPE_BOOL);

	return s != NULL && config_setting_set_bool(s, val) == CONFIG_TRUE ?
	    0 : -1;
}

static int
build(config_t *c, const struct msb_sandbox_config *cfg)
{
	config_setting_t *root = config_root_setting(c), *s, *list, *g;
	size_t i;

	if ((s = config_setting_add(root, "version", CONFIG_TYPE_INT)) == NULL ||
	    config_setting_set_int(s, CONFIG_VERSION) != CONFIG_TRUE)
		return -1;
	if (add_string(root, "name", cfg->name) != 0 ||
	    add_string(root, "image", cfg->image) != 0 ||
	    add_string(root, "user", cfg->user) != 0 ||
	    add_string(root, "net", cfg->net_host ? "host" : "none") != 0 ||
	    add_string(root, "layout", layout_names[cfg->layout ==
	    MSB_LAYOUT_SPLIT]) != 0)
		return -1;
	if ((s = config_setting_add(root, "created", CONFIG_TYPE_INT64)) ==
	    NULL || config_setting_set_int64(s, cfg->created) != CONFIG_TRUE)
		return -1;
	if ((list = config_setting_add(root, "volumes", CONFIG_TYPE_LIST)) ==
	    NULL)
		return -1;
	for (i = 0; i < cfg->nvolumes; i++) {
		if ((g = config_setting_add(list, NULL, CONFIG_TYPE_GROUP)) ==
		    NULL || add_string(g, "host", cfg->volumes[i].host) != 0 ||
		    add_string(g, "target", cfg->volumes[i].target) != 0 ||
		    add_bool(g, "readonly", cfg->volumes[i].readonly) != 0)
			return -1;
	}
	if ((g = config_setting_add(root, "sftp", CONFIG_TYPE_GROUP)) == NULL ||
	    add_bool(g, "read_only", cfg->sftp_readonly) != 0 ||
	    add_string(g, "allow", cfg->sftp_allow) != 0 ||
	    add_string(g, "deny", cfg->sftp_deny) != 0 ||
	    add_string(g, "log_level", cfg->sftp_log_level) != 0)
		return -1;
	if ((g = config_setting_add(root, "ssh", CONFIG_TYPE_GROUP)) == NULL ||
	    add_string(g, "forwarding",
	    msb_ssh_forwarding_name(cfg->ssh_forwarding)) != 0)
		return -1;
	return 0;
}

int
msb_sandbox_config_write(const char *path,
    const struct msb_sandbox_config *cfg, struct msb_error *err)
{
	char *tmp = sb_strjoin(path, "", ".tmp");
	config_t c;
	FILE *f = NULL;
	int fd = -1, r = -1;

	if (tmp == NULL)
		return msb_error_set(err, ENOMEM, "out of memory");
	config_init(&c);
	if (build(&c, cfg) != 0) {
		msb_error_set(err, ENOMEM, "cannot build the config of '%.128s'",
		    cfg->name != NULL ? cfg->name : "");
		goto out;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
		msb_error_sys(err, errno, "cannot write %s", tmp);
		goto out;
	}
	fd = -1;
	config_write(&c, f);
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0) {
		msb_error_sys(err, errno, "cannot write %s", tmp);
		goto out;
	}
	if (fclose(f) != 0) {
		f = NULL;
		msb_error_sys(err, errno, "cannot write %s", tmp);
		goto out;
	}
	f = NULL;
	if (rename(tmp, path) != 0) {
		msb_error_sys(err, errno, "cannot write %s", path);
		goto out;
	}
	r = 0;
out:
	if (f != NULL)
		fclose(f);
	if (fd >= 0)
		close(fd);
	if (r != 0)
		unlink(tmp);
	free(tmp);
	config_destroy(&c);
	return r;
}

/* Copy an optional string member; *out stays NULL if absent. */
static int
get_string(const config_setting_t *g, const char *key, char **out,
    int required)
{
	const char *v;

	*out = NULL;
	if (config_setting_lookup_string(g, key, &v) != CONFIG_TRUE)
		return required ? -1 : 0;
	return (*out = strdup(v)) != NULL ? 0 : -1;
}

static int
read_volumes(const config_t *c, struct msb_sandbox_config *cfg)
{
	config_setting_t *list = config_lookup(c, "volumes"), *g;
	int n, i, ro;

	if (list == NULL)
		return 0;
	if (!config_setting_is_list(list) && !config_setting_is_array(list))
		return -1;
	n = config_setting_length(list);
	if (n == 0)
		return 0;
	if ((cfg->volumes = calloc((size_t)n, sizeof(*cfg->volumes))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		g = config_setting_get_elem(list, (unsigned)i);
		if (g == NULL || !config_setting_is_group(g))
			return -1;
		cfg->nvolumes++;
		if (get_string(g, "host", &cfg->volumes[i].host, 1) != 0 ||
		    get_string(g, "target", &cfg->volumes[i].target, 1) != 0)
			return -1;
		ro = 0;
		(void)config_setting_lookup_bool(g, "readonly", &ro);
		cfg->volumes[i].readonly = ro != 0;
		if (cfg->volumes[i].host[0] != '/' ||
		    msb_volume_check_target(cfg->volumes[i].target, NULL) != 0)
			return -1;
	}
	return 0;
}

static int
read_fields(const config_t *c, struct msb_sandbox_config *cfg)
{
	config_setting_t *root = config_root_setting(c), *sftp, *ssh;
	long long created = 0;
	const char *net = "none", *layout = "single", *fwd = "none";
	int ro = 0;

	if (get_string(root, "name", &cfg->name, 1) != 0 ||
	    get_string(root, "image", &cfg->image, 1) != 0 ||
	    get_string(root, "user", &cfg->user, 0) != 0)
		return -1;
	if (cfg->user == NULL && (cfg->user = strdup("root")) == NULL)
		return -1;
	(void)config_lookup_string(c, "net", &net);
	if (strcmp(net, "host") == 0)
		cfg->net_host = 1;
	else if (strcmp(net, "none") != 0)
		return -1;
	(void)config_lookup_string(c, "layout", &layout);
	if (strcmp(layout, "split") == 0)
		cfg->layout = MSB_LAYOUT_SPLIT;
	else if (strcmp(layout, "single") != 0)
		return -1;
	(void)config_lookup_int64(c, "created", &created);
	cfg->created = created;
	if (read_volumes(c, cfg) != 0)
		return -1;
	if ((sftp = config_lookup(c, "sftp")) != NULL) {
		if (!config_setting_is_group(sftp))
			return -1;
		(void)config_setting_lookup_bool(sftp, "read_only", &ro);
		cfg->sftp_readonly = ro != 0;
		if (get_string(sftp, "allow", &cfg->sftp_allow, 0) != 0 ||
		    get_string(sftp, "deny", &cfg->sftp_deny, 0) != 0 ||
		    get_string(sftp, "log_level", &cfg->sftp_log_level, 0) != 0)
			return -1;
	}
	if ((ssh = config_lookup(c, "ssh")) != NULL) {
		if (!config_setting_is_group(ssh))
			return -1;
		(void)config_setting_lookup_string(ssh, "forwarding", &fwd);
	}
	/* An unknown value fails closed: the sandbox does not load. */
	if (msb_ssh_forwarding_parse(fwd, &cfg->ssh_forwarding) != 0)
		return -1;
	if (cfg->image[0] != '/' && strcmp(cfg->image, "host") != 0)
		return -1;
	return 0;
}

int
msb_sandbox_config_read(const char *path, struct msb_sandbox_config *cfg,
    struct msb_error *err)
{
	config_t c;
	FILE *f;
	int version = 0, r = -1;

	memset(cfg, 0, sizeof(*cfg));
	if ((f = fopen(path, "re")) == NULL)
		return msb_error_sys(err, errno, "cannot read %s", path);
	config_init(&c);
	if (config_read(&c, f) != CONFIG_TRUE) {
		msb_error_set(err, EINVAL, "%s:%d: %s", path,
		    config_error_line(&c), config_error_text(&c) != NULL ?
		    config_error_text(&c) : "syntax error");
		goto out;
	}
	if (config_lookup_int(&c, "version", &version) != CONFIG_TRUE ||
	    version != CONFIG_VERSION) {
		msb_error_set(err, EINVAL, "%s: unsupported config version",
		    path);
		goto out;
	}
	if (read_fields(&c, cfg) != 0) {
		msb_error_set(err, EINVAL, "%s: missing or invalid settings",
		    path);
		msb_sandbox_config_free(cfg);
		goto out;
	}
	r = 0;
out:
	config_destroy(&c);
	fclose(f);
	return r;
}
