/* batch_doc -- the documents of a batch (see render.h, render_int.h): the
 * data hash of each kind, the attached CSV, the template versions, and
 * planning and drawing person sheets, region summaries and packets.
 *
 * A data hash covers exactly what a document shows from the stored
 * results, in a fixed binary form (lengths before strings, doubles by
 * their bits), so it changes exactly when the document's content would;
 * a packet's covers its summary's and every member sheet's.
 */
#include "render_int.h"
#include "buf.h"
#include "csvout.h"
#include "archive_docref.h"
#include "archive_returns.h"
#include "err.h"
#include "font.h"
#include "fsx.h"
#include "mem.h"
#include "render_packet.h"
#include "pdf.h"
#include "progress.h"
#include "sha256.h"
#include "sort.h"
#include "sheet_data.h"
#include "sheet_person.h"
#include "sheet_region.h"
#include "store.h"
#include "store_region.h"
#include "store_sheet.h"
#include "store_signed.h"
#include "text.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef KQ_VERSION
#define KQ_VERSION "0"
#endif

/* A person's attached CSV: at most this many bytes. */
#define CSV_MAX ((size_t)64 << 10)
/* Files in one templates sub-folder. */
#define TMPL_FILES_MAX 1024

/* ---- hashing what a sheet shows ------------------------------------------- */

static void h_bytes(struct sha256 *c, const void *p, size_t n)
{
    uint64_t len = n;
    sha256_update(c, &len, sizeof len);     /* length first: unambiguous */
    sha256_update(c, p, n);
}

static void h_str(struct sha256 *c, const char *s)
{
    h_bytes(c, s ? s : "", s ? strlen(s) : 0);
}

static void h_int(struct sha256 *c, long long v)
{
    int64_t x = v;
    sha256_update(c, &x, sizeof x);
}

/* A double by its bits (-0.0 and 0.0 differ, as they may print). */
static void h_dbl(struct sha256 *c, double v)
{
    uint64_t x;
    memcpy(&x, &v, sizeof x);
    sha256_update(c, &x, sizeof x);
}

/* Finish c into its 64 hex digits. */
static void h_end(struct sha256 *c, char hex[65])
{
    unsigned char digest[32];
    sha256_final(c, digest);
    sha256_hex(digest, hex);
}

static void h_strs(struct sha256 *c, const char *const *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h_str(c, s[i]);
}

static void h_ints(struct sha256 *c, const long long *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h_int(c, v[i]);
}

static void h_dbls(struct sha256 *c, const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h_dbl(c, v[i]);
}

static void h_ind(struct sha256 *c, const struct sheet_ind *in)
{
    h_int(c, in->ind);
    h_dbl(c, in->num);
    h_dbl(c, in->den);
    h_dbl(c, in->rate);
    h_dbl(c, in->target);
    h_dbl(c, in->floor);
    h_dbl(c, in->weight);
    h_dbl(c, in->score);
    h_int(c, in->applicable);
    h_int(c, in->has_prev);
    h_dbl(c, in->prev_rate);
}

void render_person_hash(const struct sheet_data *d, char hex[65])
{
    const char *const strs[] = {d->period, d->person_id, d->name, d->role,
                                d->role_label, d->region_id, d->region_name,
                                d->manager_id, d->manager_name, d->grade,
                                d->company};
    const long long ints[] = {d->period_start, d->period_end, d->left,
                              d->hired, d->left_on, d->has_own, d->has_team,
                              d->has_total, d->rank, d->team_members,
                              d->nind, d->has_prev_total, d->ntrend};
    const double dbls[] = {d->own, d->team, d->total, d->team_weight,
                           d->prev_total};
    struct sha256 c;

    sha256_init(&c);
    h_str(&c, "keqing person sheet data 2");
    h_strs(&c, strs, sizeof strs / sizeof *strs);
    h_ints(&c, ints, sizeof ints / sizeof *ints);
    h_dbls(&c, dbls, sizeof dbls / sizeof *dbls);
    for (int i = 0; i < d->nind && i < ROLES_NIND; i++)
        h_ind(&c, &d->ind[i]);
    for (int i = 0; i < d->ntrend && i < SHEET_TREND_MAX; i++) {
        h_str(&c, d->trend[i].period);
        h_int(&c, d->trend[i].has_total);
        h_dbl(&c, d->trend[i].total);
    }
    h_end(&c, hex);
}

/* ---- the attached CSV ----------------------------------------------------- */

/* A CSV text field as csvout_field writes it: quoted when it holds a
 * comma, quote or line break, and formula-like text with an apostrophe
 * first. */
static int csv_field(struct buf *b, const char *s)
{
    int rc = ERR_OK, formula = csvout_formula_like(s);

    if (!formula && !strpbrk(s, ",\"\r\n"))
        return buf_puts(b, s);
    rc = buf_append(b, formula ? "\"'" : "\"", formula ? 2 : 1);
    for (; *s && !rc; s++)
        rc = *s == '"' ? buf_append(b, "\"\"", 2) : buf_append(b, s, 1);
    return rc ? rc : buf_append(b, "\"", 1);
}

int render_person_csv(const struct sheet_data *d, struct buf *out)
{
    struct csvout_ind f;
    int rc = buf_puts(out, CSVOUT_SCORES_HEADER "\n");

    for (int i = 0; i < d->nind && !rc; i++) {
        const struct sheet_ind *in = &d->ind[i];
        csvout_ind_format(&f, in->applicable, in->num, in->den, in->rate,
                          in->score, in->target, in->weight);
        if (!(rc = buf_printf(out, "%s,", d->period)) &&
            !(rc = csv_field(out, d->person_id)))
            rc = buf_printf(out, ",%s,%s,%s,%s,%s,%s,%s\n",
                            roles_ind_id[in->ind], f.num, f.den, f.rate,
                            f.target, f.weight, f.score);
    }
    return rc;
}

/* ---- the template version ------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add every regular file of dir (sorted by name) to c: name, then the
 * file's sha256.  A missing dir adds nothing. */
static int hash_folder(struct sha256 *c, const char *dir, struct err *e)
{
    char *names[TMPL_FILES_MAX], path[PATH_MAX + 260], hex[65];
    size_t n = 0;
    struct dirent *de;
    DIR *dp = opendir(dir);
    int rc = ERR_OK;

    if (!dp)
        return errno == ENOENT ? ERR_OK
                               : err_set(e, ERR_NOINPUT, "%s: cannot read: %s",
                                         dir, strerror(errno));
    while ((de = readdir(dp)) && n < TMPL_FILES_MAX && !rc) {
        struct stat sb;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >=
                sizeof path ||
            de->d_name[0] == '.' || stat(path, &sb) || !S_ISREG(sb.st_mode))
            continue;
        if (!(names[n] = mem_strdup(de->d_name)))
            rc = err_set(e, ERR_NOMEM, "out of memory");
        else
            n++;
    }
    closedir(dp);
    qsort(names, n, sizeof names[0], cmp_str);
    for (size_t i = 0; i < n && !rc; i++) {
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, names[i]) >=
            sizeof path)
            rc = err_set(e, ERR_NOINPUT, "%s: path too long", dir);
        else if (!(rc = fsx_sha256_file(path, hex, NULL, e))) {
            h_str(c, names[i]);
            h_str(c, hex);
        }
    }
    for (size_t i = 0; i < n; i++)
        mem_free(names[i]);
    return rc;
}

int render_template_version(const char *templates, const char *const *sheets,
                            char hex[65], struct err *e)
{
    char path[PATH_MAX + 300], fhex[65];
    struct sha256 c;
    int rc;

    sha256_init(&c);
    h_str(&c, "keqing " KQ_VERSION);
    /* the layout's own version: 2 since every page carries its page code
     * (issue 14) - a new layout re-issues every document */
    h_str(&c, "layout 2");
    snprintf(path, sizeof path, "%s/roles", templates);
    rc = hash_folder(&c, path, e);
    for (size_t i = 0; sheets && sheets[i] && !rc; i++) {
        snprintf(path, sizeof path, "%s/sheet/%s", templates, sheets[i]);
        if (!(rc = fsx_sha256_file(path, fhex, NULL, e))) {
            h_str(&c, sheets[i]);
            h_str(&c, fhex);
        }
    }
    h_end(&c, hex);
    return rc;
}

/* ---- the faces a document draws with ----------------------------------------
 * A font change re-issues exactly the documents whose glyphs it changes:
 * a document's template version covers, besides the templates, the faces
 * of the chain that draw its characters (a mask over the chain), in chain
 * order - each by its file's sha256 and face index.  Adding a fallback
 * face that draws none of a document's characters leaves it as it is. */

/* Add to *mask the faces that draw s (font_draw_pos). */
static void mask_of(const struct font *f, const char *s, uint32_t *mask)
{
    size_t i = 0, n, len = s ? strlen(s) : 0;
    uint32_t cp;

    while (i < len) {
        int k;
        n = text_utf8_decode(s + i, len - i, &cp);
        if (n == 0)
            break;
        if ((k = font_draw_pos(f, cp)) >= 0)
            *mask |= 1u << k;
        i += n;
    }
}

/* The mask of what every document of a kind prints whatever its data:
 * the templates' texts and the figures' characters. */
static uint32_t fixed_mask(const struct render_job *j)
{
    static const char figures[] = "0123456789.,-+%/()（）：:…—→↑↓★ ";
    uint32_t m = 0;

    mask_of(j->font, figures, &m);
    for (int k = 0; k < TMPL_NKEY; k++)
        mask_of(j->font, j->tmpl.text[k], &m);
    for (int i = 0; i < ROLES_NIND; i++) {
        mask_of(j->font, j->tmpl.unit[i], &m);
        mask_of(j->font, roles_ind_label[i], &m);
    }
    for (int g = 0; g < TMPL_NGROUP; g++)
        mask_of(j->font, j->tmpl.group[g], &m);
    mask_of(j->font, j->tmpl.company, &m);
    mask_of(j->font, j->tmpl.appeal_to, &m);
    for (size_t r = 0; r < j->roles.n; r++) {
        mask_of(j->font, j->roles.r[r].label, &m);
        for (int b = 0; b < j->roles.r[r].nband; b++)
            mask_of(j->font, j->roles.r[r].band[b].label, &m);
    }
    if (j->has_rtmpl) {
        for (int k = 0; k < TMPL_R_NKEY; k++)
            mask_of(j->font, j->rtmpl.text[k], &m);
        mask_of(j->font, j->rtmpl.company, &m);
    }
    return m;
}

/* The template version of a document of kind with face mask: its kind's
 * (templates) and the faces, into hex; face hashes computed once per run. */
static int doc_version(struct render_job *j, enum store_doc_kind kind,
                       uint32_t mask, char hex[65], struct err *e)
{
    struct sha256 c;
    int rc;

    mask |= j->fixed_mask;
    sha256_init(&c);
    h_str(&c, "keqing document version 1");
    h_str(&c, j->tver[kind]);
    for (int k = 0; k < font_chain_count(j->font); k++) {
        const struct font *face = font_chain_face(j->font, k);
        if (!(mask & (1u << k)))
            continue;
        if (!j->face_hash[k][0] &&
            (rc = fsx_sha256_file(font_file(face), j->face_hash[k], NULL, e)))
            return rc;
        h_str(&c, j->face_hash[k]);
        h_int(&c, font_face_index(face));
    }
    h_end(&c, hex);
    return ERR_OK;
}

/* The faces of what a person's sheet shows. */
static uint32_t person_mask(const struct render_job *j,
                            const struct sheet_data *d)
{
    const char *const strs[] = {d->person_id, d->name, d->role_label,
                                d->region_name, d->manager_name, d->grade,
                                d->company, d->period};
    uint32_t m = 0;

    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        mask_of(j->font, strs[i], &m);
    return m;
}

/* The faces of what a region's summary shows. */
static uint32_t region_mask(const struct render_job *j,
                            const struct region_data *d)
{
    const char *const strs[] = {d->region_id, d->name, d->parent_name,
                                d->manager_name, d->manager_role, d->company,
                                d->period};
    uint32_t m = 0;

    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        mask_of(j->font, strs[i], &m);
    for (int i = 0; i < d->nrole && i < REGION_MAX_COUNTS; i++)
        mask_of(j->font, d->role[i].label, &m);
    for (int i = 0; i < d->ngrade && i < REGION_MAX_COUNTS; i++)
        mask_of(j->font, d->grade[i].label, &m);
    for (size_t i = 0; i < d->nmember; i++) {
        const struct region_member *x = &d->member[i];
        mask_of(j->font, x->name, &m);
        mask_of(j->font, x->person_id, &m);
        mask_of(j->font, x->role_label, &m);
        mask_of(j->font, x->region_name, &m);
        mask_of(j->font, x->grade, &m);
    }
    for (size_t i = 0; i < d->nrisk; i++) {
        const struct region_risk *r = &d->risk[i];
        mask_of(j->font, r->customer_id, &m);
        mask_of(j->font, r->customer_name, &m);
        mask_of(j->font, r->owner_name, &m);
        mask_of(j->font, r->from_name, &m);
        mask_of(j->font, r->since, &m);
    }
    return m;
}

/* ---- region data -------------------------------------------------------------- */

static void h_count(struct sha256 *c, const struct region_count *k)
{
    h_str(c, k->key);
    h_str(c, k->label);
    h_int(c, k->people);
}

static void h_member(struct sha256 *c, const struct region_member *m)
{
    const char *const strs[] = {m->person_id, m->name, m->role,
                                m->role_label, m->region_id, m->region_name,
                                m->grade};
    const long long ints[] = {m->left, m->has_own, m->has_team, m->has_total};
    const double dbls[] = {m->own, m->team, m->total};
    h_strs(c, strs, sizeof strs / sizeof *strs);
    h_ints(c, ints, sizeof ints / sizeof *ints);
    h_dbls(c, dbls, sizeof dbls / sizeof *dbls);
    h_int(c, m->rank);
}

static void h_risk(struct sha256 *c, const struct region_risk *r)
{
    const char *const strs[] = {r->customer_id, r->customer_name, r->grade,
                                r->owner_id, r->owner_name, r->from_name,
                                r->since};
    h_int(c, r->kind);
    h_strs(c, strs, sizeof strs / sizeof *strs);
    h_int(c, r->count);
    h_int(c, r->keys);
}

void render_region_hash(const struct region_data *d, char hex[65])
{
    const char *const strs[] = {d->period, d->region_id, d->name,
                                d->parent_name, d->manager_id,
                                d->manager_name, d->manager_role, d->company};
    const long long ints[] = {d->period_end, d->depth, d->leaf, d->people,
                              d->scored, d->has_mean, d->has_median,
                              d->has_mom, d->nrole, d->ngrade, d->ntrend,
                              (long long)d->nmember, (long long)d->nrisk,
                              d->risk_total[0], d->risk_total[1]};
    const double dbls[] = {d->mean, d->median, d->mom};
    struct sha256 c;

    sha256_init(&c);
    h_str(&c, "keqing region sheet data 2");
    h_strs(&c, strs, sizeof strs / sizeof *strs);
    h_ints(&c, ints, sizeof ints / sizeof *ints);
    h_dbls(&c, dbls, sizeof dbls / sizeof *dbls);
    for (int i = 0; i < d->nrole && i < REGION_MAX_COUNTS; i++)
        h_count(&c, &d->role[i]);
    for (int i = 0; i < d->ngrade && i < REGION_MAX_COUNTS; i++)
        h_count(&c, &d->grade[i]);
    for (int i = 0; i < ROLES_NIND; i++) {
        const struct region_ind *in = &d->ind[i];
        h_dbl(&c, in->num);
        h_dbl(&c, in->den);
        h_dbl(&c, in->rate);
        h_int(&c, in->has_target);
        h_dbl(&c, in->target);
        h_int(&c, in->has_prev);
        h_dbl(&c, in->prev_rate);
    }
    for (int i = 0; i < d->ntrend && i < REGION_TREND_MAX; i++) {
        h_str(&c, d->trend[i].period);
        h_int(&c, d->trend[i].has_mean);
        h_dbl(&c, d->trend[i].mean);
    }
    for (size_t i = 0; i < d->nmember; i++)
        h_member(&c, &d->member[i]);
    for (size_t i = 0; i < d->nrisk; i++)
        h_risk(&c, &d->risk[i]);
    if (d->unreturned) {        /* only then: older hashes stay as they were */
        h_str(&c, "unreturned");
        h_str(&c, d->unreturned_period);
        h_int(&c, d->unreturned);
        h_str(&c, d->unreturned_names);
    }
    h_end(&c, hex);
}

/* ---- preparing ------------------------------------------------------------------ */

/* The sheet templates (TEMPLATES/sheet/...) each kind is drawn from. */
static const char *const sheets_person[] = {"person.xml", NULL};
static const char *const sheets_region[] = {"region.xml", NULL};
static const char *const sheets_packet[] = {"person.xml", "region.xml", NULL};
static const char *const *const kind_sheets[3] = {sheets_person,
                                                  sheets_region,
                                                  sheets_packet};

/* 1 when the run needs the region template (regions or packets). */
static int needs_regions(const struct render_job *j)
{
    return (j->o->kinds & (RENDER_REGIONS | RENDER_PACKETS)) != 0;
}

int render_doc_prepare(struct render_job *j, struct err *e)
{
    const struct render_opts *o = j->o;
    int rc;

    if ((rc = tmpl_load_person(o->templates, &j->tmpl, e)) ||
        (rc = roles_load_dir(o->templates, &j->roles, e)) ||
        (needs_regions(j) &&
         (rc = tmpl_region_load(o->templates, &j->rtmpl, e))))
        return rc;
    j->has_rtmpl = needs_regions(j);
    if ((rc = font_open_chain(&j->font, o->font, o->families, e)) ||
        (rc = sheet_check_template(&j->tmpl, j->font, e)) ||
        (j->has_rtmpl &&
         (rc = sheet_region_check_template(&j->rtmpl, j->font, e))))
        return rc;
    for (int k = 0; k < 3 && !rc; k++)
        if (k == 0 || j->has_rtmpl)
            rc = render_template_version(o->templates, kind_sheets[k],
                                         j->tver[k], e);
    j->fixed_mask = fixed_mask(j);
    return rc;
}

void render_doc_free(struct render_job *j)
{
    font_close(j->font);
    roles_free(&j->roles);
    tmpl_free(&j->tmpl);
    if (j->has_rtmpl)
        tmpl_region_free(&j->rtmpl);
    j->font = NULL;
    j->has_rtmpl = 0;
}

int render_readers_open(const struct render_job *j, struct store *s,
                        struct render_readers *rd, struct err *e)
{
    int rc;

    memset(rd, 0, sizeof *rd);
    if (!s) {
        if ((rc = store_open(j->o->db, STORE_READONLY, &rd->s, e)))
            return rc;
        s = rd->s;
    }
    if ((rc = store_sheet_open(s, &j->o->per, &rd->sheets, e)))
        return rc;
    return needs_regions(j) ? store_region_open(s, &j->o->per, &rd->regions,
                                                e)
                            : ERR_OK;
}

static void unret_free(struct render_unret *m);

void render_readers_close(struct render_readers *rd)
{
    unret_free(rd->unret);
    store_region_close(rd->regions);
    store_sheet_close(rd->sheets);
    store_close(rd->s);
    memset(rd, 0, sizeof *rd);
}

/* ---- planning ------------------------------------------------------------------- */

static int add_doc(struct render_job *j, enum store_doc_kind kind,
                   const char *subject, size_t src, long cost,
                   const char *data_hash, uint32_t mask, struct err *e)
{
    int rc;

    static const char *const folder[3] = {"persons", "regions", "packets"};
    struct store_doc *d;

    if (j->n == j->cap) {
        size_t cap = j->cap ? j->cap * 2 : 256;
        struct store_doc *docs = mem_realloc(j->docs, cap * sizeof *docs);
        struct render_item *it = docs ? mem_realloc(j->item, cap * sizeof *it)
                                     : NULL;
        if (docs)
            j->docs = docs;
        if (!docs || !it)
            return err_set(e, ERR_NOMEM, "render %s: out of memory", j->pm);
        j->item = it;
        j->cap = cap;
    }
    d = &j->docs[j->n];
    memset(d, 0, sizeof *d);
    snprintf(d->period, sizeof d->period, "%s", j->pm);
    d->kind = kind;
    if ((size_t)snprintf(d->subject, sizeof d->subject, "%s", subject) >=
            sizeof d->subject ||
        (size_t)snprintf(d->path, sizeof d->path, "%s/%s.pdf", folder[kind],
                         subject) >= sizeof d->path)
        return err_set(e, ERR_DATA, "%s '%s': the id is too long",
                       store_doc_kind_name(kind), subject);
    if ((rc = doc_version(j, kind, mask, d->tmpl, e)))
        return rc;
    memcpy(d->data_hash, data_hash, 65);
    memcpy(d->source, j->source, sizeof d->source);
    d->bytes = -1;
    j->item[j->n].src = src;
    j->item[j->n].mask = mask;
    j->item[j->n].cost = cost;
    j->item[j->n++].draw = (j->o->kinds & (1 << kind)) != 0;
    return ERR_OK;
}

/* 1 when id is usable as a file name. */
static int safe_name(const char *id)
{
    return id[0] && id[0] != '.' && !strchr(id, '/') && strlen(id) <= 64;
}

static int check_name(enum store_doc_kind kind, const char *id,
                      struct err *e)
{
    if (safe_name(id))
        return ERR_OK;
    return err_set(e, ERR_DATA, "%s '%s': the id cannot be a file name",
                   store_doc_kind_name(kind), id);
}

/* Read person i's sheet data with the role's team weight. */
static int read_person(const struct render_job *j, struct store_sheet *rd,
                       size_t i, struct sheet_data *d, struct err *e)
{
    const struct role *role;
    int rc = store_sheet_read(rd, i, d, e);

    if (!rc)
        rc = check_name(STORE_DOC_PERSON, d->person_id, e);
    if (rc)
        return rc;
    role = roles_find(&j->roles, d->role);
    d->team_weight = role ? role->team_weight : 0;
    return ERR_OK;
}

/* Read region i's figures as its summary shows them. */
/* ---- last month's sheets not returned signed ---------------------------- */

#define UNRETURNED_MAX 2000     /* bytes of names a summary lists */

struct unret {
    struct buf names;
    int n;
    int full;               /* "……" written: no more names */
};

static int unret_one(void *ctx, const struct store_return *r, struct err *e)
{
    struct unret *u = ctx;
    char one[STORE_SIGNED_TEXT_MAX + 16];

    (void)e;
    if (strcmp(r->kind, "person") || archive_return_of(r) == ARCHIVE_RET_SIGNED)
        return ERR_OK;
    snprintf(one, sizeof one, "%s%s（%s）", u->n ? "、" : "",
             r->name[0] ? r->name : r->subject, r->subject);
    if (!u->full && u->names.len + strlen(one) <= UNRETURNED_MAX)
        buf_puts(&u->names, one);
    else if (!u->full) {
        buf_puts(&u->names, "……");   /* the count says how many */
        u->full = 1;
    }
    u->n++;
    return ERR_OK;
}

/* Last month's person sheets not returned signed, for every region node
 * at once: one pass over last month's documents (store_signed_each over
 * the whole company, in number order), each one counted in its region
 * and every region above it - the subtree of node i is [i, end(i)) of
 * the preorder store_region lists.  Made once per set of readers, where
 * asking per region cost a query over every document and a lookup per
 * document of its subtree for each summary. */
struct render_unret {
    char period[8];             /* last month, "YYYY-MM" */
    int any;                    /* the database received scans at all */
    size_t n;                   /* store_region_count */
    struct unret *u;            /* owned, [n] */
    size_t *parent;             /* owned, [n]: the node above, or n */
    size_t *by_id;              /* owned, [n]: node indices by id */
    const struct store_region *regions;     /* borrowed */
};

static void unret_free(struct render_unret *m)
{
    if (!m)
        return;
    for (size_t i = 0; m->u && i < m->n; i++)
        buf_free(&m->u[i].names);
    mem_free(m->u);
    mem_free(m->parent);
    mem_free(m->by_id);
    mem_free(m);
}

static int cmp_node_id(const void *a, const void *b, void *ctx)
{
    const struct store_region *r = ctx;
    return strcmp(store_region_id(r, *(const size_t *)a),
                  store_region_id(r, *(const size_t *)b));
}

/* The node index of region id, or m->n. */
static size_t node_of(const struct render_unret *m, const char *id)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(store_region_id(m->regions, m->by_id[mid]), id);
        if (!c)
            return m->by_id[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return m->n;
}

static int unret_doc(void *ctx, const struct store_return *r, struct err *e)
{
    struct render_unret *m = ctx;
    int rc = ERR_OK;
    for (size_t i = node_of(m, r->region); i < m->n && !rc; i = m->parent[i])
        rc = unret_one(&m->u[i], r, e);
    return rc;
}

static int unret_make(struct render_readers *rd, struct store *s,
                      const char *period, struct err *e)
{
    struct render_unret *m = mem_calloc(1, sizeof *m);
    size_t *stack = NULL, top = 0;
    int y, mo, rc;

    if (!m)
        return err_set(e, ERR_NOMEM, "render: out of memory");
    rd->unret = m;
    m->regions = rd->regions;
    m->n = rd->regions ? store_region_count(rd->regions) : 0;
    if (sscanf(period, "%4d-%2d", &y, &mo) != 2 || !m->n)
        return ERR_OK;
    if (--mo == 0)
        mo = 12, y--;
    {
        char p[32];             /* y is 4 digits: d->period is "YYYY-MM" */
        snprintf(p, sizeof p, "%04d-%02d", y, mo);
        memcpy(m->period, p, 7);
        m->period[7] = '\0';
    }
    if ((rc = store_signed_any(s, &m->any, e)) || !m->any)
        return rc;
    if (!(m->u = mem_calloc(m->n, sizeof *m->u)) ||
        !(m->parent = mem_malloc(m->n * sizeof *m->parent)) ||
        !(m->by_id = mem_malloc(m->n * sizeof *m->by_id)) ||
        !(stack = mem_malloc(m->n * sizeof *stack)))
        return err_set(e, ERR_NOMEM, "render: out of memory");
    for (size_t i = 0; i < m->n; i++) {
        buf_init(&m->u[i].names, UNRETURNED_MAX + 64);
        while (top && store_region_end(rd->regions, stack[top - 1]) <= i)
            top--;
        m->parent[i] = top ? stack[top - 1] : m->n;
        stack[top++] = i;
        m->by_id[i] = i;
    }
    mem_free(stack);
    if (sort_r(m->by_id, m->n, sizeof *m->by_id, cmp_node_id,
               (void *)rd->regions))
        return err_set(e, ERR_NOMEM, "render: out of memory");
    rc = store_signed_each(s, m->period, NULL, unret_doc, m, e);
    for (size_t i = 0; !rc && i < m->n; i++)
        if ((rc = buf_status(&m->u[i].names)))
            rc = err_set(e, rc, "render: out of memory");
    return rc;
}

/* d (region node i) gets its list of last month's person sheets of its
 * subtree that did not come back signed - only in a database that
 * received scans at all (a company that does not scan its signed copies
 * gets no list). */
static int fill_unreturned(struct render_readers *rd, struct store *s,
                           size_t i, struct region_data *d, struct err *e)
{
    const struct unret *u;
    int rc;

    if (!s || !rd->regions)
        return ERR_OK;
    if (!rd->unret && (rc = unret_make(rd, s, d->period, e)))
        return rc;
    if (!rd->unret->any || i >= rd->unret->n)
        return ERR_OK;
    memcpy(d->unreturned_period, rd->unret->period, 8);
    u = &rd->unret->u[i];
    if (u->n) {
        d->unreturned = u->n;
        if (!(d->unreturned_names = mem_malloc(u->names.len + 1)))
            return err_set(e, ERR_NOMEM, "region %s: out of memory",
                           d->region_id);
        memcpy(d->unreturned_names, buf_str(&u->names), u->names.len + 1);
    }
    return ERR_OK;
}

static int read_region(const struct render_job *j, struct render_readers *rd,
                       size_t i, struct region_data *d, struct err *e)
{
    int rc = store_region_read(rd->regions, i, j->rtmpl.max_risks, d, e);

    d->company = store_sheet_company(rd->sheets);
    d->source = store_sheet_source(rd->sheets);
    if (!rc)
        rc = fill_unreturned(rd, rd->s ? rd->s : j->s, i, d, e);
    return rc ? rc : check_name(STORE_DOC_REGION, d->region_id, e);
}

static void tick(const struct render_job *j)
{
    if (j->o->progress && j->n % 64 == 0)
        progress_set(j->o->progress, (long long)j->n);
}

static int plan_persons(struct render_job *j, struct render_readers *rd,
                        struct err *e)
{
    size_t n = store_sheet_count(rd->sheets);
    int rc = ERR_OK;

    for (size_t i = 0; i < n && !rc; i++) {
        struct sheet_data d;
        char hex[65];
        if (!(rc = read_person(j, rd->sheets, i, &d, e))) {
            render_person_hash(&d, hex);
            rc = add_doc(j, STORE_DOC_PERSON, d.person_id, i, 1, hex,
                         person_mask(j, &d), e);
        }
        sheet_data_free(&d);
        tick(j);
    }
    j->npersons = j->n;
    return rc;
}

static int cmp_subject(const void *id, const void *doc)
{
    return strcmp(id, ((const struct store_doc *)doc)->subject);
}

/* The person doc of id (docs[0..npersons) are sorted by id), or NULL. */
static const struct store_doc *person_doc(const struct render_job *j,
                                          const char *id)
{
    return bsearch(id, j->docs, j->npersons, sizeof *j->docs, cmp_subject);
}

/* A packet's data hash: its summary's, then each member sheet's (the
 * subtree's regions in order, each one's own members by rank), and the
 * duplex setting. */
static void packet_hash(const struct render_job *j, struct render_readers *rd,
                        size_t i, const char *region_hash, char hex[65],
                        uint32_t *mask)
{
    size_t end = store_region_end(rd->regions, i);
    struct sha256 c;

    sha256_init(&c);
    h_str(&c, "keqing packet data 1");
    h_int(&c, j->o->duplex);
    h_str(&c, region_hash);
    for (size_t k = i; k < end; k++) {
        const char *const *ids;
        size_t n = store_region_own(rd->regions, k, &ids);
        for (size_t m = 0; m < n; m++) {
            const struct store_doc *p = person_doc(j, ids[m]);
            h_str(&c, ids[m]);
            h_str(&c, p ? p->data_hash : "");
            if (p)
                *mask |= j->item[p - j->docs].mask;
        }
    }
    h_end(&c, hex);
}

/* Region summaries and packets, in the region tree's order. */
static int plan_regions(struct render_job *j, struct render_readers *rd,
                        struct err *e)
{
    size_t n = store_region_count(rd->regions);
    char (*rh)[65] = mem_calloc(n ? n : 1, sizeof *rh);
    uint32_t *rm = mem_calloc(n ? n : 1, sizeof *rm);
    int rc = rh && rm ? ERR_OK : err_set(e, ERR_NOMEM, "render: out of "
                                         "memory");

    for (size_t i = 0; i < n && !rc; i++) {
        struct region_data d;
        if (!(rc = read_region(j, rd, i, &d, e))) {
            render_region_hash(&d, rh[i]);
            rm[i] = region_mask(j, &d);
            if (j->o->kinds & RENDER_REGIONS)
                rc = add_doc(j, STORE_DOC_REGION, d.region_id, i, 1, rh[i],
                             rm[i], e);
        }
        store_region_data_free(&d);
        tick(j);
    }
    for (size_t i = 0; i < n && !rc && (j->o->kinds & RENDER_PACKETS); i++) {
        char hex[65];
        uint32_t mask = rm[i];
        packet_hash(j, rd, i, rh[i], hex, &mask);
        rc = add_doc(j, STORE_DOC_PACKET, store_region_id(rd->regions, i), i,
                     (long)store_region_people(rd->regions, i) + 1, hex,
                     mask, e);
        tick(j);
    }
    mem_free(rh);
    mem_free(rm);
    return rc;
}

int render_doc_plan(struct render_job *j, struct render_readers *rd,
                    struct err *e)
{
    int rc = ERR_OK;

    if (j->o->kinds & (RENDER_PERSONS | RENDER_PACKETS))
        rc = plan_persons(j, rd, e);
    if (!rc && needs_regions(j))
        rc = plan_regions(j, rd, e);
    return rc;
}

/* ---- drawing -------------------------------------------------------------------- */

/* The registry's number, QR text, provenance and identity on a person's
 * sheet. */
static void number_sheet(const struct render_job *j,
                         const struct store_doc *doc, struct sheet_data *d)
{
    char qr[ARCHIVE_DOCREF_TEXT_MAX];

    snprintf(d->doc_no, sizeof d->doc_no, "%s", doc->number);
    archive_docref_format(doc->number, doc->data_hash, j->registry, qr);
    snprintf(d->qr_text, sizeof d->qr_text, "%s", qr);
    snprintf(d->registry, sizeof d->registry, "%s", j->registry);
    if (doc->source[0])
        snprintf(d->source, sizeof d->source, "%.8s", doc->source);
}

/* The same for a region summary or a packet: pointers into buffers of
 * the caller (qr: ARCHIVE_DOCREF_TEXT_MAX bytes, src: 16). */
static void number_region(const struct render_job *j,
                          const struct store_doc *doc, struct region_data *d,
                          char *qr, char *src)
{
    archive_docref_format(doc->number, doc->data_hash, j->registry, qr);
    snprintf(src, 16, "%.8s", doc->source[0] ? doc->source
                                             : (d->source ? d->source : ""));
    d->doc_no = doc->number;
    d->qr_text = qr;
    d->source = src;
    d->registry = j->registry;
}

/* The data a worker read for doc is what was planned (and registered,
 * and goes into its QR code): else ERR_BUSY, the data changed since the
 * plan (an import or score committed meanwhile), and the document is not
 * drawn - no document shows other data than its hash says. */
static int same_data(const struct store_doc *doc, const char *hex,
                     struct err *e)
{
    if (!strcmp(doc->data_hash, hex))
        return ERR_OK;
    return err_set(e, ERR_BUSY, "%s %s: its data changed after the render "
                   "was planned (an import or score committed meanwhile): "
                   "not issued; run the render again",
                   store_doc_kind_name(doc->kind), doc->subject);
}

/* Person doc: the sheet with its number, QR code and attached CSV. */
static int draw_person(struct render_job *j, struct render_readers *rd,
                       const struct store_doc *doc, size_t src,
                       struct pdf **out, struct sheet_stats *st,
                       struct err *e)
{
    struct sheet_data d;
    struct buf csv;
    char name[STORE_DOC_SUBJECT_MAX + 16];
    int rc;

    *out = NULL;
    buf_init(&csv, CSV_MAX);
    rc = read_person(j, rd->sheets, src, &d, e);
    if (!rc) {
        char hex[65];
        render_person_hash(&d, hex);
        rc = same_data(doc, hex, e);
    }
    if (!rc) {
        number_sheet(j, doc, &d);
        rc = sheet_person_build(&j->tmpl, j->font, &d, out, st, e);
    }
    if (!rc && (rc = render_person_csv(&d, &csv)))
        err_set(e, rc, "person %s: scores.csv rows: too long", d.person_id);
    snprintf(name, sizeof name, "scores-%s.csv", doc->subject);
    if (!rc && (rc = pdf_attach(*out, name, "text/csv", csv.p, csv.len, e)))
        rc = rc == ERR_USAGE ? ERR_DATA : rc;   /* an id it cannot name */
    buf_free(&csv);
    sheet_data_free(&d);
    return rc;
}

/* sheet_region_stream's sink: parts into the book, the first one's Info
 * the book's. */
static int region_sink(void *ctx, struct pdf *part, struct err *e)
{
    struct pdf_book *b = ctx;
    int rc = pdf_book_pages(b) == 0 ? pdf_book_take_info(b, part, e)
                                    : ERR_OK;
    return rc ? rc : pdf_book_add(b, part, e);
}

/* A region's summary, streamed into its file 16 pages at a time (the
 * whole company's ranking is as long as the company). */
static int write_region(struct render_job *j, struct render_readers *rd,
                        const struct store_doc *doc, size_t src,
                        const char *path, char sha[65], long long *bytes,
                        struct sheet_stats *st, struct err *e)
{
    struct region_data d;
    struct pdf_book *b = NULL;
    char qr[ARCHIVE_DOCREF_TEXT_MAX], source[16], hex[65];
    int rc = read_region(j, rd, src, &d, e);

    if (!rc) {
        render_region_hash(&d, hex);
        rc = same_data(doc, hex, e);
    }
    number_region(j, doc, &d, qr, source);
    if (!rc && !(rc = pdf_book_open(&b, j->font, path, e)) &&
        !(rc = sheet_region_stream(&j->rtmpl, j->font, &j->roles, &d, NULL,
                                   region_sink, b, st, e))) {
        rc = pdf_book_close(b, e);
        b = NULL;
    }
    pdf_book_free(b);
    store_region_data_free(&d);
    if (!rc)
        rc = fsx_sha256_file(path, sha, bytes, e);
    return rc;
}

/* Render pdf and write it to path (into the batch out when not NULL:
 * under its final name only once the batch is committed); its hash and
 * size. */
static int save_pdf(struct pdf *pdf, const char *path,
                    struct fsx_batch *out, char sha[65], long long *bytes,
                    struct err *e)
{
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = pdf_render(pdf, &data, &len, e);

    if (!rc)
        rc = out ? fsx_batch_write(out, path, data, len, e)
                 : fsx_write_file(path, data, len, e);
    if (!rc) {
        sha256_buf(data, len, sha);
        *bytes = (long long)len;
    }
    mem_free(data);
    return rc;
}

/* What a packet being drawn checks its data against. */
struct packet_check {
    struct render_job *j;
    struct render_readers *rd;
    const struct store_doc *doc;    /* the packet's */
    size_t src;
    int changed;                    /* a member's data is not its plan's */
    char who[STORE_DOC_SUBJECT_MAX];
};

/* render_packet_ctx.number: a member's sheet gets its own registry number and
 * QR code, as on its standalone sheet - when its data is what was
 * planned for it. */
static void number_member(void *ctx, struct sheet_data *d)
{
    struct packet_check *pc = ctx;
    const struct store_doc *doc = person_doc(pc->j, d->person_id);
    char hex[65];

    if (!doc)
        return;
    render_person_hash(d, hex);
    if (strcmp(hex, doc->data_hash) && !pc->changed) {
        pc->changed = 1;
        snprintf(pc->who, sizeof pc->who, "%s", d->person_id);
    }
    number_sheet(pc->j, doc, d);
}

/* render_packet_ctx.check: the summary's data is what the packet's hash was
 * planned from. */
static int check_summary(void *ctx, struct region_data *d, struct err *e)
{
    struct packet_check *pc = ctx;
    char rh[65], hex[65];
    uint32_t mask = 0;
    int rc = fill_unreturned(pc->rd, pc->rd->s ? pc->rd->s : pc->j->s,
                             pc->src, d, e);

    if (rc)
        return rc;
    render_region_hash(d, rh);
    packet_hash(pc->j, pc->rd, pc->src, rh, hex, &mask);
    return same_data(pc->doc, hex, e);
}

static int write_packet(struct render_job *j, struct render_readers *rd,
                        const struct store_doc *doc, size_t src,
                        const char *path, char sha[65], long long *bytes,
                        int *pages, struct sheet_stats *st, struct err *e)
{
    char qr[ARCHIVE_DOCREF_TEXT_MAX], source[16];
    struct packet_check pc = {j, rd, doc, src, 0, ""};
    struct render_packet_ctx c = {&j->tmpl, &j->rtmpl, j->font, &j->roles,
                           rd->sheets, rd->regions, j->o->duplex,
                           doc->number, qr, source, j->registry,
                           number_member, &pc, check_summary, st};
    int rc;

    archive_docref_format(doc->number, doc->data_hash, j->registry, qr);
    snprintf(source, sizeof source, "%.8s", doc->source[0] ? doc->source
             : store_sheet_source(rd->sheets));

    if ((rc = check_name(STORE_DOC_PACKET,
                         store_region_id(rd->regions, src), e)) ||
        (rc = render_packet_write(&c, src, path, pages, e)))
        return rc;
    if (pc.changed)
        return err_set(e, ERR_BUSY, "packet %s: the data of its member %s "
                       "changed after the render was planned (an import or "
                       "score committed meanwhile): not issued; run the "
                       "render again", doc->subject, pc.who);
    return fsx_sha256_file(path, sha, bytes, e);
}

/* The boxes of a drawn document from its stats. */
static void take_boxes(const struct sheet_stats *st, struct render_boxes *bx)
{
    bx->pages = st->pages;
    bx->n = st->nboxes;
    memcpy(bx->box, st->box, sizeof bx->box);
}

int render_doc_write(struct render_job *j, struct render_readers *rd, size_t i,
                     char sha[65], long long *bytes, int *pages,
                     struct render_boxes *bx, struct err *e)
{
    const struct store_doc *doc = &j->docs[i];
    char path[PATH_MAX + STORE_DOC_PATH_MAX];
    struct sheet_stats st;
    struct pdf *pdf = NULL;
    int rc;

    snprintf(path, sizeof path, "%s/%s", j->dir, doc->path);
    *pages = 0;
    memset(bx, 0, sizeof *bx);
    memset(&st, 0, sizeof st);
    switch (doc->kind) {
    case STORE_DOC_PERSON:
        rc = draw_person(j, rd, doc, j->item[i].src, &pdf, &st, e);
        break;
    case STORE_DOC_REGION:
        rc = write_region(j, rd, doc, j->item[i].src, path, sha, bytes, &st,
                          e);
        if (rc)
            unlink(path);
        else
            take_boxes(&st, bx);
        return rc;
    default:
        rc = write_packet(j, rd, doc, j->item[i].src, path, sha, bytes,
                          pages, &st, e);
        if (rc)
            unlink(path);
        else
            take_boxes(&st, bx);
        return rc;
    }
    if (!rc && (rc = save_pdf(pdf, path, rd->out, sha, bytes, e)))
        err_prefix(e, "%s %s: ", store_doc_kind_name(doc->kind),
                   doc->subject);
    pdf_free(pdf);
    if (rc)
        unlink(path);   /* no stale file of an earlier run under the name */
    else
        take_boxes(&st, bx);
    return rc;
}
