/* manifest -- writing OUT/YYYY-MM/manifest.csv (see render_manifest.h). */
#include "render_manifest.h"
#include "csvout.h"
#include "err.h"
#include "fsx.h"
#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void render_manifest_init(struct render_manifest *m)
{
    memset(m, 0, sizeof *m);
}

static void row_free(struct render_manifest_row *r)
{
    mem_free(r->path);
    mem_free(r->kind);
    mem_free(r->subject);
}

void render_manifest_free(struct render_manifest *m)
{
    for (size_t i = 0; i < m->n; i++)
        row_free(&m->rows[i]);
    mem_free(m->rows);
    render_manifest_init(m);
}

/* 1 when p is a clean relative path: no leading '/', no empty, "." or
 * ".." component, no control character. */
static int relative_path(const char *p)
{
    const char *c = p;

    if (!*p || *p == '/')
        return 0;
    for (const char *s = p; *s; s++)
        if ((unsigned char)*s < 0x20)
            return 0;
    while (*c) {
        size_t n = strcspn(c, "/");
        if (n == 0 || (n == 1 && c[0] == '.') ||
            (n == 2 && c[0] == '.' && c[1] == '.'))
            return 0;
        c += n;
        if (*c == '/' && !*++c)
            return 0;       /* trailing '/' */
    }
    return 1;
}

static int is_hex64(const char *h)
{
    if (!h || strlen(h) != 64)
        return 0;
    return strspn(h, "0123456789abcdef") == 64;
}

static int grow(struct render_manifest *m, struct err *e)
{
    size_t cap;
    struct render_manifest_row *rows;

    if (m->n < m->cap)
        return ERR_OK;
    if (m->n >= RENDER_MANIFEST_MAX_ROWS)
        return err_set(e, ERR_DATA, "manifest: more than %d files",
                       RENDER_MANIFEST_MAX_ROWS);
    cap = m->cap ? m->cap * 2 : 64;
    rows = mem_realloc(m->rows, cap * sizeof *rows);
    if (!rows)
        return err_set(e, ERR_NOMEM, "manifest: out of memory");
    m->rows = rows;
    m->cap = cap;
    return ERR_OK;
}

int render_manifest_add(struct render_manifest *m, const char *path,
                        const char *sha256, long long bytes, const char *kind,
                        const char *subject, struct err *e)
{
    struct render_manifest_row *r;
    int rc;

    if (!path || !relative_path(path))
        return err_set(e, ERR_USAGE, "manifest: '%s' is not a relative "
                       "path", path ? path : "(null)");
    if (!is_hex64(sha256) || bytes < 0 || !kind || !*kind)
        return err_set(e, ERR_USAGE, "manifest: %s: bad hash, size or kind",
                       path);
    if ((rc = grow(m, e)))
        return rc;
    r = &m->rows[m->n];
    memset(r, 0, sizeof *r);
    r->path = mem_strdup(path);
    r->kind = mem_strdup(kind);
    r->subject = mem_strdup(subject ? subject : "");
    if (!r->path || !r->kind || !r->subject) {
        row_free(r);
        return err_set(e, ERR_NOMEM, "manifest: out of memory");
    }
    memcpy(r->sha256, sha256, 65);
    r->bytes = bytes;
    m->n++;
    return ERR_OK;
}

int render_manifest_add_file(struct render_manifest *m, const char *dir,
                             const char *rel, const char *kind,
                             const char *subject, struct err *e)
{
    size_t n = strlen(dir) + strlen(rel) + 2;
    char *full = mem_malloc(n), hex[65];
    long long bytes = 0;
    int rc;

    if (!full)
        return err_set(e, ERR_NOMEM, "manifest: out of memory");
    snprintf(full, n, "%s/%s", dir, rel);
    rc = fsx_sha256_file(full, hex, &bytes, e);
    mem_free(full);
    if (rc)
        return rc;
    return render_manifest_add(m, rel, hex, bytes, kind, subject, e);
}

static int cmp_row(const void *a, const void *b)
{
    const struct render_manifest_row *x = a, *y = b;
    return strcmp(x->path, y->path);
}

int render_manifest_write(struct render_manifest *m, const char *dir,
                          struct err *e)
{
    struct fsx_out o;
    size_t n = strlen(dir) + sizeof RENDER_MANIFEST_NAME + 1;
    char *path;
    int rc;

    if (m->n > 1)
        qsort(m->rows, m->n, sizeof *m->rows, cmp_row);
    for (size_t i = 1; i < m->n; i++)
        if (!strcmp(m->rows[i - 1].path, m->rows[i].path))
            return err_set(e, ERR_INTERNAL, "manifest: %s listed twice",
                           m->rows[i].path);
    if (!(path = mem_malloc(n)))
        return err_set(e, ERR_NOMEM, "manifest: out of memory");
    snprintf(path, n, "%s/%s", dir, RENDER_MANIFEST_NAME);
    rc = fsx_open(&o, path, e);
    mem_free(path);
    if (rc)
        return rc;
    fputs(RENDER_MANIFEST_HEADER "\n", o.fp);
    for (size_t i = 0; i < m->n; i++) {
        const struct render_manifest_row *r = &m->rows[i];
        csvout_field(o.fp, r->path);
        fprintf(o.fp, ",%s,%lld,", r->sha256, r->bytes);
        csvout_field(o.fp, r->kind);
        fputc(',', o.fp);
        csvout_field(o.fp, r->subject);
        fputc('\n', o.fp);
    }
    return fsx_commit(&o, e);
}
