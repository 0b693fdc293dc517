/* buf -- bounded growable buffer (see buf.h). */
#include "buf.h"
#include "err.h"
#include "mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void buf_init(struct buf *b, size_t max)
{
    b->p = NULL;
    b->len = b->cap = 0;
    b->max = max;
    b->err = ERR_OK;
}

int buf_status(const struct buf *b)
{
    return b->err;
}

static int reserve(struct buf *b, size_t extra)
{
    size_t need;
    if (b->err)
        return b->err;
    if (extra > b->max || b->len > b->max - extra)
        return b->err = ERR_DATA;
    need = b->len + extra + 1;
    if (need > b->cap) {
        size_t nc = b->cap ? b->cap : 64;
        char *np;
        while (nc < need)
            nc *= 2;
        np = mem_realloc(b->p, nc);
        if (!np)
            return b->err = ERR_NOMEM;
        b->p = np;
        b->cap = nc;
    }
    return ERR_OK;
}

int buf_append(struct buf *b, const void *data, size_t n)
{
    int rc = reserve(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = '\0';
    return ERR_OK;
}

int buf_puts(struct buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
    va_list aq;
    int n, rc;
    va_copy(aq, ap);
    n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0)
        return b->err = ERR_INTERNAL;
    rc = reserve(b, (size_t)n);
    if (rc)
        return rc;
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return ERR_OK;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    int rc;
    va_start(ap, fmt);
    rc = buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    b->err = ERR_OK;
    if (b->p)
        b->p[0] = '\0';
}

const char *buf_str(const struct buf *b)
{
    return b->p ? b->p : "";
}

void buf_free(struct buf *b)
{
    mem_free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
    b->err = ERR_OK;
}
