/* font -- the faces of the PDFs: opening them, the chain, coverage and
 * metrics (see font.h, doc/fonts.md).
 *
 * A face is memory-mapped and indexed once (a glyph map of the BMP, the
 * advance of every glyph); a chain of faces (font_open_chain) is kept by
 * its first face, with one map of the BMP to the face that draws each
 * character and the placeholder for those none has.  Where the faces
 * come from is font_find.c's (families.conf, fontconfig); subsets are
 * font_subset.c's and font_ttf.c's.
 *
 * Invariants: a struct font never changes once its chain is complete
 * (HarfBuzz objects made immutable) except its cache of glyphs rewritten
 * for PDF subsets (font_ttf.c), whose entries are each set once,
 * lock-free, to a value that depends on the face alone; so measuring and
 * subsetting may run in several threads.
 */
#include "font.h"
#include "font_int.h"
#include "err.h"
#include "mem.h"
#include "text.h"

#include <hb.h>
#include <hb-ot.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a character no face of the chain has is drawn as (the first of
 * these some face has): 〓 GETA MARK, the typesetter's mark for a missing
 * character; □; '?'.  The text layer keeps the real character. */
static const uint32_t placeholders[] = {0x3013, 0x25A1, 0x3F};

/* A families.conf entry left out of the chain, and why. */
struct font_skip {
    char *entry, *why;  /* owned */
};

/* ---- opening ---------------------------------------------------------- */

static int has_table(hb_face_t *face, hb_tag_t tag)
{
    hb_blob_t *b = hb_face_reference_table(face, tag);
    unsigned len = hb_blob_get_length(b);
    hb_blob_destroy(b);
    return len > 0;
}

/* The face is one libharu can embed (and, need_han, draws Chinese). */
static int check_face(struct font *f, int need_han, struct err *e)
{
    static const hb_tag_t need[] = {
        HB_TAG('g', 'l', 'y', 'f'), HB_TAG('l', 'o', 'c', 'a'),
        HB_TAG('h', 'e', 'a', 'd'), HB_TAG('h', 'h', 'e', 'a'),
        HB_TAG('h', 'm', 't', 'x'), HB_TAG('m', 'a', 'x', 'p'),
        HB_TAG('c', 'm', 'a', 'p'), HB_TAG('n', 'a', 'm', 'e'),
        HB_TAG('O', 'S', '/', '2')
    };
    size_t i;

    for (i = 0; i < sizeof need / sizeof *need; i++)
        if (!has_table(f->face, need[i]))
            return err_set(e, ERR_DATA, "font %s:%u: not a TrueType font "
                           "with glyf outlines (CFF/OpenType fonts cannot "
                           "be embedded by libharu)", f->file, f->index);
    if (f->upem < 16 || f->upem > 16384)
        return err_set(e, ERR_DATA, "font %s:%u: bad units per em %u",
                       f->file, f->index, f->upem);
    if (need_han && !font_glyph_of(f, 0x4E2D))
        return err_set(e, ERR_DATA, "font %s:%u: has no Chinese "
                       "characters", f->file, f->index);
    return ERR_OK;
}

uint64_t font_fnv1a(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001B3ULL;
    }
    return h;
}

static int read_family(struct font *f)
{
    char name[FONT_FAMILY_MAX];
    unsigned len = sizeof name;
    unsigned got = hb_ot_name_get_utf8(f->face, HB_OT_NAME_ID_FONT_FAMILY,
                                       hb_language_from_string("en", 2),
                                       &len, name);
    if (got == 0)
        snprintf(name, sizeof name, "%s", f->file);
    f->family = mem_strdup(name);
    return f->family ? ERR_OK : ERR_NOMEM;
}

/* The BMP glyph map and the advance of every glyph (see struct font). */
static int build_tables(struct font *f)
{
    hb_set_t *cps = hb_set_create();
    hb_codepoint_t cp = HB_SET_VALUE_INVALID, g;

    f->nglyphs = hb_face_get_glyph_count(f->face);
    f->bmp_gid = mem_calloc(0x10000, sizeof *f->bmp_gid);
    f->adv = mem_calloc(f->nglyphs ? f->nglyphs : 1, sizeof *f->adv);
    if (!cps || !hb_set_allocation_successful(cps) || !f->bmp_gid ||
        !f->adv) {
        hb_set_destroy(cps);
        return ERR_NOMEM;
    }
    hb_face_collect_unicodes(f->face, cps);
    while (hb_set_next(cps, &cp) && cp < 0x10000)
        if (hb_font_get_nominal_glyph(f->hb, cp, &g) && g < 0x10000)
            f->bmp_gid[cp] = (uint16_t)g;
    hb_set_destroy(cps);
    for (g = 0; g < f->nglyphs; g++) {
        long a = (long)hb_font_get_glyph_h_advance(f->hb, g);
        a = a < 0 ? 0 : a * 1000 / (long)f->upem;
        f->adv[g] = (uint16_t)(a > 0xFFFF ? 0xFFFF : a);
    }
    return ERR_OK;
}

static void chain_index(struct font *head);

static int load_face(struct font *f, int need_han, struct err *e)
{
    unsigned count;

    f->blob = hb_blob_create_from_file_or_fail(f->file);
    if (!f->blob)
        return err_set(e, ERR_NOINPUT, "font %s: cannot read", f->file);
    count = hb_face_count(f->blob);
    if (f->index >= count)
        return err_set(e, ERR_DATA, "font %s: no face %u (the file has %u)",
                       f->file, f->index, count);
    f->face = hb_face_create(f->blob, f->index);
    hb_face_make_immutable(f->face);
    f->upem = hb_face_get_upem(f->face);
    f->hb = hb_font_create(f->face);
    hb_font_make_immutable(f->hb);
    if (hb_face_get_glyph_count(f->face) == 0)
        return err_set(e, ERR_DATA, "font %s:%u: not a font file", f->file,
                       f->index);
    if (read_family(f) != ERR_OK)
        return err_set(e, ERR_NOMEM, "font: out of memory");
    f->id_hash = font_fnv1a(0xCBF29CE484222325ULL, f->family,
                            strlen(f->family));
    f->id_hash = font_fnv1a(f->id_hash, &f->index, sizeof f->index);
    /* The face is not preprocessed for HarfBuzz's subsetter: PDF subsets
     * are cut by font_ttf.c from the tables (FONT_SUBSET_PDF), and a chain
     * of five large faces would pay seconds and hundreds of MB for it. */
    if (build_tables(f) != ERR_OK)
        return err_set(e, ERR_NOMEM, "font: out of memory");
    if (check_face(f, need_han, e) != ERR_OK)
        return e->code;
    if ((f->bmp_pos = mem_calloc(0x10000, 1)) == NULL)
        return err_set(e, ERR_NOMEM, "font: out of memory");
    f->faces[0] = f;
    f->nfaces = 1;
    chain_index(f);
    return font_ttf_open(f, e);
}

/* The BMP map of the chain (head->bmp_pos) and its placeholder, from
 * the faces' own maps. */
static void chain_index(struct font *head)
{
    head->ph_pos = -1;
    head->ph_cp = 0;
    for (int k = 0; k < head->nfaces; k++)
        head->faces[k]->ph_gid = 0;
    for (uint32_t cp = 0; cp < 0x10000; cp++) {
        head->bmp_pos[cp] = 0;
        for (int k = 0; k < head->nfaces; k++)
            if (head->faces[k]->bmp_gid[cp]) {
                head->bmp_pos[cp] = (uint8_t)(k + 1);
                break;
            }
    }
    for (size_t i = 0; i < sizeof placeholders / sizeof *placeholders &&
                       head->ph_pos < 0; i++)
        for (int k = 0; k < head->nfaces && head->ph_pos < 0; k++) {
            unsigned g = font_glyph_of(head->faces[k], placeholders[i]);
            if (g) {
                head->ph_pos = k;
                head->ph_cp = placeholders[i];
                head->faces[k]->ph_gid = g;
            }
        }
}

int font_open(struct font **out, const char *path, const char *families_file,
              struct err *e)
{
    struct font *f;
    int rc;

    *out = NULL;
    if (!path || !*path)
        path = getenv("KEQING_FONT");
    f = mem_calloc(1, sizeof *f);
    if (!f)
        return err_set(e, ERR_NOMEM, "font: out of memory");
    if (path && *path)
        rc = font_split_spec(path, &f->file, &f->index, e);
    else
        rc = font_find(families_file, &f->file, &f->index, e);
    if (rc == ERR_OK)
        rc = load_face(f, 1, e);
    if (rc != ERR_OK) {
        font_close(f);
        return rc;
    }
    *out = f;
    return ERR_OK;
}

/* Open face index of file as a fallback (no Chinese needed). */
static int open_face(struct font **out, const char *file, unsigned index,
                     struct err *e)
{
    struct font *f = mem_calloc(1, sizeof *f);
    int rc;

    *out = NULL;
    if (!f || !(f->file = mem_strdup(file))) {
        mem_free(f);
        return err_set(e, ERR_NOMEM, "font: out of memory");
    }
    f->index = index;
    if ((rc = load_face(f, 0, e)) != ERR_OK) {
        font_close(f);
        return rc;
    }
    *out = f;
    return ERR_OK;
}

/* The number of code points of face f that no face of head's chain has:
 * what f would add. */
static size_t adds(const struct font *head, const struct font *f)
{
    hb_set_t *cps = hb_set_create();
    hb_codepoint_t cp = HB_SET_VALUE_INVALID;
    size_t n = 0;

    if (!f || !cps)
        return 0;
    hb_face_collect_unicodes(f->face, cps);
    while (hb_set_next(cps, &cp))
        n += font_glyph_of(f, cp) != 0 && font_chain_pos(head, cp) < 0;
    hb_set_destroy(cps);
    return n;
}

int font_set_fallback(struct font *f, struct font *fallback,
                      struct err *e)
{
    struct font *last = f;

    if (fallback == f)
        return err_set(e, ERR_USAGE, "font %s: a face cannot be its own "
                       "fallback", f->family);
    if (fallback->nfaces > 1 || f->nfaces >= FONT_CHAIN_MAX) {
        font_close(fallback);
        return err_set(e, ERR_USAGE, "font %s: a fallback face must be one "
                       "face, not the chain itself, and a chain holds at "
                       "most %d faces", f->family, FONT_CHAIN_MAX);
    }
    while (last->next)
        last = last->next;
    last->next = fallback;
    fallback->pos = f->nfaces;
    f->faces[f->nfaces++] = fallback;
    chain_index(f);
    return ERR_OK;
}

const struct font *font_fallback(const struct font *f)
{
    return f->next;
}

int font_chain_count(const struct font *f)
{
    return f->nfaces;
}

const struct font *font_chain_face(const struct font *f, int k)
{
    return k >= 0 && k < f->nfaces ? f->faces[k] : NULL;
}

int font_chain_pos(const struct font *f, uint32_t cp)
{
    hb_codepoint_t g = 0;

    if (cp < 0x10000)
        return (int)f->bmp_pos[cp] - 1;
    for (int k = 0; k < f->nfaces; k++)
        if (hb_font_get_nominal_glyph(f->faces[k]->hb, cp, &g) && g)
            return k;
    return -1;
}

int font_draw_pos(const struct font *f, uint32_t cp)
{
    int k = font_chain_pos(f, cp);
    return k >= 0 ? k : f->ph_pos;
}

uint32_t font_placeholder(const struct font *f)
{
    return f->ph_cp;
}

size_t font_chain_skipped(const struct font *f, size_t i, const char **entry,
                          const char **why)
{
    if (i < f->nskipped) {
        *entry = f->skipped[i].entry;
        *why = f->skipped[i].why;
    }
    return f->nskipped;
}

/* Remember that entry of the families list was left out, and why. */
static int skip(struct font *head, const char *entry, const char *why,
                struct err *e)
{
    struct font_skip *v = mem_realloc(head->skipped, (head->nskipped + 1) *
                                                     sizeof *v);
    if (!v)
        return err_set(e, ERR_NOMEM, "font chain: out of memory");
    head->skipped = v;
    v[head->nskipped].entry = mem_strdup(entry);
    v[head->nskipped].why = mem_strdup(why);
    if (!v[head->nskipped].entry || !v[head->nskipped].why) {
        mem_free(v[head->nskipped].entry);
        mem_free(v[head->nskipped].why);
        return err_set(e, ERR_NOMEM, "font chain: out of memory");
    }
    head->nskipped++;
    err_clear(e);               /* a skipped entry is no error */
    return ERR_OK;
}

/* 1 when face index of file is already in head's chain. */
static int in_chain(const struct font *head, const char *file,
                    unsigned index)
{
    for (int k = 0; k < head->nfaces; k++)
        if (!strcmp(head->faces[k]->file, file) &&
            head->faces[k]->index == index)
            return 1;
    return 0;
}

/* One entry of the families list (a family or a FILE[:INDEX] path):
 * open it and append it to head's chain when it adds characters. */
static int chain_entry(struct font_lookup *l, struct font *head,
                       const char *entry, struct err *e)
{
    struct font *f = NULL;
    char *file = NULL, why[ERR_MSG_MAX + 64];
    unsigned index = 0;
    size_t added;
    int rc;

    if (entry[0] == '/') {
        if ((rc = font_split_spec(entry, &file, &index, e)) != ERR_OK)
            return rc == ERR_USAGE ? skip(head, entry, e->msg, e) : rc;
        if (!font_file_exists(file)) {
            mem_free(file);
            return skip(head, entry, "no such file", e);
        }
    } else if ((rc = font_lookup_family(l, entry, 0, &file, &index)) <= 0) {
        return rc < 0 ? err_set(e, ERR_NOMEM, "font: out of memory")
                      : skip(head, entry, "not installed (no TrueType face "
                             "of that family)", e);
    }
    if (in_chain(head, file, index)) {
        mem_free(file);
        return ERR_OK;          /* the main face, or listed twice */
    }
    if (head->nfaces >= FONT_CHAIN_MAX) {
        mem_free(file);
        return skip(head, entry, "the chain is full", e);
    }
    rc = open_face(&f, file, index, e);
    mem_free(file);
    if (rc == ERR_NOMEM)
        return rc;
    if (rc != ERR_OK) {
        snprintf(why, sizeof why, "cannot be used: %s", e->msg);
        err_clear(e);
        return skip(head, entry, why, e);
    }
    if ((added = adds(head, f)) == 0) {
        font_close(f);
        return skip(head, entry, "adds no character the faces before it "
                    "lack", e);
    }
    return font_set_fallback(head, f, e);
}

/* font_families_each's callback of font_open_chain. */
struct chain_ctx {
    struct font_lookup *l;
    struct font *head;
    struct err *e;
};

static int chain_each(void *ctx, const char *entry)
{
    struct chain_ctx *c = ctx;
    return chain_entry(c->l, c->head, entry, c->e);
}

int font_open_chain(struct font **out, const char *path,
                    const char *families_file, struct err *e)
{
    struct chain_ctx c = { NULL, NULL, e };
    char *list = NULL;
    int rc = font_open(out, path, families_file, e);

    if (rc != ERR_OK)
        return rc;
    c.head = *out;
    rc = font_read_families(families_file, &list, e);
    if (rc == ERR_OK)
        rc = font_lookup_open(&c.l, e);
    if (rc == ERR_OK)
        rc = font_families_each(list, chain_each, &c);
    font_lookup_close(c.l);
    mem_free(list);
    if (rc != ERR_OK) {
        font_close(*out);
        *out = NULL;
    }
    return rc;
}

void font_close(struct font *f)
{
    if (!f)
        return;
    font_close(f->next);
    font_ttf_close(f->ttf);
    hb_font_destroy(f->hb);
    hb_face_destroy(f->face);
    hb_blob_destroy(f->blob);
    mem_free(f->bmp_gid);
    mem_free(f->bmp_pos);
    mem_free(f->adv);
    for (size_t i = 0; i < f->nskipped; i++) {
        mem_free(f->skipped[i].entry);
        mem_free(f->skipped[i].why);
    }
    mem_free(f->skipped);
    mem_free(f->file);
    mem_free(f->family);
    mem_free(f);
}

const char *font_file(const struct font *f) { return f->file; }
unsigned font_face_index(const struct font *f) { return f->index; }
const char *font_family(const struct font *f) { return f->family; }

/* ---- coverage and metrics --------------------------------------------- */

hb_codepoint_t font_glyph_of(const struct font *f, uint32_t cp)
{
    hb_codepoint_t g = 0;
    if (cp < 0x10000 && f->bmp_gid)
        return f->bmp_gid[cp];
    if (!hb_font_get_nominal_glyph(f->hb, cp, &g))
        return 0;
    return g;
}

const struct font *font_face_of(const struct font *f, uint32_t cp)
{
    int k = font_chain_pos(f, cp);
    return k >= 0 ? f->faces[k] : NULL;
}

int font_has(const struct font *f, uint32_t cp)
{
    return font_face_of(f, cp) != NULL;
}

uint32_t font_first_missing(const struct font *f, const char *utf8,
                            size_t len)
{
    size_t i = 0, n;
    uint32_t cp;

    while (i < len) {
        n = text_utf8_decode(utf8 + i, len - i, &cp);
        if (n == 0)
            return 0xFFFFFFFFu;
        if (!font_has(f, cp))
            return cp;
        i += n;
    }
    return 0;
}

int font_check_text(const struct font *f, const char *utf8, size_t len,
                    const char *what, struct err *e)
{
    uint32_t cp = font_first_missing(f, utf8, len);
    char name[12], ch[5];
    size_t k;

    if (cp == 0)
        return ERR_OK;
    if (cp == 0xFFFFFFFFu)
        return text_utf8_check(utf8, len, what, e);
    text_cp_name(cp, name);
    k = cp >= 0x20 && cp != 0x7F ? text_utf8_encode(cp, ch) : 0;
    ch[k] = 0;
    if (f->nfaces > 1)
        return err_set(e, ERR_DATA, "%s: character %s '%s' is in none of the "
                       "%d fonts of the chain (%s ... %s); add a font that "
                       "has it to fonts/families.conf (doc/fonts.md)", what,
                       name, ch, f->nfaces, f->family,
                       f->faces[f->nfaces - 1]->family);
    return err_set(e, ERR_DATA, "%s: character %s '%s' is not in font %s",
                   what, name, ch, f->family);
}

int font_check_drawable(const struct font *f, const char *utf8, size_t len,
                        const char *what, struct err *e)
{
    size_t i = 0, n;
    uint32_t cp;

    while (i < len) {
        n = text_utf8_decode(utf8 + i, len - i, &cp);
        if (n == 0)
            return text_utf8_check(utf8, len, what, e);
        if (font_draw_pos(f, cp) < 0)
            return font_check_text(f, utf8, len, what, e);
        i += n;
    }
    return ERR_OK;
}

static int gid_advance(const struct font *f, hb_codepoint_t g)
{
    if (f->adv && g < f->nglyphs)
        return f->adv[g];
    long adv = (long)hb_font_get_glyph_h_advance(f->hb, g);
    if (adv < 0)
        adv = 0;
    return (int)(adv * 1000 / (long)f->upem);
}

int font_advance(const struct font *f, uint32_t cp)
{
    int k = font_chain_pos(f, cp);
    const struct font *face;

    if (k >= 0) {
        face = f->faces[k];
        return gid_advance(face, font_glyph_of(face, cp));
    }
    if (f->ph_pos < 0)
        return 0;
    face = f->faces[f->ph_pos];     /* drawn as the placeholder */
    return gid_advance(face, face->ph_gid);
}

/* Signed 16-bit big-endian value at off of table tag, 0 if out of it. */
static int table_i16(const struct font *f, hb_tag_t tag, unsigned off)
{
    hb_blob_t *b = hb_face_reference_table(f->face, tag);
    unsigned len = 0;
    const unsigned char *p = (const unsigned char *)hb_blob_get_data(b, &len);
    int v = 0;

    if (p && off + 2 <= len)
        v = (int16_t)(uint16_t)((unsigned)p[off] << 8 | p[off + 1]);
    hb_blob_destroy(b);
    return v;
}

static int per_mille(const struct font *f, int v)
{
    return (int)((long)v * 1000 / (long)f->upem);
}

void font_get_metrics(const struct font *f, struct font_metrics *m)
{
    static const unsigned bbox_off[4] = { 36, 38, 40, 42 };
    int i;

    for (i = 0; i < 4; i++)
        m->bbox[i] = per_mille(f, table_i16(f, HB_TAG('h', 'e', 'a', 'd'),
                                            bbox_off[i]));
    m->ascent = per_mille(f, table_i16(f, HB_TAG('h', 'h', 'e', 'a'), 4));
    m->descent = per_mille(f, table_i16(f, HB_TAG('h', 'h', 'e', 'a'), 6));
    font_heights(f, &m->cap_height, &m->x_height);
}

void font_heights(const struct font *f, int *cap_height, int *x_height)
{
    hb_position_t cap = 0, x = 0;

    /* from OS/2; else measured on the glyphs of 'H' and 'x' */
    hb_ot_metrics_get_position_with_fallback(
        f->hb, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap);
    hb_ot_metrics_get_position_with_fallback(
        f->hb, HB_OT_METRICS_TAG_X_HEIGHT, &x);
    *cap_height = cap > 0 ? (int)((long)cap * 1000 / (long)f->upem) : 0;
    *x_height = x > 0 ? (int)((long)x * 1000 / (long)f->upem) : 0;
}

long font_text_width(const struct font *f, const char *utf8, size_t len)
{
    size_t i = 0, n;
    uint32_t cp;
    long w = 0;

    while (i < len) {
        n = text_utf8_decode(utf8 + i, len - i, &cp);
        if (n == 0) {
            i++;
            continue;
        }
        w += font_advance(f, cp);
        i += n;
    }
    return w;
}

