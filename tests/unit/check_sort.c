/* check_sort -- sort_r: order, stability on ties, the context argument,
 * empty and one-element arrays, large arrays against a reference, and
 * allocation failure (ERR_NOMEM, the array untouched). */
#include "unit.h"
#include "err.h"
#include "mem.h"
#include "sort.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* An element with a key that ties and the position it started at. */
struct item {
    int key;
    int seq;
};

static int cmp_key(const void *a, const void *b, void *ctx)
{
    const struct item *x = a, *y = b;
    (void)ctx;
    return (x->key > y->key) - (x->key < y->key);
}

static int cmp_int(const void *a, const void *b, void *ctx)
{
    int x = *(const int *)a, y = *(const int *)b;
    (void)ctx;
    return (x > y) - (x < y);
}

/* A stable reference: insertion sort, obviously right. */
static void insertion_sort(struct item *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct item t = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1].key > t.key; j--)
            v[j] = v[j - 1];
        v[j] = t;
    }
}

/* Deterministic pseudo-random numbers (xorshift32). */
static uint32_t next(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

START_TEST(empty_and_one)
{
    int one = 42;
    mem_fail_after(1);          /* nothing may be allocated */
    ck_assert_int_eq(sort_r(NULL, 0, sizeof(int), cmp_int, NULL), ERR_OK);
    ck_assert_int_eq(sort_r(&one, 1, sizeof one, cmp_int, NULL), ERR_OK);
    ck_assert_int_eq(sort_r(&one, 5, 0, cmp_int, NULL), ERR_OK);
    ck_assert_int_eq(mem_count(), 0);
    mem_fail_after(0);
    ck_assert_int_eq(one, 42);
}
END_TEST

START_TEST(small_by_hand)
{
    int v[] = {5, -1, 3, 3, 0, 2147483647, -2147483647 - 1, 3};
    const int want[] = {-2147483647 - 1, -1, 0, 3, 3, 3, 5, 2147483647};
    ck_assert_int_eq(sort_r(v, 8, sizeof *v, cmp_int, NULL), ERR_OK);
    ck_assert_mem_eq(v, want, sizeof want);
    ck_assert_int_eq(sort_r(v, 8, sizeof *v, cmp_int, NULL), ERR_OK);
    ck_assert_mem_eq(v, want, sizeof want);   /* sorted stays sorted */
}
END_TEST

/* Equal keys keep the order they came in: (key, seq) of the result. */
START_TEST(stable_ties)
{
    struct item v[] = {{2, 0}, {1, 1}, {2, 2}, {0, 3}, {1, 4},
                       {2, 5}, {0, 6}, {1, 7}, {2, 8}};
    const struct item want[] = {{0, 3}, {0, 6}, {1, 1}, {1, 4}, {1, 7},
                                {2, 0}, {2, 2}, {2, 5}, {2, 8}};
    ck_assert_int_eq(sort_r(v, 9, sizeof *v, cmp_key, NULL), ERR_OK);
    for (int i = 0; i < 9; i++) {
        ck_assert_int_eq(v[i].key, want[i].key);
        ck_assert_int_eq(v[i].seq, want[i].seq);
    }
}
END_TEST

/* All equal: nothing moves. */
START_TEST(all_equal)
{
    struct item v[300];
    for (int i = 0; i < 300; i++)
        v[i] = (struct item){7, i};
    ck_assert_int_eq(sort_r(v, 300, sizeof *v, cmp_key, NULL), ERR_OK);
    for (int i = 0; i < 300; i++)
        ck_assert_int_eq(v[i].seq, i);
}
END_TEST

/* The context: sort indexes by the values they point at, descending. */
struct by_value {
    const double *val;
    int calls;
};

static int cmp_index_desc(const void *a, const void *b, void *ctx)
{
    struct by_value *c = ctx;
    double x = c->val[*(const int *)a], y = c->val[*(const int *)b];
    c->calls++;
    return (x < y) - (x > y);
}

START_TEST(context_passed)
{
    const double val[] = {0.5, 9.0, -3.0, 9.0, 2.25};
    int idx[] = {0, 1, 2, 3, 4};
    const int want[] = {1, 3, 4, 0, 2};     /* 9.0 (1 before 3), 2.25, ... */
    struct by_value c = {val, 0};
    ck_assert_int_eq(sort_r(idx, 5, sizeof *idx, cmp_index_desc, &c), ERR_OK);
    ck_assert_mem_eq(idx, want, sizeof want);
    ck_assert_int_gt(c.calls, 0);
}
END_TEST

/* An element size that is neither 4 nor 8, with the comparator checking
 * it only ever gets pointers into the array, at element boundaries. */
struct wide {
    char name[13];
    short key;
    int seq;
};

struct bounds {
    const char *lo;
    size_t n;
    int stray;
};

static int cmp_wide(const void *a, const void *b, void *ctx)
{
    struct bounds *bd = ctx;
    const struct wide *x = a, *y = b;
    size_t ia = (size_t)((const char *)a - bd->lo);
    size_t ib = (size_t)((const char *)b - bd->lo);
    if ((const char *)a < bd->lo || (const char *)b < bd->lo ||
        ia % sizeof *x || ib % sizeof *y ||
        ia / sizeof *x >= bd->n || ib / sizeof *y >= bd->n)
        bd->stray = 1;
    return (x->key > y->key) - (x->key < y->key);
}

START_TEST(wide_elements)
{
    enum { N = 2000 };
    struct wide *v = calloc(N, sizeof *v);
    struct bounds bd = {(const char *)v, N, 0};
    uint32_t s = 12345;
    ck_assert_ptr_nonnull(v);
    for (int i = 0; i < N; i++) {
        v[i].key = (short)(next(&s) % 50);
        v[i].seq = i;
        v[i].name[0] = (char)('a' + i % 26);
    }
    ck_assert_int_eq(sort_r(v, N, sizeof *v, cmp_wide, &bd), ERR_OK);
    ck_assert_int_eq(bd.stray, 0);
    for (int i = 1; i < N; i++) {
        ck_assert(v[i - 1].key <= v[i].key);
        if (v[i - 1].key == v[i].key)
            ck_assert_int_lt(v[i - 1].seq, v[i].seq);
        ck_assert_int_eq(v[i].name[0], 'a' + v[i].seq % 26);
    }
    free(v);
}
END_TEST

/* Large n with many ties against the stable reference, several sizes
 * around the powers of two and the stack-buffer threshold. */
START_TEST(large_against_reference)
{
    static const size_t sizes[] = {2, 3, 127, 128, 129, 1000, 4099, 20000};
    uint32_t s = 2463534242u;
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        size_t n = sizes[k];
        struct item *v = malloc(n * sizeof *v), *ref = malloc(n * sizeof *ref);
        ck_assert_ptr_nonnull(v);
        ck_assert_ptr_nonnull(ref);
        for (size_t i = 0; i < n; i++) {
            v[i].key = (int)(next(&s) % (n / 3 + 1)) - (int)(n / 6);
            v[i].seq = (int)i;
        }
        memcpy(ref, v, n * sizeof *v);
        insertion_sort(ref, n);
        ck_assert_int_eq(sort_r(v, n, sizeof *v, cmp_key, NULL), ERR_OK);
        ck_assert_msg(memcmp(v, ref, n * sizeof *v) == 0,
                      "n = %zu differs from the stable reference", n);
        free(v);
        free(ref);
    }
}
END_TEST

static int qsort_cmp_key(const void *a, const void *b)
{
    return cmp_key(a, b, NULL);
}

/* 200,000 elements in descending runs and ties: sorted, stable, and the
 * same order as this platform's qsort (glibc's is a merge sort: equal
 * elements keep their order there too), which is what kept the outputs
 * byte-identical when score and dataset moved to sort_r. */
START_TEST(large_like_qsort)
{
    enum { N = 200000 };
    struct item *v = malloc(N * sizeof *v), *q = malloc(N * sizeof *q);
    uint32_t s = 99;
    ck_assert_ptr_nonnull(v);
    ck_assert_ptr_nonnull(q);
    for (int i = 0; i < N; i++) {
        v[i].key = i % 3 ? N - i : (int)(next(&s) % 1000);
        v[i].seq = i;
    }
    memcpy(q, v, N * sizeof *v);
    ck_assert_int_eq(sort_r(v, N, sizeof *v, cmp_key, NULL), ERR_OK);
    for (int i = 1; i < N; i++) {
        ck_assert(v[i - 1].key <= v[i].key);
        if (v[i - 1].key == v[i].key)
            ck_assert_int_lt(v[i - 1].seq, v[i].seq);
    }
#ifdef __GLIBC__
    qsort(q, N, sizeof *q, qsort_cmp_key);
    ck_assert(memcmp(v, q, N * sizeof *v) == 0);
#else
    (void)qsort_cmp_key;
#endif
    free(v);
    free(q);
}
END_TEST

/* Over the stack buffer, the one allocation fails: ERR_NOMEM and the
 * array exactly as it was; at or under it, nothing is allocated. */
START_TEST(allocation_failure)
{
    enum { N = SORT_STACK_BYTES / sizeof(int) + 1 };
    int v[N], orig[N], small[N - 1];
    for (int i = 0; i < N; i++)
        v[i] = orig[i] = (i * 7919) % N;
    for (int i = 0; i < N - 1; i++)
        small[i] = N - 1 - i;

    mem_fail_after(1);
    ck_assert_int_eq(sort_r(v, N, sizeof *v, cmp_int, NULL), ERR_NOMEM);
    ck_assert_int_eq(mem_count(), 1);
    ck_assert_mem_eq(v, orig, sizeof v);
    mem_fail_after(1);
    ck_assert_int_eq(sort_r(small, N - 1, sizeof *small, cmp_int, NULL), ERR_OK);
    ck_assert_int_eq(mem_count(), 0);
    mem_fail_after(0);
    for (int i = 0; i < N - 1; i++)
        ck_assert_int_eq(small[i], i + 1);

    /* n * size overflowing size_t: refused before anything is touched */
    ck_assert_int_eq(sort_r(v, SIZE_MAX / 2, 4, cmp_int, NULL), ERR_NOMEM);
    ck_assert_mem_eq(v, orig, sizeof v);

    /* and with memory back, the same call works */
    ck_assert_int_eq(sort_r(v, N, sizeof *v, cmp_int, NULL), ERR_OK);
    for (int i = 0; i < N; i++)
        ck_assert_int_eq(v[i], i);
}
END_TEST

Suite *suite_sort(void)
{
    Suite *s = suite_create("sort");
    TCase *t = tcase_create("sort_r");
    tcase_add_test(t, empty_and_one);
    tcase_add_test(t, small_by_hand);
    tcase_add_test(t, stable_ties);
    tcase_add_test(t, all_equal);
    tcase_add_test(t, context_passed);
    tcase_add_test(t, wide_elements);
    tcase_add_test(t, large_against_reference);
    tcase_add_test(t, large_like_qsort);
    tcase_add_test(t, allocation_failure);
    suite_add_tcase(s, t);
    return s;
}
