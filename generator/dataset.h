/* dataset -- the records of one period, in memory, as plain structs.
 *
 * Stage boundary store -> score: store_period.c fills a dataset from the
 * database (or a test builds one by hand with the dataset_add_* calls), then
 * dataset_finish() builds the indexes, and score.c reads it without any I/O.
 *
 * Records refer to each other by index (int, -1 = none), not by id text;
 * ids and names live in one string arena.  Dates are day numbers (date.h),
 * DS_NODATE when absent; booleans are DS_ABSENT (-1), 0 or 1.  Memory is
 * linear in the records loaded, about 80 bytes per customer plus 40 per
 * contact and 24-40 per activity, so a 10,000-person company (200k
 * customers, 2M activities) fits in well under 200 MB.
 *
 * Struct tags are ds_*, functions dataset_*.
 *
 * Thread safety: reentrant, no global state (the sorts of dataset_finish
 * take their context as an argument, sort.h); one dataset per thread
 * while it is built; a finished dataset is only read (score.h,
 * dataset_find_*) and may be shared by threads that only read it.
 */
#ifndef KQ_DATASET_H
#define KQ_DATASET_H

#include <stddef.h>
#include <limits.h>

struct err;

#define DS_NODATE INT_MIN
#define DS_ABSENT (-1)

enum ds_grade { DS_VIP, DS_A, DS_B, DS_C };
enum ds_report_kind { DS_BUSINESS_CHANGE, DS_SELL_THROUGH,
                      DS_DOWNSTREAM_FEEDBACK, DS_COMPETITOR, DS_NREPORT };
enum ds_occasion { DS_NEW_YEAR, DS_SPRING_FESTIVAL, DS_QINGMING,
                   DS_LABOR_DAY, DS_DRAGON_BOAT, DS_MID_AUTUMN,
                   DS_NATIONAL_DAY, DS_BIRTHDAY, DS_ANNIVERSARY, DS_NOCCASION };
/* the yes/no items of a spot check, in record.c's order */
enum ds_check_item { DS_REP_KNOWS_NAME, DS_KNOWS_REP_NAME,
                     DS_REP_RECITES_CARD, DS_KNOWS_COMPANY,
                     DS_FIRST_RECOMMEND, DS_EXPLAINS_SELLING_POINTS,
                     DS_NCHECK_ITEM };

struct ds_region {
    const char *id, *name;
    int parent;                 /* -1 for the root */
    int has_prev_mean;          /* the previous month's results are stored */
    double prev_mean;           /* and gave this subtree a mean total */
};

struct ds_person {
    const char *id, *name, *role;
    int region;
    int manager;                /* -1 none */
    int hired, left;            /* left: DS_NODATE when still employed */
};

struct ds_customer {
    const char *id, *name;
    int region, owner;          /* owner at export time */
    signed char grade;          /* enum ds_grade */
    signed char terminal;       /* 1 terminal, 0 channel */
    int founded, restructured;  /* DS_NODATE when absent */
    int first_handover, nhandover;  /* into ds.handover, sorted by date */
    int first_contact, ncontact;    /* into ds.contact_by_customer */
};

struct ds_handover {
    int customer, from, to, date;
    int seq;                    /* order within the customer element */
};

struct ds_contact {
    const char *id, *name;
    int customer;
    signed char key;            /* 1 key contact */
    signed char bmonth, bday;   /* birthday, 0 when absent */
    int since;                  /* DS_NODATE when absent */
    int card;                   /* index into ds.card, -1 none */
};

struct ds_card {
    int contact;
    int created, updated;       /* updated: DS_NODATE when absent */
    signed char phones;         /* distinct phones: 0..3 */
    signed char family;         /* 0 when absent */
};

/* The activities.  `staff` is who recorded it (a person index). */
struct ds_visit {
    const char *id;
    int staff, customer, date;
    int purpose;                /* 1 when purpose is non-empty */
};
struct ds_service {
    const char *id;
    int staff, customer, date;
};
struct ds_display {
    const char *id;
    int staff, customer, date;
    signed char best;           /* position == best */
    signed char pop;            /* DS_ABSENT, 0, 1 */
};
struct ds_report {
    const char *id;
    int staff, customer;
    signed char kind;           /* enum ds_report_kind */
    int month;                  /* year * 12 + (month - 1) */
    int received, forwarded;    /* forwarded: DS_NODATE when absent */
};
struct ds_greeting {
    const char *id;
    int staff, customer, contact;   /* contact -1 when absent */
    signed char occasion;       /* enum ds_occasion */
    signed char identified;     /* DS_ABSENT, 0, 1 */
    int date;
};
struct ds_check {
    const char *id;
    int staff, customer, contact;   /* contact -1 when absent */
    int date;
    signed char item[DS_NCHECK_ITEM];   /* DS_ABSENT, 0, 1 */
};

/* Earlier stored results the rules look back on (filled by the loader,
 * store_period.c): the stored periods before this one, newest first, at
 * most DS_HISTORY_MAX, and the customers flagged single-threaded in each
 * (ids sorted by strcmp, copies owned by the dataset).  A test builds
 * it with dataset_add_history / dataset_add_history_single. */
#define DS_HISTORY_MAX 24
struct ds_history {
    int n;
    char period[DS_HISTORY_MAX][8];     /* "YYYY-MM" */
    const char **single[DS_HISTORY_MAX];    /* owned arrays */
    int nsingle[DS_HISTORY_MAX], cap[DS_HISTORY_MAX];
};

/* A growable array of one record kind. */
#define DS_ARRAY(type, name) type *name; int n_##name, cap_##name

struct ds_arena;
struct ds_map;

struct dataset {
    DS_ARRAY(struct ds_region, region);
    DS_ARRAY(struct ds_person, person);
    DS_ARRAY(struct ds_customer, customer);
    DS_ARRAY(struct ds_handover, handover);
    DS_ARRAY(struct ds_contact, contact);
    DS_ARRAY(struct ds_card, card);
    DS_ARRAY(struct ds_visit, visit);
    DS_ARRAY(struct ds_service, service);
    DS_ARRAY(struct ds_display, display);
    DS_ARRAY(struct ds_report, report);
    DS_ARRAY(struct ds_greeting, greeting);
    DS_ARRAY(struct ds_check, check);

    /* built by dataset_finish(): per-customer lists (CSR: the records of
     * customer c are idx[off[c] .. off[c+1]) ), by date then id; contacts
     * by id */
    int *contact_by_customer;       /* contact indexes, by customer */
    int *visit_off, *visit_idx;
    int *service_off, *service_idx;
    int *display_off, *display_idx;
    int *report_off, *report_idx;
    int *greeting_off, *greeting_idx;
    int *check_off, *check_idx;
    int finished;

    struct ds_history hist;         /* kept across chunks */

    struct ds_arena *arena;         /* owned strings */
    struct ds_map *map[3];          /* id -> index: person, customer, contact */
    /* Chunks (dataset_chunk_begin): the regions and persons stay, the
     * customers and everything attached to them are replaced chunk by
     * chunk; their strings live in chunk_arena. */
    int chunked;
    struct ds_arena *chunk_arena;
};

/* An empty dataset. */
void dataset_init(struct dataset *ds);
/* Free everything; ds is left empty (init state). */
void dataset_free(struct dataset *ds);

/* Start a new chunk: keep the regions and persons (and their map);
 * forget the customers, handovers, contacts, cards and activities (their
 * arrays keep their capacity for the next chunk) and the per-customer
 * lists; the dataset is unfinished again.  The first call marks the
 * dataset chunked: strings added from then on are freed with the chunk. */
void dataset_chunk_begin(struct dataset *ds);

/* Append an earlier stored period "YYYY-MM" to ds->hist (newest first);
 * dataset_add_history_single adds a customer flagged in its period k
 * (0 = the newest), in ascending id order.  ERR_OK; ERR_DATA past
 * DS_HISTORY_MAX periods, for a k not added or a customer out of order;
 * ERR_NOMEM. */
int dataset_add_history(struct dataset *ds, const char *period,
                        struct err *e);
int dataset_add_history_single(struct dataset *ds, int k,
                               const char *customer, struct err *e);

/* Copy s into the dataset's arena; NULL on out of memory (NULL s -> NULL).
 * Borrowed until dataset_free. */
const char *dataset_intern(struct dataset *ds, const char *s);

/* Append one record; its strings are copied into the arena, fields not
 * passed are absent.  The new record's index goes to *index (index may
 * be NULL).  A person, customer or contact id is remembered for
 * dataset_find_* (it must not be NULL).  References (region, manager,
 * customer, contact, staff ...) are indexes the caller has resolved;
 * only dataset_add_card reads through one, and checks it.
 * Returns ERR_OK; ERR_NOMEM (nothing was added; e: "dataset: visit V1:
 * out of memory"); ERR_DATA when the person, customer or contact id is
 * already in the dataset (nothing added; e: "dataset: customer C1:
 * duplicate id"); ERR_INTERNAL for a NULL id or a card whose contact is
 * not an index of ds->contact.  e may be NULL. */
int dataset_add_region(struct dataset *ds, const char *id, const char *name,
                       int parent, int *index, struct err *e);
int dataset_add_person(struct dataset *ds, const char *id, const char *name,
                       const char *role, int region, int manager, int hired,
                       int left, int *index, struct err *e);
int dataset_add_customer(struct dataset *ds, const char *id, const char *name,
                         int terminal, int grade, int region, int owner,
                         int founded, int restructured, int *index,
                         struct err *e);
int dataset_add_contact(struct dataset *ds, const char *id, const char *name,
                        int customer, int key, int since, int bmonth,
                        int bday, int *index, struct err *e);
int dataset_add_handover(struct dataset *ds, int customer, int from, int to,
                         int date, int *index, struct err *e);
/* A later card for the same contact replaces the earlier one (same
 * index). */
int dataset_add_card(struct dataset *ds, int contact, int created,
                     int updated, int phones, int family, int *index,
                     struct err *e);
int dataset_add_visit(struct dataset *ds, const char *id, int staff,
                      int customer, int date, int purpose, int *index,
                      struct err *e);
int dataset_add_service(struct dataset *ds, const char *id, int staff,
                        int customer, int date, int *index, struct err *e);
int dataset_add_display(struct dataset *ds, const char *id, int staff,
                        int customer, int date, int best, int pop,
                        int *index, struct err *e);
int dataset_add_report(struct dataset *ds, const char *id, int staff,
                       int customer, int kind, int month, int received,
                       int forwarded, int *index, struct err *e);
int dataset_add_greeting(struct dataset *ds, const char *id, int staff,
                         int customer, int contact, int occasion, int date,
                         int identified, int *index, struct err *e);
/* item: DS_NCHECK_ITEM values, each DS_ABSENT, 0 or 1. */
int dataset_add_check(struct dataset *ds, const char *id, int staff,
                      int customer, int contact, int date,
                      const signed char item[DS_NCHECK_ITEM], int *index,
                      struct err *e);

/* Index of the person / customer / contact with this id, or -1. */
int dataset_find_person(const struct dataset *ds, const char *id);
int dataset_find_customer(const struct dataset *ds, const char *id);
int dataset_find_contact(const struct dataset *ds, const char *id);

/* Build the per-customer indexes and sort every handover list by date.
 * Call after the last dataset_add_*; again after it finished: nothing
 * happens.  ERR_OK or ERR_NOMEM; after ERR_NOMEM the dataset is
 * unfinished, holds no partial index, and the call may be repeated. */
int dataset_finish(struct dataset *ds, struct err *e);

/* Number of distinct tokens among office, mobile, home in a card's
 * `phones` text (NULL -> 0). */
int dataset_count_phones(const char *phones);

/* Month number year * 12 + (month - 1) of a "YYYY-MM" or -1. */
int dataset_month(const char *yyyy_mm);

#endif
