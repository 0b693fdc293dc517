/* explain -- one person's figures with the records behind them (see
 * explain.h).  The trace items of score_run are collected per indicator,
 * then printed under each indicator's line. */
#include "explain.h"
#include "period.h"
#include "buf.h"
#include "csvout.h"
#include "err.h"
#include "mem.h"
#include "score.h"

#include <string.h>

struct items {
    struct score_item *v;
    int n, cap;
    int failed;     /* out of memory while tracing */
};

static void collect(void *ctx, const struct score_item *it)
{
    struct items *x = ctx;
    if (x->failed)
        return;
    if (x->n == x->cap) {
        int nc = x->cap ? x->cap * 2 : 256;
        struct score_item *p = mem_realloc(x->v, (size_t)nc * sizeof *p);
        if (!p) {
            x->failed = 1;
            return;
        }
        x->v = p;
        x->cap = nc;
    }
    x->v[x->n++] = *it;
}

static const char *const occasion_label[DS_NOCCASION] = {
    "元旦", "春节", "清明节", "五一", "端午节", "中秋节", "国庆节", "生日",
    "公司周年庆"};

static void day(int d, char out[11])
{
    if (d == DS_NODATE)
        memcpy(out, "-", 2);
    else
        date_format(d, out);
}

static void customer_part(struct buf *b, const struct dataset *ds, int c,
                          int k)
{
    buf_printf(b, "客户 %s %s", ds->customer[c].id, ds->customer[c].name);
    if (k >= 0)
        buf_printf(b, "，联系人 %s %s", ds->contact[k].id,
                   ds->contact[k].name ? ds->contact[k].name : "");
}

static const char *card_note(enum score_note n)
{
    switch (n) {
    case SCORE_NOTE_NONE:
        return "有效客情关系卡";
    case SCORE_NOTE_NO_CARD:
        return "无客情关系卡";
    case SCORE_NOTE_CARD_LATER:
        return "卡建于期末之后，不算";
    case SCORE_NOTE_CARD_STALE:
        return "卡早于客户改制日且未更新，无效";
    case SCORE_NOTE_IN_GRACE:
        return "尚无有效卡，处于两个月宽限期内，不计入分母";
    default:
        return "";
    }
}

static void line_contact(struct buf *b, const struct dataset *ds,
                         const struct score_item *it)
{
    char d1[11], d2[11];
    buf_puts(b, "    ");
    customer_part(b, ds, it->customer, it->contact);
    buf_printf(b, "：%s", card_note(it->note));
    if (it->record >= 0 && it->note != SCORE_NOTE_NO_CARD) {
        const struct ds_card *cd = &ds->card[it->record];
        day(cd->created, d1);
        day(cd->updated, d2);
        buf_printf(b, "（建卡 %s，更新 %s）", d1, d2);
    }
    if (it->note != SCORE_NOTE_IN_GRACE) {
        char n[32], den[32];
        csvout_trim(it->num, 4, n, sizeof n);
        csvout_trim(it->den, 4, den, sizeof den);
        if (it->ind == ROLES_A4)
            buf_printf(b, "，直系亲属计 %s/%s", n, den);
        else if (it->ind == ROLES_A5)
            buf_printf(b, "，电话计 %s/%s", n, den);
    }
    buf_puts(b, "\n");
}

static void line_week(struct buf *b, const struct dataset *ds,
                      const struct score_item *it)
{
    char d1[11], d2[11], n[32];
    day(it->day, d1);
    day(it->day + 6, d2);
    csvout_trim(it->num, 4, n, sizeof n);
    buf_puts(b, "    ");
    customer_part(b, ds, it->customer, -1);
    if (it->ind == ROLES_B1)
        buf_printf(b, "，周 %s～%s：有效拜访 %d 次，要求 %d 次，计 %s\n", d1,
                   d2, it->count, it->need, n);
    else
        buf_printf(b, "，周 %s～%s：为客户办事 %d 件，计 %s\n", d1, d2,
                   it->count, n);
}

static void line_record(struct buf *b, const struct dataset *ds,
                        const struct score_item *it)
{
    char d[11];
    day(it->day, d);
    if (it->kind == SCORE_IT_VISIT)
        buf_printf(b, "      拜访 %s %s\n", ds->visit[it->record].id, d);
    else
        buf_printf(b, "      服务 %s %s\n", ds->service[it->record].id, d);
}

static void line_check(struct buf *b, const struct dataset *ds,
                       const struct score_item *it)
{
    char d[11];
    day(it->day, d);
    buf_printf(b, "    抽查 %s %s，", ds->check[it->record].id, d);
    customer_part(b, ds, it->customer, it->contact);
    buf_printf(b, "：%s\n", it->num > 0 ? "是" : "否");
}

static void line_display(struct buf *b, const struct dataset *ds,
                         const struct score_item *it)
{
    char d[11];
    day(it->day, d);
    buf_printf(b, "    陈列检查 %s %s，", ds->display[it->record].id, d);
    customer_part(b, ds, it->customer, -1);
    buf_printf(b, "：%s\n", it->num > 0 ? "最佳陈列且有POP" : "未达最佳陈列+POP");
}

static void line_report(struct buf *b, const struct dataset *ds,
                        const struct score_item *it)
{
    char d1[11], d2[11];
    buf_puts(b, "    ");
    customer_part(b, ds, it->customer, -1);
    if (it->record < 0) {
        buf_puts(b, "：本期无本人报送的此类信息，未达成\n");
        return;
    }
    day(ds->report[it->record].received, d1);
    day(ds->report[it->record].forwarded, d2);
    buf_printf(b, "：信息 %s（收到 %s，转发 %s）", ds->report[it->record].id, d1,
               d2);
    buf_puts(b, it->note == SCORE_NOTE_NONE ? "，达成\n"
                : it->note == SCORE_NOTE_NOT_FORWARDED ? "，未转发，未达成\n"
                : "，转发晚于收到后 3 天，未达成\n");
}

static void line_greeting(struct buf *b, const struct dataset *ds,
                          const struct score_item *it)
{
    char d[11], w[11];
    day(it->day, d);
    day(it->day - 3, w);
    buf_puts(b, "    ");
    customer_part(b, ds, it->customer, it->contact);
    buf_printf(b, "：%s %s（窗口 %s～%s）", occasion_label[it->occasion], d, w, d);
    if (it->record >= 0) {
        day(ds->greeting[it->record].date, w);
        buf_printf(b, "，问候 %s %s，达成\n", ds->greeting[it->record].id, w);
    } else
        buf_puts(b, "，无符合要求的问候，未达成\n");
}

/* The line of an item that stands on its own (the others: visits and
 * services print under their customer-week). */
static void (*const line_of[])(struct buf *, const struct dataset *,
                               const struct score_item *) = {
    [SCORE_IT_CONTACT] = line_contact, [SCORE_IT_CHECK] = line_check,
    [SCORE_IT_DISPLAY] = line_display, [SCORE_IT_REPORT] = line_report,
    [SCORE_IT_GREETING] = line_greeting,
};

static void print_items(struct buf *b, const struct dataset *ds,
                        const struct items *x, int ind)
{
    int pending = -1;   /* first visit/service waiting for its week */
    for (int i = 0; i < x->n; i++) {
        const struct score_item *it = &x->v[i];
        if (it->ind != ind)
            continue;
        switch (it->kind) {
        case SCORE_IT_VISIT:
        case SCORE_IT_SERVICE:
            if (pending < 0)
                pending = i;
            break;
        case SCORE_IT_CUSTWEEK:
            line_week(b, ds, it);
            for (int j = pending; j >= 0 && j < i; j++)
                if (x->v[j].ind == ind && (x->v[j].kind == SCORE_IT_VISIT ||
                                           x->v[j].kind == SCORE_IT_SERVICE))
                    line_record(b, ds, &x->v[j]);
            pending = -1;
            break;
        default:
            line_of[it->kind](b, ds, it);
            break;
        }
    }
}

static void print_head(struct buf *b, const struct dataset *ds,
                       const struct period *per, const struct score_person *sp)
{
    const struct ds_person *p = &ds->person[sp->person];
    char pm[8], own[32] = "不适用", team[32] = "无", total[32] = "无";
    period_format(per, pm);
    csvout_person_scores(sp, own, team, total, sizeof own);
    buf_printf(b, "客情关系考核说明  期间 %s\n", pm);
    buf_printf(b, "人员 %s %s，岗位 %s（%s），区域 %s %s，状态 %s\n", p->id, p->name,
               sp->role->label, sp->role->id, ds->region[p->region].id,
               ds->region[p->region].name, sp->left ? "离职" : "在职");
    buf_printf(b, "本人得分 %s，团队得分 %s（团队权重 ", own, team);
    csvout_trim(sp->role->team_weight, 4, own, sizeof own);
    buf_printf(b, "%s），总分 %s，等级 %s，区域排名 ", own, total,
               sp->grade ? sp->grade : "无");
    if (sp->rank > 0)
        buf_printf(b, "%d\n\n", sp->rank);
    else
        buf_puts(b, "无\n\n");
}

static void print_indicator(struct buf *b, const struct score_person *sp,
                            int i)
{
    const struct score_ind *in = &sp->ind[i];
    char n[32], d[32], t[32], w[32], r[32], s[32];
    csvout_trim(in->num, 4, n, sizeof n);
    csvout_trim(in->den, 4, d, sizeof d);
    csvout_fixed(sp->role->target[i], 4, t, sizeof t);
    csvout_trim(sp->role->weight[i], 4, w, sizeof w);
    buf_printf(b, "%s %s：", roles_ind_id[i], roles_ind_label[i]);
    if (!in->applicable) {
        buf_printf(b, "不适用（分母为 0），权重 %s 按比例分摊给其他指标\n", w);
        return;
    }
    csvout_fixed(in->rate, 4, r, sizeof r);
    csvout_fixed(in->score, 2, s, sizeof s);
    buf_printf(b, "分子 %s / 分母 %s = %s，目标 %s", n, d, r, t);
    if (sp->role->floor[i] > 0) {
        csvout_fixed(sp->role->floor[i], 4, t, sizeof t);
        buf_printf(b, "，下限 %s", t);
    }
    buf_printf(b, "，权重 %s，得分 %s\n", w, s);
}

int explain_person(const struct dataset *ds, const struct period *per,
                   const struct roles *roles, int person, struct buf *out,
                   struct err *e)
{
    struct items x = {NULL, 0, 0, 0};
    struct score_trace tr = {person, collect, &x};
    struct score_result res;
    const struct score_person *sp;
    int rc = score_run(ds, per, roles, &tr, &res, e);

    if (rc) {
        mem_free(x.v);
        return rc;
    }
    if (x.failed) {
        rc = err_set(e, ERR_NOMEM, "explain: out of memory");
        goto out;
    }
    if (res.of_person[person] < 0) {
        char pm[8];
        period_format(per, pm);
        rc = err_set(e, ERR_DATA, "person %s is not assessed in %s (hired "
                     "after it or left before it)", ds->person[person].id, pm);
        goto out;
    }
    sp = &res.p[res.of_person[person]];
    print_head(out, ds, per, sp);
    for (int i = 0; i < ROLES_NIND; i++) {
        if (!sp->ind[i].used)
            continue;
        print_indicator(out, sp, i);
        print_items(out, ds, &x, i);
    }
    /* a failed append sticks (buf.h): the text is whole or refused */
    if (buf_status(out) == ERR_NOMEM)
        rc = err_set(e, ERR_NOMEM, "explain: out of memory");
    else if (buf_status(out))
        rc = err_set(e, ERR_DATA, "explain: person %s: the explanation is "
                     "longer than %zu bytes", ds->person[person].id,
                     out->max);
    else if (out->len == 0)
        rc = err_set(e, ERR_INTERNAL, "explain: nothing written");
out:
    mem_free(x.v);
    score_result_free(&res);
    return rc;
}
