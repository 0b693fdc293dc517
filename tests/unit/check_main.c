/* check_main -- runs every unit suite of keqing in one Check runner.
 *
 * Every suite listed in KQ_SUITES (unit.h) must be linked: a missing one
 * is named on stderr and fails the run, even when the others pass. */
#include "unit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

const char *unit_tmpdir(void)
{
    static char path[512];
    const char *base = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/kqtest.XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(path))
        return NULL;
    return path;
}

const char *unit_srcdir(void)
{
    const char *s = getenv("KQ_SRCDIR");
    return s && *s ? s : ".";
}

int unit_sh(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    int st;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    st = system(cmd);
    if (st == -1 || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

void unit_known_bug(int still_broken, const char *what)
{
    if (still_broken)
        fprintf(stderr, "XFAIL: %s\n", what);
    else
        ck_abort_msg("known bug fixed: %s -- turn this check into a plain "
                     "assertion", what);
}

int main(void)
{
    SRunner *sr = srunner_create(NULL);
    int failed, nsuites = 0, nmissing = 0;
    char missing[512] = "";

#define KQ_ADD(name)                                                     \
    if (suite_##name) {                                                  \
        srunner_add_suite(sr, suite_##name());                           \
        nsuites++;                                                       \
    } else {                                                             \
        fprintf(stderr, "unit: suite '%s' is listed in unit.h but not "  \
                "linked (no Suite *suite_%s(void) in "                   \
                "tests/unit/check_%s.c)\n", #name, #name, #name);        \
        snprintf(missing + strlen(missing), sizeof missing -             \
                 strlen(missing), " %s", #name);                         \
        nmissing++;                                                      \
    }
    KQ_SUITES(KQ_ADD)
#undef KQ_ADD

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    fprintf(stderr, "unit: %d suites\n", nsuites);
    if (nmissing)
        fprintf(stderr, "unit: FAIL: %d listed suite%s missing:%s\n",
                nmissing, nmissing > 1 ? "s" : "", missing);
    return failed || nmissing ? EXIT_FAILURE : EXIT_SUCCESS;
}
