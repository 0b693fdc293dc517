/* font_int -- what the font*.c files share; not for other modules.
 *
 *   font.c         opening faces (struct font), the chain, coverage,
 *                  metrics;
 *   font_find.c    families.conf and fontconfig: which file a family is,
 *                  the built-in list, FILE[:INDEX] specs;
 *   font_subset.c  subsets (struct font_subset): characters to codes and
 *                  glyphs, tags, the standalone subset (HarfBuzz's
 *                  subsetter);
 *   font_ttf.c     the TrueType program of a PDF subset (FONT_SUBSET_PDF):
 *                  the face's glyphs rewritten once and cached, the tables
 *                  assembled per subset.
 * fontconfig is included by font_find.c alone, HarfBuzz by font*.c only.
 */
#ifndef KQ_FONT_INT_H
#define KQ_FONT_INT_H

#include "font.h"

#include <hb.h>

#include <stddef.h>
#include <stdint.h>

struct err;
struct font_skip;
struct font_ttf_src;

/* A families.conf: at most this many bytes; an entry shorter than
 * FONT_FAMILY_MAX. */
#define FONT_FAMILIES_MAX_BYTES (64 * 1024)
#define FONT_FAMILY_MAX 128

struct font {
    hb_blob_t *blob;    /* the whole file, mapped */
    hb_face_t *face;    /* the chosen face */
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
    struct font_ttf_src *ttf; /* owned: glyphs for PDF subsets
                                 (font_ttf.c) */
    uint64_t id_hash;   /* of family name and index, seeds subset tags */
    /* Lookup tables built once in load_face, read-only afterwards (so
     * threads share them): layout measures every character it draws,
     * and asking HarfBuzz each time was a third of a sheet's cost. */
    uint16_t *bmp_gid;  /* owned: glyph of each BMP code point, 0 none */
    uint16_t *adv;      /* owned: advance of each glyph, 1/1000 em */
    unsigned nglyphs;
};

struct font_subset {
    hb_blob_t *blob;    /* the subset font */
    uint32_t *cps;      /* owned: cps[code - 1], ascending */
    uint16_t *gids;     /* owned: gids[code - 1], subset glyph ids */
    size_t n;
    unsigned nglyphs;
    char tag[7];
};

/* ---- font.c ---- */

/* The glyph of cp in face f (not the chain), 0 when it has none. */
hb_codepoint_t font_glyph_of(const struct font *f, uint32_t cp);

/* FNV-1a of data[0..n) continuing from h (start: 0xCBF29CE484222325). */
uint64_t font_fnv1a(uint64_t h, const void *data, size_t n);

/* ---- font_find.c ---- */

/* The next entry of a families list at *p (see font_families_each) into
 * out; 0 at the end. */
int font_next_family(const char **p, char out[FONT_FAMILY_MAX]);

/* The families list: families_file's text, or the built-in list when it
 * is NULL.  *list owned.  Errors as fsx_read_file, ERR_NOMEM. */
int font_read_families(const char *families_file, char **list,
                       struct err *e);

/* 1 when path exists. */
int font_file_exists(const char *path);

/* A fontconfig session (its configuration loaded once). */
struct font_lookup;

/* *out owned: font_lookup_close.  ERR_NOMEM, ERR_INTERNAL (fontconfig
 * cannot load its configuration). */
int font_lookup_open(struct font_lookup **out, struct err *e);
void font_lookup_close(struct font_lookup *l);

/* The best TrueType face of family (mapping U+4E2D when need_han; ties
 * to the smallest file and index): 1 with *path owned, 0 when none, -1
 * out of memory. */
int font_lookup_family(struct font_lookup *l, const char *family,
                       int need_han, char **path, unsigned *index);

/* ---- font_ttf.c ---- */

/* Prepare f's face for PDF subsets (f->ttf).  ERR_NOMEM, or ERR_DATA when
 * its glyf, loca, head, hhea or hmtx table is missing or too short. */
int font_ttf_open(struct font *f, struct err *e);

/* Release what font_ttf_open made (NULL is fine). */
void font_ttf_close(struct font_ttf_src *t);

/* The PDF subset s of f for the face glyphs old[0..s->n): s->gids,
 * s->nglyphs and the font program s->blob.  ERR_NOMEM, or ERR_INTERNAL
 * when a glyph of the face is malformed. */
int font_ttf_subset(const struct font *f, const hb_codepoint_t *old,
                    struct font_subset *s, struct err *e);

#endif
