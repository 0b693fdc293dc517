/* import_xslt -- importing a foreign layout with --xslt (see import_int.h).
 *
 * The stylesheet is parsed once per run (its complaints collected into one
 * message).  Each file is read whole (at most IMP_XSLT_MAX_BYTES, since an
 * XSLT transform needs the tree), refused if it has a DOCTYPE, transformed
 * under security prefs that forbid reading and writing files and the
 * network, serialised one record per line (so that line numbers point
 * somewhere useful), and then read by the streaming reader like a
 * canonical export; messages name it "FILE (mapped)".  The hash and size
 * stored are the original file's.
 */
#include "import_int.h"
#include "err.h"
#include "fsx.h"
#include "mem.h"
#include "sha256.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxslt/security.h>
#include <libxslt/transform.h>

int imp_xslt_load(struct imp *im, struct err *e)
{
    xmlDocPtr doc;
    int fd, rc = imp_open(im->o->xslt, "the stylesheet", &fd, e);
    if (rc)
        return rc;
    im->in_xslt = 1;            /* collect libxslt's complaints */
    im->xslt_msg[0] = '\0';
    doc = xmlReadFd(fd, im->o->xslt, NULL, IMP_PARSE_OPTS);
    close(fd);
    if (doc)
        im->xsl = xsltParseStylesheetDoc(doc);
    im->in_xslt = 0;
    if (!doc)
        return err_set(e, ERR_DATA, "%s: the stylesheet is not well-formed XML",
                       im->o->xslt);
    if (!im->xsl) {
        xmlFreeDoc(doc);
        return err_set(e, ERR_DATA, "%s: not a usable XSLT stylesheet: %s",
                       im->o->xslt, im->xslt_msg);
    }
    return ERR_OK;
}

/* A foreign layout: parse as a tree (size-limited), transform with the
 * stylesheet under security prefs forbidding file and network access,
 * then stream the result like a canonical file. */
int imp_xslt_import(struct imp *im, const char *path, struct err *e)
{
    double t0 = imp_now();
    char hex[65], shown[1024];
    char *data = NULL;
    size_t n = 0;
    xmlDocPtr src = NULL, out = NULL;
    xmlChar *mem = NULL;
    int len = 0, rc;
    xsltTransformContextPtr tc = NULL;
    xsltSecurityPrefsPtr sec = NULL;
    xmlTextReaderPtr rd;
    struct stat sb;

    if (stat(path, &sb) == 0 && sb.st_size > IMP_XSLT_MAX_BYTES)
        return err_set(e, ERR_DATA, "%s: %lld MB is too large for --xslt "
                       "(limit %ld MB; export the canonical format instead)",
                       path, (long long)sb.st_size / (1024 * 1024),
                       IMP_XSLT_MAX_BYTES / (1024 * 1024));
    rc = fsx_read_file(path, IMP_XSLT_MAX_BYTES, &data, &n, e);
    if (rc)
        return rc;
    snprintf(shown, sizeof shown, "%s (mapped)", path);
    imp_begin_file(im, path, path);
    sha256_buf(data, n, hex);
    im->bytes = (long long)n;
    src = xmlReadMemory(data, (int)n, path, NULL, IMP_PARSE_OPTS);
    mem_free(data);
    if (!src) {
        if (!im->fatal)
            imp_file_error(im, 0, "not well-formed XML");
        return ERR_OK;
    }
    if (src->intSubset || src->extSubset) {
        imp_file_error(im, 0, "DOCTYPE declarations are not allowed (no DTDs "
                       "or entities in an export)");
        xmlFreeDoc(src);
        return ERR_OK;
    }
    sec = xsltNewSecurityPrefs();
    tc = sec ? xsltNewTransformContext(im->xsl, src) : NULL;
    if (!tc || xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_FILE, xsltSecurityForbid) ||
        xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_FILE, xsltSecurityForbid) ||
        xsltSetSecurityPrefs(sec, XSLT_SECPREF_CREATE_DIRECTORY, xsltSecurityForbid) ||
        xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_NETWORK, xsltSecurityForbid) ||
        xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_NETWORK, xsltSecurityForbid) ||
        xsltSetCtxtSecurityPrefs(sec, tc)) {
        rc = err_set(e, ERR_NOMEM, "%s: cannot set up the XSLT transform", path);
        goto done;
    }
    im->shown = path;
    im->in_xslt = 1;
    im->xslt_msg[0] = '\0';
    out = xsltApplyStylesheetUser(im->xsl, src, NULL, NULL, NULL, tc);
    im->in_xslt = 0;
    if (!out || tc->state != XSLT_STATE_OK) {
        if (!im->fatal)
            imp_file_error(im, 0, "the --xslt mapping failed: %s",
                           im->xslt_msg[0] ? im->xslt_msg : "no output");
        goto done;
    }
    /* one record per line, so that line numbers point somewhere useful */
    xmlDocDumpFormatMemoryEnc(out, &mem, &len, "UTF-8", 1);
    xmlFreeDoc(out);
    out = NULL;
    xsltFreeTransformContext(tc);   /* its keys point into src */
    tc = NULL;
    xmlFreeDoc(src);
    src = NULL;
    if (!mem) {
        rc = err_set(e, ERR_NOMEM, "%s: out of memory", path);
        goto done;
    }
    im->shown = shown;
    pthread_mutex_lock(&im->mu);
    snprintf(im->fs[im->nfs - 1].shown, sizeof im->fs[im->nfs - 1].shown,
             "%s", shown);
    pthread_mutex_unlock(&im->mu);
    rd = xmlReaderForMemory((const char *)mem, len, path, NULL, IMP_PARSE_OPTS);
    if (!rd) {
        rc = err_set(e, ERR_NOMEM, "%s: cannot create an XML reader", path);
        goto done;
    }
    xmlTextReaderSetStructuredErrorHandler(rd, imp_on_xml_error, im);
    rc = imp_read_doc(im, rd, e);
    xmlFreeTextReader(rd);
    if (!rc && !im->fatal)
        rc = imp_end_file(im, t0, hex, e);
done:
    xmlFree(mem);
    xmlFreeDoc(out);
    if (tc)
        xsltFreeTransformContext(tc);
    xmlFreeDoc(src);
    xsltFreeSecurityPrefs(sec);
    return rc;
}
