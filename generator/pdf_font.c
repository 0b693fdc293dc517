/* pdf_font -- what the font objects of one face say, for both writers.
 *
 * A face that draws characters of a document becomes a Type0 font over
 * one CIDFontType2 (Identity-H, 2-byte codes 1..n, the subset as
 * FontFile2).  Its content is computed here, once: the BaseFont name
 * (subset tag + family), the descriptor metrics, /DW (the most common
 * width) and the runs of other widths for /W, the CIDToGIDMap and the
 * ToUnicode CMap.  pdf_render.c writes it as libharu objects, pdf_book.c
 * as text; each keeps only its own object syntax.  Widths come from the
 * chain (font_advance: exactly what layout measured), per 1000 em.
 */
#include "pdf_int.h"
#include "buf.h"
#include "err.h"
#include "font.h"
#include "mem.h"

#include <stdlib.h>
#include <string.h>

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The most frequent of w[0..n) (the smallest on a tie); n > 0. */
static int most_common(const int *w, size_t n, int *sorted)
{
    size_t i, run = 0, best_run = 0;
    int best = 0;

    memcpy(sorted, w, n * sizeof *w);
    qsort(sorted, n, sizeof *sorted, cmp_int);
    for (i = 0; i < n; i++) {
        run = i > 0 && sorted[i] == sorted[i - 1] ? run + 1 : 1;
        if (run > best_run)
            best_run = run, best = sorted[i];
    }
    return best;
}

/* "ABCDEF+WenQuanYiZenHei": the subset tag and the family without the
 * characters a PDF name should not have. */
static void base_font_name(const struct font *face,
                           const struct font_subset *sub, char out[64])
{
    const char *fam = font_family(face);
    size_t k = 7, i;

    memcpy(out, font_subset_tag(sub), 6);
    out[6] = '+';
    for (i = 0; fam[i] && k < 63; i++)
        if ((fam[i] >= 'A' && fam[i] <= 'Z') ||
            (fam[i] >= 'a' && fam[i] <= 'z') ||
            (fam[i] >= '0' && fam[i] <= '9') || fam[i] == '-')
            out[k++] = fam[i];
    if (k == 7) {
        memcpy(out + 7, "Font", 4);
        k = 11;
    }
    out[k] = 0;
}

int pdf_font_data_init(struct pdf_font_data *fd, const struct font *chain,
                       const struct font *face,
                       const struct font_subset *sub,
                       const uint32_t *chars, size_t n)
{
    size_t i;

    memset(fd, 0, sizeof *fd);
    fd->face = face;
    fd->sub = sub;
    fd->n = n;
    fd->w = mem_malloc(2 * (n ? n : 1) * sizeof *fd->w);
    if (!chars) {
        fd->own = mem_malloc((n ? n : 1) * sizeof *fd->own);
        for (i = 0; fd->own && i < n; i++)
            fd->own[i] = font_subset_char(sub, (unsigned)i + 1);
        chars = fd->own;
    }
    fd->chars = chars;
    if (!fd->w || !chars) {
        pdf_font_data_free(fd);
        return ERR_NOMEM;
    }
    base_font_name(face, sub, fd->name);
    font_get_metrics(face, &fd->m);
    for (i = 0; i < n; i++)
        fd->w[i] = font_advance(chain, chars[i]); /* as measured */
    fd->dw = n ? most_common(fd->w, n, fd->w + n) : 0;
    return ERR_OK;
}

void pdf_font_data_free(struct pdf_font_data *fd)
{
    mem_free(fd->w);
    mem_free(fd->own);
    fd->w = NULL;
    fd->own = NULL;
    fd->chars = NULL;
}

int pdf_font_width_run(const struct pdf_font_data *fd, size_t *code,
                       size_t *len)
{
    size_t i = *code - 1, j;

    while (i < fd->n && fd->w[i] == fd->dw)
        i++;
    for (j = i; j < fd->n && fd->w[j] != fd->dw; j++)
        ;
    *code = i + 1;
    *len = j - i;
    return j > i;
}

/* The glyph of code (0..n) in the subset. */
static unsigned code_glyph(const struct pdf_font_data *fd, size_t code)
{
    return code ? font_subset_glyph(fd->sub, font_subset_code(
                                        fd->sub, fd->chars[code - 1]))
                : 0;
}

int pdf_font_identity(const struct pdf_font_data *fd)
{
    size_t i;

    for (i = 1; i <= fd->n && code_glyph(fd, i) == i; i++)
        ;
    return i > fd->n;
}

int pdf_font_cid_map(const struct pdf_font_data *fd, struct buf *b)
{
    int rc = ERR_OK;

    for (size_t i = 0; i <= fd->n && rc == ERR_OK; i++) {
        unsigned g = code_glyph(fd, i);
        unsigned char c[2] = { (unsigned char)(g >> 8), (unsigned char)g };
        rc = buf_append(b, c, 2);
    }
    return rc;
}

/* (bfrange entries with an array of destinations would be 400 bytes
 * smaller deflated, but Ghostscript 10.00 then extracts garbage.) */
int pdf_font_tounicode(const struct pdf_font_data *fd, struct buf *b)
{
    size_t n = fd->n, i;
    int rc = buf_puts(b,
        "/CIDInit /ProcSet findresource begin\n"
        "12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
        "/Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");

    for (i = 1; i <= n && rc == ERR_OK; i++) { /* at most 100 a block */
        if ((i - 1) % 100 == 0)
            rc = buf_printf(b, "%zu beginbfchar\n",
                            n - (i - 1) < 100 ? n - (i - 1) : 100);
        if (rc == ERR_OK)
            rc = buf_printf(b, "<%04X> <", (unsigned)i);
        if (rc == ERR_OK)
            rc = pdf_put_utf16(b, fd->chars[i - 1]);
        if (rc == ERR_OK)
            rc = buf_puts(b, i % 100 == 0 || i == n ? ">\nendbfchar\n"
                                                     : ">\n");
    }
    if (rc == ERR_OK)
        rc = buf_puts(b, "endcmap\nCMapName currentdict /CMap "
                         "defineresource pop\nend\nend\n");
    return rc;
}
