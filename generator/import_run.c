/* import_run -- one import run, imp_run (see import_xml.h, import_int.h).
 *
 * Order: the schema (and stylesheet) are loaded with libxml2's error
 * handlers pointed at the run; from then on the external entity loader
 * refuses everything.  One transaction: store_import_start, every file
 * through the reader (or the --xslt mapping) and the store-writer queue,
 * the SQL checks (references, region tree, manager chain), the export
 * order check and the registry identity; then commit, or roll back on any
 * error so that the database file is left byte-identical.  The handlers
 * and the loader are process-wide state of libxml2/libxslt: they are put
 * back before imp_run returns, and only one run may be in progress in a
 * process at a time.
 */
#include "import_int.h"
#include "store.h"
#include "store_import.h"
#include "store_registry.h"
#include "diag.h"
#include "err.h"
#include "mem.h"

#include <string.h>

#include <libxslt/xsltutils.h>

/* Refuses every external entity, DTD, XInclude or document() load. */
static xmlParserInputPtr refuse_loader(const char *url, const char *id,
                                       xmlParserCtxtPtr ctxt)
{
    (void)id;
    (void)ctxt;
    (void)url;
    return NULL;
}

/* Global libxml2 state of a run: error handlers (on) and the refusing
 * entity loader (installed by imp_run once the schema is loaded). */
static void hooks_on(struct imp *im)
{
    im->old_loader = xmlGetExternalEntityLoader();
    xmlSetStructuredErrorFunc(im, imp_on_xml_error);
    xmlSetGenericErrorFunc(im, imp_on_generic_error);
    xsltSetGenericErrorFunc(im, imp_on_generic_error);
}

static void hooks_off(struct imp *im)
{
    xmlSetExternalEntityLoader(im->old_loader);
    xmlSetStructuredErrorFunc(NULL, NULL);
    xmlSetGenericErrorFunc(NULL, NULL);
    xsltSetGenericErrorFunc(NULL, NULL);
}

static void imp_release(struct imp *im)
{
    if (im->vctx)
        xmlSchemaFreeValidCtxt(im->vctx);
    if (im->schema)
        xmlSchemaFree(im->schema);
    if (im->xsl)
        xsltFreeStylesheet(im->xsl);
    if (im->rdoc)
        xmlFreeDoc(im->rdoc);
    mem_free(im->fs);
    mem_free(im->kids);
    pthread_mutex_destroy(&im->mu);
}

/* Import every file and run the checks; the caller commits or not. */
static int import_all(struct imp *im, const char *const *files, int nfiles,
                      struct err *e)
{
    long long nbad = 0;
    int rc = ERR_OK;

    rc = imp_q_new(&imp_sink_ops, im, 1, &im->q, e);
    for (int i = 0; i < nfiles && !rc; i++) {
        rc = im->xsl ? imp_xslt_import(im, files[i], e)
                     : imp_stream(im, files[i], e);
        im->file = NULL;
        im->st->files++;
    }
    if (!rc)
        rc = imp_q_finish(im->q, e);
    imp_q_free(im->q);
    im->q = NULL;
    /* After record errors the checks still run (more problems are shown);
     * after a file-level error the stored rows are too partial for that. */
    if (rc || im->any_fatal)
        return rc;
    rc = store_import_check(im->s, im->o->skip_invalid, imp_on_reject, im,
                            &nbad, e);
    if (!rc && im->o->skip_invalid) {
        im->st->rejected += nbad;
        for (int i = 0; i < im->nfs && !rc && nbad; i++)
            rc = imp_write_import_row(im, &im->fs[i], e);
    }
    return rc;
}

int imp_run(struct store *s, const char *const *files, int nfiles,
            const struct imp_opts *o, struct imp_stats *st, struct diag *d,
            struct err *e)
{
    struct imp im = {.o = o, .s = s, .d = d, .st = st, .fd = -1};
    double t0 = imp_now();
    int rc;

    *st = (struct imp_stats){0};
    pthread_mutex_init(&im.mu, NULL);
    xmlInitParser();
    im.fs = mem_calloc(nfiles > 0 ? (size_t)nfiles : 1, sizeof *im.fs);
    im.rdoc = xmlNewDoc(BAD_CAST "1.0");
    im.kids = mem_calloc(IMP_MAX_CHILDREN, sizeof *im.kids);
    if (!im.fs || !im.rdoc || !im.kids) {
        imp_release(&im);
        return err_set(e, ERR_NOMEM, "out of memory");
    }
    hooks_on(&im);
    rc = imp_schema_load(&im, e);
    if (!rc && o->xslt)
        rc = imp_xslt_load(&im, e);
    if (rc) {
        hooks_off(&im);
        imp_release(&im);
        return rc;
    }
    /* From here on nothing is loaded from outside the files themselves
     * (the schema above is ours and was read through the loader). */
    xmlSetExternalEntityLoader(refuse_loader);
    rc = store_begin(s, e);
    if (!rc) {
        rc = store_import_start(s, o->skip_invalid, e);
        if (!rc)
            rc = import_all(&im, files, nfiles, e);
        if (!rc && !st->errors &&
            !(rc = store_import_check_order(s, o->allow_older, e)))
            rc = store_registry_ensure(s, e);
        store_import_stop(s);
        if (!rc && st->errors)
            rc = err_set(e, ERR_DATA, "import refused: %lld problem%s found; "
                         "the database was not changed", st->errors,
                         st->errors == 1 ? "" : "s");
        if (!rc)
            rc = store_commit(s, e);
        else
            store_rollback(s);
    }
    hooks_off(&im);
    if (!rc)
        for (int i = 0; i < im.nfs; i++)
            for (int k = 0; k < REC_NKINDS; k++) {
                st->stored[k] += im.fs[i].stored[k];
                st->records += im.fs[i].stored[k];
            }
    imp_release(&im);
    st->seconds = imp_now() - t0;
    return rc;
}
