/* unit -- the Check suites of keqing's unit tests, one per module.
 *
 * Each tests/unit/check_<mod>.c defines `Suite *suite_<mod>(void)`.  The
 * runner (check_main.c) declares them weak, so a module's suite is run as
 * soon as its file exists, without editing the runner.
 */
#ifndef KQ_UNIT_H
#define KQ_UNIT_H

#include <check.h>

#define KQ_SUITES(X) \
    X(core) X(date) X(record) X(sample) X(store) X(import) X(xslt) \
    X(lunar) X(roles) X(score) X(explain) X(csvout) X(text) X(font) \
    X(pdf) X(sheet) X(region) X(packet) X(batch) X(registry) X(faults) \
    X(xmlx) X(docref) X(sort) X(dataset) X(cli)

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

#endif
