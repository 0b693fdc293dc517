/* import_validate -- checking one record of an import (see import_int.h).
 *
 * A record arrives as a subtree (the reader's own node, or a bounded
 * copy).  Its attributes are checked in C against the record table
 * (record.h: required, known, each value's type), a service note's text
 * likewise, a customer's contact and handover children one by one (a bad
 * child is dropped and counted, the rest of the customer kept), then the
 * subtree against its GLOBAL element of the XSD
 * (xmlSchemaValidateOneElement).  A record that passes is queued for the
 * store with its children; one that does not is reported
 * (imp_rec_error) and counted, and the run goes on.
 */
#include "import_int.h"
#include "buf.h"
#include "err.h"
#include "record.h"

#include <string.h>
#include <unistd.h>

/* The value of an attribute node (single text child), or "" */
const char *imp_attr_value(xmlAttrPtr a)
{
    if (a->children && a->children->type == XML_TEXT_NODE &&
        !a->children->next && a->children->content)
        return (const char *)a->children->content;
    return "";
}

/* Fill r from node's attributes and check each value in C.  Reports and
 * returns -1 when the record must be refused. */
static int extract(struct imp *im, xmlNodePtr node, const struct kind_def *kd,
                   struct rec *r, long line, const char *parent)
{
    struct err why;
    int bad = 0;

    memset(r, 0, sizeof *r);
    r->kind = kd->kind;
    r->line = line;
    r->parent = parent;
    for (xmlAttrPtr a = node->properties; a; a = a->next) {
        int i = a->ns ? -1 : record_field(kd, (const char *)a->name);
        if (i >= 0)
            r->val[i] = imp_attr_value(a);
    }
    /* The id for messages (handover: its customer). */
    im->rec_id = kd->kind == REC_HANDOVER ? parent : r->val[0];
    for (xmlAttrPtr a = node->properties; a; a = a->next) {
        if (a->ns || record_field(kd, (const char *)a->name) < 0) {
            imp_rec_error(im, line, kd->element, im->rec_id,
                          "unknown attribute '%.60s'", (const char *)a->name);
            bad = 1;
        }
    }
    for (int i = 0; i < kd->nfields; i++) {
        const struct fld *f = &kd->fields[i];
        if (!r->val[i]) {
            if (f->required) {
                imp_rec_error(im, line, kd->element, im->rec_id,
                              "missing attribute '%s'", f->attr);
                bad = 1;
            }
        } else if (record_check_value(f, r->val[i], &why)) {
            imp_rec_error(im, line, kd->element, im->rec_id, "%s: %s",
                          f->attr, why.msg);
            bad = 1;
        }
    }
    return bad ? -1 : 0;
}

/* The text content of a text-bearing record (service note), or NULL. */
static int record_text(struct imp *im, xmlNodePtr node, struct rec *r,
                       struct buf *text)
{
    static const struct fld note = {"text", "note", FT_TEXT, 0, NULL, REC_SERVICE};
    struct err why;
    buf_reset(text);
    for (xmlNodePtr c = node->children; c; c = c->next)
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
            c->content && buf_puts(text, (const char *)c->content))
            break;
    if (text->len == 0)
        return 0;
    if (text->len > REC_TEXT_MAX ||
        record_check_value(&note, buf_str(text), &why)) {
        imp_rec_error(im, r->line, im->kd->element, im->rec_id, "text: %s",
                      text->len > REC_TEXT_MAX ? "longer than 1024 bytes"
                                               : why.msg);
        return -1;
    }
    r->text = buf_str(text);
    return 0;
}

/* Validate a record subtree against its global XSD element. */
static int schema_check(struct imp *im, xmlNodePtr node)
{
    int rc;
    im->in_schema = 1;
    rc = xmlSchemaValidateOneElement(im->vctx, node);
    im->in_schema = 0;
    if (rc < 0) {
        imp_rec_error(im, im->rec_line, im->kd->element, im->rec_id,
                      "schema validation failed (internal error %d)", rc);
        return -1;
    }
    if (rc > 0 && !im->rec_bad)
        imp_rec_error(im, im->rec_line, im->kd->element, im->rec_id,
                      "does not match the schema");
    return rc ? -1 : 0;
}

/* A customer's children: check each in C; a bad child is dropped from
 * the tree (so the rest of the customer can be validated and kept). */
static int check_children(struct imp *im, xmlNodePtr cust, const char *cid,
                          struct rec *kids, int *nkids)
{
    xmlNodePtr c = cust->children, next;
    *nkids = 0;
    for (; c; c = next) {
        const struct kind_def *kd;
        long line;
        next = c->next;
        if (c->type != XML_ELEMENT_NODE)
            continue;
        kd = record_kind_by_element((const char *)c->name);
        if (!kd || (kd->kind != REC_CONTACT && kd->kind != REC_HANDOVER))
            continue;           /* the schema will say what is wrong */
        im->st->read++;
        line = imp_line_of(im, c);
        im->rec_bad = 0;
        im->rec_msgs = 0;
        if (extract(im, c, kd, &kids[*nkids], line, cid)) {
            imp_count_reject(im);
            xmlUnlinkNode(c);
            xmlFreeNode(c);
            continue;
        }
        (*nkids)++;
    }
    im->rec_bad = 0;
    im->rec_msgs = 0;
    return 0;
}

/* Check and store the record whose subtree is node. */
int imp_process_record(struct imp *im, xmlNodePtr node, struct err *e)
{
    struct rec *kids = im->kids;
    const struct kind_def *kd = im->kd;
    struct rec r;
    struct buf text;
    int nkids = 0, rc = ERR_OK, bad;

    im->st->read++;
    im->rec_bad = 0;
    im->rec_msgs = 0;
    buf_init(&text, IMP_RECORD_TEXT_MAX);
    bad = extract(im, node, kd, &r, im->rec_line, NULL);
    if (!bad && kd->has_text)
        bad = record_text(im, node, &r, &text);
    if (!bad && kd->kind == REC_CUSTOMER) {
        const char *keep_id = r.val[0];
        check_children(im, node, keep_id, kids, &nkids);
        im->kd = kd;
        im->rec_id = keep_id;
    }
    if (!bad)
        bad = schema_check(im, node);
    if (bad) {
        /* children go with their customer */
        imp_count_rejects(im, im->nfs - 1, 1 + nkids);
        buf_free(&text);
        return ERR_OK;
    }
    rc = imp_q_put(im->q, &r, e);
    for (int i = 0; i < nkids && !rc; i++)
        rc = imp_q_put(im->q, &kids[i], e);
    buf_free(&text);
    return rc;
}

int imp_schema_load(struct imp *im, struct err *e)
{
    xmlSchemaParserCtxtPtr pc;
    int fd, rc = imp_open(im->o->schema, "the schema", &fd, e);
    if (rc)
        return rc;
    close(fd);
    pc = xmlSchemaNewParserCtxt(im->o->schema);
    if (pc) {
        xmlSchemaSetParserStructuredErrors(pc, imp_on_xml_error, NULL);
        im->schema = xmlSchemaParse(pc);
        xmlSchemaFreeParserCtxt(pc);
    }
    if (!im->schema)
        return err_set(e, ERR_INTERNAL, "%s: not a usable XML schema",
                       im->o->schema);
    im->vctx = xmlSchemaNewValidCtxt(im->schema);
    if (!im->vctx)
        return err_set(e, ERR_NOMEM, "out of memory (schema)");
    xmlSchemaSetValidStructuredErrors(im->vctx, imp_on_xml_error, im);
    return ERR_OK;
}
