/* font_subset -- per-document subsets of a face (struct font_subset; see
 * font.h, doc/fonts.md).
 *
 * A subset's codes are 1..count, one per character, in ascending code
 * point order; font_subset_code/char/glyph translate.  The font program
 * is made one of two ways: for a PDF (FONT_SUBSET_PDF) by font_ttf.c,
 * code i drawing glyph i unless two characters share a glyph; else the
 * older standalone subset through HarfBuzz's subsetter, whose cmap (3,1
 * format 4, one segment) maps exactly the codes.  The tag naming a
 * subset in the PDF is a hash of the face and the characters:
 * deterministic.
 */
#include "font.h"
#include "font_int.h"
#include "err.h"
#include "mem.h"
#include "text.h"

#include <hb-subset.h>
#include <hb.h>

#include <stdint.h>
#include <string.h>

/* ---- the standalone subset (HarfBuzz) ------------------------------- */

/* Tables a subset keeps: what libharu 2.3.0 reads or embeds (its other
 * required tags cvt/fpgm/prep are hinting and may be absent). */
static const hb_tag_t keep_tables[] = {
    HB_TAG('g', 'l', 'y', 'f'), HB_TAG('l', 'o', 'c', 'a'),
    HB_TAG('h', 'e', 'a', 'd'), HB_TAG('h', 'h', 'e', 'a'),
    HB_TAG('h', 'm', 't', 'x'), HB_TAG('m', 'a', 'x', 'p'),
    HB_TAG('n', 'a', 'm', 'e'), HB_TAG('O', 'S', '/', '2'),
    HB_TAG('p', 'o', 's', 't')
};
#define ALL_TABLES (sizeof keep_tables / sizeof *keep_tables)
#define CMAP_TAG HB_TAG('c', 'm', 'a', 'p')

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

/* A cmap with one (3,1) format 4 subtable: codes 1..n -> gids[0..n). */
static hb_blob_t *make_cmap(const uint16_t *gids, size_t n)
{
    size_t sub = 32 + 2 * n, len = 12 + sub, i;
    unsigned char *t = mem_calloc(1, len), *p;

    if (!t)
        return NULL;
    put16(t + 2, 1);            /* version 0, one encoding record */
    put16(t + 4, 3);            /* platform Windows */
    put16(t + 6, 1);            /* encoding Unicode BMP */
    put16(t + 10, 12);          /* offset of the subtable */
    p = t + 12;
    put16(p, 4);                /* format */
    put16(p + 2, (unsigned)sub);
    put16(p + 6, 4);            /* segCountX2: [1, n] and [FFFF, FFFF] */
    put16(p + 8, 4);            /* searchRange */
    put16(p + 10, 1);           /* entrySelector */
    put16(p + 14, (unsigned)n); /* endCode */
    put16(p + 16, 0xFFFF);
    put16(p + 20, 1);           /* startCode (after reservedPad) */
    put16(p + 22, 0xFFFF);
    put16(p + 26, 1);           /* idDelta: 0, then 1 (FFFF -> 0) */
    put16(p + 28, 4);           /* idRangeOffset -> glyphIdArray[0] */
    for (i = 0; i < n; i++)
        put16(p + 32 + 2 * i, gids[i]);
    return hb_blob_create((const char *)t, (unsigned)len,
                          HB_MEMORY_MODE_READONLY, t, mem_free);
}

/* The HarfBuzz subset input: these glyphs, no hinting, no glyph names,
 * only the tables of keep_tables (cmap is written by make_cmap). */
static hb_subset_input_t *make_input(const struct font *f,
                                     const hb_codepoint_t *old, size_t n)
{
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    hb_set_t *glyphs, *drop;
    hb_tag_t tags[64];
    unsigned count, offset = 0, i;
    size_t k;

    if (!in)
        return NULL;
    glyphs = hb_subset_input_set(in, HB_SUBSET_SETS_GLYPH_INDEX);
    for (k = 0; k < n; k++)
        hb_set_add(glyphs, old[k]);
    hb_set_add(hb_subset_input_set(in, HB_SUBSET_SETS_NAME_LANG_ID), 0);
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING |
                                  HB_SUBSET_FLAGS_NAME_LEGACY);
    drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    do {
        count = sizeof tags / sizeof *tags;
        hb_face_get_table_tags(f->face, offset, &count, tags);
        for (i = 0; i < count; i++) {
            size_t j, keep = 0;
            for (j = 0; j < ALL_TABLES; j++)
                keep |= keep_tables[j] == tags[i];
            if (!keep)
                hb_set_add(drop, tags[i]);
        }
        offset += count;
    } while (count == sizeof tags / sizeof *tags);
    if (hb_set_allocation_successful(glyphs) == 0 ||
        hb_set_allocation_successful(drop) == 0) {
        hb_subset_input_destroy(in);
        return NULL;
    }
    return in;
}

/* Run the subsetter; fill s->gids and s->blob. */
static int run_subset(const struct font *f, const hb_codepoint_t *old,
                      struct font_subset *s, struct err *e)
{
    hb_subset_input_t *in = make_input(f, old, s->n);
    hb_subset_plan_t *plan = in ? hb_subset_plan_create_or_fail(f->face, in)
                                : NULL;
    hb_face_t *out = plan ? hb_subset_plan_execute_or_fail(plan) : NULL;
    hb_blob_t *cmap = NULL;
    int rc = ERR_OK;
    size_t i;

    if (!out) {
        rc = err_set(e, ERR_INTERNAL, "font %s: HarfBuzz could not subset "
                     "%zu characters", f->family, s->n);
        goto done;
    }
    for (i = 0; i < s->n; i++) {
        hb_codepoint_t g = hb_map_get(
            hb_subset_plan_old_to_new_glyph_mapping(plan), old[i]);
        s->gids[i] = (uint16_t)(g == HB_MAP_VALUE_INVALID ? 0 : g);
    }
    s->nglyphs = hb_map_get_population(
        hb_subset_plan_new_to_old_glyph_mapping(plan));
    cmap = make_cmap(s->gids, s->n);
    if (!cmap || !hb_face_builder_add_table(out, CMAP_TAG, cmap)) {
        rc = err_set(e, cmap ? ERR_INTERNAL : ERR_NOMEM, "font %s: "
                     "cannot add the subset cmap", f->family);
        goto done;
    }
    s->blob = hb_face_reference_blob(out);
    if (hb_blob_get_length(s->blob) == 0)
        rc = err_set(e, ERR_NOMEM, "font %s: cannot write the subset",
                     f->family);
done:
    hb_blob_destroy(cmap);
    hb_face_destroy(out);
    hb_subset_plan_destroy(plan);
    hb_subset_input_destroy(in);
    return rc;
}

/* ---- subsets ---------------------------------------------------------- */

static void make_tag(struct font_subset *s, uint64_t seed)
{
    uint64_t h = font_fnv1a(seed, s->cps, s->n * sizeof *s->cps);
    int i;
    for (i = 0; i < 6; i++) {
        s->tag[i] = (char)('A' + (int)(h % 26));
        h /= 26;
    }
    s->tag[6] = 0;
}

/* Old glyph ids of cps, or ERR_DATA naming the first missing one. */
static int old_glyphs(const struct font *f, const uint32_t *cps, size_t n,
                      hb_codepoint_t *old, struct err *e)
{
    size_t i;
    char name[12];

    for (i = 0; i < n; i++) {
        if (i > 0 && cps[i] <= cps[i - 1])
            return err_set(e, ERR_INTERNAL, "font subset: characters not "
                           "ascending at %zu", i);
        old[i] = font_glyph_of(f, cps[i]);
        /* in the chain's placeholder face, a character no face has is
         * drawn as the placeholder (its code still names it) */
        if (old[i] == 0 && f->ph_gid)
            old[i] = f->ph_gid;
        if (old[i] == 0) {
            text_cp_name(cps[i], name);
            return err_set(e, ERR_DATA, "character %s is not in font %s",
                           name, f->family);
        }
    }
    return ERR_OK;
}

int font_subset_new(const struct font *f, const uint32_t *cps, size_t n,
                    struct font_subset **out, struct err *e)
{
    return font_subset_new_flags(f, cps, n, 0, out, e);
}

int font_subset_new_flags(const struct font *f, const uint32_t *cps,
                          size_t n, unsigned flags, struct font_subset **out,
                          struct err *e)
{
    struct font_subset *s;
    hb_codepoint_t *old = NULL;
    int rc;

    *out = NULL;
    if (n > FONT_SUBSET_MAX)
        return err_set(e, ERR_DATA, "font subset: %zu distinct characters "
                       "(at most %d)", n, FONT_SUBSET_MAX);
    s = mem_calloc(1, sizeof *s);
    if (s) {
        s->n = n;
        s->cps = mem_malloc((n ? n : 1) * sizeof *s->cps);
        s->gids = mem_malloc((n ? n : 1) * sizeof *s->gids);
        old = mem_malloc((n ? n : 1) * sizeof *old);
    }
    if (!s || !s->cps || !s->gids || !old) {
        rc = err_set(e, ERR_NOMEM, "font subset: out of memory");
        goto fail;
    }
    if (n)
        memcpy(s->cps, cps, n * sizeof *cps);
    rc = old_glyphs(f, cps, n, old, e);
    if (rc == ERR_OK && (flags & FONT_SUBSET_PDF))
        rc = font_ttf_subset(f, old, s, e);
    else if (rc == ERR_OK)
        rc = run_subset(f, old, s, e);
    if (rc != ERR_OK)
        goto fail;
    make_tag(s, f->id_hash);
    mem_free(old);
    *out = s;
    return ERR_OK;
fail:
    mem_free(old);
    font_subset_free(s);
    return rc;
}

void font_subset_free(struct font_subset *s)
{
    if (!s)
        return;
    hb_blob_destroy(s->blob);
    mem_free(s->cps);
    mem_free(s->gids);
    mem_free(s);
}

const unsigned char *font_subset_data(const struct font_subset *s,
                                      size_t *len)
{
    unsigned n = 0;
    const char *p = hb_blob_get_data(s->blob, &n);
    *len = n;
    return (const unsigned char *)p;
}

size_t font_subset_count(const struct font_subset *s) { return s->n; }
unsigned font_subset_glyphs(const struct font_subset *s) { return s->nglyphs; }
const char *font_subset_tag(const struct font_subset *s) { return s->tag; }

unsigned font_subset_code(const struct font_subset *s, uint32_t cp)
{
    size_t lo = 0, hi = s->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->cps[mid] == cp)
            return (unsigned)mid + 1;
        if (s->cps[mid] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

uint32_t font_subset_char(const struct font_subset *s, unsigned code)
{
    return code >= 1 && code <= s->n ? s->cps[code - 1] : 0;
}

unsigned font_subset_glyph(const struct font_subset *s, unsigned code)
{
    return code >= 1 && code <= s->n ? s->gids[code - 1] : 0;
}
