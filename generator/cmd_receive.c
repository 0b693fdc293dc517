/* cmd_receive -- `keqing receive SCAN... [--db PATH] [--out DIR]
 * [--received YYYY-MM-DD] [--period YYYY-MM]`: the signed copies come back
 * (doc/archive.md "The signed copies come back"; the work is receive.c's).
 *
 * One line per page on stdout, after everything is committed:
 *
 *   scan.pdf:1: current KQ-202610-000001 (person E00001) page 1/1:
 *       signed 被考核人 考核人; not signed 人力资源部
 *       -> 2026-10/signed/KQ-202610-000001.pdf
 *   scan.pdf:2: outdated KQ-202610-000005 (person E00005) page 1/1,
 *       superseded by KQ-202610-000090: ... -> ...
 *   scan.pdf:3: unmatched: no QR code -> 2026-10/signed/unmatched/...pdf
 *
 * Exit status: 0 every page matched a current document; 1 some page is of
 * an outdated revision; 3 some page unmatched (kept under unmatched/);
 * errors outrank them: 64 usage, 65 a file that is not a scan (nothing
 * registered), 66 a file or the database missing, 70, 73, 74, 75.
 */
#include "cli.h"
#include "err.h"
#include "receive.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>

static const char usage_text[] =
    "Usage: keqing receive SCAN... [--db PATH] [--out DIR]\n"
    "                      [--received YYYY-MM-DD] [--period YYYY-MM]\n"
    "\n"
    "Receive the signed paper copies back from the scanner: PDF, PNG, JPEG\n"
    "and (multi-page) TIFF files, any mix, 150-600 dpi.  Each page is matched\n"
    "by its QR code to the document it belongs to, its signature fields are\n"
    "checked for ink, and it is archived in OUT/YYYY-MM/signed/NUMBER.pdf\n"
    "(a later, different scan of a document: NUMBER-2.pdf, ...); pages that\n"
    "match nothing go to OUT/YYYY-MM/signed/unmatched/.  Each scan file is\n"
    "kept as received in OUT/received/.  Receiving the same file again\n"
    "changes nothing.\n"
    "\n"
    "  --db PATH              database (default $KEQING_DB or keqing.db)\n"
    "  --out DIR              output folder (default out)\n"
    "  --received YYYY-MM-DD  the date received (default: each file's\n"
    "                         modification date, UTC)\n"
    "  --period YYYY-MM       where the unmatched pages of a file without any\n"
    "                         matched page go (default: the month received)\n"
    "\n"
    "Exit status: 0 every page matched a current document, 1 some pages are\n"
    "of an outdated revision, 3 some pages unmatched; 64 usage error, 65 a\n"
    "file that is not a readable scan (nothing was registered), 66 a file\n"
    "or the database missing, 74 I/O error, 75 database busy.\n";

/* The fields of r with ink == want, by their labels. */
static void fields(const struct receive_page_result *r, int want)
{
    int first = 1;
    for (int k = 0; k < r->nfields; k++)
        if (r->ink[k] == want) {
            printf("%s%s", first ? "" : " ", archive_field_label(r->field[k]));
            first = 0;
        }
}

static void report(void *ctx, const struct receive_page_result *r)
{
    int signed_n = 0;
    (void)ctx;
    if (r->state != RECEIVE_CURRENT && r->state != RECEIVE_OUTDATED) {
        printf("%s:%d: unmatched: %s: %s -> %s\n", r->file, r->page,
               receive_state_name(r->state), r->why, r->stored);
        return;
    }
    printf("%s:%d: %s %s (%s %s) page %d/%d", r->file, r->page,
           receive_state_name(r->state), r->number, r->kind, r->subject,
           r->doc_page, r->doc_pages ? r->doc_pages : r->doc_page);
    if (r->state == RECEIVE_OUTDATED)
        printf(", superseded by %s: signed on an outdated revision",
               r->superseded_by[0] ? r->superseded_by : "?");
    for (int k = 0; k < r->nfields; k++)
        signed_n += r->ink[k];
    if (r->nfields) {
        printf(":");
        if (signed_n) {
            printf(" signed ");
            fields(r, 1);
        }
        if (signed_n < r->nfields) {
            printf("%s not signed ", signed_n ? ";" : "");
            fields(r, 0);
        }
    }
    printf(" -> %s\n", r->stored);
}

static void known(void *ctx, const char *file, const char *date)
{
    (void)ctx;
    if (date[0])
        printf("%s: received before (%s): nothing changed\n", file, date);
    else
        printf("%s: the same file as one given before it: received once\n",
               file);
}

int cmd_receive(int argc, char **argv)
{
    const char *dbopt = NULL, *out = "out", *received = NULL, *period = NULL;
    const struct cli_opt opts[] = {
        {"--db", NULL, CLI_TEXT, &dbopt, "PATH", 0, 0, 0},
        {"--out", "-o", CLI_TEXT, &out, "DIR", 0, 0, 0},
        {"--received", NULL, CLI_TEXT, &received, "YYYY-MM-DD", 0, 0, 0},
        {"--period", NULL, CLI_TEXT, &period, "YYYY-MM", 0, 0, 0},
    };
    char **files = argv;
    struct receive_opts o;
    struct receive_stats st;
    struct err e;
    int n = 0, rc;

    if ((rc = cli_parse("receive", usage_text, opts,
                        sizeof opts / sizeof *opts, argc, argv, files,
                        &n)) >= 0)
        return rc;
    if (n == 0)
        return cli_usage("receive", "no SCAN given");
    if (period && (strlen(period) != 7 || period[4] != '-'))
        return cli_usage("receive", "--period '%s' is not a month YYYY-MM",
                         period);
    err_clear(&e);
    /* every page is a few large buffers of the same sizes (the raster, its
     * gray copy, its JPEG): keep them in the heap for the next page
     * instead of mapping and faulting in fresh pages each time (a third
     * of the time went to page faults) */
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
    o.db = cli_db_path(dbopt);
    o.out = out;
    o.received = received;
    o.period = period;
    if (receive_run(&o, (const char *const *)files, n, report, known, NULL,
                    &st, &e)) {
        fflush(stdout);
        return cli_fail(&e);
    }
    fflush(stdout);
    fprintf(stderr, "receive: %d files (%d received before), %d pages: %d "
            "current, %d outdated, %d unmatched; %d signed copies\n",
            st.files, st.known, st.pages, st.current, st.outdated,
            st.unmatched, st.copies);
    return st.unmatched ? 3 : st.outdated ? 1 : 0;
}
