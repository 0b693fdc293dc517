/* import_int -- what the files of the import module share (internal).
 *
 * The importer is one module, public header import_xml.h, in six files
 * with one job each (import parses and checks; the store reads and
 * writes, in store_import.c):
 *
 *   import_run.c       imp_run: the schema, libxml2's handlers and the
 *                      refusing entity loader, one transaction, every
 *                      file, the SQL checks, commit or roll back
 *   import_xml.c       the streaming reader of one canonical export:
 *                      document structure, hostile constructs, bounded
 *                      record copies, the file's hash and import row
 *   import_xslt.c      a foreign layout (--xslt): the stylesheet, the
 *                      transform under forbidding security prefs, then
 *                      the result read like a canonical file
 *   import_validate.c  one record: values in C (record.h), its subtree
 *                      against the XSD, a customer's children; queued
 *   import_sink.c      the store side of the queue (worker thread):
 *                      records into store_import, duplicates, import
 *                      rows, rows refused by the SQL checks
 *   import_diag.c      messages: file and record errors as "FILE:LINE:
 *                      ...", rejects and their counts, libxml2's error
 *                      handlers
 *
 * import_queue.c (its own module, import_queue.h) carries the records
 * from the reader to the sink.  Prefix: imp_ (imp_q_ is the queue's).
 *
 * Threads: everything runs on the caller's thread except the sink's queue
 * callbacks, which run on the queue's worker; what both touch (d, the st
 * counters, fs[]) is guarded by im->mu.
 */
#ifndef KQ_IMPORT_INT_H
#define KQ_IMPORT_INT_H

#include "import_xml.h"
#include "import_queue.h"
#include "err.h"
#include "record.h"
#include "sha256.h"

#include <pthread.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <libxslt/xsltInternals.h>

struct store_reject;

#define IMP_NS_ERP "urn:keqing:erp:1"
#define IMP_PARSE_OPTS (XML_PARSE_NONET | XML_PARSE_BIG_LINES)
#define IMP_RECORD_TEXT_MAX (4 * REC_TEXT_MAX)  /* text gathered per record */

/* Lines of the nodes of the current record copy, for XSD messages. */
struct node_line {
    const void *node;
    long line;
};

struct file_stats {
    long long import_id;          /* 0 when the root was refused */
    long long stored[REC_NKINDS];
    long long rejected;
    long long bytes;
    double seconds;
    char sha256[65];
    char shown[1100];             /* file name in messages */
};

/* The state of one run (imp_run's, on its stack). */
struct imp {
    const struct imp_opts *o;
    struct store *s;
    struct diag *d;
    struct imp_stats *st;
    xmlSchemaPtr schema;
    xmlSchemaValidCtxtPtr vctx;
    xsltStylesheetPtr xsl;
    xmlExternalEntityLoader old_loader;
    xmlDocPtr rdoc;               /* owner of record copies */
    struct imp_queue *q;          /* records -> store (worker thread) */
    pthread_mutex_t mu;           /* guards d, st counters, fs[].rejected */
    int cf;                       /* consumer: current file number */
    int customer_dup;             /* consumer: last customer was a dup */

    /* current file */
    const char *file;             /* as given */
    const char *shown;            /* name used in messages */
    int fd;
    int io_errno;
    struct sha256 hash;
    long long bytes;
    int fatal;                    /* file-level error: stop reading */
    int any_fatal;                /* some file had one */
    int section;
    struct file_stats *fs;        /* per file, indexed by file number */
    int nfs;

    /* current record */
    const struct kind_def *kd;
    const char *rec_id;
    long rec_line;
    int rec_bad;                  /* the record has an error */
    int rec_msgs;
    struct node_line lines[IMP_MAX_CHILDREN + 1];
    struct rec *kids;             /* a customer's children, IMP_MAX_CHILDREN */
    int nlines;
    int in_schema;                /* XSD validation running */
    int in_xslt;                  /* XSLT transform running */
    char xslt_msg[ERR_MSG_MAX];   /* its messages, joined */
};

/* ---- import_diag.c: messages ------------------------------------------- */

/* A file-level error at line (0: none) of the current file: the rest of
 * the file is not read and the run fails. */
void imp_file_error(struct imp *im, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A problem with the current record ("FILE:LINE: WHAT ID: ..."): it will
 * not be stored; at most a few lines per record are kept. */
void imp_rec_error(struct imp *im, long line, const char *what,
                   const char *id, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* A refused record's line (borrowed): to the error list (the run fails)
 * or, with skip_invalid, to opts->reject.  Either thread; takes im->mu. */
void imp_emit(struct imp *im, const char *line);
/* Count n refused records of file number f (-1: the run only); takes
 * im->mu.  imp_count_reject: one record of the current file. */
void imp_count_rejects(struct imp *im, int f, long long n);
void imp_count_reject(struct imp *im);
/* The line of a node of the current record copy (else the record's). */
long imp_line_of(struct imp *im, const void *node);
/* libxml2's structured handler (reader, schema validator, anything while
 * a run is in progress; ctx: the struct imp, or NULL while the schema is
 * parsed), and the generic printf-style one (libxml2/libxslt corners). */
void imp_on_xml_error(void *ctx, xmlErrorPtr xe);
void imp_on_generic_error(void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- import_validate.c: one record ------------------------------------- */

/* The value of an attribute node (single text child), or "" (borrowed
 * from the node). */
const char *imp_attr_value(xmlAttrPtr a);
/* Parse im->o->schema into im->schema and a validation context.
 * ERR_OK, ERR_NOINPUT, ERR_INTERNAL (not a usable schema), ERR_NOMEM. */
int imp_schema_load(struct imp *im, struct err *e);
/* Check the record whose subtree is node (kind im->kd, at im->rec_line)
 * and queue it with its valid children; a refused record is reported and
 * counted, not an error.  ERR_OK or the queue's error. */
int imp_process_record(struct imp *im, xmlNodePtr node, struct err *e);

/* ---- import_xml.c: reading one document -------------------------------- */

/* Monotonic seconds, for the statistics. */
double imp_now(void);

/* Open path read-only (close-on-exec) into *fd: ERR_OK, or ERR_NOINPUT
 * "PATH: cannot open WHAT: reason" (what: "the schema"; "" for an input
 * file). */
int imp_open(const char *path, const char *what, int *fd, struct err *e);
/* Start file number im->nfs (path as given, shown in messages). */
void imp_begin_file(struct imp *im, const char *path, const char *shown);
/* Complete the current file's statistics (t0: its imp_now() at the start;
 * hex: its SHA-256) and queue its end. */
int imp_end_file(struct imp *im, double t0, const char *hex, struct err *e);
/* Read one document from rd to its end (or the first file error, which is
 * in im->d, not an error code).  ERR_OK, ERR_IO, ERR_STOPPED, or the
 * queue's error. */
int imp_read_doc(struct imp *im, xmlTextReaderPtr rd, struct err *e);
/* Import a canonical file, streamed.  ERR_OK (file errors are in im->d),
 * ERR_NOINPUT, ERR_NOMEM, or imp_read_doc's errors. */
int imp_stream(struct imp *im, const char *path, struct err *e);

/* ---- import_xslt.c: a foreign layout ----------------------------------- */

/* Parse the stylesheet im->o->xslt into im->xsl.  ERR_OK, ERR_NOINPUT,
 * ERR_DATA (not well-formed, not a usable stylesheet). */
int imp_xslt_load(struct imp *im, struct err *e);
/* Import one file through im->xsl (size-limited, no file or network
 * access).  Errors as imp_stream, and ERR_DATA for a file too large. */
int imp_xslt_import(struct imp *im, const char *path, struct err *e);

/* ---- import_sink.c: the store side ------------------------------------- */

/* The queue's consumer: file begin, record, file end (worker thread). */
extern const struct imp_q_ops imp_sink_ops;
/* Write (or rewrite, after reference rejections) a file's import row.
 * ERR_OK (nothing when the root was refused) or the store's error. */
int imp_write_import_row(struct imp *im, const struct file_stats *f,
                         struct err *e);
/* store_import_check's callback (ctx: the struct imp): a row refused by
 * the SQL checks (references, tree, chain). */
void imp_on_reject(void *ctx, const struct store_reject *rj);

#endif
