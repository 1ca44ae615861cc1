/*
 * Allocators for msb programs: they never return NULL (out of memory is
 * fatal through log_fatal). Library code that must not exit uses plain
 * malloc and reports MSB_ERR_ALLOC / ENOMEM instead.
 */
#ifndef MSB_XMALLOC_H
#define MSB_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
int xasprintf(char **out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Returns a heap string; shorthand for xasprintf. */
char *xstrfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
