/* Sandbox names: 1-128 bytes of [A-Za-z0-9._-], first character alphanumeric. */
#ifndef MSB_NAME_H
#define MSB_NAME_H

#include "msb/error.h"

#define MSB_NAME_MAX 128

/* 0 if valid, else -1 with a message that quotes the (sanitised) name. */
int msb_name_validate(const char *name, struct msb_error *err);

#endif
