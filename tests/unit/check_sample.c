/* check_sample -- unit tests of the sample generator (sample.c,
 * sample_names.c): determinism, validity against the shipped XSD, every
 * reference resolving, the mix of roles/grades/types/events the scorer
 * needs, counts in proportion to --staff, the period's weeks covered,
 * argument limits, write and allocation failures.
 *
 * The export puts one record per line, so the checks below read it line
 * by line with a tiny attribute scanner (libxml2 is not for this module).
 */
#include "unit.h"

#include "date.h"
#include "period.h"
#include "err.h"
#include "fsx.h"
#include "mem.h"
#include "rng.h"
#include "sample.h"
#include "sample_names.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------ */

static char gen_dir[512]; /* the folder of the last gen_file(), or "" */

/* Remove the last gen_file()'s folder (also the per-test teardown). */
static void gen_done(void)
{
    if (gen_dir[0])
        unit_sh("rm -rf '%s'", gen_dir);
    gen_dir[0] = '\0';
}

/* Generate a sample into a fresh temporary folder (the previous one is
 * removed); returns its path, valid until the next call. */
static char *gen_file(long staff, int year, int month, uint64_t seed,
                      struct sample_stats *st)
{
    static char path[600];
    struct sample_opts o;
    struct err e;
    const char *dir;
    gen_done();
    dir = unit_tmpdir();
    ck_assert_ptr_nonnull(dir);
    snprintf(gen_dir, sizeof gen_dir, "%s", dir);
    snprintf(path, sizeof path, "%s/s.xml", dir);
    o.staff = staff;
    o.year = year;
    o.month = month;
    o.seed = seed;
    err_clear(&e);
    ck_assert_int_eq(sample_write_file(path, &o, st, &e), ERR_OK);
    return path;
}

static char *slurp(const char *path, size_t *n)
{
    char *data;
    struct err e;
    ck_assert_int_eq(fsx_read_file(path, (size_t)1 << 30, &data, n, &e),
                     ERR_OK);
    return data;
}

/* Value of attribute name in one record line, into out[n]; 1 if present. */
static int attr(const char *line, const char *name, char *out, size_t n)
{
    char pat[48];
    const char *p, *q;
    size_t len;
    snprintf(pat, sizeof pat, " %s=\"", name);
    p = strstr(line, pat);
    if (!p)
        return 0;
    p += strlen(pat);
    q = strchr(p, '"');
    len = (size_t)(q - p);
    if (len >= n)
        len = n - 1;
    memcpy(out, p, len);
    out[len] = '\0';
    return 1;
}

/* Element name of a record line ("" for closing tags and others). */
static void elem(const char *line, char *out, size_t n)
{
    size_t i = 0;
    while (*line == ' ')
        line++;
    out[0] = '\0';
    if (*line != '<' || line[1] == '/' || line[1] == '?')
        return;
    line++;
    while (line[i] && line[i] != ' ' && line[i] != '>' && line[i] != '/' &&
           i + 1 < n) {
        out[i] = line[i];
        i++;
    }
    out[i] = '\0';
}

/* Calls fn on every line of data (NUL-terminated copies). */
static void each_line(char *data, void (*fn)(const char *line, void *arg),
                      void *arg)
{
    char *p = data;
    while (*p) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        fn(p, arg);
        if (!nl)
            break;
        *nl = '\n';
        p = nl + 1;
    }
}

struct idset {
    char **v;
    size_t n, cap;
};

static void ids_add(struct idset *s, const char *id)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 256;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        ck_assert_ptr_nonnull(s->v);
    }
    s->v[s->n++] = strdup(id);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort; returns the number of duplicates. */
static size_t ids_sort(struct idset *s)
{
    size_t dup = 0;
    qsort(s->v, s->n, sizeof *s->v, cmp_str);
    for (size_t i = 1; i < s->n; i++)
        dup += strcmp(s->v[i - 1], s->v[i]) == 0;
    return dup;
}

static int ids_has(const struct idset *s, const char *id)
{
    return bsearch(&id, s->v, s->n, sizeof *s->v, cmp_str) != NULL;
}

static void ids_free(struct idset *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

/* ---- determinism ------------------------------------------------------ */

static void sha_of(long staff, uint64_t seed, char hex[65], long long *bytes)
{
    struct err e;
    const char *path = gen_file(staff, 2026, 10, seed, NULL);
    ck_assert_int_eq(fsx_sha256_file(path, hex, bytes, &e), ERR_OK);
}

START_TEST(test_deterministic)
{
    char a[65], b[65], c[65];
    long long na, nb, nc;
    sha_of(50, 1, a, &na);
    sha_of(50, 1, b, &nb);
    sha_of(50, 2, c, &nc);
    ck_assert_str_eq(a, b);
    ck_assert_int_eq(na, nb);
    ck_assert_str_ne(a, c);
}
END_TEST

/* The FILE* and the atomic-file paths write the same bytes. */
START_TEST(test_stream_equals_file)
{
    struct sample_opts o;
    struct sample_stats st;
    struct err e;
    char *buf = NULL, *file;
    size_t len = 0, flen;
    FILE *fp = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(fp);
    sample_opts_default(&o);
    o.staff = 20;
    ck_assert_int_eq(sample_write(fp, &o, &st, &e), ERR_OK);
    fclose(fp);
    file = slurp(gen_file(20, 2026, 10, 1, NULL), &flen);
    ck_assert_uint_eq(len, flen);
    ck_assert_int_eq(memcmp(buf, file, len), 0);
    ck_assert_int_eq(st.bytes, (long long)len);
    free(buf);
    mem_free(file);
}
END_TEST

/* ---- validity ------------------------------------------------------------ */

START_TEST(test_schema_valid)
{
    char xsd[600];
    const char *path = gen_file(40, 2026, 10, 3, NULL);
    FILE *f;
    snprintf(xsd, sizeof xsd, "%s/templates/schema/erp.xsd", unit_srcdir());
    f = fopen(xsd, "r");
    if (f) {
        fclose(f);
        ck_assert_int_eq(unit_sh("xmllint --noout --schema '%s' '%s' "
                                 ">/dev/null 2>&1", xsd, path), 0);
    } else {
        ck_assert_int_eq(unit_sh("xmllint --noout '%s' 2>/dev/null", path), 0);
    }
}
END_TEST

/* Ids by kind, and every reference to check in a second pass. */
struct refs {
    struct idset region, person, customer, contact, act[6];
    long bad;           /* references that did not resolve */
    char first_bad[320];
    int pass;
};

static const char *const act_elems[6] = {"visit", "service", "display",
    "report", "greeting", "check"};

static void ref_check(struct refs *r, const char *line, const char *name,
                      const struct idset *set)
{
    char v[80];
    if (attr(line, name, v, sizeof v) && !ids_has(set, v)) {
        if (!r->bad)
            snprintf(r->first_bad, sizeof r->first_bad, "%s=%s in %.120s",
                     name, v, line);
        r->bad++;
    }
}

static void refs_line(const char *line, void *arg)
{
    struct refs *r = arg;
    char el[24], id[80];
    elem(line, el, sizeof el);
    if (r->pass == 0) {
        struct idset *s = NULL;
        if (!strcmp(el, "region")) s = &r->region;
        else if (!strcmp(el, "person")) s = &r->person;
        else if (!strcmp(el, "customer")) s = &r->customer;
        else if (!strcmp(el, "contact")) s = &r->contact;
        for (int k = 0; k < 6; k++)
            if (!strcmp(el, act_elems[k]))
                s = &r->act[k];
        if (s && attr(line, "id", id, sizeof id))
            ids_add(s, id);
        return;
    }
    ref_check(r, line, "parent", &r->region);
    ref_check(r, line, "region", &r->region);
    ref_check(r, line, "manager", &r->person);
    ref_check(r, line, "owner", &r->person);
    ref_check(r, line, "from", &r->person);
    ref_check(r, line, "to", &r->person);
    ref_check(r, line, "staff", &r->person);
    ref_check(r, line, "checker", &r->person);
    ref_check(r, line, "customer", &r->customer);
    ref_check(r, line, "contact", &r->contact);
}

START_TEST(test_ids_unique_refs_resolve)
{
    struct refs r;
    size_t n;
    char *data = slurp(gen_file(60, 2026, 10, 7, NULL), &n);
    memset(&r, 0, sizeof r);
    each_line(data, refs_line, &r);
    ck_assert_uint_eq(ids_sort(&r.region), 0);
    ck_assert_uint_eq(ids_sort(&r.person), 0);
    ck_assert_uint_eq(ids_sort(&r.customer), 0);
    ck_assert_uint_eq(ids_sort(&r.contact), 0);
    for (int k = 0; k < 6; k++) {
        ck_assert_uint_gt(r.act[k].n, 0);
        ck_assert_uint_eq(ids_sort(&r.act[k]), 0);
    }
    ck_assert_uint_eq(r.person.n, 60);
    ck_assert(ids_has(&r.person, "E00001"));
    ck_assert(ids_has(&r.person, "E00060"));
    ck_assert(ids_has(&r.customer, "C000001"));
    ck_assert(ids_has(&r.contact, "K0000001"));
    r.pass = 1;
    each_line(data, refs_line, &r);
    ck_assert_msg(r.bad == 0, "%ld unresolved, first: %s", r.bad, r.first_bad);
    ids_free(&r.region);
    ids_free(&r.person);
    ids_free(&r.customer);
    ids_free(&r.contact);
    for (int k = 0; k < 6; k++)
        ids_free(&r.act[k]);
    mem_free(data);
}
END_TEST

/* ---- content mix ---------------------------------------------------------- */

struct mix {
    struct period per;
    int role[5], grade[4], type[2];
    int key_true, key_other, left_in, hired_in, restr_grace, restr_old;
    int ho_in, ho_before, cards, contacts_key;
    int natday_before, birthday, anniversary, ident_false;
    int fwd_missing, fwd_late, check_absent, purpose_none, pop_best;
    int week_visits[5];
    int visit_min, visit_max;
};

static int day_of(const char *line, const char *name)
{
    char v[16];
    int d;
    if (!attr(line, name, v, sizeof v) || date_parse(v, &d))
        return -1000000;
    return d;
}

static int index_of(const char *v, const char *const *list, int n)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(v, list[i]))
            return i;
    return -1;
}

static void mix_person(struct mix *m, const char *line)
{
    static const char *const roles[5] = {"terminal_staff", "sales_rep",
        "commercial_supervisor", "terminal_supervisor", "province_manager"};
    char v[40];
    int left = day_of(line, "left"), hired = day_of(line, "hired");
    attr(line, "role", v, sizeof v);
    ck_assert_int_ge(index_of(v, roles, 5), 0);
    m->role[index_of(v, roles, 5)]++;
    m->left_in += left >= m->per.start && left <= m->per.end;
    m->hired_in += hired >= m->per.start && hired <= m->per.end;
}

static void mix_customer(struct mix *m, const char *line)
{
    static const char *const grades[4] = {"VIP", "A", "B", "C"};
    static const char *const types[2] = {"channel", "terminal"};
    char v[40];
    int rs = day_of(line, "restructured");
    attr(line, "grade", v, sizeof v);
    ck_assert_int_ge(index_of(v, grades, 4), 0);
    m->grade[index_of(v, grades, 4)]++;
    attr(line, "type", v, sizeof v);
    ck_assert_int_ge(index_of(v, types, 2), 0);
    m->type[index_of(v, types, 2)]++;
    if (rs > -1000000) {
        /* in grace when rs + 2 months > period_end */
        if (date_add_months(rs, 2) > m->per.end)
            m->restr_grace++;
        else
            m->restr_old++;
    }
}

static void mix_activity(struct mix *m, const char *el, const char *line)
{
    char v[40];
    int d = day_of(line, "date");
    if (!strcmp(el, "visit")) {
        m->purpose_none += !attr(line, "purpose", v, sizeof v);
        m->visit_min = d < m->visit_min ? d : m->visit_min;
        m->visit_max = d > m->visit_max ? d : m->visit_max;
        for (int w = 0; w < m->per.nweeks; w++)
            m->week_visits[w] += d >= m->per.week[w] && d <= m->per.week[w] + 6;
    } else if (!strcmp(el, "greeting")) {
        attr(line, "occasion", v, sizeof v);
        m->natday_before += !strcmp(v, "national_day") && d < m->per.start;
        m->birthday += !strcmp(v, "birthday");
        m->anniversary += !strcmp(v, "anniversary");
        m->ident_false += !attr(line, "identified", v, sizeof v) ||
                          !strcmp(v, "false");
    } else if (!strcmp(el, "report")) {
        int rec = day_of(line, "received"), fwd = day_of(line, "forwarded");
        m->fwd_missing += fwd == -1000000;
        m->fwd_late += fwd != -1000000 && fwd - rec > 3;
    } else if (!strcmp(el, "check")) {
        m->check_absent += !attr(line, "rep_recites_card", v, sizeof v) ||
                           !attr(line, "knows_company", v, sizeof v);
    } else if (!strcmp(el, "display")) {
        m->pop_best += strstr(line, "position=\"best\" pop=\"true\"") != NULL;
    }
}

static void mix_line(const char *line, void *arg)
{
    struct mix *m = arg;
    char el[24], v[40];
    elem(line, el, sizeof el);
    if (!strcmp(el, "person")) {
        mix_person(m, line);
    } else if (!strcmp(el, "customer")) {
        mix_customer(m, line);
    } else if (!strcmp(el, "contact")) {
        if (attr(line, "key", v, sizeof v) && !strcmp(v, "true"))
            m->key_true++;
        else
            m->key_other++;
    } else if (!strcmp(el, "handover")) {
        int d = day_of(line, "date");
        m->ho_in += d >= m->per.start && d <= m->per.end;
        m->ho_before += d < m->per.start;
    } else if (!strcmp(el, "card")) {
        m->cards++;
    } else if (el[0]) {
        mix_activity(m, el, line);
    }
}

static void scan_mix(struct mix *m, long staff, int year, int month,
                     uint64_t seed)
{
    size_t n;
    char *data = slurp(gen_file(staff, year, month, seed, NULL), &n);
    memset(m, 0, sizeof *m);
    period_init(&m->per, year, month);
    m->visit_min = 1 << 30;
    m->visit_max = -(1 << 30);
    each_line(data, mix_line, m);
    mem_free(data);
}

START_TEST(test_content_mix)
{
    struct mix m;
    scan_mix(&m, 200, 2026, 10, 1);
    for (int i = 0; i < 5; i++)
        ck_assert_int_gt(m.role[i], 0);
    for (int i = 0; i < 4; i++)
        ck_assert_int_gt(m.grade[i], 0);
    ck_assert_int_gt(m.type[0], 0);
    ck_assert_int_gt(m.type[1], 0);
    ck_assert_int_gt(m.key_true, 0);
    ck_assert_int_gt(m.key_other, 0);
    ck_assert_int_gt(m.left_in, 0);
    ck_assert_int_gt(m.hired_in, 0);
    ck_assert_int_gt(m.restr_grace, 0);
    ck_assert_int_gt(m.restr_old, 0);
    ck_assert_int_gt(m.ho_in, 0);
    ck_assert_int_gt(m.ho_before, 0);
    /* some key contacts have no card at all */
    ck_assert_int_lt(m.cards, m.key_true + m.key_other);
    ck_assert_int_gt(m.natday_before, 0);   /* 2026-09-28..30 for 10-01 */
    ck_assert_int_gt(m.birthday, 0);
    ck_assert_int_gt(m.anniversary, 0);
    ck_assert_int_gt(m.ident_false, 0);
    ck_assert_int_gt(m.fwd_missing, 0);
    ck_assert_int_gt(m.fwd_late, 0);
    ck_assert_int_gt(m.check_absent, 0);
    ck_assert_int_gt(m.purpose_none, 0);
    ck_assert_int_gt(m.pop_best, 0);
}
END_TEST

/* October 2026: weeks from Monday 09-28 to Sunday 11-01, all visited. */
START_TEST(test_period_weeks_covered)
{
    struct mix m;
    int lo, hi;
    scan_mix(&m, 50, 2026, 10, 1);
    ck_assert_int_eq(m.per.nweeks, 5);
    date_parse("2026-09-28", &lo);
    date_parse("2026-11-01", &hi);
    ck_assert_int_eq(m.visit_min, lo);
    ck_assert_int_eq(m.visit_max, hi);
    for (int w = 0; w < 5; w++)
        ck_assert_int_gt(m.week_visits[w], 0);
}
END_TEST

/* Lunar festivals land on the official dates: 中秋 2026-09-25 in a
 * September sample, 春节 2027-02-06 in February 2027. */
/* Greetings for occ dated within [lo, hi] (YYYY-MM-DD, compared as text). */
static int count_occasion(const char *path, const char *occ, const char *lo,
                          const char *hi)
{
    size_t n;
    char *data = slurp(path, &n), *p = data;
    char pat[64];
    int found = 0;
    snprintf(pat, sizeof pat, "occasion=\"%s\" date=\"", occ);
    while ((p = strstr(p, pat)) != NULL) {
        char d[11];
        p += strlen(pat);
        memcpy(d, p, 10);
        d[10] = '\0';
        found += strcmp(d, lo) >= 0 && strcmp(d, hi) <= 0;
    }
    mem_free(data);
    return found;
}

START_TEST(test_lunar_greetings)
{
    const char *sep = gen_file(80, 2026, 9, 1, NULL);
    ck_assert_int_gt(count_occasion(sep, "mid_autumn", "2026-09-22",
                                    "2026-09-25"), 0);
    /* none early by more than 6 days or late by more than 3 */
    ck_assert_int_eq(count_occasion(sep, "mid_autumn", "0000", "2026-09-18"),
                     0);
    ck_assert_int_eq(count_occasion(sep, "mid_autumn", "2026-09-29", "9999"),
                     0);
    ck_assert_int_gt(count_occasion(gen_file(80, 2027, 2, 1, NULL),
                                    "spring_festival", "2027-02-03",
                                    "2027-02-06"), 0);
    /* no 春节 greeting at all in an October sample */
    ck_assert_int_eq(count_occasion(gen_file(80, 2026, 10, 1, NULL),
                                    "spring_festival", "0000", "9999"), 0);
}
END_TEST

/* ---- scale ------------------------------------------------------------- */

START_TEST(test_counts_in_proportion)
{
    struct sample_stats a, b;
    gen_file(100, 2026, 10, 1, &a);
    gen_file(400, 2026, 10, 1, &b);
    ck_assert_int_eq(a.count[REC_PERSON], 100);
    ck_assert_int_eq(b.count[REC_PERSON], 400);
    /* about 20 customers and 200 records per person */
    ck_assert_int_ge(b.count[REC_CUSTOMER], 15 * 400);
    ck_assert_int_le(b.count[REC_CUSTOMER], 25 * 400);
    ck_assert_int_ge(sample_total(&b), 150 * 400);
    ck_assert_int_le(sample_total(&b), 300 * 400);
    /* four times the staff, about four times the records (+-15%) */
    ck_assert_int_ge(sample_total(&b) * 100, sample_total(&a) * 4 * 85);
    ck_assert_int_le(sample_total(&b) * 100, sample_total(&a) * 4 * 115);
}
END_TEST

/* One person: a province manager alone in 浙江省区 under 华东 and 全国. */
START_TEST(test_one_person)
{
    struct sample_stats st;
    size_t n;
    char *data = slurp(gen_file(1, 2026, 10, 1, &st), &n);
    ck_assert_int_eq(st.count[REC_PERSON], 1);
    ck_assert_int_eq(st.count[REC_REGION], 3);
    ck_assert_ptr_nonnull(strstr(data, "<region id=\"EAST-ZJ\" name=\"浙江省区\" "
                                       "parent=\"EAST\"/>"));
    ck_assert_ptr_nonnull(strstr(data, "role=\"province_manager\" "
                                       "region=\"EAST-ZJ\""));
    ck_assert_ptr_null(strstr(data, "manager=\""));
    ck_assert_ptr_null(strstr(data, "checker=\""));
    mem_free(data);
}
END_TEST

/* Over 31 teams, every team gets a 片区 under its 省区: regions are
 * 1 + 7 大区 + 31 省区 + one per team (= per province manager). */
START_TEST(test_regions_scale)
{
    struct mix m;
    struct sample_stats st;
    gen_file(700, 2026, 10, 1, &st);
    scan_mix(&m, 700, 2026, 10, 1);
    ck_assert_int_gt(m.role[4], 31);
    ck_assert_int_eq(st.count[REC_REGION], 1 + 7 + 31 + m.role[4]);
}
END_TEST

/* ---- failures ------------------------------------------------------------- */

START_TEST(test_limits)
{
    struct sample_opts o;
    struct err e;
    sample_opts_default(&o);
    ck_assert_int_eq(o.staff, 50);
    ck_assert_int_eq(o.year, 2026);
    ck_assert_int_eq(o.month, 10);
    ck_assert_uint_eq(o.seed, 1);
    o.staff = 0;
    ck_assert_int_eq(sample_write(stdout, &o, NULL, &e), ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(e.msg, "--staff 0"));
    o.staff = SAMPLE_STAFF_MAX + 1;
    ck_assert_int_eq(sample_write(stdout, &o, NULL, &e), ERR_USAGE);
    o.staff = 5;
    o.year = 1999;
    ck_assert_int_eq(sample_write(stdout, &o, NULL, &e), ERR_USAGE);
    o.year = 2026;
    o.month = 13;
    ck_assert_int_eq(sample_write(stdout, &o, NULL, &e), ERR_USAGE);
}
END_TEST

START_TEST(test_write_failure)
{
    struct sample_opts o;
    struct err e;
    FILE *fp = fopen("/dev/full", "w");
    char path[600];
    const char *dir = unit_tmpdir();
    ck_assert_msg(fp != NULL, "cannot open /dev/full: %s", strerror(errno));
    sample_opts_default(&o);
    ck_assert_int_eq(sample_write(fp, &o, NULL, &e), ERR_IO);
    ck_assert_ptr_nonnull(strstr(e.msg, "write failed"));
    fclose(fp);
    /* a folder that does not exist: nothing created */
    snprintf(path, sizeof path, "%s/no/such/dir/s.xml", dir);
    ck_assert_int_eq(sample_write_file(path, &o, NULL, &e), ERR_CANTCREAT);
    ck_assert_int_eq(unit_sh("test -z \"$(ls -A '%s')\"", dir), 0);
    unit_sh("rm -rf '%s'", dir);
}
END_TEST

#ifdef KQ_TESTING
START_TEST(test_nomem)
{
    struct sample_opts o;
    struct err e;
    FILE *fp = fopen("/dev/null", "w");
    ck_assert_ptr_nonnull(fp);
    sample_opts_default(&o);
    for (long n = 1; n <= 3; n++) {
        mem_fail_after(n);
        ck_assert_int_eq(sample_write(fp, &o, NULL, &e), ERR_NOMEM);
    }
    mem_fail_after(4);
    ck_assert_int_eq(sample_write(fp, &o, NULL, &e), ERR_OK);
    mem_fail_after(0);
    fclose(fp);
}
END_TEST
#endif

/* ---- word lists ----------------------------------------------------------- */

static void no_specials(const char *s, void *arg)
{
    (*(int *)arg)++;
    ck_assert_msg(*s != '\0', "empty word");
    ck_assert_msg(strpbrk(s, "&<>\"'") == NULL, "'%s' needs escaping", s);
}

START_TEST(test_names_need_no_escaping)
{
    int n = 0;
    sample_names_each(no_specials, &n);
    ck_assert_int_gt(n, 300);
}
END_TEST

START_TEST(test_names_person)
{
    struct rng r;
    char small[4], name[64];
    rng_seed(&r, 5);
    for (int i = 0; i < 1000; i++) {
        size_t len = sample_names_person(&r, name, sizeof name);
        /* 2 to 4 CJK characters of 3 bytes each */
        ck_assert_uint_ge(len, 6);
        ck_assert_uint_le(len, 12);
        ck_assert_uint_eq(strlen(name), len);
    }
    /* whole characters only, never past the buffer: one 3-byte surname
     * fits in 4 bytes, a compound one or a given name does not */
    for (int i = 0; i < 100; i++) {
        size_t len = sample_names_person(&r, small, sizeof small);
        ck_assert(len == 0 || len == 3);
        ck_assert_uint_eq(strlen(small), len);
    }
}
END_TEST

Suite *suite_sample(void)
{
    Suite *s = suite_create("sample");
    TCase *tc = tcase_create("sample");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, NULL, gen_done);
    tcase_add_test(tc, test_deterministic);
    tcase_add_test(tc, test_stream_equals_file);
    tcase_add_test(tc, test_schema_valid);
    tcase_add_test(tc, test_ids_unique_refs_resolve);
    tcase_add_test(tc, test_content_mix);
    tcase_add_test(tc, test_period_weeks_covered);
    tcase_add_test(tc, test_lunar_greetings);
    tcase_add_test(tc, test_counts_in_proportion);
    tcase_add_test(tc, test_one_person);
    tcase_add_test(tc, test_regions_scale);
    tcase_add_test(tc, test_limits);
    tcase_add_test(tc, test_write_failure);
#ifdef KQ_TESTING
    tcase_add_test(tc, test_nomem);
#endif
    tcase_add_test(tc, test_names_need_no_escaping);
    tcase_add_test(tc, test_names_person);
    suite_add_tcase(s, tc);
    return s;
}
