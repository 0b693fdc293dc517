/* qr -- QR codes over libqrencode, drawn as rectangles (see sheet_qr.h). */
#include "sheet_qr.h"
#include "err.h"
#include "mem.h"
#include "pdf.h"

#include <errno.h>
#include <qrencode.h>
#include <string.h>

/* Encode text at version >= version (0: the smallest) and level. */
static int encode(const char *text, int version, QRecLevel level,
                  struct sheet_qr *out, struct err *e)
{
    size_t len = text ? strlen(text) : 0;
    QRcode *c;
    size_t n;

    memset(out, 0, sizeof *out);
    if (len == 0 || len > SHEET_QR_MAX_TEXT)
        return err_set(e, ERR_USAGE, "qr: text of %zu bytes (1..%d)", len,
                       SHEET_QR_MAX_TEXT);
    errno = 0;
    c = QRcode_encodeString(text, version, level, QR_MODE_8, 1);
    if (!c)
        return err_set(e, errno == ENOMEM ? ERR_NOMEM : ERR_INTERNAL,
                       "qr: cannot encode \"%.40s\": %s", text,
                       errno ? strerror(errno) : "libqrencode failed");
    n = (size_t)c->width * (size_t)c->width;
    out->dark = mem_malloc(n);
    if (!out->dark) {
        QRcode_free(c);
        return err_set(e, ERR_NOMEM, "qr: out of memory");
    }
    for (size_t i = 0; i < n; i++)
        out->dark[i] = c->data[i] & 1;
    out->width = c->width;
    out->version = c->version;
    QRcode_free(c);
    return ERR_OK;
}

int sheet_qr_encode(const char *text, struct sheet_qr *out, struct err *e)
{
    return encode(text, 0, QR_ECLEVEL_M, out, e);
}

int sheet_qr_encode_page(const char *text, struct sheet_qr *out,
                         struct err *e)
{
    int rc = encode(text, SHEET_QR_PAGE_VERSION, QR_ECLEVEL_Q, out, e);

    if (rc || out->version == SHEET_QR_PAGE_VERSION)
        return rc;
    sheet_qr_free(out);     /* too long for Q at this size: M */
    return encode(text, SHEET_QR_PAGE_VERSION, QR_ECLEVEL_M, out, e);
}

void sheet_qr_free(struct sheet_qr *q)
{
    if (!q)
        return;
    mem_free(q->dark);
    memset(q, 0, sizeof *q);
}

int sheet_qr_is_dark(const struct sheet_qr *q, int x, int y)
{
    if (!q->dark || x < 0 || y < 0 || x >= q->width || y >= q->width)
        return 0;
    return q->dark[(size_t)y * (size_t)q->width + (size_t)x];
}

double sheet_qr_side(const struct sheet_qr *q, double module)
{
    return q->width * module;
}

int sheet_qr_draw(const struct sheet_qr *q, struct pdf *d, double x, double y,
                  double module, uint32_t rgb, int *rects, struct err *e)
{
    int count = 0, rc = ERR_OK;

    for (int r = 0; r < q->width && !rc; r++) {
        int c = 0;
        while (c < q->width && !rc) {
            int start;
            if (!sheet_qr_is_dark(q, c, r)) {
                c++;
                continue;
            }
            start = c;
            while (c < q->width && sheet_qr_is_dark(q, c, r))
                c++;
            rc = pdf_fill_rect(d, x + start * module, y + r * module,
                               (c - start) * module, module, rgb, e);
            count++;
        }
    }
    if (rects)
        *rects = count;
    return rc;
}

int sheet_qr_place(struct pdf *d, const char *text, double x, double y,
                   double side, uint32_t rgb, struct err *e)
{
    struct sheet_qr q;
    int rc = sheet_qr_encode(text, &q, e);

    if (rc == ERR_OK)
        rc = sheet_qr_draw(&q, d, x, y, side / q.width, rgb, NULL, e);
    sheet_qr_free(&q);
    return rc;
}

double sheet_qr_quiet_for(const char *text, double side)
{
    struct sheet_qr q;
    struct err e;
    double quiet;

    if (sheet_qr_encode(text, &q, &e) != ERR_OK)
        return 0;
    quiet = SHEET_QR_QUIET * side / q.width;
    sheet_qr_free(&q);
    return quiet;
}
