/*
 * Durations on the command line: "500ms", "30s", "10m", "1h", "2d", a bare
 * number (seconds) or a sum such as "1h30m". Sub-second values round up to
 * whole seconds (sshd's time granularity); "0" means zero (callers use it to
 * disable a timeout). Upper-layer convention: 0 / -1 with struct msb_error.
 */
#ifndef MSB_DURATION_H
#define MSB_DURATION_H

#include <stdint.h>

#include "msb/error.h"

/* Largest accepted value: sshd keeps times in an int. */
#define MSB_DURATION_MAX_SECONDS 2147483647u

int msb_duration_parse(const char *s, uint32_t *seconds, struct msb_error *err);

#endif
