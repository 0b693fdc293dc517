/* sort -- stable merge sort with a context argument (see sort.h).
 *
 * The same recursion and merge as glibc's msort_with_tmp: the halves are
 * sorted into place, merged into the scratch buffer, and copied back
 * (only what was taken into the scratch: the tail of the right half is
 * already where it belongs).  The comparator only ever sees elements of
 * base, never the scratch, so it may rely on their alignment.  Recursion
 * depth is log2(n).
 */
#include "sort.h"
#include "err.h"
#include "mem.h"

#include <stdint.h>
#include <string.h>

struct msort {
    size_t size;
    sort_cmp_fn cmp;
    void *ctx;
    char *tmp;          /* n * size bytes */
};

/* One element; constant sizes let the compiler copy ints and pointers
 * without calling memcpy. */
static void copy_elem(char *dst, const char *src, size_t size)
{
    switch (size) {
    case 4:
        memcpy(dst, src, 4);
        break;
    case 8:
        memcpy(dst, src, 8);
        break;
    default:
        memcpy(dst, src, size);
        break;
    }
}

static void msort(const struct msort *p, char *b, size_t n)
{
    size_t s = p->size, n1, n2;
    char *b1, *b2, *t = p->tmp;

    if (n <= 1)
        return;
    n1 = n / 2;
    n2 = n - n1;
    b1 = b;
    b2 = b + n1 * s;
    msort(p, b1, n1);
    msort(p, b2, n2);
    while (n1 > 0 && n2 > 0) {
        if (p->cmp(b1, b2, p->ctx) <= 0) {  /* ties: left first (stable) */
            copy_elem(t, b1, s);
            b1 += s;
            n1--;
        } else {
            copy_elem(t, b2, s);
            b2 += s;
            n2--;
        }
        t += s;
    }
    if (n1 > 0)
        memcpy(t, b1, n1 * s);
    memcpy(b, p->tmp, (n - n2) * s);
}

int sort_r(void *base, size_t n, size_t size, sort_cmp_fn cmp, void *ctx)
{
    char stack[SORT_STACK_BYTES];
    struct msort p = {size, cmp, ctx, stack};

    if (n < 2 || size == 0)
        return ERR_OK;
    if (n > SIZE_MAX / size)
        return ERR_NOMEM;
    if (n * size > sizeof stack && !(p.tmp = mem_malloc(n * size)))
        return ERR_NOMEM;
    msort(&p, base, n);
    if (p.tmp != stack)
        mem_free(p.tmp);
    return ERR_OK;
}

int sort_find_str(const void *base, size_t n, size_t size, size_t offset,
                  const char *key, size_t *index)
{
    size_t lo = 0, hi = n;
    while (key && lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *s;
        int c;
        memcpy(&s, (const char *)base + mid * size + offset, sizeof s);
        c = strcmp(s, key);
        if (c == 0) {
            *index = mid;
            return 1;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}
