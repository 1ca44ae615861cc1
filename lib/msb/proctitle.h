/*
 * Process titles (ps, /proc/PID/cmdline) for long-lived processes whose
 * inherited argv would mislead: the sandbox monitor is forked from
 * whatever started the sandbox (msb-proxy's "msb-proxy devbox --stdio",
 * "msb start devbox") and lives on. libbsd's setproctitle, initialised
 * from a constructor in this file, so it works in every program that
 * links the call (glibc passes argc, argv and envp to constructors).
 */
#ifndef MSB_PROCTITLE_H
#define MSB_PROCTITLE_H

/* Set the whole title, printf-style; a no-op if it could not be set up. */
void msb_proctitle(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
