/* fsx -- atomic file output and file helpers (see fsx.h). */
#include "fsx.h"
#include "err.h"
#include "mem.h"
#include "sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
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

int fsx_open(struct fsx_out *o, const char *path, struct err *e)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t dlen = slash ? (size_t)(slash - path) + 1 : 0;
    size_t n = strlen(path) + 32;
    int fd;

    memset(o, 0, sizeof *o);
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
    else if (fsync(fileno(o->fp)) != 0)
        saved = errno;
    if (fclose(o->fp) != 0 && !saved)
        saved = errno;
    o->fp = NULL;
    if (saved) {
        rc = err_set(e, ERR_IO, "%s: cannot write: %s", o->final,
                     strerror(saved));
        unlink(o->tmp);
        release(o);
        return rc;
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
