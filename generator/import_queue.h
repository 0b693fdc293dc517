/* import_queue -- hands checked records from the XML reader to the store
 * through a worker thread, in bounded batches (part of the import module).
 *
 * Parsing + validating and writing SQLite take about the same time; on
 * two cores, running them side by side cuts an import's wall time by
 * roughly a third.  The producer (the calling thread) copies each record
 * into a batch (the record's strings live in libxml2 nodes that die on
 * the next read); the consumer applies the batches, in order, through the
 * caller's ops.  Invariants: (1) ops are called in exactly the order the
 * producer queued them, all from ONE thread (the worker, or the caller
 * when threaded == 0); (2) memory is bounded: Q_NBATCH batches of at most
 * Q_BATCH_BYTES; (3) after the consumer fails, every later call returns
 * its error, and imp_q_finish returns it too.
 */
#ifndef KQ_IMPORT_QUEUE_H
#define KQ_IMPORT_QUEUE_H

#include "record.h"

struct err;
struct imp_queue;

/* What the consumer does; ctx is the caller's.  Each returns ERR_OK or an
 * error code with e set (the run is then abandoned). */
struct imp_q_ops {
    int (*file_begin)(void *ctx, int file_no, const char *file,
                      const char *company, const char *period,
                      const char *exported, struct err *e);
    int (*put)(void *ctx, const struct rec *r, struct err *e);
    int (*file_end)(void *ctx, struct err *e);
};

/* A queue calling ops with ctx; threaded: use a worker thread (falls back
 * to calling ops inline when no thread can be started).  *out owned
 * (imp_q_free). */
int imp_q_new(const struct imp_q_ops *ops, void *ctx, int threaded,
              struct imp_queue **out, struct err *e);

/* Queue operations; the strings and r are copied (borrowed for the call).
 * ERR_OK, ERR_NOMEM, or the consumer's earlier error. */
int imp_q_file_begin(struct imp_queue *q, int file_no, const char *file,
                     const char *company, const char *period,
                     const char *exported, struct err *e);
int imp_q_put(struct imp_queue *q, const struct rec *r, struct err *e);
int imp_q_file_end(struct imp_queue *q, struct err *e);

/* Apply everything queued and stop the worker.  Returns the first error
 * of the consumer (e set), else ERR_OK. */
int imp_q_finish(struct imp_queue *q, struct err *e);

/* Stop (discarding what is queued) and free; NULL is fine. */
void imp_q_free(struct imp_queue *q);

#endif
