/* check_score -- golden tests of the scoring engine (score.c) on small
 * hand-built datasets.  Every expected number is worked out by hand in the
 * comment next to it, from shared/spec/indicators.md and its *Precise
 * readings* (the choices of doc/rules.md where the spec leaves room).
 *
 * Period 2026-10 unless said otherwise: 1 October 2026 is a Thursday, so
 * the period weeks are the ISO weeks with Mondays 09-28, 10-05, 10-12,
 * 10-19, 10-26 (the first reaches back into September, the last ends on
 * 11-01).
 */
#include "unit.h"

#include "dataset.h"
#include "date.h"
#include "period.h"
#include "err.h"
#include "mem.h"
#include "roles.h"
#include "score.h"
#include "score_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EPS 1e-12
#define NO DS_NODATE

/* ---- fixture ------------------------------------------------------------ */

static struct dataset ds;
static struct roles roles;
static struct period per;
static struct score_result res;
static struct err err;

/* Role templates of the tests, parsed by the real loader.  "all" uses
 * every indicator: A1..A6 6 each, B1..B4 7 each, C1..C6 6 each = 100. */
static const char *const tmpl_all =
    "<role xmlns='urn:keqing:role:1' id='all' label='全部' team-weight='0'>"
    "<indicator id='A1' weight='6'/><indicator id='A2' weight='6'/>"
    "<indicator id='A3' weight='6'/><indicator id='A4' weight='6'/>"
    "<indicator id='A5' weight='6'/><indicator id='A6' weight='6'/>"
    "<indicator id='B1' weight='7'/><indicator id='B2' weight='7'/>"
    "<indicator id='B3' weight='7'/><indicator id='B4' weight='7'/>"
    "<indicator id='C1' weight='6'/><indicator id='C2' weight='6'/>"
    "<indicator id='C3' weight='6'/><indicator id='C4' weight='6'/>"
    "<indicator id='C5' weight='6'/><indicator id='C6' weight='6'/>"
    "</role>";
/* "two": like a sales rep who must see A customers twice a week */
static const char *const tmpl_two =
    "<role xmlns='urn:keqing:role:1' id='two' label='两次' team-weight='0'>"
    "<indicator id='B1' weight='100'/>"
    "<visits grade='A' per-week='2'/></role>";
/* "staff", "sup", "pm": A2 only, target 1, so own = 100 x A2 rate */
static const char *const tmpl_staff =
    "<role xmlns='urn:keqing:role:1' id='staff' label='员工' team-weight='0'>"
    "<indicator id='A2' weight='100' target='1'/></role>";
static const char *const tmpl_sup =
    "<role xmlns='urn:keqing:role:1' id='sup' label='主管' team-weight='0.5'>"
    "<indicator id='A2' weight='100' target='1'/></role>";
static const char *const tmpl_pm =
    "<role xmlns='urn:keqing:role:1' id='pm' label='经理' team-weight='0.6'>"
    "<indicator id='A2' weight='100' target='1'/></role>";
/* "trio": targets and a floor for the score formula and N/A */
static const char *const tmpl_trio =
    "<role xmlns='urn:keqing:role:1' id='trio' label='三项' team-weight='0'>"
    "<indicator id='A2' weight='50' target='0.9'/>"
    "<indicator id='B3' weight='30' target='0.8' floor='0.5'/>"
    "<indicator id='C5' weight='20' target='0.8'/></role>";

static void load_roles(void)
{
    /* sorted by id, as roles_find expects */
    const char *src[] = {tmpl_all, tmpl_pm, tmpl_staff, tmpl_sup, tmpl_trio,
                         tmpl_two};
    const char *name[] = {"all.xml", "pm.xml", "staff.xml", "sup.xml",
                          "trio.xml", "two.xml"};
    roles.n = 0;
    roles.r = calloc(6, sizeof *roles.r);
    ck_assert_ptr_nonnull(roles.r);
    for (int i = 0; i < 6; i++) {
        int rc = roles_parse(src[i], strlen(src[i]), name[i], NULL,
                             &roles.r[i], &err);
        ck_assert_msg(rc == 0, "%s", err.msg);
        roles.n++;
    }
}

static void setup(void)
{
    dataset_init(&ds);
    memset(&res, 0, sizeof res);
    err_clear(&err);
    load_roles();
    ck_assert_int_eq(period_parse("2026-10", &per), 0);
}

static void teardown(void)
{
    score_result_free(&res);
    dataset_free(&ds);
    for (size_t i = 0; i < roles.n; i++)
        roles_free_role(&roles.r[i]);
    free(roles.r);
    roles.r = NULL;
    roles.n = 0;
}

static int D(const char *s)
{
    int d;
    ck_assert_msg(date_parse(s, &d) == 0, "bad test date %s", s);
    return d;
}

/* A dataset_add_* call (ending in `&index, &err`) that must succeed. */
#define OK(call) ck_assert_msg((call) == ERR_OK, "%s", err.msg)

/* regions: 0 CN (root), 1 EAST, 2 EAST-ZJ, 3 EAST-JS */
static void regions(void)
{
    int i;
    OK(dataset_add_region(&ds, "CN", "全国", -1, &i, &err));
    ck_assert_int_eq(i, 0);
    OK(dataset_add_region(&ds, "EAST", "华东大区", 0, &i, &err));
    ck_assert_int_eq(i, 1);
    OK(dataset_add_region(&ds, "EAST-ZJ", "浙江省区", 1, &i, &err));
    ck_assert_int_eq(i, 2);
    OK(dataset_add_region(&ds, "EAST-JS", "江苏省区", 1, &i, &err));
    ck_assert_int_eq(i, 3);
}

static int person(const char *id, const char *role, int region, int mgr,
                  const char *hired, const char *left)
{
    int p = -1;
    OK(dataset_add_person(&ds, id, id, role, region, mgr, D(hired),
                          left ? D(left) : NO, &p, &err));
    ck_assert_int_ge(p, 0);
    return p;
}

static int customer(const char *id, int grade, int terminal, int owner,
                    const char *founded, const char *restructured)
{
    int c = -1;
    OK(dataset_add_customer(&ds, id, id, terminal, grade, 2, owner,
                            founded ? D(founded) : NO,
                            restructured ? D(restructured) : NO, &c, &err));
    ck_assert_int_ge(c, 0);
    return c;
}

static int contact(const char *id, int c, int key, const char *since,
                   int bm, int bd)
{
    int k = -1;
    OK(dataset_add_contact(&ds, id, id, c, key, since ? D(since) : NO, bm, bd,
                           &k, &err));
    ck_assert_int_ge(k, 0);
    return k;
}

static void card(int k, const char *created, const char *updated,
                 const char *phones, int family)
{
    OK(dataset_add_card(&ds, k, D(created), updated ? D(updated) : NO,
                        dataset_count_phones(phones), family, NULL, &err));
}

static void visit(const char *id, int staff, int c, const char *date,
                  int purpose)
{
    OK(dataset_add_visit(&ds, id, staff, c, D(date), purpose, NULL, &err));
}

static void check(const char *id, int staff, int c, int k, const char *date,
                  int rkn, int krn, int recite, int company, int first,
                  int sell)
{
    signed char it[DS_NCHECK_ITEM] = {(signed char)rkn, (signed char)krn,
        (signed char)recite, (signed char)company, (signed char)first,
        (signed char)sell};
    OK(dataset_add_check(&ds, id, staff, c, k, D(date), it, NULL, &err));
}

static void greet(const char *id, int staff, int c, int k, int oc,
                  const char *date, int identified)
{
    OK(dataset_add_greeting(&ds, id, staff, c, k, oc, D(date), identified,
                            NULL, &err));
}

static void report(const char *id, int staff, int c, int kind,
                   const char *month, const char *received,
                   const char *forwarded)
{
    OK(dataset_add_report(&ds, id, staff, c, kind, dataset_month(month),
                          D(received), forwarded ? D(forwarded) : NO, NULL,
                          &err));
}

static void run(void)
{
    int rc;
    ck_assert_int_eq(dataset_finish(&ds, &err), 0);
    rc = score_run(&ds, &per, &roles, NULL, &res, &err);
    ck_assert_msg(rc == 0, "score_run: %s", err.msg);
}

static const struct score_person *sp_of(int p)
{
    ck_assert_int_ge(res.of_person[p], 0);
    return &res.p[res.of_person[p]];
}

#define ASSERT_IND(p, which, n, d)                                       \
    do {                                                                 \
        const struct score_ind *in_ = &sp_of(p)->ind[which];             \
        ck_assert_msg(fabs(in_->num - (n)) < EPS &&                      \
                          fabs(in_->den - (d)) < EPS,                    \
                      "%s of %s: %g/%g, want %g/%g", roles_ind_id[which],\
                      ds.person[p].id, in_->num, in_->den, (double)(n),  \
                      (double)(d));                                      \
    } while (0)

#define ASSERT_NEAR(x, want)                                             \
    ck_assert_msg(fabs((x) - (want)) < 1e-9, "%s = %.12f, want %.12f",   \
                  #x, (double)(x), (double)(want))

/* ---- period weeks, ownership ------------------------------------------- */

START_TEST(period_weeks_2026_10)
{
    /* Thursdays 10-01 .. 10-29: five weeks, the first from Monday 09-28 */
    ck_assert_int_eq(per.nweeks, 5);
    ck_assert_int_eq(per.week[0], D("2026-09-28"));
    ck_assert_int_eq(per.week[4], D("2026-10-26"));
}
END_TEST

START_TEST(owner_on_handovers)
{
    int e1, e2, e3, c, c0;
    regions();
    e1 = person("E1", "all", 2, -1, "2020-01-01", NULL);
    e2 = person("E2", "all", 2, -1, "2020-01-01", NULL);
    e3 = person("E3", "all", 2, -1, "2020-01-01", NULL);
    c0 = customer("C0", DS_VIP, 0, e2, NULL, NULL);
    c = customer("C1", DS_VIP, 0, e3, NULL, NULL);
    /* added out of date order: the dataset sorts each list by date */
    OK(dataset_add_handover(&ds, c, e2, e3, D("2026-10-20"), NULL, &err));
    OK(dataset_add_handover(&ds, c, e1, e2, D("2026-10-05"), NULL, &err));
    ck_assert_int_eq(dataset_finish(&ds, &err), 0);
    /* no handover: the customer's owner */
    ck_assert_int_eq(score_owner_on(&ds, c0, D("2000-01-01")), e2);
    /* before the first handover: that handover's from */
    ck_assert_int_eq(score_owner_on(&ds, c, D("2026-10-04")), e1);
    /* on the day: the new owner; then the last handover <= d */
    ck_assert_int_eq(score_owner_on(&ds, c, D("2026-10-05")), e2);
    ck_assert_int_eq(score_owner_on(&ds, c, D("2026-10-19")), e2);
    ck_assert_int_eq(score_owner_on(&ds, c, D("2026-10-20")), e3);
    ck_assert_int_eq(score_owner_on(&ds, c, D("2030-01-01")), e3);
}
END_TEST

/* ---- B1, B2 ------------------------------------------------------------ */

START_TEST(b1_b2_month_boundaries)
{
    int e1, e2, e3, vip, a, b, a2;
    regions();
    e1 = person("E1", "all", 2, -1, "2020-01-01", NULL);
    e2 = person("E2", "all", 2, -1, "2020-01-01", NULL);
    e3 = person("E3", "two", 2, -1, "2020-01-01", NULL);
    vip = customer("C1", DS_VIP, 0, e1, NULL, NULL);
    a = customer("C2", DS_A, 0, e1, NULL, NULL);
    b = customer("C3", DS_B, 0, e1, NULL, NULL);
    a2 = customer("C4", DS_A, 1, e3, NULL, NULL);
    visit("V1", e1, vip, "2026-09-28", 1); /* Monday of week 1: counts */
    visit("V2", e1, vip, "2026-09-27", 1); /* Sunday before: no week */
    visit("V3", e1, vip, "2026-11-01", 1); /* Sunday of week 5: counts */
    visit("V4", e1, vip, "2026-10-07", 0); /* VIP without purpose: no */
    visit("V5", e2, vip, "2026-10-14", 1); /* not the owner: no */
    visit("V6", e1, a, "2026-10-13", 0);   /* A: purpose not needed */
    visit("V7", e1, a, "2026-10-14", 0);   /* 2nd in week 3, r = 1 */
    visit("V8", e1, b, "2026-10-14", 1);   /* B: r = 0, not counted */
    visit("V9", e3, a2, "2026-10-06", 0);  /* "two": r = 2 for A */
    OK(dataset_add_service(&ds, "S1", e1, vip, D("2026-10-02"), NULL, &err));
    OK(dataset_add_service(&ds, "S2", e1, vip, D("2026-11-02"), NULL, &err));
    OK(dataset_add_service(&ds, "S3", e1, a, D("2026-10-02"), NULL, &err));
    run();
    /* B1 of E1: VIP weeks 1 (V1) and 5 (V3) met, 3 not: 2/5; A: week 3
     * min(2,1)/1 = 1, 4 weeks 0: 1/5; B not counted -> 3/10 */
    ASSERT_IND(e1, ROLES_B1, 3, 10);
    /* B2: VIP weeks only; S1 in week 1, S2 (11-02) after week 5 -> 1/5 */
    ASSERT_IND(e1, ROLES_B2, 1, 5);
    /* E2 owns nothing: N/A */
    ASSERT_IND(e2, ROLES_B1, 0, 0);
    ck_assert_int_eq(sp_of(e2)->ind[ROLES_B1].applicable, 0);
    /* E3: one visit in week 2 of a customer needing 2: 0.5; 5 weeks */
    ASSERT_IND(e3, ROLES_B1, 0.5, 5);
    ASSERT_NEAR(sp_of(e3)->ind[ROLES_B1].rate, 0.1);
    /* rate 0.1, target 1, weight 100 -> own 10 */
    ASSERT_NEAR(sp_of(e3)->own, 10);
}
END_TEST

START_TEST(b1_handover_by_thursday)
{
    int e1, e2, c;
    regions();
    e1 = person("E1", "all", 2, -1, "2020-01-01", NULL);
    e2 = person("E2", "all", 2, -1, "2020-01-01", NULL);
    c = customer("C5", DS_VIP, 0, e2, NULL, NULL);
    /* handed over on Wednesday 10-14: the week of 10-12 (Thursday 10-15)
     * belongs to E2 entirely */
    OK(dataset_add_handover(&ds, c, e1, e2, D("2026-10-14"), NULL, &err));
    visit("V1", e1, c, "2026-10-06", 1);   /* week 2, E1's: counts */
    visit("V2", e1, c, "2026-10-12", 1);   /* week 3 is E2's: not E1's */
    visit("V3", e2, c, "2026-10-13", 1);   /* E2 before the handover date,
                                              but in E2's week: counts */
    run();
    /* E1: weeks with Thursday 10-01, 10-08 -> 1 of 2 */
    ASSERT_IND(e1, ROLES_B1, 1, 2);
    ASSERT_IND(e1, ROLES_B2, 0, 2);
    /* E2: Thursdays 10-15, 10-22, 10-29 -> 1 of 3 */
    ASSERT_IND(e2, ROLES_B1, 1, 3);
}
END_TEST

/* ---- A1, A4, A5: cards, grace, restructuring ---------------------------- */

START_TEST(a1_grace)
{
    int e1, c, k1, k2, k3, k4, k5, k6;
    regions();
    e1 = person("E1", "all", 2, -1, "2020-01-01", NULL);
    c = customer("C1", DS_VIP, 0, e1, NULL, NULL);
    k1 = contact("K1", c, 1, "2026-08-31", 0, 0); /* +2m = 10-31: not > end */
    k2 = contact("K2", c, 1, "2026-09-01", 0, 0); /* +2m = 11-01: grace */
    k3 = contact("K3", c, 1, "2026-11-05", 0, 0); /* after end: grace */
    k4 = contact("K4", c, 1, "2025-01-01", 0, 0);
    k5 = contact("K5", c, 1, "2026-10-01", 0, 0); /* grace, but has a card */
    k6 = contact("K6", c, 0, "2025-01-01", 0, 0); /* not key */
    card(k4, "2025-02-01", NULL, "office mobile home mobile", 5);
    card(k5, "2026-10-02", NULL, "mobile", 1);
    card(k6, "2025-02-01", NULL, "office", 2);
    run();
    ck_assert_int_eq(score_in_grace(&ds, k1, per.end), 0);
    ck_assert_int_eq(score_in_grace(&ds, k2, per.end), 1);
    ck_assert_int_eq(score_in_grace(&ds, k3, per.end), 1);
    /* counted: K1 (no card), K4, K5 -> A1 2/3 */
    ASSERT_IND(e1, ROLES_A1, 2, 3);
    /* A4: min(5,3) + min(1,3) + 0 = 4 over 3 x 3 = 9 */
    ASSERT_IND(e1, ROLES_A4, 4, 9);
    /* A5: 3 distinct (mobile twice) + 1 + 0 = 4 over 9 */
    ASSERT_IND(e1, ROLES_A5, 4, 9);
}
END_TEST

START_TEST(a1_grace_month_end_clamp)
{
    int e1, c, k1, k2;
    ck_assert_int_eq(date_add_months(D("2026-08-31"), 2), D("2026-10-31"));
    ck_assert_int_eq(date_add_months(D("2026-12-31"), 2), D("2027-02-28"));
    ck_assert_int_eq(period_parse("2027-02", &per), 0);
    regions();
    e1 = person("E1", "all", 2, -1, "2020-01-01", NULL);
    c = customer("C1", DS_VIP, 0, e1, NULL, NULL);
    k1 = contact("K1", c, 1, "2026-12-31", 0, 0); /* +2m = 02-28: counted */
    k2 = contact("K2", c, 1, "2027-01-01", 0, 0); /* +2m = 03-01: grace */
    run();
    ck_assert_int_eq(score_in_grace(&ds, k1, per.end), 0);
    ck_assert_int_eq(score_in_grace(&ds, k2, per.end), 1);
    ASSERT_IND(e1, ROLES_A1, 0, 1);
}
END_TEST

START_TEST(a1_restructuring)
{
    int e1, e2, c7, c8, k7;
    regions();
    e1 = person("E1", "all", 2, -1, "2020-01-01", NULL);
    e2 = person("E2", "all", 2, -1, "2020-01-01", NULL);
    /* restructured 07-15: +2m = 09-15 <= end, so no grace */
    c7 = customer("C7", DS_VIP, 0, e1, NULL, "2026-07-15");
    card(contact("K1", c7, 1, "2025-01-01", 0, 0), "2026-01-01", NULL,
         "office", 0);                                  /* stale */
    card(contact("K2", c7, 1, "2025-01-01", 0, 0), "2026-01-01",
         "2026-08-01", "office", 0);                    /* renewed */
    card(contact("K3", c7, 1, "2025-01-01", 0, 0), "2026-07-20", NULL,
         "office", 0);                                  /* new */
    card(contact("K4", c7, 1, "2025-01-01", 0, 0), "2026-01-01",
         "2026-11-05", "office", 0);                    /* renewed too late */
    k7 = contact("K7", c7, 1, "2025-01-01", 0, 0);
    card(k7, "2026-11-02", NULL, "office", 0);          /* after end */
    /* restructured 09-10: +2m = 11-10 > end: contacts without a valid
     * card are in grace */
    c8 = customer("C8", DS_VIP, 0, e2, NULL, "2026-09-10");
    card(contact("K5", c8, 1, "2025-01-01", 0, 0), "2026-01-01", NULL,
         "office", 0);                                  /* stale, grace */
    card(contact("K6", c8, 1, "2025-01-01", 0, 0), "2026-09-20", NULL,
         "office", 0);                                  /* valid */
    run();
    ck_assert_int_eq(score_card_valid(&ds, k7, per.end), 0);
    /* E1: K2, K3 valid; K1, K4 stale; K7 created after end -> 2/5 */
    ASSERT_IND(e1, ROLES_A1, 2, 5);
    /* A5: one phone on each valid card -> 2 over 5 x 3 = 15 */
    ASSERT_IND(e1, ROLES_A5, 2, 15);
    /* E2: K5 stale but in grace (left out), K6 valid -> 1/1 */
    ASSERT_IND(e2, ROLES_A1, 1, 1);
}
END_TEST

START_TEST(a1_card_follows_contact_after_handover)
{
    int e1, e2, c;
    regions();
    e1 = person("E1", "all", 2, -1, "2020-01-01", NULL);
    e2 = person("E2", "all", 2, -1, "2020-01-01", NULL);
    c = customer("C1", DS_VIP, 0, e2, NULL, NULL);
    OK(dataset_add_handover(&ds, c, e1, e2, D("2026-10-05"), NULL, &err));
    /* the card was made long before, by E1: E2 inherits it */
    card(contact("K1", c, 1, "2024-01-01", 0, 0), "2024-02-01", NULL,
         "office home", 2);
    run();
    /* owner at period_end is E2: A1 1/1, A4 2/3, A5 2/3 */
    ASSERT_IND(e2, ROLES_A1, 1, 1);
    ASSERT_IND(e2, ROLES_A4, 2, 3);
    ASSERT_IND(e2, ROLES_A5, 2, 3);
    ASSERT_IND(e1, ROLES_A1, 0, 0);
}
END_TEST

/* ---- checks: A2 A3 A6 B3 C5 -------------------------------------------- */

START_TEST(checks_items_and_dates)
{
    int e1, e2, c;
    const int A = DS_ABSENT;
    regions();
    e1 = person("E1", "all", 2, -1, "2020-01-01", NULL);
    e2 = person("E2", "all", 2, -1, "2020-01-01", NULL);
    c = customer("C1", DS_B, 0, e2, NULL, NULL);
    /*            rkn krn recite company first sell */
    check("Q1", e1, c, -1, "2026-10-01", 1, 1, 0, 1, 1, A);
    check("Q2", e1, c, -1, "2026-10-20", 1, 0, A, 0, A, 1);
    check("Q3", e1, c, -1, "2026-10-25", 1, A, 1, A, 0, 0);
    check("Q4", e1, c, -1, "2026-10-31", 1, 1, A, A, A, A);
    check("Q8", e1, c, -1, "2026-09-30", 1, 1, 1, 1, 1, 1); /* before */
    check("Q9", e1, c, -1, "2026-11-01", 1, 1, 1, 1, 1, 1); /* after */
    run();
    /* attributed to the check's staff (E1), not the owner (E2) */
    /* A2: both names present in Q1, Q2, Q4; both true in Q1, Q4 -> 2/3 */
    ASSERT_IND(e1, ROLES_A2, 2, 3);
    /* A3: present Q1 (false), Q3 (true) -> 1/2 */
    ASSERT_IND(e1, ROLES_A3, 1, 2);
    /* A6: Q1 true, Q2 false -> 1/2 */
    ASSERT_IND(e1, ROLES_A6, 1, 2);
    /* B3: Q1 true, Q3 false -> 1/2 */
    ASSERT_IND(e1, ROLES_B3, 1, 2);
    /* C5: Q2 true, Q3 false -> 1/2 */
    ASSERT_IND(e1, ROLES_C5, 1, 2);
    ASSERT_IND(e2, ROLES_A2, 0, 0);
}
END_TEST

/* ---- B4 ---------------------------------------------------------------- */

START_TEST(b4_displays)
{
    int e1, e2, t, ch;
    regions();
    e1 = person("E1", "all", 2, -1, "2020-01-01", NULL);
    e2 = person("E2", "all", 2, -1, "2020-01-01", NULL);
    t = customer("T1", DS_C, 1, e2, NULL, NULL);
    ch = customer("H1", DS_VIP, 0, e1, NULL, NULL);
    OK(dataset_add_handover(&ds, t, e1, e2, D("2026-10-15"), NULL, &err));
    /* staff on the audit is the auditor; attribution is by owner on the
     * audit date */
    OK(dataset_add_display(&ds, "D1", e2, t, D("2026-10-05"), 1, 1, NULL, &err));
    OK(dataset_add_display(&ds, "D2", e2, t, D("2026-10-10"), 1, DS_ABSENT,
                           NULL, &err));
    OK(dataset_add_display(&ds, "D3", e1, t, D("2026-10-16"), 1, 1, NULL, &err));
    OK(dataset_add_display(&ds, "D4", e1, t, D("2026-10-20"), 0, 1, NULL, &err));
    OK(dataset_add_display(&ds, "D5", e1, ch, D("2026-10-20"), 1, 1, NULL,
                           &err));
    OK(dataset_add_display(&ds, "D6", e1, t, D("2026-09-30"), 1, 1, NULL, &err));
    run();
    /* E1 owned T1 until 10-14: D1 met, D2 no pop -> 1/2 */
    ASSERT_IND(e1, ROLES_B4, 1, 2);
    /* E2 from 10-15: D3 met, D4 not best -> 1/2; D5 channel, D6 before */
    ASSERT_IND(e2, ROLES_B4, 1, 2);
}
END_TEST

/* ---- C1..C4 ------------------------------------------------------------ */

START_TEST(c1_c4_reports_forwarding)
{
    int e1, e2, c10, c11, c12, c13;
    regions();
    e1 = person("E1", "all", 2, -1, "2020-01-01", NULL);
    e2 = person("E2", "all", 2, -1, "2020-01-01", NULL);
    c10 = customer("C10", DS_A, 0, e1, NULL, NULL);
    c11 = customer("C11", DS_VIP, 0, e1, NULL, NULL);
    c12 = customer("C12", DS_A, 0, e1, NULL, NULL);
    c13 = customer("C13", DS_B, 0, e1, NULL, NULL);
    report("R1", e1, c10, DS_BUSINESS_CHANGE, "2026-10", "2026-10-10",
           "2026-10-13");                      /* 3 days: ok */
    report("R2", e1, c11, DS_BUSINESS_CHANGE, "2026-10", "2026-10-10",
           "2026-10-14");                      /* 4 days: late */
    report("R3", e1, c12, DS_BUSINESS_CHANGE, "2026-10", "2026-10-10",
           NULL);                              /* not forwarded */
    report("R4", e1, c10, DS_SELL_THROUGH, "2026-10", "2026-10-05", NULL);
    report("R5", e1, c11, DS_SELL_THROUGH, "2026-09", "2026-10-02", NULL);
    report("R6", e1, c12, DS_SELL_THROUGH, "2026-10", "2026-11-01", NULL);
    report("R7", e2, c10, DS_COMPETITOR, "2026-10", "2026-10-05", NULL);
    report("R8", e1, c13, DS_COMPETITOR, "2026-10", "2026-10-05", NULL);
    run();
    /* denominators: the 3 key customers (C13 is grade B) */
    ASSERT_IND(e1, ROLES_C1, 1, 3);     /* R1 only */
    ASSERT_IND(e1, ROLES_C2, 1, 3);     /* R4; R5 other month, R6 late */
    ASSERT_IND(e1, ROLES_C3, 0, 3);
    ASSERT_IND(e1, ROLES_C4, 0, 3);     /* R7 not by the owner */
}
END_TEST

/* ---- C6 ---------------------------------------------------------------- */

START_TEST(c6_windows_and_occasions)
{
    int e1, e2, c, k[7];
    char id[8];
    regions();
    e1 = person("E1", "all", 2, -1, "2020-01-01", NULL);
    e2 = person("E2", "all", 2, -1, "2020-01-01", NULL);
    c = customer("C1", DS_A, 0, e1, "2010-10-20", NULL);
    for (int i = 1; i <= 6; i++) {
        snprintf(id, sizeof id, "K%d", i);
        k[i] = contact(id, c, 1, "2020-01-01", 10, 15);
    }
    contact("K9", c, 0, "2020-01-01", 10, 15);    /* not key: no due */
    greet("G1", e1, c, k[1], DS_BIRTHDAY, "2026-10-12", 1);  /* D-3 ok */
    greet("G2", e1, c, k[2], DS_BIRTHDAY, "2026-10-11", 1);  /* D-4 */
    greet("G3", e1, c, k[3], DS_BIRTHDAY, "2026-10-16", 1);  /* D+1 */
    greet("G4", e1, c, k[4], DS_BIRTHDAY, "2026-10-15", DS_ABSENT);
    greet("G5", e2, c, k[5], DS_BIRTHDAY, "2026-10-15", 1);  /* not owner */
    greet("G6", e1, c, k[6], DS_BIRTHDAY, "2026-10-14", 1);  /* met once */
    greet("G7", e1, c, k[6], DS_BIRTHDAY, "2026-10-15", 1);
    greet("G8", e1, c, k[1], DS_NATIONAL_DAY, "2026-09-30", 1); /* D-1 */
    greet("G9", e1, c, k[2], DS_ANNIVERSARY, "2026-10-18", 1);  /* D-2,
                                             contact ignored */
    greet("GA", e1, c, k[3], DS_MID_AUTUMN, "2026-09-25", 1); /* 中秋 2026
                                             is 09-25: not due in October */
    run();
    /* due: national day x 6 key contacts + birthday x 6 + anniversary 1
     * = 13; met: G1, G6 (once), G8, G9 = 4 */
    ASSERT_IND(e1, ROLES_C6, 4, 13);
    ASSERT_IND(e2, ROLES_C6, 0, 0);
}
END_TEST

START_TEST(c6_owner_on_occasion_day)
{
    int e1, e2, c, k;
    regions();
    e1 = person("E1", "all", 2, -1, "2020-01-01", NULL);
    e2 = person("E2", "all", 2, -1, "2020-01-01", NULL);
    c = customer("C1", DS_VIP, 0, e2, NULL, NULL);
    OK(dataset_add_handover(&ds, c, e1, e2, D("2026-10-10"), NULL, &err));
    k = contact("K1", c, 1, "2020-01-01", 10, 15);
    greet("G1", e1, c, k, DS_NATIONAL_DAY, "2026-10-01", 1);
    greet("G2", e1, c, k, DS_BIRTHDAY, "2026-10-14", 1); /* E2's due */
    run();
    ASSERT_IND(e1, ROLES_C6, 1, 1);     /* national day, owned by E1 */
    ASSERT_IND(e2, ROLES_C6, 0, 1);     /* birthday 10-15, owned by E2 */
}
END_TEST

START_TEST(c6_feb29_and_spring_festival)
{
    int e1, c, k1, k2;
    ck_assert_int_eq(period_parse("2027-02", &per), 0);
    regions();
    e1 = person("E1", "all", 2, -1, "2020-01-01", NULL);
    /* founded on a 29 February: anniversary on 02-28 in 2027 */
    c = customer("C1", DS_VIP, 0, e1, "2000-02-29", NULL);
    k1 = contact("K1", c, 1, "2020-01-01", 2, 29);
    k2 = contact("K2", c, 1, "2020-01-01", 2, 29);
    greet("G1", e1, c, k1, DS_SPRING_FESTIVAL, "2027-02-03", 1); /* 春节
                                       2027 is 02-06: D-3 ok */
    greet("G2", e1, c, k1, DS_BIRTHDAY, "2027-02-28", 1);
    greet("G3", e1, c, -1, DS_ANNIVERSARY, "2027-02-25", 1);
    greet("G4", e1, c, k2, DS_SPRING_FESTIVAL, "2027-02-07", 1); /* D+1 */
    greet("G5", e1, c, k2, DS_BIRTHDAY, "2027-03-01", 1);        /* D+1 */
    run();
    /* due: 春节 x 2, birthday x 2, anniversary 1 = 5; met G1 G2 G3 */
    ASSERT_IND(e1, ROLES_C6, 3, 5);
}
END_TEST

START_TEST(c6_feb29_leap_year)
{
    int e1, c, k;
    ck_assert_int_eq(period_parse("2028-02", &per), 0);
    regions();
    e1 = person("E1", "all", 2, -1, "2020-01-01", NULL);
    c = customer("C1", DS_A, 0, e1, NULL, NULL);
    k = contact("K1", c, 1, "2020-01-01", 2, 29);
    greet("G1", e1, c, k, DS_BIRTHDAY, "2028-02-25", 1); /* D-4 of 02-29 */
    run();
    /* 春节 2028 is 01-26 (not in February): only the birthday, 02-29 */
    ASSERT_IND(e1, ROLES_C6, 0, 1);
}
END_TEST

/* ---- scores, N/A, floors ----------------------------------------------- */

START_TEST(scores_na_redistribution)
{
    int e1, c;
    const int A = DS_ABSENT;
    regions();
    e1 = person("E1", "trio", 2, -1, "2020-01-01", NULL);
    c = customer("C1", DS_B, 0, e1, NULL, NULL);
    /*            rkn krn recite company first sell(absent: C5 N/A) */
    check("Q1", e1, c, -1, "2026-10-02", 1, 1, A, A, 1, A);
    check("Q2", e1, c, -1, "2026-10-03", 1, 0, A, A, 1, A);
    check("Q3", e1, c, -1, "2026-10-04", A, A, A, A, 1, A);
    check("Q4", e1, c, -1, "2026-10-05", A, A, A, A, 0, A);
    check("Q5", e1, c, -1, "2026-10-06", A, A, A, A, 0, A);
    run();
    {
        const struct score_person *sp = sp_of(e1);
        /* A2 = 1/2: 50 x (0.5 / 0.9) = 27.777... */
        ASSERT_NEAR(sp->ind[ROLES_A2].score, 50 * (0.5 / 0.9));
        /* B3 = 3/5 = 0.6, floor 0.5, target 0.8: 30 x 0.1/0.3 = 10 */
        ASSERT_NEAR(sp->ind[ROLES_B3].score, 10);
        /* C5 N/A: weight 20 redistributed:
         * own = 100 x (27.777... + 10) / 80 = 47.2222... */
        ck_assert_int_eq(sp->ind[ROLES_C5].applicable, 0);
        ck_assert_int_eq(sp->ind[ROLES_C5].used, 1);
        ASSERT_NEAR(sp->own, 100 * (50 * (0.5 / 0.9) + 10) / 80);
        ck_assert_int_eq(sp->has_team, 0);
        ASSERT_NEAR(sp->total, sp->own);
        ck_assert_str_eq(sp->grade, "不合格");
        /* A3 not in the role: not used */
        ck_assert_int_eq(sp->ind[ROLES_A3].used, 0);
    }
}
END_TEST

START_TEST(scores_clamp)
{
    int e1, e2, c;
    const int A = DS_ABSENT;
    regions();
    e1 = person("E1", "trio", 2, -1, "2020-01-01", NULL);
    e2 = person("E2", "trio", 2, -1, "2020-01-01", NULL);
    c = customer("C1", DS_B, 0, e1, NULL, NULL);
    /* E1: B3 2/5 = 0.4 below the floor 0.5 -> 0; A2 1/1 above the
     * target 0.9 -> full 50; C5 1/1 -> 20: own = 100 x 70 / 100 = 70 */
    check("Q1", e1, c, -1, "2026-10-02", 1, 1, A, A, 1, 1);
    check("Q2", e1, c, -1, "2026-10-02", A, A, A, A, 1, A);
    check("Q3", e1, c, -1, "2026-10-02", A, A, A, A, 0, A);
    check("Q4", e1, c, -1, "2026-10-02", A, A, A, A, 0, A);
    check("Q5", e1, c, -1, "2026-10-02", A, A, A, A, 0, A);
    /* E2: no check at all: every indicator N/A -> own, total N/A */
    run();
    ASSERT_NEAR(sp_of(e1)->ind[ROLES_B3].score, 0);
    ASSERT_NEAR(sp_of(e1)->ind[ROLES_A2].score, 50);
    ASSERT_NEAR(sp_of(e1)->own, 70);
    ck_assert_str_eq(sp_of(e1)->grade, "合格");
    ck_assert_int_eq(sp_of(e2)->has_own, 0);
    ck_assert_int_eq(sp_of(e2)->has_total, 0);
    ck_assert_ptr_null(sp_of(e2)->grade);
    ck_assert_int_eq(sp_of(e2)->rank, 0);
}
END_TEST

/* A2 checks giving rate yes/n to person p (one check per answer). */
static void a2(int p, int c, int yes, int n)
{
    char id[32];
    static int seq;
    for (int i = 0; i < n; i++) {
        snprintf(id, sizeof id, "Q%d", ++seq);
        check(id, p, c, -1, "2026-10-10", 1, i < yes, DS_ABSENT, DS_ABSENT,
              DS_ABSENT, DS_ABSENT);
    }
}

START_TEST(team_scores)
{
    int pm, ts, s1, s2, s3, z, w, y, v, c;
    regions();
    pm = person("PM", "pm", 1, -1, "2020-01-01", NULL);
    ts = person("TS", "sup", 2, pm, "2020-01-01", NULL);
    s1 = person("S1", "staff", 2, ts, "2020-01-01", NULL);
    s2 = person("S2", "staff", 2, ts, "2020-01-01", "2026-10-20");
    s3 = person("S3", "staff", 2, pm, "2020-01-01", NULL);
    z = person("Z", "staff", 3, -1, "2020-01-01", NULL);
    w = person("W", "staff", 3, z, "2020-01-01", NULL);
    y = person("Y", "staff", 3, -1, "2020-01-01", NULL);
    v = person("V", "staff", 3, y, "2020-01-01", NULL);
    person("GONE", "staff", 2, ts, "2020-01-01", "2026-09-30");
    c = customer("C1", DS_C, 0, pm, NULL, NULL);
    a2(s1, c, 3, 4);    /* own 75 */
    a2(s2, c, 1, 2);    /* own 50, left during the period */
    a2(ts, c, 1, 1);    /* own 100 */
    a2(z, c, 2, 5);     /* own 40 */
    a2(w, c, 1, 1);     /* own 100 */
    a2(v, c, 3, 5);     /* own 60 */
    run();
    /* TS: team = (75 + 50) / 2 = 62.5 (the leaver S2 counts; GONE left
     * before the period and is not assessed); total = 0.5 x 100 + 0.5 x
     * 62.5 = 81.25 */
    ASSERT_NEAR(sp_of(ts)->team, 62.5);
    ASSERT_NEAR(sp_of(ts)->total, 81.25);
    ck_assert_str_eq(sp_of(ts)->grade, "良好");
    ck_assert_int_eq(sp_of(s2)->left, 1);
    ck_assert_int_eq(sp_of(s1)->left, 0);
    ck_assert_int_lt(res.of_person[dataset_find_person(&ds, "GONE")], 0);
    /* S3: nothing applicable, no team: no total */
    ck_assert_int_eq(sp_of(s3)->has_total, 0);
    /* PM: own N/A; team = mean of TS (S3 has no total) = 81.25; the total
     * is the team score */
    ck_assert_int_eq(sp_of(pm)->has_own, 0);
    ASSERT_NEAR(sp_of(pm)->team, 81.25);
    ASSERT_NEAR(sp_of(pm)->total, 81.25);
    /* Z: team weight 0: team 100 shown, total = own 40 */
    ck_assert_int_eq(sp_of(z)->has_team, 1);
    ASSERT_NEAR(sp_of(z)->team, 100);
    ASSERT_NEAR(sp_of(z)->total, 40);
    /* Y: team weight 0 and own N/A: total = team = 60 */
    ASSERT_NEAR(sp_of(y)->total, 60);
    ck_assert_str_eq(sp_of(y)->grade, "待改进");
}
END_TEST

START_TEST(team_weight_06)
{
    int pm, s1, c;
    regions();
    pm = person("PM", "pm", 2, -1, "2020-01-01", NULL);
    s1 = person("S1", "staff", 2, pm, "2020-01-01", NULL);
    c = customer("C1", DS_C, 0, pm, NULL, NULL);
    a2(pm, c, 1, 2);    /* own 50 */
    a2(s1, c, 9, 10);   /* own 90 */
    run();
    /* 0.4 x 50 + 0.6 x 90 = 20 + 54 = 74 */
    ASSERT_NEAR(sp_of(pm)->total, 74);
    ck_assert_str_eq(sp_of(pm)->grade, "合格");
}
END_TEST

START_TEST(manager_cycle_is_an_error)
{
    int a, b;
    regions();
    a = person("A", "staff", 2, -1, "2020-01-01", NULL);
    b = person("B", "staff", 2, a, "2020-01-01", NULL);
    ds.person[a].manager = b;
    ck_assert_int_eq(dataset_finish(&ds, &err), 0);
    ck_assert_int_eq(score_run(&ds, &per, &roles, NULL, &res, &err), ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "circle"));
}
END_TEST

START_TEST(unknown_role_names_the_person)
{
    regions();
    person("E7", "astronaut", 2, -1, "2020-01-01", NULL);
    person("E8", "nobody", 2, -1, "2020-01-01", "2026-01-01"); /* not
                                        assessed: its role is not needed */
    ck_assert_int_eq(dataset_finish(&ds, &err), 0);
    ck_assert_int_eq(score_run(&ds, &per, &roles, NULL, &res, &err), ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "E7"));
    ck_assert_ptr_nonnull(strstr(err.msg, "astronaut"));
}
END_TEST

START_TEST(assessment_and_status)
{
    int a, b, c, d, e;
    regions();
    a = person("A", "staff", 2, -1, "2020-01-01", "2026-10-01"); /* left */
    b = person("B", "staff", 2, -1, "2020-01-01", "2026-11-03"); /* active */
    c = person("C", "staff", 2, -1, "2026-10-31", NULL);         /* new */
    d = person("D", "staff", 2, -1, "2026-11-01", NULL);         /* later */
    e = person("E", "staff", 2, -1, "2020-01-01", "2026-09-30"); /* gone */
    run();
    ck_assert_int_eq(sp_of(a)->left, 1);
    ck_assert_int_eq(sp_of(b)->left, 0);
    ck_assert_int_eq(sp_of(c)->left, 0);
    ck_assert_int_eq(res.of_person[d], -1);
    ck_assert_int_eq(res.of_person[e], -1);
    ck_assert_int_eq(res.n, 3);
    /* sorted by id */
    ck_assert_str_eq(ds.person[res.p[0].person].id, "A");
    ck_assert_str_eq(ds.person[res.p[2].person].id, "C");
}
END_TEST

/* ---- ranks -------------------------------------------------------------- */

START_TEST(rank_ties)
{
    int p[6], c, j;
    regions();
    p[0] = person("P0", "staff", 2, -1, "2020-01-01", NULL);
    p[1] = person("P1", "staff", 2, -1, "2020-01-01", NULL);
    p[2] = person("P2", "staff", 2, -1, "2020-01-01", "2026-10-15");
    p[3] = person("P3", "staff", 2, -1, "2020-01-01", NULL);
    p[4] = person("P4", "staff", 2, -1, "2020-01-01", NULL);
    j = person("J1", "staff", 3, -1, "2020-01-01", NULL);
    c = customer("C1", DS_C, 0, p[0], NULL, NULL);
    a2(p[0], c, 4, 5);      /* 80 */
    a2(p[1], c, 9, 10);     /* 90 */
    a2(p[2], c, 8, 10);     /* 80: ties with P0, ranked though left */
    a2(p[3], c, 7, 10);     /* 70 */
    /* P4: no total, not ranked */
    a2(j, c, 1, 10);        /* 10: first of its own region */
    run();
    ck_assert_int_eq(sp_of(p[1])->rank, 1);
    ck_assert_int_eq(sp_of(p[0])->rank, 2);
    ck_assert_int_eq(sp_of(p[2])->rank, 2);
    ck_assert_int_eq(sp_of(p[3])->rank, 4);
    ck_assert_int_eq(sp_of(p[4])->rank, 0);
    ck_assert_int_eq(sp_of(j)->rank, 1);
}
END_TEST

START_TEST(grade_on_rounded_total)
{
    const struct role *r = roles_find(&roles, "staff");
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(roles_grade(r, 89.996), "优秀");    /* "90.00" */
    ck_assert_str_eq(roles_grade(r, 89.994), "良好");    /* "89.99" */
    ck_assert_str_eq(roles_grade(r, 59.999), "待改进");  /* "60.00" */
    ck_assert_str_eq(roles_grade(r, 70), "合格");
    ck_assert_str_eq(roles_grade(r, 0), "不合格");
}
END_TEST

/* ---- regions, risks ----------------------------------------------------- */

START_TEST(region_figures)
{
    int a, b, j, c;
    regions();
    a = person("A", "staff", 2, -1, "2020-01-01", NULL);
    b = person("B", "staff", 2, -1, "2020-01-01", NULL);
    j = person("J", "sup", 3, -1, "2020-01-01", NULL);
    person("N", "staff", 3, -1, "2020-01-01", NULL);   /* no total */
    c = customer("C1", DS_C, 0, a, NULL, NULL);
    a2(a, c, 1, 2);     /* 50 */
    a2(b, c, 3, 4);     /* 75 */
    a2(j, c, 9, 10);    /* 90 */
    run();
    /* EAST-ZJ: A, B: mean 62.5, median 62.5; A2 pooled (1+3)/(2+4) */
    ck_assert_int_eq(res.region[2].people, 2);
    ASSERT_NEAR(res.region[2].mean, 62.5);
    ASSERT_NEAR(res.region[2].num[ROLES_A2], 4);
    ASSERT_NEAR(res.region[2].den[ROLES_A2], 6);
    /* EAST covers both provinces: 4 people, 3 totals 50 75 90:
     * mean 215/3, median 75; grades 不合格 1, 合格 1, 优秀 1 */
    ck_assert_int_eq(res.region[1].people, 4);
    ck_assert_int_eq(res.region[1].scored, 3);
    ASSERT_NEAR(res.region[1].mean, 215.0 / 3);
    ASSERT_NEAR(res.region[1].median, 75);
    ck_assert_int_eq(res.region[0].people, 4);
    {
        int sup = (int)(roles_find(&roles, "sup") - roles.r);
        int staff = (int)(roles_find(&roles, "staff") - roles.r);
        ck_assert_int_eq(res.role_people[1 * res.nrole + sup], 1);
        ck_assert_int_eq(res.role_people[1 * res.nrole + staff], 3);
        ck_assert_int_eq(res.role_people[3 * res.nrole + staff], 1);
    }
    for (int g = 0; g < res.ngrade; g++) {
        int n = res.grade_people[1 * res.ngrade + g];
        const char *l = res.grade_label[g];
        int want = !strcmp(l, "不合格") || !strcmp(l, "合格") || !strcmp(l, "优秀");
        ck_assert_msg(n == want, "%s: %d", l, n);
    }
}
END_TEST

/* The ranking of a region: everyone of its subtree with a total, by total,
 * ties sharing a rank, then by id; people without a total are not in it. */
static void assert_ranked(int q, int at, const char *id, int rank)
{
    const struct score_region *sr = &res.region[q];
    const struct score_ranked *k;
    ck_assert_int_lt(at, sr->rank_n);
    k = &res.ranked[sr->rank_first + at];
    ck_assert_str_eq(ds.person[res.p[k->p].person].id, id);
    ck_assert_int_eq(k->rank, rank);
}

START_TEST(region_rankings_targets_managers)
{
    int m, z1, z2, j, j2, j3, c;
    regions();
    /* EAST-ZJ: M heads Z1 and Z2; EAST-JS: J (trio: A2 target 0.9) heads
     * J2 and J3; nobody's own region is EAST or CN */
    m = person("M", "staff", 2, -1, "2020-01-01", NULL);
    z1 = person("Z1", "staff", 2, m, "2020-01-01", NULL);
    z2 = person("Z2", "staff", 2, m, "2020-01-01", NULL);
    j = person("J", "trio", 3, -1, "2020-01-01", NULL);
    j2 = person("J2", "staff", 3, j, "2020-01-01", NULL);
    j3 = person("J3", "staff", 3, j, "2020-01-01", NULL);
    c = customer("C1", DS_C, 0, m, NULL, NULL);
    a2(m, c, 3, 5);     /* 60 */
    a2(z1, c, 9, 10);   /* 90 */
    a2(z2, c, 4, 5);    /* 80 */
    a2(j, c, 8, 10);    /* 0.8 / 0.9 of the weight: 88.89 */
    a2(j3, c, 8, 10);   /* 80, ties with Z2 */
    (void)j2;           /* no record: no total */
    run();
    /* EAST: Z1 1, J 2, J3 and Z2 share 3 (by id), M 5; J2 unranked */
    ck_assert_int_eq(res.region[1].rank_n, 5);
    assert_ranked(1, 0, "Z1", 1);
    assert_ranked(1, 1, "J", 2);
    assert_ranked(1, 2, "J3", 3);
    assert_ranked(1, 3, "Z2", 3);
    assert_ranked(1, 4, "M", 5);
    ck_assert_int_eq(res.region[0].rank_n, 5);      /* CN: the same */
    assert_ranked(0, 4, "M", 5);
    ck_assert_int_eq(res.region[2].rank_n, 3);      /* EAST-ZJ */
    assert_ranked(2, 0, "Z1", 1);
    assert_ranked(2, 2, "M", 3);
    ck_assert_int_eq(res.region[3].rank_n, 2);      /* EAST-JS */
    assert_ranked(3, 1, "J3", 2);
    /* own-region ranks follow the same rule */
    ck_assert_int_eq(sp_of(j3)->rank, 2);
    ck_assert_int_eq(sp_of(j2)->rank, 0);
    /* A2 target: Σ den x target / Σ den; EAST: (5 + 10 + 5 + 10 x 0.9 +
     * 10) / 40 (J2 has no denominator) */
    ck_assert(res.region[1].has_target[ROLES_A2]);
    ASSERT_NEAR(res.region[1].target[ROLES_A2], 39.0 / 40);
    ASSERT_NEAR(res.region[3].target[ROLES_A2], 19.0 / 20);
    ASSERT_NEAR(res.region[2].target[ROLES_A2], 1.0);
    ck_assert(!res.region[1].has_target[ROLES_A1]);
    /* managers: the top of each province; EAST and CN have two tops */
    ck_assert_int_eq(res.region[2].manager, m);
    ck_assert_int_eq(res.region[3].manager, j);
    ck_assert_int_eq(res.region[1].manager, -1);
    ck_assert_int_eq(res.region[0].manager, -1);
    /* month on month: only where the previous month's mean is stored */
    ck_assert(!res.region[2].has_mom);
}
END_TEST

START_TEST(region_manager_rule)
{
    int r, m, a0, z1, z2, j, c;
    regions();
    /* R, of EAST itself, heads both province managers */
    r = person("R", "staff", 1, -1, "2020-01-01", NULL);
    m = person("M", "staff", 2, r, "2020-01-01", NULL);
    a0 = person("A0", "staff", 2, -1, "2020-01-01", NULL); /* a second top
                                            of EAST-ZJ, without reports */
    z1 = person("Z1", "staff", 2, m, "2020-01-01", NULL);
    z2 = person("Z2", "staff", 2, m, "2020-01-01", NULL);
    j = person("J", "staff", 3, r, "2020-01-01", NULL);
    c = customer("C1", DS_C, 0, m, NULL, NULL);
    a2(r, c, 1, 2);
    (void)a0, (void)z1, (void)z2, (void)j;
    ds.region[2].has_prev_mean = 1;      /* as the loader reads it */
    ds.region[2].prev_mean = 40;
    run();
    /* EAST-ZJ: M (2 reports) before A0 (none), though A0 < M; R is
     * outside the node, so M counts as a top */
    ck_assert_int_eq(res.region[2].manager, m);
    ck_assert_int_eq(res.region[3].manager, j);
    ck_assert_int_eq(res.region[1].manager, r);     /* its own person */
    /* CN has no one of its own: R and A0 are the subtree's tops */
    ck_assert_int_eq(res.region[0].manager, -1);
    /* nobody in EAST-ZJ has a total: no mean, no month on month */
    ck_assert(!res.region[2].has_mom);
    ck_assert(!res.region[1].has_mom);  /* EAST: no stored mean */
}
END_TEST

START_TEST(region_month_on_month)
{
    int a, c;
    regions();
    a = person("A", "staff", 2, -1, "2020-01-01", NULL);
    c = customer("C1", DS_C, 0, a, NULL, NULL);
    a2(a, c, 3, 4);                     /* 75 */
    ds.region[2].has_prev_mean = 1;
    ds.region[2].prev_mean = 70.5;
    run();
    ck_assert(res.region[2].has_mom);
    ASSERT_NEAR(res.region[2].mom, 4.5);
    ck_assert(!res.region[1].has_mom);
}
END_TEST

START_TEST(rank_rule)
{
    struct score_rank_key k[5] = {
        {80, "B", 0, 0}, {90, "Z", 1, 0}, {80 + 1e-12, "C", 2, 0},
        {80, "A", 3, 0}, {70, "D", 4, 0}};
    ck_assert_int_eq(score_rank(k, 5, &err), ERR_OK);
    /* 90; then 80 + 1e-12 (a larger total sorts first) shares with the
     * two 80s, which follow by id; then 70 takes place 5 */
    ck_assert_str_eq(k[0].id, "Z");
    ck_assert_int_eq(k[0].rank, 1);
    ck_assert_str_eq(k[1].id, "C");
    ck_assert_str_eq(k[2].id, "A");
    ck_assert_str_eq(k[3].id, "B");
    ck_assert_int_eq(k[1].rank, 2);
    ck_assert_int_eq(k[2].rank, 2);
    ck_assert_int_eq(k[3].rank, 2);
    ck_assert_int_eq(k[4].rank, 5);
    ck_assert_int_eq(score_rank(k, 0, &err), ERR_OK);
}
END_TEST

START_TEST(risks)
{
    int e1, e2, v1, v2, a, k1, k2, k3, k4;
    regions();
    e1 = person("E1", "all", 2, -1, "2020-01-01", NULL);
    e2 = person("E2", "all", 2, -1, "2020-01-01", NULL);
    v1 = customer("V1", DS_VIP, 0, e1, NULL, NULL);
    k1 = contact("K1", v1, 1, "2020-01-01", 0, 0);
    k2 = contact("K2", v1, 1, "2020-01-01", 0, 0);
    v2 = customer("V2", DS_VIP, 0, e2, NULL, NULL);
    k3 = contact("K3", v2, 1, "2020-01-01", 0, 0);
    k4 = contact("K4", v2, 1, "2020-01-01", 0, 0);
    card(k3, "2020-01-01", NULL, "office", 0);
    /* V1: both key contacts passed in the last 3 periods (08-01..10-31) */
    check("Q1", e1, v1, k1, "2026-08-01", DS_ABSENT, 1, DS_ABSENT, DS_ABSENT,
          DS_ABSENT, DS_ABSENT);
    check("Q2", e1, v1, k2, "2026-10-31", DS_ABSENT, 1, DS_ABSENT, DS_ABSENT,
          DS_ABSENT, DS_ABSENT);
    /* V2: K3 passed, K4 failed, an old pass of K4 is too old */
    check("Q3", e2, v2, k3, "2026-09-15", DS_ABSENT, 1, DS_ABSENT, DS_ABSENT,
          DS_ABSENT, DS_ABSENT);
    check("Q4", e2, v2, k4, "2026-10-15", DS_ABSENT, 0, DS_ABSENT, DS_ABSENT,
          DS_ABSENT, DS_ABSENT);
    check("Q5", e2, v2, k4, "2026-07-31", DS_ABSENT, 1, DS_ABSENT, DS_ABSENT,
          DS_ABSENT, DS_ABSENT);
    /* handovers: V2 on 09-01 (in the last 2 months), K4 has no card;
     * A customer handed over 08-31 is outside the window */
    OK(dataset_add_handover(&ds, v2, e1, e2, D("2026-09-01"), NULL, &err));
    a = customer("A1", DS_A, 0, e2, NULL, NULL);
    contact("K5", a, 1, "2020-01-01", 0, 0);
    OK(dataset_add_handover(&ds, a, e1, e2, D("2026-08-31"), NULL, &err));
    /* stored before: 2026-09 flagged V2, 2026-08 did not, 2026-07 did */
    ck_assert_int_eq(dataset_add_history(&ds, "2026-09", &err), ERR_OK);
    ck_assert_int_eq(dataset_add_history_single(&ds, 0, "V1", &err), ERR_OK);
    ck_assert_int_eq(dataset_add_history_single(&ds, 0, "V2", &err), ERR_OK);
    ck_assert_int_eq(dataset_add_history_single(&ds, 0, "V1", &err),
                     ERR_DATA);                 /* out of order */
    ck_assert_int_eq(dataset_add_history(&ds, "2026-08", &err), ERR_OK);
    ck_assert_int_eq(dataset_add_history(&ds, "2026-07", &err), ERR_OK);
    ck_assert_int_eq(dataset_add_history_single(&ds, 2, "V2", &err), ERR_OK);
    ck_assert_int_eq(dataset_add_history_single(&ds, 3, "V2", &err),
                     ERR_DATA);                 /* no such period */
    run();
    ck_assert_int_eq(res.nrisk, 2);
    ck_assert_int_eq(res.risk[0].kind, SCORE_RISK_SINGLE_THREAD);
    ck_assert_int_eq(res.risk[0].customer, v2);
    ck_assert_int_eq(res.risk[0].count, 1);
    ck_assert_int_eq(res.risk[0].keys, 2);
    /* at risk since the first month of the unbroken run: 2026-09 */
    ck_assert_str_eq(res.risk[0].since_month, "2026-09");
    ck_assert_int_eq(res.risk[1].kind, SCORE_RISK_HANDOVER);
    ck_assert_int_eq(res.risk[1].customer, v2);
    ck_assert_int_eq(res.risk[1].owner, e2);
    ck_assert_int_eq(res.risk[1].from, e1);
    ck_assert_int_eq(res.risk[1].since, D("2026-09-01"));
    ck_assert_int_eq(res.risk[1].count, 1);
}
END_TEST

/* ---- trace --------------------------------------------------------------- */

static int traced[ROLES_NIND];
static void count_items(void *ctx, const struct score_item *it)
{
    (void)ctx;
    traced[it->ind]++;
}

START_TEST(trace_reports_one_person)
{
    int e1, e2, c;
    struct score_trace tr;
    regions();
    e1 = person("E1", "all", 2, -1, "2020-01-01", NULL);
    e2 = person("E2", "all", 2, -1, "2020-01-01", NULL);
    c = customer("C1", DS_VIP, 0, e1, NULL, NULL);
    visit("V1", e1, c, "2026-10-06", 1);
    a2(e2, c, 1, 1);
    ck_assert_int_eq(dataset_finish(&ds, &err), 0);
    memset(traced, 0, sizeof traced);
    tr.person = e1;
    tr.fn = count_items;
    tr.ctx = NULL;
    ck_assert_int_eq(score_run(&ds, &per, &roles, &tr, &res, &err), 0);
    /* B1: 5 customer-weeks + 1 visit; B2: 5 weeks; C1..C4: 1 each */
    ck_assert_int_eq(traced[ROLES_B1], 6);
    ck_assert_int_eq(traced[ROLES_B2], 5);
    ck_assert_int_eq(traced[ROLES_C1], 1);
    ck_assert_int_eq(traced[ROLES_A2], 0);   /* E2's check */
}
END_TEST


/* Every allocation of score_run failing in turn: ERR_NOMEM, nothing
 * leaked (run under valgrind), and a clean result once memory is back. */
START_TEST(out_of_memory_paths)
{
    int pm, s1, c;
    regions();
    pm = person("PM", "pm", 2, -1, "2020-01-01", NULL);
    s1 = person("S1", "staff", 2, pm, "2020-01-01", NULL);
    c = customer("C1", DS_VIP, 0, pm, NULL, NULL);
    contact("K1", c, 1, "2020-01-01", 0, 0);
    OK(dataset_add_handover(&ds, c, s1, pm, D("2026-10-10"), NULL, &err));
    a2(s1, c, 1, 2);
    ck_assert_int_eq(dataset_finish(&ds, &err), 0);
    for (long n = 1; n < 200; n++) {
        int rc;
        mem_fail_after(n);
        rc = score_run(&ds, &per, &roles, NULL, &res, &err);
        mem_fail_after(0);
        if (rc == 0) {
            ck_assert_int_gt(n, 5);
            score_result_free(&res);
            break;
        }
        ck_assert_int_eq(rc, ERR_NOMEM);
        ck_assert_ptr_null(res.p);
    }
    ck_assert_int_eq(score_run(&ds, &per, &roles, NULL, &res, &err), 0);
    /* PM has no A2 check: own N/A, total = team = S1's 50 */
    ASSERT_NEAR(sp_of(pm)->total, 50);
}
END_TEST

Suite *suite_score(void)
{
    Suite *s = suite_create("score");
    TCase *t = tcase_create("golden");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, period_weeks_2026_10);
    tcase_add_test(t, owner_on_handovers);
    tcase_add_test(t, b1_b2_month_boundaries);
    tcase_add_test(t, b1_handover_by_thursday);
    tcase_add_test(t, a1_grace);
    tcase_add_test(t, a1_grace_month_end_clamp);
    tcase_add_test(t, a1_restructuring);
    tcase_add_test(t, a1_card_follows_contact_after_handover);
    tcase_add_test(t, checks_items_and_dates);
    tcase_add_test(t, b4_displays);
    tcase_add_test(t, c1_c4_reports_forwarding);
    tcase_add_test(t, c6_windows_and_occasions);
    tcase_add_test(t, c6_owner_on_occasion_day);
    tcase_add_test(t, c6_feb29_and_spring_festival);
    tcase_add_test(t, c6_feb29_leap_year);
    tcase_add_test(t, scores_na_redistribution);
    tcase_add_test(t, scores_clamp);
    tcase_add_test(t, team_scores);
    tcase_add_test(t, team_weight_06);
    tcase_add_test(t, manager_cycle_is_an_error);
    tcase_add_test(t, unknown_role_names_the_person);
    tcase_add_test(t, assessment_and_status);
    tcase_add_test(t, region_rankings_targets_managers);
    tcase_add_test(t, region_manager_rule);
    tcase_add_test(t, region_month_on_month);
    tcase_add_test(t, rank_rule);
    tcase_add_test(t, rank_ties);
    tcase_add_test(t, grade_on_rounded_total);
    tcase_add_test(t, region_figures);
    tcase_add_test(t, risks);
    tcase_add_test(t, trace_reports_one_person);
    tcase_add_test(t, out_of_memory_paths);
    suite_add_tcase(s, t);
    return s;
}
