/* font -- finding, opening, measuring and subsetting the CJK face (see
 * font.h and doc/fonts.md).
 *
 * Invariants: a struct font never changes after font_open (HarfBuzz
 * objects made immutable) except its cache of glyphs rewritten for PDF
 * subsets, whose entries are each set once, lock-free, to a value that
 * depends on the face alone; so measuring and subsetting may run in
 * several threads.  A subset's codes are 1..count in ascending code
 * point order; a standalone subset's cmap (3,1 format 4, one segment)
 * maps exactly these; a PDF subset's code i draws glyph i (unless two of
 * its characters share a glyph).
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
#include <limits.h>
#include <stdatomic.h>
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
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "HanaMinA", "HanaMinB",
    "BabelStone Han", "AR PL UMing CN", "AR PL UKai CN", "Noto Sans CJK SC",
    "Noto Serif CJK SC", NULL
};

/* What a character no face of the chain has is drawn as (the first of
 * these some face has): 〓 GETA MARK, the typesetter's mark for a missing
 * character; □; '?'.  The text layer keeps the real character. */
static const uint32_t placeholders[] = {0x3013, 0x25A1, 0x3F};

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

struct font {
    hb_blob_t *blob;    /* the whole file, mapped */
    hb_face_t *face;    /* the chosen face */
    hb_face_t *prep;    /* the same, prepared for fast subsetting */
    hb_font_t *hb;      /* cmap and advances at scale = upem */
    unsigned upem;
    unsigned index;
    char *file;         /* owned */
    char *family;       /* owned */
    struct font *next;  /* owned: the next face of the chain, or NULL */
    int pos;            /* this face's position in its chain, 0.. */
    unsigned ph_gid;    /* the placeholder's glyph, in the chain's
                           placeholder face only (else 0) */
    /* The chain, kept by its first face (the head) only: */
    struct font *faces[FONT_CHAIN_MAX]; /* borrowed; faces[0] = head */
    int nfaces;
    uint8_t *bmp_pos;   /* owned: 1 + position of the face drawing each
                           BMP code point, 0 when none has it */
    int ph_pos;         /* the face drawing the placeholder, -1 none */
    uint32_t ph_cp;     /* the placeholder character */
    struct font_skip *skipped; /* owned: list entries not in the chain */
    size_t nskipped;
    struct pdf_src *pdf;   /* owned: glyphs for PDF subsets (see below) */
    uint64_t id_hash;   /* of file name and index, seeds subset tags */
    /* Lookup tables built once in load_face, read-only afterwards (so
     * threads share them): layout measures every character it draws,
     * and asking HarfBuzz each time was a third of a sheet's cost. */
    uint16_t *bmp_gid;  /* owned: glyph of each BMP code point, 0 none */
    uint16_t *adv;      /* owned: advance of each glyph, 1/1000 em */
    unsigned nglyphs;
};

/* A families.conf entry left out of the chain, and why. */
struct font_skip {
    char *entry, *why;  /* owned */
};

struct pdf_src;
static int pdf_src_new(struct font *f, struct err *e);
static hb_codepoint_t glyph_of(const struct font *f, uint32_t cp);
static void pdf_src_free(struct pdf_src *ps);

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

/* The best face of one family: TrueType format, maps U+4E2D (when
 * need_han: the chain's first face; a fallback is judged by what it adds,
 * not by a language); ties go to
 * the smallest (file, index) so the choice does not depend on cache
 * order.  1 and *path owned, 0 when none, -1 out of memory. */
static int family_face(FcConfig *cfg, const char *family, int need_han,
                       char **path, unsigned *index)
{
    FcPattern *pat = FcPatternCreate();
    FcObjectSet *os = FcObjectSetBuild(FC_FILE, FC_INDEX, FC_FONTFORMAT,
                                       FC_CHARSET, (char *)NULL);
    FcFontSet *fs = NULL;
    char best[PATH_MAX] = "", real[PATH_MAX];
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
        /* the file itself, not a link to it (update-alternatives links
         * fonts-japanese-mincho.ttf to HanaMinA.ttf) */
        if (realpath((const char *)file, real))
            file = (FcChar8 *)real;
        if (strcmp((const char *)format, "TrueType") != 0 ||
            (need_han && !FcCharSetHasChar(cs, 0x4E2D)))
            continue;
        if (!best[0] || strcmp((const char *)file, best) < 0 ||
            (strcmp((const char *)file, best) == 0 && idx < best_index)) {
            snprintf(best, sizeof best, "%s", (const char *)file);
            best_index = idx;
        }
    }
    if (best[0]) {
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
        int rc = family[0] == '/' ? 0 : family_face(cfg, family, 1, path,
                                                     index);
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

int font_suggest(uint32_t cp, char *family, size_t n)
{
    FcConfig *cfg = FcInitLoadConfigAndFonts();
    FcPattern *pat = cfg ? FcPatternCreate() : NULL;
    FcCharSet *cs = pat ? FcCharSetCreate() : NULL;
    FcObjectSet *os = cs ? FcObjectSetBuild(FC_FAMILY, FC_FONTFORMAT,
                                            (char *)NULL) : NULL;
    FcFontSet *fs = NULL;
    int found = 0;

    family[0] = '\0';
    if (os && FcCharSetAddChar(cs, cp) && FcPatternAddCharSet(pat, FC_CHARSET,
                                                              cs))
        fs = FcFontList(cfg, pat, os);
    /* the smallest family name of a TrueType face: deterministic */
    for (int i = 0; fs && i < fs->nfont; i++) {
        FcChar8 *fam = NULL, *format = NULL;
        if (FcPatternGetString(fs->fonts[i], FC_FAMILY, 0, &fam) !=
                FcResultMatch ||
            FcPatternGetString(fs->fonts[i], FC_FONTFORMAT, 0, &format) !=
                FcResultMatch ||
            strcmp((const char *)format, "TrueType"))
            continue;
        if (!found || strcmp((const char *)fam, family) < 0) {
            snprintf(family, n, "%s", (const char *)fam);
            found = 1;
        }
    }
    if (fs)
        FcFontSetDestroy(fs);
    if (os)
        FcObjectSetDestroy(os);
    if (cs)
        FcCharSetDestroy(cs);
    if (pat)
        FcPatternDestroy(pat);
    if (cfg)
        FcConfigDestroy(cfg);
    return found;
}

int font_families_each(const char *text, int (*fn)(void *ctx,
                                                   const char *entry),
                       void *ctx)
{
    char entry[FAMILY_MAX];
    const char *p = text;
    int rc;

    while (next_family(&p, entry))
        if ((rc = fn(ctx, entry)))
            return rc;
    return 0;
}

/* ---- opening ---------------------------------------------------------- */

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Split "FILE:INDEX" unless FILE exists as given (see font.h). */
int font_split_spec(const char *spec, char **file, unsigned *index,
                    struct err *e)
{
    const char *colon = strrchr(spec, ':');
    long idx;
    char *end;

    *index = 0;
    *file = NULL;
    if (!spec[0] || (colon == spec && !file_exists(spec)))
        return err_set(e, ERR_USAGE, "font '%s': no file (want FILE or "
                       "FILE:INDEX)", spec);
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
    if (need_han && !glyph_of(f, 0x4E2D))
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
    f->id_hash = fnv1a(0xCBF29CE484222325ULL, f->family, strlen(f->family));
    f->id_hash = fnv1a(f->id_hash, &f->index, sizeof f->index);
    /* The face is not preprocessed for HarfBuzz's subsetter: PDF subsets
     * are cut by font.c from the tables (FONT_SUBSET_PDF), and a chain of
     * five large faces would pay seconds and hundreds of MB for it. */
    if (build_tables(f) != ERR_OK)
        return err_set(e, ERR_NOMEM, "font: out of memory");
    if (check_face(f, need_han, e) != ERR_OK)
        return e->code;
    if ((f->bmp_pos = mem_calloc(0x10000, 1)) == NULL)
        return err_set(e, ERR_NOMEM, "font: out of memory");
    f->faces[0] = f;
    f->nfaces = 1;
    chain_index(f);
    return pdf_src_new(f, e);
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
            unsigned g = glyph_of(head->faces[k], placeholders[i]);
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
        n += glyph_of(f, cp) != 0 && font_chain_pos(head, cp) < 0;
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
static int skip(struct font *head, const char *entry, const char *why)
{
    struct font_skip *v = mem_realloc(head->skipped, (head->nskipped + 1) *
                                                     sizeof *v);
    if (!v)
        return ERR_NOMEM;
    head->skipped = v;
    v[head->nskipped].entry = mem_strdup(entry);
    v[head->nskipped].why = mem_strdup(why);
    if (!v[head->nskipped].entry || !v[head->nskipped].why) {
        mem_free(v[head->nskipped].entry);
        mem_free(v[head->nskipped].why);
        return ERR_NOMEM;
    }
    head->nskipped++;
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
static int chain_entry(FcConfig *cfg, struct font *head, const char *entry,
                       struct err *e)
{
    struct font *f = NULL;
    char *file = NULL, why[ERR_MSG_MAX + 64];
    unsigned index = 0;
    size_t added;
    int rc;

    if (entry[0] == '/') {
        if ((rc = font_split_spec(entry, &file, &index, e)) != ERR_OK)
            return rc == ERR_USAGE ? skip(head, entry, e->msg) : rc;
        if (!file_exists(file)) {
            mem_free(file);
            return skip(head, entry, "no such file");
        }
    } else if ((rc = family_face(cfg, entry, 0, &file, &index)) <= 0) {
        return rc < 0 ? err_set(e, ERR_NOMEM, "font: out of memory")
                      : skip(head, entry, "not installed (no TrueType face "
                             "of that family)");
    }
    if (in_chain(head, file, index)) {
        mem_free(file);
        return ERR_OK;          /* the main face, or listed twice */
    }
    if (head->nfaces >= FONT_CHAIN_MAX) {
        mem_free(file);
        return skip(head, entry, "the chain is full");
    }
    rc = open_face(&f, file, index, e);
    mem_free(file);
    if (rc == ERR_NOMEM)
        return rc;
    if (rc != ERR_OK) {
        snprintf(why, sizeof why, "cannot be used: %s", e->msg);
        err_clear(e);
        return skip(head, entry, why);
    }
    if ((added = adds(head, f)) == 0) {
        font_close(f);
        return skip(head, entry, "adds no character the faces before it "
                    "lack");
    }
    return font_set_fallback(head, f, e);
}

int font_open_chain(struct font **out, const char *path,
                    const char *families_file, struct err *e)
{
    char *list = NULL, entry[FAMILY_MAX];
    const char *p;
    FcConfig *cfg = NULL;
    size_t n;
    int rc = font_open(out, path, families_file, e);

    if (rc != ERR_OK)
        return rc;
    if (families_file)
        rc = fsx_read_file(families_file, FAMILIES_MAX_BYTES, &list, &n, e);
    else if (!(list = builtin_list()))
        rc = err_set(e, ERR_NOMEM, "font lookup: out of memory");
    if (rc == ERR_OK && !(cfg = FcInitLoadConfigAndFonts()))
        rc = err_set(e, ERR_INTERNAL, "fontconfig: cannot load its "
                     "configuration");
    for (p = list; rc == ERR_OK && next_family(&p, entry);)
        rc = chain_entry(cfg, *out, entry, e);
    if (cfg)
        FcConfigDestroy(cfg);
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
    pdf_src_free(f->pdf);
    hb_font_destroy(f->hb);
    hb_face_destroy(f->prep);
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

static hb_codepoint_t glyph_of(const struct font *f, uint32_t cp)
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
        return gid_advance(face, glyph_of(face, cp));
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

/* ---- PDF subsets: outlines re-encoded and rescaled -------------------- *
 *
 * A PDF subset (FONT_SUBSET_PDF) is built here without HarfBuzz's
 * subsetter, from the face's glyphs, each rewritten once: simple glyphs
 * re-encoded with the smallest flags and deltas (1-byte deltas up to 255,
 * "same" flags for zero deltas, no repeat flags: they deflate worse),
 * instructions dropped, and the glyphs of a face of more than PDF_UPEM
 * units per em rescaled to PDF_UPEM: each point's absolute coordinates
 * scaled and rounded (outlines that share a point still share it),
 * composite offsets scaled, component structure kept.  A rewritten glyph
 * is made on its first use and kept with the face (struct pdf_src:
 * lock-free, each entry set once, a function of the face alone), so a
 * document mostly copies bytes.  The subset holds .notdef (no outline, as
 * HarfBuzz makes it), the characters' glyphs in code order, so that code
 * i draws glyph i (the PDF's CIDToGIDMap is /Identity), then the parts
 * of composites.  loca (short when it fits), hmtx, head, hhea and maxp
 * are written from the face's, scaled.  Text widths are unaffected: the
 * PDF's /W array and descriptor come from the face itself, per 1000 em
 * (font_advance, font_get_metrics).  Sizes and the choice of 512:
 * doc/fonts.md. */

/* Units per em of the outlines of a PDF subset of a larger face: 1/512
 * em is 0.02 pt at 10 pt, far below a 600 dpi printer's dot. */
#define PDF_UPEM 512

/* Simple-glyph point flags. */
#define GF_ON 0x01
#define GF_XSHORT 0x02
#define GF_YSHORT 0x04
#define GF_REPEAT 0x08
#define GF_XSAME 0x10
#define GF_YSAME 0x20
#define GF_OVERLAP 0x40

/* Composite-glyph component flags. */
#define CF_WORDS 0x0001
#define CF_XY 0x0002
#define CF_SCALE 0x0008
#define CF_MORE 0x0020
#define CF_XYSCALE 0x0040
#define CF_2X2 0x0080
#define CF_INSTR 0x0100

#define TAG_GLYF HB_TAG('g', 'l', 'y', 'f')
#define TAG_LOCA HB_TAG('l', 'o', 'c', 'a')
#define TAG_HEAD HB_TAG('h', 'e', 'a', 'd')
#define TAG_HHEA HB_TAG('h', 'h', 'e', 'a')
#define TAG_HMTX HB_TAG('h', 'm', 't', 'x')
#define TAG_MAXP HB_TAG('m', 'a', 'x', 'p')

/* One glyph of the face rewritten (never changed once made). */
struct pglyph {
    uint16_t adv;              /* advance width, new units */
    int16_t lsb;               /* left side bearing, new units */
    uint32_t len;              /* bytes of data; 0: no outline */
    unsigned char data[];      /* the glyph; components: face glyph ids */
};

/* A table of the face, borrowed from its blob. */
struct tab {
    hb_blob_t *blob;
    const unsigned char *p;
    unsigned len;
};

/* What PDF subsets of one face are made from. */
struct pdf_src {
    struct tab glyf, loca, hmtx, head, hhea, maxp;
    unsigned nglyphs, nmetrics;  /* maxp numGlyphs, hhea numberOfHMetrics */
    int long_loca;               /* head indexToLocFormat */
    long num, den;               /* scale factor num / den */
    _Atomic(struct pglyph *) *cache; /* owned: nglyphs entries */
};

/* Scratch space of one rewrite: a glyph's points and the output. */
struct gwork {
    uint8_t *fl;               /* owned: point flags */
    int32_t *x, *y;            /* owned: absolute coordinates */
    size_t wcap;               /* points the three arrays hold */
    unsigned char *out;        /* owned: bytes written */
    size_t len, cap;
};

static unsigned get16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static int gets16(const unsigned char *p)
{
    return (int16_t)(uint16_t)get16(p);
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)get16(p) << 16 | get16(p + 2);
}

/* v * num / den rounded half up (the same rounding everywhere, so equal
 * coordinates stay equal). */
static int scale(const struct pdf_src *ps, long v)
{
    long n = 2 * v * ps->num + ps->den, d = 2 * ps->den;
    return (int)(n >= 0 ? n / d : -((-n + d - 1) / d));
}

/* Make room for n more output bytes; 0 or -1. */
static int out_room(struct gwork *w, size_t n)
{
    size_t cap = w->cap ? w->cap : 1024;
    unsigned char *p;

    if (w->len + n <= w->cap)
        return 0;
    while (cap < w->len + n)
        cap *= 2;
    p = mem_realloc(w->out, cap);
    if (!p)
        return -1;
    w->out = p;
    w->cap = cap;
    return 0;
}

static void out8(struct gwork *w, unsigned v)
{
    w->out[w->len++] = (unsigned char)v;
}

static void out16(struct gwork *w, long v)
{
    put16(w->out + w->len, (unsigned)(v & 0xFFFF));
    w->len += 2;
}

/* Room for a glyph of np points; 0 or -1. */
static int work_room(struct gwork *w, size_t np)
{
    uint8_t *fl;
    int32_t *x, *y;

    if (np <= w->wcap)
        return 0;
    fl = mem_realloc(w->fl, np);
    if (fl)
        w->fl = fl;
    x = fl ? mem_realloc(w->x, np * sizeof *x) : NULL;
    if (x)
        w->x = x;
    y = x ? mem_realloc(w->y, np * sizeof *y) : NULL;
    if (!y)
        return -1;
    w->y = y;
    w->wcap = np;
    return 0;
}

static void work_free(struct gwork *w)
{
    mem_free(w->fl);
    mem_free(w->x);
    mem_free(w->y);
    mem_free(w->out);
}

/* Decode np coordinates of one axis (short, same: its flag bits) from
 * g[*p..len) into v as absolute values; 0, or -1 when malformed. */
static int decode_axis(const struct gwork *w, const unsigned char *g,
                       size_t len, size_t *p, size_t np, unsigned short_bit,
                       unsigned same_bit, int32_t *v)
{
    long at = 0;
    size_t i;

    for (i = 0; i < np; i++) {
        if (w->fl[i] & short_bit) {
            if (*p >= len)
                return -1;
            at += w->fl[i] & same_bit ? g[*p] : -(long)g[*p];
            *p += 1;
        } else if (!(w->fl[i] & same_bit)) {
            if (*p + 2 > len)
                return -1;
            at += gets16(g + *p);
            *p += 2;
        }
        v[i] = (int32_t)at;
    }
    return 0;
}

/* Decode the simple glyph g[0..len) with nc > 0 contours into w: flags
 * and absolute coordinates.  The number of points; -1 when malformed, -2
 * out of memory. */
static long decode_simple(struct gwork *w, const unsigned char *g,
                          size_t len, unsigned nc)
{
    size_t p = 10 + 2 * (size_t)nc, np, i = 0;

    if (p + 2 > len)
        return -1;
    np = (size_t)get16(g + p - 2) + 1;
    p += 2 + get16(g + p);
    if (work_room(w, np) != 0)
        return -2;
    while (i < np) {
        unsigned f, rep = 0;
        if (p >= len)
            return -1;
        f = g[p++];
        if (f & GF_REPEAT) {
            if (p >= len)
                return -1;
            rep = g[p++];
        }
        if (i + 1 + rep > np)
            return -1;
        memset(w->fl + i, (int)f, rep + 1);
        i += rep + 1;
    }
    if (decode_axis(w, g, len, &p, np, GF_XSHORT, GF_XSAME, w->x) != 0 ||
        decode_axis(w, g, len, &p, np, GF_YSHORT, GF_YSAME, w->y) != 0)
        return -1;
    return (long)np;
}

/* The flag bits of one axis for delta d. */
static unsigned delta_flags(long d, unsigned short_bit, unsigned same_bit)
{
    if (d == 0)
        return same_bit;
    if (d >= -255 && d <= 255)
        return short_bit | (d > 0 ? same_bit : 0);
    return 0;
}

/* Write the deltas of one axis of np points (flags in w->fl). */
static void encode_axis(struct gwork *w, size_t np, unsigned short_bit,
                        const int32_t *v)
{
    long prev = 0, d;
    size_t i;

    for (i = 0; i < np; prev = v[i], i++) {
        d = v[i] - prev;
        if (w->fl[i] & short_bit)
            out8(w, (unsigned)(d < 0 ? -d : d));
        else if (d != 0)
            out16(w, d);
    }
}

/* Rewrite the simple glyph g[0..len) with nc > 0 contours, scaled, to
 * w->out; its new xMin in *xmin.  0, -1 malformed, -2 out of memory. */
static int put_simple(const struct pdf_src *ps, struct gwork *w,
                      const unsigned char *g, size_t len, unsigned nc,
                      int *xmin)
{
    long np = decode_simple(w, g, len, nc);
    int32_t box[4] = { INT16_MAX, INT16_MAX, INT16_MIN, INT16_MIN };
    unsigned overlap;
    size_t i;

    if (np < 0)
        return (int)np;
    overlap = w->fl[0] & GF_OVERLAP;
    for (i = 0; i < (size_t)np; i++) {
        w->x[i] = scale(ps, w->x[i]);
        w->y[i] = scale(ps, w->y[i]);
        box[0] = w->x[i] < box[0] ? w->x[i] : box[0];
        box[1] = w->y[i] < box[1] ? w->y[i] : box[1];
        box[2] = w->x[i] > box[2] ? w->x[i] : box[2];
        box[3] = w->y[i] > box[3] ? w->y[i] : box[3];
        w->fl[i] = (uint8_t)((w->fl[i] & GF_ON) | (i ? 0 : overlap) |
            delta_flags(w->x[i] - (i ? w->x[i - 1] : 0), GF_XSHORT,
                        GF_XSAME) |
            delta_flags(w->y[i] - (i ? w->y[i - 1] : 0), GF_YSHORT,
                        GF_YSAME));
    }
    if (out_room(w, 12 + 2 * (size_t)nc + 5 * (size_t)np) != 0)
        return -2;
    out16(w, (long)nc);
    for (i = 0; i < 4; i++)
        out16(w, box[i]);
    memcpy(w->out + w->len, g + 10, 2 * (size_t)nc); /* endPtsOfContours */
    w->len += 2 * (size_t)nc;
    out16(w, 0);                                     /* no instructions */
    memcpy(w->out + w->len, w->fl, (size_t)np);
    w->len += (size_t)np;
    encode_axis(w, (size_t)np, GF_XSHORT, w->x);
    encode_axis(w, (size_t)np, GF_YSHORT, w->y);
    *xmin = box[0];
    return 0;
}

/* The bytes of component arguments and transform for component flags
 * cf. */
static size_t comp_args(unsigned cf)
{
    return (cf & CF_WORDS ? 4 : 2) +
           (cf & CF_SCALE ? 2 : cf & CF_XYSCALE ? 4 : cf & CF_2X2 ? 8 : 0);
}

/* Rewrite one component of a composite glyph (at g[p..len)) to w->out:
 * offsets scaled (bytes when they fit), point-matching arguments and
 * transform kept.  Its size in g, or 0 when malformed; *cf its flags. */
static size_t put_component(const struct pdf_src *ps, struct gwork *w,
                            const unsigned char *g, size_t len, size_t p,
                            unsigned *cf)
{
    size_t na, nt;
    long a, b;
    int words;

    if (p + 4 > len)
        return 0;
    *cf = get16(g + p);
    na = *cf & CF_WORDS ? 4 : 2;
    nt = comp_args(*cf) - na;
    if (p + 4 + na + nt > len)
        return 0;
    if (*cf & CF_XY) {
        a = scale(ps, na == 4 ? gets16(g + p + 4) : (int8_t)g[p + 4]);
        b = scale(ps, na == 4 ? gets16(g + p + 6) : (int8_t)g[p + 5]);
        words = a < -128 || a > 127 || b < -128 || b > 127;
    } else { /* point numbers: unsigned, unchanged */
        a = na == 4 ? (long)get16(g + p + 4) : g[p + 4];
        b = na == 4 ? (long)get16(g + p + 6) : g[p + 5];
        words = na == 4;
    }
    out16(w, (*cf & ~(unsigned)(CF_INSTR | CF_WORDS)) |
             (words ? CF_WORDS : 0));
    out16(w, get16(g + p + 2));
    if (words) {
        out16(w, a);
        out16(w, b);
    } else {
        out8(w, (unsigned)a & 0xFF);
        out8(w, (unsigned)b & 0xFF);
    }
    memcpy(w->out + w->len, g + p + 4 + na, nt);
    w->len += nt;
    return 4 + na + nt;
}

/* Rewrite the composite glyph g[0..len) to w->out, instructions
 * dropped; its new xMin in *xmin.  0, -1 malformed, -2 out of memory. */
static int put_composite(const struct pdf_src *ps, struct gwork *w,
                         const unsigned char *g, size_t len, int *xmin)
{
    size_t p = 10, n, i;
    unsigned cf;

    if (out_room(w, 10) != 0)
        return -2;
    out16(w, -1);
    for (i = 0; i < 4; i++)
        out16(w, scale(ps, gets16(g + 2 + 2 * i)));
    *xmin = scale(ps, gets16(g + 2));
    do {
        if (out_room(w, 16) != 0)
            return -2;
        n = put_component(ps, w, g, len, p, &cf);
        if (n == 0)
            return -1;
        p += n;
    } while (cf & CF_MORE);
    return 0;
}

/* Advance and left side bearing of glyph gid of the face (hmtx). */
static void face_metrics(const struct pdf_src *ps, unsigned gid,
                         unsigned *adv, int *lsb)
{
    unsigned m = gid < ps->nmetrics ? gid : ps->nmetrics - 1;
    size_t off = gid < ps->nmetrics
        ? 4 * (size_t)gid + 2
        : 4 * (size_t)ps->nmetrics + 2 * (size_t)(gid - ps->nmetrics);

    *adv = get16(ps->hmtx.p + 4 * (size_t)m);
    *lsb = off + 2 <= ps->hmtx.len ? gets16(ps->hmtx.p + off) : 0;
}

/* Where glyph gid lies in the face's glyf: 0, or -1 when malformed. */
static int face_span(const struct pdf_src *ps, unsigned gid, size_t *start,
                     size_t *end)
{
    const unsigned char *l = ps->loca.p;

    if ((ps->long_loca ? 4 : 2) * ((size_t)gid + 2) > ps->loca.len)
        return -1;
    *start = ps->long_loca ? get32(l + 4 * gid)
                           : 2 * (size_t)get16(l + 2 * gid);
    *end = ps->long_loca ? get32(l + 4 * gid + 4)
                         : 2 * (size_t)get16(l + 2 * gid + 2);
    if (*start > *end || *end > ps->glyf.len ||
        (*end > *start && *end - *start < 10))
        return -1;
    return 0;
}

/* Glyph gid of the face rewritten, as a new owned record in *out.  0, -1
 * malformed, -2 out of memory. */
static int make_pglyph(const struct pdf_src *ps, unsigned gid,
                       struct gwork *w, struct pglyph **out)
{
    size_t start, end;
    const unsigned char *g;
    unsigned adv;
    int lsb, nc = 0, xmin = 0, rc = 0;

    *out = NULL;
    if (face_span(ps, gid, &start, &end) != 0)
        return -1;
    g = ps->glyf.p + start;
    face_metrics(ps, gid, &adv, &lsb);
    w->len = 0;
    if (end > start)
        nc = gets16(g);
    if (nc < 0)
        rc = put_composite(ps, w, g, end - start, &xmin);
    else if (nc > 0)
        rc = put_simple(ps, w, g, end - start, (unsigned)nc, &xmin);
    if (rc != 0)
        return rc;
    *out = mem_malloc(sizeof **out + w->len);
    if (!*out)
        return -2;
    (*out)->adv = (uint16_t)scale(ps, (long)adv);
    /* keep lsb - xMin: the outline's offset from the glyph origin */
    (*out)->lsb = (int16_t)(nc ? xmin + scale(ps, lsb - gets16(g + 2))
                               : scale(ps, lsb));
    (*out)->len = (uint32_t)w->len;
    if (w->len)
        memcpy((*out)->data, w->out, w->len);
    return 0;
}

/* The rewritten glyph gid (borrowed until the face is closed): from the
 * cache, else made and published (whoever publishes first wins; the
 * record is the same either way). */
static int pglyph_get(const struct pdf_src *ps, unsigned gid,
                      struct gwork *w, const struct pglyph **out)
{
    struct pglyph *g, *seen;
    int rc;

    if (gid >= ps->nglyphs)
        return -1;
    g = atomic_load_explicit(&ps->cache[gid], memory_order_acquire);
    if (!g) {
        rc = make_pglyph(ps, gid, w, &g);
        if (rc != 0)
            return rc;
        seen = NULL;
        if (!atomic_compare_exchange_strong_explicit(
                &ps->cache[gid], &seen, g, memory_order_acq_rel,
                memory_order_acquire)) {
            mem_free(g);
            g = seen;
        }
    }
    *out = g;
    return 0;
}

/* Borrow table tag of face into t. */
static void get_tab(hb_face_t *face, hb_tag_t tag, struct tab *t)
{
    t->blob = hb_face_reference_table(face, tag);
    t->p = (const unsigned char *)hb_blob_get_data(t->blob, &t->len);
}

static void pdf_src_free(struct pdf_src *ps)
{
    unsigned i;

    if (!ps)
        return;
    for (i = 0; ps->cache && i < ps->nglyphs; i++)
        mem_free(atomic_load_explicit(&ps->cache[i], memory_order_relaxed));
    mem_free((void *)ps->cache);
    hb_blob_destroy(ps->glyf.blob);
    hb_blob_destroy(ps->loca.blob);
    hb_blob_destroy(ps->hmtx.blob);
    hb_blob_destroy(ps->head.blob);
    hb_blob_destroy(ps->hhea.blob);
    hb_blob_destroy(ps->maxp.blob);
    mem_free(ps);
}

/* The PDF glyph source of f's face (f->pdf).  ERR_NOMEM, or ERR_DATA when
 * its glyf, loca, head, hhea or hmtx table is missing or too short. */
static int pdf_src_new(struct font *f, struct err *e)
{
    struct pdf_src *ps = mem_calloc(1, sizeof *ps);
    unsigned i;
    int ok;

    if (!ps)
        return err_set(e, ERR_NOMEM, "font: out of memory");
    f->pdf = ps;
    get_tab(f->face, TAG_GLYF, &ps->glyf);
    get_tab(f->face, TAG_LOCA, &ps->loca);
    get_tab(f->face, TAG_HMTX, &ps->hmtx);
    get_tab(f->face, TAG_HEAD, &ps->head);
    get_tab(f->face, TAG_HHEA, &ps->hhea);
    get_tab(f->face, TAG_MAXP, &ps->maxp);
    ok = ps->head.len >= 54 && ps->hhea.len >= 36 && ps->maxp.len >= 6;
    ps->nglyphs = hb_face_get_glyph_count(f->face);
    ps->nmetrics = ok ? get16(ps->hhea.p + 34) : 0;
    ps->long_loca = ok && gets16(ps->head.p + 50) != 0;
    if (!ok || ps->nmetrics == 0 || ps->nmetrics > ps->nglyphs ||
        ps->hmtx.len < 2 * ((size_t)ps->nglyphs + ps->nmetrics))
        return err_set(e, ERR_DATA, "font %s:%u: bad head, hhea, maxp or "
                       "hmtx table", f->file, f->index);
    ps->num = f->upem > PDF_UPEM ? PDF_UPEM : 1;
    ps->den = f->upem > PDF_UPEM ? (long)f->upem : 1;
    ps->cache = mem_malloc(ps->nglyphs * sizeof *ps->cache);
    if (!ps->cache)
        return err_set(e, ERR_NOMEM, "font: out of memory");
    for (i = 0; i < ps->nglyphs; i++)
        atomic_init(&ps->cache[i], NULL);
    return ERR_OK;
}

/* ---- PDF subsets: assembling the font program ------------------------ */

/* One PDF subset being assembled. */
struct pdf_job {
    const struct pdf_src *ps;
    unsigned n, cap;             /* glyphs so far, room in ord and g */
    uint32_t *ord;               /* owned: new glyph id -> face glyph id */
    const struct pglyph **g;     /* owned: new glyph id -> its glyph */
    uint16_t *seen;              /* owned: face glyph id -> new id + 1 */
    uint32_t *offs;              /* owned: glyf offsets, n + 1 */
    struct gwork w;              /* the new glyf */
    struct gwork scratch;        /* for glyphs made on first use */
};

/* Add glyph gid of the face (once); its new id in *id.  0, -1
 * malformed, -2 out of memory. */
static int add_glyph(struct pdf_job *j, unsigned gid, unsigned *id)
{
    const struct pglyph *g;
    int rc;

    if (gid >= j->ps->nglyphs)
        return -1;
    if (j->seen[gid]) {
        *id = j->seen[gid] - 1u;
        return 0;
    }
    if (j->n == 0xFFFF)
        return -1;
    if (j->n == j->cap) {
        unsigned cap = j->cap ? 2 * j->cap : 512;
        uint32_t *ord = mem_realloc(j->ord, cap * sizeof *ord);
        const struct pglyph **gs = ord ? mem_realloc((void *)j->g,
                                                     cap * sizeof *gs)
                                       : NULL;
        if (ord)
            j->ord = ord;
        if (!gs)
            return -2;
        j->g = gs;
        j->cap = cap;
    }
    rc = pglyph_get(j->ps, gid, &j->scratch, &g);
    if (rc != 0)
        return rc;
    j->ord[j->n] = gid;
    j->g[j->n] = g;
    *id = j->n++;
    j->seen[gid] = (uint16_t)j->n;
    return 0;
}

/* Add the components of new glyph k (a composite glyph). */
static int add_components(struct pdf_job *j, unsigned k)
{
    const unsigned char *d = j->g[k]->data;
    size_t p = 10, len = j->g[k]->len;
    unsigned cf, id;
    int rc;

    do {
        if (p + 4 > len)
            return -1;
        cf = get16(d + p);
        rc = add_glyph(j, get16(d + p + 2), &id);
        if (rc != 0)
            return rc;
        p += 4 + comp_args(cf);
    } while (cf & CF_MORE);
    return 0;
}

/* The glyphs: .notdef, those of the codes (face glyphs old[0..n), first
 * occurrence), then the components of composites (breadth first).  The
 * codes' new ids in gids. */
static int collect(struct pdf_job *j, const hb_codepoint_t *old, size_t n,
                   uint16_t *gids)
{
    unsigned id, k;
    size_t i;
    int rc = add_glyph(j, 0, &id);

    for (i = 0; i < n && rc == 0; i++) {
        rc = add_glyph(j, (unsigned)old[i], &id);
        gids[i] = (uint16_t)id;
    }
    for (k = 0; k < j->n && rc == 0; k++)
        if (j->g[k]->len && gets16(j->g[k]->data) < 0)
            rc = add_components(j, k);
    return rc;
}

/* Renumber the components of the composite glyph d[0..len) (our own
 * encoding, already checked by add_components) to new ids. */
static void renumber(const struct pdf_job *j, unsigned char *d)
{
    size_t p = 10;
    unsigned cf;

    do {
        cf = get16(d + p);
        put16(d + p + 2, j->seen[get16(d + p + 2)] - 1u);
        p += 4 + comp_args(cf);
    } while (cf & CF_MORE);
}

/* The new glyf (in j->w.out) and its offsets. */
static int build_glyf(struct pdf_job *j)
{
    unsigned k;

    j->offs = mem_malloc(((size_t)j->n + 1) * sizeof *j->offs);
    if (!j->offs)
        return -2;
    j->w.len = 0;
    for (k = 0; k < j->n; k++) {
        const struct pglyph *g = j->g[k];
        j->offs[k] = (uint32_t)j->w.len;
        if (k == 0)
            continue; /* .notdef drawn as nothing, as HarfBuzz does */
        if (out_room(&j->w, (size_t)g->len + 1) != 0)
            return -2;
        memcpy(j->w.out + j->w.len, g->data, g->len);
        if (g->len && gets16(g->data) < 0)
            renumber(j, j->w.out + j->w.len);
        j->w.len += g->len;
        if (j->w.len & 1)
            out8(&j->w, 0); /* even lengths, for a short loca */
    }
    j->offs[j->n] = (uint32_t)j->w.len;
    return 0;
}

/* A blob owning data[0..len) (mem_free), or NULL (data freed). */
static hb_blob_t *own_blob(unsigned char *data, size_t len)
{
    if (!data)
        return NULL;
    return hb_blob_create_or_fail((const char *)data, (unsigned)len,
                                  HB_MEMORY_MODE_READONLY, data, mem_free);
}

/* A copy of t, or NULL. */
static unsigned char *copy_tab(const struct tab *t)
{
    unsigned char *p = mem_malloc(t->len);
    if (p)
        memcpy(p, t->p, t->len);
    return p;
}

/* loca (short when it fits) and hmtx (the advance of the trailing run of
 * equal ones written once); the number of long metrics in *nmetrics. */
static int build_loca_hmtx(const struct pdf_job *j, hb_blob_t **loca,
                           hb_blob_t **hmtx, unsigned *nmetrics, int *sh)
{
    size_t i, nm = j->n;
    unsigned char *l, *m;

    *sh = j->offs[j->n] <= 0x1FFFE;
    l = mem_malloc(((size_t)j->n + 1) * (*sh ? 2 : 4));
    for (i = 0; l && i <= j->n; i++) {
        if (*sh) {
            put16(l + 2 * i, j->offs[i] / 2);
        } else {
            put16(l + 4 * i, j->offs[i] >> 16);
            put16(l + 4 * i + 2, j->offs[i] & 0xFFFF);
        }
    }
    *loca = own_blob(l, ((size_t)j->n + 1) * (*sh ? 2 : 4));
    while (nm > 1 && j->g[nm - 1]->adv == j->g[nm - 2]->adv)
        nm--;
    *nmetrics = (unsigned)nm;
    m = mem_malloc(2 * ((size_t)j->n + nm));
    for (i = 0; m && i < j->n; i++) {
        if (i < nm) {
            put16(m + 4 * i, j->g[i]->adv);
            put16(m + 4 * i + 2, (unsigned)j->g[i]->lsb & 0xFFFF);
        } else {
            put16(m + 2 * (nm + i), (unsigned)j->g[i]->lsb & 0xFFFF);
        }
    }
    *hmtx = own_blob(m, 2 * ((size_t)j->n + nm));
    return *loca && *hmtx ? 0 : -2;
}

/* head, hhea and maxp: the face's, lengths scaled, counts of the
 * subset. */
static int build_head_hhea_maxp(const struct pdf_job *j, unsigned nmetrics,
                                int short_loca, hb_blob_t **head,
                                hb_blob_t **hhea, hb_blob_t **maxp)
{
    static const unsigned head_box[4] = { 36, 38, 40, 42 };
    static const unsigned hhea_len[] = { 4, 6, 8, 10, 12, 14, 16, 22 };
    const struct pdf_src *ps = j->ps;
    unsigned char *h = copy_tab(&ps->head), *a = copy_tab(&ps->hhea);
    unsigned char *m = copy_tab(&ps->maxp);
    unsigned i;

    if (h) {
        memset(h + 8, 0, 4);   /* checkSumAdjustment: set by HarfBuzz */
        put16(h + 18, (unsigned)scale(ps, (long)get16(h + 18)));
        for (i = 0; i < 4; i++)
            put16(h + head_box[i],
                  (unsigned)scale(ps, gets16(h + head_box[i])) & 0xFFFF);
        put16(h + 50, short_loca ? 0 : 1);
    }
    for (i = 0; a && i < sizeof hhea_len / sizeof *hhea_len; i++) {
        unsigned o = hhea_len[i];
        long v = o == 10 ? (long)get16(a + o) : gets16(a + o);
        put16(a + o, (unsigned)scale(ps, v) & 0xFFFF);
    }
    if (a)
        put16(a + 34, nmetrics);
    if (m)
        put16(m + 4, j->n);
    if (m && ps->maxp.len >= 32) { /* version 1.0: no hinting left */
        put16(m + 14, 1);                 /* maxZones */
        memset(m + 16, 0, 12);            /* twilight .. instructions */
    }
    *head = own_blob(h, ps->head.len);
    *hhea = own_blob(a, ps->hhea.len);
    *maxp = own_blob(m, ps->maxp.len);
    return *head && *hhea && *maxp ? 0 : -2;
}

/* The font program: the tables, in a HarfBuzz face builder, serialised
 * into *out. */
static int build_font(struct pdf_job *j, hb_blob_t **out)
{
    static const hb_tag_t tags[6] = { TAG_GLYF, TAG_LOCA, TAG_HMTX,
                                      TAG_HEAD, TAG_HHEA, TAG_MAXP };
    hb_blob_t *b[6] = { NULL, NULL, NULL, NULL, NULL, NULL };
    hb_face_t *nf = hb_face_builder_create();
    unsigned nm = 0;
    int sh = 1, rc, i;

    rc = build_loca_hmtx(j, &b[1], &b[2], &nm, &sh);
    if (rc == 0)
        rc = build_head_hhea_maxp(j, nm, sh, &b[3], &b[4], &b[5]);
    if (rc == 0) {
        b[0] = own_blob(j->w.out, j->w.len);
        j->w.out = NULL; /* b[0] owns it, or freed it */
        rc = b[0] ? 0 : -2;
    }
    for (i = 0; i < 6 && rc == 0; i++)
        rc = hb_face_builder_add_table(nf, tags[i], b[i]) ? 0 : -2;
    if (rc == 0) {
        *out = hb_face_reference_blob(nf);
        rc = hb_blob_get_length(*out) ? 0 : -2;
    }
    for (i = 0; i < 6; i++)
        hb_blob_destroy(b[i]);
    hb_face_destroy(nf);
    return rc;
}

/* The PDF subset s of f for the face glyphs old[0..s->n): s->gids,
 * s->nglyphs and the font program s->blob (see above).  ERR_NOMEM, or
 * ERR_INTERNAL when a glyph of the face is malformed. */
static int pdf_subset(const struct font *f, const hb_codepoint_t *old,
                      struct font_subset *s, struct err *e)
{
    struct pdf_job j;
    int rc;

    memset(&j, 0, sizeof j);
    j.ps = f->pdf;
    j.seen = mem_calloc(j.ps->nglyphs, sizeof *j.seen);
    rc = j.seen ? collect(&j, old, s->n, s->gids) : -2;
    if (rc == 0)
        rc = build_glyf(&j);
    if (rc == 0)
        rc = build_font(&j, &s->blob);
    s->nglyphs = j.n;
    work_free(&j.w);
    work_free(&j.scratch);
    mem_free(j.ord);
    mem_free((void *)j.g);
    mem_free(j.seen);
    mem_free(j.offs);
    if (rc == 0)
        return ERR_OK;
    if (rc == -2)
        return err_set(e, ERR_NOMEM, "font %s: out of memory writing the "
                       "subset's outlines", f->family);
    return err_set(e, ERR_INTERNAL, "font %s: malformed glyph outlines in "
                   "the face", f->family);
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
        rc = pdf_subset(f, old, s, e);
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
