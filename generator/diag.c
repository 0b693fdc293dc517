/* diag -- many problems of one input, collected as lines (see diag.h). */
#include "diag.h"
#include "err.h"
#include "mem.h"

#include <stdarg.h>
#include <stdio.h>

void diag_init(struct diag *d, size_t max)
{
    d->lines = NULL;
    d->n = d->cap = 0;
    d->max = max;
    d->dropped = 0;
}

void diag_add(struct diag *d, const char *fmt, ...)
{
    char tmp[ERR_MSG_MAX];
    va_list ap;
    if (d->n >= d->max) {
        d->dropped++;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (d->n == d->cap) {
        size_t nc = d->cap ? d->cap * 2 : 16;
        char **nl = mem_realloc(d->lines, nc * sizeof *nl);
        if (!nl) {
            d->dropped++;
            return;
        }
        d->lines = nl;
        d->cap = nc;
    }
    d->lines[d->n] = mem_strdup(tmp);
    if (!d->lines[d->n]) {
        d->dropped++;
        return;
    }
    d->n++;
}

size_t diag_count(const struct diag *d)
{
    return d->n + d->dropped;
}

void diag_free(struct diag *d)
{
    for (size_t i = 0; i < d->n; i++)
        mem_free(d->lines[i]);
    mem_free(d->lines);
    d->lines = NULL;
    d->n = d->cap = 0;
    d->dropped = 0;
}
