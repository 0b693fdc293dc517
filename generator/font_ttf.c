/* font_ttf -- the TrueType glyph rewriter: the font program of a PDF
 * subset (FONT_SUBSET_PDF; see font.h, doc/fonts.md).
 *
 * Each glyph of a face is rewritten once, on first use, and cached with
 * the face (struct font_ttf_src, f->ttf); a subset then mostly copies
 * bytes into glyf, loca, hmtx, head, hhea and maxp, which a HarfBuzz face
 * builder serialises (design below).  Which characters and codes a subset
 * has is font_subset.c's.
 */
#include "font.h"
#include "font_int.h"
#include "err.h"
#include "mem.h"

#include <hb.h>

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
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
 * is made on its first use and kept with the face (struct font_ttf_src:
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
struct font_ttf_src {
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
static int scale(const struct font_ttf_src *ps, long v)
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
static int put_simple(const struct font_ttf_src *ps, struct gwork *w,
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
static size_t put_component(const struct font_ttf_src *ps, struct gwork *w,
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
static int put_composite(const struct font_ttf_src *ps, struct gwork *w,
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
static void face_metrics(const struct font_ttf_src *ps, unsigned gid,
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
static int face_span(const struct font_ttf_src *ps, unsigned gid,
                     size_t *start, size_t *end)
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
static int make_pglyph(const struct font_ttf_src *ps, unsigned gid,
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
static int pglyph_get(const struct font_ttf_src *ps, unsigned gid,
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

void font_ttf_close(struct font_ttf_src *ps)
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

int font_ttf_open(struct font *f, struct err *e)
{
    struct font_ttf_src *ps = mem_calloc(1, sizeof *ps);
    unsigned i;
    int ok;

    if (!ps)
        return err_set(e, ERR_NOMEM, "font: out of memory");
    f->ttf = ps;
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
    const struct font_ttf_src *ps;
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
    const struct font_ttf_src *ps = j->ps;
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

int font_ttf_subset(const struct font *f, const hb_codepoint_t *old,
                    struct font_subset *s, struct err *e)
{
    struct pdf_job j;
    int rc;

    memset(&j, 0, sizeof j);
    j.ps = f->ttf;
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

