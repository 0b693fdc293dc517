/* pdf_render -- one document through libharu 2.3.0 (pdf_render, pdf_save;
 * see pdf.h, doc/fonts.md).
 *
 * For one recording (pdf.c), pdf_render:
 *   1. creates an HPDF_Doc with an error handler that only records the
 *      first error (never longjmp; any error ends this document);
 *   2. splits the characters used between the faces of the font's chain
 *      (font_draw_pos) and subsets each face that draws any
 *      (font_subset_new_flags, outline tables only): codes 1..n, one per
 *      character in code point order;
 *   3. builds each Type0/CIDFontType2 font itself with libharu's object
 *      API from pdf_font.c's data: FontFile2 = the subset, CIDToGIDMap,
 *      /W in runs, a bfchar ToUnicode (libharu's own font path,
 *      HPDF_GetFont, loops over all 65,536 codes and writes a malformed
 *      ToUnicode);
 *   4. replays the ops into each page's content stream (pdf_content.c);
 *   5. sets Info (UTF-16BE strings), embeds the attachments (pdf_att.c)
 *      and saves to a memory stream.
 * Every stream is deflated by pdf_deflate.c (three times as fast as
 * libharu's zlib for the same size) and handed to libharu unfiltered; a
 * write_fn adds /Filter /FlateDecode to its dictionary.  The internal
 * object API is declared (Debian builds without HPDF_SHARED) and exported
 * by libhpdf.so.
 */
#include "pdf.h"
#include "pdf_int.h"
#include "buf.h"
#include "date.h"
#include "err.h"
#include "font.h"
#include "fsx.h"
#include "mem.h"
#include "text.h"

#include <hpdf.h>

#include <stdio.h>
#include <string.h>

/* ---- libharu plumbing ------------------------------------------------- */

static void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no,
                          void *user_data)
{
    struct pdf_render *r = user_data;
    if (r->err_no == 0) {
        r->err_no = error_no;
        r->detail_no = detail_no;
    }
}

int pdf_hcheck(struct pdf_render *r, HPDF_STATUS st, const char *step)
{
    HPDF_STATUS no = r->err_no;

    if (!no && r->doc)
        no = HPDF_GetError(r->doc);
    if (!no && st == HPDF_OK)
        return ERR_OK;
    if (!no)
        no = st;
    if (r->err_no == 0) {
        r->err_no = no;
        r->detail_no = r->doc ? HPDF_GetErrorDetail(r->doc) : 0;
    }
    return err_set(r->e, no == HPDF_FAILD_TO_ALLOC_MEM ? ERR_NOMEM
                                                       : ERR_INTERNAL,
                   "pdf: libharu error 0x%04X (detail %u) while %s",
                   (unsigned)no, (unsigned)r->detail_no, step);
}

int pdf_hptr(struct pdf_render *r, const void *p, const char *step)
{
    return pdf_hcheck(r, p ? HPDF_OK : HPDF_FAILD_TO_ALLOC_MEM, step);
}

/* write_fn of a stream dictionary whose data keep is already deflated:
 * libharu writes the other keys, this adds the filter. */
static HPDF_STATUS write_flate_key(HPDF_Dict dict, HPDF_Stream out)
{
    (void)dict;
    return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/* Deflate data[0..len) into the stream of ds, which libharu then writes
 * as it is, marked /FlateDecode. */
static int put_deflated(struct pdf_render *r, HPDF_Dict ds, const void *data,
                        size_t len, const char *step)
{
    int rc = pdf_deflate(r->z, &r->zb, data, len);

    if (rc == ERR_NOMEM)
        return pdf_nomem(r->e);
    if (rc != ERR_OK)
        return err_set(r->e, ERR_INTERNAL, "pdf: deflate failed while %s",
                       step);
    ds->filter = HPDF_STREAM_FILTER_NONE;
    ds->write_fn = write_flate_key;
    return pdf_hcheck(r, HPDF_Stream_Write(ds->stream, r->zb.p,
                                           (HPDF_UINT)r->zb.n),
                      step);
}

int pdf_hstream(struct pdf_render *r, HPDF_Dict *out, const void *data,
                size_t len, const char *step)
{
    int rc;

    *out = HPDF_DictStream_New(r->doc->mmgr, r->doc->xref);
    rc = pdf_hptr(r, *out, step);
    return rc == ERR_OK ? put_deflated(r, *out, data, len, step) : rc;
}

int pdf_hdict(struct pdf_render *r, HPDF_Dict *out, const char *step)
{
    int rc;

    *out = HPDF_Dict_New(r->doc->mmgr);
    rc = pdf_hptr(r, *out, step);
    return rc == ERR_OK ? pdf_hcheck(r, HPDF_Xref_Add(r->doc->xref, *out),
                                     step)
                        : rc;
}

/* ---- the fonts -------------------------------------------------------- */

/* key of dict: a new stream of what fill(fd, ...) writes. */
static int add_stream(struct pdf_render *r, HPDF_Dict dict, const char *key,
                      int (*fill)(const struct pdf_font_data *fd,
                                  struct buf *b),
                      const struct pdf_font_data *fd, const char *step)
{
    HPDF_Dict ds;
    int rc;

    buf_reset(&r->cs.out);
    if (fill(fd, &r->cs.out) != ERR_OK)
        return pdf_nomem(r->e);
    rc = pdf_hstream(r, &ds, r->cs.out.p, r->cs.out.len, step);
    return rc == ERR_OK ? pdf_hcheck(r, HPDF_Dict_Add(dict, key, ds), step)
                        : rc;
}

/* The CIDToGIDMap: /Identity when code i draws glyph i (font_ttf.c numbers
 * a PDF subset's glyphs so unless two characters share one), else a
 * stream. */
static int write_cid_map(struct pdf_render *r, const struct pdf_font_data *fd,
                         HPDF_Dict cidfont)
{
    if (pdf_font_identity(fd))
        return pdf_hcheck(r, HPDF_Dict_AddName(cidfont, "CIDToGIDMap",
                                               "Identity"),
                          "writing the CIDToGIDMap");
    return add_stream(r, cidfont, "CIDToGIDMap", pdf_font_cid_map, fd,
                      "writing the CIDToGIDMap");
}

/* /W (runs "code [w w ...]" of the widths that are not /DW), then /DW. */
static int write_widths(struct pdf_render *r, const struct pdf_font_data *fd,
                        HPDF_Dict cidfont)
{
    HPDF_Array arr = HPDF_Array_New(r->doc->mmgr), run;
    size_t code = 1, len;
    int rc = pdf_hcheck(r, HPDF_Dict_Add(cidfont, "W", arr),
                        "writing widths");

    if (rc == ERR_OK) /* arr (NULL: error above) is cidfont's from here */
        rc = pdf_hcheck(r, HPDF_Dict_AddNumber(cidfont, "DW", fd->dw),
                        "writing widths");
    for (; rc == ERR_OK && pdf_font_width_run(fd, &code, &len);
         code += len) {
        rc = pdf_hcheck(r, HPDF_Array_AddNumber(arr, (HPDF_INT32)code),
                        "writing widths");
        run = rc == ERR_OK ? HPDF_Array_New(r->doc->mmgr) : NULL;
        if (rc == ERR_OK)
            rc = pdf_hptr(r, run, "writing widths");
        if (rc == ERR_OK)
            rc = pdf_hcheck(r, HPDF_Array_Add(arr, run), "writing widths");
        for (size_t i = 0; i < len && rc == ERR_OK; i++)
            rc = pdf_hcheck(r, HPDF_Array_AddNumber(run, fd->w[code - 1 + i]),
                            "writing widths");
    }
    return rc;
}

/* The FontDescriptor, with the subset itself as FontFile2. */
static int write_descriptor(struct pdf_render *r,
                            const struct pdf_font_data *fd, HPDF_Dict cidfont)
{
    HPDF_MMgr mm = r->doc->mmgr;
    HPDF_Dict desc, ff = NULL;
    const struct font_metrics *m = &fd->m;
    HPDF_Box bbox;
    size_t len;
    const unsigned char *data = font_subset_data(fd->sub, &len);
    int rc = pdf_hdict(r, &desc, "writing the font descriptor");
    HPDF_STATUS st = HPDF_OK;

    if (rc == ERR_OK)
        rc = pdf_hstream(r, &ff, data, len, "embedding the font");
    if (rc != ERR_OK)
        return rc;
    bbox.left = (HPDF_REAL)m->bbox[0];
    bbox.bottom = (HPDF_REAL)m->bbox[1];
    bbox.right = (HPDF_REAL)m->bbox[2];
    bbox.top = (HPDF_REAL)m->bbox[3];
    st |= HPDF_Dict_AddNumber(ff, "Length1", (HPDF_INT32)len);
    st |= HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    st |= HPDF_Dict_AddName(desc, "FontName", fd->name);
    st |= HPDF_Dict_AddNumber(desc, "Flags", 32); /* nonsymbolic */
    st |= HPDF_Dict_Add(desc, "FontBBox", HPDF_Box_Array_New(mm, bbox));
    st |= HPDF_Dict_AddNumber(desc, "ItalicAngle", 0);
    st |= HPDF_Dict_AddNumber(desc, "Ascent", m->ascent);
    st |= HPDF_Dict_AddNumber(desc, "Descent", m->descent);
    st |= HPDF_Dict_AddNumber(desc, "CapHeight", m->cap_height);
    st |= HPDF_Dict_AddNumber(desc, "XHeight", m->x_height);
    st |= HPDF_Dict_AddNumber(desc, "StemV", 0);
    st |= HPDF_Dict_Add(desc, "FontFile2", ff);
    st |= HPDF_Dict_Add(cidfont, "FontDescriptor", desc);
    return pdf_hcheck(r, st, "writing the font descriptor");
}

/* The keys of the Type0 font and of its CIDFontType2 cid.  A child is
 * added to its parent (which then owns it) before it is filled. */
static int font_keys(struct pdf_render *r, HPDF_Dict type0, HPDF_Dict cid,
                     const char *name)
{
    HPDF_MMgr mm = r->doc->mmgr;
    HPDF_Array kids = HPDF_Array_New(mm);
    HPDF_Dict info = NULL;
    HPDF_STATUS st = HPDF_Dict_Add(type0, "DescendantFonts", kids);

    if (st == HPDF_OK)
        st = HPDF_Array_Add(kids, cid);
    if (st == HPDF_OK)
        st = HPDF_Dict_Add(cid, "CIDSystemInfo", info = HPDF_Dict_New(mm));
    if (st != HPDF_OK)
        return pdf_hcheck(r, st, "making the font");
    st |= HPDF_Dict_AddName(type0, "Type", "Font");
    st |= HPDF_Dict_AddName(type0, "Subtype", "Type0");
    st |= HPDF_Dict_AddName(type0, "BaseFont", name);
    st |= HPDF_Dict_AddName(type0, "Encoding", "Identity-H");
    st |= HPDF_Dict_AddName(cid, "Type", "Font");
    st |= HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
    st |= HPDF_Dict_AddName(cid, "BaseFont", name);
    st |= HPDF_Dict_Add(info, "Registry", HPDF_String_New(mm, "Adobe",
                                                          NULL));
    st |= HPDF_Dict_Add(info, "Ordering", HPDF_String_New(mm, "Identity",
                                                          NULL));
    st |= HPDF_Dict_AddNumber(info, "Supplement", 0);
    return pdf_hcheck(r, st, "making the font");
}

/* Face k's Type0 font over one CIDFontType2 with codes 1..n, built as
 * objects (libharu's HPDF_GetFont would load the font with its own
 * TrueType parser, loop over all 65,536 codes and need a UTF-8 encoder). */
static int make_font(struct pdf_render *r, int k)
{
    struct pdf_font_data fd;
    HPDF_Dict cid = NULL;
    int rc;

    if (pdf_font_data_init(&fd, r->d->font, r->face[k], r->sub[k], NULL,
                           font_subset_count(r->sub[k])) != ERR_OK)
        return pdf_nomem(r->e);
    rc = pdf_hdict(r, &r->dict[k], "making the font");
    if (rc == ERR_OK)
        rc = pdf_hdict(r, &cid, "making the font");
    if (rc == ERR_OK)
        rc = font_keys(r, r->dict[k], cid, fd.name);
    if (rc == ERR_OK)
        rc = write_descriptor(r, &fd, cid);
    if (rc == ERR_OK)
        rc = write_widths(r, &fd, cid);
    if (rc == ERR_OK)
        rc = write_cid_map(r, &fd, cid);
    if (rc == ERR_OK)
        rc = add_stream(r, r->dict[k], "ToUnicode", pdf_font_tounicode, &fd,
                        "writing the ToUnicode CMap");
    pdf_font_data_free(&fd);
    return rc;
}

/* The subsets: each character from the face that draws it, then their
 * fonts. */
static int make_fonts(struct pdf_render *r)
{
    size_t n, m, i;
    const uint32_t *cps = text_cpset_sorted(&r->d->cps, &n);
    uint32_t *part = mem_malloc((n ? n : 1) * sizeof *part);
    int k, rc = part ? ERR_OK : pdf_nomem(r->e);

    r->nfc = font_chain_count(r->d->font);
    for (k = 0; k < r->nfc; k++)
        r->face[k] = font_chain_face(r->d->font, k);
    for (k = 0; k < r->nfc && rc == ERR_OK; k++) {
        for (i = m = 0; i < n; i++)
            if (font_draw_pos(r->d->font, cps[i]) == k)
                part[m++] = cps[i];
        if (m > 0)
            rc = font_subset_new_flags(r->face[k], part, m, PDF_SUBSET_FLAGS,
                                       &r->sub[k], r->e);
        if (rc == ERR_OK && m > 0)
            rc = make_font(r, k);
    }
    mem_free(part);
    return rc;
}

/* ---- the pages -------------------------------------------------------- */

/* Remove the /ProcSet libharu puts in page resources (obsolete since PDF
 * 1.4, ignored by readers; 50 bytes a page). */
static int drop_procset(struct pdf_render *r)
{
    HPDF_Dict res = HPDF_Dict_GetItem(r->page, "Resources",
                                      HPDF_OCLASS_DICT);
    int rc = res ? ERR_OK : pdf_hcheck(r, HPDF_INVALID_OBJECT,
                                       "adding a page");

    if (rc == ERR_OK && HPDF_Dict_GetItem(res, "ProcSet", HPDF_OCLASS_ARRAY))
        rc = pdf_hcheck(r, HPDF_Dict_RemoveElement(res, "ProcSet"),
                        "adding a page");
    return rc;
}

/* pdf_cs_replay's begin: a new page, the fonts in its resources. */
static int begin_page(void *ctx, const struct pdf_op *op)
{
    struct pdf_render *r = ctx;
    int k, rc;

    r->page = HPDF_AddPage(r->doc);
    rc = pdf_hptr(r, r->page, "adding a page");
    if (rc == ERR_OK)
        rc = pdf_hcheck(r, HPDF_Page_SetWidth(r->page, (HPDF_REAL)op->v[0]),
                        "sizing a page");
    if (rc == ERR_OK)
        rc = pdf_hcheck(r, HPDF_Page_SetHeight(r->page, (HPDF_REAL)op->v[1]),
                        "sizing a page");
    if (rc == ERR_OK)
        rc = drop_procset(r);
    for (k = 0; k < r->nfc && rc == ERR_OK; k++) { /* /Font << /F1 .. >> */
        const char *res = r->dict[k]
            ? HPDF_Page_GetLocalFontName(r->page, r->dict[k]) : "";
        rc = pdf_hptr(r, res, "adding the font to a page");
        if (rc == ERR_OK)
            snprintf(r->cs.res[k], sizeof r->cs.res[k], "%s", res);
    }
    return rc;
}

/* pdf_cs_replay's end: the page's content stream, deflated. */
static int end_page(void *ctx, const struct pdf_op *op)
{
    struct pdf_render *r = ctx;
    HPDF_PageAttr pa = (HPDF_PageAttr)r->page->attr;

    (void)op;
    r->page = NULL;
    return put_deflated(r, pa->contents, r->cs.out.p, r->cs.out.len,
                        "writing a page");
}

/* The code of cp in face k's subset (pdf_cs.code). */
static unsigned subset_code(const void *ctx, int k, uint32_t cp)
{
    const struct pdf_render *r = ctx;
    return font_subset_code(r->sub[k], cp);
}

/* ---- the document ----------------------------------------------------- */

/* Info string s as a PDF text string: UTF-16BE with a byte order mark,
 * written by libharu in hex (no escaping needed). */
static int add_info_string(struct pdf_render *r, const char *key,
                           const char *s)
{
    struct buf *b = &r->cs.out;

    buf_reset(b);
    if (pdf_put_text_string(b, s, 0) != ERR_OK)
        return pdf_nomem(r->e);
    return pdf_hcheck(r, HPDF_Dict_Add(r->doc->info, key,
                                       HPDF_Binary_New(r->doc->mmgr,
                                                       (HPDF_BYTE *)b->p,
                                                       (HPDF_UINT)b->len)),
                      "setting document information");
}

static int set_info(struct pdf_render *r)
{
    const struct pdf_meta *m = &r->d->info;
    int i, rc = r->doc->info ? ERR_OK : pdf_hptr(r, NULL, "setting document "
                                                 "information");

    for (i = 0; i < PDF_INFO_N && rc == ERR_OK; i++)
        if (m->str[i])
            rc = add_info_string(r, pdf_info_keys[i], m->str[i]);
    if (rc == ERR_OK && m->has_date) {
        HPDF_Date t;
        int y, mo, dd;
        date_to_ymd(m->day, &y, &mo, &dd);
        memset(&t, 0, sizeof t);
        t.year = y, t.month = mo, t.day = dd;
        t.hour = m->seconds / 3600;
        t.minutes = m->seconds / 60 % 60;
        t.seconds = m->seconds % 60;
        t.ind = ' ';
        rc = pdf_hcheck(r, HPDF_SetInfoDateAttr(r->doc,
                                                HPDF_INFO_CREATION_DATE, t),
                        "setting the creation date");
    }
    return rc;
}

static int open_doc(struct pdf_render *r)
{
    r->z = pdf_thread_compressor();
    if (!r->z)
        return pdf_nomem(r->e);
    r->doc = HPDF_New(on_hpdf_error, r);
    if (!r->doc)
        return pdf_nomem(r->e);
    return ERR_OK;
}

static int save_doc(struct pdf_render *r, unsigned char **data, size_t *len)
{
    HPDF_UINT32 size;
    int rc = pdf_hcheck(r, HPDF_SaveToStream(r->doc), "saving");

    if (rc != ERR_OK)
        return rc;
    size = HPDF_GetStreamSize(r->doc);
    if (size == 0)
        return pdf_hcheck(r, HPDF_INVALID_STREAM, "saving");
    *data = mem_malloc(size);
    if (!*data)
        return pdf_nomem(r->e);
    *len = size;
    rc = pdf_hcheck(r, HPDF_ReadFromStream(r->doc, *data, &size),
                    "reading the saved document");
    if (rc == ERR_OK && size != *len)
        rc = pdf_hcheck(r, HPDF_INVALID_STREAM, "reading the saved document");
    if (rc != ERR_OK) {
        mem_free(*data);
        *data = NULL;
        *len = 0;
    }
    return rc;
}

static int render_steps(struct pdf_render *r, unsigned char **data,
                        size_t *len)
{
    int rc = open_doc(r);

    if (rc == ERR_OK)
        rc = make_fonts(r);
    if (rc == ERR_OK)
        rc = pdf_cs_replay(&r->cs, begin_page, end_page, r);
    if (rc == ERR_OK)
        rc = set_info(r);
    if (rc == ERR_OK)
        rc = pdf_att_write(r);
    if (rc == ERR_OK)
        rc = save_doc(r, data, len);
    return rc;
}

int pdf_render(struct pdf *d, unsigned char **data, size_t *len,
               struct err *e)
{
    struct pdf_render r;
    int rc;

    *data = NULL;
    *len = 0;
    if (d->npages == 0)
        return err_set(e, ERR_DATA, "pdf: the document has no page");
    memset(&r, 0, sizeof r);
    r.d = d;
    r.e = e;
    pdf_cs_init(&r.cs);
    r.cs.d = d;
    r.cs.e = e;
    r.cs.code = subset_code;
    r.cs.code_ctx = &r;
    rc = render_steps(&r, data, len);
    if (r.doc)
        HPDF_Free(r.doc);
    for (int k = 0; k < FONT_CHAIN_MAX; k++)
        font_subset_free(r.sub[k]);
    pdf_cs_free(&r.cs);
    mem_free(r.zb.p);
    return rc;
}

int pdf_save(struct pdf *d, const char *path, struct err *e)
{
    unsigned char *data;
    size_t len;
    int rc = pdf_render(d, &data, &len, e);

    if (rc == ERR_OK)
        rc = fsx_write_file(path, data, len, e);
    else
        err_prefix(e, "%s: ", path);
    mem_free(data);
    return rc;
}
