/* cmd_sample -- 'keqing sample': write a realistic, deterministic export.
 *
 * Front end of the sample generator (sample.h): parses the options,
 * writes to stdout or, with -o FILE, atomically to FILE, and prints a
 * one-line summary on stderr when writing to a file.
 */
#include "cli.h"
#include "date.h"
#include "err.h"
#include "sample.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

static void usage(FILE *fp)
{
    fprintf(fp,
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

/* Parse argv into o and *out; returns 0, 1 for --help, or the exit code. */
static int parse(int argc, char **argv, struct sample_opts *o,
                 const char **out)
{
    static const struct option longs[] = {
        {"staff", required_argument, NULL, 'n'},
        {"period", required_argument, NULL, 'p'},
        {"seed", required_argument, NULL, 's'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct period per;
    long v;
    int c;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":n:p:s:o:h", longs, NULL)) != -1) {
        switch (c) {
        case 'n':
            if (cli_parse_long(optarg, SAMPLE_STAFF_MIN, SAMPLE_STAFF_MAX, &v))
                return cli_usage("sample", "--staff must be a whole number "
                                 "%d..%d, not '%s'", SAMPLE_STAFF_MIN,
                                 SAMPLE_STAFF_MAX, optarg);
            o->staff = v;
            break;
        case 'p':
            if (period_parse(optarg, &per) || per.year < SAMPLE_MIN_YEAR ||
                per.year > SAMPLE_MAX_YEAR)
                return cli_usage("sample", "--period must be YYYY-MM between "
                                 "%d-01 and %d-12, not '%s'", SAMPLE_MIN_YEAR,
                                 SAMPLE_MAX_YEAR, optarg);
            o->year = per.year;
            o->month = per.month;
            break;
        case 's':
            if (cli_parse_long(optarg, 0, LONG_MAX, &v))
                return cli_usage("sample", "--seed must be a whole number "
                                 "0..%ld, not '%s'", LONG_MAX, optarg);
            o->seed = (uint64_t)v;
            break;
        case 'o':
            *out = optarg;
            break;
        case 'h':
            return 1;
        case ':':
            return cli_usage("sample", "option '%s' needs a value",
                             argv[optind - 1]);
        default:
            return cli_usage("sample", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage("sample", "unexpected argument '%s'", argv[optind]);
    return 0;
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
    rc = parse(argc, argv, &o, &out);
    if (rc == 1) {
        usage(stdout);
        return 0;
    }
    if (rc)
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
