/* font -- the CJK TrueType face of the PDFs, and per-document subsets.
 *
 * Rendering draws all text in one TrueType (glyf-based) face.  font_open
 * finds it (an explicit path, else $KEQING_FONT, else fontconfig over the
 * preferred families of fonts/families.conf), maps the file once and
 * prepares it for fast subsetting.  Layout code measures text with
 * font_text_width; the PDF writers (pdf_render.c, pdf_book.c) then ask
 * for a subset holding exactly the characters a document uses.
 *
 * A subset is a small standalone TrueType font whose cmap does not map
 * Unicode: it maps dense codes 1..n, one per character of the document in
 * ascending code point order, to small glyph ids.  The PDF writer
 * re-encodes text to these codes and writes a ToUnicode CMap that restores
 * the real characters (this keeps libharu 2.3.0 clear of its composite
 * glyph bug and makes its per-font work cheap; see doc/fonts.md).
 *
 * This is the only module that includes HarfBuzz and fontconfig (font.c:
 * faces, the chain, metrics; font_find.c: fontconfig and families.conf;
 * font_subset.c: subsets; font_ttf.c: PDF subset programs).  A struct
 * font is read-only after font_open: one may be shared by threads that
 * each make their own subsets.
 */
#ifndef KQ_FONT_H
#define KQ_FONT_H

#include <stddef.h>
#include <stdint.h>

struct err;
struct font;
struct font_subset;

/* The largest number of distinct characters in one subset. */
#define FONT_SUBSET_MAX 8000

/* Find a CJK TrueType face with fontconfig.  families_file lists
 * preferred family names, one a line ('#' starts a comment); NULL means
 * the built-in list (the same as fonts/families.conf).  The first family
 * with an installed glyf-based face covering Chinese wins.  On success
 * *path is an owned string and *index the face index in a collection.
 * ERR_NOINPUT when no family is installed (the message names the Debian
 * packages to install), ERR_NOINPUT/ERR_DATA for an unreadable list. */
int font_find(const char *families_file, char **path, unsigned *index,
              struct err *e);

/* The entries of a families.conf text (NUL-terminated): one per line,
 * '#' to the end of the line a comment, blanks trimmed, empty lines and
 * entries of 128 bytes or more skipped; fn is called with each (borrowed
 * for the call) until it returns non-zero, which is returned.  Pure: no
 * lookup, no I/O. */
int font_families_each(const char *text, int (*fn)(void *ctx,
                                                   const char *entry),
                       void *ctx);

/* Split a face spec "FILE" or "FILE:INDEX" (a face of a collection,
 * 0..255; FILE is taken whole when it exists as given): *file owned.
 * ERR_USAGE for a bad index, ERR_NOMEM. */
int font_split_spec(const char *spec, char **file, unsigned *index,
                    struct err *e);

/* An installed family (fontconfig, TrueType) that has cp, into family
 * (n bytes): 1 when one is found, else 0 and family = "".  For the way
 * out of a character the chain lacks ("add it to families.conf"). */
int font_suggest(uint32_t cp, char *family, size_t n);

/* Open the face for a run.  path is "FILE" or "FILE:INDEX" (a face of a
 * .ttc collection; FILE is taken whole when it exists as given); NULL or
 * "" falls back to $KEQING_FONT, then to font_find(families_file).  The
 * face must be TrueType with outlines in glyf (libharu cannot embed CFF
 * fonts) and map U+4E2D; else ERR_DATA.  *out is owned: font_close. */
int font_open(struct font **out, const char *path,
              const char *families_file, struct err *e);

/* Release f and its chain (NULL is fine). */
void font_close(struct font *f);

/* ---- the fallback chain ---------------------------------------------
 * Rendering draws with a chain of faces: the main face for every
 * character it has, then each fallback in order for the rest (doc/fonts.md
 * lists the default chain and its coverage per Unicode block).  font_has,
 * font_first_missing, font_check_text, font_advance and font_text_width
 * of the chain's first face cover the whole chain, each character taken
 * from the first face that has it; subsets stay per face: split the
 * characters with font_draw_pos.  A character no face has is drawn as the
 * chain's placeholder (font_placeholder: 〓, else □, else '?') from the
 * face that has it, measured as that glyph, while its code keeps naming
 * the real character (the PDF's text layer says what the data says). */

/* The most faces of one chain. */
#define FONT_CHAIN_MAX 8

/* Append the face fallback (consumed: closed with f, or at once on
 * error) to f's chain.  Call it before f is shared.  ERR_USAGE when
 * fallback is a chain itself or f, or the chain is full. */
int font_set_fallback(struct font *f, struct font *fallback, struct err *e);

/* font_open (the main face: path, $KEQING_FONT, else the first family of
 * the list that maps Chinese), then every other entry of the families
 * list (families_file, NULL for the built-in one, the same as
 * fonts/families.conf) in order: a family name (the face fontconfig finds
 * as TrueType) or an absolute FILE[:INDEX] path.  An entry joins the chain
 * when it is a glyf TrueType face that adds characters the faces before
 * it lack; the others are listed with the reason (font_chain_skipped).
 * Errors as font_open, ERR_NOINPUT/ERR_DATA for an unreadable list. */
int font_open_chain(struct font **out, const char *path,
                    const char *families_file, struct err *e);

/* The faces of f's chain: their number (1 without fallbacks) and face k
 * (0 = f; borrowed until font_close(f), NULL out of range). */
int font_chain_count(const struct font *f);
const struct font *font_chain_face(const struct font *f, int k);

/* The second face of the chain, or NULL (font_chain_face(f, 1)). */
const struct font *font_fallback(const struct font *f);

/* The chain position of the face that has cp, or -1 when none has it. */
int font_chain_pos(const struct font *f, uint32_t cp);

/* The chain position of the face that draws cp: font_chain_pos, or the
 * placeholder's face for a character none has (-1 when not even the
 * placeholder can be drawn). */
int font_draw_pos(const struct font *f, uint32_t cp);

/* The character drawn for one no face has (0 when none can be drawn). */
uint32_t font_placeholder(const struct font *f);

/* Entries of the families list left out of f's chain: their number; for
 * i below it, *entry and *why (borrowed until font_close). */
size_t font_chain_skipped(const struct font *f, size_t i, const char **entry,
                          const char **why);

/* The face that has cp: a face of f's chain, or NULL when none has it. */
const struct font *font_face_of(const struct font *f, uint32_t cp);

/* The file, face index and family name ("WenQuanYi Micro Hei") of f;
 * borrowed until font_close. */
const char *font_file(const struct font *f);
unsigned font_face_index(const struct font *f);
const char *font_family(const struct font *f);

/* 1 when the face (or its fallback) has a glyph for cp. */
int font_has(const struct font *f, uint32_t cp);

/* The first character of UTF-8 text that the face cannot show (or that
 * is not valid UTF-8: then 0xFFFFFFFF), or 0 when every one is shown. */
uint32_t font_first_missing(const struct font *f, const char *utf8,
                            size_t len);

/* ERR_OK when the face shows every character of utf8; else ERR_DATA with
 * "<what>: character U+4E2D '中' is not in font <family>" (with a
 * fallback: "... is not in font <family> nor in <fallback family>"), or
 * the invalid UTF-8 offset.  what names the text for people (e.g. "person P0012 name"). */
int font_check_text(const struct font *f, const char *utf8, size_t len,
                    const char *what, struct err *e);

/* ERR_OK when every character of utf8 can be drawn - by a face of the
 * chain or as its placeholder; else as font_check_text (invalid UTF-8,
 * or a missing character when the chain has no placeholder either). */
int font_check_drawable(const struct font *f, const char *utf8, size_t len,
                        const char *what, struct err *e);

/* Advance width of cp in 1/1000 em, truncated as in the PDF's /W array,
 * from the face that draws it (the placeholder's for a character no face
 * has; 0 when no placeholder either). */
int font_advance(const struct font *f, uint32_t cp);

/* Cap height and x-height of the face in 1/1000 em, from its OS/2 table
 * or else from the glyphs of 'H' and 'x' (0 when neither is known). */
void font_heights(const struct font *f, int *cap_height, int *x_height);

/* Face-wide metrics for a PDF FontDescriptor, in 1/1000 em (truncated
 * toward zero as libharu does): bounding box (head), ascent and descent
 * (hhea), cap height and x-height (font_heights). */
struct font_metrics {
    int bbox[4];       /* xMin yMin xMax yMax */
    int ascent, descent, cap_height, x_height;
};
void font_get_metrics(const struct font *f, struct font_metrics *m);

/* Width of UTF-8 text in 1/1000 em: the sum of font_advance (no kerning,
 * as PDF text is drawn).  Invalid bytes count 0.  Multiply by size/1000
 * for points. */
long font_text_width(const struct font *f, const char *utf8, size_t len);

/* ---- subsets ---------------------------------------------------------- */

/* Cut f down to the characters cps[0..n) (ascending, no duplicates, each
 * one the face shows).  The subset drops
 * hinting, glyph names and every table libharu does not embed, and maps
 * code i (1..count) to the glyph of the i-th character.  *out is owned:
 * font_subset_free.  ERR_DATA (names the character) when f lacks one, or
 * for unsorted input or too many characters; ERR_NOMEM; ERR_INTERNAL
 * when HarfBuzz fails. */
int font_subset_new(const struct font *f, const uint32_t *cps, size_t n,
                    struct font_subset **out, struct err *e);

/* Flags for font_subset_new_flags. */
enum {
    /* Only what a PDF CIDFontType2 font program needs (glyf, loca, head,
     * hhea, hmtx, maxp): no cmap, name, OS/2 or post; not a usable
     * standalone font (nothing maps characters).  Built by font_ttf.c from
     * the face's glyphs without HarfBuzz's subsetter: the same glyphs
     * (composite parts included), no instructions, outlines re-encoded
     * compactly and, for a face of more than 512 units per em, rescaled
     * to 512 (head, hhea, hmtx follow; widths for the PDF still come from
     * font_advance and font_get_metrics, per 1000 em).  Glyph ids are
     * renumbered so that code i draws glyph i, except for a character
     * whose glyph an earlier one of the subset already draws (then
     * font_subset_glyph gives that glyph). */
    FONT_SUBSET_PDF = 1u << 0
};

/* font_subset_new with flags (a set of FONT_SUBSET_*; 0: the same as
 * font_subset_new).  With FONT_SUBSET_PDF also ERR_INTERNAL when a glyph
 * of the face is malformed. */
int font_subset_new_flags(const struct font *f, const uint32_t *cps,
                          size_t n, unsigned flags, struct font_subset **out,
                          struct err *e);

/* Release s (NULL is fine). */
void font_subset_free(struct font_subset *s);

/* The subset as TrueType bytes; borrowed until font_subset_free. */
const unsigned char *font_subset_data(const struct font_subset *s,
                                      size_t *len);

/* Number of characters (codes 1..count). */
size_t font_subset_count(const struct font_subset *s);

/* The code of cp in s, or 0 when cp is not in s. */
unsigned font_subset_code(const struct font_subset *s, uint32_t cp);

/* The character of code (1..count), or 0 for another code. */
uint32_t font_subset_char(const struct font_subset *s, unsigned code);

/* Number of glyphs in the subset font (glyph 0 is .notdef). */
unsigned font_subset_glyphs(const struct font_subset *s);

/* The subset's glyph id for code (1..count), else 0. */
unsigned font_subset_glyph(const struct font_subset *s, unsigned code);

/* Six capital letters naming this subset in the PDF ("ABCDEF+Font"),
 * derived from the font and the character set: deterministic. */
const char *font_subset_tag(const struct font_subset *s);

#endif
