/* fuzz_import -- libFuzzer target for stage 1 (import_xml.c + store_import.c).
 *
 * Each input is handed to imp_run as one export file (an anonymous memfd,
 * named /proc/self/fd/N) and imported into a fresh in-memory database:
 * all-or-nothing when the input's size is even, with skip_invalid when it
 * is odd (mutations flip between both).  An import that succeeds is run a
 * second time into the now filled database, so that the replace/restore
 * paths of store_import are exercised too.  After each run the database must pass
 * PRAGMA integrity_check, and a refused run must not have changed the
 * row count; anything else aborts (a finding).
 *
 * Build and run: make fuzz FUZZ_SECONDS=N (see the Makefile; the schema is
 * found under $KQ_SRCDIR, default ".").
 */
#define _GNU_SOURCE
#include "diag.h"
#include "err.h"
#include "import_xml.h"
#include "store.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static char g_schema[1024];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *src = getenv("KQ_SRCDIR");
    (void)argc;
    (void)argv;
    snprintf(g_schema, sizeof g_schema, "%s/templates/schema/erp.xsd",
             src && *src ? src : ".");
    if (access(g_schema, R_OK) != 0) {
        fprintf(stderr, "fuzz_import: %s not found (set KQ_SRCDIR)\n", g_schema);
        exit(1);
    }
    return 0;
}

/* The input as a file: a memfd holding exactly data[0..size). */
static int input_file(const uint8_t *data, size_t size, char *path, size_t n)
{
    int fd = memfd_create("fuzz-input", MFD_CLOEXEC);
    size_t off = 0;
    if (fd < 0)
        abort();
    while (off < size) {
        ssize_t w = write(fd, data + off, size - off);
        if (w <= 0)
            abort();
        off += (size_t)w;
    }
    snprintf(path, n, "/proc/self/fd/%d", fd);
    return fd;
}

static long long rows(struct store *s)
{
    long long v = -1;
    struct err e;
    if (store_query_int(s, "SELECT (SELECT count(*) FROM import) + "
                        "(SELECT count(*) FROM region) + "
                        "(SELECT count(*) FROM person) + "
                        "(SELECT count(*) FROM customer)", &v, &e))
        abort();
    return v;
}

static void check_integrity(struct store *s)
{
    long long ok = 0;
    struct err e;
    if (store_query_int(s, "SELECT count(*) FROM pragma_integrity_check "
                        "WHERE integrity_check = 'ok'", &ok, &e) || ok != 1)
        abort();
}

/* One import run of path into s; checks the all-or-nothing promise.
 * Returns the status of imp_run. */
static int run_once(struct store *s, const char *path, int skip)
{
    const char *files[1] = {path};
    struct imp_opts o;
    struct imp_stats st;
    struct diag d;
    struct err e;
    long long before = rows(s);
    int rc;

    memset(&o, 0, sizeof o);
    o.schema = g_schema;
    o.skip_invalid = skip;
    diag_init(&d, IMP_MAX_DIAG);
    err_clear(&e);
    rc = imp_run(s, files, 1, &o, &st, &d, &e);
    diag_free(&d);
    if (rc != ERR_OK && rc != ERR_DATA) {
        fprintf(stderr, "fuzz_import: unexpected status %d: %s\n", rc, e.msg);
        abort();
    }
    if (rc == ERR_DATA && rows(s) != before) {
        fprintf(stderr, "fuzz_import: a refused run changed the database\n");
        abort();
    }
    check_integrity(s);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    struct store *s = NULL;
    struct err e;
    int fd;

    if (size > 1 << 20)         /* bigger inputs only slow the search */
        return 0;
    fd = input_file(data, size, path, sizeof path);
    if (store_open(":memory:", 0, &s, &e)) {
        fprintf(stderr, "fuzz_import: %s\n", e.msg);
        abort();
    }
    if (run_once(s, path, (int)(size & 1)) == ERR_OK)
        run_once(s, path, (int)(size & 1));
    store_close(s);
    close(fd);
    return 0;
}
