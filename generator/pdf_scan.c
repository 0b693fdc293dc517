/* pdf_scan -- one JPEG image per page (see pdf_scan.h). */
#include "pdf_scan.h"
#include "buf.h"
#include "err.h"
#include "fsx.h"
#include "mem.h"
#include "sha256.h"

#include <stdio.h>
#include <string.h>

#ifndef KQ_VERSION
#define KQ_VERSION "0"
#endif

/* Objects: 1 catalog, 2 pages, 3 info, then per page 3 objects: page,
 * content, image. */
#define OBJ_PAGE(i) (4 + 3 * (i))

static int ascii_ok(const char *s)
{
    for (; *s; s++)
        if (*s < 0x20 || *s > 0x7e || *s == '(' || *s == ')' || *s == '\\')
            return 0;
    return 1;
}

int pdf_scan_write(const char *path, const struct pdf_scan_page *p, int n,
                   const char *title, const char *date, char sha[65],
                   long long *bytes, struct err *e)
{
    struct buf b;
    size_t *off = NULL, nobj = (size_t)OBJ_PAGE(n), xref;
    int rc = ERR_OK;

    if (n < 1 || n > PDF_SCAN_MAX_PAGES || !title || !ascii_ok(title) ||
        !date || strlen(date) != 10)
        return err_set(e, ERR_USAGE, "%s: a scanned copy of %d pages", path,
                       n);
    for (int i = 0; i < n; i++)
        if (!p[i].jpeg || !p[i].len || p[i].width < 1 || p[i].height < 1 ||
            (p[i].components != 1 && p[i].components != 3) || p[i].dpi <= 0)
            return err_set(e, ERR_USAGE, "%s: page %d: not an image", path,
                           i + 1);
    if (!(off = mem_calloc(nobj, sizeof *off)))
        return err_set(e, ERR_NOMEM, "%s: out of memory", path);
    buf_init(&b, (size_t)1 << 31);  /* 2 GB: RECEIVE_SCAN_MAX_BYTES and more */
    buf_puts(&b, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
    off[1] = b.len;
    buf_puts(&b, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    off[2] = b.len;
    buf_printf(&b, "2 0 obj\n<< /Type /Pages /Count %d /Kids [", n);
    for (int i = 0; i < n; i++)
        buf_printf(&b, "%s%d 0 R", i ? " " : "", OBJ_PAGE(i));
    buf_puts(&b, "] >>\nendobj\n");
    off[3] = b.len;
    buf_printf(&b, "3 0 obj\n<< /Title (%s) /Producer (keqing " KQ_VERSION
               ") /CreationDate (D:%.4s%.2s%.2s000000Z) >>\nendobj\n", title,
               date, date + 5, date + 8);
    for (int i = 0; i < n; i++) {
        double w = p[i].width * 72.0 / p[i].dpi,
               h = p[i].height * 72.0 / p[i].dpi;
        char content[128];
        int cl = snprintf(content, sizeof content,
                          "q %.4f 0 0 %.4f 0 0 cm /Im0 Do Q\n", w, h);
        int o = OBJ_PAGE(i);

        off[o] = b.len;
        buf_printf(&b, "%d 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 "
                   "0 %.4f %.4f] /Resources << /XObject << /Im0 %d 0 R >> >> "
                   "/Contents %d 0 R >>\nendobj\n", o, w, h, o + 2, o + 1);
        off[o + 1] = b.len;
        buf_printf(&b, "%d 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\n"
                   "endobj\n", o + 1, cl, content);
        off[o + 2] = b.len;
        buf_printf(&b, "%d 0 obj\n<< /Type /XObject /Subtype /Image /Width %d"
                   " /Height %d /ColorSpace /%s /BitsPerComponent 8 /Filter "
                   "/DCTDecode /Length %zu >>\nstream\n", o + 2, p[i].width,
                   p[i].height, p[i].components == 1 ? "DeviceGray"
                                                     : "DeviceRGB", p[i].len);
        buf_append(&b, p[i].jpeg, p[i].len);
        buf_puts(&b, "\nendstream\nendobj\n");
    }
    xref = b.len;
    buf_printf(&b, "xref\n0 %zu\n0000000000 65535 f \n", nobj);
    for (size_t i = 1; i < nobj; i++)
        buf_printf(&b, "%010zu 00000 n \n", off[i]);
    buf_printf(&b, "trailer\n<< /Size %zu /Root 1 0 R /Info 3 0 R >>\n"
               "startxref\n%zu\n%%%%EOF\n", nobj, xref);
    mem_free(off);
    if ((rc = buf_status(&b)))
        rc = err_set(e, rc, "%s: out of memory", path);
    if (!rc && !(rc = fsx_write_file(path, b.p, b.len, e))) {
        sha256_buf(b.p, b.len, sha);
        *bytes = (long long)b.len;
    }
    buf_free(&b);
    return rc;
}
