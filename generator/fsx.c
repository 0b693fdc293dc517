/* fsx -- atomic file output and file helpers (see fsx.h). */
#define _GNU_SOURCE /* syncfs(2) */
#include "fsx.h"
#include "err.h"
#include "mem.h"
#include "sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <limits.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return mem_strdup(".");
    if (slash == path)
        return mem_strdup("/");
    return mem_strndup(path, (size_t)(slash - path));
}

/* path exists and is no regular file: a character device (/dev/null,
 * a terminal) or a FIFO is written directly - renaming a file over it
 * would replace the device; anything else is refused. */
static int open_special(struct fsx_out *o, const char *path,
                        const struct stat *sb, struct err *e)
{
    int fd;

    if (S_ISDIR(sb->st_mode))
        return err_set(e, ERR_CANTCREAT, "%s: is a folder, not a file",
                       path);
    if (!S_ISCHR(sb->st_mode) && !S_ISFIFO(sb->st_mode))
        return err_set(e, ERR_CANTCREAT, "%s: is not a regular file, a "
                       "device or a pipe", path);
    if (!(o->final = mem_strdup(path)))
        return err_set(e, ERR_NOMEM, "%s: out of memory", path);
    fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || !(o->fp = fdopen(fd, "wb"))) {
        int saved = errno;
        if (fd >= 0)
            close(fd);
        mem_free(o->final);
        o->final = NULL;
        return err_set(e, ERR_CANTCREAT, "%s: cannot open: %s", path,
                       strerror(saved));
    }
    return ERR_OK;          /* o->tmp NULL: written in place */
}

int fsx_open(struct fsx_out *o, const char *path, struct err *e)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t dlen = slash ? (size_t)(slash - path) + 1 : 0;
    size_t n = strlen(path) + 32;
    int fd;

    struct stat sb;

    memset(o, 0, sizeof *o);
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
        return open_special(o, path, &sb, e);
    o->final = mem_strdup(path);
    o->tmp = mem_malloc(n);
    if (!o->final || !o->tmp) {
        fsx_abort(o);
        return err_set(e, ERR_NOMEM, "%s: out of memory", path);
    }
    snprintf(o->tmp, n, "%.*s.%s.tmp.%ld", (int)dlen, path, base,
             (long)getpid());
    fd = open(o->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        int saved = errno;
        mem_free(o->tmp);
        o->tmp = NULL;
        fsx_abort(o);
        return err_set(e, ERR_CANTCREAT, "%s: cannot create: %s", path,
                       strerror(saved));
    }
    o->fp = fdopen(fd, "wb");
    if (!o->fp) {
        close(fd);
        fsx_abort(o);
        return err_set(e, ERR_NOMEM, "%s: out of memory", path);
    }
    return ERR_OK;
}

static void release(struct fsx_out *o)
{
    mem_free(o->tmp);
    mem_free(o->final);
    o->tmp = o->final = NULL;
    o->fp = NULL;
}

void fsx_abort(struct fsx_out *o)
{
    if (o->fp)
        fclose(o->fp);
    if (o->tmp)
        unlink(o->tmp);
    release(o);
}

int fsx_commit(struct fsx_out *o, struct err *e)
{
    int rc = ERR_OK, saved = 0;
    char *dir;

    if (fflush(o->fp) != 0 || ferror(o->fp))
        saved = errno ? errno : EIO;
    else if (o->tmp && fsync(fileno(o->fp)) != 0)
        saved = errno;
    if (fclose(o->fp) != 0 && !saved)
        saved = errno;
    o->fp = NULL;
    if (saved) {
        rc = err_set(e, ERR_IO, "%s: cannot write: %s", o->final,
                     strerror(saved));
        if (o->tmp)
            unlink(o->tmp);
        release(o);
        return rc;
    }
    if (!o->tmp) {              /* a device or pipe: written in place */
        release(o);
        return ERR_OK;
    }
    if (rename(o->tmp, o->final) != 0) {
        saved = errno;
        unlink(o->tmp);
        rc = err_set(e, ERR_IO, "%s: cannot rename into place: %s",
                     o->final, strerror(saved));
        release(o);
        return rc;
    }
    dir = dir_of(o->final);
    if (dir) {
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            (void)fsync(dfd); /* best effort: some file systems refuse */
            close(dfd);
        }
        mem_free(dir);
    }
    release(o);
    return ERR_OK;
}

int fsx_write_file(const char *path, const void *data, size_t n,
                   struct err *e)
{
    struct fsx_out o;
    int rc = fsx_open(&o, path, e);
    if (rc)
        return rc;
    if (n && fwrite(data, 1, n, o.fp) != n) {
        int saved = errno;
        fsx_abort(&o);
        return err_set(e, ERR_IO, "%s: cannot write: %s", path,
                       strerror(saved));
    }
    return fsx_commit(&o, e);
}

int fsx_mkdirs(const char *path, struct err *e)
{
    char *p = mem_strdup(path);
    if (!p)
        return err_set(e, ERR_NOMEM, "out of memory");
    for (char *s = p + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0755) != 0 && errno != EEXIST) {
                int saved = errno;
                int rc = err_set(e, ERR_CANTCREAT, "%s: cannot create folder: %s",
                                 p, strerror(saved));
                mem_free(p);
                return rc;
            }
            *s = c;
            if (c == '\0')
                break;
        }
    }
    mem_free(p);
    return ERR_OK;
}

int fsx_read_file(const char *path, size_t max, char **data, size_t *n,
                  struct err *e)
{
    FILE *fp = fopen(path, "rb");
    char *p = NULL;
    size_t len = 0, cap = 0;

    *data = NULL;
    if (n)
        *n = 0;
    if (!fp)
        return err_set(e, ERR_NOINPUT, "%s: cannot open: %s", path,
                       strerror(errno));
    for (;;) {
        size_t got;
        if (cap - len < 4096) {
            size_t nc = cap ? cap * 2 : 8192;
            char *np = mem_realloc(p, nc + 1);
            if (!np) {
                mem_free(p);
                fclose(fp);
                return err_set(e, ERR_NOMEM, "%s: out of memory", path);
            }
            p = np;
            cap = nc;
        }
        got = fread(p + len, 1, cap - len, fp);
        len += got;
        if (len > max) {
            mem_free(p);
            fclose(fp);
            return err_set(e, ERR_DATA, "%s: larger than %zu bytes", path,
                           max);
        }
        if (got == 0)
            break;
    }
    if (ferror(fp)) {
        int saved = errno;
        mem_free(p);
        fclose(fp);
        return err_set(e, ERR_IO, "%s: read error: %s", path,
                       strerror(saved));
    }
    fclose(fp);
    p[len] = '\0';
    *data = p;
    if (n)
        *n = len;
    return ERR_OK;
}

int fsx_sha256_file(const char *path, char hex[65], long long *bytes,
                    struct err *e)
{
    unsigned char chunk[65536], digest[32];
    struct sha256 ctx;
    long long total = 0;
    size_t got;
    FILE *fp = fopen(path, "rb");

    if (!fp)
        return err_set(e, ERR_NOINPUT, "%s: cannot open: %s", path,
                       strerror(errno));
    sha256_init(&ctx);
    while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        sha256_update(&ctx, chunk, got);
        total += (long long)got;
    }
    if (ferror(fp)) {
        int saved = errno;
        fclose(fp);
        return err_set(e, ERR_IO, "%s: read error: %s", path,
                       strerror(saved));
    }
    fclose(fp);
    sha256_final(&ctx, digest);
    sha256_hex(digest, hex);
    if (bytes)
        *bytes = total;
    return ERR_OK;
}

/* ---- batches ---------------------------------------------------------- */

void fsx_batch_init(struct fsx_batch *b)
{
    b->tmp = b->final = NULL;
    b->n = b->cap = 0;
}

size_t fsx_batch_count(const struct fsx_batch *b)
{
    return b->n;
}

static void batch_drop(struct fsx_batch *b, size_t from, int unlink_tmp)
{
    for (size_t i = from; i < b->n; i++) {
        if (unlink_tmp)
            unlink(b->tmp[i]);
        mem_free(b->tmp[i]);
        mem_free(b->final[i]);
    }
    for (size_t i = 0; i < from; i++) {
        mem_free(b->tmp[i]);
        mem_free(b->final[i]);
    }
    b->n = 0;
}

int fsx_batch_write(struct fsx_batch *b, const char *path, const void *data,
                    size_t n, struct err *e)
{
    struct fsx_out o;
    int rc, saved;

    if (b->n == b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 32;
        char **t = mem_realloc(b->tmp, nc * sizeof *t);
        char **f;
        if (!t)
            return err_set(e, ERR_NOMEM, "%s: out of memory", path);
        b->tmp = t;
        f = mem_realloc(b->final, nc * sizeof *f);
        if (!f)
            return err_set(e, ERR_NOMEM, "%s: out of memory", path);
        b->final = f;
        b->cap = nc;
    }
    rc = fsx_open(&o, path, e);
    if (rc)
        return rc;
    if ((n && fwrite(data, 1, n, o.fp) != n) || fflush(o.fp) != 0) {
        saved = errno ? errno : EIO;
        fsx_abort(&o);
        return err_set(e, ERR_IO, "%s: cannot write: %s", path, strerror(saved));
    }
    if (fclose(o.fp) != 0) {
        saved = errno;
        o.fp = NULL;
        fsx_abort(&o);
        return err_set(e, ERR_IO, "%s: cannot write: %s", path, strerror(saved));
    }
    b->tmp[b->n] = o.tmp;     /* ownership moves to the batch */
    b->final[b->n] = o.final;
    b->n++;
    return ERR_OK;
}

static void sync_dir_of(const char *path)
{
    char *dir = dir_of(path);
    if (dir) {
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            (void)fsync(dfd);
            close(dfd);
        }
        mem_free(dir);
    }
}

int fsx_batch_commit(struct fsx_batch *b, struct err *e)
{
    size_t i;
    int fd;

    if (b->n == 0)
        return ERR_OK;
    /* one flush for every file of the batch (they share a file system:
     * each sits in the folder of its final name, and a batch is one
     * output tree) */
    fd = open(b->tmp[0], O_RDONLY | O_CLOEXEC);
    if (fd < 0 || syncfs(fd) != 0) {
        int saved = errno;
        if (fd >= 0)
            close(fd);
        batch_drop(b, 0, 1);
        return err_set(e, ERR_IO, "cannot sync outputs: %s", strerror(saved));
    }
    close(fd);
    for (i = 0; i < b->n; i++)
        if (rename(b->tmp[i], b->final[i]) != 0) {
            int saved = errno;
            int rc = err_set(e, ERR_IO, "%s: cannot rename into place: %s",
                             b->final[i], strerror(saved));
            batch_drop(b, i, 1);
            return rc;
        }
    for (i = 0; i < b->n; i++) {
        const char *sl = strrchr(b->final[i], '/');
        const char *psl = i ? strrchr(b->final[i - 1], '/') : NULL;
        size_t dl = sl ? (size_t)(sl - b->final[i]) : 0;
        size_t pdl = psl ? (size_t)(psl - b->final[i - 1]) : 0;
        if (i == 0 || dl != pdl || strncmp(b->final[i], b->final[i - 1], dl))
            sync_dir_of(b->final[i]);
    }
    batch_drop(b, b->n, 0);
    return ERR_OK;
}

void fsx_batch_abort(struct fsx_batch *b)
{
    batch_drop(b, 0, 1);
    mem_free(b->tmp);
    mem_free(b->final);
    fsx_batch_init(b);
}

/* ---- folder locks --------------------------------------------------------- */

int fsx_lock(const char *dir, long wait_ms, int *fd, struct err *e)
{
    char path[PATH_MAX + 32], pid[32] = "";
    struct flock fl;
    const struct timespec nap = {0, 20 * 1000000L};
    long waited = 0;
    int f;

    *fd = -1;
    if ((size_t)snprintf(path, sizeof path, "%s/.keqing.lock", dir) >=
        sizeof path)
        return err_set(e, ERR_CANTCREAT, "%s: path too long", dir);
    if ((f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0)
        return err_set(e, ERR_CANTCREAT, "%s: cannot create the lock: %s",
                       path, strerror(errno));
    for (;;) {
        memset(&fl, 0, sizeof fl);
        fl.l_type = F_WRLCK;
        fl.l_whence = SEEK_SET;
        if (fcntl(f, F_SETLK, &fl) == 0)
            break;
        if (errno != EACCES && errno != EAGAIN) {
            int rc = err_set(e, ERR_IO, "%s: cannot lock: %s", path,
                             strerror(errno));
            close(f);
            return rc;
        }
        if (waited >= wait_ms) {
            /* the owner, as the kernel knows it (the file stays empty, so
             * the folder's bytes do not depend on who rendered it) */
            memset(&fl, 0, sizeof fl);
            fl.l_type = F_WRLCK;
            fl.l_whence = SEEK_SET;
            if (fcntl(f, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK)
                snprintf(pid, sizeof pid, "%ld", (long)fl.l_pid);
            close(f);
            return err_set(e, ERR_BUSY, "%s: another keqing (pid %s) is "
                           "writing this folder; try again when it is done",
                           dir, pid[0] ? pid : "?");
        }
        nanosleep(&nap, NULL);
        waited += 20;
    }
    *fd = f;
    return ERR_OK;
}

void fsx_unlock(int fd)
{
    if (fd >= 0)
        close(fd);      /* closing releases the process's fcntl locks */
}
