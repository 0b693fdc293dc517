/* sort -- a stable merge sort with a context argument (utility).
 *
 * qsort(3) gives its comparator no context, so a comparator that needs
 * more than the two elements (an index into a dataset, a table of depths)
 * had to read a file-scope global set just before the call: hidden state
 * that made the caller non-reentrant.  sort_r passes a ctx pointer through
 * to the comparator instead.
 *
 * The algorithm is the top-down merge sort of glibc's qsort (msort.c):
 * split n into n/2 and n - n/2, sort both halves, merge taking from the
 * left half while cmp(left, right) <= 0.  It is stable, so it orders
 * equal elements exactly as glibc's qsort does on the same input, and the
 * outputs that moved from qsort to sort_r stayed byte-identical.
 *
 * sort_find_str looks a string up in an array sorted by it.
 *
 * Thread safety: reentrant; no global state (everything is in ctx).
 */
#ifndef KQ_SORT_H
#define KQ_SORT_H

#include <stddef.h>

/* Arrays of at most this many bytes are merged through a buffer on the
 * stack: sorting them allocates nothing and cannot fail. */
#define SORT_STACK_BYTES 1024

/* The order of two elements: < 0 when a goes before b, 0 when they are
 * equal (they then keep their order), > 0 otherwise.  a and b always
 * point into the array being sorted; ctx is sort_r's, passed through. */
typedef int (*sort_cmp_fn)(const void *a, const void *b, void *ctx);

/* Sort base[0..n) (elements of size bytes) in place by cmp, stably.
 * Merging needs n * size bytes of scratch: on the stack up to
 * SORT_STACK_BYTES, else from mem_malloc, freed before the return.
 * Returns ERR_OK, or ERR_NOMEM when the scratch cannot be allocated (or
 * n * size overflows); base is then unchanged and the caller reports the
 * error.  n < 2 or size == 0: nothing to do, ERR_OK (base may be NULL). */
int sort_r(void *base, size_t n, size_t size, sort_cmp_fn cmp, void *ctx);

/* Binary search for key in base[0..n): elements of size bytes, each with
 * a string pointer (const char *) at byte offset `offset`, sorted by
 * strcmp of those strings (offset 0 and size sizeof(char *) for an array
 * of strings).  Returns 1 and sets *index when an element's string
 * equals key, else 0 (also for a NULL key). */
int sort_find_str(const void *base, size_t n, size_t size, size_t offset,
                  const char *key, size_t *index);

#endif
