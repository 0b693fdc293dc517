/* sample -- writes the deterministic sample export (see sample.h).
 *
 * Layout of this file: the output writer (a 1 MiB buffer with hand-made
 * number and date formatting, one fwrite per MiB), the organisation
 * (persons, teams, regions), the customer model (regenerated from its own
 * seed in every section), then one writer per section.
 */
#include "sample.h"
#include "sample_names.h"
#include "date.h"
#include "period.h"
#include "err.h"
#include "fsx.h"
#include "lunar.h"
#include "mem.h"
#include "rng.h"

#include <limits.h>
#include <math.h>
#include <string.h>

/* ---- output writer ---------------------------------------------------- */

#define WR_CAP ((size_t)1 << 20)

struct wr {
    FILE *fp;          /* borrowed */
    char *buf;         /* owned, WR_CAP bytes */
    size_t len;
    long long total;   /* bytes handed to fp */
    int failed;        /* a write failed: stop writing, report ERR_IO */
};

static void wr_flush(struct wr *w)
{
    if (w->len && !w->failed && fwrite(w->buf, 1, w->len, w->fp) != w->len)
        w->failed = 1;
    w->total += (long long)w->len;
    w->len = 0;
}

static void wr_mem(struct wr *w, const char *s, size_t n)
{
    if (w->len + n > WR_CAP)
        wr_flush(w);
    if (n > WR_CAP) { /* never for our records; kept for safety */
        if (!w->failed && fwrite(s, 1, n, w->fp) != n)
            w->failed = 1;
        w->total += (long long)n;
        return;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

/* A string literal, length known at compile time. */
#define WL(w, lit) wr_mem((w), (lit), sizeof(lit) - 1)

/* Text, escaped for attributes and element content. */
static void wr_text(struct wr *w, const char *s)
{
    size_t run = strcspn(s, "&<>\"'");
    while (1) {
        wr_mem(w, s, run);
        s += run;
        switch (*s) {
        case '\0': return;
        case '&': WL(w, "&amp;"); break;
        case '<': WL(w, "&lt;"); break;
        case '>': WL(w, "&gt;"); break;
        case '"': WL(w, "&quot;"); break;
        default: WL(w, "&apos;"); break;
        }
        s++;
        run = strcspn(s, "&<>\"'");
    }
}

/* Decimal v, zero-padded to at least width digits. */
static void wr_num(struct wr *w, unsigned long long v, int width)
{
    char tmp[24];
    int i = (int)sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while ((int)sizeof tmp - i < width && i > 0)
        tmp[--i] = '0';
    wr_mem(w, tmp + i, sizeof tmp - (size_t)i);
}

static void wr_id(struct wr *w, char prefix, long long v, int width)
{
    wr_mem(w, &prefix, 1);
    wr_num(w, (unsigned long long)v, width);
}

static void wr_date(struct wr *w, int day)
{
    char s[11];
    date_format(day, s);
    wr_mem(w, s, 10);
}

static void wr_bool(struct wr *w, int v)
{
    if (v)
        WL(w, "true");
    else
        WL(w, "false");
}

/* ---- model ------------------------------------------------------------- */

enum role { R_TERMINAL_STAFF, R_SALES_REP, R_COMMERCIAL_SUP, R_TERMINAL_SUP,
            R_PROVINCE_MGR };
static const char *const role_names[] = {"terminal_staff", "sales_rep",
    "commercial_supervisor", "terminal_supervisor", "province_manager"};

enum grade { G_VIP, G_A, G_B, G_C };
static const char *const grade_names[] = {"VIP", "A", "B", "C"};

/* Occasions, in record.c's order. */
enum occ { O_NEW_YEAR, O_SPRING, O_QINGMING, O_LABOR, O_DRAGON, O_MID_AUTUMN,
           O_NATIONAL, O_BIRTHDAY, O_ANNIVERSARY };
static const char *const occ_names[] = {"new_year", "spring_festival",
    "qingming", "labor_day", "dragon_boat", "mid_autumn", "national_day",
    "birthday", "anniversary"};
static const char *const service_kinds[] = {"favor", "problem", "complaint",
    "advice", "need", "labor", "material"};
static const char *const report_kinds[] = {"business_change", "sell_through",
    "downstream_feedback", "competitor"};
static const char *const channels[] = {"phone", "postcard", "sms", "wechat",
    "visit"};
static const char *const positions[] = {"best", "good", "normal", "none"};

#define NO_DAY INT_MIN   /* an absent date */

/* Close the attribute being written and write ` NAME="DAY` (left open
 * like it), unless day is NO_DAY. */
static void wr_next_date(struct wr *w, const char *name, int day)
{
    if (day == NO_DAY)
        return;
    WL(w, "\" ");
    wr_mem(w, name, strlen(name));
    WL(w, "=\"");
    wr_date(w, day);
}
#define STILL INT_MAX    /* 'left' of someone still employed */

#define P_LEAVER 1u      /* leaves inside the period */
#define P_NEWHIRE 2u     /* hired inside the period */
#define P_SUCCESSOR 4u   /* hired to take over a leaver's book */

struct person {
    float q;             /* hidden diligence, see sample.h */
    unsigned char role, flags;
    int team;
    int manager;         /* index, -1 for none */
    int heir;            /* leavers: who takes over the book */
    int buddy;           /* who takes a customer handed over in the period */
    int hired, left;     /* left == STILL when employed */
    long first_cust;     /* customers first_cust+1 .. first_cust+ncust */
    int ncust;
};

enum card_state { CARD_NONE, CARD_VALID, CARD_STALE };

#define MAX_CONTACTS 5
#define MAX_HANDOVERS 2

struct contact {
    int key;
    int since;
    int bm, bd;          /* birthday month/day, bm == 0 when unknown */
    int card;            /* enum card_state */
    int created, updated;
    int phones;          /* bits: 1 office, 2 mobile, 4 home */
    int family;          /* -1 absent */
    int interests;       /* -1 absent */
};

struct handover {
    int from, to, day;
};

/* One customer, regenerated from (seed, number) wherever it is needed. */
struct customer {
    long num;            /* 1-based: C000001 */
    int book;            /* person whose book it is in */
    int owner;           /* owner at export time */
    int terminal;
    int grade;           /* enum grade */
    int founded, restructured;
    int nho;
    struct handover ho[MAX_HANDOVERS];
    int nk, nkey;        /* contacts; the first nkey are key */
    struct contact k[MAX_CONTACTS];
};

#define MAX_FEST 12

struct occasion_day {
    int occ;             /* enum occ */
    int day;
};

struct gen {
    uint64_t seed;
    struct period per;
    char month[8];       /* "YYYY-MM" */
    int grace_from;      /* d + 2 months > period_end  <=>  d >= grace_from */
    long np;
    struct person *p;    /* owned, np */
    int nteams;
    int nfest;
    struct occasion_day fest[MAX_FEST]; /* occasions in [start, end + 3] */
    long long ncontacts; /* running contact number within a section */
    long long next[REC_NKINDS]; /* last id used, by kind */
    struct wr w;
    struct sample_stats st;
};

/* Streams of the generator, one per purpose, so sections can regenerate. */
enum salt { SALT_TEAM = 1, SALT_PERSON, SALT_PNAME, SALT_CUSTOMER,
            SALT_CNAME, SALT_ACTIVITY };

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void rng_for(struct rng *r, uint64_t seed, enum salt salt, uint64_t n)
{
    uint64_t x = mix64(seed + 0x9e3779b97f4a7c15ULL);
    x = mix64(x ^ ((uint64_t)salt * 0xd1b54a32d192ed03ULL));
    rng_seed(r, mix64(x ^ n));
}

/* Uniform day in [lo, hi]; lo when the range is empty. */
static int between(struct rng *r, int lo, int hi)
{
    return hi <= lo ? lo : rng_range(r, lo, hi);
}

/* A day in [lo, hi] while p is employed, or NO_DAY. */
static int day_at_work(struct rng *r, const struct person *p, int lo, int hi)
{
    if (lo < p->hired)
        lo = p->hired;
    if (hi > p->left)
        hi = p->left;
    return lo > hi ? NO_DAY : rng_range(r, lo, hi);
}

/* ---- festivals (dates of the lunar ones from lunar.h, as scoring uses) -- */

static void add_fest(struct gen *g, int occ, int day)
{
    if (day >= g->per.start && day <= g->per.end + 3 && g->nfest < MAX_FEST) {
        g->fest[g->nfest].occ = occ;
        g->fest[g->nfest].day = day;
        g->nfest++;
    }
}

static void build_festivals(struct gen *g)
{
    static const struct {
        enum festival f;
        int occ;
    } lunar_occ[4] = {{FEST_SPRING, O_SPRING}, {FEST_QINGMING, O_QINGMING},
                      {FEST_DRAGON_BOAT, O_DRAGON},
                      {FEST_MID_AUTUMN, O_MID_AUTUMN}};
    g->nfest = 0;
    for (int y = g->per.year; y <= g->per.year + 1; y++) {
        add_fest(g, O_NEW_YEAR, date_from_ymd(y, 1, 1));
        add_fest(g, O_LABOR, date_from_ymd(y, 5, 1));
        add_fest(g, O_NATIONAL, date_from_ymd(y, 10, 1));
        for (int i = 0; i < 4; i++) {   /* outside lunar.h's years: none */
            int day;
            if (lunar_festival(y, lunar_occ[i].f, &day) == 0)
                add_fest(g, lunar_occ[i].occ, day);
        }
    }
}

/* ---- organisation -------------------------------------------------------- */

/* Append one person of role under manager; returns its index. */
static long add_person(struct gen *g, long i, int role, int team, int manager)
{
    struct person *p = &g->p[i];
    p->role = (unsigned char)role;
    p->team = team;
    p->manager = manager;
    p->heir = -1;
    p->buddy = -1;
    p->left = STILL;
    return i;
}

/* Teams of PM + two supervisors + 4-7 reps under each, cut at np. */
static void build_teams(struct gen *g)
{
    struct rng r;
    long i = 0;
    int team = 0;
    rng_for(&r, g->seed, SALT_TEAM, 0);
    while (i < g->np) {
        long pm = add_person(g, i++, R_PROVINCE_MGR, team, -1);
        int sup[2] = {R_COMMERCIAL_SUP, R_TERMINAL_SUP};
        int rep[2] = {R_SALES_REP, R_TERMINAL_STAFF};
        long sidx[2] = {-1, -1};
        int nrep[2];
        for (int s = 0; s < 2 && i < g->np; s++)
            sidx[s] = add_person(g, i++, sup[s], team, (int)pm);
        nrep[0] = rng_range(&r, 4, 7);
        nrep[1] = rng_range(&r, 4, 7);
        for (int s = 0; s < 2; s++)
            for (int k = 0; k < nrep[s] && i < g->np; k++)
                add_person(g, i++, rep[s], team, (int)sidx[s]);
        team++;
    }
    g->nteams = team;
}

static float draw_diligence(struct rng *r)
{
    static const double cum[5] = {0.15, 0.45, 0.75, 0.90, 1.0};
    static const double lo[5] = {0.92, 0.83, 0.73, 0.63, 0.40};
    static const double hi[5] = {1.00, 0.92, 0.83, 0.73, 0.63};
    double u = rng_unit(r);
    int b = 0;
    while (b < 4 && u >= cum[b])
        b++;
    return (float)(lo[b] + (hi[b] - lo[b]) * rng_unit(r));
}

static int is_rep(const struct person *p)
{
    return p->role == R_SALES_REP || p->role == R_TERMINAL_STAFF;
}

/* Diligence, dates, leavers, successors, new hires, book sizes. */
static void build_people(struct gen *g)
{
    const struct period *per = &g->per;
    int ndays = per->end - per->start + 1;
    long cust = 0;
    for (long i = 0; i < g->np; i++) {
        struct person *p = &g->p[i];
        struct rng r;
        rng_for(&r, g->seed, SALT_PERSON, (uint64_t)i);
        p->q = draw_diligence(&r);
        switch (p->role) {
        case R_PROVINCE_MGR:
            p->hired = per->start - rng_range(&r, 6 * 365, 18 * 365);
            p->ncust = rng_range(&r, 5, 8);
            break;
        case R_COMMERCIAL_SUP:
        case R_TERMINAL_SUP:
            p->hired = per->start - rng_range(&r, 3 * 365, 12 * 365);
            p->ncust = rng_range(&r, 8, 12);
            break;
        default:
            p->hired = per->start - rng_range(&r, 60, 9 * 365);
            p->ncust = rng_range(&r, 18, 26);
            break;
        }
        if (is_rep(p) && i > 0 && (g->p[i - 1].flags & P_LEAVER) &&
            g->p[i - 1].manager == p->manager) {
            const struct person *l = &g->p[i - 1];
            p->flags = P_NEWHIRE | P_SUCCESSOR;
            p->hired = between(&r, l->left - 10, l->left + 1);
            if (p->hired < per->start)
                p->hired = per->start;
            p->ncust = 0;
        } else if (is_rep(p) && rng_chance(&r, 0.04)) {
            p->flags = P_LEAVER;
            p->left = per->start + rng_range(&r, 4, ndays - 5);
            p->heir = (i + 1 < g->np && g->p[i + 1].manager == p->manager)
                          ? (int)(i + 1) : p->manager;
        } else if (is_rep(p) && rng_chance(&r, 0.03)) {
            p->flags = P_NEWHIRE;
            p->hired = per->start + rng_range(&r, 0, ndays * 2 / 3);
            p->ncust = rng_range(&r, 12, 18);
        }
        p->first_cust = cust;
        cust += p->ncust;
    }
    for (long i = 0; i < g->np; i++) {
        struct person *p = &g->p[i];
        if (i + 1 < g->np && g->p[i + 1].manager == p->manager &&
            p->manager >= 0 && g->p[i + 1].flags == 0)
            p->buddy = (int)(i + 1);
        else
            p->buddy = p->manager;
    }
}

/* ---- regions ------------------------------------------------------------- */

/* Province (allocation index) and 片区 number (-1: none) of a team. */
static void team_place(const struct gen *g, int team, int *prov, int *sub)
{
    if (g->nteams <= SAMPLE_NAMES_NPROVINCES) {
        *prov = team;
        *sub = -1;
    } else {
        *prov = team % SAMPLE_NAMES_NPROVINCES;
        *sub = team / SAMPLE_NAMES_NPROVINCES;
    }
}

static void wr_province_id(struct wr *w, int prov)
{
    const struct sample_names_province *pv = sample_names_province(prov);
    wr_text(w, sample_names_big_region(pv->big)->code);
    WL(w, "-");
    wr_text(w, pv->code);
}

static void wr_region_id(struct wr *w, const struct gen *g, int team)
{
    int prov, sub;
    team_place(g, team, &prov, &sub);
    wr_province_id(w, prov);
    if (sub >= 0) {
        WL(w, "-");
        wr_num(w, (unsigned long long)sub + 1, 2);
    }
}

static int province_used(const struct gen *g, int prov)
{
    return g->nteams > SAMPLE_NAMES_NPROVINCES || prov < g->nteams;
}

static void wr_region_open(struct gen *g)
{
    WL(&g->w, "    <region id=\"");
    g->st.count[REC_REGION]++;
}

static void write_regions(struct gen *g)
{
    struct wr *w = &g->w;
    WL(w, "  <regions>\n");
    wr_region_open(g);
    WL(w, "CN\" name=\"全国\"/>\n");
    for (int b = 0; b < SAMPLE_NAMES_NBIG; b++) {
        int used = 0;
        for (int pv = 0; pv < SAMPLE_NAMES_NPROVINCES; pv++)
            used |= sample_names_province(pv)->big == b &&
                    province_used(g, pv);
        if (!used)
            continue;
        wr_region_open(g);
        wr_text(w, sample_names_big_region(b)->code);
        WL(w, "\" name=\"");
        wr_text(w, sample_names_big_region(b)->name);
        WL(w, "\" parent=\"CN\"/>\n");
    }
    for (int pv = 0; pv < SAMPLE_NAMES_NPROVINCES; pv++) {
        if (!province_used(g, pv))
            continue;
        wr_region_open(g);
        wr_province_id(w, pv);
        WL(w, "\" name=\"");
        wr_text(w, sample_names_province(pv)->name);
        WL(w, "省区\" parent=\"");
        wr_text(w,
                sample_names_big_region(sample_names_province(pv)->big)->code);
        WL(w, "\"/>\n");
    }
    for (int t = 0; g->nteams > SAMPLE_NAMES_NPROVINCES && t < g->nteams;
         t++) {
        int prov, sub, nc;
        const struct sample_names_province *pv;
        team_place(g, t, &prov, &sub);
        pv = sample_names_province(prov);
        nc = sample_names_ncities(pv);
        wr_region_open(g);
        wr_region_id(w, g, t);
        WL(w, "\" name=\"");
        wr_text(w, pv->city[sub % nc]);
        if (sub >= nc)
            wr_num(w, (unsigned long long)(sub / nc + 1), 1);
        WL(w, "片区\" parent=\"");
        wr_province_id(w, prov);
        WL(w, "\"/>\n");
    }
    WL(w, "  </regions>\n");
}

/* ---- staff ----------------------------------------------------------------- */

static void write_staff(struct gen *g)
{
    struct wr *w = &g->w;
    char name[64];
    WL(w, "  <staff>\n");
    for (long i = 0; i < g->np; i++) {
        const struct person *p = &g->p[i];
        struct rng r;
        rng_for(&r, g->seed, SALT_PNAME, (uint64_t)i);
        sample_names_person(&r, name, sizeof name);
        WL(w, "    <person id=\"");
        wr_id(w, 'E', i + 1, 5);
        WL(w, "\" name=\"");
        wr_text(w, name);
        WL(w, "\" role=\"");
        wr_text(w, role_names[p->role]);
        WL(w, "\" region=\"");
        wr_region_id(w, g, p->team);
        WL(w, "\" hired=\"");
        wr_date(w, p->hired);
        if (p->manager >= 0) {
            WL(w, "\" manager=\"");
            wr_id(w, 'E', p->manager + 1, 5);
        }
        if (p->left != STILL) {
            WL(w, "\" left=\"");
            wr_date(w, p->left);
        }
        WL(w, "\"/>\n");
        g->st.count[REC_PERSON]++;
    }
    WL(w, "  </staff>\n");
}

/* ---- customers ----------------------------------------------------------- */

/* owner_on(c, d) of indicators.md. */
static int owner_on(const struct customer *c, int d)
{
    int o;
    if (c->nho == 0)
        return c->owner;
    if (d < c->ho[0].day)
        return c->ho[0].from;
    o = c->ho[0].to;
    for (int i = 1; i < c->nho; i++)
        if (c->ho[i].day <= d)
            o = c->ho[i].to;
    return o;
}

static void add_handover(struct customer *c, int from, int to, int day)
{
    if (c->nho < MAX_HANDOVERS && from >= 0 && to >= 0 && from != to) {
        c->ho[c->nho].from = from;
        c->ho[c->nho].to = to;
        c->ho[c->nho].day = day;
        c->nho++;
        c->owner = to;
    }
}

static int draw_grade(struct rng *r, int role)
{
    static const double pm[3] = {0.40, 0.80, 1.00};
    static const double sup[3] = {0.20, 0.50, 0.80};
    static const double rep[3] = {0.08, 0.28, 0.64};
    const double *cum = role == R_PROVINCE_MGR ? pm
                        : (role == R_COMMERCIAL_SUP || role == R_TERMINAL_SUP)
                            ? sup : rep;
    double u = rng_unit(r);
    int gr = 0;
    while (gr < 3 && u >= cum[gr])
        gr++;
    return gr;
}

static int draw_terminal(struct rng *r, int role)
{
    switch (role) {
    case R_TERMINAL_STAFF:
    case R_TERMINAL_SUP: return 1;
    case R_SALES_REP: return rng_chance(r, 0.4);
    case R_COMMERCIAL_SUP: return rng_chance(r, 0.2);
    default: return rng_chance(r, 0.5);
    }
}

/* Ownership history: older handover from the manager, leaver to heir,
 * supervisor to new hire, or a handover inside the period. */
static void draw_handovers(const struct gen *g, struct rng *r,
                           struct customer *c)
{
    const struct person *p = &g->p[c->book];
    const struct period *per = &g->per;
    int older = rng_chance(r, 0.04);
    int inside = rng_chance(r, 0.015);
    int day = per->start - rng_range(r, 60, 700);

    c->nho = 0;
    c->owner = c->book;
    if (older && p->manager >= 0 && !(p->flags & P_NEWHIRE))
        add_handover(c, p->manager, c->book, day > p->hired ? day : p->hired);
    if (p->flags & P_LEAVER)
        add_handover(c, c->book, p->heir, p->left + 1);
    else if ((p->flags & P_NEWHIRE) && p->manager >= 0)
        add_handover(c, p->manager, c->book, p->hired);
    else if (inside)
        add_handover(c, c->book, p->buddy,
                     rng_range(r, per->start + 5, per->end - 5));
}

static void draw_card(const struct gen *g, struct rng *r,
                      const struct customer *c, struct contact *k, double q)
{
    int rs = c->restructured, end = g->per.end;
    static const int partial[6] = {1, 2, 4, 3, 6, 2};

    if (k->key)
        k->card = rng_chance(r, q) ? CARD_VALID
                  : (rs != NO_DAY && k->since < rs && rng_chance(r, 0.7))
                      ? CARD_STALE : CARD_NONE;
    else
        k->card = rng_chance(r, 0.45) ? CARD_VALID : CARD_NONE;
    k->updated = NO_DAY;
    if (k->card == CARD_STALE) {
        k->created = between(r, k->since, rs - 1);
        if (rng_chance(r, 0.4))
            k->updated = between(r, k->created, rs - 1);
    } else if (k->card == CARD_VALID && rs != NO_DAY && rs > k->since) {
        if (rng_chance(r, 0.5)) {   /* old card, updated after 改制 */
            k->created = between(r, k->since, rs - 1);
            k->updated = between(r, rs, end);
        } else {
            k->created = between(r, rs, end);
        }
    } else if (k->card == CARD_VALID) {
        k->created = between(r, k->since, end);
        if (rng_chance(r, 0.35))
            k->updated = between(r, k->created, end);
    }
    if (k->key)
        k->family = rng_chance(r, 0.85) ? rng_range(r, 3, 5) : rng_range(r, 0, 2);
    else
        k->family = rng_chance(r, 0.5) ? rng_range(r, 0, 4) : -1;
    k->phones = rng_chance(r, 0.8) ? 7 : partial[rng_below(r, 6)];
    k->interests = rng_chance(r, 0.75) ? 1 : rng_chance(r, 0.5) ? 0 : -1;
}

static void draw_contacts(const struct gen *g, struct rng *r,
                          struct customer *c)
{
    const struct period *per = &g->per;
    int keycust = c->grade <= G_A;
    double q = g->p[owner_on(c, per->end)].q;
    int older_lo = c->founded > per->start - 8 * 365 ? c->founded
                                                       : per->start - 8 * 365;

    c->nkey = keycust ? 3 : (rng_chance(r, 0.7) ? 1 : 2);
    c->nk = c->nkey + (keycust ? rng_range(r, 0, 2) : rng_range(r, 0, 1));
    for (int i = 0; i < c->nk; i++) {
        struct contact *k = &c->k[i];
        k->key = i < c->nkey;
        if (rng_chance(r, 0.05))            /* a new person: in grace */
            k->since = between(r, g->grace_from, per->end - 1);
        else if (c->restructured != NO_DAY && k->key && rng_chance(r, 0.3))
            k->since = between(r, c->restructured, per->end - 1);
        else
            k->since = between(r, older_lo, per->start - 70);
        k->bm = 0;
        if (rng_chance(r, k->key ? 0.85 : 0.4)) {
            k->bm = rng_range(r, 1, 12);
            k->bd = rng_range(r, 1, date_days_in_month(2000, k->bm));
        }
        draw_card(g, r, c, k, q);
    }
}

/* Regenerate customer num (1-based) of person book. */
static void gen_customer(const struct gen *g, long num, int book,
                         struct customer *c)
{
    const struct period *per = &g->per;
    struct rng r;
    rng_for(&r, g->seed, SALT_CUSTOMER, (uint64_t)num);
    c->num = num;
    c->book = book;
    c->terminal = draw_terminal(&r, g->p[book].role);
    c->grade = draw_grade(&r, g->p[book].role);
    c->founded = per->start - rng_range(&r, 3 * 365, 30 * 365);
    c->restructured = NO_DAY;
    if (rng_chance(&r, 0.07))
        c->restructured = rng_chance(&r, 0.5)
            ? between(&r, g->grace_from, per->end - 2)
            : between(&r, per->end - 400, g->grace_from - 5);
    draw_handovers(g, &r, c);
    draw_contacts(g, &r, c);
}

/* Calls fn for every customer in document order; keeps g->ncontacts as
 * the number of the customer's first contact minus one. */
static void each_customer(struct gen *g,
                          void (*fn)(struct gen *, const struct customer *))
{
    struct customer c;
    g->ncontacts = 0;
    for (long i = 0; i < g->np && !g->w.failed; i++)
        for (int j = 0; j < g->p[i].ncust; j++) {
            gen_customer(g, g->p[i].first_cust + j + 1, (int)i, &c);
            fn(g, &c);
            g->ncontacts += c.nk;
        }
}

static void wr_person_id(struct wr *w, int i)
{
    wr_id(w, 'E', (long long)i + 1, 5);
}

/* The id of the current customer's i-th contact (see each_customer). */
static void wr_contact_id(struct gen *g, int i)
{
    wr_id(&g->w, 'K', g->ncontacts + i + 1, 7);
}

static void wr_customer_id(struct wr *w, const struct customer *c)
{
    wr_id(w, 'C', c->num, 6);
}

static void write_contact(struct gen *g, const struct customer *c, int i,
                          struct rng *nr)
{
    struct wr *w = &g->w;
    const struct contact *k = &c->k[i];
    char name[64];
    sample_names_person(nr, name, sizeof name);
    WL(w, "      <contact id=\"");
    wr_contact_id(g, i);
    WL(w, "\" name=\"");
    wr_text(w, name);
    WL(w, "\" position=\"");
    wr_text(w, sample_names_position(nr, c->terminal, k->key));
    if (k->key)
        WL(w, "\" key=\"true");
    else if (rng_chance(nr, 0.5))
        WL(w, "\" key=\"false");
    WL(w, "\" since=\"");
    wr_date(w, k->since);
    if (k->bm) {
        WL(w, "\" birthday=\"");
        wr_num(w, (unsigned long long)k->bm, 2);
        WL(w, "-");
        wr_num(w, (unsigned long long)k->bd, 2);
    }
    WL(w, "\"/>\n");
    g->st.count[REC_CONTACT]++;
}

static void write_customer(struct gen *g, const struct customer *c)
{
    struct wr *w = &g->w;
    const struct sample_names_province *pv;
    struct rng nr;
    char name[160];
    int prov, sub;

    team_place(g, g->p[c->book].team, &prov, &sub);
    pv = sample_names_province(prov);
    rng_for(&nr, g->seed, SALT_CNAME, (uint64_t)c->num);
    {
        const char *big = sample_names_big_region(pv->big)->name;
        char big_short[16];
        size_t bl = strlen(big) - strlen("大区");
        memcpy(big_short, big, bl);
        big_short[bl] = '\0';
        uint32_t ncity = (uint32_t)sample_names_ncities(pv);
        sample_names_customer(&nr, c->terminal,
                              pv->city[rng_below(&nr, ncity)], pv->name,
                              big_short, name, sizeof name);
    }
    WL(w, "    <customer id=\"");
    wr_customer_id(w, c);
    WL(w, "\" name=\"");
    wr_text(w, name);
    WL(w, "\" type=\"");
    if (c->terminal)
        WL(w, "terminal");
    else
        WL(w, "channel");
    WL(w, "\" grade=\"");
    wr_text(w, grade_names[c->grade]);
    WL(w, "\" region=\"");
    wr_region_id(w, g, g->p[c->book].team);
    WL(w, "\" owner=\"");
    wr_person_id(w, c->owner);
    wr_next_date(w, "founded", c->founded);
    wr_next_date(w, "restructured", c->restructured);
    WL(w, "\">\n");
    for (int i = 0; i < c->nk; i++)
        write_contact(g, c, i, &nr);
    for (int i = 0; i < c->nho; i++) {
        WL(w, "      <handover from=\"");
        wr_person_id(w, c->ho[i].from);
        WL(w, "\" to=\"");
        wr_person_id(w, c->ho[i].to);
        WL(w, "\" date=\"");
        wr_date(w, c->ho[i].day);
        WL(w, "\"/>\n");
        g->st.count[REC_HANDOVER]++;
    }
    WL(w, "    </customer>\n");
    g->st.count[REC_CUSTOMER]++;
}

/* ---- cards ------------------------------------------------------------- */

static void write_cards_of(struct gen *g, const struct customer *c)
{
    static const char *const phone_words[3] = {"office", "mobile", "home"};
    struct wr *w = &g->w;
    for (int i = 0; i < c->nk; i++) {
        const struct contact *k = &c->k[i];
        int first = 1;
        if (k->card == CARD_NONE)
            continue;
        WL(w, "    <card contact=\"");
        wr_contact_id(g, i);
        wr_next_date(w, "created", k->created);
        wr_next_date(w, "updated", k->updated);
        WL(w, "\" phones=\"");
        for (int b = 0; b < 3; b++)
            if (k->phones & (1 << b)) {
                if (!first)
                    WL(w, " ");
                wr_text(w, phone_words[b]);
                first = 0;
            }
        if (k->family >= 0) {
            WL(w, "\" family=\"");
            wr_num(w, (unsigned long long)k->family, 1);
        }
        if (k->interests >= 0) {
            WL(w, "\" interests=\"");
            wr_bool(w, k->interests);
        }
        WL(w, "\"/>\n");
        g->st.count[REC_CARD]++;
    }
}

/* ---- activities ---------------------------------------------------------- */

/* Open an activity element: '    <visit id="V0000001" staff="E.." customer="C.."'. */
static void act_open(struct gen *g, enum rec_kind kind, const char *elem,
                     char prefix, int staff, const struct customer *c)
{
    struct wr *w = &g->w;
    WL(w, "    <");
    wr_text(w, elem);
    WL(w, " id=\"");
    wr_id(w, prefix, ++g->next[kind], 7);
    WL(w, "\" staff=\"");
    wr_person_id(w, staff);
    WL(w, "\" customer=\"");
    wr_customer_id(w, c);
    WL(w, "\"");
    g->st.count[kind]++;
}

static void attr_date(struct wr *w, const char *name, int day)
{
    WL(w, " ");
    wr_text(w, name);
    WL(w, "=\"");
    wr_date(w, day);
    WL(w, "\"");
}

static void attr_bool(struct wr *w, const char *name, int v)
{
    WL(w, " ");
    wr_text(w, name);
    WL(w, "=\"");
    wr_bool(w, v);
    WL(w, "\"");
}

static void visit(struct gen *g, struct rng *r, const struct customer *c,
                  int o, int mon, int purpose)
{
    struct wr *w = &g->w;
    int day = day_at_work(r, &g->p[o], mon, mon + 6);
    if (day == NO_DAY)
        return;
    act_open(g, REC_VISIT, "visit", 'V', o, c);
    attr_date(w, "date", day);
    if (rng_chance(r, 0.85)) {
        WL(w, " contact=\"");
        wr_contact_id(g, (int)rng_below(r, (uint32_t)c->nk));
        WL(w, "\"");
    }
    if (purpose) {
        WL(w, " purpose=\"");
        wr_text(w, sample_names_purpose(r));
        WL(w, "\"");
    }
    WL(w, "/>\n");
}

static void service(struct gen *g, struct rng *r, const struct customer *c,
                    int o, int mon)
{
    struct wr *w = &g->w;
    int day = day_at_work(r, &g->p[o], mon, mon + 6);
    int kind = (int)rng_below(r, 7);
    if (day == NO_DAY)
        return;
    act_open(g, REC_SERVICE, "service", 'S', o, c);
    attr_date(w, "date", day);
    WL(w, " kind=\"");
    wr_text(w, service_kinds[kind]);
    WL(w, "\">");
    wr_text(w, sample_names_service_note(r, kind));
    WL(w, "</service>\n");
}

/* Visits and services, week by week, by the owner on each Thursday. */
static void write_weeks(struct gen *g, struct rng *r, const struct customer *c)
{
    static const double visit_p[4] = {0, 0, 0.45, 0.25};
    static const double purpose_p[4] = {1, 0.75, 0.6, 0.5};
    static const double service_p[4] = {0, 0.3, 0.12, 0.06};
    for (int wk = 0; wk < g->per.nweeks; wk++) {
        int mon = g->per.week[wk];
        int o = owner_on(c, mon + 3);
        double q = g->p[o].q;
        if (c->grade <= G_A) {
            if (rng_chance(r, q)) {
                visit(g, r, c, o, mon, rng_chance(r, purpose_p[c->grade]));
                if (rng_chance(r, 0.2))
                    visit(g, r, c, o, mon, rng_chance(r, 0.7));
            } else if (c->grade == G_VIP && rng_chance(r, 0.5)) {
                visit(g, r, c, o, mon, 0);  /* a visit without purpose */
            }
        } else if (rng_chance(r, visit_p[c->grade])) {
            visit(g, r, c, o, mon, rng_chance(r, purpose_p[c->grade]));
        }
        if (rng_chance(r, c->grade == G_VIP ? q : service_p[c->grade]))
            service(g, r, c, o, mon);
    }
}

/* Display audits at terminals, attributed by audit date. */
static void write_displays(struct gen *g, struct rng *r,
                           const struct customer *c)
{
    struct wr *w = &g->w;
    int n;
    if (!c->terminal)
        return;
    n = 1 + rng_chance(r, 0.5) + (c->grade <= G_A && rng_chance(r, 0.5));
    for (int i = 0; i < n; i++) {
        int day = rng_range(r, g->per.start, g->per.end);
        int o = owner_on(c, day);
        int staff = (rng_chance(r, 0.1) && g->p[o].manager >= 0)
                        ? g->p[o].manager : o;
        int pos, pop;
        if (rng_chance(r, 0.8 * g->p[o].q)) {
            pos = 0;
            pop = 1;
        } else {
            pos = (int)rng_below(r, 4);
            pop = pos == 0 ? (rng_chance(r, 0.5) ? 0 : -1)
                           : (int)rng_below(r, 3) - 1;
        }
        act_open(g, REC_DISPLAY, "display", 'D', staff, c);
        attr_date(w, "date", day);
        WL(w, " position=\"");
        wr_text(w, positions[pos]);
        WL(w, "\"");
        if (pop >= 0)
            attr_bool(w, "pop", pop);
        WL(w, "/>\n");
    }
}

static void report(struct gen *g, const struct customer *c, int o, int kind,
                   int received, int forwarded)
{
    struct wr *w = &g->w;
    act_open(g, REC_REPORT, "report", 'R', o, c);
    WL(w, " kind=\"");
    wr_text(w, report_kinds[kind]);
    WL(w, "\" month=\"");
    wr_text(w, g->month);
    WL(w, "\"");
    attr_date(w, "received", received);
    if (forwarded != NO_DAY)
        attr_date(w, "forwarded", forwarded);
    WL(w, "/>\n");
}

/* Reports by the owner at period_end: C1..C4 for key customers. */
static void write_reports(struct gen *g, struct rng *r,
                          const struct customer *c)
{
    int o = owner_on(c, g->per.end);
    const struct person *p = &g->p[o];
    double q = p->q, sq = sqrt(q);
    if (c->grade > G_A) {
        int day = day_at_work(r, p, g->per.start, g->per.end);
        if (rng_chance(r, 0.2) && day != NO_DAY)
            report(g, c, o, (int)rng_below(r, 4), day, NO_DAY);
        return;
    }
    for (int kind = 0; kind < 4; kind++) {
        int fwd_required = kind == 0 || kind == 2;
        int day = day_at_work(r, p, g->per.start, g->per.end);
        int fwd = NO_DAY;
        if (day != NO_DAY && rng_chance(r, fwd_required ? sq : q)) {
            if (fwd_required)
                fwd = rng_chance(r, sq) ? day + rng_range(r, 0, 3)
                      : rng_chance(r, 0.6) ? day + rng_range(r, 4, 9) : NO_DAY;
            else if (rng_chance(r, 0.6))
                fwd = day + rng_range(r, 0, 5);
            report(g, c, o, kind, day, fwd);
        } else if (rng_chance(r, 0.3)) {     /* received after the period */
            day = g->per.end + rng_range(r, 1, 3);
            report(g, c, o, kind, day, rng_chance(r, 0.5) ? day + 1 : NO_DAY);
        }
    }
}

static void greeting(struct gen *g, struct rng *r, const struct customer *c,
                     int o, int occ, int contact, int day, int identified)
{
    struct wr *w = &g->w;
    const struct person *p = &g->p[o];
    if (day < p->hired || day > p->left)
        return;
    act_open(g, REC_GREETING, "greeting", 'G', o, c);
    WL(w, " occasion=\"");
    wr_text(w, occ_names[occ]);
    WL(w, "\"");
    attr_date(w, "date", day);
    if (contact >= 0) {
        WL(w, " contact=\"");
        wr_contact_id(g, contact);
        WL(w, "\"");
    }
    WL(w, " channel=\"");
    wr_text(w, channels[rng_below(r, 5)]);
    WL(w, "\"");
    if (identified >= 0)
        attr_bool(w, "identified", identified);
    WL(w, "/>\n");
}

/* One occasion on day D for a contact (or the customer: contact -1).
 * due: it counts for C6 (key contact of a key customer). */
static void occasion(struct gen *g, struct rng *r, const struct customer *c,
                     int occ, int contact, int d, int due)
{
    const struct period *per = &g->per;
    int o = owner_on(c, d);
    double q = g->p[o].q;
    if (d < per->start || d > per->end + 3)
        return;
    if (d > per->end) {            /* due next period: greet early, maybe */
        if (rng_chance(r, q) && d - 3 <= per->end)
            greeting(g, r, c, o, occ, contact, between(r, d - 3, per->end), 1);
    } else if (!due) {
        if (rng_chance(r, 0.25))
            greeting(g, r, c, o, occ, contact, d - rng_range(r, 0, 2), 1);
    } else if (rng_chance(r, q)) {
        greeting(g, r, c, o, occ, contact, d - rng_range(r, 0, 3), 1);
    } else {
        uint32_t how = rng_below(r, 20);
        if (how < 4)               /* the customer did not know who */
            greeting(g, r, c, o, occ, contact, d - rng_range(r, 0, 3),
                     rng_chance(r, 0.5) ? 0 : -1);
        else if (how < 7)          /* too early */
            greeting(g, r, c, o, occ, contact, d - rng_range(r, 4, 6), 1);
        else if (how < 10)         /* too late */
            greeting(g, r, c, o, occ, contact, d + rng_range(r, 1, 3), 1);
        /* else: forgotten */
    }
}

/* The occasion's day in the period's year, or the next year's when that
 * one falls within three days after the period (December). */
static int occasion_day(const struct gen *g, int m, int d)
{
    int day = date_month_day_in_year(g->per.year, m, d);
    if (day < g->per.start && g->per.month == 12)
        day = date_month_day_in_year(g->per.year + 1, m, d);
    return day;
}

static void write_greetings(struct gen *g, struct rng *r,
                            const struct customer *c)
{
    int keycust = c->grade <= G_A;
    if (c->grade == G_C)
        return;
    for (int i = 0; i < c->nk; i++) {
        const struct contact *k = &c->k[i];
        int due = keycust && k->key;
        if (!due && !(keycust || rng_chance(r, 0.3)))
            continue;
        for (int f = 0; f < g->nfest; f++)
            occasion(g, r, c, g->fest[f].occ, i, g->fest[f].day, due);
        if (k->bm)
            occasion(g, r, c, O_BIRTHDAY, i, occasion_day(g, k->bm, k->bd),
                     due);
    }
    if (keycust) {
        int y, m, d;
        date_to_ymd(c->founded, &y, &m, &d);
        occasion(g, r, c, O_ANNIVERSARY, -1, occasion_day(g, m, d), 1);
    }
}

/* Spot checks: six yes/no items, some not checked (absent). */
static void write_checks(struct gen *g, struct rng *r,
                         const struct customer *c)
{
    struct wr *w = &g->w;
    int day, o, pair;
    double q;
    if (!rng_chance(r, c->grade <= G_A ? 0.35 : 0.2))
        return;
    day = rng_range(r, g->per.start, g->per.end);
    o = owner_on(c, day);
    q = g->p[o].q;
    act_open(g, REC_CHECK, "check", 'Q', o, c);
    attr_date(w, "date", day);
    if (g->p[o].manager >= 0) {
        WL(w, " checker=\"");
        wr_person_id(w, g->p[o].manager);
        WL(w, "\"");
    }
    WL(w, " contact=\"");
    wr_contact_id(g, (int)rng_below(r, (uint32_t)c->nkey));
    WL(w, "\"");
    pair = rng_chance(r, 0.9 * q) ? 3 : (int)rng_below(r, 3);
    if (rng_chance(r, 0.9))
        attr_bool(w, "rep_knows_name", pair & 1);
    if (rng_chance(r, 0.9))
        attr_bool(w, "knows_rep_name", (pair >> 1) & 1);
    if (rng_chance(r, 0.9))
        attr_bool(w, "rep_recites_card", rng_chance(r, 0.9 * q));
    if (rng_chance(r, 0.9))
        attr_bool(w, "knows_company", rng_chance(r, 0.9 * q));
    if (rng_chance(r, 0.9))
        attr_bool(w, "first_recommend", rng_chance(r, 0.8 * q));
    if (rng_chance(r, 0.9))
        attr_bool(w, "explains_selling_points", rng_chance(r, 0.8 * q));
    WL(w, "/>\n");
}

static void write_activities_of(struct gen *g, const struct customer *c)
{
    struct rng r;
    rng_for(&r, g->seed, SALT_ACTIVITY, (uint64_t)c->num);
    write_weeks(g, &r, c);
    write_displays(g, &r, c);
    write_reports(g, &r, c);
    write_greetings(g, &r, c);
    write_checks(g, &r, c);
}

/* ---- document ---------------------------------------------------------- */

static void write_document(struct gen *g)
{
    struct wr *w = &g->w;
    struct period next;
    char stamp[11];
    period_init(&next, g->per.month == 12 ? g->per.year + 1 : g->per.year,
                g->per.month % 12 + 1);
    date_format(next.start + 2, stamp);
    WL(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<export xmlns=\"urn:keqing:erp:1\" company=\"示例医药有限公司\" period=\"");
    wr_text(w, g->month);
    WL(w, "\" exported=\"");
    wr_text(w, stamp);
    WL(w, "T09:00:00+08:00\">\n");
    write_regions(g);
    write_staff(g);
    WL(w, "  <customers>\n");
    each_customer(g, write_customer);
    WL(w, "  </customers>\n  <cards>\n");
    each_customer(g, write_cards_of);
    WL(w, "  </cards>\n  <activities>\n");
    each_customer(g, write_activities_of);
    WL(w, "  </activities>\n</export>\n");
    wr_flush(w);
}

static int check_opts(const struct sample_opts *o, struct err *e)
{
    if (o->staff < SAMPLE_STAFF_MIN || o->staff > SAMPLE_STAFF_MAX)
        return err_set(e, ERR_USAGE, "sample: --staff %ld is outside %d..%d",
                       o->staff, SAMPLE_STAFF_MIN, SAMPLE_STAFF_MAX);
    if (o->year < SAMPLE_MIN_YEAR || o->year > SAMPLE_MAX_YEAR ||
        o->month < 1 || o->month > 12)
        return err_set(e, ERR_USAGE,
                       "sample: period %04d-%02d is outside %d-01..%d-12",
                       o->year, o->month, SAMPLE_MIN_YEAR, SAMPLE_MAX_YEAR);
    return ERR_OK;
}

static void init_gen(struct gen *g, const struct sample_opts *o)
{
    memset(g, 0, sizeof *g);
    g->seed = o->seed;
    g->np = o->staff;
    period_init(&g->per, o->year, o->month);
    period_format(&g->per, g->month);
    g->grace_from = g->per.end;
    while (date_add_months(g->grace_from - 1, 2) > g->per.end)
        g->grace_from--;
    build_festivals(g);
}

void sample_opts_default(struct sample_opts *o)
{
    o->staff = SAMPLE_DEFAULT_STAFF;
    o->year = SAMPLE_DEFAULT_YEAR;
    o->month = SAMPLE_DEFAULT_MONTH;
    o->seed = SAMPLE_DEFAULT_SEED;
}

int sample_write(FILE *fp, const struct sample_opts *o,
                 struct sample_stats *st, struct err *e)
{
    struct gen *g;
    int rc = check_opts(o, e);
    if (rc)
        return rc;
    g = mem_malloc(sizeof *g);
    if (!g)
        return err_set(e, ERR_NOMEM, "sample: out of memory");
    init_gen(g, o);
    g->p = mem_calloc((size_t)g->np, sizeof *g->p);
    g->w.buf = mem_malloc(WR_CAP);
    g->w.fp = fp;
    if (!g->p || !g->w.buf) {
        rc = err_set(e, ERR_NOMEM, "sample: out of memory for %ld staff",
                     g->np);
    } else {
        build_teams(g);
        build_people(g);
        write_document(g);
        if (g->w.failed || fflush(fp) != 0 || ferror(fp))
            rc = err_set(e, ERR_IO, "sample: write failed after %lld bytes",
                         g->w.total);
        g->st.bytes = g->w.total;
        if (st)
            *st = g->st;
    }
    mem_free(g->w.buf);
    mem_free(g->p);
    mem_free(g);
    return rc;
}

int sample_write_file(const char *path, const struct sample_opts *o,
                      struct sample_stats *st, struct err *e)
{
    struct fsx_out out = {0};
    int rc = check_opts(o, e);
    if (rc)
        return rc;
    rc = fsx_open(&out, path, e);
    if (rc)
        return rc;
    rc = sample_write(out.fp, o, st, e);
    if (rc) {
        fsx_abort(&out);
        err_prefix(e, "%s: ", path);
        return rc;
    }
    return fsx_commit(&out, e);
}

long long sample_total(const struct sample_stats *st)
{
    long long n = 0;
    for (int k = 0; k < REC_NKINDS; k++)
        n += st->count[k];
    return n;
}
