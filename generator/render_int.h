/* batch_int -- what render.c (the run: allocation, workers, registry,
 * manifest) and render_doc.c (the documents: data hashes, planning and
 * drawing each kind) share; not for other modules. */
#ifndef KQ_RENDER_INT_H
#define KQ_RENDER_INT_H

#include "render.h"
#include "font.h"
#include "roles.h"
#include "sheet_layout.h"
#include "store_registry.h"
#include "tmpl_region.h"
#include "tmpl_sheet.h"

#include <limits.h>
#include <stddef.h>

struct store;
struct store_region;
struct store_sheet;

/* Where a planned document comes from, and what it costs to draw. */
struct render_item {
    size_t src;                 /* index in its reader (person, region) */
    uint32_t mask;              /* the faces of the chain its data draws */
    long cost;                  /* sheets it draws */
    int draw;                   /* 1: its kind is rendered by this run */
};

/* Everything a run shares; loaded once by the parent before the workers
 * fork (they get it copy-on-write). */
struct render_job {
    const struct render_opts *o;
    char pm[8];                 /* "YYYY-MM" */
    char dir[PATH_MAX];         /* OUT/YYYY-MM */
    struct tmpl tmpl;           /* sheet/person.xml */
    struct tmpl_region rtmpl;   /* sheet/region.xml (regions, packets) */
    int has_rtmpl;
    struct roles roles;
    struct font *font;
    struct store *s;            /* the parent's connection (read-write) */
    struct store_doc *docs;     /* owned: the plan, in number order */
    struct render_item *item;    /* owned: per doc */
    size_t n, cap;
    size_t npersons;            /* docs[0..npersons) are the persons */
    size_t *order;              /* owned: docs in drawing order */
    unsigned char *in_place;    /* owned: per doc, 1 once this run wrote
                                   or kept its file */
    int fatal;                  /* a worker stopped on an error other
                                   than bad data: no manifest */
    int lock_fd;                /* the output folder's lock (fsx_lock) */
    char tver[3][65];           /* template version per kind (templates
                                   and program; a document's adds the
                                   faces it draws with) */
    uint32_t fixed_mask;        /* faces of every document's fixed text */
    char face_hash[FONT_CHAIN_MAX][65]; /* sha256 of each face's file,
                                   "" until a document uses it */
    char registry[STORE_REGISTRY_ID_MAX]; /* the registry's identity */
    char source[65];            /* sha256 of the period's newest export:
                                   the provenance of what is issued now */
};

struct render_unret;

/* Readers over the period. */
struct render_readers {
    struct store *s;                /* owned connection, or NULL */
    struct store_sheet *sheets;
    struct store_region *regions;   /* NULL when no region is drawn */
    struct render_unret *unret;     /* owned: last month's sheets not
                                       returned, per region (made at the
                                       first region read), or NULL */
    struct fsx_batch *out;          /* borrowed, or NULL: where sheets are
                                       written (the worker commits it, one
                                       device flush per batch); NULL:
                                       each file is synced on its own */
};

/* Load the templates and font the kinds of o need and the template
 * versions. */
int render_doc_prepare(struct render_job *j, struct err *e);

/* Release what render_doc_prepare loaded. */
void render_doc_free(struct render_job *j);

/* Plan every document of the period (persons, then regions, then
 * packets; persons are planned whenever packets are, since a packet
 * shows their numbers) into j->docs, reading through rd (opened on the
 * parent's connection). */
int render_doc_plan(struct render_job *j, struct render_readers *rd,
                    struct err *e);

/* Open readers over the period through s (borrowed; the parent's
 * connection), or, when s is NULL, through a read-only connection of
 * their own (a worker's; closed with them).  Close them with
 * render_readers_close, also after a failure. */
int render_readers_open(const struct render_job *j, struct store *s,
                        struct render_readers *rd, struct err *e);
void render_readers_close(struct render_readers *rd);

/* What the registry keeps of a drawn document for the signed copies
 * coming back (store_registry_boxes): the pages that carry its number
 * and code (a packet's: its summary's) and the boxes drawn on them. */
struct render_boxes {
    int pages;
    int n;
    struct sheet_box box[SHEET_BOX_MAX];
};

/* Draw document i and write it under its final name (atomically), its
 * sha256 into sha (64 hex), size into *bytes, page count into *pages
 * (packets; 0 for the others) and its boxes into *bx.  ERR_DATA for a
 * document that cannot be drawn (the run goes on), else the error. */
int render_doc_write(struct render_job *j, struct render_readers *rd, size_t i,
                     char sha[65], long long *bytes, int *pages,
                     struct render_boxes *bx, struct err *e);

#endif
