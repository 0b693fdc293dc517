/* cmd_render -- `keqing render --period YYYY-MM [--db PATH] [--out DIR]
 * [--templates DIR] [--font FILE[:INDEX]] [--fonts DIR] [--jobs N]
 * [--only persons,regions,packets] [--duplex]`: draw the PDFs of a scored
 * period from its stored results (shared/spec/cli.md).
 *
 * Writes, each atomically: the person sheets OUT/YYYY-MM/persons/<id>.pdf,
 * the region summary sheets OUT/YYYY-MM/regions/<region_id>.pdf for every
 * node of the region tree, and the packets OUT/YYYY-MM/packets/
 * <region_id>.pdf (summary + every member's sheet, bookmarks, packet-wide
 * page numbers; --duplex starts each sheet on a front page); then
 * OUT/YYYY-MM/manifest.csv.  Without --only all three.
 *
 * The options are read by cli_parse; the work is render.h's
 * (render_run): every document gets its number from the registry
 * of issued documents (doc/archive.md) before anything is drawn; N worker
 * processes (--jobs, default the number of CPUs) draw them, the largest
 * packets first; a document already issued for the same data and
 * template, whose file is intact, is not drawn again.  The files are
 * byte-identical whatever --jobs is.  A character no face of the font
 * chain has prints as the placeholder 〓 (doc/fonts.md); a document that
 * cannot be drawn at all is reported and the others are still rendered;
 * the exit status is then 65.  A progress bar on a terminal;
 * the summary on stdout.
 *
 * Exit status: 0; 64 usage; 65 bad data (unscored period, broken
 * template, text the font cannot show, an id that cannot be a file name);
 * 66 no database, templates or font; 70; 73 cannot create an output; 74;
 * 75 database busy.
 */
#include "render.h"
#include "cli.h"
#include "date.h"
#include "period.h"
#include "err.h"
#include "progress.h"
#include "store_registry.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

static const char usage_text[] =
    "Usage: keqing render --period YYYY-MM [--db PATH] [--out DIR]\n"
    "                     [--templates DIR] [--font FILE[:INDEX]] [--fonts DIR]\n"
    "                     [--jobs N]\n"
    "                     [--only persons,regions,packets] [--duplex]\n"
    "\n"
    "Draw the PDFs of a scored period from the stored results: each assessed\n"
    "person's sheet in OUT/YYYY-MM/persons/<person_id>.pdf, each region's\n"
    "summary in OUT/YYYY-MM/regions/<region_id>.pdf and each region's packet\n"
    "(summary + every member's sheet, bookmarked) in\n"
    "OUT/YYYY-MM/packets/<region_id>.pdf, then OUT/YYYY-MM/manifest.csv.\n"
    "Every document gets its number from the registry of issued documents\n"
    "in the database; one already issued for the same data and templates,\n"
    "whose file is intact, is not drawn again.  The same data always gives\n"
    "byte-identical files.\n"
    "\n"
    "  --period YYYY-MM   the month to render (required; run score first)\n"
    "  --db PATH          database (default $KEQING_DB or keqing.db)\n"
    "  --out DIR          output folder (default out)\n"
    "  --templates DIR    templates folder (sheet/person.xml,\n"
    "                     sheet/region.xml, roles/)\n"
    "  --font FILE[:N]    the chain's main TrueType face (default\n"
    "                     $KEQING_FONT, else the first of families.conf)\n"
    "  --fonts DIR        folder of the families.conf that lists the font\n"
    "                     chain (default $KEQING_FONTS, else the shipped one)\n"
    "  --jobs N           worker processes (default: number of CPUs)\n"
    "  --only LIST        what to render, comma-separated: persons,\n"
    "                     regions, packets (default: all three)\n"
    "  --duplex           packets for two-sided printing: every person's\n"
    "                     sheet starts on a front page (blank backs added)\n";

/* What to render (--only). */
struct kinds {
    int persons, regions, packets;
};

/* Check --only: 0 and *k set (all three without --only), or an exit
 * status. */
static int parse_only(const char *only, struct kinds *k)
{
    const char *p = only;
    k->persons = k->regions = k->packets = !only;
    while (p && *p) {
        size_t n = strcspn(p, ",");
        if (n == 7 && !strncmp(p, "persons", 7))
            k->persons = 1;
        else if (n == 7 && !strncmp(p, "regions", 7))
            k->regions = 1;
        else if (n == 7 && !strncmp(p, "packets", 7))
            k->packets = 1;
        else
            return cli_usage("render", "--only: unknown kind '%.*s' (persons, "
                             "regions, packets)", (int)n, p);
        p += n + (p[n] == ',');
    }
    if (!k->persons && !k->regions && !k->packets)
        return cli_usage("render", "--only: nothing to render");
    return 0;
}

/* ---- the run ------------------------------------------------------------ */

static void on_error(void *ctx, const struct err *e)
{
    (void)ctx;
    cli_fail(e);
}

/* The summary lines of the run. */
static void report(const struct render_opts *o, const struct kinds *k,
                   const char *pm, const struct render_stats *st)
{
    const int P = STORE_DOC_PERSON, R = STORE_DOC_REGION, K = STORE_DOC_PACKET;

    if (k->persons)
        printf("render %s: %ld person sheets in %s/%s/persons (%lld bytes, "
               "%.2f s, %ld jobs; %ld written, %ld up to date)\n", pm,
               st->written[P] + st->up[P], o->out, pm, st->kind_bytes[P],
               st->plan_s + st->render_s, (long)o->jobs, st->written[P],
               st->up[P]);
    if (k->regions)
        printf("render %s: %ld region sheets in %s/%s/regions (%lld bytes; "
               "%ld written, %ld up to date)\n", pm,
               st->written[R] + st->up[R], o->out, pm, st->kind_bytes[R],
               st->written[R], st->up[R]);
    if (k->packets)
        printf("render %s: %ld packets in %s/%s/packets (%ld pages, %lld "
               "bytes%s; %ld written, %ld up to date)\n", pm,
               st->written[K] + st->up[K], o->out, pm, st->packet_pages,
               st->kind_bytes[K], o->duplex ? ", duplex" : "",
               st->written[K], st->up[K]);
    printf("render %s: %zu new document numbers, %zu superseded; manifest "
           "%s/%s/manifest.csv (%ld files); %.2f s\n", pm, st->allocated,
           st->superseded, o->out, pm, st->manifest_rows,
           st->plan_s + st->render_s);
}

int cmd_render(int argc, char **argv)
{
    const char *db = NULL, *tpl = NULL, *fonts = NULL, *only = NULL;
    long jobs = cli_default_jobs();
    struct kinds k;
    struct render_opts bo = {.out = "out"};
    struct render_stats st;
    struct progress p;
    char tdir[PATH_MAX], fam[PATH_MAX], pm[8];
    struct err e;
    int rc, s;

    {
        const struct cli_opt opts[] = {
            cli_opt_period(&bo.per, 1),
            cli_opt_db(&db),
            {"--out", NULL, CLI_TEXT, &bo.out, "DIR", 0, 0, 0},
            cli_opt_templates(&tpl),
            cli_opt_font(&bo.font),
            cli_opt_fonts(&fonts),
            {"--jobs", NULL, CLI_NUMBER, &jobs, "N", 1, RENDER_MAX_JOBS, 0},
            {"--only", NULL, CLI_TEXT, &only, "LIST", 0, 0, 0},
            {"--duplex", NULL, CLI_FLAG, &bo.duplex, NULL, 0, 0, 0},
        };
        if ((s = cli_parse("render", usage_text, opts,
                           sizeof opts / sizeof *opts, argc, argv, NULL,
                           NULL)) >= 0)
            return s;
    }
    if ((s = parse_only(only, &k)))
        return s;
    err_clear(&e);
    if (cli_templates_dir(tpl, tdir, sizeof tdir, &e) ||
        cli_families_file(fonts, fam, sizeof fam, &e))
        return cli_fail(&e);
    /* a bar on a terminal; otherwise only the summary (stdout) */
    progress_init(&p, stderr, cli_stderr_tty() ? PROGRESS_BAR
                                               : PROGRESS_QUIET);
    bo.db = cli_db_path(db);
    bo.templates = tdir;
    bo.families = fam[0] ? fam : NULL;
    bo.jobs = (int)jobs;
    bo.kinds = (k.persons ? RENDER_PERSONS : 0) |
               (k.regions ? RENDER_REGIONS : 0) |
               (k.packets ? RENDER_PACKETS : 0);
    bo.progress = &p;
    bo.on_error = on_error;
    rc = render_run(&bo, &st, &e);
    period_format(&bo.per, pm);
    if (!rc || rc == ERR_DATA)
        if (st.docs || !rc)
            report(&bo, &k, pm, &st);
    fflush(stdout);
    return rc ? cli_fail(&e) : 0;
}
