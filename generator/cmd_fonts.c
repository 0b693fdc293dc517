/* cmd_fonts -- `keqing fonts [--font FILE[:N]] [--fonts DIR]
 * [--period YYYY-MM [--db PATH]] [--templates DIR]`: the font chain as it
 * is - each face, its file, what it draws, the entries of families.conf
 * left out and why, the chain's coverage per Unicode block - and, with
 * --period, every text a scored period's documents print from the data
 * checked against it before rendering (doc/fonts.md).  Options are read
 * by cli_parse; the chain is font.h's, the period's texts store_period's.
 *
 * Exit status: 0 (every checked text drawn by a face); 65 some character
 * no face has (listed, with the way out; the documents would print the
 * placeholder for it) or a template text the chain cannot draw; 64
 * usage; 66 no font, database, templates or families.conf; 70; 74; 75.
 */
#include "cli.h"
#include "date.h"
#include "period.h"
#include "err.h"
#include "font.h"
#include "store.h"
#include "store_period.h"
#include "sheet_person.h"
#include "sheet_region.h"
#include "text.h"
#include "tmpl_region.h"
#include "tmpl_sheet.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

static const char usage_text[] =
    "Usage: keqing fonts [--font FILE[:N]] [--fonts DIR] [--templates DIR]\n"
    "                    [--period YYYY-MM [--db PATH]]\n"
    "\n"
    "List the font chain the PDFs are drawn with: each face (the main face,\n"
    "then each fallback in order; every character comes from the first face\n"
    "that has it), its file, how many characters it draws, the entries of\n"
    "families.conf left out and why, and the chain's coverage of each CJK\n"
    "Unicode block.  With --period, check every text the period's documents\n"
    "print from the data (names of people, regions and customers at risk,\n"
    "the company) and the sheet templates against the chain.\n"
    "\n"
    "  --font FILE[:N]    the chain's main face (default $KEQING_FONT, else\n"
    "                     the first entry of families.conf)\n"
    "  --fonts DIR        folder of the families.conf (default\n"
    "                     $KEQING_FONTS, else the shipped one)\n"
    "  --templates DIR    templates folder (sheet texts checked)\n"
    "  --period YYYY-MM   a scored period whose texts to check\n"
    "  --db PATH          database (default $KEQING_DB or keqing.db)\n"
    "\n"
    "Exit status: 0 every checked text can be drawn by a face, 65 some\n"
    "character no face has (listed with the way out), 64 usage error, 66 no\n"
    "font, database or families.conf.\n";

/* CJK blocks, each a range of code points every one of which is assigned
 * (Unicode 15.0; the compatibility block has a gap, counted). */
static const struct block {
    const char *name;
    uint32_t first, last;
    int gb18030;        /* required by GB 18030-2022 level 3 */
} blocks[] = {
    {"CJK Unified Ideographs", 0x4E00, 0x9FFF, 1},
    {"CJK Extension A", 0x3400, 0x4DBF, 1},
    {"CJK Extension B", 0x20000, 0x2A6DF, 1},
    {"CJK Extension C", 0x2A700, 0x2B739, 1},
    {"CJK Extension D", 0x2B740, 0x2B81D, 1},
    {"CJK Extension E", 0x2B820, 0x2CEA1, 1},
    {"CJK Extension F", 0x2CEB0, 0x2EBE0, 1},
    {"CJK Extension G", 0x30000, 0x3134A, 0},
    {"CJK Extension H", 0x31350, 0x323AF, 0},
    {"CJK Compatibility Ideographs", 0xF900, 0xFAD9, 0},
    {"CJK Compatibility Supplement", 0x2F800, 0x2FA1D, 0},
    {"CJK Radicals Supplement", 0x2E80, 0x2EF3, 0},
    {"Kangxi Radicals", 0x2F00, 0x2FD5, 0},
    {"CJK Symbols and Punctuation", 0x3000, 0x303F, 0},
    {"Enclosed CJK Letters and Months", 0x3200, 0x32FF, 0},
    {"Halfwidth and Fullwidth Forms", 0xFF01, 0xFFEE, 0},
};

/* The code points of these blocks that are not assigned (Unicode 15.0). */
static int unassigned(uint32_t cp)
{
    static const uint32_t gaps[][2] = {
        {0xFA6E, 0xFA6F}, {0x2E9A, 0x2E9A}, {0x321F, 0x321F},
        {0xFFBF, 0xFFC1}, {0xFFC8, 0xFFC9}, {0xFFD0, 0xFFD1},
        {0xFFD8, 0xFFD9}, {0xFFDD, 0xFFDF}, {0xFFE7, 0xFFE7}};
    for (size_t i = 0; i < sizeof gaps / sizeof *gaps; i++)
        if (cp >= gaps[i][0] && cp <= gaps[i][1])
            return 1;
    return 0;
}

struct opts {
    const char *font, *fonts, *templates, *db;
    struct period per;          /* year 0: no --period */
};

/* The chain, its faces and what each draws. */
static void print_chain(const struct font *f, const char *families)
{
    long draws[FONT_CHAIN_MAX] = {0};
    const char *entry, *why;
    size_t nskip = font_chain_skipped(f, 0, &entry, &why);
    uint32_t ph = font_placeholder(f);
    char ch[5];

    for (uint32_t cp = 0x20; cp <= 0x323AF; cp++) {
        int k = font_chain_pos(f, cp);
        if (k >= 0)
            draws[k]++;
    }
    printf("font chain: %d face%s, from %s\n", font_chain_count(f),
           font_chain_count(f) == 1 ? "" : "s",
           families ? families : "the built-in list");
    for (int k = 0; k < font_chain_count(f); k++) {
        const struct font *face = font_chain_face(f, k);
        printf("  %d  %-22s %s:%u  draws %ld characters\n", k + 1,
               font_family(face), font_file(face), font_face_index(face),
               draws[k]);
    }
    if (ph) {
        ch[text_utf8_encode(ph, ch)] = '\0';
        printf("a character no face has prints as U+%04X '%s' (face %d); "
               "its text layer keeps the character\n", (unsigned)ph, ch,
               font_draw_pos(f, ph) + 1);
    }
    if (nskip)
        printf("left out of families.conf:\n");
    for (size_t i = 0; i < nskip; i++) {
        font_chain_skipped(f, i, &entry, &why);
        printf("  %s: %s\n", entry, why);
    }
}

/* Coverage of the chain per block. */
static int print_coverage(const struct font *f)
{
    int level3 = 1;

    printf("coverage (* = required by GB 18030-2022 level 3):\n");
    printf("  %-33s %-13s %8s %8s  faces\n", "block", "range", "assigned",
           "drawn");
    for (size_t b = 0; b < sizeof blocks / sizeof *blocks; b++) {
        long n = 0, drawn = 0, per[FONT_CHAIN_MAX] = {0};
        char faces[64] = "", range[32];
        for (uint32_t cp = blocks[b].first; cp <= blocks[b].last; cp++) {
            int k;
            if (unassigned(cp))
                continue;
            n++;
            if ((k = font_chain_pos(f, cp)) >= 0) {
                drawn++;
                per[k]++;
            }
        }
        for (int k = 0; k < font_chain_count(f); k++)
            if (per[k])
                snprintf(faces + strlen(faces), sizeof faces - strlen(faces),
                         "%s%d", faces[0] ? " " : "", k + 1);
        snprintf(range, sizeof range, "%04X-%04X", (unsigned)blocks[b].first,
                 (unsigned)blocks[b].last);
        printf("%c %-33s %-13s %8ld %8ld  %s\n", blocks[b].gb18030 ? '*' : ' ',
               blocks[b].name, range, n, drawn, faces[0] ? faces : "-");
        if (blocks[b].gb18030 && drawn < n)
            level3 = 0;
    }
    printf("GB 18030-2022 level 3 (CJK Unified Ideographs, Extensions A-F): "
           "%s\n", level3 ? "covered" : "NOT covered");
    return level3;
}

struct check {
    const struct font *f;
    long texts, missing;
};

/* store_text_fn: one text against the chain. */
static int check_one(void *ctx, const char *what, const char *text)
{
    struct check *c = ctx;
    size_t i = 0, n, len = strlen(text);
    uint32_t cp;

    c->texts++;
    while (i < len && (n = text_utf8_decode(text + i, len - i, &cp)) > 0) {
        i += n;
        if (font_chain_pos(c->f, cp) < 0) {
            char name[12], ch[5], family[128];
            text_cp_name(cp, name);
            ch[text_utf8_encode(cp, ch)] = '\0';
            c->missing++;
            if (font_suggest(cp, family, sizeof family))
                fprintf(stderr, "keqing: %s (%s): character %s '%s' is in "
                        "no face of the chain; the installed family '%s' "
                        "has it: add that line to families.conf\n", what,
                        text, name, ch, family);
            else
                fprintf(stderr, "keqing: %s (%s): character %s '%s' is in "
                        "no face of the chain, nor in any installed font: "
                        "install one that has it and add it to "
                        "families.conf\n", what, text, name, ch);
        }
    }
    return 0;
}

/* The period's texts and the sheet templates against the chain. */
static int check_period(const struct opts *o, const struct font *f,
                        struct err *e)
{
    struct check c = {f, 0, 0};
    struct store *s = NULL;
    struct tmpl t;
    struct tmpl_region rt;
    char tdir[PATH_MAX], pm[8];
    int rc;

    period_format(&o->per, pm);
    if ((rc = cli_templates_dir(o->templates, tdir, sizeof tdir, e)) ||
        (rc = tmpl_load_person(tdir, &t, e)))
        return cli_fail(e);
    rc = sheet_check_template(&t, f, e);
    tmpl_free(&t);
    if (!rc && !(rc = tmpl_region_load(tdir, &rt, e))) {
        rc = sheet_region_check_template(&rt, f, e);
        tmpl_region_free(&rt);
    }
    if (rc)
        return cli_fail(e);
    if ((rc = store_open(cli_db_path(o->db), STORE_READONLY, &s, e)) ||
        (rc = store_period_texts(s, pm, check_one, &c, e))) {
        store_close(s);
        return cli_fail(e);
    }
    store_close(s);
    if (c.missing) {
        err_set(e, ERR_DATA, "period %s: %ld character%s of %ld texts in no "
                "face of the chain: the documents showing them print the "
                "placeholder", pm, c.missing, c.missing == 1 ? "" : "s",
                c.texts);
        return cli_fail(e);
    }
    printf("period %s: %ld texts checked, every character drawn by a face "
           "of the chain\n", pm, c.texts);
    return 0;
}

int cmd_fonts(int argc, char **argv)
{
    struct opts o = {0};
    struct font *f = NULL;
    char fam[PATH_MAX];
    struct err e;
    int st;

    {
        const struct cli_opt opts[] = {
            cli_opt_font(&o.font),
            cli_opt_fonts(&o.fonts),
            cli_opt_templates(&o.templates),
            cli_opt_period(&o.per, 0),
            cli_opt_db(&o.db),
        };
        if ((st = cli_parse("fonts", usage_text, opts,
                            sizeof opts / sizeof *opts, argc, argv, NULL,
                            NULL)) >= 0)
            return st;
    }
    err_clear(&e);
    if (cli_families_file(o.fonts, fam, sizeof fam, &e) ||
        font_open_chain(&f, o.font, fam[0] ? fam : NULL, &e))
        return cli_fail(&e);
    print_chain(f, fam[0] ? fam : NULL);
    print_coverage(f);
    fflush(stdout);
    st = o.per.year ? check_period(&o, f, &e) : 0;
    font_close(f);
    return st;
}
