/* Sandbox name validation (shared by every entry point). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "msb/name.h"

static int
name_char_ok(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/* A printable, bounded copy of a rejected name for the error message. */
static char *
sanitise(const char *name)
{
	size_t len = strnlen(name, 64), i;
	char *s = malloc(len + 4);

	if (s == NULL)
		return NULL;
	for (i = 0; i < len; i++)
		s[i] = isprint((unsigned char)name[i]) ? name[i] : '?';
	strcpy(s + len, name[len] != '\0' ? "..." : "");
	return s;
}

int
msb_name_validate(const char *name, struct msb_error *err)
{
	const char *why = NULL;
	size_t len, i;
	char *shown;

	if (name == NULL || *name == '\0')
		return msb_error_set(err, EINVAL,
		    "invalid sandbox name '': names are 1-%d characters",
		    MSB_NAME_MAX);
	len = strlen(name);
	for (i = 0; i < len; i++)
		if (!name_char_ok((unsigned char)name[i]))
			break;
	if (i < len)
		why = "only letters, digits, '.', '_' and '-' are allowed";
	else if (len > MSB_NAME_MAX)
		why = "longer than 128 bytes";
	else if (!isalnum((unsigned char)name[0]))
		why = "must start with a letter or digit";
	if (why == NULL)
		return 0;
	shown = sanitise(name);
	msb_error_set(err, EINVAL, "invalid sandbox name '%s': %s",
	    shown != NULL ? shown : "?", why);
	free(shown);
	return -1;
}
