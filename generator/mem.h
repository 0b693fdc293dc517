/* mem -- allocation wrappers used by every keqing module.
 *
 * All of keqing's own allocations go through these, so that a test build
 * (-DKQ_TESTING) can make the N-th allocation fail and check that every
 * path reports ERR_NOMEM cleanly instead of crashing or leaking.
 * Failure is returned (NULL), never an abort.  mem_free(NULL) is a no-op.
 */
#ifndef KQ_MEM_H
#define KQ_MEM_H

#include <stddef.h>

void *mem_malloc(size_t n);
void *mem_calloc(size_t count, size_t size);
void *mem_realloc(void *p, size_t n);
char *mem_strdup(const char *s);
char *mem_strndup(const char *s, size_t n);
void mem_free(void *p);

#ifdef KQ_TESTING
/* Make allocation number n (counting from 1 after this call) and every
 * later one fail; n <= 0 turns failure off.  Test builds only. */
void mem_fail_after(long n);
/* Allocations counted since the last mem_fail_after(). */
long mem_count(void);
#endif

#endif
