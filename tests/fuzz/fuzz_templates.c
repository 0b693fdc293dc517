/* fuzz_templates -- libFuzzer target for the sheet template loaders
 * (tmpl_parse for sheet/person.xml, tmpl_region_parse for
 * sheet/region.xml), which `render` reads from HR's folder.
 *
 * Each input is parsed as both kinds, with and without their XSD.  A
 * template that loads must satisfy the invariants of tmpl_sheet.h and
 * tmpl_region.h (every key present and non-empty, colours in range);
 * anything else is a finding (abort).
 */
#include "err.h"
#include "tmpl_region.h"
#include "tmpl_sheet.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char g_sheet_xsd[1024], g_region_xsd[1024];

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
    if (access(g_sheet_xsd, R_OK) || access(g_region_xsd, R_OK)) {
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
    }
    return 0;
}
