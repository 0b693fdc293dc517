/* cli -- helpers shared by the command implementations (see cli.h). */
#include "cli.h"
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

const char *cli_opt_value(int argc, char **argv, int *i, const char *name,
                          int *missing)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        *missing = 1;
        return NULL;
    }
    return argv[++*i];
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
