/* cmd_returns -- `keqing returns --period P [--region ID] [--csv] [--db
 * PATH]`: which signed copies of a period came back (doc/archive.md "The
 * signed copies come back"; states: receive.h).
 *
 * Text: one line per current document of the period, then per region the
 * counts of each state.  --csv: the header
 * document,kind,subject,region,state,fields_signed,scan,received and one
 * row per document (fields separated by ';').
 * Exit status: 0; 64 usage, 66 the database missing or no export for the
 * period, 74, 75.
 */
#include "cli.h"
#include "csvout.h"
#include "err.h"
#include "period.h"
#include "receive.h"
#include "store.h"
#include "store_signed.h"

#include <stdio.h>
#include <string.h>

static const char usage_text[] =
    "Usage: keqing returns --period YYYY-MM [--region ID] [--csv] [--db PATH]\n"
    "\n"
    "Which signed copies of the period's documents came back (keqing\n"
    "receive): for each current document its state - signed, partly signed\n"
    "(which fields are missing), unsigned, incomplete (pages missing), not\n"
    "returned, outdated revision (only a superseded issue was signed) - and\n"
    "per region the counts.\n"
    "\n"
    "  --period YYYY-MM   the period (required)\n"
    "  --region ID        only the documents of this region's subtree\n"
    "  --csv              CSV on stdout: document,kind,subject,region,state,\n"
    "                     fields_signed,scan,received\n"
    "  --db PATH          database (default $KEQING_DB or keqing.db)\n"
    "\n"
    "Exit status: 0; 64 usage error, 66 the database missing, 74 I/O error,\n"
    "75 database busy.\n";

#define MAX_REGIONS 4096

struct tally {
    int csv;
    int n;
    char region[MAX_REGIONS][128];
    int count[MAX_REGIONS][ARCHIVE_RET_N];
    int total[ARCHIVE_RET_N];
};

/* "sign-assessee,sign-hr" as "assessee;hr" (the CSV's fields_signed). */
static void csv_fields(const char *list, char *out, size_t n)
{
    size_t len = 0;

    out[0] = '\0';
    for (const char *p = list; *p && len + 1 < n;) {
        if (!strncmp(p, "sign-", 5))
            p += 5;
        while (*p && *p != ',' && len + 1 < n)
            out[len++] = *p++;
        if (*p == ',') {
            out[len++] = ';';
            p++;
        }
    }
    out[len < n ? len : n - 1] = '\0';
}

static int one(void *ctx, const struct store_return *r, struct err *e)
{
    struct tally *t = ctx;
    enum archive_return st = archive_return_of(r);
    int i;

    for (i = 0; i < t->n && strcmp(t->region[i], r->region); i++)
        ;
    if (i == t->n) {
        if (t->n == MAX_REGIONS)
            return err_set(e, ERR_DATA, "returns: more than %d regions",
                           MAX_REGIONS);
        snprintf(t->region[t->n++], sizeof t->region[0], "%s", r->region);
    }
    t->count[i][st]++;
    t->total[st]++;
    if (t->csv) {
        char fields[STORE_SIGNED_TEXT_MAX];
        const char *v[8] = {r->number, r->kind, r->subject, r->region,
                            archive_return_name(st), fields, r->scan,
                            r->received};
        csv_fields(r->signed_fields, fields, sizeof fields);
        for (int k = 0; k < 8; k++) {
            if (k)
                putchar(',');
            csvout_field(stdout, v[k]);
        }
        putchar('\n');
        return ERR_OK;
    }
    printf("%s %s %s (%s): %s", r->number, r->kind, r->subject, r->region,
           archive_return_name(st));
    if (st == ARCHIVE_RET_PARTLY || st == ARCHIVE_RET_UNSIGNED) {
        char blank[STORE_SIGNED_TEXT_MAX];
        archive_fields_text(r->blank_fields, blank, sizeof blank);
        printf(", not signed: %s", blank);
    } else if (st == ARCHIVE_RET_INCOMPLETE)
        printf(", %d of %d pages", r->pages_back, r->pages);
    else if (st == ARCHIVE_RET_OUTDATED)
        printf(", %s came back", r->outdated_number);
    if (r->scan[0])
        printf(" [%s, %s]", r->scan, r->received);
    printf("\n");
    return ERR_OK;
}

int cmd_returns(int argc, char **argv)
{
    const char *dbopt = NULL, *region = NULL;
    struct period p;
    int csv = 0, rc;
    const struct cli_opt opts[] = {
        {"--period", NULL, CLI_PERIOD, &p, "YYYY-MM", 0, 0, 1},
        {"--region", NULL, CLI_TEXT, &region, "ID", 0, 0, 0},
        {"--csv", NULL, CLI_FLAG, &csv, NULL, 0, 0, 0},
        {"--db", NULL, CLI_TEXT, &dbopt, "PATH", 0, 0, 0},
    };
    static struct tally t;
    struct store *s = NULL;
    struct err e;

    if ((rc = cli_parse("returns", usage_text, opts,
                        sizeof opts / sizeof *opts, argc, argv, NULL,
                        NULL)) >= 0)
        return rc;
    err_clear(&e);
    memset(&t, 0, sizeof t);
    t.csv = csv;
    if (store_open(cli_db_path(dbopt), STORE_READONLY, &s, &e))
        return cli_fail(&e);
    if (csv)
        printf("document,kind,subject,region,state,fields_signed,scan,"
               "received\n");
    {
        char text[16];
        snprintf(text, sizeof text, "%04d-%02d", p.year % 10000,
                 p.month % 100);
        rc = store_signed_each(s, text, region, one, &t, &e);
    }
    store_close(s);
    if (rc)
        return cli_fail(&e);
    if (!csv) {
        for (int i = 0; i < t.n; i++) {
            printf("region %s:", t.region[i]);
            for (int k = 0; k < ARCHIVE_RET_N; k++)
                if (t.count[i][k])
                    printf(" %d %s", t.count[i][k], archive_return_name(k));
            printf("\n");
        }
        printf("all:");
        for (int k = 0; k < ARCHIVE_RET_N; k++)
            if (t.total[k])
                printf(" %d %s", t.total[k], archive_return_name(k));
        printf("\n");
    }
    fflush(stdout);
    return 0;
}
