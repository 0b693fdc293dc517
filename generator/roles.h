/* roles -- the role templates: which indicators a role is assessed on, and
 * how (weights, targets, floors, team weight, grade bands, required visits).
 *
 * Stage: read by `score` before anything is computed.  One XML file per
 * role in TEMPLATES/roles/<role>.xml (format: doc/templates.md, XSD:
 * TEMPLATES/schema/role.xsd); a company adds a role by adding a file.
 *
 * Invariants of a loaded struct role (checked on load, a broken template is
 * refused with file, line and reason): the used indicators' weights sum to
 * 100; every target is in (0, 1]; floor < target; team weight in [0, 1];
 * grade bands strictly descending, the last one with min 0; the role id is
 * the file's base name.
 */
#ifndef KQ_ROLES_H
#define KQ_ROLES_H

#include <stddef.h>

struct err;

/* The sixteen indicators, in the order A1..A6, B1..B4, C1..C6. */
#define ROLES_NIND 16
enum roles_ind {
    ROLES_A1, ROLES_A2, ROLES_A3, ROLES_A4, ROLES_A5, ROLES_A6,
    ROLES_B1, ROLES_B2, ROLES_B3, ROLES_B4,
    ROLES_C1, ROLES_C2, ROLES_C3, ROLES_C4, ROLES_C5, ROLES_C6
};

/* "A1".."C6", the Chinese labels of indicators.md, and their default
 * targets (used when a template omits `target`). */
extern const char *const roles_ind_id[ROLES_NIND];
extern const char *const roles_ind_label[ROLES_NIND];
extern const double roles_ind_default_target[ROLES_NIND];

/* Customer grades, in the order VIP, A, B, C (record.c's enum order). */
#define ROLES_NGRADE 4
#define ROLES_MAX_BANDS 8

struct roles_band {
    double min;     /* a total >= min (rounded to 2 decimals) earns it */
    char *label;    /* owned: 优秀, 良好, ... */
};

struct role {
    char *id;                       /* owned: "sales_rep" */
    char *label;                    /* owned: "业代" */
    char *file;                     /* owned: path it was loaded from */
    int used[ROLES_NIND];           /* 1 when the role is assessed on it */
    double weight[ROLES_NIND];      /* as in the template, 0 when unused */
    double target[ROLES_NIND];      /* a rate in (0,1] */
    double floor[ROLES_NIND];       /* a rate in [0,target) */
    double team_weight;             /* in [0,1] */
    int visits[ROLES_NGRADE];       /* required visits per week, VIP A B C */
    struct roles_band band[ROLES_MAX_BANDS]; /* descending min */
    int nband;
};

struct roles {
    struct role *r;     /* owned; sorted by id */
    size_t n;
};

/* Index of "A1".."C6", or -1. */
int roles_ind_index(const char *id);

/* Parse and validate one template held in memory.  `name` is used in
 * messages and must be the file's path: the role id must equal its base
 * name without ".xml".  `xsd` (may be NULL) is the path of role.xsd to
 * validate against first.  On success *out is filled (owned, free with
 * roles_free_role); on failure *out is zeroed and e says
 * "FILE:LINE: reason" with ERR_DATA (ERR_NOMEM when memory runs out). */
int roles_parse(const char *data, size_t n, const char *name,
                const char *xsd, struct role *out, struct err *e);

/* Load every TEMPLATES/roles/<role>.xml, validating each against
 * TEMPLATES/schema/role.xsd when that file exists.  *out owned by the
 * caller (roles_free).  ERR_NOINPUT when the folder is missing or holds no
 * template, ERR_DATA for a broken template, ERR_NOMEM. */
int roles_load_dir(const char *templates_dir, struct roles *out,
                   struct err *e);

/* The role with this id, or NULL.  Borrowed until roles_free. */
const struct role *roles_find(const struct roles *rs, const char *id);

/* The grade label for a total, comparing the total as formatted with
 * "%.2f" against the bands.  Borrowed from r. */
const char *roles_grade(const struct role *r, double total);

void roles_free_role(struct role *r);
void roles_free(struct roles *rs);

#endif
