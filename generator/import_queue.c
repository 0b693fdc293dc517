/* import_queue -- a bounded producer/consumer queue of records (see
 * import_queue.h).
 *
 * A ring of Q_NBATCH batches.  Batches head .. head+count-1 are full (the
 * consumer works on `head`); the producer fills batch (head+count) % N,
 * which exists only while count < N, so it waits for the consumer when
 * the ring is full.  Each batch holds up to Q_BATCH_RECS operations and
 * their strings in a Q_BATCH_BYTES arena.
 */
#include "import_queue.h"
#include "err.h"
#include "mem.h"
#include "stop.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#define Q_NBATCH 4
#define Q_BATCH_RECS 2048
#define Q_BATCH_BYTES (512 * 1024)
#define Q_NSTR (REC_MAX_FIELDS + 2)   /* fields, text, parent */

enum { OP_BEGIN, OP_PUT, OP_END };

struct qop {
    unsigned char op, kind;
    long line;
    int32_t off[Q_NSTR];              /* offsets in arena; -1 = NULL */
};

struct batch {
    struct qop ops[Q_BATCH_RECS];
    char arena[Q_BATCH_BYTES];
    int n;
    size_t used;
};

struct imp_queue {
    struct imp_q_ops ops;
    void *ctx;
    struct batch *b;                  /* Q_NBATCH of them */
    int w;                            /* batch being filled */
    int head, count;
    int threaded, stop, discard;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t nonempty, nonfull;
    int failed;                       /* consumer's first error code */
    struct err ferr;
};

/* ---- consumer ------------------------------------------------------------- */

static const char *str_at(const struct batch *b, int32_t off)
{
    return off < 0 ? NULL : b->arena + off;
}

/* Apply one batch through the ops; returns the first error. */
static int apply(struct imp_queue *q, const struct batch *b, struct err *e)
{
    int rc = ERR_OK;
    for (int i = 0; i < b->n && !rc; i++) {
        const struct qop *o = &b->ops[i];
        if (o->op == OP_BEGIN) {
            rc = q->ops.file_begin(q->ctx, (int)o->line, str_at(b, o->off[0]),
                                   str_at(b, o->off[1]), str_at(b, o->off[2]),
                                   str_at(b, o->off[3]), e);
        } else if (o->op == OP_END) {
            rc = q->ops.file_end(q->ctx, e);
        } else {
            struct rec r;
            memset(&r, 0, sizeof r);
            r.kind = (enum rec_kind)o->kind;
            r.line = o->line;
            for (int k = 0; k < REC_MAX_FIELDS; k++)
                r.val[k] = str_at(b, o->off[k]);
            r.text = str_at(b, o->off[REC_MAX_FIELDS]);
            r.parent = str_at(b, o->off[REC_MAX_FIELDS + 1]);
            rc = q->ops.put(q->ctx, &r, e);
        }
    }
    return rc;
}

static void *worker(void *arg)
{
    struct imp_queue *q = arg;
    for (;;) {
        struct batch *b;
        int skip;
        pthread_mutex_lock(&q->mu);
        while (q->count == 0 && !q->stop)
            pthread_cond_wait(&q->nonempty, &q->mu);
        if (q->count == 0 || q->discard) {
            pthread_mutex_unlock(&q->mu);
            break;
        }
        b = &q->b[q->head];
        skip = q->failed;
        pthread_mutex_unlock(&q->mu);

        if (!skip) {
            struct err e;
            int rc;
            err_clear(&e);
            rc = apply(q, b, &e);
            if (rc) {
                pthread_mutex_lock(&q->mu);
                q->failed = rc;
                q->ferr = e;
                pthread_mutex_unlock(&q->mu);
            }
        }
        pthread_mutex_lock(&q->mu);
        b->n = 0;
        b->used = 0;
        q->head = (q->head + 1) % Q_NBATCH;
        q->count--;
        pthread_cond_signal(&q->nonfull);
        pthread_mutex_unlock(&q->mu);
    }
    return NULL;
}

/* ---- producer ------------------------------------------------------------- */

static int failed(struct imp_queue *q, struct err *e)
{
    if (e)
        *e = q->ferr;
    return q->failed;
}

/* Hand the filled batch over (or apply it inline). */
static int publish(struct imp_queue *q, struct err *e)
{
    struct batch *b = &q->b[q->w];
    int rc;

    if (b->n == 0)
        return q->failed ? failed(q, e) : ERR_OK;
    if (!q->threaded) {
        if (!q->failed && (rc = apply(q, b, &q->ferr)))
            q->failed = rc;
        b->n = 0;
        b->used = 0;
        return q->failed ? failed(q, e) : ERR_OK;
    }
    pthread_mutex_lock(&q->mu);
    q->count++;
    pthread_cond_signal(&q->nonempty);
    while (q->count == Q_NBATCH)
        pthread_cond_wait(&q->nonfull, &q->mu);
    q->w = (q->head + q->count) % Q_NBATCH;
    rc = q->failed ? failed(q, e) : ERR_OK;
    pthread_mutex_unlock(&q->mu);
    return rc;
}

/* Room for one op with `need` arena bytes; publishes when full. */
static int reserve(struct imp_queue *q, size_t need, struct err *e)
{
    struct batch *b = &q->b[q->w];
    int rc;
    if (need > Q_BATCH_BYTES)
        return err_set(e, ERR_INTERNAL, "import queue: record too large");
    if (b->n < Q_BATCH_RECS && b->used + need <= Q_BATCH_BYTES)
        return ERR_OK;
    rc = publish(q, e);
    return rc;
}

static int32_t put_str(struct batch *b, const char *s)
{
    size_t n;
    int32_t off;
    if (!s)
        return -1;
    n = strlen(s) + 1;
    off = (int32_t)b->used;
    memcpy(b->arena + b->used, s, n);
    b->used += n;
    return off;
}

static size_t str_size(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

static int push(struct imp_queue *q, int op, const struct rec *r,
                const char *const *strs, int nstr, struct err *e)
{
    size_t need = 0;
    struct batch *b;
    struct qop *o;
    int rc;

    for (int i = 0; i < nstr; i++)
        need += str_size(strs[i]);
    if ((rc = reserve(q, need, e)))
        return rc;
    b = &q->b[q->w];
    o = &b->ops[b->n++];
    o->op = (unsigned char)op;
    o->kind = r ? (unsigned char)r->kind : 0;
    o->line = r ? r->line : 0;
    for (int i = 0; i < Q_NSTR; i++)
        o->off[i] = i < nstr ? put_str(b, strs[i]) : -1;
    return ERR_OK;
}

int imp_q_file_begin(struct imp_queue *q, int file_no, const char *file,
                     const char *company, const char *period,
                     const char *exported, struct err *e)
{
    const char *s[4] = {file, company, period, exported};
    struct rec r;
    memset(&r, 0, sizeof r);
    r.line = file_no;
    return push(q, OP_BEGIN, &r, s, 4, e);
}

int imp_q_put(struct imp_queue *q, const struct rec *r, struct err *e)
{
    const char *s[Q_NSTR];
    for (int i = 0; i < REC_MAX_FIELDS; i++)
        s[i] = r->val[i];
    s[REC_MAX_FIELDS] = r->text;
    s[REC_MAX_FIELDS + 1] = r->parent;
    return push(q, OP_PUT, r, s, Q_NSTR, e);
}

int imp_q_file_end(struct imp_queue *q, struct err *e)
{
    return push(q, OP_END, NULL, NULL, 0, e);
}

/* ---- life cycle ------------------------------------------------------------ */

int imp_q_new(const struct imp_q_ops *ops, void *ctx, int threaded,
              struct imp_queue **out, struct err *e)
{
    struct imp_queue *q = mem_calloc(1, sizeof *q);
    *out = NULL;
    if (!q || !(q->b = mem_calloc(Q_NBATCH, sizeof *q->b))) {
        mem_free(q);
        return err_set(e, ERR_NOMEM, "out of memory (import queue)");
    }
    q->ops = *ops;
    q->ctx = ctx;
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->nonempty, NULL);
    pthread_cond_init(&q->nonfull, NULL);
    if (threaded && stop_thread_create(&q->th, worker, q) == 0)
        q->threaded = 1;
    *out = q;
    return ERR_OK;
}

static void stop_worker(struct imp_queue *q, int discard)
{
    if (!q->threaded)
        return;
    pthread_mutex_lock(&q->mu);
    q->stop = 1;
    q->discard = discard;
    pthread_cond_signal(&q->nonempty);
    pthread_mutex_unlock(&q->mu);
    pthread_join(q->th, NULL);
    q->threaded = 0;
}

int imp_q_finish(struct imp_queue *q, struct err *e)
{
    int rc = publish(q, e);
    if (rc)
        return rc;
    if (!q->threaded)
        return ERR_OK;
    stop_worker(q, 0);
    return q->failed ? failed(q, e) : ERR_OK;
}

void imp_q_free(struct imp_queue *q)
{
    if (!q)
        return;
    stop_worker(q, 1);
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->nonempty);
    pthread_cond_destroy(&q->nonfull);
    mem_free(q->b);
    mem_free(q);
}
