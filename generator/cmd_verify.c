/* cmd_verify -- `keqing verify FILE... [--db PATH]`: for each PDF, is it a
 * document keqing issued, unchanged?  (shared/spec/cli.md,
 * doc/archive.md; the checks are archive_verify.c's.)
 *
 * The options are read by cli_parse (`--` before a FILE that starts with
 * a dash).  An argument that is no file but a document number or a QR
 * code's text (archive_docref.h) is looked up as a reference
 * (archive_verify_ref).
 *
 * One line per file on stdout, the state first so scripts can cut it:
 *
 *   FILE: issued KQ-202610-000123 (person E0001, 2026-10)
 *   FILE: superseded KQ-202610-000005 by KQ-202610-000130 (person ...)
 *   FILE: modified: claims KQ-202610-000123 (person E0001, 2026-10) but
 *         differs from the issued file
 *   FILE: unknown: not in the registry of DB
 *
 * An issued or superseded document's line ends with what came back of it
 * ("; signed copy: partly signed, not signed: 人力资源部, received
 * 2026-11-05 (scan.pdf:3)" or "; no signed copy received"); a signed copy
 * of the archive is "FILE: signed copy 1 of NUMBER, received DATE; ..."
 * (state 0).
 *
 * Exit status, the worst file wins: 0 every file issued and current;
 * 1 some superseded; 2 some modified; 3 some unknown.  Errors take
 * precedence: 64 usage, 66 a file or the database missing or unreadable
 * (the other files are still checked), 65 a file too large or a damaged
 * registry, 70, 74 I/O, 75 database busy.
 */
#include "cli.h"
#include "err.h"
#include "store.h"
#include "store_registry.h"
#include "archive_verify.h"
#include "archive_returns.h"
#include "store_signed.h"
#include "fsx.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
    "Usage: keqing verify FILE|NUMBER... [--db PATH]\n"
    "\n"
    "Check PDFs against the registry of issued documents: for each file, one\n"
    "line saying whether it is issued (byte-identical to the current issue of\n"
    "its document), superseded (identical to an issue a correction replaced),\n"
    "modified (claims a registered number, but its bytes differ) or unknown\n"
    "(not issued by this registry: another company's, or not keqing's).\n"
    "A document number printed on paper (KQ-202610-000123), or the text of\n"
    "its QR code (\"KQ-202610-000123 3F9A1C2E 3F9A1C2E7B40\"), is checked the\n"
    "same way without the file.\n"
    "\n"
    "  --db PATH   database (default $KEQING_DB or keqing.db)\n"
    "\n"
    "Exit status (the worst file wins): 0 all issued and current, 1 some\n"
    "superseded, 2 some modified, 3 some unknown; 64 usage error, 66 a file\n"
    "or the database missing or unreadable, 74 I/O error, 75 database busy.\n";

/* What came back of a known document, as a tail of its line: "; signed
 * copy: partly signed (not signed: 人力资源部), received 2026-11-05". */
static int scan_state(struct store *s, const struct archive_verify_result *r,
                      char *tail, size_t n, struct err *e)
{
    struct store_return ret;
    enum archive_return st;
    char blank[512];
    int rc;

    tail[0] = '\0';
    if (r->state == ARCHIVE_VERIFY_UNKNOWN || !r->doc.number[0])
        return ERR_OK;
    if ((rc = store_signed_of(s, r->doc.number, &ret, e)))
        return rc;
    st = archive_return_of(&ret);
    if (st == ARCHIVE_RET_NOT_RETURNED || st == ARCHIVE_RET_OUTDATED) {
        snprintf(tail, n, "; no signed copy received");
        return ERR_OK;
    }
    archive_fields_text(ret.blank_fields, blank, sizeof blank);
    snprintf(tail, n, "; signed copy: %s%s%s, received %s (%s)",
             archive_return_name(st), blank[0] ? ", not signed: " : "", blank,
             ret.received, ret.scan);
    return ERR_OK;
}

/* *is 1 when file is a signed copy of the archive (printed as such).
 * The database's errors. */
static int signed_copy(struct store *s, const char *file, int *is,
                       struct err *e)
{
    char sha[65], number[24], received[11], tail[1024];
    struct archive_verify_result r;
    long long bytes = 0;
    int found = 0, version = 0, rc;

    *is = 0;
    if (fsx_sha256_file(file, sha, &bytes, e)) {
        err_clear(e);           /* not a file: it was a reference */
        return ERR_OK;
    }
    if ((rc = store_signed_copy_by_sha256(s, sha, &found, number, &version,
                                          received, e)) || !found)
        return rc;
    memset(&r, 0, sizeof r);
    snprintf(r.doc.number, sizeof r.doc.number, "%s", number);
    r.state = ARCHIVE_VERIFY_ISSUED;
    if ((rc = scan_state(s, &r, tail, sizeof tail, e)))
        return rc;
    printf("%s: signed copy %d of %s, received %s%s\n", file, version,
           number, received, tail);
    *is = 1;
    return ERR_OK;
}

/* Exit status of each state; errors (>= 64) outrank them all. */
static const int state_exit[] = {0, 1, 2, 3};

static void print_line(const char *file, const struct archive_verify_result *r,
                       const char *db, const char *tail)
{
    const struct store_doc *d = &r->doc;

    switch (r->state) {
    case ARCHIVE_VERIFY_ISSUED:
        printf("%s: issued %s (%s %s, %s)", file, d->number,
               store_doc_kind_name(d->kind), d->subject, d->period);
        break;
    case ARCHIVE_VERIFY_SUPERSEDED:
        printf("%s: superseded %s by %s (%s %s, %s)", file, d->number,
               d->superseded_by[0] ? d->superseded_by : "?",
               store_doc_kind_name(d->kind), d->subject, d->period);
        if (r->current[0] && strcmp(r->current, d->superseded_by))
            printf("; the current issue is %s", r->current);
                break;
    case ARCHIVE_VERIFY_MODIFIED:
        if (r->hash_differs)
            printf("%s: modified: %s (%s %s, %s) was issued with data "
                   "%.8s, the code says %.8s", file, d->number,
                   store_doc_kind_name(d->kind), d->subject, d->period,
                   d->data_hash, r->claimed_hash);
        else
            printf("%s: modified: claims %s (%s %s, %s) but differs from "
                   "the issued file", file, d->number,
                   store_doc_kind_name(d->kind), d->subject, d->period);
        break;
    default:
        if (r->foreign)
            printf("%s: unknown: issued by registry %s, not by the registry "
                   "of %s (%s)", file, r->claimed_registry, db,
                   r->registry[0] ? r->registry : "none yet");
        else if (r->never_issued)
            printf("%s: unknown: %s is allocated in %s but no file was "
                   "issued under it", file, r->claimed, db);
        else if (r->claimed[0])
            printf("%s: unknown: claims %s, which is not in the registry of "
                   "%s", file, r->claimed, db);
        else
            printf("%s: unknown: not in the registry of %s", file, db);
    }
    printf("%s\n", tail);
}

int cmd_verify(int argc, char **argv)
{
    const char *dbopt = NULL, *db;
    const struct cli_opt opts[] = {
        cli_opt_db(&dbopt),
    };
    char **files = argv;        /* the FILEs, compacted to argv's front */
    struct store *s = NULL;
    struct err e;
    int n = 0, worst = 0, failed = 0, st;

    if ((st = cli_parse_files("verify", usage_text, opts,
                              sizeof opts / sizeof *opts, argc, argv, &n,
                              "no FILE given")) >= 0)
        return st;
    err_clear(&e);
    db = cli_db_path(dbopt);
    if (store_open(db, STORE_READONLY, &s, &e))
        return cli_fail(&e);
    for (int i = 0; i < n; i++) {
        struct archive_verify_result r;
        struct docref ref;
        char tail[1024];
        int rc;
        /* a printed number or a QR code's text, when no such file */
        if (access(files[i], F_OK) != 0 &&
            archive_docref_parse(files[i], strlen(files[i]), &ref))
            rc = archive_verify_ref(s, &ref, &r, &e);
        else
            rc = archive_verify_file(s, files[i], &r, &e);
        if (rc) {
            int x = cli_fail(&e);
            failed = failed > x ? failed : x;
            if (rc != ERR_NOINPUT && rc != ERR_DATA)
                break;          /* the database itself failed */
            continue;
        }
        {
            int is = 0;
            if ((r.state == ARCHIVE_VERIFY_UNKNOWN &&
                 (rc = signed_copy(s, files[i], &is, &e))) ||
                (!is && (rc = scan_state(s, &r, tail, sizeof tail, &e)))) {
                int x = cli_fail(&e);
                failed = failed > x ? failed : x;
                break;          /* the database failed */
            }
            if (is)
                continue;       /* a signed copy of ours: state 0 */
        }
        print_line(files[i], &r, db, tail);
        if (state_exit[r.state] > worst)
            worst = state_exit[r.state];
    }
    store_close(s);
    fflush(stdout);
    return failed ? failed : worst;
}
