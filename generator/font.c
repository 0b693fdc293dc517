/* font -- finding, opening, measuring and subsetting the CJK face (see
 * font.h and doc/fonts.md).
 *
 * Invariants: a struct font never changes after font_open (HarfBuzz
 * objects made immutable, no caches), so measuring and subsetting may run
 * in several threads.  A subset's codes are 1..count in ascending code
 * point order; its cmap (3,1 format 4, one segment) maps exactly these.
 */
#include "font.h"
#include "err.h"
#include "fsx.h"
#include "mem.h"
#include "text.h"

#include <fontconfig/fontconfig.h>
#include <hb-subset.h>
#include <hb.h>
#include <hb-ot.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FAMILIES_MAX_BYTES (64 * 1024)
#define FAMILY_MAX 128

/* Used when no families file is given; keep in step with
 * fonts/families.conf.  Order: smallest PDFs first; font_open_chain
 * takes the second installed one as the fallback (Zen Hei has ㊀-㊉). */
static const char *const builtin_families[] = {
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "AR PL UMing CN",
    "AR PL UKai CN", "Noto Sans CJK SC", "Noto Serif CJK SC", NULL
};

/* Tables a subset keeps: what libharu 2.3.0 reads or embeds (its other
 * required tags cvt/fpgm/prep are hinting and may be absent). */
static const hb_tag_t keep_tables[] = {
    HB_TAG('g', 'l', 'y', 'f'), HB_TAG('l', 'o', 'c', 'a'),
    HB_TAG('h', 'e', 'a', 'd'), HB_TAG('h', 'h', 'e', 'a'),
    HB_TAG('h', 'm', 't', 'x'), HB_TAG('m', 'a', 'x', 'p'),
    HB_TAG('n', 'a', 'm', 'e'), HB_TAG('O', 'S', '/', '2'),
    HB_TAG('p', 'o', 's', 't')
};
/* FONT_SUBSET_PDF keeps the first PDF_TABLES of keep_tables. */
#define PDF_TABLES 6
#define ALL_TABLES (sizeof keep_tables / sizeof *keep_tables)
#define CMAP_TAG HB_TAG('c', 'm', 'a', 'p')

struct font {
    hb_blob_t *blob;    /* the whole file, mapped */
    hb_face_t *face;    /* the chosen face */
    hb_face_t *prep;    /* the same, prepared for fast subsetting */
    hb_font_t *hb;      /* cmap and advances at scale = upem */
    unsigned upem;
    unsigned index;
    char *file;         /* owned */
    char *family;       /* owned */
    struct font *fallback; /* owned: draws what this face lacks, or NULL */
    uint64_t id_hash;   /* of file name and index, seeds subset tags */
};

struct font_subset {
    hb_blob_t *blob;    /* the subset font */
    uint32_t *cps;      /* owned: cps[code - 1], ascending */
    uint16_t *gids;     /* owned: gids[code - 1], subset glyph ids */
    size_t n;
    unsigned nglyphs;
    char tag[7];
};

/* ---- fontconfig ------------------------------------------------------- */

/* The next family name of a families file, trimmed; 0 at the end. */
static int next_family(const char **p, char out[FAMILY_MAX])
{
    while (**p) {
        const char *line = *p, *end = strchr(line, '\n');
        size_t n;
        if (!end)
            end = line + strlen(line);
        *p = *end ? end + 1 : end;
        n = (size_t)(end - line);
        if (memchr(line, '#', n))
            n = (size_t)((const char *)memchr(line, '#', n) - line);
        while (n && isspace((unsigned char)line[n - 1]))
            n--;
        while (n && isspace((unsigned char)*line))
            line++, n--;
        if (n == 0 || n >= FAMILY_MAX)
            continue;
        memcpy(out, line, n);
        out[n] = 0;
        return 1;
    }
    return 0;
}

/* The best face of one family: TrueType format, maps U+4E2D; ties go to
 * the smallest (file, index) so the choice does not depend on cache
 * order.  1 and *path owned, 0 when none, -1 out of memory. */
static int family_face(FcConfig *cfg, const char *family, char **path,
                       unsigned *index)
{
    FcPattern *pat = FcPatternCreate();
    FcObjectSet *os = FcObjectSetBuild(FC_FILE, FC_INDEX, FC_FONTFORMAT,
                                       FC_CHARSET, (char *)NULL);
    FcFontSet *fs = NULL;
    const char *best = NULL;
    int best_index = 0, i, rc = 0;

    if (pat && os && FcPatternAddString(pat, FC_FAMILY,
                                        (const FcChar8 *)family))
        fs = FcFontList(cfg, pat, os);
    for (i = 0; fs && i < fs->nfont; i++) {
        FcChar8 *file = NULL, *format = NULL;
        FcCharSet *cs = NULL;
        int idx = 0;
        if (FcPatternGetString(fs->fonts[i], FC_FILE, 0, &file) != FcResultMatch ||
            FcPatternGetString(fs->fonts[i], FC_FONTFORMAT, 0, &format) != FcResultMatch ||
            FcPatternGetCharSet(fs->fonts[i], FC_CHARSET, 0, &cs) != FcResultMatch)
            continue;
        FcPatternGetInteger(fs->fonts[i], FC_INDEX, 0, &idx);
        if (strcmp((const char *)format, "TrueType") != 0 ||
            !FcCharSetHasChar(cs, 0x4E2D))
            continue;
        if (!best || strcmp((const char *)file, best) < 0 ||
            (strcmp((const char *)file, best) == 0 && idx < best_index))
            best = (const char *)file, best_index = idx;
    }
    if (best) {
        *path = mem_strdup(best);
        *index = (unsigned)best_index;
        rc = *path ? 1 : -1;
    }
    if (fs)
        FcFontSetDestroy(fs);
    if (os)
        FcObjectSetDestroy(os);
    if (pat)
        FcPatternDestroy(pat);
    return rc;
}

/* The first family of list installed, other than face skip_index of
 * skip_file (NULL: none). */
static int find_in_list(FcConfig *cfg, const char *list,
                        const char *skip_file, unsigned skip_index,
                        char **path, unsigned *index, struct err *e)
{
    const char *p = list;
    char family[FAMILY_MAX];

    while (next_family(&p, family)) {
        int rc = family_face(cfg, family, path, index);
        if (rc < 0)
            return err_set(e, ERR_NOMEM, "font lookup: out of memory");
        if (rc > 0 && skip_file && strcmp(*path, skip_file) == 0 &&
            *index == skip_index) {
            mem_free(*path);
            *path = NULL;
            continue;
        }
        if (rc > 0)
            return ERR_OK;
    }
    return err_set(e, ERR_NOINPUT,
                   "no Chinese TrueType font found through fontconfig "
                   "(install fonts-wqy-microhei or fonts-wqy-zenhei, or "
                   "pass --font PATH / set KEQING_FONT)");
}

static char *builtin_list(void)
{
    size_t n = 1, i;
    char *s, *p;

    for (i = 0; builtin_families[i]; i++)
        n += strlen(builtin_families[i]) + 1;
    s = p = mem_malloc(n);
    if (!s)
        return NULL;
    for (i = 0; builtin_families[i]; i++) {
        size_t k = strlen(builtin_families[i]);
        memcpy(p, builtin_families[i], k);
        p[k] = '\n';
        p += k + 1;
    }
    *p = 0;
    return s;
}

/* font_find, skipping one face (see find_in_list). */
static int find_face(const char *families_file, const char *skip_file,
                     unsigned skip_index, char **path, unsigned *index,
                     struct err *e)
{
    char *list = NULL;
    size_t n;
    FcConfig *cfg;
    int rc;

    *path = NULL;
    *index = 0;
    if (families_file) {
        rc = fsx_read_file(families_file, FAMILIES_MAX_BYTES, &list, &n, e);
        if (rc != ERR_OK)
            return rc;
    } else if (!(list = builtin_list())) {
        return err_set(e, ERR_NOMEM, "font lookup: out of memory");
    }
    cfg = FcInitLoadConfigAndFonts();
    if (!cfg) {
        mem_free(list);
        return err_set(e, ERR_INTERNAL, "fontconfig: cannot load its "
                       "configuration");
    }
    rc = find_in_list(cfg, list, skip_file, skip_index, path, index, e);
    if (rc != ERR_OK && families_file)
        err_prefix(e, "%s: ", families_file);
    FcConfigDestroy(cfg);
    mem_free(list);
    return rc;
}

int font_find(const char *families_file, char **path, unsigned *index,
              struct err *e)
{
    return find_face(families_file, NULL, 0, path, index, e);
}

/* ---- opening ---------------------------------------------------------- */

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Split "FILE:INDEX" unless FILE exists as given.  *file owned. */
static int split_path(const char *spec, char **file, unsigned *index,
                      struct err *e)
{
    const char *colon = strrchr(spec, ':');
    long idx;
    char *end;

    *index = 0;
    if (file_exists(spec) || !colon || colon[1] == 0) {
        *file = mem_strdup(spec);
    } else {
        idx = strtol(colon + 1, &end, 10);
        if (*end || idx < 0 || idx > 255)
            return err_set(e, ERR_USAGE, "font %s: bad face index "
                           "(want FILE or FILE:INDEX)", spec);
        *index = (unsigned)idx;
        *file = mem_strndup(spec, (size_t)(colon - spec));
    }
    return *file ? ERR_OK : err_set(e, ERR_NOMEM, "font: out of memory");
}

static int has_table(hb_face_t *face, hb_tag_t tag)
{
    hb_blob_t *b = hb_face_reference_table(face, tag);
    unsigned len = hb_blob_get_length(b);
    hb_blob_destroy(b);
    return len > 0;
}

/* The face is one libharu can embed and draw Chinese with. */
static int check_face(struct font *f, struct err *e)
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
    if (!font_has(f, 0x4E2D))
        return err_set(e, ERR_DATA, "font %s:%u: has no Chinese "
                       "characters", f->file, f->index);
    return ERR_OK;
}

static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
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
    char name[FAMILY_MAX];
    unsigned len = sizeof name;
    unsigned got = hb_ot_name_get_utf8(f->face, HB_OT_NAME_ID_FONT_FAMILY,
                                       hb_language_from_string("en", 2),
                                       &len, name);
    if (got == 0)
        snprintf(name, sizeof name, "%s", f->file);
    f->family = mem_strdup(name);
    return f->family ? ERR_OK : ERR_NOMEM;
}

static int load_face(struct font *f, struct err *e)
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
    f->prep = hb_subset_preprocess(f->face);
    f->upem = hb_face_get_upem(f->face);
    f->hb = hb_font_create(f->face);
    hb_font_make_immutable(f->hb);
    if (hb_face_get_glyph_count(f->face) == 0)
        return err_set(e, ERR_DATA, "font %s:%u: not a font file", f->file,
                       f->index);
    if (read_family(f) != ERR_OK)
        return err_set(e, ERR_NOMEM, "font: out of memory");
    f->id_hash = fnv1a(0xCBF29CE484222325ULL, f->family, strlen(f->family));
    f->id_hash = fnv1a(f->id_hash, &f->index, sizeof f->index);
    return check_face(f, e);
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
        rc = split_path(path, &f->file, &f->index, e);
    else
        rc = font_find(families_file, &f->file, &f->index, e);
    if (rc == ERR_OK)
        rc = load_face(f, e);
    if (rc != ERR_OK) {
        font_close(f);
        return rc;
    }
    *out = f;
    return ERR_OK;
}

/* font_open of face index of file. */
static int open_face(struct font **out, const char *file, unsigned index,
                     struct err *e)
{
    size_t n = strlen(file) + 16;
    char *spec = mem_malloc(n);
    int rc;

    *out = NULL;
    if (!spec)
        return err_set(e, ERR_NOMEM, "font: out of memory");
    snprintf(spec, n, "%s:%u", file, index);
    rc = font_open(out, spec, NULL, e);
    mem_free(spec);
    return rc;
}

int font_set_fallback(struct font *f, struct font *fallback,
                      struct err *e)
{
    if (f->fallback || fallback->fallback || fallback == f) {
        font_close(fallback);
        return err_set(e, ERR_USAGE, "font %s: a fallback face cannot be "
                       "set twice or chained", f->family);
    }
    f->fallback = fallback;
    return ERR_OK;
}

const struct font *font_fallback(const struct font *f)
{
    return f->fallback;
}

int font_open_chain(struct font **out, const char *path,
                    const char *families_file, struct err *e)
{
    struct font *fb = NULL;
    char *file = NULL;
    unsigned index = 0;
    int rc = font_open(out, path, families_file, e);

    if (rc != ERR_OK)
        return rc;
    rc = find_face(families_file, (*out)->file, (*out)->index, &file,
                   &index, e);
    if (rc == ERR_NOINPUT && !file) { /* no other family: no fallback */
        err_clear(e);
        return ERR_OK;
    }
    if (rc == ERR_OK)
        rc = open_face(&fb, file, index, e);
    if (rc == ERR_OK)
        rc = font_set_fallback(*out, fb, e);
    mem_free(file);
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
    font_close(f->fallback);
    hb_font_destroy(f->hb);
    hb_face_destroy(f->prep);
    hb_face_destroy(f->face);
    hb_blob_destroy(f->blob);
    mem_free(f->file);
    mem_free(f->family);
    mem_free(f);
}

const char *font_file(const struct font *f) { return f->file; }
unsigned font_face_index(const struct font *f) { return f->index; }
const char *font_family(const struct font *f) { return f->family; }

/* ---- coverage and metrics --------------------------------------------- */

static hb_codepoint_t glyph_of(const struct font *f, uint32_t cp)
{
    hb_codepoint_t g = 0;
    if (!hb_font_get_nominal_glyph(f->hb, cp, &g))
        return 0;
    return g;
}

const struct font *font_face_of(const struct font *f, uint32_t cp)
{
    if (glyph_of(f, cp))
        return f;
    if (f->fallback && glyph_of(f->fallback, cp))
        return f->fallback;
    return NULL;
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
    if (f->fallback)
        return err_set(e, ERR_DATA, "%s: character %s '%s' is not in font "
                       "%s nor in %s", what, name, ch, f->family,
                       f->fallback->family);
    return err_set(e, ERR_DATA, "%s: character %s '%s' is not in font %s",
                   what, name, ch, f->family);
}

static int gid_advance(const struct font *f, hb_codepoint_t g)
{
    long adv = (long)hb_font_get_glyph_h_advance(f->hb, g);
    if (adv < 0)
        adv = 0;
    return (int)(adv * 1000 / (long)f->upem);
}

int font_advance(const struct font *f, uint32_t cp)
{
    const struct font *face = font_face_of(f, cp);
    return face ? gid_advance(face, glyph_of(face, cp)) : 0;
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

/* ---- subsets ---------------------------------------------------------- */

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
 * only the first nkeep tables of keep_tables (cmap is written by
 * make_cmap). */
static hb_subset_input_t *make_input(const struct font *f,
                                     const hb_codepoint_t *old, size_t n,
                                     size_t nkeep)
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
            for (j = 0; j < nkeep; j++)
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

static void make_tag(struct font_subset *s, uint64_t seed)
{
    uint64_t h = fnv1a(seed, s->cps, s->n * sizeof *s->cps);
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
        old[i] = glyph_of(f, cps[i]);
        if (old[i] == 0) {
            text_cp_name(cps[i], name);
            return err_set(e, ERR_DATA, "character %s is not in font %s",
                           name, f->family);
        }
    }
    return ERR_OK;
}

/* Run the subsetter; fill s->gids and s->blob. */
static int run_subset(const struct font *f, const hb_codepoint_t *old,
                      unsigned flags, struct font_subset *s, struct err *e)
{
    size_t nkeep = flags & FONT_SUBSET_PDF ? PDF_TABLES : ALL_TABLES;
    hb_subset_input_t *in = make_input(f, old, s->n, nkeep);
    hb_subset_plan_t *plan = in ? hb_subset_plan_create_or_fail(f->prep, in)
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
    if (!(flags & FONT_SUBSET_PDF)) {
        cmap = make_cmap(s->gids, s->n);
        if (!cmap || !hb_face_builder_add_table(out, CMAP_TAG, cmap)) {
            rc = err_set(e, cmap ? ERR_INTERNAL : ERR_NOMEM, "font %s: "
                         "cannot add the subset cmap", f->family);
            goto done;
        }
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
    if (rc == ERR_OK)
        rc = run_subset(f, old, flags, s, e);
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
