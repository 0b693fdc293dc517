/* buf -- a growable byte buffer with a mandatory maximum size.
 *
 * Every buffer that input can grow has a ceiling: going over it is an
 * input error (ERR_DATA), not a crash or an unbounded allocation.  The
 * content is always NUL-terminated (b->p[b->len] == 0) once anything has
 * been appended.
 *
 * The first failure sticks: after an append fails (ERR_NOMEM, ERR_DATA),
 * every later append fails with the same status and changes nothing, so
 * a text built by many appends is either whole or marked failed, never
 * silently cut - check b->err (or buf_status) once at the end.
 */
#ifndef KQ_BUF_H
#define KQ_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
    char *p;       /* owned; NULL until the first append */
    size_t len;    /* bytes used, excluding the terminating NUL */
    size_t cap;    /* bytes allocated */
    size_t max;    /* largest len allowed */
    int err;       /* ERR_OK, or the status of the first failed append */
};

/* An empty buffer that may grow to max bytes. */
void buf_init(struct buf *b, size_t max);

/* Append n bytes.  ERR_OK, ERR_NOMEM, or ERR_DATA when over max. */
int buf_append(struct buf *b, const void *data, size_t n);

/* Append a NUL-terminated string. */
int buf_puts(struct buf *b, const char *s);

/* Append printf-formatted text. */
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* buf_printf with a va_list (ap is used up). */
int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* ERR_OK, or the status of the first append that failed since
 * buf_init or buf_reset. */
int buf_status(const struct buf *b);

/* Forget the content (and a failure) but keep the allocation. */
void buf_reset(struct buf *b);

/* The content as a C string ("" when empty); borrowed until the next
 * change to b. */
const char *buf_str(const struct buf *b);

/* Free the allocation; b is left empty with the same max. */
void buf_free(struct buf *b);

#endif
