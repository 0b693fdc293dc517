/* pdf_att -- attachments: files a document carries (pdf.h, issue 6).
 *
 * pdf_attach checks and keeps a copy of each file, in name order;
 * pdf_render then embeds them (pdf_att_write, through libharu) as
 * EmbeddedFile streams (deflated, /Params /Size, no dates: deterministic)
 * behind Filespec dictionaries listed, sorted by name, in the catalog's
 * /Names /EmbeddedFiles name tree, so `pdfdetach -list` shows them.
 * Books (pdf_book.c) carry none.
 */
#include "pdf.h"
#include "pdf_int.h"
#include "err.h"
#include "mem.h"

#include <hpdf.h>

#include <string.h>

struct pdf_att {
    char *name, *mime;      /* owned */
    unsigned char *data;    /* owned; len bytes (a NULL for len 0) */
    size_t len;
};

/* 1 when s is 1..max printable ASCII characters other than '\\' and,
 * unless slash, '/' (a file name any reader shows as it is). */
static int att_name_ok(const char *s, size_t max, int slash)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > max)
        return 0;
    for (; *s; s++)
        if (*s < 0x20 || *s > 0x7E || (*s == '/' && !slash) || *s == '\\')
            return 0;
    return 1;
}

void pdf_att_free(struct pdf *d)
{
    for (size_t i = 0; i < d->natt; i++) {
        mem_free(d->att[i].name);
        mem_free(d->att[i].mime);
        mem_free(d->att[i].data);
    }
    mem_free(d->att);
    d->att = NULL;
    d->natt = 0;
}

int pdf_attach(struct pdf *d, const char *name, const char *mime,
               const void *data, size_t len, struct err *e)
{
    struct pdf_att a, *grown;
    size_t at = 0;

    if (!att_name_ok(name, PDF_ATTACH_NAME_MAX, 0) ||
        !att_name_ok(mime, PDF_ATTACH_NAME_MAX, 1) || !strchr(mime, '/'))
        return err_set(e, ERR_USAGE, "pdf: attachment \"%.40s\" (%.40s): "
                       "name or type is not printable ASCII",
                       name ? name : "", mime ? mime : "");
    if (len > PDF_ATTACH_MAX_BYTES || d->natt >= PDF_ATTACH_MAX)
        return err_set(e, ERR_DATA, "pdf: attachment %s: more than %d files "
                       "or %zu bytes", name, PDF_ATTACH_MAX,
                       (size_t)PDF_ATTACH_MAX_BYTES);
    while (at < d->natt && strcmp(d->att[at].name, name) < 0)
        at++;
    if (at < d->natt && !strcmp(d->att[at].name, name))
        return err_set(e, ERR_USAGE, "pdf: attachment %s added twice", name);
    memset(&a, 0, sizeof a);
    a.name = mem_strdup(name);
    a.mime = mem_strdup(mime);
    a.data = len ? mem_malloc(len) : NULL;
    grown = mem_realloc(d->att, (d->natt + 1) * sizeof *grown);
    if (grown)
        d->att = grown;
    if (!a.name || !a.mime || (len && !a.data) || !grown) {
        mem_free(a.name);
        mem_free(a.mime);
        mem_free(a.data);
        return pdf_nomem(e);
    }
    if (len)
        memcpy(a.data, data, len);
    a.len = len;
    memmove(&d->att[at + 1], &d->att[at], (d->natt - at) * sizeof *d->att);
    d->att[at] = a;
    d->natt++;
    return ERR_OK;
}

size_t pdf_attachment_count(const struct pdf *d)
{
    return d->natt;
}

/* The EmbeddedFile stream of a: deflated data, its type and size. */
static int att_stream(struct pdf_render *r, const struct pdf_att *a,
                      HPDF_Dict *out)
{
    HPDF_Dict params;
    HPDF_STATUS st;
    int rc = pdf_hstream(r, out, a->data, a->len, "embedding a file");

    if (rc != ERR_OK)
        return rc;
    params = HPDF_Dict_New(r->doc->mmgr);
    if ((rc = pdf_hptr(r, params, "embedding a file")) != ERR_OK)
        return rc;
    st = HPDF_Dict_AddName(*out, "Type", "EmbeddedFile");
    st |= HPDF_Dict_AddName(*out, "Subtype", a->mime);
    st |= HPDF_Dict_AddNumber(params, "Size", (HPDF_INT32)a->len);
    st |= HPDF_Dict_Add(*out, "Params", params);
    return pdf_hcheck(r, st, "embedding a file");
}

/* The Filespec of a, pointing at its stream. */
static int att_filespec(struct pdf_render *r, const struct pdf_att *a,
                        HPDF_Dict *out)
{
    HPDF_MMgr mm = r->doc->mmgr;
    HPDF_Dict stream = NULL, ef;
    HPDF_STATUS st;
    int rc = att_stream(r, a, &stream);

    if (rc == ERR_OK)
        rc = pdf_hdict(r, out, "embedding a file");
    if (rc != ERR_OK)
        return rc;
    ef = HPDF_Dict_New(mm);
    if ((rc = pdf_hptr(r, ef, "embedding a file")) != ERR_OK)
        return rc;
    st = HPDF_Dict_AddName(*out, "Type", "Filespec");
    st |= HPDF_Dict_Add(*out, "F", HPDF_String_New(mm, a->name, NULL));
    st |= HPDF_Dict_Add(*out, "UF", HPDF_String_New(mm, a->name, NULL));
    st |= HPDF_Dict_Add(ef, "F", stream);
    st |= HPDF_Dict_Add(*out, "EF", ef);
    return pdf_hcheck(r, st, "embedding a file");
}

/* /Names << /EmbeddedFiles << /Names [(name) filespec ...] >> >> in the
 * catalog, keys in name order (d->att is kept sorted). */
int pdf_att_write(struct pdf_render *r)
{
    const struct pdf *d = r->d;
    HPDF_MMgr mm;
    HPDF_Dict names, tree;
    HPDF_Array arr;
    HPDF_STATUS st;
    int rc = ERR_OK;

    if (d->natt == 0)
        return ERR_OK;
    mm = r->doc->mmgr;
    names = HPDF_Dict_GetItem(r->doc->catalog, "Names", HPDF_OCLASS_DICT);
    if (!names) {
        names = HPDF_Dict_New(mm);
        if ((rc = pdf_hptr(r, names, "embedding a file")) != ERR_OK ||
            (rc = pdf_hcheck(r, HPDF_Dict_Add(r->doc->catalog, "Names",
                                              names),
                             "embedding a file")) != ERR_OK)
            return rc;
    }
    tree = HPDF_Dict_New(mm);
    arr = HPDF_Array_New(mm);
    if ((rc = pdf_hptr(r, tree && arr ? tree : NULL, "embedding a file")))
        return rc;
    st = HPDF_Dict_Add(names, "EmbeddedFiles", tree);
    st |= HPDF_Dict_Add(tree, "Names", arr);
    if ((rc = pdf_hcheck(r, st, "embedding a file")) != ERR_OK)
        return rc;
    for (size_t i = 0; i < d->natt && rc == ERR_OK; i++) {
        HPDF_Dict spec = NULL;
        rc = att_filespec(r, &d->att[i], &spec);
        if (rc == ERR_OK) {
            st = HPDF_Array_Add(arr, HPDF_String_New(mm, d->att[i].name,
                                                     NULL));
            st |= HPDF_Array_Add(arr, spec);
            rc = pdf_hcheck(r, st, "embedding a file");
        }
    }
    return rc;
}
