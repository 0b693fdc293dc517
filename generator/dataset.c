/* dataset -- building a period's in-memory records (see dataset.h).
 *
 * Strings go into an arena of 1 MiB chunks; ids of persons, customers and
 * contacts into open-addressing hash maps (FNV-1a) so that the loader can
 * turn references into indexes.  dataset_finish() sorts handovers and
 * builds the per-customer activity lists with a counting sort, O(n).
 */
#include "dataset.h"
#include "date.h"
#include "err.h"
#include "mem.h"
#include "sort.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- string arena ------------------------------------------------------ */

#define ARENA_CHUNK (1u << 20)

struct ds_arena {
    struct ds_arena *next;
    size_t used, cap;
    char data[];
};

static void arena_free(struct ds_arena *a)
{
    while (a) {
        struct ds_arena *next = a->next;
        mem_free(a);
        a = next;
    }
}

const char *dataset_intern(struct dataset *ds, const char *s)
{
    size_t n;
    struct ds_arena **head = ds->chunked ? &ds->chunk_arena : &ds->arena;
    struct ds_arena *a = *head;
    char *p;
    if (!s)
        return NULL;
    n = strlen(s) + 1;
    if (!a || a->cap - a->used < n) {
        size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
        a = mem_malloc(sizeof *a + cap);
        if (!a)
            return NULL;
        a->next = *head;
        a->used = 0;
        a->cap = cap;
        *head = a;
    }
    p = a->data + a->used;
    memcpy(p, s, n);
    a->used += n;
    return p;
}

/* ---- id maps ----------------------------------------------------------- */

struct ds_map {
    const char **key;   /* borrowed from the arena */
    int *val;
    size_t cap, n;      /* cap a power of two */
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int map_grow(struct ds_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1024;
    const char **key = mem_calloc(cap, sizeof *key);
    int *val = mem_malloc(cap * sizeof *val);
    if (!key || !val) {
        mem_free(key);
        mem_free(val);
        return ERR_NOMEM;
    }
    for (size_t i = 0; i < m->cap; i++) {
        size_t j;
        if (!m->key[i])
            continue;
        for (j = hash_str(m->key[i]) & (cap - 1); key[j]; j = (j + 1) & (cap - 1))
            ;
        key[j] = m->key[i];
        val[j] = m->val[i];
    }
    mem_free(m->key);
    mem_free(m->val);
    m->key = key;
    m->val = val;
    m->cap = cap;
    return ERR_OK;
}

/* ERR_OK (added), ERR_NOMEM, or ERR_DATA: k is already in the map. */
static int map_put(struct ds_map **mp, const char *k, int v)
{
    struct ds_map *m = *mp;
    size_t j;
    if (!m && !(m = *mp = mem_calloc(1, sizeof *m)))
        return ERR_NOMEM;
    if ((m->n + 1) * 2 > m->cap && map_grow(m))
        return ERR_NOMEM;
    for (j = hash_str(k) & (m->cap - 1); m->key[j]; j = (j + 1) & (m->cap - 1))
        if (strcmp(m->key[j], k) == 0)
            return ERR_DATA;
    m->key[j] = k;
    m->val[j] = v;
    m->n++;
    return ERR_OK;
}

static int map_get(const struct ds_map *m, const char *k)
{
    if (!m || !k)
        return -1;
    for (size_t j = hash_str(k) & (m->cap - 1); m->key[j];
         j = (j + 1) & (m->cap - 1))
        if (strcmp(m->key[j], k) == 0)
            return m->val[j];
    return -1;
}

static void map_free(struct ds_map *m)
{
    if (!m)
        return;
    mem_free(m->key);
    mem_free(m->val);
    mem_free(m);
}

int dataset_find_person(const struct dataset *ds, const char *id)
{
    return map_get(ds->map[0], id);
}

int dataset_find_customer(const struct dataset *ds, const char *id)
{
    return map_get(ds->map[1], id);
}

int dataset_find_contact(const struct dataset *ds, const char *id)
{
    return map_get(ds->map[2], id);
}

/* ---- life cycle -------------------------------------------------------- */

void dataset_init(struct dataset *ds)
{
    memset(ds, 0, sizeof *ds);
}

/* Free the per-customer lists of dataset_finish (all or some of them). */
static void drop_indexes(struct dataset *ds)
{
#define DROP(p) (mem_free(p), (p) = NULL)
    DROP(ds->contact_by_customer);
    DROP(ds->visit_off), DROP(ds->visit_idx);
    DROP(ds->service_off), DROP(ds->service_idx);
    DROP(ds->display_off), DROP(ds->display_idx);
    DROP(ds->report_off), DROP(ds->report_idx);
    DROP(ds->greeting_off), DROP(ds->greeting_idx);
    DROP(ds->check_off), DROP(ds->check_idx);
#undef DROP
}

void dataset_chunk_begin(struct dataset *ds)
{
    arena_free(ds->chunk_arena);
    ds->chunk_arena = NULL;
    ds->chunked = 1;
    ds->n_customer = ds->n_handover = ds->n_contact = ds->n_card = 0;
    ds->n_visit = ds->n_service = ds->n_display = ds->n_report = 0;
    ds->n_greeting = ds->n_check = 0;
    drop_indexes(ds);
    map_free(ds->map[1]);
    map_free(ds->map[2]);
    ds->map[1] = ds->map[2] = NULL;
    ds->finished = 0;
}

int dataset_add_history(struct dataset *ds, const char *period,
                        struct err *e)
{
    struct ds_history *h = &ds->hist;
    if (h->n >= DS_HISTORY_MAX)
        return err_set(e, ERR_DATA, "history: more than %d earlier periods",
                       DS_HISTORY_MAX);
    snprintf(h->period[h->n], sizeof h->period[0], "%.7s", period);
    h->single[h->n] = NULL;
    h->nsingle[h->n] = h->cap[h->n] = 0;
    h->n++;
    return ERR_OK;
}

int dataset_add_history_single(struct dataset *ds, int k,
                               const char *customer, struct err *e)
{
    struct ds_history *h = &ds->hist;
    char *c;
    if (k < 0 || k >= h->n)
        return err_set(e, ERR_DATA, "history: no earlier period %d", k);
    if ((h->nsingle[k] > 0 &&
                  strcmp(h->single[k][h->nsingle[k] - 1], customer) >= 0))
        return err_set(e, ERR_DATA, "history: customer %s out of order",
                       customer);
    if (h->nsingle[k] == h->cap[k]) {
        int nc = h->cap[k] ? h->cap[k] * 2 : 16;
        const char **v = mem_realloc(h->single[k], (size_t)nc * sizeof *v);
        if (!v)
            return err_set(e, ERR_NOMEM, "history: out of memory");
        h->single[k] = v;
        h->cap[k] = nc;
    }
    if (!(c = mem_strdup(customer)))
        return err_set(e, ERR_NOMEM, "history: out of memory");
    h->single[k][h->nsingle[k]++] = c;
    return ERR_OK;
}

void dataset_free(struct dataset *ds)
{
    for (int k = 0; k < ds->hist.n; k++) {
        for (int i = 0; i < ds->hist.nsingle[k]; i++)
            mem_free((char *)ds->hist.single[k][i]);
        mem_free(ds->hist.single[k]);
    }
    arena_free(ds->arena);
    arena_free(ds->chunk_arena);
    mem_free(ds->region);
    mem_free(ds->person);
    mem_free(ds->customer);
    mem_free(ds->handover);
    mem_free(ds->contact);
    mem_free(ds->card);
    mem_free(ds->visit);
    mem_free(ds->service);
    mem_free(ds->display);
    mem_free(ds->report);
    mem_free(ds->greeting);
    mem_free(ds->check);
    mem_free(ds->contact_by_customer);
    mem_free(ds->visit_off);
    mem_free(ds->visit_idx);
    mem_free(ds->service_off);
    mem_free(ds->service_idx);
    mem_free(ds->display_off);
    mem_free(ds->display_idx);
    mem_free(ds->report_off);
    mem_free(ds->report_idx);
    mem_free(ds->greeting_off);
    mem_free(ds->greeting_idx);
    mem_free(ds->check_off);
    mem_free(ds->check_idx);
    for (int i = 0; i < 3; i++)
        map_free(ds->map[i]);
    dataset_init(ds);
}

/* Make room for one more element of size sz in *arr (n used, *cap).
 * ERR_OK or ERR_NOMEM (also when the count would pass INT_MAX). */
static int grow(void **arr, int n, int *cap, size_t sz)
{
    void *p;
    int nc;
    if (n < *cap)
        return ERR_OK;
    if (*cap > INT_MAX / 2)
        return ERR_NOMEM;
    nc = *cap ? *cap * 2 : 64;
    p = mem_realloc(*arr, (size_t)nc * sz);
    if (!p)
        return ERR_NOMEM;
    *arr = p;
    *cap = nc;
    return ERR_OK;
}

/* The index of a new element of ds->name, or -1 when there is no room. */
#define PUSH(ds, name) \
    (grow((void **)&(ds)->name, (ds)->n_##name, &(ds)->cap_##name, \
          sizeof *(ds)->name) ? -1 : (ds)->n_##name++)

/* intern or fail: sets ok to 0 when s was given but could not be copied */
static const char *keep(struct dataset *ds, const char *s, int *ok)
{
    const char *p = dataset_intern(ds, s);
    if (s && !p)
        *ok = 0;
    return p;
}

/* ERR_NOMEM for the record `kind id` that could not be added. */
static int no_room(struct err *e, const char *kind, const char *id)
{
    return err_set(e, ERR_NOMEM, "dataset: %s %.80s: out of memory", kind,
                   id ? id : "(no id)");
}

/* Record i was added: its index to *index (if wanted). */
static int added(int *index, int i)
{
    if (index)
        *index = i;
    return ERR_OK;
}

/* Remember the id of the record just added (index i) in map m: key is
 * the copy in the arena (the map borrows it), id the caller's, for the
 * message; ok is 0 when the record's strings could not be copied.  On
 * failure the caller takes the record back.  ERR_OK, ERR_NOMEM or
 * ERR_DATA (duplicate id), e naming the record. */
static int remember(struct ds_map **m, const char *kind, const char *key,
                    const char *id, int ok, int i, struct err *e)
{
    int rc = ok ? map_put(m, key, i) : ERR_NOMEM;
    if (rc == ERR_DATA)
        return err_set(e, ERR_DATA, "dataset: %s %.80s: duplicate id", kind,
                       id);
    return rc ? no_room(e, kind, id) : ERR_OK;
}

/* The id of customer c for messages. */
static const char *customer_id(const struct dataset *ds, int c)
{
    return c >= 0 && c < ds->n_customer && ds->customer[c].id
               ? ds->customer[c].id : "?";
}

int dataset_add_region(struct dataset *ds, const char *id, const char *name,
                       int parent, int *index, struct err *e)
{
    int ok = 1, i = PUSH(ds, region);
    if (i < 0)
        return no_room(e, "region", id);
    memset(&ds->region[i], 0, sizeof ds->region[i]);
    ds->region[i].id = keep(ds, id, &ok);
    ds->region[i].name = keep(ds, name, &ok);
    ds->region[i].parent = parent;
    if (!ok) {
        ds->n_region--;
        return no_room(e, "region", id);
    }
    return added(index, i);
}

int dataset_add_person(struct dataset *ds, const char *id, const char *name,
                       const char *role, int region, int manager, int hired,
                       int left, int *index, struct err *e)
{
    int ok = 1, rc, i;
    struct ds_person *p;
    if (!id)
        return err_set(e, ERR_INTERNAL, "dataset: a person without an id");
    if ((i = PUSH(ds, person)) < 0)
        return no_room(e, "person", id);
    p = &ds->person[i];
    p->id = keep(ds, id, &ok);
    p->name = keep(ds, name, &ok);
    p->role = keep(ds, role, &ok);
    p->region = region;
    p->manager = manager;
    p->hired = hired;
    p->left = left;
    if ((rc = remember(&ds->map[0], "person", p->id, id, ok, i, e))) {
        ds->n_person--;
        return rc;
    }
    return added(index, i);
}

int dataset_add_customer(struct dataset *ds, const char *id, const char *name,
                         int terminal, int grade, int region, int owner,
                         int founded, int restructured, int *index,
                         struct err *e)
{
    int ok = 1, rc, i;
    struct ds_customer *c;
    if (!id)
        return err_set(e, ERR_INTERNAL, "dataset: a customer without an id");
    if ((i = PUSH(ds, customer)) < 0)
        return no_room(e, "customer", id);
    c = &ds->customer[i];
    memset(c, 0, sizeof *c);
    c->id = keep(ds, id, &ok);
    c->name = keep(ds, name, &ok);
    c->terminal = (signed char)terminal;
    c->grade = (signed char)grade;
    c->region = region;
    c->owner = owner;
    c->founded = founded;
    c->restructured = restructured;
    if ((rc = remember(&ds->map[1], "customer", c->id, id, ok, i, e))) {
        ds->n_customer--;
        return rc;
    }
    return added(index, i);
}

int dataset_add_contact(struct dataset *ds, const char *id, const char *name,
                        int customer, int key, int since, int bmonth,
                        int bday, int *index, struct err *e)
{
    int ok = 1, rc, i;
    struct ds_contact *k;
    if (!id)
        return err_set(e, ERR_INTERNAL, "dataset: a contact without an id");
    if ((i = PUSH(ds, contact)) < 0)
        return no_room(e, "contact", id);
    k = &ds->contact[i];
    k->id = keep(ds, id, &ok);
    k->name = keep(ds, name, &ok);
    k->customer = customer;
    k->key = (signed char)(key == 1);
    k->since = since;
    k->bmonth = (signed char)bmonth;
    k->bday = (signed char)bday;
    k->card = -1;
    if ((rc = remember(&ds->map[2], "contact", k->id, id, ok, i, e))) {
        ds->n_contact--;
        return rc;
    }
    return added(index, i);
}

int dataset_add_handover(struct dataset *ds, int customer, int from, int to,
                         int date, int *index, struct err *e)
{
    int i = PUSH(ds, handover);
    if (i < 0)
        return err_set(e, ERR_NOMEM, "dataset: handover of customer %.80s: "
                       "out of memory", customer_id(ds, customer));
    ds->handover[i] = (struct ds_handover){customer, from, to, date, i};
    return added(index, i);
}

int dataset_add_card(struct dataset *ds, int contact, int created,
                     int updated, int phones, int family, int *index,
                     struct err *e)
{
    int i;
    if (contact < 0 || contact >= ds->n_contact)
        return err_set(e, ERR_INTERNAL, "dataset: card: %d is not a contact "
                       "index (the dataset has %d)", contact, ds->n_contact);
    i = ds->contact[contact].card;
    if (i < 0 && (i = PUSH(ds, card)) < 0)
        return err_set(e, ERR_NOMEM, "dataset: card of contact %.80s: out of "
                       "memory", ds->contact[contact].id);
    ds->card[i] = (struct ds_card){contact, created, updated,
                                   (signed char)phones, (signed char)family};
    ds->contact[contact].card = i;
    return added(index, i);
}

int dataset_add_visit(struct dataset *ds, const char *id, int staff,
                      int customer, int date, int purpose, int *index,
                      struct err *e)
{
    int ok = 1, i = PUSH(ds, visit);
    if (i < 0)
        return no_room(e, "visit", id);
    ds->visit[i] = (struct ds_visit){keep(ds, id, &ok), staff, customer, date,
                                     purpose};
    if (!ok) {
        ds->n_visit--;
        return no_room(e, "visit", id);
    }
    return added(index, i);
}

int dataset_add_service(struct dataset *ds, const char *id, int staff,
                        int customer, int date, int *index, struct err *e)
{
    int ok = 1, i = PUSH(ds, service);
    if (i < 0)
        return no_room(e, "service", id);
    ds->service[i] = (struct ds_service){keep(ds, id, &ok), staff, customer,
                                         date};
    if (!ok) {
        ds->n_service--;
        return no_room(e, "service", id);
    }
    return added(index, i);
}

int dataset_add_display(struct dataset *ds, const char *id, int staff,
                        int customer, int date, int best, int pop,
                        int *index, struct err *e)
{
    int ok = 1, i = PUSH(ds, display);
    if (i < 0)
        return no_room(e, "display", id);
    ds->display[i] = (struct ds_display){keep(ds, id, &ok), staff, customer,
                                         date, (signed char)best,
                                         (signed char)pop};
    if (!ok) {
        ds->n_display--;
        return no_room(e, "display", id);
    }
    return added(index, i);
}

int dataset_add_report(struct dataset *ds, const char *id, int staff,
                       int customer, int kind, int month, int received,
                       int forwarded, int *index, struct err *e)
{
    int ok = 1, i = PUSH(ds, report);
    if (i < 0)
        return no_room(e, "report", id);
    ds->report[i] = (struct ds_report){keep(ds, id, &ok), staff, customer,
                                       (signed char)kind, month, received,
                                       forwarded};
    if (!ok) {
        ds->n_report--;
        return no_room(e, "report", id);
    }
    return added(index, i);
}

int dataset_add_greeting(struct dataset *ds, const char *id, int staff,
                         int customer, int contact, int occasion, int date,
                         int identified, int *index, struct err *e)
{
    int ok = 1, i = PUSH(ds, greeting);
    if (i < 0)
        return no_room(e, "greeting", id);
    ds->greeting[i] = (struct ds_greeting){keep(ds, id, &ok), staff, customer,
                                           contact, (signed char)occasion,
                                           (signed char)identified, date};
    if (!ok) {
        ds->n_greeting--;
        return no_room(e, "greeting", id);
    }
    return added(index, i);
}

int dataset_add_check(struct dataset *ds, const char *id, int staff,
                      int customer, int contact, int date,
                      const signed char item[DS_NCHECK_ITEM], int *index,
                      struct err *e)
{
    int ok = 1, i = PUSH(ds, check);
    struct ds_check *c;
    if (i < 0)
        return no_room(e, "check", id);
    c = &ds->check[i];
    c->id = keep(ds, id, &ok);
    c->staff = staff;
    c->customer = customer;
    c->contact = contact;
    c->date = date;
    memcpy(c->item, item, DS_NCHECK_ITEM);
    if (!ok) {
        ds->n_check--;
        return no_room(e, "check", id);
    }
    return added(index, i);
}

/* ---- indexes ----------------------------------------------------------- */

static int cmp_handover(const void *a, const void *b)
{
    const struct ds_handover *x = a, *y = b;
    if (x->customer != y->customer)
        return x->customer < y->customer ? -1 : 1;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* The record layout csr() sorts by: record i is at base + i * stride,
 * its date (int) at offset date, its id (const char *) at offset id. */
struct seg_layout {
    const char *base;
    size_t stride, date, id;
};

/* Order of two records of one customer: by date, then id.  ctx: the
 * struct seg_layout. */
static int cmp_seg(const void *a, const void *b, void *ctx)
{
    const struct seg_layout *L = ctx;
    const char *x = L->base + (size_t)*(const int *)a * L->stride;
    const char *y = L->base + (size_t)*(const int *)b * L->stride;
    int dx = *(const int *)(x + L->date), dy = *(const int *)(y + L->date);
    if (dx != dy)
        return dx < dy ? -1 : 1;
    return strcmp(*(const char *const *)(x + L->id),
                  *(const char *const *)(y + L->id));
}

/* Counting sort of n records by customer: off[ncust+1], idx[n], each
 * customer's records then ordered by date and id, so that the lists do
 * not depend on the order the records were loaded in.  The customer of
 * record i is *(int *)(base + i*stride + cust_off).  ERR_OK or ERR_NOMEM
 * (nothing allocated is left behind). */
static int csr(const struct dataset *ds, const void *base, int n,
               size_t stride, size_t cust_off, size_t date_off, size_t id_off,
               int **off, int **idx)
{
    int nc = ds->n_customer;
    int *o = mem_calloc((size_t)nc + 1, sizeof *o);
    int *x = mem_malloc((size_t)(n ? n : 1) * sizeof *x);
    int *fill;
    struct seg_layout lay = {base, stride, date_off, id_off};
    if (!o || !x) {
        mem_free(o);
        mem_free(x);
        return ERR_NOMEM;
    }
    for (int i = 0; i < n; i++) {
        int c = *(const int *)((const char *)base + (size_t)i * stride + cust_off);
        o[c + 1]++;
    }
    for (int c = 0; c < nc; c++)
        o[c + 1] += o[c];
    fill = mem_malloc(((size_t)nc + 1) * sizeof *fill);
    if (!fill) {
        mem_free(o);
        mem_free(x);
        return ERR_NOMEM;
    }
    memcpy(fill, o, ((size_t)nc + 1) * sizeof *fill);
    for (int i = 0; i < n; i++) {
        int c = *(const int *)((const char *)base + (size_t)i * stride + cust_off);
        x[fill[c]++] = i;
    }
    mem_free(fill);
    for (int c = 0; c < nc; c++)
        if (o[c + 1] - o[c] > 1 &&
            sort_r(x + o[c], (size_t)(o[c + 1] - o[c]), sizeof *x, cmp_seg,
                   &lay)) {
            mem_free(o);
            mem_free(x);
            return ERR_NOMEM;
        }
    *off = o;
    *idx = x;
    return ERR_OK;
}

/* Contact indexes by contact id.  ctx: the dataset. */
static int cmp_contact_id(const void *a, const void *b, void *ctx)
{
    const struct dataset *ds = ctx;
    return strcmp(ds->contact[*(const int *)a].id,
                  ds->contact[*(const int *)b].id);
}

int dataset_finish(struct dataset *ds, struct err *e)
{
    int nc = ds->n_customer, *fill;

    if (ds->finished)
        return ERR_OK;
    drop_indexes(ds);           /* what a failed call before built */
    if (ds->n_handover)
        qsort(ds->handover, (size_t)ds->n_handover, sizeof *ds->handover,
              cmp_handover);
    for (int i = 0; i < nc; i++) {
        ds->customer[i].nhandover = 0;
        ds->customer[i].first_handover = 0;
        ds->customer[i].ncontact = 0;
    }
    for (int i = ds->n_handover - 1; i >= 0; i--) {
        struct ds_customer *c = &ds->customer[ds->handover[i].customer];
        c->first_handover = i;
        c->nhandover++;
    }
    /* contacts by customer, in the order they were added */
    ds->contact_by_customer = mem_malloc((size_t)(ds->n_contact ? ds->n_contact : 1) *
                                         sizeof(int));
    fill = mem_calloc((size_t)nc + 1, sizeof *fill);
    if (!ds->contact_by_customer || !fill) {
        mem_free(fill);
        goto nomem;
    }
    for (int i = 0; i < ds->n_contact; i++)
        ds->customer[ds->contact[i].customer].ncontact++;
    for (int c = 0, at = 0; c < nc; c++) {
        ds->customer[c].first_contact = at;
        fill[c] = at;
        at += ds->customer[c].ncontact;
    }
    for (int i = 0; i < ds->n_contact; i++)
        ds->contact_by_customer[fill[ds->contact[i].customer]++] = i;
    mem_free(fill);
    for (int c = 0; c < nc; c++)
        if (ds->customer[c].ncontact > 1 &&
            sort_r(ds->contact_by_customer + ds->customer[c].first_contact,
                   (size_t)ds->customer[c].ncontact, sizeof(int),
                   cmp_contact_id, ds))
            goto nomem;
#define CSR(kind, date)                                                     \
    csr(ds, ds->kind, ds->n_##kind, sizeof *ds->kind,                       \
        offsetof(struct ds_##kind, customer),                               \
        offsetof(struct ds_##kind, date), offsetof(struct ds_##kind, id),   \
        &ds->kind##_off, &ds->kind##_idx)
    if (CSR(visit, date) || CSR(service, date) || CSR(display, date) ||
        CSR(report, received) ||
        CSR(greeting, date) || CSR(check, date))
        goto nomem;
#undef CSR
    ds->finished = 1;
    return ERR_OK;
nomem:
    drop_indexes(ds);
    return err_set(e, ERR_NOMEM, "dataset: out of memory");
}

int dataset_count_phones(const char *phones)
{
    int seen[3] = {0, 0, 0};
    const char *p = phones;
    static const char *const names[3] = {"office", "mobile", "home"};
    if (!p)
        return 0;
    while (*p) {
        const char *s;
        size_t n;
        while (*p == ' ')
            p++;
        s = p;
        while (*p && *p != ' ')
            p++;
        n = (size_t)(p - s);
        for (int i = 0; i < 3; i++)
            if (n == strlen(names[i]) && strncmp(s, names[i], n) == 0)
                seen[i] = 1;
    }
    return seen[0] + seen[1] + seen[2];
}

int dataset_month(const char *s)
{
    int y, m;
    if (date_parse_month(s, &y, &m))
        return -1;
    return y * 12 + m - 1;
}
