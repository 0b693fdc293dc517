/* kq_inject -- an LD_PRELOAD shim that makes file system calls fail on
 * chosen paths, for the fault-injection tests (tests/sys/t_faults.sh).
 * It works without root, where a small tmpfs or a read-only mount cannot
 * be used, and hits exact points (a 1 KB PDF on a full disk, an fsync).
 *
 * Environment:
 *   KQ_INJECT_PATH   substring of the path (as opened, or of the file
 *                    behind the descriptor) that triggers a failure
 *   KQ_INJECT_OPS    comma list of: open, write, fsync, rename
 *                    (write covers write/pwrite/pwrite64/writev;
 *                    fsync covers fdatasync and syncfs)
 *   KQ_INJECT_ERRNO  ENOSPC (default), EIO, EACCES, EROFS, EDQUOT
 *   KQ_INJECT_AFTER  let this many matching calls succeed first (default 0)
 *
 * "open" fails only opens that create or write (O_WRONLY/O_RDWR/O_CREAT)
 * unless KQ_INJECT_OPS also holds "read", which fails read-only opens too
 * (an unreadable input for root, whom chmod 000 does not stop).
 *
 * It also tells a test when the process finds a file lock taken by
 * another process, with no timing involved:
 *   KQ_INJECT_BUSY_PATH    substring of the path of the locked file
 *   KQ_INJECT_BUSY_NOTIFY  a FIFO: the first time fcntl(F_SETLK) on that
 *                          file fails with EAGAIN/EACCES (SQLite then
 *                          waits for the lock), "busy" is written to it
 *                          (the open blocks until the test reads it)
 *
 * Build: cc -shared -fPIC -o kq_inject.so tests/inject/kq_inject.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static int want_op(const char *op)
{
    const char *ops = getenv("KQ_INJECT_OPS");
    size_t n = strlen(op);
    for (const char *p = ops; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && !strncmp(p, op, n))
            return 1;
        p = end ? end + 1 : NULL;
    }
    return 0;
}

static int inject_errno(void)
{
    const char *s = getenv("KQ_INJECT_ERRNO");
    if (!s || !strcmp(s, "ENOSPC"))
        return ENOSPC;
    if (!strcmp(s, "EIO"))
        return EIO;
    if (!strcmp(s, "EACCES"))
        return EACCES;
    if (!strcmp(s, "EROFS"))
        return EROFS;
    if (!strcmp(s, "EDQUOT"))
        return EDQUOT;
    return ENOSPC;
}

/* 1 when a call of kind op on path must fail (counts KQ_INJECT_AFTER). */
static int hit(const char *op, const char *path)
{
    static long seen;
    const char *pat = getenv("KQ_INJECT_PATH");
    const char *after = getenv("KQ_INJECT_AFTER");
    if (!pat || !*pat || !path || !want_op(op) || !strstr(path, pat))
        return 0;
    if (after && seen++ < strtol(after, NULL, 10))
        return 0;
    errno = inject_errno();
    return 1;
}

/* The path behind a descriptor, or "" */
static const char *fd_path(int fd, char *buf, size_t n)
{
    char link[64];
    ssize_t len;
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    len = readlink(link, buf, n - 1);
    buf[len > 0 ? len : 0] = '\0';
    return buf;
}

static int fd_hit(const char *op, int fd)
{
    char path[4096];
    if (!getenv("KQ_INJECT_PATH") || !want_op(op))
        return 0;
    return hit(op, fd_path(fd, path, sizeof path));
}

#define REAL(ret, name, ...)                                                \
    static ret (*real_##name)(__VA_ARGS__);                                 \
    if (!real_##name)                                                       \
        *(void **)&real_##name = dlsym(RTLD_NEXT, #name)

static int open_hit(const char *path, int flags)
{
    int writes = (flags & (O_WRONLY | O_RDWR | O_CREAT)) != 0;
    return (writes || want_op("read")) && hit("open", path);
}

int open(const char *path, int flags, ...);
int open(const char *path, int flags, ...)
{
    mode_t mode = 0;
    REAL(int, open, const char *, int, ...);
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    if (open_hit(path, flags))
        return -1;
    return real_open(path, flags, mode);
}

int open64(const char *path, int flags, ...);
int open64(const char *path, int flags, ...)
{
    mode_t mode = 0;
    REAL(int, open64, const char *, int, ...);
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    if (open_hit(path, flags))
        return -1;
    return real_open64(path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...)
{
    mode_t mode = 0;
    REAL(int, openat, int, const char *, int, ...);
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    if (open_hit(path, flags))
        return -1;
    return real_openat(dirfd, path, flags, mode);
}

FILE *fopen(const char *path, const char *mode);
FILE *fopen(const char *path, const char *mode)
{
    REAL(FILE *, fopen, const char *, const char *);
    if ((strpbrk(mode, "wa+") || want_op("read")) && hit("open", path))
        return NULL;
    return real_fopen(path, mode);
}

ssize_t write(int fd, const void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n)
{
    REAL(ssize_t, write, int, const void *, size_t);
    if (fd > 2 && fd_hit("write", fd))
        return -1;
    return real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off);
ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    REAL(ssize_t, pwrite, int, const void *, size_t, off_t);
    if (fd_hit("write", fd))
        return -1;
    return real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off);
ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
    REAL(ssize_t, pwrite64, int, const void *, size_t, off_t);
    if (fd_hit("write", fd))
        return -1;
    return real_pwrite64(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt);
ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
    REAL(ssize_t, writev, int, const struct iovec *, int);
    if (fd > 2 && fd_hit("write", fd))
        return -1;
    return real_writev(fd, iov, cnt);
}

int fsync(int fd);
int fsync(int fd)
{
    REAL(int, fsync, int);
    if (fd_hit("fsync", fd))
        return -1;
    return real_fsync(fd);
}

int fdatasync(int fd);
int fdatasync(int fd)
{
    REAL(int, fdatasync, int);
    if (fd_hit("fsync", fd))
        return -1;
    return real_fdatasync(fd);
}

/* syncfs(2) flushes a whole file system (fsx batches): fails like fsync
 * when the descriptor it is given matches. */
int syncfs(int fd);
int syncfs(int fd)
{
    REAL(int, syncfs, int);
    if (fd_hit("fsync", fd))
        return -1;
    return real_syncfs(fd);
}

/* fcntl(2) / fcntl64: SQLite takes its file locks with F_SETLK (glibc
 * 2.28+ links it to fcntl64).  The third argument is passed on as read. */
static void busy_seen(int fd, int cmd, long rc, int err)
{
    static int told;
    const char *pat = getenv("KQ_INJECT_BUSY_PATH");
    const char *fifo = getenv("KQ_INJECT_BUSY_NOTIFY");
    char path[4096];
    int f;
    REAL(int, open, const char *, int, ...);

    if (told || rc != -1 || (err != EAGAIN && err != EACCES) ||
        cmd != F_SETLK || !pat || !*pat || !fifo || !*fifo ||
        !strstr(fd_path(fd, path, sizeof path), pat))
        return;
    told = 1;
    if ((f = real_open(fifo, O_WRONLY | O_CLOEXEC)) >= 0) {
        REAL(ssize_t, write, int, const void *, size_t);
        if (real_write(f, "busy\n", 5) != 5) {
            /* the test then sees no "busy" and fails */
        }
        close(f);
    }
}

int fcntl(int fd, int cmd, ...);
int fcntl(int fd, int cmd, ...)
{
    va_list ap;
    void *arg;
    int rc, err;
    REAL(int, fcntl, int, int, ...);
    va_start(ap, cmd);
    arg = va_arg(ap, void *);
    va_end(ap);
    rc = real_fcntl(fd, cmd, arg);
    err = errno;
    busy_seen(fd, cmd, rc, err);
    errno = err;
    return rc;
}

int fcntl64(int fd, int cmd, ...);
int fcntl64(int fd, int cmd, ...)
{
    va_list ap;
    void *arg;
    int rc, err;
    REAL(int, fcntl64, int, int, ...);
    va_start(ap, cmd);
    arg = va_arg(ap, void *);
    va_end(ap);
    rc = real_fcntl64(fd, cmd, arg);
    err = errno;
    busy_seen(fd, cmd, rc, err);
    errno = err;
    return rc;
}

int rename(const char *from, const char *to);
int rename(const char *from, const char *to)
{
    REAL(int, rename, const char *, const char *);
    if (hit("rename", to))
        return -1;
    return real_rename(from, to);
}
