/* cmd_sample -- 'keqing sample': write a realistic, deterministic export.
 *
 * Front end of the sample generator (sample.h): parses the options
 * (cli_parse), writes to stdout or, with -o FILE, atomically to FILE
 * (sample_write_file), and prints a one-line summary on stderr when
 * writing to a file.
 */
#include "cli.h"
#include "date.h"
#include "period.h"
#include "err.h"
#include "sample.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* The help text (the limits and defaults filled in). */
static void usage_text(char *out, size_t n)
{
    snprintf(out, n,
             "Usage: keqing sample [--staff N] [--period YYYY-MM] [--seed S] "
             "[-o FILE]\n"
             "\n"
             "Write a realistic sample company's ERP export (canonical XML,\n"
             "UTF-8): regions, N staff in three management levels, about 20\n"
             "customers and 200 records per person, and a month of visits,\n"
             "services, display audits, reports, greetings and spot checks.\n"
             "The same options always give the same bytes.\n"
             "\n"
             "Options:\n"
             "  -n, --staff N        number of people, %d..%d (default %d)\n"
             "  -p, --period YYYY-MM the month of activities (default %04d-%02d)\n"
             "  -s, --seed S         random seed, 0..%ld (default %d)\n"
             "  -o, --output FILE    write FILE atomically (default: stdout)\n"
             "  -h, --help           show this help\n",
             SAMPLE_STAFF_MIN, SAMPLE_STAFF_MAX, SAMPLE_DEFAULT_STAFF,
             SAMPLE_DEFAULT_YEAR, SAMPLE_DEFAULT_MONTH, LONG_MAX,
             SAMPLE_DEFAULT_SEED);
}

/* Parse argv into o and *out: -1 to go on, else the exit status. */
static int parse(int argc, char **argv, struct sample_opts *o,
                 const char **out)
{
    struct period per;
    long seed = (long)o->seed;
    char help[1536];
    const struct cli_opt opts[] = {
        {"--staff", "-n", CLI_NUMBER, &o->staff, "N", SAMPLE_STAFF_MIN,
         SAMPLE_STAFF_MAX, 0},
        {"--period", "-p", CLI_PERIOD, &per, "YYYY-MM", SAMPLE_MIN_YEAR,
         SAMPLE_MAX_YEAR, 0},
        {"--seed", "-s", CLI_NUMBER, &seed, "S", 0, LONG_MAX, 0},
        {"--output", "-o", CLI_TEXT, out, "FILE", 0, 0, 0},
    };
    int rc;

    usage_text(help, sizeof help);
    period_init(&per, o->year, o->month);
    rc = cli_parse("sample", help, opts, sizeof opts / sizeof *opts, argc,
                   argv, NULL, NULL);
    o->year = per.year;
    o->month = per.month;
    o->seed = (uint64_t)seed;
    return rc;
}

int cmd_sample(int argc, char **argv)
{
    struct sample_opts o;
    struct sample_stats st;
    struct err e;
    const char *out = NULL;
    double t0;
    int rc;

    sample_opts_default(&o);
    if ((rc = parse(argc, argv, &o, &out)) >= 0)
        return rc;
    err_clear(&e);
    t0 = cli_now();
    if (out && strcmp(out, "-") != 0)
        rc = sample_write_file(out, &o, &st, &e);
    else
        rc = sample_write(stdout, &o, &st, &e);
    if (rc)
        return cli_fail(&e);
    if (out && strcmp(out, "-") != 0)
        fprintf(stderr, "keqing: sample: %ld staff, %lld customers, "
                "%lld records, %lld bytes -> %s (%.1f s)\n", o.staff,
                st.count[REC_CUSTOMER], sample_total(&st), st.bytes, out,
                cli_now() - t0);
    return 0;
}
