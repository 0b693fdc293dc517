/* check_faults -- allocation failure at each point of a small run
 * (SQLite's OOM loop, applied to keqing's own allocator), and the fuzz
 * regression inputs replayed through the importer.
 *
 * For each stage -- import, score, render -- one successful run on a tiny
 * dataset counts the allocations (mem_count); then the same command is run
 * in-process again and again with mem_fail_after(N), N = 1, 2, ...  Every
 * run must end with exit status 0 or 70 (ERR_NOMEM), without a crash; the
 * database must pass PRAGMA integrity_check and hold exactly what it held
 * before (or, for score, what a successful run stores); no file may sit
 * under a final name unless it is byte-identical to the successful run's,
 * and no "*.tmp.*" file may be left.  Leaks are found by `make valgrind`
 * (CK_FORK=no), which runs these loops too.
 *
 * Fault points: all N when a run makes at most $KQ_FAULT_POINTS
 * allocations (default 120, 50 under valgrind; at least 41), else the
 * first 40 and the rest evenly spread over the run.  The test case tagged "slow", added with KQ_SLOW=1 or
 * CK_INCLUDE_TAGS=slow, tries every N.  Note: only keqing's allocations (mem.h) fail; SQLite, libxml2,
 * HarfBuzz and libharu allocate with their own allocators.
 */
#include "unit.h"
#include "cli.h"
#include "diag.h"
#include "err.h"
#include "import_xml.h"
#include "fsx.h"
#include "mem.h"
#include "roles.h"
#include "store.h"

#if defined(__has_include) && __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_ARGS 16

static char g_dir[512];

static void setup(void)
{
    const char *d = unit_tmpdir();
    ck_assert_ptr_nonnull(d);
    snprintf(g_dir, sizeof g_dir, "%s", d);
}

static void teardown(void)
{
    mem_fail_after(0);
    unit_sh("rm -rf '%s'", g_dir);
}

/* A path in the test folder, kept until teardown (the argument lists of
 * the commands point at these). */
static const char *in_dir(const char *name)
{
    static char p[64][1024];
    static int n;
    for (int i = 0; i < n; i++)
        if (!strcmp(strrchr(p[i], '/') + 1, name) &&
            !strncmp(p[i], g_dir, strlen(g_dir)) && p[i][strlen(g_dir)] == '/')
            return p[i];
    ck_assert_int_lt(n, 64);
    snprintf(p[n], sizeof p[n], "%s/%s", g_dir, name);
    return p[n++];
}

/* A path in the source tree, kept for the whole run. */
static const char *src(const char *rel)
{
    static char p[16][1024];
    static int n;
    char want[1024];
    snprintf(want, sizeof want, "%s/%s", unit_srcdir(), rel);
    for (int i = 0; i < n; i++)
        if (!strcmp(p[i], want))
            return p[i];
    ck_assert_int_lt(n, 16);
    snprintf(p[n], sizeof p[n], "%s", want);
    return p[n++];
}

/* Run a command (a NULL-terminated list of words, argv[0] first) in this
 * process, stdout and stderr silenced, allocation N failing (0: none).
 * Returns its exit status; *allocs receives the allocations it made. */
static int run_cmd(int (*cmd)(int, char **), const char *const *words,
                   long fail_at, long *allocs)
{
    char *argv[MAX_ARGS + 1];
    int argc = 0, st, out, err, null = open("/dev/null", O_WRONLY);

    for (; words[argc] && argc < MAX_ARGS; argc++)
        argv[argc] = (char *)words[argc];
    argv[argc] = NULL;
    fflush(stdout);
    fflush(stderr);
    out = dup(1);
    err = dup(2);
    if (!getenv("KQ_FAULT_VERBOSE")) {  /* set it to see the messages */
        dup2(null, 1);
        dup2(null, 2);
    }
    mem_fail_after(fail_at);
    st = cmd(argc, argv);
    if (allocs)
        *allocs = mem_count();
    mem_fail_after(0);
    fflush(stdout);
    fflush(stderr);
    dup2(out, 1);
    dup2(err, 2);
    close(out);
    close(err);
    close(null);
    return st;
}

/* The database's whole content, dumped to name (in the test folder). */
static void dump(const char *db, const char *name)
{
    ck_assert_int_eq(unit_sh("sqlite3 '%s' .dump > '%s'", db, in_dir(name)), 0);
}

static int same_file(const char *a, const char *b)
{
    return unit_sh("cmp -s '%s' '%s'", in_dir(a), in_dir(b)) == 0;
}

static void assert_integrity(const char *db, long n)
{
    ck_assert_msg(unit_sh("test \"$(sqlite3 '%s' 'PRAGMA integrity_check')\" = ok",
                          db) == 0, "fault %ld: integrity_check failed", n);
}

/* No "*.tmp.*" anywhere under dir. */
static void assert_no_tmp(const char *dir, long n)
{
    ck_assert_msg(unit_sh("find '%s' -name '*.tmp.*' | grep -q .", dir) != 0,
                  "fault %ld: a temporary file was left under %s", n, dir);
}

/* Every regular file under got/ equals the one of the same name under
 * want/ (a complete output, never a partial one). */
static void assert_outputs_complete(const char *got, const char *want, long n)
{
    ck_assert_msg(unit_sh("cd '%s' && for f in $(find . -type f); do "
                          "cmp -s \"$f\" '%s'/\"$f\" || exit 1; done", got,
                          want) == 0,
                  "fault %ld: an output under %s is not the complete file", n,
                  got);
}

static long env_points(void)
{
    const char *s = getenv("KQ_FAULT_POINTS");
    long dflt = RUNNING_ON_VALGRIND ? 50 : 120;   /* valgrind: ~30x slower */
    long v = s && *s ? strtol(s, NULL, 10) : dflt;
    return v > 40 ? v : dflt;
}

/* The next fault point after n, for a run of total allocations. */
static long next_point(long n, long total, int every)
{
    long points = env_points(), head = 40;
    if (every || total <= points || n < head)
        return n + 1;
    return n + (total - head) / (points - head) + 1;
}

/* ---- the stages ---------------------------------------------------------- */

static int c_import(int argc, char **argv) { return cmd_import(argc, argv); }
static int c_score(int argc, char **argv) { return cmd_score(argc, argv); }
static int c_render(int argc, char **argv) { return cmd_render(argc, argv); }

/* import score_small.part2.xml into a database holding part1. */
static void loop_import(int every)
{
    const char *base = in_dir("base.db"), *db = in_dir("k.db");
    const char *w1[] = {"import", src("tests/data/good/score_small.part1.xml"),
                        "--db", base, "--templates", src("templates"), NULL};
    const char *w2[] = {"import", src("tests/data/good/score_small.part2.xml"),
                        "--db", db, "--templates", src("templates"), NULL};
    long total = 0, tried = 0, failed = 0;

    ck_assert_int_eq(run_cmd(c_import, w1, 0, NULL), 0);
    dump(base, "before.sql");
    ck_assert_int_eq(unit_sh("cp '%s' '%s'", base, db), 0);
    ck_assert_int_eq(run_cmd(c_import, w2, 0, &total), 0);
    ck_assert_int_gt(total, 10);
    for (long n = 1; n <= total; n = next_point(n, total, every)) {
        int st;
        unit_sh("cp '%s' '%s'", base, db);
        st = run_cmd(c_import, w2, n, NULL);
        ck_assert_msg(st == 0 || st == 70, "import, fault %ld of %ld: exit %d",
                      n, total, st);
        assert_integrity(db, n);
        if (st) {
            dump(db, "after.sql");
            ck_assert_msg(same_file("before.sql", "after.sql"),
                          "import, fault %ld: the database changed", n);
            failed++;
        }
        ck_assert_int_ne(unit_sh("test -e '%s-journal'", db), 0);
        tried++;
    }
    ck_assert_int_gt(failed, 0);
    fprintf(stderr, "faults: import: %ld allocations, %ld fault points, "
            "%ld refused with 70\n", total, tried, failed);
}

/* score a database holding score_small.xml. */
static void loop_score(int every)
{
    const char *base = in_dir("base.db"), *db = in_dir("k.db");
    const char *out = in_dir("out"), *good = in_dir("good");
    const char *w1[] = {"import", src("tests/data/good/score_small.xml"), "--db",
                        base, "--templates", src("templates"), NULL};
    const char *ws[] = {"score", "--period", "2026-10", "--db", db,
                        "--templates", src("templates"), "--out", out, NULL};
    const char *wg[] = {"score", "--period", "2026-10", "--db", db,
                        "--templates", src("templates"), "--out", good, NULL};
    long total = 0, tried = 0, failed = 0;

    ck_assert_int_eq(run_cmd(c_import, w1, 0, NULL), 0);
    dump(base, "before.sql");
    unit_sh("cp '%s' '%s'", base, db);
    ck_assert_int_eq(run_cmd(c_score, wg, 0, &total), 0);
    dump(db, "scored.sql");
    for (long n = 1; n <= total; n = next_point(n, total, every)) {
        int st;
        unit_sh("cp '%s' '%s' && rm -rf '%s'", base, db, out);
        st = run_cmd(c_score, ws, n, NULL);
        ck_assert_msg(st == 0 || st == 70, "score, fault %ld of %ld: exit %d",
                      n, total, st);
        assert_integrity(db, n);
        dump(db, "after.sql");
        /* the results are stored in one transaction before the CSVs are
         * written: the database holds either nothing new or all of it */
        ck_assert_msg(same_file("before.sql", "after.sql") ||
                      same_file("scored.sql", "after.sql"),
                      "score, fault %ld: partial results stored", n);
        if (st)
            failed++;
        else
            ck_assert_msg(same_file("scored.sql", "after.sql"),
                          "score, fault %ld: success without results", n);
        assert_no_tmp(g_dir, n);
        unit_sh("mkdir -p '%s'", out);
        assert_outputs_complete(out, good, n);
        tried++;
    }
    ck_assert_int_gt(failed, 0);
    fprintf(stderr, "faults: score: %ld allocations, %ld fault points, "
            "%ld refused with 70\n", total, tried, failed);
}

/* render the persons of a scored score_small.xml, one process. */
static void loop_render(int every)
{
    const char *db = in_dir("k.db"), *out = in_dir("out"), *good = in_dir("good");
    const char *w1[] = {"import", src("tests/data/good/score_small.xml"), "--db",
                        db, "--templates", src("templates"), NULL};
    /* the CSVs elsewhere: good/ then holds what render writes (its
     * manifest lists the CSVs of its folder) */
    const char *ws[] = {"score", "--period", "2026-10", "--db", db,
                        "--templates", src("templates"), "--out",
                        in_dir("csv"), NULL};
    const char *wr[] = {"render", "--period", "2026-10", "--db", db,
                        "--templates", src("templates"), "--out", out,
                        "--jobs", "1", "--only", "persons", NULL};
    const char *wg[] = {"render", "--period", "2026-10", "--db", db,
                        "--templates", src("templates"), "--out", good,
                        "--jobs", "1", "--only", "persons", NULL};
    long total = 0, tried = 0, failed = 0;

    ck_assert_int_eq(run_cmd(c_import, w1, 0, NULL), 0);
    ck_assert_int_eq(run_cmd(c_score, ws, 0, NULL), 0);
    ck_assert_int_eq(run_cmd(c_render, wg, 0, &total), 0);
    /* render registers its documents (doc/archive.md): from here on the
     * same render changes nothing in the database */
    dump(db, "before.sql");
    ck_assert_int_eq(unit_sh("ls '%s'/2026-10/persons/*.pdf >/dev/null", good), 0);
    for (long n = 1; n <= total; n = next_point(n, total, every)) {
        int st;
        unit_sh("rm -rf '%s'", out);
        st = run_cmd(c_render, wr, n, NULL);
        ck_assert_msg(st == 0 || st == 70, "render, fault %ld of %ld: exit %d",
                      n, total, st);
        if (st)
            failed++;
        assert_no_tmp(g_dir, n);
        unit_sh("mkdir -p '%s'", out);
        assert_outputs_complete(out, good, n);
        tried++;
    }
    dump(db, "after.sql");
    ck_assert(same_file("before.sql", "after.sql"));
    assert_integrity(db, 0);
    ck_assert_int_gt(failed, 0);
    fprintf(stderr, "faults: render: %ld allocations, %ld fault points, "
            "%ld refused with 70\n", total, tried, failed);
}

START_TEST(test_nomem_import) { loop_import(0); }
END_TEST
START_TEST(test_nomem_score) { loop_score(0); }
END_TEST
START_TEST(test_nomem_render) { loop_render(0); }
END_TEST
START_TEST(test_nomem_every_point)
{
    loop_import(1);
    unit_sh("rm -rf '%s'/*", g_dir);
    loop_score(1);
    unit_sh("rm -rf '%s'/*", g_dir);
    loop_render(1);
}
END_TEST

/* ---- fuzz regressions ------------------------------------------------------- */

/* Import file into a fresh in-memory database, all-or-nothing then
 * skip-invalid: ERR_OK or ERR_DATA, never a crash (the sanitizer and
 * valgrind runs check memory). */
static void replay_import(const char *file)
{
    char schema[1024];
    const char *files1[1] = {file};
    snprintf(schema, sizeof schema, "%s/templates/schema/erp.xsd", unit_srcdir());
    for (int skip = 0; skip < 2; skip++) {
        struct store *s = NULL;
        struct imp_opts o;
        struct imp_stats st;
        struct diag d;
        struct err e;
        int rc;
        ck_assert_int_eq(store_open(":memory:", 0, &s, &e), ERR_OK);
        memset(&o, 0, sizeof o);
        o.schema = schema;
        o.skip_invalid = skip;
        diag_init(&d, IMP_MAX_DIAG);
        rc = imp_run(s, files1, 1, &o, &st, &d, &e);
        diag_free(&d);
        store_close(s);
        ck_assert_msg(rc == ERR_OK || rc == ERR_DATA, "%s: status %d: %s",
                      file, rc, e.msg);
    }
}

/* Parse a role template with and without role.xsd: ERR_OK or ERR_DATA,
 * and nothing printed on stderr (libxml2 must not talk to the user). */
static void replay_role(const char *file)
{
    char xsd[1024], *data = NULL;
    const char *errf = in_dir("stderr.txt");
    size_t n = 0;
    struct err e;

    snprintf(xsd, sizeof xsd, "%s/templates/schema/role.xsd", unit_srcdir());
    ck_assert_int_eq(fsx_read_file(file, 1 << 20, &data, &n, &e), ERR_OK);
    for (int pass = 0; pass < 2; pass++) {
        struct role r;
        int rc, saved, fd = open(errf, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ck_assert_int_ge(fd, 0);
        fflush(stderr);
        saved = dup(2);
        dup2(fd, 2);
        rc = roles_parse(data, n, file, pass ? xsd : NULL, &r, &e);
        fflush(stderr);
        dup2(saved, 2);
        close(saved);
        close(fd);
        if (rc == ERR_OK)
            roles_free_role(&r);
        ck_assert_msg(rc == ERR_OK || rc == ERR_DATA, "%s: status %d: %s",
                      file, rc, e.msg);
        ck_assert_msg(unit_sh("test -s '%s'", errf) != 0,
                      "%s: libxml2 printed on stderr", file);
    }
    mem_free(data);
}

/* Every file of tests/data/fuzz-regress. */
START_TEST(test_fuzz_regress)
{
    char line[1024];
    const char *list = in_dir("list.txt");
    FILE *fp;
    int files = 0;

    if (unit_sh("ls -d '%s'/tests/data/fuzz-regress/*.xml > '%s' 2>/dev/null",
                unit_srcdir(), list) != 0)
        return;                 /* no findings committed */
    fp = fopen(list, "r");
    ck_assert_ptr_nonnull(fp);
    while (fgets(line, sizeof line, fp)) {
        const char *base;
        line[strcspn(line, "\n")] = '\0';
        base = strrchr(line, '/') ? strrchr(line, '/') + 1 : line;
        if (!strncmp(base, "roles-", 6))
            replay_role(line);
        else
            replay_import(line);
        files++;
    }
    fclose(fp);
    ck_assert_int_gt(files, 0);
}
END_TEST

/* The role loader's message for a template in the wrong encoding is the
 * encoding error itself, with the file (found by fuzz_roles). */
START_TEST(test_role_encoding_message)
{
    char *data = NULL;
    size_t n = 0;
    struct role r;
    struct err e;
    const char *f = src("tests/data/fuzz-regress/roles-encoding-noise.xml");
    ck_assert_int_eq(fsx_read_file(f, 1 << 20, &data, &n, &e), ERR_OK);
    ck_assert_int_eq(roles_parse(data, n, f, NULL, &r, &e), ERR_DATA);
    ck_assert_msg(strstr(e.msg, "roles-encoding-noise.xml:") &&
                  strstr(e.msg, "input conversion failed"), "%s", e.msg);
    mem_free(data);
}
END_TEST

Suite *suite_faults(void)
{
    Suite *s = suite_create("faults");
    TCase *t = tcase_create("nomem");
    const char *tags;

    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 600);
    tcase_add_test(t, test_nomem_import);
    tcase_add_test(t, test_nomem_score);
    tcase_add_test(t, test_nomem_render);
    tcase_add_test(t, test_fuzz_regress);
    tcase_add_test(t, test_role_encoding_message);
    suite_add_tcase(s, t);

    /* every fault point: minutes, so only on request (KQ_SLOW=1, or
     * CK_INCLUDE_TAGS=slow) */
    tags = getenv("CK_INCLUDE_TAGS");
    if ((getenv("KQ_SLOW") && !strcmp(getenv("KQ_SLOW"), "1")) ||
        (tags && strstr(tags, "slow"))) {
        TCase *slow = tcase_create("nomem_every_point");
        tcase_add_checked_fixture(slow, setup, teardown);
        tcase_set_tags(slow, "slow");
        tcase_set_timeout(slow, 3600);
        tcase_add_test(slow, test_nomem_every_point);
        suite_add_tcase(s, slow);
    }
    return s;
}
