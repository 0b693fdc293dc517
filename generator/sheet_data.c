/* sheet_data -- the number formats a person's sheet and its comment share
 * (see sheet_data.h).
 *
 * Stage 4 (render).  Kept apart from the layouts so that sheet_comment.c,
 * which writes with these formats, does not depend on sheet_person.c,
 * which calls sheet_comment_write: the modules link in one direction only
 * (and the render side calls down into the store, never the reverse).  No library,
 * no I/O, no locale: snprintf under the C locale.
 */
#include "sheet_data.h"

#include <stdio.h>
#include <string.h>

void sheet_data_free(struct sheet_data *d)
{
    store_sheet_data_free(d);
}

/* Drop trailing zeros (and a trailing point) of a decimal number. */
static void trim_zeros(char *s)
{
    size_t n;
    if (!strchr(s, '.'))
        return;
    n = strlen(s);
    while (n && s[n - 1] == '0')
        s[--n] = '\0';
    if (n && s[n - 1] == '.')
        s[--n] = '\0';
}

void sheet_fmt_num(double v, char out[32])
{
    snprintf(out, 32, "%.2f", v);
    trim_zeros(out);
    if (!strcmp(out, "-0"))
        out[0] = '0', out[1] = '\0';
}

void sheet_fmt_pct(double rate, int dec, int trim, char out[32])
{
    dec = dec < 0 ? 0 : dec > 2 ? 2 : dec;
    snprintf(out, 32, "%.*f", dec, rate * 100.0);
    if (trim)
        trim_zeros(out);
    if (!strncmp(out, "-0", 2) && strspn(out + 2, ".0") == strlen(out + 2))
        memmove(out, out + 1, strlen(out));
    snprintf(out + strlen(out), 32 - strlen(out), "%%");
}

void sheet_fmt_actual(const struct sheet_ind *in, const char *unit,
                      char *out, size_t n)
{
    char num[32], den[32];
    sheet_fmt_num(in->num, num);
    sheet_fmt_num(in->den, den);
    snprintf(out, n, "%s/%s%s", num, den, unit ? unit : "");
}
