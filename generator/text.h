/* text -- UTF-8, code point sets and Chinese line breaking.
 *
 * The lowest layer of rendering: pure functions, no library but libc.  The
 * font module (font.c) and the PDF writer (pdf.c) decode with it; layout
 * code (sheets, summaries, packets) breaks paragraphs with text_break()
 * before drawing each line with pdf_text().
 *
 * UTF-8 here is strict (RFC 3629): no overlong forms, no surrogates
 * (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequences.
 */
#ifndef KQ_TEXT_H
#define KQ_TEXT_H

#include <stddef.h>
#include <stdint.h>

struct err;

/* ---- UTF-8 ------------------------------------------------------------ */

/* Decode the character at s[0..len).  Returns the number of bytes it uses
 * (1..4) and sets *cp, or returns 0 (and leaves *cp alone) when the bytes
 * there are not valid UTF-8 or len is 0. */
size_t text_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encode cp (a scalar value: <= U+10FFFF and not a surrogate) into out.
 * Returns the number of bytes written (1..4), or 0 for an invalid cp. */
size_t text_utf8_encode(uint32_t cp, char out[4]);

/* 1 when s[0..len) is valid UTF-8, else 0 and *bad (if not NULL) is the
 * byte offset of the first invalid sequence. */
int text_utf8_valid(const char *s, size_t len, size_t *bad);

/* ERR_OK, or ERR_DATA with "what: invalid UTF-8 at byte N" in e.  what
 * names the text for the message (e.g. "person P0012 name"). */
int text_utf8_check(const char *s, size_t len, const char *what,
                    struct err *e);

/* Write "U+4E2D" (4 to 6 hex digits) into out. */
void text_cp_name(uint32_t cp, char out[12]);

/* ---- code point sets -------------------------------------------------- */

/* The set of characters a document uses: O(1) membership for the BMP (a
 * bitmap), a short list for the rest.  Zero-initialise or text_cpset_init
 * before use; free with text_cpset_free. */
struct text_cpset {
    uint64_t bmp[65536 / 64]; /* bit cp set when BMP cp is a member */
    uint32_t *v;              /* owned: every member, in insertion order
                                 until text_cpset_sorted() sorts it */
    size_t n, cap;
    size_t max;               /* most members allowed (ERR_DATA beyond) */
};

/* An empty set holding at most max members. */
void text_cpset_init(struct text_cpset *s, size_t max);

/* 1 when cp is in s. */
int text_cpset_has(const struct text_cpset *s, uint32_t cp);

/* Add cp (a scalar value).  ERR_OK (also when already present), ERR_NOMEM,
 * or ERR_DATA when the set is full; e names the cause. */
int text_cpset_add(struct text_cpset *s, uint32_t cp, struct err *e);

/* Add every character of valid UTF-8 text.  ERR_DATA for invalid UTF-8
 * (the set keeps what came before the bad byte), ERR_NOMEM. */
int text_cpset_add_utf8(struct text_cpset *s, const char *utf8, size_t len,
                        struct err *e);

/* The members in ascending order (sorts s->v in place); *n is the count.
 * Borrowed until the next change to s. */
const uint32_t *text_cpset_sorted(struct text_cpset *s, size_t *n);

/* Empty the set but keep its allocation. */
void text_cpset_clear(struct text_cpset *s);

/* Free the member list; s is left empty and reusable. */
void text_cpset_free(struct text_cpset *s);

/* ---- line breaking ---------------------------------------------------- */

/* Width of s[0..len) (valid UTF-8, whole characters) in the caller's unit
 * (points, 1/1000 em...).  Widths must add up: width(ab) = width(a) +
 * width(b), which holds for PDF text without kerning. */
typedef double (*text_width_fn)(void *ctx, const char *s, size_t len);

/* One output line: bytes [off, off + len) of the paragraph, and its width
 * (without the spaces dropped at the break). */
struct text_line {
    size_t off, len;
    double width;
};

/* Break UTF-8 text into lines no wider than max_width, greedily, with the
 * rules of Chinese typesetting:
 *  - a break may fall between any two CJK characters, and at spaces
 *    (which are dropped at the break: never at a line's start or end);
 *  - a run of ASCII letters, digits and ASCII punctuation (a word, a
 *    number such as 95.5% or 2026-10) is kept together;
 *  - no line starts with closing punctuation (，。、；：？！）》」』”…％
 *    and their ASCII forms), no line ends with opening punctuation
 *    (（《「『“ ...);
 *  - one closing punctuation mark may hang past max_width instead of
 *    being pushed, with its word, to the next line;
 *  - "\n" forces a break ("\r\n" too);
 *  - only a unit wider than max_width on its own is cut between
 *    characters (the rules above then give way).
 * lines[0..max_lines) receive the first lines; *nlines is set to the
 * number of lines the whole text needs (possibly > max_lines, so callers
 * detect overflow; an empty text needs 0 lines).  ERR_OK, or ERR_DATA
 * (e names it) for invalid UTF-8.  lines may be NULL when max_lines is 0. */
int text_break(const char *s, size_t len, double max_width,
               text_width_fn width, void *ctx, struct text_line *lines,
               size_t max_lines, size_t *nlines, struct err *e);

/* 1 when a line may not start with cp (closing punctuation). */
int text_no_line_start(uint32_t cp);

/* 1 when a line may not end with cp (opening punctuation). */
int text_no_line_end(uint32_t cp);

#endif
