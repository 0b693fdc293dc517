/* bench/receive -- how fast a scan becomes pages and QR codes
 * (receive_scan.c, receive_qr.c), one core.
 *
 *   build/bench_receive [-r RUNS] FILE...
 *
 * For each FILE (a PDF, PNG, JPEG or TIFF; e.g. a keqing sheet and the
 * same sheet through `pdftoppm -r 200 -gray -png`): the median over RUNS
 * of opening it and reading page 1 (raster), and of receive_qr_decode on
 * that page (decode), in milliseconds of CPU time, and what was found.
 */
#include "err.h"
#include "receive_qr.h"
#include "receive_scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);   /* CPU time: one core's cost, steady on a busy machine */
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int runs = 9, i = 1;
    if (argc > 2 && strcmp(argv[1], "-r") == 0) {
        runs = atoi(argv[2]);   /* NOLINT: a bench's argument */
        i = 3;
    }
    if (runs < 1 || runs > 1000 || i >= argc) {
        fprintf(stderr, "usage: bench_receive [-r RUNS] FILE...\n");
        return 64;
    }
    double *ras = calloc((size_t)runs, sizeof *ras), *dec = calloc((size_t)runs, sizeof *dec);
    if (!ras || !dec)
        return 70;
    for (; i < argc; i++) {
        struct receive_qr_found f = { 0 };
        struct receive_page p = { 0 };
        for (int r = 0; r < runs; r++) {
            struct receive_scan *s;
            struct err e;
            double t0 = now_ms();
            if (receive_scan_open(argv[i], &s, &e) != ERR_OK ||
                receive_scan_page(s, 0, &p, &e) != ERR_OK) {
                fprintf(stderr, "bench_receive: %s\n", e.msg);
                return 65;
            }
            double t1 = now_ms();
            if (receive_qr_decode(&p, &f, &e) != ERR_OK) {
                fprintf(stderr, "bench_receive: %s\n", e.msg);
                return 65;
            }
            ras[r] = t1 - t0;
            dec[r] = now_ms() - t1;
            receive_scan_close(s);
            if (r + 1 < runs)
                receive_page_free(&p);
        }
        qsort(ras, (size_t)runs, sizeof *ras, cmp_d);
        qsort(dec, (size_t)runs, sizeof *dec, cmp_d);
        printf("%s: %d x %d at %.0f dpi: raster %.1f ms, decode %.1f ms (median of %d); "
               "%d code(s)%s%s\n", argv[i], p.width, p.height, p.dpi, ras[runs / 2],
               dec[runs / 2], runs, f.n, f.n ? ": " : "", f.n ? f.sym[0].text : "");
        for (int k = 0; k < f.n; k++)
            printf("  %s: corners (%.0f,%.0f) (%.0f,%.0f) (%.0f,%.0f) (%.0f,%.0f)\n",
                   f.sym[k].text, f.sym[k].corner[0][0], f.sym[k].corner[0][1],
                   f.sym[k].corner[1][0], f.sym[k].corner[1][1], f.sym[k].corner[2][0],
                   f.sym[k].corner[2][1], f.sym[k].corner[3][0], f.sym[k].corner[3][1]);
        receive_page_free(&p);
    }
    free(ras);
    free(dec);
    return 0;
}
