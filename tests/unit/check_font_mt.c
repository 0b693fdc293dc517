/* check_font_mt -- one struct font shared by several threads (font.h: "a
 * struct font is read-only after font_open: one may be shared by threads
 * that each make their own subsets"; the PDF glyph cache is filled
 * lock-free, each entry set once).
 *
 * A single-threaded run on one chain gives the reference: for each text,
 * its width, first missing character, drawability, every character's
 * advance and face, and, per face of the chain, the PDF subset
 * (FONT_SUBSET_PDF) and the plain subset of the characters that face
 * draws: bytes, glyph and code maps, tag.  Then a freshly opened chain
 * (its glyph caches empty) is shared by NTHREADS threads that start
 * together at a barrier, on the same text first (so they race to fill the
 * same cache entries), then each in its own order, and every result must
 * equal the reference.  Run under ThreadSanitizer by `make tsan`, which
 * also reports any data race these calls make.
 *
 * Only the public font.h API is used (font.c is being split up).
 */
#include "unit.h"

#include "err.h"
#include "font.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NTHREADS 4
#define ROUNDS 3
#define MAXCP 512

/* Names, labels and marks of the sheets, across the faces of the chain:
 * Micro Hei (most), Zen Hei (㊀), HanaMinA/B (Extensions B-F), a
 * character no face has (U+30041, Extension G: the placeholder). */
static const char *const texts[] = {
    "客情关系考核表 期间 2026-10",
    "人员 E00012 王芳，岗位 销售代表，区域 华东大区 浙江省区",
    "双向叫名率 三个电话掌握率 重大节日及生日问候完成率",
    "𠮷野家 𡒄 陈𨱏 𪚥",
    "㊀㊁㊂ ①②③ 〓",
    "ABC xyz 0123456789 ,.;:!?()[]",
    "名字里有一个没有字形的字：\xF0\xB0\x81\x81。",
    "龘靐齉爩 鱻 麤 骉",
};
#define NTEXT (sizeof texts / sizeof texts[0])

struct sub_result {
    int face;
    unsigned flags;
    size_t len, count;
    uint64_t hash;
    unsigned glyphs;
    char tag[8];
    uint64_t maps;              /* hash of every (code, char, glyph) */
};

struct result {
    long width;
    uint32_t missing;
    int drawable;
    uint64_t advances;          /* hash of every (cp, advance, face) */
    int nsub;
    struct sub_result sub[2 * FONT_CHAIN_MAX];
};

static struct result ref[NTEXT];

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

/* The code points of UTF-8 text (valid by construction), into cp;
 * returns their number. */
static size_t decode(const char *s, uint32_t *cp, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    while (*p && n < max) {
        uint32_t c;
        int len;
        if (*p < 0x80) { c = *p; len = 1; }
        else if (*p < 0xE0) { c = *p & 0x1F; len = 2; }
        else if (*p < 0xF0) { c = *p & 0x0F; len = 3; }
        else { c = *p & 0x07; len = 4; }
        for (int i = 1; i < len; i++)
            c = (c << 6) | (p[i] & 0x3F);
        cp[n++] = c;
        p += len;
    }
    return n;
}

static int cmp_cp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Everything measured and built for text t with font f, into *r.
 * Returns 0, or -1 when a font call failed (its message into msg). */
static int work(const struct font *f, size_t t, struct result *r, char *msg,
                size_t msgn)
{
    uint32_t cp[MAXCP], set[MAXCP], part[MAXCP];
    size_t n = decode(texts[t], cp, MAXCP), m = 0;
    struct err e;

    memset(r, 0, sizeof *r);
    r->width = font_text_width(f, texts[t], strlen(texts[t]));
    r->missing = font_first_missing(f, texts[t], strlen(texts[t]));
    r->drawable = font_check_drawable(f, texts[t], strlen(texts[t]), "text",
                                      &e);
    r->advances = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        int adv = font_advance(f, cp[i]), pos = font_chain_pos(f, cp[i]);
        r->advances = fnv(r->advances, &cp[i], sizeof cp[i]);
        r->advances = fnv(r->advances, &adv, sizeof adv);
        r->advances = fnv(r->advances, &pos, sizeof pos);
    }
    /* the document's characters: what a face has is drawn from it; one no
     * face has is drawn as the placeholder */
    for (size_t i = 0; i < n; i++)
        set[m++] = font_chain_pos(f, cp[i]) >= 0 ? cp[i] : font_placeholder(f);
    qsort(set, m, sizeof set[0], cmp_cp);
    {
        size_t u = 0;
        for (size_t i = 0; i < m; i++)
            if (!u || set[u - 1] != set[i])
                set[u++] = set[i];
        m = u;
    }
    for (int k = 0; k < font_chain_count(f); k++) {
        const struct font *face = font_chain_face(f, k);
        size_t np = 0;
        for (size_t i = 0; i < m; i++)
            if (font_chain_pos(f, set[i]) == k)
                part[np++] = set[i];
        if (!np)
            continue;
        for (unsigned flags = 0; flags <= FONT_SUBSET_PDF; flags += FONT_SUBSET_PDF) {
            struct sub_result *s = &r->sub[r->nsub++];
            struct font_subset *fs = NULL;
            const unsigned char *data;
            if (font_subset_new_flags(face, part, np, flags, &fs, &e) != ERR_OK) {
                snprintf(msg, msgn, "text %zu, face %d, flags %u: %s", t, k,
                         flags, e.msg);
                return -1;
            }
            s->face = k;
            s->flags = flags;
            data = font_subset_data(fs, &s->len);
            s->hash = fnv(1469598103934665603ull, data, s->len);
            s->count = font_subset_count(fs);
            s->glyphs = font_subset_glyphs(fs);
            snprintf(s->tag, sizeof s->tag, "%s", font_subset_tag(fs));
            s->maps = 1469598103934665603ull;
            for (unsigned code = 1; code <= s->count; code++) {
                uint32_t c = font_subset_char(fs, code);
                unsigned g = font_subset_glyph(fs, code),
                         back = font_subset_code(fs, c);
                s->maps = fnv(s->maps, &code, sizeof code);
                s->maps = fnv(s->maps, &c, sizeof c);
                s->maps = fnv(s->maps, &g, sizeof g);
                s->maps = fnv(s->maps, &back, sizeof back);
            }
            font_subset_free(fs);
        }
    }
    return 0;
}

static int same(const struct result *a, const struct result *b)
{
    if (a->width != b->width || a->missing != b->missing ||
        a->drawable != b->drawable || a->advances != b->advances ||
        a->nsub != b->nsub)
        return 0;
    for (int i = 0; i < a->nsub; i++) {
        const struct sub_result *x = &a->sub[i], *y = &b->sub[i];
        if (x->face != y->face || x->flags != y->flags || x->len != y->len ||
            x->count != y->count || x->hash != y->hash ||
            x->glyphs != y->glyphs || strcmp(x->tag, y->tag) ||
            x->maps != y->maps)
            return 0;
    }
    return 1;
}

struct worker {
    pthread_t tid;
    int index;
    const struct font *font;
    pthread_barrier_t *start;
    long done, wrong;
    char msg[ERR_MSG_MAX + 64];
};

static void *run_worker(void *arg)
{
    struct worker *w = arg;
    pthread_barrier_wait(w->start);
    for (int round = 0; round < ROUNDS; round++)
        for (size_t i = 0; i < NTEXT; i++) {
            /* round 0: every thread on the same text at the same time;
             * then each thread in its own order */
            size_t t = round == 0 ? i : (i * 3 + (size_t)w->index + round) % NTEXT;
            struct result r;
            if (work(w->font, t, &r, w->msg, sizeof w->msg)) {
                w->wrong++;
                return NULL;
            }
            if (!same(&r, &ref[t])) {
                if (!w->wrong)
                    snprintf(w->msg, sizeof w->msg, "text %zu differs from "
                             "the single-threaded run (round %d)", t, round);
                w->wrong++;
            }
            w->done++;
        }
    return NULL;
}

START_TEST(shared_font_across_threads)
{
    struct font *single = NULL, *shared = NULL;
    struct worker w[NTHREADS];
    pthread_barrier_t start;
    char msg[ERR_MSG_MAX + 64];
    struct err e;
    int faces = 0;

    /* the reference, one thread, its own chain */
    ck_assert_msg(font_open_chain(&single, NULL, NULL, &e) == ERR_OK, "%s",
                  e.msg);
    ck_assert_int_ge(font_chain_count(single), 4);   /* make deps' chain */
    for (size_t t = 0; t < NTEXT; t++) {
        ck_assert_msg(work(single, t, &ref[t], msg, sizeof msg) == 0, "%s", msg);
        ck_assert_int_gt(ref[t].width, 0);
        ck_assert_int_gt(ref[t].nsub, 0);
        /* the same again in the same thread: a font gives one answer */
        {
            struct result again;
            ck_assert_int_eq(work(single, t, &again, msg, sizeof msg), 0);
            ck_assert_msg(same(&again, &ref[t]), "text %zu: a second run differs", t);
        }
        for (int i = 0; i < ref[t].nsub; i++)
            if (ref[t].sub[i].face > faces)
                faces = ref[t].sub[i].face;
    }
    /* the texts reach beyond the first two faces, and one character is
     * drawn as the placeholder */
    ck_assert_int_ge(faces, 2);
    ck_assert_uint_eq(ref[6].missing, 0x30041);
    ck_assert_int_eq(ref[6].drawable, ERR_OK);
    font_close(single);

    /* a fresh chain, empty caches, shared by NTHREADS threads */
    ck_assert_msg(font_open_chain(&shared, NULL, NULL, &e) == ERR_OK, "%s",
                  e.msg);
    ck_assert_int_eq(pthread_barrier_init(&start, NULL, NTHREADS), 0);
    for (int i = 0; i < NTHREADS; i++) {
        memset(&w[i], 0, sizeof w[i]);
        w[i].index = i;
        w[i].font = shared;
        w[i].start = &start;
        ck_assert_int_eq(pthread_create(&w[i].tid, NULL, run_worker, &w[i]), 0);
    }
    for (int i = 0; i < NTHREADS; i++)
        ck_assert_int_eq(pthread_join(w[i].tid, NULL), 0);
    pthread_barrier_destroy(&start);
    for (int i = 0; i < NTHREADS; i++) {
        ck_assert_msg(w[i].wrong == 0, "thread %d: %s", i, w[i].msg);
        ck_assert_int_eq(w[i].done, (long)(ROUNDS * NTEXT));
    }
    font_close(shared);
}
END_TEST

Suite *suite_font_mt(void)
{
    Suite *s = suite_create("font_mt");
    TCase *t = tcase_create("threads");
    tcase_set_timeout(t, 300);      /* ThreadSanitizer is slow */
    tcase_add_test(t, shared_font_across_threads);
    suite_add_tcase(s, t);
    return s;
}
