/* check_cli -- the one option parser of every command (cli_parse): both
 * value forms, short aliases, missing values, unknown options, flags
 * given a value, required options, number and month ranges, positional
 * arguments among the options, `--`, a lone `-`, --help, and the exact
 * messages (cli.h); cli_default_jobs.  Hand-written argv cases; stdout
 * and stderr are captured to compare the text.
 */
#include "unit.h"
#include "render.h"
#include "cli.h"
#include "date.h"
#include "period.h"
#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAXW 16

/* What one cli_parse call did. */
struct res {
    int rc, npos;
    char *pos[MAXW];
    char out[2048], err[2048];
};

/* The destinations of the test table. */
static struct {
    const char *db, *out;
    long jobs;
    int quiet, allow;
    struct period per;
} v;

static const char usage[] = "Usage: keqing t [--period YYYY-MM]\n";

static const struct cli_opt table[] = {
    {"--period", "-p", CLI_PERIOD, &v.per, "YYYY-MM", 0, 0, 1},
    {"--db", NULL, CLI_TEXT, &v.db, "PATH", 0, 0, 0},
    {"--out", "-o", CLI_TEXT, &v.out, "DIR", 0, 0, 0},
    {"--jobs", "-j", CLI_NUMBER, &v.jobs, "N", 1, 256, 0},
    {"--quiet", "-q", CLI_FLAG, &v.quiet, NULL, 0, 0, 0},
    {"--allow-empty", NULL, CLI_FLAG, &v.allow, NULL, 0, 0, 0},
};
#define NTABLE (sizeof table / sizeof *table)

static void slurp(const char *path, char *buf, size_t n)
{
    FILE *fp = fopen(path, "r");
    size_t got = fp ? fread(buf, 1, n - 1, fp) : 0;
    buf[got] = '\0';
    if (fp)
        fclose(fp);
}

/* cli_parse over "t" + words (NULL-terminated) against t[0..n); pos NULL
 * when with_pos is 0, else positional arguments compacted into argv. */
static void parse_with(const struct cli_opt *t, size_t n, int with_pos,
                       const char *const *words, struct res *r)
{
    static char *argv[MAXW + 2];
    static char copy[MAXW + 1][64];
    char po[700], pe[700];
    const char *dir = unit_tmpdir();
    int argc = 1, o1, o2;

    memset(r, 0, sizeof *r);
    memset(&v, 0, sizeof v);
    v.out = "out";
    v.jobs = 7;
    snprintf(copy[0], sizeof copy[0], "t");
    argv[0] = copy[0];
    for (; words[argc - 1] && argc <= MAXW; argc++) {
        snprintf(copy[argc], sizeof copy[argc], "%s", words[argc - 1]);
        argv[argc] = copy[argc];
    }
    argv[argc] = NULL;
    ck_assert_ptr_nonnull(dir);
    snprintf(po, sizeof po, "%s/out.txt", dir);
    snprintf(pe, sizeof pe, "%s/err.txt", dir);
    fflush(stdout);
    fflush(stderr);
    o1 = dup(1);
    o2 = dup(2);
    ck_assert(freopen(po, "w", stdout) != NULL);
    ck_assert(freopen(pe, "w", stderr) != NULL);
    r->rc = cli_parse("t", usage, t, n, argc, argv, with_pos ? argv : NULL,
                      &r->npos);
    fflush(stdout);
    fflush(stderr);
    dup2(o1, 1);
    dup2(o2, 2);
    close(o1);
    close(o2);
    slurp(po, r->out, sizeof r->out);
    slurp(pe, r->err, sizeof r->err);
    for (int i = 0; i < r->npos && i < MAXW; i++)
        r->pos[i] = argv[i];
    unit_sh("rm -rf '%s'", dir);
}

static void parse(int with_pos, const char *const *words, struct res *r)
{
    parse_with(table, NTABLE, with_pos, words, r);
}

/* A usage error: status 64, nothing on stdout, this message. */
static void want_usage(const struct res *r, const char *msg)
{
    char want[512];
    snprintf(want, sizeof want, "keqing: t: %s\nTry 'keqing t --help'.\n",
             msg);
    ck_assert_int_eq(r->rc, 64);
    ck_assert_str_eq(r->out, "");
    ck_assert_str_eq(r->err, want);
}

/* Parsed: status -1, nothing printed. */
static void want_ok(const struct res *r)
{
    ck_assert_msg(r->rc == -1, "rc %d: %s", r->rc, r->err);
    ck_assert_str_eq(r->out, "");
    ck_assert_str_eq(r->err, "");
}

START_TEST(value_forms)
{
    struct res r;
    const char *a[] = {"--period", "2026-10", "--db", "k.db", "--out=o d",
                       "-j", "3", NULL};
    const char *b[] = {"--period=2026-02", "--db=", "-oX", "-j12", NULL};
    const char *c[] = {"-p", "2026-11", "--db", "--out", NULL};

    parse(0, a, &r);
    want_ok(&r);
    ck_assert_int_eq(v.per.year, 2026);
    ck_assert_int_eq(v.per.month, 10);
    ck_assert_int_eq(v.per.nweeks > 0, 1);      /* period_init'ed */
    ck_assert_str_eq(v.db, "k.db");
    ck_assert_str_eq(v.out, "o d");
    ck_assert_int_eq(v.jobs, 3);
    ck_assert_int_eq(v.quiet, 0);
    /* --name=VALUE (an empty value is a value), -xVALUE */
    parse(0, b, &r);
    want_ok(&r);
    ck_assert_int_eq(v.per.month, 2);
    ck_assert_str_eq(v.db, "");
    ck_assert_str_eq(v.out, "X");
    ck_assert_int_eq(v.jobs, 12);
    /* the next argument is the value, whatever it looks like */
    parse(0, c, &r);
    want_ok(&r);
    ck_assert_str_eq(v.db, "--out");
    ck_assert_str_eq(v.out, "out");             /* untouched: default */
    ck_assert_int_eq(v.jobs, 7);
}
END_TEST

START_TEST(flags_and_repeats)
{
    struct res r;
    const char *a[] = {"--period", "2026-10", "-q", "--allow-empty", NULL};
    const char *b[] = {"--period", "2026-10", "--db", "a", "--db=b", NULL};

    parse(0, a, &r);
    want_ok(&r);
    ck_assert_int_eq(v.quiet, 1);
    ck_assert_int_eq(v.allow, 1);
    parse(0, b, &r);
    want_ok(&r);
    ck_assert_str_eq(v.db, "b");                /* the last one wins */
}
END_TEST

START_TEST(missing_value)
{
    struct res r;
    const char *a[] = {"--period", "2026-10", "--db", NULL};
    const char *b[] = {"--period", "2026-10", "-j", NULL};
    const char *c[] = {"--period", NULL};

    parse(0, a, &r);
    want_usage(&r, "--db needs a value");
    parse(0, b, &r);
    want_usage(&r, "-j needs a value");         /* as typed */
    parse(0, c, &r);
    want_usage(&r, "--period needs a value");
}
END_TEST

START_TEST(unknown_options)
{
    struct res r;
    const char *a[] = {"--period", "2026-10", "--frobnicate", NULL};
    const char *b[] = {"--period", "2026-10", "--da", "x", NULL};
    const char *c[] = {"-x", NULL};
    const char *d[] = {"--period", "2026-10", "--dbx=1", NULL};
    const char *e[] = {"--period", "2026-10", "-qx", NULL};
    const char *f[] = {"--period", "2026-10", "--quiet=1", NULL};
    const char *g[] = {"--allow-empty=", NULL};

    parse(0, a, &r);
    want_usage(&r, "unknown option '--frobnicate'");
    parse(0, b, &r);
    want_usage(&r, "unknown option '--da'");    /* no abbreviations */
    parse(0, c, &r);
    want_usage(&r, "unknown option '-x'");
    parse(0, d, &r);
    want_usage(&r, "unknown option '--dbx=1'");
    parse(0, e, &r);
    want_usage(&r, "unknown option '-qx'");     /* no bundled flags */
    parse(0, f, &r);
    want_usage(&r, "--quiet takes no value");
    parse(0, g, &r);
    want_usage(&r, "--allow-empty takes no value");
}
END_TEST

START_TEST(required)
{
    static int flag;
    static const char *text;
    static const struct cli_opt t2[] = {
        {"--person", NULL, CLI_TEXT, &text, "ID", 0, 0, 1},
        {"--force", NULL, CLI_FLAG, &flag, NULL, 0, 0, 1},
    };
    struct res r;
    const char *none[] = {NULL};
    const char *a[] = {"--db", "k.db", NULL};
    const char *b[] = {"--person", "E1", NULL};
    const char *c[] = {"--force", NULL};

    parse(0, none, &r);
    want_usage(&r, "--period YYYY-MM is required");
    parse(0, a, &r);
    want_usage(&r, "--period YYYY-MM is required");
    /* the first missing one in table order; a flag has no metavar */
    parse_with(t2, 2, 0, none, &r);
    want_usage(&r, "--person ID is required");
    parse_with(t2, 2, 0, b, &r);
    want_usage(&r, "--force is required");
    parse_with(t2, 2, 0, c, &r);
    want_usage(&r, "--person ID is required");
}
END_TEST

START_TEST(number_ranges)
{
    struct res r;
    const char *lo[] = {"--period", "2026-10", "--jobs", "1", NULL};
    const char *hi[] = {"--period", "2026-10", "--jobs=256", NULL};
    const char *zero[] = {"--period", "2026-10", "--jobs", "0", NULL};
    const char *over[] = {"--period", "2026-10", "--jobs", "257", NULL};
    const char *junk[] = {"--period", "2026-10", "-j", "12x", NULL};
    const char *empty[] = {"--period", "2026-10", "--jobs=", NULL};
    const char *neg[] = {"--period", "2026-10", "--jobs", "-3", NULL};
    const char *huge[] = {"--period", "2026-10", "--jobs",
                          "99999999999999999999999", NULL};

    parse(0, lo, &r);
    want_ok(&r);
    ck_assert_int_eq(v.jobs, 1);
    parse(0, hi, &r);
    want_ok(&r);
    ck_assert_int_eq(v.jobs, 256);
    parse(0, zero, &r);
    want_usage(&r, "--jobs '0' is not a number 1..256");
    parse(0, over, &r);
    want_usage(&r, "--jobs '257' is not a number 1..256");
    parse(0, junk, &r);                         /* the long name */
    want_usage(&r, "--jobs '12x' is not a number 1..256");
    parse(0, empty, &r);
    want_usage(&r, "--jobs '' is not a number 1..256");
    parse(0, neg, &r);
    want_usage(&r, "--jobs '-3' is not a number 1..256");
    parse(0, huge, &r);
    want_usage(&r, "--jobs '99999999999999999999999' is not a number "
               "1..256");
}
END_TEST

START_TEST(period_values)
{
    static struct period per;
    static const struct cli_opt t2[] = {
        {"--period", NULL, CLI_PERIOD, &per, "YYYY-MM", 2000, 2190, 0},
    };
    struct res r;
    const char *bad[] = {"--period", "2026-13", NULL};
    const char *shrt[] = {"--period=2026-1", NULL};
    const char *old[] = {"--period", "1999-12", NULL};
    const char *ok[] = {"--period", "2190-12", NULL};
    const char *fmt[] = {"--period", "10/2026", NULL};

    parse(0, bad, &r);
    want_usage(&r, "--period '2026-13' is not a month YYYY-MM");
    parse(0, shrt, &r);
    want_usage(&r, "--period '2026-1' is not a month YYYY-MM");
    /* with a range of years, the message names it */
    parse_with(t2, 1, 0, old, &r);
    want_usage(&r, "--period '1999-12' is not a month YYYY-MM between "
               "2000-01 and 2190-12");
    parse_with(t2, 1, 0, fmt, &r);
    want_usage(&r, "--period '10/2026' is not a month YYYY-MM between "
               "2000-01 and 2190-12");
    parse_with(t2, 1, 0, ok, &r);
    want_ok(&r);
    ck_assert_int_eq(per.year, 2190);
    ck_assert_int_eq(per.month, 12);
}
END_TEST

START_TEST(positional)
{
    struct res r;
    const char *a[] = {"a.xml", "--period", "2026-10", "b.xml", "-q",
                       "--db=k.db", "c.xml", NULL};
    const char *b[] = {"--period", "2026-10", "--", "--db", "x", "-q", NULL};
    const char *c[] = {"-", "--period", "2026-10", NULL};
    const char *d[] = {"--period", "2026-10", NULL};
    const char *e[] = {"--period", "2026-10", "extra", NULL};
    const char *f[] = {"--period", "2026-10", "--", "--help", NULL};

    /* options before, between and after them, order kept */
    parse(1, a, &r);
    want_ok(&r);
    ck_assert_int_eq(r.npos, 3);
    ck_assert_str_eq(r.pos[0], "a.xml");
    ck_assert_str_eq(r.pos[1], "b.xml");
    ck_assert_str_eq(r.pos[2], "c.xml");
    ck_assert_str_eq(v.db, "k.db");
    ck_assert_int_eq(v.quiet, 1);
    /* -- ends the options */
    parse(1, b, &r);
    want_ok(&r);
    ck_assert_int_eq(r.npos, 3);
    ck_assert_str_eq(r.pos[0], "--db");
    ck_assert_str_eq(r.pos[1], "x");
    ck_assert_str_eq(r.pos[2], "-q");
    ck_assert_ptr_null(v.db);
    ck_assert_int_eq(v.quiet, 0);
    /* a lone - is positional */
    parse(1, c, &r);
    want_ok(&r);
    ck_assert_int_eq(r.npos, 1);
    ck_assert_str_eq(r.pos[0], "-");
    parse(1, d, &r);
    want_ok(&r);
    ck_assert_int_eq(r.npos, 0);
    /* a command that takes none */
    parse(0, e, &r);
    want_usage(&r, "unexpected argument 'extra'");
    parse(0, f, &r);
    want_usage(&r, "unexpected argument '--help'");
    parse(0, c, &r);
    want_usage(&r, "unexpected argument '-'");
}
END_TEST

START_TEST(help)
{
    struct res r;
    const char *a[] = {"--help", NULL};
    const char *b[] = {"x.xml", "-h", "--bogus", NULL};
    const char *c[] = {"--bogus", "--help", NULL};
    const char *d[] = {"--db", "--help", NULL};

    /* usage on stdout, status 0, required options not asked for */
    parse(0, a, &r);
    ck_assert_int_eq(r.rc, 0);
    ck_assert_str_eq(r.out, usage);
    ck_assert_str_eq(r.err, "");
    parse(1, b, &r);
    ck_assert_int_eq(r.rc, 0);
    ck_assert_str_eq(r.out, usage);
    /* left to right: an error before it wins */
    parse(0, c, &r);
    want_usage(&r, "unknown option '--bogus'");
    /* a value is a value */
    parse(0, d, &r);
    want_usage(&r, "--period YYYY-MM is required");
}
END_TEST

START_TEST(no_allocation)
{
    struct res r;
    const char *a[] = {"a.xml", "--period", "2026-10", "b.xml", NULL};

    /* every command parses before it allocates: never ERR_NOMEM here */
    mem_fail_after(1);
    parse(1, a, &r);
    ck_assert_int_eq(mem_count(), 0);
    mem_fail_after(0);
    want_ok(&r);
    ck_assert_int_eq(r.npos, 2);
}
END_TEST

START_TEST(default_jobs)
{
    long n = cli_default_jobs(), cpus = sysconf(_SC_NPROCESSORS_ONLN);

    ck_assert_int_ge(n, 1);
    ck_assert_int_le(n, RENDER_MAX_JOBS);
    if (cpus >= 1 && cpus <= RENDER_MAX_JOBS)
        ck_assert_int_eq(n, cpus);
}
END_TEST

START_TEST(parse_long)
{
    long x = 5;
    ck_assert_int_eq(cli_parse_long("42", 0, 100, &x), 0);
    ck_assert_int_eq(x, 42);
    ck_assert_int_eq(cli_parse_long("101", 0, 100, &x), -1);
    ck_assert_int_eq(cli_parse_long("", 0, 100, &x), -1);
    ck_assert_int_eq(cli_parse_long(NULL, 0, 100, &x), -1);
    ck_assert_int_eq(cli_parse_long(" 4", 0, 100, &x), 0);  /* strtol */
    ck_assert_int_eq(cli_parse_long("4 ", 0, 100, &x), -1);
    ck_assert_int_eq(x, 4);
}
END_TEST

Suite *suite_cli(void)
{
    Suite *s = suite_create("cli");
    TCase *t = tcase_create("cli_parse");
    tcase_add_test(t, value_forms);
    tcase_add_test(t, flags_and_repeats);
    tcase_add_test(t, missing_value);
    tcase_add_test(t, unknown_options);
    tcase_add_test(t, required);
    tcase_add_test(t, number_ranges);
    tcase_add_test(t, period_values);
    tcase_add_test(t, positional);
    tcase_add_test(t, help);
    tcase_add_test(t, no_allocation);
    tcase_add_test(t, default_jobs);
    tcase_add_test(t, parse_long);
    suite_add_tcase(s, t);
    return s;
}
