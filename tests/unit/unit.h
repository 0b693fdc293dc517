/* unit -- the Check suites of keqing's unit tests, one per module.
 *
 * Each tests/unit/check_<mod>.c defines `Suite *suite_<mod>(void)` and is
 * listed in KQ_SUITES.  The runner (check_main.c) declares them weak and
 * refuses to pass when a listed suite is not linked: it names the missing
 * ones and exits with a failure, so a suite cannot vanish unnoticed (a
 * file deleted, renamed, or its suite function misspelt).  `make lint`
 * checks the other direction: every check_<mod>.c is listed here.
 */
#ifndef KQ_UNIT_H
#define KQ_UNIT_H

#include <check.h>

#define KQ_SUITES(X) \
    X(core) X(date) X(record) X(sample) X(store) X(import) X(xslt) \
    X(lunar) X(roles) X(score) X(explain) X(csvout) X(text) X(font) \
    X(font_mt) \
    X(pdf) X(sheet) X(region) X(packet) X(batch) X(registry) X(faults) \
    X(xmlx) X(docref) X(sort) X(dataset) X(cli) X(receive)

#define KQ_DECLARE(name) Suite *suite_##name(void) __attribute__((weak));
KQ_SUITES(KQ_DECLARE)
#undef KQ_DECLARE

/* A fresh temporary folder for one test (mkdtemp under $TMPDIR or /tmp);
 * returned path is static storage reused by the next call. */
const char *unit_tmpdir(void);

/* The repository root (from $KQ_SRCDIR, else "."). */
const char *unit_srcdir(void);

/* Run a shell command and return its exit status (or -1). */
int unit_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A known bug, asserted as still present (a strict expected failure):
 * while still_broken holds, prints "XFAIL: what" on stderr; once the code
 * is fixed, fails the test ("known bug fixed: what"), so the test is then
 * turned into a plain assertion and the bug cannot come back unnoticed. */
void unit_known_bug(int still_broken, const char *what);

#endif
