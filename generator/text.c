/* text -- UTF-8, code point sets and Chinese line breaking (see text.h).
 *
 * Line breaking works on units: a run of ASCII spaces/tabs, a run of other
 * printable ASCII (a word or number), a line feed, or one other character.
 * Units that may not be separated (opening punctuation + what follows,
 * what precedes + closing punctuation) are glued into segments; segments
 * are then filled greedily into lines.
 */
#include "text.h"
#include "err.h"
#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- UTF-8 ------------------------------------------------------------ */

size_t text_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t c, min;
    size_t n, i;

    if (len == 0)
        return 0;
    c = p[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2, c &= 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, c &= 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, c &= 0x07, min = 0x10000;
    } else {
        return 0; /* continuation byte, C0/C1 overlong lead, F5..FF */
    }
    if (len < n)
        return 0;
    for (i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

size_t text_utf8_encode(uint32_t cp, char out[4])
{
    unsigned char *o = (unsigned char *)out;

    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 0;
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp > 0x10FFFF)
        return 0;
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

int text_utf8_valid(const char *s, size_t len, size_t *bad)
{
    size_t i = 0, n;
    uint32_t cp;

    while (i < len) {
        if ((unsigned char)s[i] < 0x80) { /* fast path for ASCII */
            i++;
            continue;
        }
        n = text_utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            if (bad)
                *bad = i;
            return 0;
        }
        i += n;
    }
    return 1;
}

int text_utf8_check(const char *s, size_t len, const char *what,
                    struct err *e)
{
    size_t bad = 0;

    if (text_utf8_valid(s, len, &bad))
        return ERR_OK;
    return err_set(e, ERR_DATA, "%s: invalid UTF-8 at byte %zu (0x%02X)",
                   what, bad, (unsigned)(unsigned char)s[bad]);
}

void text_cp_name(uint32_t cp, char out[12])
{
    snprintf(out, 12, "U+%04X", (unsigned)cp);
}

/* ---- code point sets -------------------------------------------------- */

void text_cpset_init(struct text_cpset *s, size_t max)
{
    memset(s, 0, sizeof *s);
    s->max = max;
}

int text_cpset_has(const struct text_cpset *s, uint32_t cp)
{
    size_t i;

    if (cp < 0x10000)
        return (int)((s->bmp[cp >> 6] >> (cp & 63)) & 1);
    for (i = 0; i < s->n; i++)
        if (s->v[i] == cp)
            return 1;
    return 0;
}

int text_cpset_add(struct text_cpset *s, uint32_t cp, struct err *e)
{
    if (text_cpset_has(s, cp))
        return ERR_OK;
    if (s->n >= s->max)
        return err_set(e, ERR_DATA,
                       "more than %zu distinct characters in one document",
                       s->max);
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        uint32_t *v;
        if (cap > s->max)
            cap = s->max;
        v = mem_realloc(s->v, cap * sizeof *v);
        if (!v)
            return err_set(e, ERR_NOMEM, "character set: out of memory");
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = cp;
    if (cp < 0x10000)
        s->bmp[cp >> 6] |= (uint64_t)1 << (cp & 63);
    return ERR_OK;
}

int text_cpset_add_utf8(struct text_cpset *s, const char *utf8, size_t len,
                        struct err *e)
{
    size_t i = 0, n;
    uint32_t cp;
    int rc;

    while (i < len) {
        n = text_utf8_decode(utf8 + i, len - i, &cp);
        if (n == 0)
            return err_set(e, ERR_DATA, "invalid UTF-8 at byte %zu", i);
        rc = text_cpset_add(s, cp, e);
        if (rc != ERR_OK)
            return rc;
        i += n;
    }
    return ERR_OK;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

const uint32_t *text_cpset_sorted(struct text_cpset *s, size_t *n)
{
    if (s->n > 1)
        qsort(s->v, s->n, sizeof *s->v, cmp_u32);
    *n = s->n;
    return s->v;
}

void text_cpset_clear(struct text_cpset *s)
{
    memset(s->bmp, 0, sizeof s->bmp);
    s->n = 0;
}

void text_cpset_free(struct text_cpset *s)
{
    mem_free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
    memset(s->bmp, 0, sizeof s->bmp);
}

/* ---- punctuation classes ---------------------------------------------- */

/* Closing punctuation: never at the start of a line.  Sorted. */
static const uint32_t no_start[] = {
    0x0021, 0x0025, 0x0029, 0x002C, 0x002E, 0x003A, 0x003B, 0x003F,
    0x005D, 0x007D, 0x00B7, 0x2014, 0x2019, 0x201D, 0x2025, 0x2026,
    0x2030, 0x2103, 0x3001, 0x3002, 0x3009, 0x300B, 0x300D, 0x300F,
    0x3011, 0x3015, 0x3017, 0x3019, 0x301B, 0x301E, 0x30FB, 0xFE5A,
    0xFF01, 0xFF05, 0xFF09, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF1F,
    0xFF3D, 0xFF5D, 0xFF5E, 0xFF60
};

/* Opening punctuation: never at the end of a line.  Sorted. */
static const uint32_t no_end[] = {
    0x0028, 0x005B, 0x007B, 0x2018, 0x201C, 0x3008, 0x300A, 0x300C,
    0x300E, 0x3010, 0x3014, 0x3016, 0x3018, 0x301A, 0x301D, 0xFF08,
    0xFF3B, 0xFF5B, 0xFF5F, 0xFFE5
};

static int in_table(const uint32_t *t, size_t n, uint32_t cp)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t[mid] == cp)
            return 1;
        if (t[mid] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

int text_no_line_start(uint32_t cp)
{
    return in_table(no_start, sizeof no_start / sizeof *no_start, cp);
}

int text_no_line_end(uint32_t cp)
{
    return in_table(no_end, sizeof no_end / sizeof *no_end, cp);
}

/* ---- units ------------------------------------------------------------ */

enum unit_kind { UNIT_END, UNIT_SPACE, UNIT_NEWLINE, UNIT_WORD, UNIT_CHAR };

struct unit {
    enum unit_kind kind;
    size_t off, end;        /* bytes [off, end) */
    uint32_t first, last;   /* first and last code point */
};

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t';
}

static int is_word(unsigned char c)
{
    return c > ' ' && c < 0x7F;
}

/* The unit starting at pos (text already validated). */
static struct unit unit_at(const char *s, size_t len, size_t pos)
{
    struct unit u = { UNIT_END, pos, pos, 0, 0 };
    const unsigned char *p = (const unsigned char *)s;

    if (pos >= len)
        return u;
    u.first = p[pos];
    if (p[pos] == '\n' || p[pos] == '\r') {
        u.kind = UNIT_NEWLINE;
        u.end = pos + 1;
        if (p[pos] == '\r' && pos + 1 < len && p[pos + 1] == '\n')
            u.end++;
    } else if (is_space(p[pos]) || is_word(p[pos])) {
        int (*same)(unsigned char) = is_space(p[pos]) ? is_space : is_word;
        u.kind = is_space(p[pos]) ? UNIT_SPACE : UNIT_WORD;
        u.end = pos;
        while (u.end < len && same(p[u.end]))
            u.end++;
    } else {
        uint32_t cp = p[pos];
        size_t n = text_utf8_decode(s + pos, len - pos, &cp);
        u.kind = UNIT_CHAR;
        u.first = cp;
        u.end = pos + (n ? n : 1);
    }
    u.last = u.kind == UNIT_CHAR ? u.first : p[u.end - 1];
    return u;
}

/* 1 when no break is allowed between units a and b (both printable). */
static int glued(const struct unit *a, const struct unit *b)
{
    return text_no_line_end(a->last) || text_no_line_start(b->first);
}

/* ---- greedy filling --------------------------------------------------- */

struct brk {
    const char *s;
    size_t len;
    double max;
    text_width_fn wfn;
    void *ctx;
    struct text_line *lines;
    size_t max_lines, n;
    int has;            /* the current line has content */
    size_t off, end;    /* its bytes */
    double w;           /* its width up to end */
    double space;       /* width of spaces after end, before more content */
};

/* A run of glued units: bytes [off, end), width w; the last unit starts
 * at last_off, is a single closing mark when can_hang, and is last_w wide. */
struct seg {
    size_t off, end, last_off;
    double w, last_w;
    int can_hang;
};

static double width_of(struct brk *b, size_t off, size_t end)
{
    return end > off ? b->wfn(b->ctx, b->s + off, end - off) : 0.0;
}

static void emit(struct brk *b, size_t at)
{
    if (b->n < b->max_lines) {
        struct text_line *l = &b->lines[b->n];
        l->off = b->has ? b->off : at;
        l->len = b->has ? b->end - b->off : 0;
        l->width = b->has ? b->w : 0.0;
    }
    b->n++;
    b->has = 0;
    b->w = b->space = 0.0;
}

static void append(struct brk *b, size_t off, size_t end, double w)
{
    if (!b->has) {
        b->has = 1;
        b->off = off;
        b->w = 0.0;
    } else {
        b->w += b->space;
    }
    b->end = end;
    b->w += w;
    b->space = 0.0;
}

/* Collect the segment starting with printable unit u. */
static struct seg segment_at(struct brk *b, struct unit u)
{
    struct seg g;
    double uw = width_of(b, u.off, u.end);

    g.off = u.off;
    g.w = 0.0;
    for (;;) {
        struct unit next = unit_at(b->s, b->len, u.end);
        g.w += uw;
        g.end = u.end;
        g.last_off = u.off;
        g.last_w = uw;
        g.can_hang = u.kind == UNIT_CHAR && text_no_line_start(u.first);
        if ((next.kind != UNIT_WORD && next.kind != UNIT_CHAR) ||
            !glued(&u, &next))
            break;
        u = next;
        uw = width_of(b, u.off, u.end);
    }
    return g;
}

/* Cut a segment too wide for any line between characters. */
static void place_by_chars(struct brk *b, const struct seg *g)
{
    size_t i = g->off, n;
    uint32_t cp;

    while (i < g->end) {
        double w;
        n = text_utf8_decode(b->s + i, g->end - i, &cp);
        if (n == 0)
            n = 1;
        w = width_of(b, i, i + n);
        if (b->has && b->w + b->space + w > b->max)
            emit(b, i);
        append(b, i, i + n, w);
        i += n;
    }
}

static void place(struct brk *b, const struct seg *g)
{
    double base = b->has ? b->w + b->space : 0.0;

    if (base + g->w <= b->max) {
        append(b, g->off, g->end, g->w);
        return;
    }
    if (g->can_hang && g->last_off > g->off &&
        base + g->w - g->last_w <= b->max) {
        append(b, g->off, g->end, g->w); /* the mark hangs in the margin */
        emit(b, g->end);
        return;
    }
    if (b->has) {
        emit(b, g->off);
        place(b, g);
        return;
    }
    place_by_chars(b, g);
}

int text_break(const char *s, size_t len, double max_width,
               text_width_fn width, void *ctx, struct text_line *lines,
               size_t max_lines, size_t *nlines, struct err *e)
{
    struct brk b;
    size_t pos = 0;
    int rc;

    *nlines = 0;
    rc = text_utf8_check(s, len, "text to wrap", e);
    if (rc != ERR_OK)
        return rc;
    memset(&b, 0, sizeof b);
    b.s = s, b.len = len, b.max = max_width, b.wfn = width, b.ctx = ctx;
    b.lines = lines, b.max_lines = lines ? max_lines : 0;
    while (pos < len) {
        struct unit u = unit_at(s, len, pos);
        if (u.kind == UNIT_NEWLINE) {
            emit(&b, pos);
            pos = u.end;
        } else if (u.kind == UNIT_SPACE) {
            if (b.has)
                b.space += width_of(&b, u.off, u.end);
            pos = u.end;
        } else {
            struct seg g = segment_at(&b, u);
            place(&b, &g);
            pos = g.end;
        }
    }
    if (b.has)
        emit(&b, len);
    *nlines = b.n;
    return ERR_OK;
}
