/* fuzz_scan -- libFuzzer target for what `receive` reads from a scanner:
 * any bytes through receive_scan_open_mem, then the first two pages (at
 * most) rasterised and searched for QR codes (receive_scan.c,
 * receive_qr.c; poppler, cairo, libpng, libjpeg, leptonica, zbar under
 * them).
 *
 * Pages are capped at KQ_SCAN_MAX_PIXELS (4 M, set by tests/fuzz/run.sh;
 * the fuzz build reads it, KQ_FUZZING) so no input makes a 60 M pixel
 * page.  A finding: a crash, a leak, or an outcome outside the contract
 * (abort): a page that is not width x height with stride == width, a
 * code that is not ERR_DATA/ERR_NOMEM, an empty message, more symbols
 * than RECEIVE_QR_MAX, a text without its NUL.
 */
#include "err.h"
#include "receive_qr.h"
#include "receive_scan.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_failure(int rc, const struct err *e)
{
    if ((rc != ERR_DATA && rc != ERR_NOMEM && rc != ERR_INTERNAL) || !e->msg[0])
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct receive_scan *s;
    struct err e;
    int rc = receive_scan_open_mem(data, size, "fuzz", &s, &e);

    if (rc != ERR_OK) {
        if (s)
            abort();
        check_failure(rc, &e);
        return 0;
    }
    int pages = receive_scan_pages(s);
    if (pages < 1 || pages > RECEIVE_SCAN_MAX_PAGES)
        abort();
    for (int i = 0; i < pages && i < 2; i++) {
        struct receive_page p;
        struct receive_qr_found f;
        rc = receive_scan_page(s, i, &p, &e);
        if (rc != ERR_OK) {
            if (p.px)
                abort();
            check_failure(rc, &e);
            continue;
        }
        if (p.width < 1 || p.height < 1 || p.stride != p.width || !p.px)
            abort();
        volatile unsigned char last = p.px[(size_t)p.height * p.stride - 1];
        (void)last;
        rc = receive_qr_decode(&p, &f, &e);
        if (rc != ERR_OK)
            check_failure(rc, &e);
        else if (f.n < 0 || f.n > RECEIVE_QR_MAX)
            abort();
        for (int k = 0; k < f.n; k++)
            if (!memchr(f.sym[k].text, '\0', sizeof f.sym[k].text))
                abort();
        receive_page_free(&p);
    }
    receive_scan_close(s);
    return 0;
}
