/* pdf_book -- books: long documents written page by page (pdf_book_*,
 * see pdf.h; packets and region summaries).
 *
 * A packet has thousands of pages; recording them all (struct pdf) and
 * handing them to libharu, which keeps every object in memory until it
 * saves, would cost hundreds of megabytes.  A book instead writes each
 * page's content stream and page object to its file as soon as a part
 * (an ordinary struct pdf holding a few pages) is added, and keeps only
 * object offsets, page numbers and outline entries.  The objects are
 * written here directly as text (libharu's writer cannot stream); the
 * page content comes from pdf_content.c and the font objects' content
 * from pdf_font.c, as for pdf_render.c.  No libharu call.
 *
 * Font codes: a part's characters get codes 1, 2, ... per face in the
 * order they first appear in the book (deterministic: it follows the
 * calls), so a page can be written before the book's character set is
 * known.  pdf_book_close then subsets each face to those characters and
 * writes one CIDToGIDMap, /W and ToUnicode keyed by these codes: one
 * font subset per book, whatever its length.
 *
 * Objects: 1 catalog, 2 page tree, 3 the resources every page shares,
 * 4 Info; pages, content streams, then (on close) fonts and outline.
 */
#include "pdf.h"
#include "pdf_int.h"
#include "buf.h"
#include "date.h"
#include "err.h"
#include "font.h"
#include "fsx.h"
#include "mem.h"
#include "text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BOOK_OBJ_CATALOG 1
#define BOOK_OBJ_PAGES 2
#define BOOK_OBJ_RESOURCES 3
#define BOOK_OBJ_INFO 4
#define BOOK_MAX_PAGES 1000000
#define BOOK_MAX_ITEMS 1000000
#define BOOK_MAX_TITLE 1024
/* libdeflate level of a book's page content streams: a packet is mostly
 * page content (the font is shared), and level 1 takes a quarter of level
 * 6's time for ~8% more bytes (doc/fonts.md); fonts and maps: level 6 */
#define BOOK_DEFLATE_LEVEL 1

struct book_item {
    char *title;        /* owned, UTF-8 */
    int parent;         /* -1: top level */
    size_t page;        /* 0-based page of the destination */
    int first, last, next, prev, nkids;
    size_t obj;         /* object number, given on close */
};

struct pdf_book {
    const struct font *font;
    struct fsx_out out;
    int is_open;                   /* out holds an open temporary file */
    int failed;                    /* a write failed: close refuses */
    unsigned long long off;        /* bytes written so far */
    unsigned long long *xref;      /* [object number] offset; 0: none */
    size_t nobj, capobj;           /* objects numbered 1..nobj */
    size_t *page_obj;              /* page i's object number */
    float *page_h;                 /* page i's height (outline targets) */
    size_t npages, cappages;
    uint16_t *bmp_code;            /* [65536] code of a BMP character */
    uint32_t *astral;              /* characters above the BMP ... */
    uint16_t *astral_code;         /* ... and their codes */
    size_t nastral;
    uint32_t *chars[FONT_CHAIN_MAX]; /* face k: code - 1 -> character */
    size_t nchars[FONT_CHAIN_MAX];
    struct book_item *items;
    size_t nitems, capitems;
    struct pdf_meta info;
    int nfc;                       /* faces of the font's chain */
    struct pdf_cs cs;              /* the content stream being built */
    struct libdeflate_compressor *zpage; /* owned: BOOK_DEFLATE_LEVEL */
    struct libdeflate_compressor *zfont; /* owned: level 6, fonts */
    struct pdf_zbuf zb;
    struct buf tmp;                /* object text */
};

/* Grow *p (n used, *cap allocated, size bytes each) to hold one more. */
static int book_grow(void **p, size_t n, size_t *cap, size_t size)
{
    void *q;
    size_t c;

    if (n < *cap)
        return ERR_OK;
    c = *cap ? *cap * 2 : 64;
    if (!(q = mem_realloc(*p, c * size)))
        return ERR_NOMEM;
    *p = q;
    *cap = c;
    return ERR_OK;
}

static int book_write(struct pdf_book *b, const void *data, size_t n,
                      struct err *e)
{
    if (b->failed)
        return err_set(e, ERR_IO, "%s: an earlier write failed",
                       b->out.final);
    if (n && fwrite(data, 1, n, b->out.fp) != n) {
        b->failed = 1;
        return err_set(e, ERR_IO, "%s: cannot write the PDF: %s",
                       b->out.final, errno ? strerror(errno) : "write error");
    }
    b->off += n;
    return ERR_OK;
}

/* A new object number (its offset is set by book_begin). */
static int book_new_obj(struct pdf_book *b, size_t *num, struct err *e)
{
    if (book_grow((void **)&b->xref, b->nobj + 1, &b->capobj,
                  sizeof *b->xref))
        return pdf_nomem(e);
    b->nobj++;
    b->xref[b->nobj] = 0;
    *num = b->nobj;
    return ERR_OK;
}

/* Write "num 0 obj\n" + text + "\nendobj\n" (text: b->tmp). */
static int book_obj(struct pdf_book *b, size_t num, struct err *e)
{
    char head[40];
    int n = snprintf(head, sizeof head, "%zu 0 obj\n", num);
    int rc;

    b->xref[num] = b->off;
    if ((rc = book_write(b, head, (size_t)n, e)) ||
        (rc = book_write(b, b->tmp.p ? b->tmp.p : "", b->tmp.len, e)))
        return rc;
    return book_write(b, "\nendobj\n", 8, e);
}

/* Object num holding the printf-formatted text (built in b->tmp). */
static int book_printf_obj(struct pdf_book *b, size_t num, struct err *e,
                           const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int book_printf_obj(struct pdf_book *b, size_t num, struct err *e,
                           const char *fmt, ...)
{
    va_list ap;
    int rc;
    buf_reset(&b->tmp);
    va_start(ap, fmt);
    rc = buf_vprintf(&b->tmp, fmt, ap);
    va_end(ap);
    return rc ? pdf_nomem(e) : book_obj(b, num, e);
}

/* A stream object: dict (without /Length) and data[0..len) deflated
 * (with the font compressor when font, else the content one). */
static int book_stream(struct pdf_book *b, size_t num, const char *dict,
                       const void *data, size_t len, int font,
                       struct err *e)
{
    char head[80];
    int k, rc = pdf_deflate(font ? b->zfont : b->zpage, &b->zb, data, len);
    size_t n = b->zb.n;

    if (rc == ERR_NOMEM)
        return pdf_nomem(e);
    if (rc != ERR_OK)
        return err_set(e, ERR_INTERNAL, "pdf: deflate failed");
    b->xref[num] = b->off;
    k = snprintf(head, sizeof head, "%zu 0 obj\n<< /Length %zu "
                 "/Filter /FlateDecode", num, n);
    if ((rc = book_write(b, head, (size_t)k, e)) ||
        (rc = book_write(b, dict, strlen(dict), e)) ||
        (rc = book_write(b, " >>\nstream\n", 11, e)) ||
        (rc = book_write(b, b->zb.p, n, e)))
        return rc;
    return book_write(b, "\nendstream\nendobj\n", 18, e);
}

/* The code of cp in the book (pdf_cs.code: the same for every face). */
static unsigned book_code(const void *ctx, int k, uint32_t cp)
{
    const struct pdf_book *b = ctx;

    (void)k;
    if (cp < 65536)
        return b->bmp_code[cp];
    for (size_t i = 0; i < b->nastral; i++)
        if (b->astral[i] == cp)
            return b->astral_code[i];
    return 0;
}

int pdf_book_open(struct pdf_book **out, const struct font *font,
                  const char *path, struct err *e)
{
    static const char head[] = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
    struct pdf_book *b = mem_calloc(1, sizeof *b);
    int rc = ERR_OK;

    *out = NULL;
    if (!b)
        return pdf_nomem(e);
    b->font = font;
    buf_init(&b->tmp, PDF_MAX_STREAM);
    pdf_cs_init(&b->cs);
    b->cs.e = e;
    b->cs.code = book_code;
    b->cs.code_ctx = b;
    b->nfc = font_chain_count(font);
    for (int k = 0; k < b->nfc; k++)
        snprintf(b->cs.res[k], sizeof b->cs.res[k], "F%d", k + 1);
    if (!(b->bmp_code = mem_calloc(65536, sizeof *b->bmp_code)) ||
        !(b->zpage = pdf_deflate_new(BOOK_DEFLATE_LEVEL)) ||
        !(b->zfont = pdf_deflate_new(PDF_DEFLATE_LEVEL)))
        rc = pdf_nomem(e);
    for (size_t i = 0; i < 4 && rc == ERR_OK; i++)
        rc = book_new_obj(b, &(size_t){0}, e);
    if (rc == ERR_OK && (rc = fsx_open(&b->out, path, e)) == ERR_OK) {
        b->is_open = 1;
        rc = book_write(b, head, sizeof head - 1, e);
    }
    if (rc != ERR_OK) {
        pdf_book_free(b);
        return rc;
    }
    *out = b;
    return ERR_OK;
}

void pdf_book_free(struct pdf_book *b)
{
    if (!b)
        return;
    if (b->is_open)
        fsx_abort(&b->out);
    mem_free(b->xref);
    mem_free(b->page_obj);
    mem_free(b->page_h);
    mem_free(b->bmp_code);
    mem_free(b->astral);
    mem_free(b->astral_code);
    for (int k = 0; k < FONT_CHAIN_MAX; k++)
        mem_free(b->chars[k]);
    for (size_t i = 0; i < b->nitems; i++)
        mem_free(b->items[i].title);
    mem_free(b->items);
    pdf_meta_free(&b->info);
    pdf_deflate_free(b->zpage);
    pdf_deflate_free(b->zfont);
    pdf_cs_free(&b->cs);
    mem_free(b->zb.p);
    buf_free(&b->tmp);
    mem_free(b);
}

/* Give cp (drawn by face k) the next code of that face. */
static int book_assign(struct pdf_book *b, int k, uint32_t cp,
                       struct err *e)
{
    unsigned code;

    if (b->nchars[k] >= FONT_SUBSET_MAX)
        return err_set(e, ERR_DATA, "pdf: more than %d distinct characters "
                       "in one document", FONT_SUBSET_MAX);
    if (b->nchars[k] % 256 == 0) {
        uint32_t *v = mem_realloc(b->chars[k], (b->nchars[k] + 256) *
                                               sizeof *v);
        if (!v)
            return pdf_nomem(e);
        b->chars[k] = v;
    }
    b->chars[k][b->nchars[k]++] = cp;
    code = (unsigned)b->nchars[k];
    if (cp < 65536) {
        b->bmp_code[cp] = (uint16_t)code;
        return ERR_OK;
    }
    if (b->nastral % 64 == 0) {
        uint32_t *v = mem_realloc(b->astral, (b->nastral + 64) * sizeof *v);
        uint16_t *c = v ? mem_realloc(b->astral_code, (b->nastral + 64) *
                                                      sizeof *c) : NULL;
        if (v)
            b->astral = v;
        if (!c)
            return pdf_nomem(e);
        b->astral_code = c;
    }
    b->astral[b->nastral] = cp;
    b->astral_code[b->nastral++] = (uint16_t)code;
    return ERR_OK;
}

/* Codes for every character of part's text, in order of appearance. */
static int book_codes(struct pdf_book *b, const struct pdf *part,
                      struct err *e)
{
    int rc = ERR_OK;

    for (size_t i = 0; i < part->nops && rc == ERR_OK; i++) {
        const struct pdf_op *op = &part->ops[i];
        const char *s = part->text.p + op->off;
        size_t j = 0, n;
        uint32_t cp;
        if (op->kind != PDF_OP_TEXT)
            continue;
        while (j < op->len && rc == ERR_OK) {
            n = text_utf8_decode(s + j, op->len - j, &cp);
            n = n ? n : 1; /* checked by pdf_text */
            if (!book_code(b, 0, cp))
                rc = book_assign(b, font_draw_pos(b->font, cp), cp, e);
            j += n;
        }
    }
    return rc;
}

/* pdf_cs_replay's end: the page op's page is complete; write its content
 * stream, then the page. */
static int book_end_page(void *ctx, const struct pdf_op *op)
{
    struct pdf_book *b = ctx;
    struct err *e = b->cs.e;
    double w = op->v[0], h = op->v[1];
    size_t content, page;
    int rc;

    if (b->npages >= BOOK_MAX_PAGES)
        return err_set(e, ERR_DATA, "pdf: more than %d pages",
                       BOOK_MAX_PAGES);
    if (book_grow((void **)&b->page_obj, b->npages, &b->cappages,
                  sizeof *b->page_obj))
        return pdf_nomem(e);
    {
        float *ph = mem_realloc(b->page_h, b->cappages * sizeof *ph);
        if (!ph)
            return pdf_nomem(e);
        b->page_h = ph;
    }
    if ((rc = book_new_obj(b, &content, e)) ||
        (rc = book_stream(b, content, "", b->cs.out.p, b->cs.out.len, 0,
                          e)) ||
        (rc = book_new_obj(b, &page, e)))
        return rc;
    buf_reset(&b->tmp);
    if (buf_printf(&b->tmp, "<< /Type /Page /Parent %d 0 R /MediaBox [0 0 ",
                   BOOK_OBJ_PAGES) || pdf_put_num(&b->tmp, w) ||
        buf_puts(&b->tmp, " ") || pdf_put_num(&b->tmp, h) ||
        buf_printf(&b->tmp, "] /Resources %d 0 R /Contents %zu 0 R >>",
                   BOOK_OBJ_RESOURCES, content))
        return pdf_nomem(e);
    if ((rc = book_obj(b, page, e)))
        return rc;
    b->page_obj[b->npages] = page;
    b->page_h[b->npages++] = (float)h;
    return ERR_OK;
}

int pdf_book_add(struct pdf_book *b, struct pdf *part, struct err *e)
{
    int rc;

    if (part->font != b->font)
        return err_set(e, ERR_USAGE, "pdf: a book's parts must use its "
                       "font");
    if ((rc = book_codes(b, part, e)))
        return rc;
    b->cs.d = part;
    b->cs.e = e;
    rc = pdf_cs_replay(&b->cs, NULL, book_end_page, b);
    b->cs.d = NULL;
    if (rc != ERR_OK)
        b->failed = 1;
    return rc;
}

size_t pdf_book_pages(const struct pdf_book *b) { return b->npages; }

int pdf_book_take_info(struct pdf_book *b, const struct pdf *part,
                       struct err *e)
{
    return pdf_meta_copy(&b->info, &part->info) ? pdf_nomem(e) : ERR_OK;
}

int pdf_book_outline(struct pdf_book *b, int parent, const char *title,
                     size_t page, int *id, struct err *e)
{
    struct book_item *it;
    size_t len = strlen(title);
    int rc;

    if (parent < -1 || parent >= (int)b->nitems || page >= b->npages)
        return err_set(e, ERR_USAGE, "pdf: outline entry '%.40s': no such "
                       "parent or page", title);
    if (len > BOOK_MAX_TITLE || b->nitems >= BOOK_MAX_ITEMS)
        return err_set(e, ERR_DATA, "pdf: outline title too long or too "
                       "many entries");
    if ((rc = text_utf8_check(title, len, "pdf: outline title", e)))
        return rc;
    if (book_grow((void **)&b->items, b->nitems, &b->capitems,
                  sizeof *b->items))
        return pdf_nomem(e);
    it = &b->items[b->nitems];
    memset(it, 0, sizeof *it);
    if (!(it->title = mem_strdup(title)))
        return pdf_nomem(e);
    it->parent = parent;
    it->page = page;
    it->first = it->last = it->next = it->prev = -1;
    if (parent >= 0) {
        struct book_item *p = &b->items[parent];
        if (p->last >= 0) {
            b->items[p->last].next = (int)b->nitems;
            it->prev = p->last;
        } else {
            p->first = (int)b->nitems;
        }
        p->last = (int)b->nitems;
        p->nkids++;
    } else {
        for (size_t i = b->nitems; i-- > 0;) /* the last top-level one */
            if (b->items[i].parent == -1) {
                b->items[i].next = (int)b->nitems;
                it->prev = (int)i;
                break;
            }
    }
    if (id)
        *id = (int)b->nitems;
    b->nitems++;
    return ERR_OK;
}

int pdf_book_set_info(struct pdf_book *b, const struct pdf_info *info,
                      struct err *e)
{
    return pdf_meta_set(&b->info, info, e);
}

/* ---- closing: fonts, outline, page tree, xref --------------------------- */

/* s as a PDF text string: <FEFF...> in UTF-16BE hex. */
static int book_text_string(struct buf *t, const char *s)
{
    int rc = buf_puts(t, "<");

    if (rc == ERR_OK)
        rc = pdf_put_text_string(t, s, 1);
    return rc == ERR_OK ? buf_puts(t, ">") : rc;
}

/* /DW and /W (runs "code [w w ...]"), into t. */
static int book_widths(const struct pdf_font_data *fd, struct buf *t)
{
    size_t code = 1, len;
    int rc = buf_printf(t, " /DW %d /W [", fd->dw);

    for (; rc == ERR_OK && pdf_font_width_run(fd, &code, &len);
         code += len) {
        rc = buf_printf(t, " %zu [", code);
        for (size_t i = 0; i < len && rc == ERR_OK; i++)
            rc = buf_printf(t, i ? " %d" : "%d", fd->w[code - 1 + i]);
        if (rc == ERR_OK)
            rc = buf_puts(t, "]");
    }
    return rc == ERR_OK ? buf_puts(t, "]") : rc;
}

/* The font objects of fd; *type0 is the Type0 font's number. */
static int book_font_write(struct pdf_book *b, const struct pdf_font_data *fd,
                           size_t *type0, struct err *e)
{
    size_t cid, desc, file, map, tou, len;
    const unsigned char *data = font_subset_data(fd->sub, &len);
    const struct font_metrics *m = &fd->m;
    char dict[64];
    int rc;

    if ((rc = book_new_obj(b, type0, e)) || (rc = book_new_obj(b, &cid, e)) ||
        (rc = book_new_obj(b, &desc, e)) ||
        (rc = book_new_obj(b, &file, e)) || (rc = book_new_obj(b, &map, e)) ||
        (rc = book_new_obj(b, &tou, e)))
        return rc;
    snprintf(dict, sizeof dict, " /Length1 %zu", len);
    if ((rc = book_stream(b, file, dict, data, len, 1, e)))
        return rc;
    buf_reset(&b->tmp);
    if (pdf_font_cid_map(fd, &b->tmp) ||
        (rc = book_stream(b, map, "", b->tmp.p, b->tmp.len, 1, e)))
        return rc ? rc : pdf_nomem(e);
    buf_reset(&b->tmp);
    if (pdf_font_tounicode(fd, &b->tmp) ||
        (rc = book_stream(b, tou, "", b->tmp.p, b->tmp.len, 1, e)))
        return rc ? rc : pdf_nomem(e);
    if ((rc = book_printf_obj(b, desc, e, "<< /Type /FontDescriptor "
                              "/FontName /%s /Flags 32 /FontBBox [%d %d %d %d] "
                              "/ItalicAngle 0 /Ascent %d /Descent %d "
                              "/CapHeight %d /XHeight %d /StemV 0 "
                              "/FontFile2 %zu 0 R >>", fd->name, m->bbox[0],
                              m->bbox[1], m->bbox[2], m->bbox[3], m->ascent,
                              m->descent, m->cap_height, m->x_height, file)))
        return rc;
    buf_reset(&b->tmp);
    if (buf_printf(&b->tmp, "<< /Type /Font /Subtype /CIDFontType2 "
                   "/BaseFont /%s /CIDSystemInfo << /Registry (Adobe) "
                   "/Ordering (Identity) /Supplement 0 >> /FontDescriptor "
                   "%zu 0 R /CIDToGIDMap %zu 0 R", fd->name, desc, map) ||
        book_widths(fd, &b->tmp) || buf_puts(&b->tmp, " >>"))
        return pdf_nomem(e);
    if ((rc = book_obj(b, cid, e)))
        return rc;
    return book_printf_obj(b, *type0, e, "<< /Type /Font /Subtype /Type0 "
                           "/BaseFont /%s /Encoding /Identity-H "
                           "/DescendantFonts [%zu 0 R] /ToUnicode %zu 0 R >>",
                           fd->name, cid, tou);
}

/* Face k's font objects for its subset sub (codes: the book's). */
static int book_font_objects(struct pdf_book *b, int k,
                             const struct font_subset *sub, size_t *type0,
                             struct err *e)
{
    struct pdf_font_data fd;
    int rc;

    if (pdf_font_data_init(&fd, b->font, font_chain_face(b->font, k), sub,
                           b->chars[k], b->nchars[k]) != ERR_OK)
        return pdf_nomem(e);
    rc = book_font_write(b, &fd, type0, e);
    pdf_font_data_free(&fd);
    return rc;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Subset each face that draws anything; the shared resources. */
static int book_fonts(struct pdf_book *b, struct err *e)
{
    size_t type0[FONT_CHAIN_MAX] = { 0 };
    int rc = ERR_OK;

    for (int k = 0; k < b->nfc && rc == ERR_OK; k++) {
        struct font_subset *sub = NULL;
        uint32_t *sorted;
        size_t n = b->nchars[k];
        if (n == 0)
            continue;
        if (!(sorted = mem_malloc(n * sizeof *sorted)))
            return pdf_nomem(e);
        memcpy(sorted, b->chars[k], n * sizeof *sorted);
        qsort(sorted, n, sizeof *sorted, cmp_u32);
        rc = font_subset_new_flags(font_chain_face(b->font, k), sorted, n,
                                   PDF_SUBSET_FLAGS, &sub, e);
        mem_free(sorted);
        if (rc == ERR_OK)
            rc = book_font_objects(b, k, sub, &type0[k], e);
        font_subset_free(sub);
    }
    buf_reset(&b->tmp);
    if (rc == ERR_OK && buf_puts(&b->tmp, "<< /Font <<"))
        rc = pdf_nomem(e);
    for (int k = 0; k < b->nfc && rc == ERR_OK; k++)
        if (type0[k] && buf_printf(&b->tmp, " /F%d %zu 0 R", k + 1, type0[k]))
            rc = pdf_nomem(e);
    if (rc == ERR_OK && buf_puts(&b->tmp, " >> >>"))
        rc = pdf_nomem(e);
    return rc == ERR_OK ? book_obj(b, BOOK_OBJ_RESOURCES, e) : rc;
}

/* Visible descendants of item i when it is open: top-level entries are
 * open, all others closed (a long packet's outline starts short). */
static long book_count(const struct pdf_book *b, size_t i)
{
    return b->items[i].parent == -1 ? b->items[i].nkids
                                    : -(long)b->items[i].nkids;
}

static int book_ref(struct buf *t, const char *key, const struct pdf_book *b,
                    int i)
{
    return i < 0 ? ERR_OK : buf_printf(t, " /%s %zu 0 R", key,
                                       b->items[i].obj);
}

/* The outline (if any entry): *root is its object number, else 0. */
static int book_outline(struct pdf_book *b, size_t *root, struct err *e)
{
    long top = 0;
    int first = -1, last = -1, rc = ERR_OK;

    *root = 0;
    if (b->nitems == 0)
        return ERR_OK;
    if ((rc = book_new_obj(b, root, e)))
        return rc;
    for (size_t i = 0; i < b->nitems && rc == ERR_OK; i++)
        rc = book_new_obj(b, &b->items[i].obj, e);
    for (size_t i = 0; i < b->nitems && rc == ERR_OK; i++) {
        const struct book_item *it = &b->items[i];
        if (it->parent == -1) {
            first = first < 0 ? (int)i : first;
            last = (int)i;
            top += 1 + book_count(b, i);
        }
        buf_reset(&b->tmp);
        if (buf_puts(&b->tmp, "<< /Title ") ||
            book_text_string(&b->tmp, it->title) ||
            buf_printf(&b->tmp, " /Parent %zu 0 R", it->parent < 0 ? *root
                       : b->items[it->parent].obj) ||
            book_ref(&b->tmp, "Prev", b, it->prev) ||
            book_ref(&b->tmp, "Next", b, it->next) ||
            book_ref(&b->tmp, "First", b, it->first) ||
            book_ref(&b->tmp, "Last", b, it->last) ||
            (it->nkids && buf_printf(&b->tmp, " /Count %ld",
                                     book_count(b, i))) ||
            buf_printf(&b->tmp, " /Dest [%zu 0 R /XYZ 0 ",
                       b->page_obj[it->page]) ||
            pdf_put_num(&b->tmp, b->page_h[it->page]) ||
            buf_puts(&b->tmp, " null] >>"))
            return pdf_nomem(e);
        rc = book_obj(b, it->obj, e);
    }
    buf_reset(&b->tmp);
    if (rc == ERR_OK &&
        buf_printf(&b->tmp, "<< /Type /Outlines /First %zu 0 R /Last %zu 0 R"
                   " /Count %ld >>", b->items[first].obj, b->items[last].obj,
                   top))
        return pdf_nomem(e);
    return rc == ERR_OK ? book_obj(b, *root, e) : rc;
}

static int book_info(struct pdf_book *b, struct err *e)
{
    const struct pdf_meta *mi = &b->info;
    int rc = buf_puts(&b->tmp, "<<");

    for (int i = 0; i < PDF_INFO_N && rc == ERR_OK; i++)
        if (mi->str[i]) {
            rc = buf_printf(&b->tmp, " /%s ", pdf_info_keys[i]);
            if (rc == ERR_OK)
                rc = book_text_string(&b->tmp, mi->str[i]);
        }
    if (rc == ERR_OK && mi->has_date) {
        int y, m, d;
        date_to_ymd(mi->day, &y, &m, &d);
        rc = buf_printf(&b->tmp, " /CreationDate (D:%04d%02d%02d%02d%02d%02d)",
                        y, m, d, mi->seconds / 3600, mi->seconds / 60 % 60,
                        mi->seconds % 60);
    }
    if (rc == ERR_OK)
        rc = buf_puts(&b->tmp, " >>");
    return rc == ERR_OK ? book_obj(b, BOOK_OBJ_INFO, e) : pdf_nomem(e);
}

/* Page tree, catalog, xref and trailer. */
static int book_tail(struct pdf_book *b, size_t outline, struct err *e)
{
    unsigned long long start;
    char line[40];
    int rc;

    buf_reset(&b->tmp);
    if (buf_puts(&b->tmp, "<< /Type /Pages /Kids ["))
        return pdf_nomem(e);
    for (size_t i = 0; i < b->npages; i++)
        if (buf_printf(&b->tmp, "%s%zu 0 R", i == 0 ? "" : i % 10 ? " "
                       : "\n", b->page_obj[i]))
            return pdf_nomem(e);
    if (buf_printf(&b->tmp, "] /Count %zu >>", b->npages))
        return pdf_nomem(e);
    if ((rc = book_obj(b, BOOK_OBJ_PAGES, e)))
        return rc;
    buf_reset(&b->tmp);
    if (buf_printf(&b->tmp, "<< /Type /Catalog /Pages %d 0 R",
                   BOOK_OBJ_PAGES) ||
        (outline && buf_printf(&b->tmp, " /Outlines %zu 0 R /PageMode "
                               "/UseOutlines", outline)) ||
        buf_puts(&b->tmp, " >>"))
        return pdf_nomem(e);
    if ((rc = book_obj(b, BOOK_OBJ_CATALOG, e)))
        return rc;
    start = b->off;
    snprintf(line, sizeof line, "xref\n0 %zu\n", b->nobj + 1);
    if ((rc = book_write(b, line, strlen(line), e)) ||
        (rc = book_write(b, "0000000000 65535 f \n", 20, e)))
        return rc;
    for (size_t i = 1; i <= b->nobj && rc == ERR_OK; i++) {
        snprintf(line, sizeof line, "%010llu 00000 n \n", b->xref[i]);
        rc = book_write(b, line, 20, e);
    }
    buf_reset(&b->tmp);
    if (rc == ERR_OK &&
        buf_printf(&b->tmp, "trailer\n<< /Size %zu /Root %d 0 R /Info %d 0 R"
                   " >>\nstartxref\n%llu\n%%%%EOF\n", b->nobj + 1,
                   BOOK_OBJ_CATALOG, BOOK_OBJ_INFO, start))
        return pdf_nomem(e);
    return rc == ERR_OK ? book_write(b, b->tmp.p, b->tmp.len, e) : rc;
}

int pdf_book_close(struct pdf_book *b, struct err *e)
{
    size_t outline = 0;
    int rc = ERR_OK;

    if (b->failed)
        rc = err_set(e, ERR_USAGE, "%s: the book is incomplete (an earlier "
                     "step failed)", b->out.final);
    else if (b->npages == 0)
        rc = err_set(e, ERR_DATA, "%s: the document has no page",
                     b->out.final);
    if (rc == ERR_OK)
        rc = book_fonts(b, e);
    if (rc == ERR_OK)
        rc = book_outline(b, &outline, e);
    if (rc == ERR_OK) {
        buf_reset(&b->tmp);
        rc = book_info(b, e);
    }
    if (rc == ERR_OK)
        rc = book_tail(b, outline, e);
    if (rc == ERR_OK) {
        b->is_open = 0;
        rc = fsx_commit(&b->out, e);
    }
    pdf_book_free(b);
    return rc;
}

