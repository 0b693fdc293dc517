/* fsx -- files written atomically, and small file-system helpers.
 *
 * An output is written to "<dir>/.<name>.tmp.<pid>" in the folder of its
 * final name, flushed, fsync'ed, closed and renamed; the folder is then
 * fsync'ed.  A crash, kill -9 or full disk therefore never leaves a
 * truncated file under a final name: either the old file (or nothing) or
 * the complete new one is there.
 */
#ifndef KQ_FSX_H
#define KQ_FSX_H

#include <stdio.h>
#include <stddef.h>

struct err;

struct fsx_out {
    FILE *fp;     /* write here between fsx_open and fsx_commit/abort */
    char *tmp;    /* owned: temporary path */
    char *final;  /* owned: final path */
};

/* Open a temporary file next to `path`.  When path exists and is a
 * character device or a FIFO (/dev/null, a pipe) it is opened and written
 * in place instead - a rename over it would replace the device.  ERR_OK,
 * or ERR_CANTCREAT (also for a folder or another kind of file). */
int fsx_open(struct fsx_out *o, const char *path, struct err *e);

/* Flush, sync, close and rename into place.  On failure the temporary
 * file is removed and ERR_IO (e.g. ENOSPC) is returned; o is always
 * released. */
int fsx_commit(struct fsx_out *o, struct err *e);

/* Close and remove the temporary file; o is released.  Safe to call on a
 * zeroed or already-released o. */
void fsx_abort(struct fsx_out *o);

/* Write a whole buffer atomically to path. */
int fsx_write_file(const char *path, const void *data, size_t n,
                   struct err *e);

/* ---- batches ---------------------------------------------------------
 * Many small outputs (a period's PDFs) committed together: each is written
 * to its temporary name at once but not synced; fsx_batch_commit makes
 * all of them durable with one syncfs(2), then renames each into place
 * and syncs the folders.  The guarantee is the same as fsx_commit's (a
 * final name only ever holds a complete file) at one device flush per
 * batch instead of one per file. */
struct fsx_batch {
    char **tmp, **final;   /* owned, [0..n) */
    size_t n, cap;
};

void fsx_batch_init(struct fsx_batch *b);
/* Write data[0..n) to a temporary file next to path and remember it.
 * ERR_CANTCREAT, ERR_IO (e.g. ENOSPC; the temporary file is removed),
 * ERR_NOMEM. */
int fsx_batch_write(struct fsx_batch *b, const char *path, const void *data,
                    size_t n, struct err *e);
/* Sync and rename every file written since the last commit.  On failure
 * the files not yet renamed are removed (those renamed are complete).
 * The batch is empty afterwards either way. */
int fsx_batch_commit(struct fsx_batch *b, struct err *e);
/* Remove the temporary files not committed and release the batch's
 * memory: call it when done with a batch, committed or not. */
void fsx_batch_abort(struct fsx_batch *b);
size_t fsx_batch_count(const struct fsx_batch *b);

/* ---- folder locks ----------------------------------------------------
 * An output folder has one owner at a time: an fcntl(2) write lock on
 * the empty file "<dir>/.keqing.lock" (the kernel knows the owner's
 * pid, which a refusal names), released by
 * fsx_unlock or when the owning process ends in any way, kill -9
 * included.  Child processes do not inherit it. */

/* Lock dir (existing), waiting up to wait_ms for another owner to let
 * go.  *fd receives the lock's descriptor (fsx_unlock).  ERR_BUSY naming
 * the owner's pid when it is still held, ERR_CANTCREAT when the lock file
 * cannot be made. */
int fsx_lock(const char *dir, long wait_ms, int *fd, struct err *e);

/* Release a lock from fsx_lock (fd < 0: nothing to do). */
void fsx_unlock(int fd);

/* mkdir -p.  ERR_OK or ERR_CANTCREAT. */
int fsx_mkdirs(const char *path, struct err *e);

/* Read a whole file (at most max bytes) into a NUL-terminated owned
 * buffer.  ERR_NOINPUT when missing/unreadable, ERR_DATA when larger
 * than max, ERR_NOMEM. */
int fsx_read_file(const char *path, size_t max, char **data, size_t *n,
                  struct err *e);

/* sha256 of a file as 64 lowercase hex digits plus NUL, and its size. */
int fsx_sha256_file(const char *path, char hex[65], long long *bytes,
                    struct err *e);

#endif
