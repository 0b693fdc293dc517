/* csvout -- writing scores.csv and totals.csv (see csvout.h). */
#include "csvout.h"
#include "period.h"
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

int csvout_formula_like(const char *s)
{
    return s && *s && strchr("=+-@\t\r'", *s) != NULL;
}

void csvout_field(FILE *fp, const char *s)
{
    int formula = csvout_formula_like(s);
    if (!s)
        return;
    if (!formula && !strpbrk(s, ",\"\r\n")) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    if (formula)
        fputc('\'', fp);      /* a spreadsheet shows it as text */
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

void csvout_ind_format(struct csvout_ind *f, int applicable, double num,
                       double den, double rate, double score, double target,
                       double weight)
{
    csvout_trim(applicable ? num : 0, 4, f->num, sizeof f->num);
    csvout_trim(applicable ? den : 0, 4, f->den, sizeof f->den);
    f->rate[0] = f->score[0] = '\0';
    if (applicable) {
        csvout_fixed(rate, 4, f->rate, sizeof f->rate);
        csvout_fixed(score, 2, f->score, sizeof f->score);
    }
    csvout_fixed(target, 4, f->target, sizeof f->target);
    csvout_trim(weight, 4, f->weight, sizeof f->weight);
}

void csvout_person_scores(const struct score_person *sp, char *own,
                          char *team, char *total, size_t n)
{
    if (sp->has_own)
        csvout_fixed(sp->own, 2, own, n);
    if (sp->has_team)
        csvout_fixed(sp->team, 2, team, n);
    if (sp->has_total)
        csvout_fixed(sp->total, 2, total, n);
}

static void write_scores(FILE *fp, const char *period,
                         const struct dataset *ds,
                         const struct score_result *r)
{
    struct csvout_ind f;
    fputs(CSVOUT_SCORES_HEADER "\n", fp);
    for (int i = 0; i < r->n; i++) {
        const struct score_person *sp = &r->p[i];
        for (int k = 0; k < ROLES_NIND; k++) {
            const struct score_ind *in = &sp->ind[k];
            if (!in->used)
                continue;
            csvout_ind_format(&f, in->applicable, in->num, in->den, in->rate,
                              in->score, sp->role->target[k],
                              sp->role->weight[k]);
            fprintf(fp, "%s,", period);
            csvout_field(fp, ds->person[sp->person].id);
            fprintf(fp, ",%s,%s,%s,%s,%s,%s,%s\n", roles_ind_id[k], f.num,
                    f.den, f.rate, f.target, f.weight, f.score);
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
        csvout_person_scores(sp, own, team, total, sizeof own);
        fprintf(fp, "%s,", period);
        csvout_field(fp, p->id);
        fputc(',', fp);
        csvout_field(fp, p->name);
        fputc(',', fp);
        csvout_field(fp, p->role);
        fputc(',', fp);
        csvout_field(fp, ds->region[p->region].id);
        fprintf(fp, ",%s,%s,%s,%s,", sp->left ? "left" : "active", own, team,
                total);
        csvout_field(fp, sp->grade);
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
                     int bom, struct err *e)
{
    struct fsx_out o;
    int rc = fsx_open(&o, path, e);
    if (rc)
        return rc;
    if (bom)
        fputs("\xEF\xBB\xBF", o.fp);
    fn(o.fp, period, ds, r);
    return fsx_commit(&o, e);
}

int csvout_write_period(const char *out_dir, const struct dataset *ds,
                        const struct score_result *r, int bom,
                        struct err *e)
{
    char path[4200], period[8];
    int rc;
    period_format(&r->per, period);
    snprintf(path, sizeof path, "%s/scores.csv", out_dir);
    if ((rc = write_one(path, period, ds, r, write_scores, bom, e)))
        return rc;
    snprintf(path, sizeof path, "%s/totals.csv", out_dir);
    return write_one(path, period, ds, r, write_totals, bom, e);
}
