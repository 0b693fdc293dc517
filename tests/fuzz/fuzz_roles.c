/* fuzz_roles -- libFuzzer target for the role template loader
 * (roles_parse in roles.c), used by `score` before anything is computed.
 *
 * The template's name must match its role id, so the name given to
 * roles_parse is taken from the input's first id="..." (else "fuzz.xml").
 * Each input is parsed twice, without and with role.xsd.  A template that
 * loads must satisfy the invariants of roles.h; anything else aborts.
 */
#include "err.h"
#include "roles.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char g_xsd[1024];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *src = getenv("KQ_SRCDIR");
    (void)argc;
    (void)argv;
    snprintf(g_xsd, sizeof g_xsd, "%s/templates/schema/role.xsd",
             src && *src ? src : ".");
    if (access(g_xsd, R_OK) != 0) {
        fprintf(stderr, "fuzz_roles: %s not found (set KQ_SRCDIR)\n", g_xsd);
        exit(1);
    }
    return 0;
}

/* "<id>.xml" from the first id="..." of the input (letters, digits, _). */
static void name_of(const uint8_t *data, size_t size, char *out, size_t n)
{
    const char *key = "id=\"";
    snprintf(out, n, "fuzz.xml");
    for (size_t i = 0; i + 4 < size; i++) {
        size_t j = i + 4, k = 0;
        char id[64];
        if (memcmp(data + i, key, 4))
            continue;
        while (j < size && k + 1 < sizeof id &&
               (data[j] == '_' || (data[j] >= 'a' && data[j] <= 'z') ||
                (data[j] >= '0' && data[j] <= '9')))
            id[k++] = (char)data[j++];
        id[k] = '\0';
        if (k)
            snprintf(out, n, "%s.xml", id);
        return;
    }
}

static void check_role(const struct role *r)
{
    double sum = 0;
    for (int i = 0; i < ROLES_NIND; i++)
        if (r->used[i]) {
            sum += r->weight[i];
            if (!(r->target[i] > 0 && r->target[i] <= 1) ||
                !(r->floor[i] >= 0 && r->floor[i] < r->target[i]))
                abort();
        }
    if (fabs(sum - 100) > 1e-6 || !(r->team_weight >= 0 && r->team_weight <= 1))
        abort();
    if (r->nband < 1 || r->nband > ROLES_MAX_BANDS || r->band[r->nband - 1].min != 0)
        abort();
    for (int b = 1; b < r->nband; b++)
        if (!(r->band[b].min < r->band[b - 1].min))
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char name[80];
    name_of(data, size, name, sizeof name);
    for (int pass = 0; pass < 2; pass++) {
        struct role r;
        struct err e;
        int rc = roles_parse((const char *)data, size, name,
                             pass ? g_xsd : NULL, &r, &e);
        if (rc == ERR_OK) {
            check_role(&r);
            roles_free_role(&r);
        } else if (rc != ERR_DATA) {
            fprintf(stderr, "fuzz_roles: unexpected status %d: %s\n", rc, e.msg);
            abort();
        }
    }
    return 0;
}
