/* fuzz_templates -- libFuzzer target for the sheet template loaders
 * (tmpl_parse for sheet/person.xml, tmpl_region_parse for
 * sheet/region.xml, tmpl_workbook_parse for sheet/workbook.xml), which
 * `render` and `score` read from HR's folder.
 *
 * Each input is parsed as all three kinds, with and without their XSD.
 * A template that loads must satisfy the invariants of tmpl_sheet.h,
 * tmpl_region.h and tmpl_workbook.h (every key present and non-empty,
 * colours in range, sheet names Excel accepts, grades within bounds);
 * anything else is a finding (abort).
 */
#include "err.h"
#include "tmpl_region.h"
#include "tmpl_sheet.h"
#include "tmpl_workbook.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char g_sheet_xsd[1024], g_region_xsd[1024], g_workbook_xsd[1024];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *src = getenv("KQ_SRCDIR");
    (void)argc;
    (void)argv;
    snprintf(g_sheet_xsd, sizeof g_sheet_xsd, "%s/templates/schema/sheet.xsd",
             src && *src ? src : ".");
    snprintf(g_region_xsd, sizeof g_region_xsd,
             "%s/templates/schema/region.xsd", src && *src ? src : ".");
    snprintf(g_workbook_xsd, sizeof g_workbook_xsd,
             "%s/templates/schema/workbook.xsd", src && *src ? src : ".");
    if (access(g_sheet_xsd, R_OK) || access(g_region_xsd, R_OK) ||
        access(g_workbook_xsd, R_OK)) {
        fprintf(stderr, "fuzz_templates: schemas not found (set KQ_SRCDIR)\n");
        exit(1);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (int x = 0; x < 2; x++) {
        struct tmpl t;
        struct tmpl_region r;
        struct err e;
        err_clear(&e);
        if (tmpl_parse((const char *)data, size, "fuzz.xml",
                       x ? g_sheet_xsd : NULL, &t, &e) == ERR_OK) {
            for (int k = 0; k < TMPL_NKEY; k++)
                if (!t.text[k] || !t.text[k][0])
                    abort();
            for (int c = 0; c < TMPL_NCOLOR; c++)
                if (t.color[c] > 0xFFFFFF)
                    abort();
            if (!t.company || t.appeal_days < 1 || t.appeal_days > 365)
                abort();
            tmpl_free(&t);
        } else if (!e.msg[0] || e.code == ERR_OK) {
            abort();        /* a refusal always says why */
        }
        err_clear(&e);
        if (tmpl_region_parse((const char *)data, size, "fuzz.xml",
                              x ? g_region_xsd : NULL, &r, &e) == ERR_OK) {
            for (int k = 0; k < TMPL_R_NKEY; k++)
                if (!r.text[k] || !r.text[k][0])
                    abort();
            tmpl_region_free(&r);
        } else if (!e.msg[0] || e.code == ERR_OK) {
            abort();
        }
        err_clear(&e);
        {
            struct tmpl_workbook w;
            if (tmpl_workbook_parse((const char *)data, size, "fuzz.xml",
                                    x ? g_workbook_xsd : NULL, &w, &e) ==
                ERR_OK) {
                for (int k = 0; k < TMPL_WB_NKEY; k++)
                    if (!w.text[k] || !w.text[k][0])
                        abort();
                for (int k = TMPL_WB_SHEET_TOTALS; k <= TMPL_WB_SHEET_RISKS;
                     k++)
                    if (strpbrk(w.text[k], ":\\/?*[]"))
                        abort();
                if (w.ngrade < 0 || w.ngrade > TMPL_WB_MAX_GRADES)
                    abort();
                for (int g = 0; g < w.ngrade; g++)
                    if (!w.grade[g].label || w.grade[g].color > 0xFFFFFF)
                        abort();
                tmpl_workbook_free(&w);
            } else if (!e.msg[0] || e.code == ERR_OK) {
                abort();
            }
        }
    }
    return 0;
}
