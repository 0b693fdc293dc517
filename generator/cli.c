/* cli -- the option parser and the helpers shared by the command
 * implementations (see cli.h). */
#include "cli.h"
#include "render.h"
#include "date.h"
#include "period.h"
#include "diag.h"
#include "err.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int cli_fail(const struct err *e)
{
    /* called because something failed: a failure that left no code is
     * still a failure (an internal error), never "ok" with status 0 */
    if (e->code == ERR_OK) {
        fprintf(stderr, "keqing: internal error: %s (a failure that "
                "reported no cause; please report it)\n",
                e->msg[0] ? e->msg : "no message");
        return err_exit_code(ERR_INTERNAL);
    }
    fprintf(stderr, "keqing: %s\n", e->msg[0] ? e->msg : err_name(e->code));
    return err_exit_code(e->code);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "keqing: %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'keqing %s --help'.\n", cmd);
    return 64;
}

const char *cli_db_path(const char *opt)
{
    const char *env;
    if (opt)
        return opt;
    env = getenv("KEQING_DB");
    return env && *env ? env : "keqing.db";
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A data folder (templates/, fonts/): opt when given, else $env, else
 * the source tree's ROOT/sub beside ROOT/build/keqing, else the installed
 * PREFIX/share/keqing/sub beside PREFIX/bin/keqing, else
 * KQ_DATADIR/sub.  ERR_NOINPUT when the folder is not there. */
static int data_dir(const char *opt, const char *env_name, const char *sub,
                    const char *what, char *out, size_t n, struct err *e)
{
    const char *env = getenv(env_name);
    char exe[PATH_MAX];
    ssize_t len;

    if (opt || (env && *env)) {
        const char *p = opt ? opt : env;
        if (!is_dir(p))
            return err_set(e, ERR_NOINPUT, "%s: %s folder not found", p,
                           what);
        snprintf(out, n, "%s", p);
        return ERR_OK;
    }
    /* Beside the binary: ROOT/build/keqing in the source tree (where
     * ROOT/generator/cli.c exists) -> ROOT/sub; an installed
     * PREFIX/bin/keqing -> PREFIX/share/keqing/sub, wherever PREFIX
     * was moved to. */
    len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        char cand[PATH_MAX + 64], mk[PATH_MAX + 64];
        char *slash;
        exe[len] = '\0';
        for (int up = 0; up < 2; up++) {
            slash = strrchr(exe, '/');
            if (!slash)
                break;
            *slash = '\0';
        }
        snprintf(cand, sizeof cand, "%s/%s", exe, sub);
        snprintf(mk, sizeof mk, "%s/generator/cli.c", exe);
        if (is_dir(cand) && access(mk, R_OK) == 0) {
            snprintf(out, n, "%s", cand);
            return ERR_OK;
        }
        snprintf(cand, sizeof cand, "%s/share/keqing/%s", exe, sub);
        if (is_dir(cand)) {
            snprintf(out, n, "%s", cand);
            return ERR_OK;
        }
    }
    snprintf(out, n, "%s/%s", KQ_DATADIR, sub);
    if (!is_dir(out))
        return err_set(e, ERR_NOINPUT, "%s: %s folder not found (use "
                       "--%s)", out, what, sub);
    return ERR_OK;
}

int cli_templates_dir(const char *opt, char *out, size_t n, struct err *e)
{
    return data_dir(opt, "KEQING_TEMPLATES", "templates", "templates", out,
                    n, e);
}

int cli_families_file(const char *opt, char *out, size_t n, struct err *e)
{
    char dir[PATH_MAX];
    int rc = data_dir(opt, "KEQING_FONTS", "fonts", "fonts", dir, sizeof dir,
                      e);

    out[0] = '\0';
    if (rc) {
        if (opt || getenv("KEQING_FONTS"))
            return rc;
        err_clear(e);           /* no fonts/ folder at all: built in */
        return ERR_OK;
    }
    snprintf(out, n, "%s/families.conf", dir);
    if (access(out, R_OK) == 0)
        return ERR_OK;
    if (opt || getenv("KEQING_FONTS"))
        return err_set(e, ERR_NOINPUT, "%s: cannot read: %s", out,
                       strerror(errno));
    out[0] = '\0';
    return ERR_OK;
}

void cli_print_diag(const struct diag *d)
{
    for (size_t i = 0; i < d->n; i++)
        fprintf(stderr, "keqing: %s\n", d->lines[i]);
    if (d->dropped)
        fprintf(stderr, "keqing: ... and %zu more\n", d->dropped);
}

/* ---- options (see cli.h) ----------------------------------------------- */

/* The entry of t whose name (long) or alias (short) is the len bytes at
 * a, or NULL. */
static const struct cli_opt *find_opt(const struct cli_opt *t, size_t n,
                                      const char *a, size_t len, int alias)
{
    for (size_t k = 0; k < n; k++) {
        const char *name = alias ? t[k].alias : t[k].name;
        if (name && strlen(name) == len && !strncmp(name, a, len))
            return &t[k];
    }
    return NULL;
}

/* Store v (given for option o) into o->dest; -1 to go on, else 64. */
static int take_value(const char *cmd, const struct cli_opt *o,
                      const char *v)
{
    struct period per;
    long x;

    switch (o->type) {
    case CLI_TEXT:
        *(const char **)o->dest = v;
        return -1;
    case CLI_NUMBER:
        if (cli_parse_long(v, o->lo, o->hi, &x))
            return cli_usage(cmd, "%s '%s' is not a number %ld..%ld",
                             o->name, v, o->lo, o->hi);
        *(long *)o->dest = x;
        return -1;
    case CLI_PERIOD:
        if (o->hi > 0 && (period_parse(v, &per) || per.year < o->lo ||
                          per.year > o->hi))
            return cli_usage(cmd, "%s '%s' is not a month YYYY-MM between "
                             "%ld-01 and %ld-12", o->name, v, o->lo, o->hi);
        if (period_parse(v, &per))
            return cli_usage(cmd, "%s '%s' is not a month YYYY-MM", o->name,
                             v);
        *(struct period *)o->dest = per;
        return -1;
    case CLI_FLAG:
        break;
    }
    *(int *)o->dest = 1;
    return -1;
}

int cli_parse_files(const char *cmd, const char *usage_text,
                    const struct cli_opt *t, size_t n, int argc, char **argv,
                    int *nfiles, const char *none)
{
    int rc = cli_parse(cmd, usage_text, t, n, argc, argv, argv, nfiles);
    if (rc >= 0)
        return rc;
    return *nfiles == 0 ? cli_usage(cmd, "%s", none) : -1;
}

struct cli_opt cli_opt_period(struct period *dest, int required)
{
    return (struct cli_opt){"--period", NULL, CLI_PERIOD, dest, "YYYY-MM", 0,
                            0, required};
}

struct cli_opt cli_opt_db(const char **dest)
{
    return (struct cli_opt){"--db", NULL, CLI_TEXT, dest, "PATH", 0, 0, 0};
}

struct cli_opt cli_opt_templates(const char **dest)
{
    return (struct cli_opt){"--templates", NULL, CLI_TEXT, dest, "DIR", 0, 0,
                            0};
}

struct cli_opt cli_opt_font(const char **dest)
{
    return (struct cli_opt){"--font", NULL, CLI_TEXT, dest, "FILE[:N]", 0, 0,
                            0};
}

struct cli_opt cli_opt_fonts(const char **dest)
{
    return (struct cli_opt){"--fonts", NULL, CLI_TEXT, dest, "DIR", 0, 0, 0};
}

int cli_parse(const char *cmd, const char *usage_text,
              const struct cli_opt *t, size_t n, int argc, char **argv,
              char **pos, int *npos)
{
    unsigned long seen = 0;     /* bit k: t[k] was given */
    int only_pos = 0, np = 0, rc;

    if (npos)
        *npos = 0;
    if (n > CLI_MAX_OPTS)
        return cli_usage(cmd, "internal error: %zu options", n);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL, *eq;
        const struct cli_opt *o;

        if (only_pos || a[0] != '-' || a[1] == '\0') {
            if (!pos)
                return cli_usage(cmd, "unexpected argument '%s'", a);
            pos[np++] = argv[i];    /* np < i: argv[i] already read */
            continue;
        }
        if (!strcmp(a, "--")) {
            only_pos = 1;
            continue;
        }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage_text, stdout);
            return 0;
        }
        if (a[1] == '-') {          /* --name or --name=VALUE */
            eq = strchr(a, '=');
            o = find_opt(t, n, a, eq ? (size_t)(eq - a) : strlen(a), 0);
            if (o && eq) {
                if (o->type == CLI_FLAG)
                    return cli_usage(cmd, "%s takes no value", o->name);
                v = eq + 1;
            }
        } else {                    /* -x, -x VALUE or -xVALUE */
            o = find_opt(t, n, a, 2, 1);
            if (o && a[2]) {
                if (o->type == CLI_FLAG)
                    o = NULL;       /* -qx: no bundling of flags */
                else
                    v = a + 2;
            }
        }
        if (!o)
            return cli_usage(cmd, "unknown option '%s'", a);
        if (!v && o->type != CLI_FLAG) {
            if (i + 1 >= argc)
                return cli_usage(cmd, "%s needs a value", a);
            v = argv[++i];
        }
        if ((rc = take_value(cmd, o, v)) >= 0)
            return rc;
        seen |= 1UL << (o - t);
    }
    for (size_t k = 0; k < n; k++)
        if (t[k].required && !(seen & (1UL << k)))
            return t[k].metavar
                ? cli_usage(cmd, "%s %s is required", t[k].name,
                            t[k].metavar)
                : cli_usage(cmd, "%s is required", t[k].name);
    if (npos)
        *npos = np;
    return -1;
}

long cli_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > RENDER_MAX_JOBS ? RENDER_MAX_JOBS : n;
}

int cli_parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v;
    if (!s || !*s)
        return -1;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int cli_stderr_tty(void)
{
    return isatty(STDERR_FILENO);
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
