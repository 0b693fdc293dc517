/* record -- the canonical ERP export's record kinds, described once.
 *
 * Stage boundary import -> store.  The importer turns each XML element into
 * a struct rec (attribute values as borrowed strings), checks each value
 * against its field type here, and hands it to the store, which builds its
 * SQL from the same table.  Adding an attribute means one line in
 * record.c, one column in store_schema.c and one in the XSD.
 *
 * Invariants: (1) kinds are listed in document order of the export's
 * sections; (2) field 0 of every kind is its key (handover: none, it
 * travels with its customer); (3) columns are named as attributes except
 * where the attribute is an SQL keyword (see record.c).
 */
#ifndef KQ_RECORD_H
#define KQ_RECORD_H

#include <stddef.h>
#include <stdint.h>

struct err;

enum rec_kind {
    REC_REGION,
    REC_PERSON,
    REC_CUSTOMER,
    REC_CONTACT,
    REC_HANDOVER,
    REC_CARD,
    REC_VISIT,
    REC_SERVICE,
    REC_DISPLAY,
    REC_REPORT,
    REC_GREETING,
    REC_CHECK,
    REC_NKINDS
};

enum fld_type {
    FT_ID,     /* 1..64 printable chars, no spaces or control chars */
    FT_TEXT,   /* any text, at most REC_TEXT_MAX bytes, no control chars */
    FT_REF,    /* an id of another record (same rules as FT_ID) */
    FT_DATE,   /* YYYY-MM-DD, a real date */
    FT_MMDD,   /* MM-DD */
    FT_MONTH,  /* YYYY-MM */
    FT_BOOL,   /* true | false */
    FT_COUNT,  /* integer 0..REC_COUNT_MAX */
    FT_ENUM,   /* one of fld.enums */
    FT_PHONES, /* space-separated subset of office mobile home */
    FT_STAMP,  /* xs:dateTime-like text, kept as given */
    FT_NAME    /* a name printed on the documents: FT_TEXT, and none of
                  the code points no document can print faithfully
                  (record_name_rule; doc/limits.md "Names") */
};

#define REC_MAX_FIELDS 14
#define REC_ID_MAX 64
#define REC_TEXT_MAX 1024
#define REC_COUNT_MAX 100

struct fld {
    const char *attr;           /* XML attribute name */
    const char *column;         /* SQL column name */
    enum fld_type type;
    int required;
    const char *const *enums;   /* FT_ENUM: NULL-terminated list */
    enum rec_kind ref;          /* FT_REF: kind referred to */
};

struct kind_def {
    enum rec_kind kind;
    const char *element;        /* XML element name */
    const char *table;          /* SQL table */
    const char *label;          /* Chinese label for messages */
    const char *section;        /* parent section element, or the
                                   enclosing record's element */
    const struct fld *fields;
    int nfields;
    int has_text;               /* element text is kept (service note) */
};

/* One record as handed from importer to store.  All strings borrowed
 * until the store call returns; NULL means absent. */
struct rec {
    enum rec_kind kind;
    long line;                      /* line in the source file */
    const char *val[REC_MAX_FIELDS];/* by field index */
    const char *text;               /* element text (has_text kinds) */
    const char *parent;             /* enclosing customer id for contact
                                       and handover, else NULL */
};

const struct kind_def *record_kind(enum rec_kind k);
/* NULL when the element is not a record kind. */
const struct kind_def *record_kind_by_element(const char *name);
/* Field index by attribute name, or -1. */
int record_field(const struct kind_def *kd, const char *attr);

/* Why code point cp may not be part of a printed name (FT_NAME), or NULL
 * when it may: private use, emoji and pictographs, variation selectors,
 * combining marks, U+FFFD (doc/limits.md, "Names"). */
const char *record_name_rule(uint32_t cp);

/* Check one value against its field's type: ERR_OK, or ERR_DATA with a
 * short reason in e ("'2026-02-30' is not a real date ...", "unknown
 * value 'x'") for the caller to prefix with the place and the field. */
int record_check_value(const struct fld *f, const char *v, struct err *e);

/* The allowed role names of the default templates (templates may add). */
extern const char *const record_roles[];

#endif
