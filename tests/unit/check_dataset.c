/* check_dataset -- the in-memory period (dataset.c): the ERR_* contract of
 * the dataset_add_* calls (index out, duplicate ids, bad arguments, every
 * allocation failing in turn), and the order of the per-customer lists of
 * dataset_finish, also when it fails half-way, is repeated, or runs in two
 * threads at once. */
#include "unit.h"
#include "dataset.h"
#include "err.h"
#include "mem.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static struct dataset ds;
static struct err err;

static void setup(void)
{
    dataset_init(&ds);
    err_clear(&err);
}

static void teardown(void)
{
    mem_fail_after(0);
    dataset_free(&ds);
}

#define OK(call) ck_assert_msg((call) == ERR_OK, "%s", err.msg)

START_TEST(add_returns_index)
{
    int i = -1;
    OK(dataset_add_region(&ds, "CN", "全国", -1, &i, &err));
    ck_assert_int_eq(i, 0);
    OK(dataset_add_region(&ds, "EAST", "华东", 0, NULL, &err)); /* NULL ok */
    OK(dataset_add_region(&ds, "WEST", "西部", 0, &i, &err));
    ck_assert_int_eq(i, 2);
    ck_assert_int_eq(ds.n_region, 3);
    ck_assert_str_eq(ds.region[1].name, "华东");
    OK(dataset_add_person(&ds, "E1", "王一", "sales_rep", 1, -1, 10, DS_NODATE,
                          &i, &err));
    ck_assert_int_eq(i, 0);
    OK(dataset_add_person(&ds, "E2", "李二", "sales_rep", 1, 0, 10, DS_NODATE,
                          &i, &err));
    ck_assert_int_eq(i, 1);
    ck_assert_int_eq(dataset_find_person(&ds, "E2"), 1);
    ck_assert_int_eq(dataset_find_person(&ds, "E3"), -1);
    OK(dataset_add_customer(&ds, "C1", "某药房", 1, DS_A, 1, 0, DS_NODATE,
                            DS_NODATE, &i, &err));
    ck_assert_int_eq(i, 0);
    OK(dataset_add_visit(&ds, "V1", 0, 0, 100, 1, &i, &err));
    ck_assert_int_eq(i, 0);
    OK(dataset_add_visit(&ds, "V2", 1, 0, 101, 0, &i, &err));
    ck_assert_int_eq(i, 1);
    ck_assert_str_eq(ds.visit[1].id, "V2");
    ck_assert_int_eq(err.code, ERR_OK);     /* success leaves e alone */
}
END_TEST

/* A second person, customer or contact with an id already there:
 * ERR_DATA naming it, nothing added, the first still found. */
START_TEST(duplicate_ids)
{
    int i = -1;
    OK(dataset_add_region(&ds, "CN", "全国", -1, NULL, &err));
    OK(dataset_add_person(&ds, "E1", "王一", "r", 0, -1, 1, DS_NODATE, NULL,
                          &err));
    i = 77;
    ck_assert_int_eq(dataset_add_person(&ds, "E1", "又一个", "r", 0, -1, 1,
                                        DS_NODATE, &i, &err), ERR_DATA);
    ck_assert_str_eq(err.msg, "dataset: person E1: duplicate id");
    ck_assert_int_eq(i, 77);                /* *index untouched */
    ck_assert_int_eq(ds.n_person, 1);
    ck_assert_str_eq(ds.person[dataset_find_person(&ds, "E1")].name, "王一");

    OK(dataset_add_customer(&ds, "C1", "甲", 0, DS_B, 0, 0, DS_NODATE,
                            DS_NODATE, NULL, &err));
    ck_assert_int_eq(dataset_add_customer(&ds, "C1", "乙", 0, DS_B, 0, 0,
                                          DS_NODATE, DS_NODATE, NULL, &err),
                     ERR_DATA);
    ck_assert_str_eq(err.msg, "dataset: customer C1: duplicate id");
    ck_assert_int_eq(ds.n_customer, 1);

    OK(dataset_add_contact(&ds, "K1", "张", 0, 1, DS_NODATE, 0, 0, NULL, &err));
    ck_assert_int_eq(dataset_add_contact(&ds, "K1", "赵", 0, 0, DS_NODATE, 0,
                                         0, NULL, &err), ERR_DATA);
    ck_assert_str_eq(err.msg, "dataset: contact K1: duplicate id");
    ck_assert_int_eq(ds.n_contact, 1);
    ck_assert_str_eq(ds.contact[0].name, "张");

    /* activities are not keyed: the same id twice is two records */
    OK(dataset_add_visit(&ds, "V1", 0, 0, 5, 1, NULL, &err));
    OK(dataset_add_visit(&ds, "V1", 0, 0, 6, 1, NULL, &err));
    ck_assert_int_eq(ds.n_visit, 2);
    /* a NULL struct err is allowed */
    ck_assert_int_eq(dataset_add_person(&ds, "E1", "x", "r", 0, -1, 1,
                                        DS_NODATE, NULL, NULL), ERR_DATA);
}
END_TEST

START_TEST(bad_arguments_and_cards)
{
    int i = -1, j = -1;
    ck_assert_int_eq(dataset_add_person(&ds, NULL, "无名", "r", 0, -1, 1,
                                        DS_NODATE, NULL, &err), ERR_INTERNAL);
    ck_assert_str_eq(err.msg, "dataset: a person without an id");
    ck_assert_int_eq(ds.n_person, 0);
    ck_assert_int_eq(dataset_add_card(&ds, 0, 1, DS_NODATE, 2, 3, NULL, &err),
                     ERR_INTERNAL);
    ck_assert_str_eq(err.msg, "dataset: card: 0 is not a contact index (the "
                     "dataset has 0)");
    OK(dataset_add_region(&ds, "CN", "全国", -1, NULL, &err));
    OK(dataset_add_person(&ds, "E1", "王一", "r", 0, -1, 1, DS_NODATE, NULL,
                          &err));
    OK(dataset_add_customer(&ds, "C1", "甲", 0, DS_B, 0, 0, DS_NODATE,
                            DS_NODATE, NULL, &err));
    OK(dataset_add_contact(&ds, "K1", "张", 0, 1, DS_NODATE, 0, 0, NULL, &err));
    ck_assert_int_eq(dataset_add_card(&ds, -1, 1, DS_NODATE, 2, 3, NULL, &err),
                     ERR_INTERNAL);
    ck_assert_int_eq(dataset_add_card(&ds, 1, 1, DS_NODATE, 2, 3, NULL, &err),
                     ERR_INTERNAL);
    ck_assert_int_eq(ds.n_card, 0);
    /* a later card for the same contact replaces the first, same index */
    OK(dataset_add_card(&ds, 0, 100, DS_NODATE, 1, 0, &i, &err));
    OK(dataset_add_card(&ds, 0, 200, 210, 3, 4, &j, &err));
    ck_assert_int_eq(i, 0);
    ck_assert_int_eq(j, 0);
    ck_assert_int_eq(ds.n_card, 1);
    ck_assert_int_eq(ds.card[0].created, 200);
    ck_assert_int_eq(ds.card[0].updated, 210);
    ck_assert_int_eq(ds.card[0].phones, 3);
    ck_assert_int_eq(ds.contact[0].card, 0);
}
END_TEST

/* Every add of one small period, in order; *done counts those that
 * succeeded.  Returns the first failure. */
static int build(struct dataset *d, int *done, struct err *e)
{
    static const signed char item[DS_NCHECK_ITEM] = {1, 0, 1, DS_ABSENT, 1, 0};
    int rc;
    *done = 0;
#define STEP(call) do { if ((rc = (call))) return rc; (*done)++; } while (0)
    STEP(dataset_add_region(d, "CN", "全国", -1, NULL, e));
    STEP(dataset_add_person(d, "E1", "王一", "sales_rep", 0, -1, 1, DS_NODATE,
                            NULL, e));
    STEP(dataset_add_customer(d, "C1", "甲", 1, DS_VIP, 0, 0, DS_NODATE,
                              DS_NODATE, NULL, e));
    STEP(dataset_add_contact(d, "K1", "张", 0, 1, DS_NODATE, 3, 8, NULL, e));
    STEP(dataset_add_card(d, 0, 5, DS_NODATE, 2, 0, NULL, e));
    STEP(dataset_add_handover(d, 0, 0, 0, 7, NULL, e));
    STEP(dataset_add_visit(d, "V1", 0, 0, 9, 1, NULL, e));
    STEP(dataset_add_service(d, "S1", 0, 0, 9, NULL, e));
    STEP(dataset_add_display(d, "D1", 0, 0, 9, 1, DS_ABSENT, NULL, e));
    STEP(dataset_add_report(d, "R1", 0, 0, DS_COMPETITOR, 24321, 9,
                            DS_NODATE, NULL, e));
    STEP(dataset_add_greeting(d, "G1", 0, 0, 0, DS_BIRTHDAY, 9, 1, NULL, e));
    STEP(dataset_add_check(d, "Q1", 0, 0, 0, 9, item, NULL, e));
#undef STEP
    return ERR_OK;
}

static int records(const struct dataset *d)
{
    return d->n_region + d->n_person + d->n_customer + d->n_contact +
           d->n_card + d->n_handover + d->n_visit + d->n_service +
           d->n_display + d->n_report + d->n_greeting + d->n_check;
}

/* Allocation N failing, N = 1, 2, ...: the add that meets it returns
 * ERR_NOMEM naming its record and adds nothing; the ones before it are
 * all there. */
START_TEST(out_of_memory_each_add)
{
    int done = 0, rc = ERR_NOMEM, failures = 0;
    for (long n = 1; n < 100 && rc; n++) {
        struct dataset d;
        dataset_init(&d);
        err_clear(&err);
        mem_fail_after(n);
        rc = build(&d, &done, &err);
        mem_fail_after(0);
        if (rc) {
            failures++;
            ck_assert_int_eq(rc, ERR_NOMEM);
            ck_assert_msg(!strncmp(err.msg, "dataset: ", 9) &&
                          strstr(err.msg, ": out of memory"), "%s", err.msg);
            ck_assert_int_eq(records(&d), done);
        }
        dataset_free(&d);
    }
    ck_assert_int_eq(rc, ERR_OK);
    ck_assert_int_eq(done, 12);
    ck_assert_int_ge(failures, 5);  /* arrays, arena, three id maps */
    /* one of them by hand: the very first allocation is the region array */
    mem_fail_after(1);
    ck_assert_int_eq(dataset_add_region(&ds, "CN", "全国", -1, NULL, &err),
                     ERR_NOMEM);
    mem_fail_after(0);
    ck_assert_str_eq(err.msg, "dataset: region CN: out of memory");
    ck_assert_int_eq(ds.n_region, 0);
}
END_TEST

/* One customer with contacts added out of id order and 300 visits (more
 * than sort_r sorts on its stack) on three dates, ids descending. */
static void big_customer(struct dataset *d, const char *prefix)
{
    char id[32];
    ck_assert_int_eq(dataset_add_region(d, "CN", "全国", -1, NULL, &err), 0);
    ck_assert_int_eq(dataset_add_person(d, "E1", "王一", "r", 0, -1, 1,
                                        DS_NODATE, NULL, &err), 0);
    ck_assert_int_eq(dataset_add_customer(d, "C0", "乙", 0, DS_B, 0, 0,
                                          DS_NODATE, DS_NODATE, NULL, &err), 0);
    ck_assert_int_eq(dataset_add_customer(d, "C1", "甲", 0, DS_B, 0, 0,
                                          DS_NODATE, DS_NODATE, NULL, &err), 0);
    ck_assert_int_eq(dataset_add_contact(d, "K3", "c", 1, 0, DS_NODATE, 0, 0,
                                         NULL, &err), 0);
    ck_assert_int_eq(dataset_add_contact(d, "K1", "a", 1, 0, DS_NODATE, 0, 0,
                                         NULL, &err), 0);
    ck_assert_int_eq(dataset_add_contact(d, "K9", "z", 0, 0, DS_NODATE, 0, 0,
                                         NULL, &err), 0);
    ck_assert_int_eq(dataset_add_contact(d, "K2", "b", 1, 0, DS_NODATE, 0, 0,
                                         NULL, &err), 0);
    for (int i = 299; i >= 0; i--) {
        snprintf(id, sizeof id, "%s%03d", prefix, i);
        /* dates 30, 20, 10 for i in [0,100), [100,200), [200,300) */
        ck_assert_int_eq(dataset_add_visit(d, id, 0, 1, 30 - 10 * (i / 100),
                                           0, NULL, &err), 0);
    }
    ck_assert_int_eq(dataset_add_visit(d, "X", 0, 0, 1, 0, NULL, &err), 0);
}

/* The lists dataset_finish built for big_customer. */
static void assert_lists(const struct dataset *d, const char *prefix)
{
    char want[32];
    const int *k = d->contact_by_customer + d->customer[1].first_contact;
    ck_assert_int_eq(d->customer[1].ncontact, 3);
    ck_assert_str_eq(d->contact[k[0]].id, "K1");
    ck_assert_str_eq(d->contact[k[1]].id, "K2");
    ck_assert_str_eq(d->contact[k[2]].id, "K3");
    ck_assert_int_eq(d->visit_off[1] - d->visit_off[0], 1);
    ck_assert_int_eq(d->visit_off[2] - d->visit_off[1], 300);
    /* by date (10: ids 200..299, 20: 100..199, 30: 0..99), then by id */
    for (int j = 0; j < 300; j++) {
        const struct ds_visit *v = &d->visit[d->visit_idx[d->visit_off[1] + j]];
        int i = j < 100 ? 200 + j : j < 200 ? j : j - 200;
        snprintf(want, sizeof want, "%s%03d", prefix, i);
        ck_assert_str_eq(v->id, want);
        ck_assert_int_eq(v->date, 30 - 10 * (i / 100));
    }
}

/* dataset_finish with allocation N failing: ERR_NOMEM, unfinished, no
 * partial list left (valgrind sees no leak when it is called again);
 * once memory is back the lists are right. */
START_TEST(finish_orders_and_retries)
{
    int rc = ERR_NOMEM;
    long n;
    big_customer(&ds, "V");
    for (n = 1; n < 100 && rc; n++) {
        mem_fail_after(n);
        rc = dataset_finish(&ds, &err);
        mem_fail_after(0);
        if (rc) {
            ck_assert_int_eq(rc, ERR_NOMEM);
            ck_assert_str_eq(err.msg, "dataset: out of memory");
            ck_assert_int_eq(ds.finished, 0);
            ck_assert_ptr_null(ds.contact_by_customer);
            ck_assert_ptr_null(ds.visit_off);
            ck_assert_ptr_null(ds.visit_idx);
        }
    }
    ck_assert_int_eq(rc, ERR_OK);
    ck_assert_int_gt(n, 4);
    ck_assert_int_eq(ds.finished, 1);
    assert_lists(&ds, "V");
    ck_assert_int_eq(dataset_finish(&ds, &err), ERR_OK);   /* no-op */
    assert_lists(&ds, "V");
}
END_TEST

struct job {
    struct dataset d;
    const char *prefix;
    int rc;
};

static void *finish_many(void *arg)
{
    struct job *j = arg;
    for (int r = 0; r < 200 && !j->rc; r++) {
        j->d.finished = 0;
        j->rc = dataset_finish(&j->d, NULL);
    }
    return NULL;
}

/* Two datasets with different record layouts finished over and over in
 * two threads at once: each gets its own order (the comparators used to
 * read the layout from file-scope globals). */
START_TEST(finish_in_two_threads)
{
    static struct job job[2];
    pthread_t t[2];
    job[0].prefix = "V";
    job[1].prefix = "visit-";
    for (int i = 0; i < 2; i++) {
        dataset_init(&job[i].d);
        big_customer(&job[i].d, job[i].prefix);
        job[i].rc = ERR_OK;
    }
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, finish_many, &job[i]), 0);
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_join(t[i], NULL), 0);
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(job[i].rc, ERR_OK);
        assert_lists(&job[i].d, job[i].prefix);
        dataset_free(&job[i].d);
    }
}
END_TEST

Suite *suite_dataset(void)
{
    Suite *s = suite_create("dataset");
    TCase *t = tcase_create("dataset");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, add_returns_index);
    tcase_add_test(t, duplicate_ids);
    tcase_add_test(t, bad_arguments_and_cards);
    tcase_add_test(t, out_of_memory_each_add);
    tcase_add_test(t, finish_orders_and_retries);
    tcase_add_test(t, finish_in_two_threads);
    suite_add_tcase(s, t);
    return s;
}
