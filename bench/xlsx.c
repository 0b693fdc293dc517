/* bench/xlsx -- how long the period's workbook takes (render_xlsx.c),
 * one core.
 *
 *   build/bench_xlsx DB TEMPLATES OUT RUNS
 *
 * Scores the period 2026-10 of DB RUNS times (pipe_score: the results,
 * the CSVs and the workbook OUT/2026-10/keqing-2026-10.xlsx), and prints
 * the median CPU and wall seconds of writing the workbook alone, its size,
 * and whether every run wrote the same bytes.
 */
#include "err.h"
#include "fsx.h"
#include "period.h"
#include "pipeline.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    double cpu[32], wall[32];
    char first[65] = "", hex[65], path[4200];
    long long bytes = 0;
    int runs = argc == 5 ? (int)strtol(argv[4], NULL, 10) : 0, same = 1;

    if (runs < 1 || runs > 32) {
        fprintf(stderr, "usage: bench_xlsx DB TEMPLATES OUT RUNS (1-32)\n");
        return 64;
    }
    snprintf(path, sizeof path, "%s/2026-10/keqing-2026-10.xlsx", argv[3]);
    for (int r = 0; r < runs; r++) {
        struct pipe_score_opts o;
        struct pipe_score_stats st;
        struct store *s = NULL;
        struct err e;
        memset(&o, 0, sizeof o);
        o.templates = argv[2];
        o.out = argv[3];
        period_parse("2026-10", &o.per);
        if (store_open(argv[1], STORE_MUST_EXIST, &s, &e) ||
            pipe_score(s, &o, &st, &e) ||
            fsx_sha256_file(path, hex, &bytes, &e)) {
            fprintf(stderr, "bench_xlsx: %s\n", e.msg);
            return 1;
        }
        cpu[r] = st.xlsx_cpu;
        wall[r] = st.xlsx_wall;
        if (!r)
            memcpy(first, hex, sizeof first);
        same &= !strcmp(first, hex);
        pipe_score_stats_free(&st);
        store_close(s);
    }
    qsort(cpu, (size_t)runs, sizeof *cpu, cmp_d);
    qsort(wall, (size_t)runs, sizeof *wall, cmp_d);
    printf("%.2f %.2f %lld %s\n", cpu[runs / 2], wall[runs / 2], bytes,
           same ? "identical" : "DIFFERENT");
    return same ? 0 : 1;
}
