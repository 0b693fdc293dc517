/* csvout -- writing scores.csv and totals.csv (see csvout.h). */
#include "csvout.h"
#include "dataset.h"
#include "err.h"
#include "fsx.h"
#include "score.h"

#include <stdio.h>
#include <string.h>

/* Drop a leading '-' when every digit is zero ("-0.00" -> "0.00"). */
static void no_negative_zero(char *s)
{
    if (s[0] != '-' || strspn(s + 1, "0.") != strlen(s + 1))
        return;
    memmove(s, s + 1, strlen(s));
}

void csvout_fixed(double v, int dec, char *out, size_t n)
{
    snprintf(out, n, "%.*f", dec, v);
    no_negative_zero(out);
}

void csvout_trim(double v, int dec, char *out, size_t n)
{
    size_t len;
    csvout_fixed(v, dec, out, n);
    if (!strchr(out, '.'))
        return;
    len = strlen(out);
    while (out[len - 1] == '0')     /* stops at the '.' at the latest */
        out[--len] = '\0';
    if (out[len - 1] == '.')
        out[--len] = '\0';
}

/* A text field, quoted when it holds a comma, quote or line break. */
static void put_field(FILE *fp, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

static void write_scores(FILE *fp, const char *period,
                         const struct dataset *ds,
                         const struct score_result *r)
{
    char num[64], den[64], rate[64], tgt[64], w[64], sc[64];
    fputs(CSVOUT_SCORES_HEADER "\n", fp);
    for (int i = 0; i < r->n; i++) {
        const struct score_person *sp = &r->p[i];
        for (int k = 0; k < ROLES_NIND; k++) {
            const struct score_ind *in = &sp->ind[k];
            if (!in->used)
                continue;
            csvout_trim(in->applicable ? in->num : 0, 4, num, sizeof num);
            csvout_trim(in->applicable ? in->den : 0, 4, den, sizeof den);
            rate[0] = sc[0] = '\0';
            if (in->applicable) {
                csvout_fixed(in->rate, 4, rate, sizeof rate);
                csvout_fixed(in->score, 2, sc, sizeof sc);
            }
            csvout_fixed(sp->role->target[k], 4, tgt, sizeof tgt);
            csvout_trim(sp->role->weight[k], 4, w, sizeof w);
            fprintf(fp, "%s,", period);
            put_field(fp, ds->person[sp->person].id);
            fprintf(fp, ",%s,%s,%s,%s,%s,%s,%s\n", roles_ind_id[k], num, den,
                    rate, tgt, w, sc);
        }
    }
}

static void write_totals(FILE *fp, const char *period,
                         const struct dataset *ds,
                         const struct score_result *r)
{
    char own[64], team[64], total[64];
    fputs(CSVOUT_TOTALS_HEADER "\n", fp);
    for (int i = 0; i < r->n; i++) {
        const struct score_person *sp = &r->p[i];
        const struct ds_person *p = &ds->person[sp->person];
        own[0] = team[0] = total[0] = '\0';
        if (sp->has_own)
            csvout_fixed(sp->own, 2, own, sizeof own);
        if (sp->has_team)
            csvout_fixed(sp->team, 2, team, sizeof team);
        if (sp->has_total)
            csvout_fixed(sp->total, 2, total, sizeof total);
        fprintf(fp, "%s,", period);
        put_field(fp, p->id);
        fputc(',', fp);
        put_field(fp, p->name);
        fputc(',', fp);
        put_field(fp, p->role);
        fputc(',', fp);
        put_field(fp, ds->region[p->region].id);
        fprintf(fp, ",%s,%s,%s,%s,", sp->left ? "left" : "active", own, team,
                total);
        put_field(fp, sp->grade);
        if (sp->rank > 0)
            fprintf(fp, ",%d\n", sp->rank);
        else
            fputs(",\n", fp);
    }
}

static int write_one(const char *path, const char *period,
                     const struct dataset *ds, const struct score_result *r,
                     void (*fn)(FILE *, const char *, const struct dataset *,
                                const struct score_result *),
                     struct err *e)
{
    struct fsx_out o;
    int rc = fsx_open(&o, path, e);
    if (rc)
        return rc;
    fn(o.fp, period, ds, r);
    return fsx_commit(&o, e);
}

int csvout_write_period(const char *out_dir, const struct dataset *ds,
                     const struct score_result *r, struct err *e)
{
    char path[4200], period[8];
    int rc;
    period_format(&r->per, period);
    snprintf(path, sizeof path, "%s/scores.csv", out_dir);
    if ((rc = write_one(path, period, ds, r, write_scores, e)))
        return rc;
    snprintf(path, sizeof path, "%s/totals.csv", out_dir);
    return write_one(path, period, ds, r, write_totals, e);
}
