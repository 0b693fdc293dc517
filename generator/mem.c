/* mem -- allocation wrappers with a fail-after-N hook in test builds. */
#include "mem.h"

#include <stdlib.h>
#include <string.h>

#ifdef KQ_TESTING
static long fail_at;  /* 0: never fail */
static long counted;

void mem_fail_after(long n)
{
    fail_at = n > 0 ? n : 0;
    counted = 0;
}

long mem_count(void)
{
    return counted;
}

static int should_fail(void)
{
    counted++;
    return fail_at > 0 && counted >= fail_at;
}
#else
#define should_fail() 0
#endif

void *mem_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *mem_calloc(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *mem_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

char *mem_strndup(const char *s, size_t n)
{
    char *d = mem_malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *mem_strdup(const char *s)
{
    return mem_strndup(s, strlen(s));
}

void mem_free(void *p)
{
    free(p);
}
