/* check_batch -- the pieces of the monthly batch (issue 6): the manifest
 * (render_manifest.c), QR codes (sheet_qr.c), PDF attachments (pdf_attach), reading a
 * document number back (archive_verify.c), progress lines and the bar of a stage
 * that reads files (progress.c) and the
 * batch helpers (render.c: data hash, attached CSV, template version,
 * temporary-file clean-up).  Attachments are checked with poppler's
 * pdfdetach and qpdf, QR codes with zbarimg (zbar-tools; `make deps`).
 */
#include "unit.h"

#include "render.h"
#include "buf.h"
#include "err.h"
#include "font.h"
#include "fsx.h"
#include "render_manifest.h"
#include "mem.h"
#include "pdf.h"
#include "progress.h"
#include "sheet_qr.h"
#include "sheet_data.h"
#include "store_region.h"
#include "archive_verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ZENHEI "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"

static struct err err;

static char *slurp(const char *path)
{
    char *data = NULL;
    ck_assert_msg(fsx_read_file(path, 1 << 24, &data, NULL, &err) == ERR_OK,
                  "%s", err.msg);
    return data;
}

/* ---- manifest ------------------------------------------------------------ */

START_TEST(manifest_sorted_exact)
{
    const char *dir = unit_tmpdir();
    char h1[65], h2[65], h3[65], path[600], *got;
    struct render_manifest m;

    memset(h1, '1', 64), h1[64] = '\0';
    memset(h2, 'a', 64), h2[64] = '\0';
    memset(h3, '0', 64), h3[64] = '\0';
    render_manifest_init(&m);
    ck_assert_int_eq(render_manifest_add(&m, "scores.csv", h3, 7, "scores", NULL,
                                         &err), ERR_OK);
    ck_assert_int_eq(render_manifest_add(&m, "regions/R,1.pdf", h1, 12, "region",
                                         "R,1", &err), ERR_OK);
    ck_assert_int_eq(render_manifest_add(&m, "persons/E2.pdf", h2, 30000, "person",
                                         "E2", &err), ERR_OK);
    ck_assert_int_eq(render_manifest_add(&m, "persons/E10.pdf", h1, 5, "person",
                                         "E10", &err), ERR_OK);
    ck_assert_int_eq(render_manifest_write(&m, dir, &err), ERR_OK);
    snprintf(path, sizeof path, "%s/manifest.csv", dir);
    got = slurp(path);
    ck_assert_str_eq(got,
        "path,sha256,bytes,kind,subject_id\n"
        "persons/E10.pdf,1111111111111111111111111111111111111111111111111111111111111111,5,person,E10\n"
        "persons/E2.pdf,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,30000,person,E2\n"
        "\"regions/R,1.pdf\",1111111111111111111111111111111111111111111111111111111111111111,12,region,\"R,1\"\n"
        "scores.csv,0000000000000000000000000000000000000000000000000000000000000000,7,scores,\n");
    mem_free(got);
    /* a path twice is a bug of the caller */
    ck_assert_int_eq(render_manifest_add(&m, "scores.csv", h3, 7, "scores", NULL,
                                         &err), ERR_OK);
    ck_assert_int_eq(render_manifest_write(&m, dir, &err), ERR_INTERNAL);
    render_manifest_free(&m);
    unit_sh("rm -rf '%s'", dir);
}
END_TEST

START_TEST(manifest_refusals)
{
    static const char *const bad[] = {"", "/etc/passwd", "a/../b", "./x",
                                      "a//b", "a/", "..", "a\nb"};
    char h[65];
    struct render_manifest m;

    memset(h, 'b', 64), h[64] = '\0';
    render_manifest_init(&m);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(render_manifest_add(&m, bad[i], h, 1, "person", "x", &err) ==
                      ERR_USAGE, "path '%s' accepted", bad[i]);
    ck_assert_int_eq(render_manifest_add(&m, "a.pdf", "abc", 1, "person", "", &err),
                     ERR_USAGE);
    h[3] = 'B';     /* upper case is not the format */
    ck_assert_int_eq(render_manifest_add(&m, "a.pdf", h, 1, "person", "", &err),
                     ERR_USAGE);
    h[3] = 'b';
    ck_assert_int_eq(render_manifest_add(&m, "a.pdf", h, -1, "person", "", &err),
                     ERR_USAGE);
    ck_assert_int_eq(render_manifest_add(&m, "a.pdf", h, 1, "", "", &err),
                     ERR_USAGE);
    ck_assert_int_eq((int)m.n, 0);
    ck_assert_int_eq(render_manifest_add_file(&m, "/nonexistent", "a.pdf", "person",
                                              "", &err), ERR_NOINPUT);
    render_manifest_free(&m);
}
END_TEST

START_TEST(manifest_out_of_memory)
{
    char h[65];
    int rc = -1;

    memset(h, 'c', 64), h[64] = '\0';
    for (long n = 1; n < 20 && rc != ERR_OK; n++) {
        struct render_manifest m;
        render_manifest_init(&m);
        mem_fail_after(n);
        rc = render_manifest_add(&m, "persons/E1.pdf", h, 1, "person", "E1", &err);
        if (rc == ERR_OK)
            rc = render_manifest_add(&m, "persons/E2.pdf", h, 1, "person", "E2",
                                     &err);
        mem_fail_after(0);
        ck_assert(rc == ERR_OK || rc == ERR_NOMEM);
        render_manifest_free(&m);          /* no leak either way (valgrind) */
    }
    ck_assert_int_eq(rc, ERR_OK);
}
END_TEST

/* ---- qr ---------------------------------------------------------------------- */

START_TEST(qr_matrix)
{
    struct sheet_qr q;

    ck_assert_int_eq(sheet_qr_encode("KQ-202610-000123 3f9a1c2e", &q, &err), ERR_OK);
    /* 25 bytes at level M need version 2: 25 x 25 modules */
    ck_assert_int_eq(q.version, 2);
    ck_assert_int_eq(q.width, 25);
    ck_assert_double_eq(sheet_qr_side(&q, 2.0), 50.0);
    /* the three finder patterns: dark ring, light ring, dark 3x3 core */
    ck_assert_int_eq(sheet_qr_is_dark(&q, 0, 0), 1);
    ck_assert_int_eq(sheet_qr_is_dark(&q, 6, 6), 1);
    ck_assert_int_eq(sheet_qr_is_dark(&q, 1, 1), 0);
    ck_assert_int_eq(sheet_qr_is_dark(&q, 3, 3), 1);
    ck_assert_int_eq(sheet_qr_is_dark(&q, 7, 7), 0);  /* separator */
    ck_assert_int_eq(sheet_qr_is_dark(&q, 24, 0), 1);
    ck_assert_int_eq(sheet_qr_is_dark(&q, 0, 24), 1);
    /* version 2's alignment pattern, centred on (18, 18) */
    ck_assert_int_eq(sheet_qr_is_dark(&q, 18, 18), 1);
    ck_assert_int_eq(sheet_qr_is_dark(&q, 17, 17), 0);
    ck_assert_int_eq(sheet_qr_is_dark(&q, 19, 18), 0);
    ck_assert_int_eq(sheet_qr_is_dark(&q, 16, 16), 1);
    ck_assert_int_eq(sheet_qr_is_dark(&q, 20, 18), 1);
    /* timing pattern: row 6 alternates between the finders */
    for (int x = 8; x < 17; x++)
        ck_assert_int_eq(sheet_qr_is_dark(&q, x, 6), x % 2 == 0);
    ck_assert_int_eq(sheet_qr_is_dark(&q, -1, 0), 0);
    ck_assert_int_eq(sheet_qr_is_dark(&q, 0, 25), 0);
    sheet_qr_free(&q);
    ck_assert_ptr_null(q.dark);
    sheet_qr_free(&q);                    /* twice is fine */
}
END_TEST

/* Drawn into a PDF, rasterised by poppler, read back by zbar. */
START_TEST(qr_scans_back)
{
    static const char text[] = "KQ-202610-000123 3f9a1c2e";
    const char *dir = unit_tmpdir();
    struct font *f = NULL;
    struct pdf *d = NULL;
    char path[600], *got;

    ck_assert_double_eq_tol(sheet_qr_quiet_for(text, 40), 6.4, 1e-9);
    ck_assert_double_eq(sheet_qr_quiet_for("", 40), 0);
    ck_assert_int_eq(font_open(&f, ZENHEI, NULL, &err), ERR_OK);
    ck_assert_int_eq(pdf_new(&d, f, &err), ERR_OK);
    ck_assert_int_eq(pdf_page(d, 200, 200, &err), ERR_OK);
    ck_assert_int_eq(sheet_qr_place(d, text, 80, 80, 40, 0x000000, &err), ERR_OK);
    snprintf(path, sizeof path, "%s/q.pdf", dir);
    ck_assert_int_eq(pdf_save(d, path, &err), ERR_OK);
    ck_assert_int_eq(unit_sh("cd '%s' && pdftoppm -r 200 -png -singlefile "
                             "q.pdf q && zbarimg -q --raw q.png > q.txt "
                             "2>/dev/null", dir), 0);
    snprintf(path, sizeof path, "%s/q.txt", dir);
    got = slurp(path);
    ck_assert_str_eq(got, "KQ-202610-000123 3f9a1c2e\n");
    mem_free(got);
    pdf_free(d);
    font_close(f);
    unit_sh("rm -rf '%s'", dir);
}
END_TEST

START_TEST(qr_refusals)
{
    struct sheet_qr q;
    char big[SHEET_QR_MAX_TEXT + 2];

    ck_assert_int_eq(sheet_qr_encode("", &q, &err), ERR_USAGE);
    ck_assert_int_eq(sheet_qr_encode(NULL, &q, &err), ERR_USAGE);
    memset(big, 'A', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    ck_assert_int_eq(sheet_qr_encode(big, &q, &err), ERR_USAGE);
    ck_assert_ptr_null(q.dark);
}
END_TEST

/* ---- attachments --------------------------------------------------------- */

/* 1 when s occurs in p[0..n). */
static int contains(const unsigned char *p, size_t n, const char *s)
{
    size_t k = strlen(s);
    for (size_t i = 0; i + k <= n; i++)
        if (!memcmp(p + i, s, k))
            return 1;
    return 0;
}

static struct pdf *one_page(struct font **f)
{
    struct pdf *d = NULL;
    ck_assert_msg(font_open(f, ZENHEI, NULL, &err) == ERR_OK, "%s", err.msg);
    ck_assert_int_eq(pdf_new(&d, *f, &err), ERR_OK);
    ck_assert_int_eq(pdf_page(d, PDF_A4_WIDTH, PDF_A4_HEIGHT, &err), ERR_OK);
    ck_assert_int_eq(pdf_text(d, 40, 60, 12, 0, "附件 test", 10, &err),
                     ERR_OK);
    return d;
}

START_TEST(attach_pdfdetach)
{
    static const char csv[] = "period,person_id\n2026-10,E1\n";
    const char *dir = unit_tmpdir();
    struct font *f = NULL;
    struct pdf *d = one_page(&f);
    char path[600], *got;
    unsigned char *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;

    /* added out of order: listed by name */
    ck_assert_int_eq(pdf_attach(d, "z-notes.txt", "text/plain", "zz\n", 3,
                                &err), ERR_OK);
    ck_assert_int_eq(pdf_attach(d, "scores-E1.csv", "text/csv", csv,
                                strlen(csv), &err), ERR_OK);
    ck_assert_int_eq((int)pdf_attachment_count(d), 2);
    snprintf(path, sizeof path, "%s/a.pdf", dir);
    ck_assert_int_eq(pdf_save(d, path, &err), ERR_OK);
    ck_assert_int_eq(unit_sh("qpdf --check '%s' >/dev/null 2>&1", path), 0);
    ck_assert_int_eq(unit_sh("cd '%s' && pdfdetach -list a.pdf > list.txt",
                             dir), 0);
    snprintf(path, sizeof path, "%s/list.txt", dir);
    got = slurp(path);
    ck_assert_str_eq(got, "2 embedded files\n1: scores-E1.csv\n"
                          "2: z-notes.txt\n");
    mem_free(got);
    ck_assert_int_eq(unit_sh("cd '%s' && pdfdetach -save 1 -o one.csv a.pdf",
                             dir), 0);
    snprintf(path, sizeof path, "%s/one.csv", dir);
    got = slurp(path);
    ck_assert_str_eq(got, csv);
    mem_free(got);
    /* deterministic: rendering twice gives the same bytes */
    ck_assert_int_eq(pdf_render(d, &a, &na, &err), ERR_OK);
    ck_assert_int_eq(pdf_render(d, &b, &nb, &err), ERR_OK);
    ck_assert_int_eq((int)na, (int)nb);
    ck_assert_int_eq(memcmp(a, b, na), 0);
    ck_assert(contains(a, na, "/Subtype /text#2Fcsv"));
    ck_assert(!contains(a, na, "/ModDate"));
    mem_free(a);
    mem_free(b);
    pdf_free(d);
    font_close(f);
    unit_sh("rm -rf '%s'", dir);
}
END_TEST

START_TEST(attach_refusals)
{
    struct font *f = NULL;
    struct pdf *d = one_page(&f);

    ck_assert_int_eq(pdf_attach(d, "a/b.csv", "text/csv", "x", 1, &err),
                     ERR_USAGE);
    ck_assert_int_eq(pdf_attach(d, "", "text/csv", "x", 1, &err), ERR_USAGE);
    ck_assert_int_eq(pdf_attach(d, "名单.csv", "text/csv", "x", 1, &err),
                     ERR_USAGE);
    ck_assert_int_eq(pdf_attach(d, "a.csv", "csv", "x", 1, &err), ERR_USAGE);
    ck_assert_int_eq(pdf_attach(d, "a.csv", "text/csv", "x", 1, &err), 0);
    ck_assert_int_eq(pdf_attach(d, "a.csv", "text/csv", "y", 1, &err),
                     ERR_USAGE);
    ck_assert_int_eq(pdf_attach(d, "big.bin", "application/octet-stream",
                                "", PDF_ATTACH_MAX_BYTES + 1, &err),
                     ERR_DATA);
    ck_assert_int_eq((int)pdf_attachment_count(d), 1);
    /* an empty file is a file */
    ck_assert_int_eq(pdf_attach(d, "empty.txt", "text/plain", NULL, 0, &err),
                     ERR_OK);
    pdf_free(d);
    font_close(f);
}
END_TEST

START_TEST(attach_out_of_memory)
{
    struct font *f = NULL;
    struct pdf *d = one_page(&f);
    int rc = -1;

    for (long n = 1; n < 10 && rc != ERR_OK; n++) {
        mem_fail_after(n);
        rc = pdf_attach(d, "a.csv", "text/csv", "abc", 3, &err);
        mem_fail_after(0);
        ck_assert(rc == ERR_OK || rc == ERR_NOMEM);
        ck_assert_int_eq((int)pdf_attachment_count(d), rc == ERR_OK);
    }
    ck_assert_int_eq(rc, ERR_OK);
    pdf_free(d);
    font_close(f);
}
END_TEST

/* ---- verify: the number a PDF claims -------------------------------------------- */

START_TEST(doc_number_from_info)
{
    /* "KQ-202610-000123" in UTF-16BE hex, as pdf.c writes Info strings */
    static const char hex[] =
        "1 0 obj\n<< /Title <FEFF0041> /Subject <FEFF004B0051002D0032003000"
        "32003600310030002D003000300030003100320033> >>\nendobj\n";
    static const char lit[] = "<< /Subject (sheet KQ-202611-000007) >>";
    static const char longer[] = "<< /Subject (KQ-202611-0000071) >>";
    static const char none[] = "<< /Title (KQ-202610-000001) >>";
    char no[STORE_DOC_NUMBER_MAX];

    ck_assert_int_eq(archive_verify_doc_number(hex, strlen(hex), no), 1);
    ck_assert_str_eq(no, "KQ-202610-000123");
    ck_assert_int_eq(archive_verify_doc_number(lit, strlen(lit), no), 1);
    ck_assert_str_eq(no, "KQ-202611-000007");
    ck_assert_int_eq(archive_verify_doc_number(longer, strlen(longer), no), 0);
    ck_assert_str_eq(no, "");
    ck_assert_int_eq(archive_verify_doc_number(none, strlen(none), no), 0);
    ck_assert_int_eq(archive_verify_doc_number("/Subject", 8, no), 0);
    ck_assert_str_eq(archive_verify_state_name(ARCHIVE_VERIFY_MODIFIED), "modified");
}
END_TEST

/* ---- progress ---------------------------------------------------------------- */

static double fake_now;
static double fake_clock(void) { return fake_now; }

START_TEST(progress_lines)
{
    struct progress p;
    char line[PROGRESS_LINE_MAX], *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);

    ck_assert_int_eq(progress_choose(1, 1), PROGRESS_QUIET);
    ck_assert_int_eq(progress_choose(0, 1), PROGRESS_BAR);
    ck_assert_int_eq(progress_choose(0, 0), PROGRESS_LINES);
    progress_init(&p, fp, PROGRESS_LINES);
    p.clock = fake_clock;
    fake_now = 100;
    progress_begin(&p, "render", "sheets", 100);
    fake_now = 105;
    progress_set(&p, 25);
    progress_format(&p, fake_now, line, sizeof line);
    ck_assert_str_eq(line, "render   [######..................]  25/100 "
                           "sheets  5/s  0:15 left");
    fake_now = 120;
    progress_set(&p, 100);
    ck_assert_double_eq(progress_end(&p, NULL), 20.0);
    progress_begin(&p, "import", "files", 0);
    fake_now = 185;
    progress_format(&p, fake_now, line, sizeof line);
    ck_assert_str_eq(line, "import   0 files  1:05");
    progress_end(&p, "skipped");
    fclose(fp);
    /* LINES: one line per stage, no bar */
    ck_assert_str_eq(text, "render: 100 sheets (20.00 s)\n"
                           "import: skipped (65.00 s)\n");
    free(text);
}
END_TEST

START_TEST(progress_bar_and_quiet)
{
    struct progress p;
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);

    progress_init(&p, fp, PROGRESS_BAR);
    p.clock = fake_clock;
    fake_now = 0;
    progress_begin(&p, "score", "persons", 4);
    fake_now = 0.05;
    progress_set(&p, 1);            /* too soon: not redrawn */
    fake_now = 1;
    progress_set(&p, 2);
    progress_end(&p, "done");
    fclose(fp);
    ck_assert_str_eq(text,
        "\rscore    [........................]  0/4 persons  0/s  ? left\033[K"
        "\rscore    [############............]  2/4 persons  2/s  0:01 left\033[K"
        "\r\033[Kscore: done (1.00 s)\n");
    free(text);
    text = NULL;
    fp = open_memstream(&text, &len);
    progress_init(&p, fp, PROGRESS_QUIET);
    progress_begin(&p, "score", "persons", 4);
    progress_set(&p, 4);
    progress_end(&p, "done");
    fclose(fp);
    ck_assert_str_eq(text, "");
    free(text);
}
END_TEST

/* Read n bytes of fd (whole MiB, so the offset is exact). */
static void read_mib(int fd, int mib)
{
    static char chunk[1 << 20];
    for (int i = 0; i < mib; i++)
        ck_assert_int_eq(read(fd, chunk, sizeof chunk), (ssize_t)sizeof chunk);
}

/* The bar of a stage that reads files follows this process's offsets in
 * them: 2 MiB into a (3 MiB) is 2; then a closed and 1 MiB into b is
 * 3 + 1 = 4 (the files are read one after the other).  No waiting: the
 * watch looks once more when it is stopped, whatever its thread did. */
START_TEST(progress_watch_reads)
{
    const char *dir = unit_tmpdir();
    char a[600], b[600];
    const char *files[2] = {a, b};
    struct progress p;
    struct progress_watch *w;
    FILE *sink = fopen("/dev/null", "w");
    int fa, fb;

    ck_assert_ptr_nonnull(dir);
    ck_assert_ptr_nonnull(sink);
    snprintf(a, sizeof a, "%s/a.xml", dir);
    snprintf(b, sizeof b, "%s/b.xml", dir);
    ck_assert_int_eq(unit_sh("head -c 3145728 /dev/zero > '%s' && "
                             "head -c 2621440 /dev/zero > '%s'", a, b), 0);
    ck_assert_int_eq(progress_files_mb(files, 2), 5);    /* 3 + 2.5 */
    /* only a bar is moved */
    progress_init(&p, sink, PROGRESS_LINES);
    ck_assert_ptr_null(progress_watch_files(&p, files, 2));
    progress_unwatch(NULL);
    progress_init(&p, sink, PROGRESS_BAR);
    progress_begin(&p, "import", "MB", 5);
    if (access("/proc/self/fdinfo", R_OK) != 0) {
        fclose(sink);
        return;                 /* no /proc: the bar stays at 0 */
    }
    fa = open(a, O_RDONLY);
    fb = open(b, O_RDONLY);
    ck_assert_int_ge(fa, 0);
    ck_assert_int_ge(fb, 0);
    ck_assert_ptr_nonnull(w = progress_watch_files(&p, files, 2));
    read_mib(fa, 2);
    progress_unwatch(w);
    ck_assert_int_eq(p.done, 2);
    /* a new watch; b's descriptor already open at 0 does not count */
    ck_assert_ptr_nonnull(w = progress_watch_files(&p, files, 2));
    close(fa);
    read_mib(fb, 1);
    progress_unwatch(w);
    ck_assert_int_eq(p.done, 4);
    close(fb);
    fclose(sink);
    unit_sh("rm -rf '%s'", dir);
}
END_TEST

/* ---- batch helpers -------------------------------------------------------------- */

static void sample_sheet(struct sheet_data *d)
{
    memset(d, 0, sizeof *d);
    snprintf(d->period, sizeof d->period, "2026-10");
    d->person_id = mem_strdup("E1");
    d->name = mem_strdup("李娜");
    d->role = mem_strdup("sales_rep");
    d->role_label = mem_strdup("业代");
    d->region_id = mem_strdup("R1");
    d->region_name = mem_strdup("华东");
    d->manager_id = mem_strdup("");
    d->manager_name = mem_strdup("");
    d->grade = mem_strdup("良好");
    d->company = mem_strdup("");
    snprintf(d->source, sizeof d->source, "88c7884f");
    d->nind = 2;
    d->ind[0].ind = 0;      /* A1: applicable */
    d->ind[0].num = 2;
    d->ind[0].den = 3;
    d->ind[0].rate = 2.0 / 3;
    d->ind[0].target = 0.9;
    d->ind[0].weight = 15;
    d->ind[0].score = 11.111111;
    d->ind[0].applicable = 1;
    d->ind[1].ind = 6;      /* B1: not applicable */
    d->ind[1].target = 1;
    d->ind[1].weight = 12.5;
}

START_TEST(person_csv_rows)
{
    struct sheet_data d;
    struct buf b;

    sample_sheet(&d);
    buf_init(&b, 4096);
    ck_assert_int_eq(render_person_csv(&d, &b), ERR_OK);
    ck_assert_str_eq(buf_str(&b),
        "period,person_id,indicator,numerator,denominator,rate,target,"
        "weight,score\n"
        "2026-10,E1,A1,2,3,0.6667,0.9000,15,11.11\n"
        "2026-10,E1,B1,0,0,,1.0000,12.5,\n");
    buf_free(&b);
    sheet_data_free(&d);
}
END_TEST

START_TEST(person_hash)
{
    struct sheet_data d;
    char h1[65], h2[65];

    sample_sheet(&d);
    render_person_hash(&d, h1);
    ck_assert_int_eq((int)strlen(h1), 64);
    /* the position and the batch's own fields are not data */
    d.seq = 7;
    d.count = 99;
    snprintf(d.doc_no, sizeof d.doc_no, "KQ-202610-000001");
    snprintf(d.qr_text, sizeof d.qr_text, "x");
    render_person_hash(&d, h2);
    ck_assert_str_eq(h1, h2);
    /* what the sheet shows is */
    d.ind[1].weight = 12.25;
    render_person_hash(&d, h2);
    ck_assert_str_ne(h1, h2);
    d.ind[1].weight = 12.5;
    render_person_hash(&d, h2);
    ck_assert_str_eq(h1, h2);
    mem_free(d.name);
    d.name = mem_strdup("李娜娜");
    render_person_hash(&d, h2);
    ck_assert_str_ne(h1, h2);
    mem_free(d.name);
    d.name = mem_strdup("李娜");
    /* the provenance is the registry's (doc/archive.md): not data, so a
     * correction elsewhere does not re-issue this sheet; the company is */
    snprintf(d.source, sizeof d.source, "deadbeef");
    render_person_hash(&d, h2);
    ck_assert_str_eq(h1, h2);
    mem_free(d.company);
    d.company = mem_strdup("新公司");
    render_person_hash(&d, h2);
    ck_assert_str_ne(h1, h2);
    sheet_data_free(&d);
}
END_TEST

START_TEST(region_hash)
{
    struct region_member mem[2];
    struct region_data d;
    char h1[65], h2[65];

    memset(&d, 0, sizeof d);
    memset(mem, 0, sizeof mem);
    snprintf(d.period, sizeof d.period, "2026-10");
    d.region_id = "EAST";
    d.name = "华东大区";
    d.people = 2;
    mem[0].person_id = "E1";
    mem[0].total = 81.5;
    mem[0].rank = 1;
    mem[1].person_id = "E2";
    mem[1].total = 70;
    mem[1].rank = 2;
    d.member = mem;
    d.nmember = 2;
    render_region_hash(&d, h1);
    render_region_hash(&d, h2);
    ck_assert_str_eq(h1, h2);
    mem[1].total = 70.25;               /* a member's figure */
    render_region_hash(&d, h2);
    ck_assert_str_ne(h1, h2);
    mem[1].total = 70;
    d.source = "88c7884f";              /* the provenance: not data */
    render_region_hash(&d, h2);
    ck_assert_str_eq(h1, h2);
    d.source = NULL;
    d.company = "新公司";               /* the company: data */
    render_region_hash(&d, h2);
    ck_assert_str_ne(h1, h2);
    d.company = NULL;
    d.nmember = 1;                      /* the ranking's length */
    render_region_hash(&d, h2);
    ck_assert_str_ne(h1, h2);
}
END_TEST

START_TEST(template_version)
{
    static const char *const person[] = {"person.xml", NULL};
    const char *dir = unit_tmpdir();
    char a[65], b[65], c[65];

    ck_assert_int_eq(unit_sh("cd '%s' && mkdir sheet roles && echo p > "
                             "sheet/person.xml && echo r > roles/r.xml", dir),
                     0);
    ck_assert_int_eq(render_template_version(dir, person, a, &err), 0);
    /* another kind's template does not change the person sheets' */
    unit_sh("echo g > '%s/sheet/region.xml'", dir);
    ck_assert_int_eq(render_template_version(dir, person, b, &err), 0);
    ck_assert_str_eq(a, b);
    /* a role template does */
    unit_sh("echo r2 > '%s/roles/r.xml'", dir);
    ck_assert_int_eq(render_template_version(dir, person, c, &err), 0);
    ck_assert_str_ne(a, c);
    unit_sh("rm '%s/sheet/person.xml'", dir);
    ck_assert_int_eq(render_template_version(dir, person, c, &err),
                     ERR_NOINPUT);
    unit_sh("rm -rf '%s'", dir);
}
END_TEST

START_TEST(clean_temps)
{
    const char *dir = unit_tmpdir();
    pid_t dead = fork();

    if (dead == 0)
        _exit(0);
    waitpid(dead, NULL, 0);
    ck_assert_int_eq(unit_sh("cd '%s' && touch .a.pdf.tmp.%ld .b.pdf.tmp.%ld "
                             "c.pdf .d.pdf.tmp.x", dir, (long)dead,
                             (long)getpid()), 0);
    ck_assert_int_eq(render_clean_temps(dir), 1);
    ck_assert_int_eq(unit_sh("cd '%s' && test ! -e .a.pdf.tmp.%ld && "
                             "test -e .b.pdf.tmp.%ld && test -e c.pdf && "
                             "test -e .d.pdf.tmp.x", dir, (long)dead,
                             (long)getpid()), 0);
    ck_assert_int_eq(render_clean_temps("/nonexistent/dir"), 0);
    unit_sh("rm -rf '%s'", dir);
}
END_TEST

Suite *suite_batch(void)
{
    Suite *s = suite_create("batch");
    TCase *t = tcase_create("batch");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, manifest_sorted_exact);
    tcase_add_test(t, manifest_refusals);
    tcase_add_test(t, manifest_out_of_memory);
    tcase_add_test(t, qr_matrix);
    tcase_add_test(t, qr_scans_back);
    tcase_add_test(t, qr_refusals);
    tcase_add_test(t, attach_pdfdetach);
    tcase_add_test(t, attach_refusals);
    tcase_add_test(t, attach_out_of_memory);
    tcase_add_test(t, doc_number_from_info);
    tcase_add_test(t, progress_lines);
    tcase_add_test(t, progress_bar_and_quiet);
    tcase_add_test(t, progress_watch_reads);
    tcase_add_test(t, person_csv_rows);
    tcase_add_test(t, person_hash);
    tcase_add_test(t, region_hash);
    tcase_add_test(t, template_version);
    tcase_add_test(t, clean_temps);
    suite_add_tcase(s, t);
    return s;
}
