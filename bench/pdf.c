/* bench/pdf -- how fast and how big one-page Chinese PDFs are (pdf.c).
 *
 * Builds a page shaped like a person sheet (shared/spec/person-sheet.md:
 * title, info grid, 16-row indicator table with grid lines, comment,
 * sign-off, appeal line, footer; 266 distinct characters; the positions
 * are crude, it measures cost, not layout), renders
 * it N times and prints documents per second on one core, the median of
 * R runs, the PDF size, and the time in the font subsetter alone.
 *
 *   build/bench_pdf [-n DOCS] [-r RUNS] [--font FILE[:INDEX]]
 *                   [--no-fallback] [-o OUT.pdf]
 *
 * The face is opened as rendering does (font_open_chain: the font, plus
 * the first other installed family of the built-in list as fallback);
 * --no-fallback uses the face alone.
 */
#include "err.h"
#include "font.h"
#include "mem.h"
#include "pdf.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const rows[] = {
    "一、个人关系密切程度", "VIP客户客情关系卡建档率", "双向叫名率", "双向熟悉率",
    "直系亲属了解度", "三个电话掌握率", "客户认知率（客户能说出你是谁、厂家与产品）",
    "二、客情关系建立与巩固", "拜访频次达标率", "每周为客户办一件事达成率", "客户首荐率",
    "最佳陈列与POP达成率", "三、信息工作", "客户经营变化反馈率",
    "进销存通报及时率（出销量、库存、动销）", "下级客户/消费者意见反馈率", "竞品信息反馈率",
    "客户能讲出产品卖点率", "重大节日及生日问候完成率",
};
#define NROWS (sizeof rows / sizeof *rows)

static const char *const texts[] = {
    "华东精细化工销售有限公司", "客情关系月度考核表",
    "姓名", "覃晓鄢", "工号", "E20417", "岗位", "商超主管", "区域", "苏南大区·无锡片区",
    "直属经理", "亓振东", "考核期间", "2026年10月",
    "指标", "目标", "实际", "达成率", "权重", "得分",
    "合计（满分100分）", "考核等级：良好", "分项得分与目标对比", "近六个月总分走势",
    "考核评语：本月拜访频次达标率最高（100.0%），竞品信息反馈率最低（41.7%），",
    "较上月总分提高3.6分；请加强下级客户意见收集，按时通报进销存数据。",
    "被考核人签字：", "考核人签字：", "人力资源部：", "日期：　　年　　月　　日",
    "本人已阅知考核结果；如有异议，请于收到本表后7日内向人力资源部提出书面申诉。",
    "文档编号：KQ-202610-000417", "第 1 页 / 共 1 页", "数据来源：导出批次 EXP-2026-10-03 sha256 9f2c41e0",
    "次", "家", "人", "不适用", "权重已按比例分配给同组其他指标", "优秀", "合格", "待改进", "团队得分", "本人得分",
};
#define NTEXTS (sizeof texts / sizeof *texts)

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int draw(struct pdf *d, struct err *e)
{
    char num[64];
    size_t i;
    int rc = pdf_page(d, PDF_A4_WIDTH, PDF_A4_HEIGHT, e);
    double y = 142;

    for (i = 0; i < NTEXTS && rc == ERR_OK; i++)
        rc = pdf_text(d, 40 + (double)(i % 3) * 170, 48 + (i < 14 ? 0 : 560) +
                      (double)(i / 3) * 12, 9, 0x333333, texts[i],
                      strlen(texts[i]), e);
    for (i = 0; i < NROWS && rc == ERR_OK; i++, y += 18) {
        rc = pdf_fill_rect(d, 40, y, 515, 18, i % 6 == 0 ? 0xDDEBF7 : 0xFFFFFF, e);
        if (rc == ERR_OK)
            rc = pdf_stroke_rect(d, 40, y, 515, 18, 0.5, 0x999999, e);
        if (rc == ERR_OK)
            rc = pdf_text(d, 44, y + 13, 9, 0x000000, rows[i], strlen(rows[i]), e);
        snprintf(num, sizeof num, "%d%%", 80 + (int)i);
        if (rc == ERR_OK)
            rc = pdf_text(d, 264, y + 13, 9, 0, num, strlen(num), e);
        snprintf(num, sizeof num, "%d次/%d次", 7 + (int)i, 9 + (int)i);
        if (rc == ERR_OK)
            rc = pdf_text(d, 319, y + 13, 9, 0, num, strlen(num), e);
        snprintf(num, sizeof num, "%.1f%%  %d  %.2f", 77.8 + (double)i, 6, 4.67 + (double)i / 10);
        if (rc == ERR_OK)
            rc = pdf_text(d, 374, y + 13, 9, 0, num, strlen(num), e);
        if (rc == ERR_OK)
            rc = pdf_line(d, 260, y, 260, y + 18, 0.5, 0x999999, e);
    }
    return rc;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    const char *fontspec = NULL, *out = NULL;
    long ndocs = 300, runs = 5, r, k;
    int fallback = 1, opened;
    struct font *font;
    struct err e;
    double rate[32], sub_ms[32];
    size_t bytes = 0, nchars = 0;
    int i;

    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-n") && i + 1 < argc)
            ndocs = strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "-r") && i + 1 < argc)
            runs = strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--font") && i + 1 < argc)
            fontspec = argv[++i];
        else if (!strcmp(argv[i], "--no-fallback"))
            fallback = 0;
        else if (!strcmp(argv[i], "-o") && i + 1 < argc)
            out = argv[++i];
    }
    if (runs < 1 || runs > 32 || ndocs < 1) {
        fprintf(stderr, "bench_pdf: bad -n/-r\n");
        return 64;
    }
    err_clear(&e);
    opened = fallback ? font_open_chain(&font, fontspec, NULL, &e)
                      : font_open(&font, fontspec, NULL, &e);
    if (opened != ERR_OK) {
        fprintf(stderr, "bench_pdf: %s\n", e.msg);
        return 1;
    }
    for (r = 0; r < runs; r++) {
        double t0 = now(), ts = 0;
        for (k = 0; k < ndocs; k++) {
            struct pdf *d = NULL;
            struct font_subset *s = NULL;
            unsigned char *data = NULL;
            size_t len = 0, n;
            int rc = pdf_new(&d, font, &e);
            if (rc == ERR_OK)
                rc = draw(d, &e);
            if (rc == ERR_OK)
                rc = pdf_render(d, &data, &len, &e);
            if (rc != ERR_OK) {
                fprintf(stderr, "bench_pdf: %s\n", e.msg);
                return 1;
            }
            if (k == 0) { /* the subsetter alone, once per run */
                struct text_cpset set;
                const uint32_t *cps;
                double t1;
                text_cpset_init(&set, FONT_SUBSET_MAX);
                for (n = 0; n < NTEXTS; n++)
                    text_cpset_add_utf8(&set, texts[n], strlen(texts[n]), &e);
                for (n = 0; n < NROWS; n++)
                    text_cpset_add_utf8(&set, rows[n], strlen(rows[n]), &e);
                cps = text_cpset_sorted(&set, &n);
                t1 = now();
                font_subset_new(font, cps, n, &s, &e);
                ts = now() - t1;
                font_subset_free(s);
                text_cpset_free(&set);
            }
            bytes = len;
            nchars = pdf_char_count(d);
            if (out && r == 0 && k == 0) {
                FILE *fp = fopen(out, "wb");
                if (fp) {
                    fwrite(data, 1, len, fp);
                    fclose(fp);
                }
            }
            mem_free(data);
            pdf_free(d);
        }
        rate[r] = (double)ndocs / (now() - t0);
        sub_ms[r] = ts * 1000;
    }
    qsort(rate, (size_t)runs, sizeof *rate, cmp_double);
    qsort(sub_ms, (size_t)runs, sizeof *sub_ms, cmp_double);
    printf("pdf: %s, %zu distinct characters, %zu bytes/document\n",
           font_family(font), nchars, bytes);
    printf("pdf: %.0f documents/s on one core (median of %ld runs of %ld; "
           "min %.0f max %.0f); subset alone %.2f ms\n", rate[runs / 2],
           runs, ndocs, rate[0], rate[runs - 1], sub_ms[runs / 2]);
    font_close(font);
    return 0;
}
