/* comment -- the automatic comment of a person's sheet (see sheet_comment.h).
 *
 * Figures in the sentences are formatted exactly as the sheet's table
 * shows them (sheet_fmt_*), and differences are taken between the shown
 * (rounded) values, so "提高3.60分" always equals the difference of the
 * two printed totals.
 */
#include "sheet_comment.h"
#include "buf.h"
#include "err.h"
#include "mem.h"
#include "tmpl_sheet.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COMMENT_MAX 4096        /* bytes of one comment */
#define NSENT 7

/* score / weight of an applicable indicator, in [0, 1]. */
static double ratio(const struct sheet_ind *in)
{
    return in->weight > 0 ? in->score / in->weight : 0;
}

int sheet_comment_pick(const struct sheet_data *d, int best)
{
    int k = -1;
    for (int i = 0; i < d->nind; i++) {
        const struct sheet_ind *in = &d->ind[i];
        double r, rk;
        if (!in->applicable)
            continue;
        if (k < 0) {
            k = i;
            continue;
        }
        r = ratio(in);
        rk = ratio(&d->ind[k]);
        if (best ? r > rk + 1e-12 : r < rk - 1e-12)
            k = i;
        else if (fabs(r - rk) <= 1e-12 && in->weight > d->ind[k].weight)
            k = i;
    }
    return k;
}

/* A rate in tenths of a percentage point, as printed with one decimal. */
static long tenths(double rate)
{
    return lround(rate * 1000.0);
}

int sheet_comment_pick_change(const struct sheet_data *d)
{
    int k = -1;
    long best = 4;   /* at least 5 tenths: 0.5 percentage points */
    for (int i = 0; i < d->nind; i++) {
        const struct sheet_ind *in = &d->ind[i];
        long ch;
        if (!in->applicable || !in->has_prev)
            continue;
        ch = labs(tenths(in->rate) - tenths(in->prev_rate));
        if (ch > best || (ch == best && k >= 0 &&
                          in->weight > d->ind[k].weight)) {
            best = ch;
            k = i;
        }
    }
    return k;
}

/* ---- sentences --------------------------------------------------------- */

struct writer {
    const struct sheet_data *d;
    const struct tmpl *t;
    struct buf sent[NSENT];
    struct buf alt[NSENT];  /* a shorter sentence to try when sent[i]
                               does not fit (may be empty) */
    int n;
    struct err *e;
};

/* Append one sentence: phrase key with n name/value pairs. */
static int say(struct writer *w, enum tmpl_key key, const char *const *names,
               const char *const *values, size_t n)
{
    struct buf *b = &w->sent[w->n++];
    return tmpl_format(b, w->t->text[key], names, values, n, w->e);
}

static const char *label_of(const struct sheet_ind *in)
{
    return roles_ind_label[in->ind];
}

static int say_total(struct writer *w)
{
    static const char *const names[] = {"total", "delta"};
    const struct sheet_data *d = w->d;
    char total[32], delta[32];
    const char *values[] = {total, delta};
    long cur, prev;

    if (!d->has_total)
        return say(w, TMPL_C_NO_TOTAL, NULL, NULL, 0);
    snprintf(total, sizeof total, "%.2f", d->total);
    if (!d->has_prev_total)
        return say(w, TMPL_C_FIRST, names, values, 1);
    cur = lround(d->total * 100.0);
    prev = lround(d->prev_total * 100.0);
    snprintf(delta, sizeof delta, "%ld.%02ld", labs(cur - prev) / 100,
             labs(cur - prev) % 100);
    if (cur == prev)
        return say(w, TMPL_C_SAME, names, values, 1);
    return say(w, cur > prev ? TMPL_C_UP : TMPL_C_DOWN, names, values, 2);
}

static int say_best_worst(struct writer *w)
{
    static const char *const bn[] = {"name", "rate", "score", "weight"};
    static const char *const wn[] = {"name", "rate", "target"};
    const struct sheet_data *d = w->d;
    int hi = sheet_comment_pick(d, 1), lo = sheet_comment_pick(d, 0);
    int rc = ERR_OK;
    double sum = 0, f;
    char rate[32], score[32], weight[32], target[32];

    if (lo < 0)
        return ERR_OK;
    for (int i = 0; i < d->nind; i++)
        sum += d->ind[i].applicable ? d->ind[i].weight : 0;
    f = sum > 0 ? 100.0 / sum : 1;  /* the weights as redistributed */
    if (hi != lo && ratio(&d->ind[hi]) > ratio(&d->ind[lo]) + 1e-12) {
        const char *v[] = {label_of(&d->ind[hi]), rate, score, weight};
        /* as the table prints them: scores with two decimals, weights as
         * in the template unless they were shared out */
        sheet_fmt_pct(d->ind[hi].rate, 1, 0, rate);
        snprintf(score, sizeof score, "%.2f", d->ind[hi].score * f);
        if (fabs(f - 1) < 1e-12)
            sheet_fmt_num(d->ind[hi].weight, weight);
        else
            snprintf(weight, sizeof weight, "%.2f", d->ind[hi].weight * f);
        rc = say(w, TMPL_C_BEST, bn, v, 4);
    }
    if (rc)
        return rc;
    if (ratio(&d->ind[lo]) >= 1 - 1e-12)
        return say(w, TMPL_C_ALL_MET, NULL, NULL, 0);
    {
        const char *v[] = {label_of(&d->ind[lo]), rate, target};
        sheet_fmt_pct(d->ind[lo].rate, 1, 0, rate);
        sheet_fmt_pct(d->ind[lo].target, 1, 0, target);
        return say(w, TMPL_C_WORST, wn, v, 3);
    }
}

static int say_team(struct writer *w)
{
    static const char *const names[] = {"team", "weight", "n"};
    const struct sheet_data *d = w->d;
    char team[32], weight[32], n[16];
    const char *v[] = {team, weight, n};
    /* only when the team counts in the total (w > 0, or own is N/A) */
    if (!d->has_team || !d->has_total ||
        (d->has_own && !(d->team_weight > 0)))
        return ERR_OK;
    snprintf(team, sizeof team, "%.2f", d->team);
    sheet_fmt_pct(d->has_own ? d->team_weight : 1, 1, 0, weight);
    snprintf(n, sizeof n, "%d", d->team_members);
    return say(w, TMPL_C_TEAM, names, v, 3);
}

static int say_change(struct writer *w)
{
    static const char *const names[] = {"name", "from", "to", "delta"};
    const struct sheet_data *d = w->d;
    int k = sheet_comment_pick_change(d);
    char from[32], to[32], delta[32];
    long ch;
    const char *v[] = {k >= 0 ? label_of(&d->ind[k]) : "", from, to, delta};
    if (k < 0)
        return ERR_OK;
    ch = tenths(d->ind[k].rate) - tenths(d->ind[k].prev_rate);
    sheet_fmt_pct(d->ind[k].prev_rate, 1, 0, from);
    sheet_fmt_pct(d->ind[k].rate, 1, 0, to);
    snprintf(delta, sizeof delta, "%ld.%ld", labs(ch) / 10, labs(ch) % 10);
    return say(w, ch > 0 ? TMPL_C_RATE_UP : TMPL_C_RATE_DOWN, names, v, 4);
}

static int say_na(struct writer *w)
{
    static const char *const names[] = {"names"};
    const struct sheet_data *d = w->d;
    struct buf list;
    const char *v[1];
    int rc = ERR_OK, n = 0;

    buf_init(&list, COMMENT_MAX);
    for (int i = 0; i < d->nind && !rc; i++) {
        if (d->ind[i].applicable)
            continue;
        if (n++)
            rc = buf_puts(&list, w->t->text[TMPL_C_LIST_SEP]);
        if (!rc)
            rc = buf_puts(&list, label_of(&d->ind[i]));
    }
    if (rc)
        rc = err_set(w->e, rc, "comment: %s", rc == ERR_NOMEM ?
                     "out of memory" : "list of indicators too long");
    else if (n && d->has_total) {
        static const char *const cn[] = {"n"};
        char count[16];
        const char *cv[] = {count};
        snprintf(count, sizeof count, "%d", n);
        v[0] = buf_str(&list);
        rc = say(w, TMPL_C_NA, names, v, 1);
        if (!rc)
            rc = tmpl_format(&w->alt[w->n - 1], w->t->text[TMPL_C_NA_COUNT],
                             cn, cv, 1, w->e);
    }
    buf_free(&list);
    return rc;
}

/* ---- fitting ----------------------------------------------------------- */

/* Lines the text needs at max_width. */
static int lines_needed(const struct buf *b, double max_width,
                        text_width_fn width, void *ctx, size_t *n,
                        struct err *e)
{
    return text_break(buf_str(b), b->len, max_width, width, ctx, NULL, 0, n,
                      e);
}

/* Does out + separator + s + end fit?  *ok set; ERR_OK or an error. */
static int try_fit(struct writer *w, const struct buf *out, size_t base,
                   size_t kept, const struct buf *s, double max_width,
                   size_t max_lines, text_width_fn width, void *ctx,
                   struct buf *cand, int *ok)
{
    const struct tmpl *t = w->t;
    size_t n;
    int rc;

    *ok = 0;
    buf_reset(cand);
    rc = buf_append(cand, out->p ? out->p + base : "", out->len - base);
    if (!rc && kept)
        rc = buf_puts(cand, t->text[TMPL_C_SEP]);
    if (!rc)
        rc = buf_append(cand, s->p, s->len);
    if (!rc)
        rc = buf_puts(cand, t->text[TMPL_C_END]);
    if (!rc && max_lines)
        rc = lines_needed(cand, max_width, width, ctx, &n, w->e);
    if (!rc)
        *ok = !max_lines || n <= max_lines;
    return rc;
}

/* Append to out the sentences that fit, in order (a sentence's shorter
 * alternative when only that fits). */
static int fit(struct writer *w, double max_width, size_t max_lines,
               text_width_fn width, void *ctx, struct buf *out)
{
    const struct tmpl *t = w->t;
    struct buf cand;
    size_t base = out->len, kept = 0;
    int rc = ERR_OK, ok;

    buf_init(&cand, COMMENT_MAX);
    for (int i = 0; i < w->n && !rc; i++) {
        const struct buf *s = &w->sent[i];
        if (!s->len)
            continue;
        rc = try_fit(w, out, base, kept, s, max_width, max_lines, width, ctx,
                     &cand, &ok);
        if (!rc && !ok && w->alt[i].len) {
            s = &w->alt[i];
            rc = try_fit(w, out, base, kept, s, max_width, max_lines, width,
                         ctx, &cand, &ok);
        }
        if (rc || !ok)
            continue;
        if (kept++)
            rc = buf_puts(out, t->text[TMPL_C_SEP]);
        if (!rc)
            rc = buf_append(out, s->p, s->len);
    }
    if (!rc && kept)
        rc = buf_puts(out, t->text[TMPL_C_END]);
    if (rc && rc != w->e->code)
        err_set(w->e, rc, "comment: %s", rc == ERR_NOMEM ? "out of memory"
                : "text too long");
    buf_free(&cand);
    return rc;
}

int sheet_comment_write(const struct sheet_data *d, const struct tmpl *t,
                        double max_width, size_t max_lines,
                        text_width_fn width, void *ctx, struct buf *out,
                        struct err *e)
{
    struct writer w = {.d = d, .t = t, .e = e};
    int rc;

    err_clear(e);
    for (int i = 0; i < NSENT; i++) {
        buf_init(&w.sent[i], COMMENT_MAX);
        buf_init(&w.alt[i], COMMENT_MAX);
    }
    rc = say_total(&w);
    if (!rc && d->has_total)
        rc = say_best_worst(&w);
    if (!rc)
        rc = say_team(&w);
    if (!rc && d->has_total)
        rc = say_change(&w);
    if (!rc)
        rc = say_na(&w);
    if (!rc)
        rc = fit(&w, max_width, max_lines, width, ctx, out);
    for (int i = 0; i < NSENT; i++) {
        buf_free(&w.sent[i]);
        buf_free(&w.alt[i]);
    }
    return rc;
}
