/* import_diag -- the messages of an import run (see import_int.h).
 *
 * Every problem becomes one line naming the file, the line and the cause:
 * file-level errors ("oct.xml:3: section <staff> out of order ...") end
 * the file's reading and fail the run; record errors ("oct.xml:812: visit
 * V77: ...") refuse the record and, with skip_invalid, go to the caller's
 * reject callback instead.  libxml2 and libxslt report through the two
 * handlers here (installed by import_run.c), so they never print.
 * Invariant: at most MSGS_PER_RECORD lines per record; ids are shown with
 * control characters replaced.
 */
#include "import_int.h"
#include "diag.h"
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MSGS_PER_RECORD 8         /* error lines per record at most */

/* libxml2 messages end in "\n" and may hold several lines: make one line,
 * without the schema namespace, trailing dots and spaces. */
static void clean_msg(const char *in, char *out, size_t n)
{
    static const char ns[] = "{" IMP_NS_ERP "}";
    size_t j = 0;
    for (size_t i = 0; in && in[i] && j + 1 < n;) {
        if (!strncmp(in + i, ns, sizeof ns - 1)) {
            i += sizeof ns - 1;
            continue;
        }
        if (in[i] == '\n') {
            if (in[i + 1] && j + 3 < n) {
                out[j++] = ';';
                out[j++] = ' ';
            }
            i++;
            continue;
        }
        out[j++] = in[i] == '\t' ? ' ' : in[i];
        i++;
    }
    while (j > 0 && (out[j - 1] == ' ' || out[j - 1] == '.' ||
                     out[j - 1] == ';'))
        j--;
    out[j] = '\0';
}

/* A file-level error: the rest of the file is not read; the run fails. */
void imp_file_error(struct imp *im, long line, const char *fmt, ...)
{
    char msg[ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line > 0)
        diag_add(im->d, "%s:%ld: %s", im->shown, line, msg);
    else
        diag_add(im->d, "%s: %s", im->shown, msg);
    im->st->errors++;
    im->fatal = 1;
    im->any_fatal = 1;
}

/* An id as shown in a message: control characters become '?'. */
static const char *shown_id(const char *id, char *out, size_t n)
{
    size_t j = 0;
    for (; id && *id && j + 1 < n && j < 80; id++)
        out[j++] = (unsigned char)*id < 0x20 || *id == 0x7f ? '?' : *id;
    out[j] = '\0';
    return out;
}

/* Report a refused record's line: to the error list (the run fails) or,
 * with skip_invalid, to the report.  Both threads call this. */
void imp_emit(struct imp *im, const char *line)
{
    pthread_mutex_lock(&im->mu);
    if (im->o->skip_invalid) {
        if (im->o->reject)
            im->o->reject(im->o->reject_ctx, line);
    } else {
        diag_add(im->d, "%s", line);
        im->st->errors++;
    }
    pthread_mutex_unlock(&im->mu);
}

/* Count n refused records of file number f. */
void imp_count_rejects(struct imp *im, int f, long long n)
{
    pthread_mutex_lock(&im->mu);
    im->st->rejected += n;
    if (f >= 0)
        im->fs[f].rejected += n;
    pthread_mutex_unlock(&im->mu);
}

void imp_count_reject(struct imp *im)
{
    imp_count_rejects(im, im->nfs - 1, 1);
}

/* A problem with the current record: it will not be stored. */
void imp_rec_error(struct imp *im, long line, const char *what,
                   const char *id, const char *fmt, ...)
{
    char msg[ERR_MSG_MAX], full[ERR_MSG_MAX + 512], sid[96];
    va_list ap;

    im->rec_bad = 1;
    if (im->rec_msgs++ >= MSGS_PER_RECORD)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(full, sizeof full, "%s:%ld: %s%s%s: %s", im->shown, line,
             what, id && *id ? " " : "", shown_id(id, sid, sizeof sid), msg);
    imp_emit(im, full);
}

long imp_line_of(struct imp *im, const void *node)
{
    for (int i = 0; i < im->nlines; i++)
        if (im->lines[i].node == node)
            return im->lines[i].line;
    return im->rec_line;
}

/* Structured handler for the reader, the schema validator and anything
 * else libxml2 reports while a run is in progress. */
void imp_on_xml_error(void *ctx, xmlErrorPtr xe)
{
    struct imp *im = ctx;
    char msg[ERR_MSG_MAX];

    if (!im || !xe || xe->level == XML_ERR_WARNING)
        return;
    clean_msg(xe->message, msg, sizeof msg);
    if (im->in_xslt && !im->file) {
        imp_on_generic_error(im, "line %d: %s", xe->line, msg);
        return;
    }
    if (im->in_schema) {
        const char *el = im->kd ? im->kd->element : "record";
        size_t n = strlen(el);
        const char *m = msg;
        /* "Element 'visit', attribute 'x': ..." -> "attribute 'x': ..." */
        if (!strncmp(m, "Element '", 9) && !strncmp(m + 9, el, n) &&
            m[9 + n] == '\'' && (m[10 + n] == ',' || m[10 + n] == ':'))
            m += 11 + n + (m[11 + n] == ' ');
        imp_rec_error(im, imp_line_of(im, xe->node), el, im->rec_id, "%s", m);
        return;
    }
    if (xe->domain == XML_FROM_IO && im->io_errno)
        return;                 /* reported as an I/O error */
    if ((xe->level == XML_ERR_FATAL || xe->level == XML_ERR_ERROR) &&
        !im->fatal) {
        int enc = (xe->code == XML_ERR_INVALID_CHAR &&
                   strstr(msg, "not proper")) ||
                  xe->code == XML_ERR_INVALID_ENCODING ||
                  xe->code == XML_ERR_UNKNOWN_ENCODING ||
                  xe->code == XML_ERR_UNSUPPORTED_ENCODING ||
                  xe->code == XML_I18N_CONV_FAILED;
        imp_file_error(im, xe->line, "%s: %s", enc ? "invalid bytes for the "
                       "declared encoding" : "not well-formed XML", msg);
    }
}

/* Generic (printf-style) handler: libxml2/libxslt corners that do not use
 * the structured one.  Collected as file errors. */
void imp_on_generic_error(void *ctx, const char *fmt, ...)
{
    struct imp *im = ctx;
    char raw[ERR_MSG_MAX], msg[ERR_MSG_MAX];
    va_list ap;
    if (!im || (!im->file && !im->in_xslt))
        return;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    clean_msg(raw, msg, sizeof msg);
    if (im->in_xslt) {          /* libxslt says one thing in pieces */
        size_t n = strlen(im->xslt_msg);
        size_t room = sizeof im->xslt_msg - n;
        if (msg[0] && room > 3)
            snprintf(im->xslt_msg + n, room, "%s%.*s", n ? "; " : "",
                     (int)(room - 3), msg);
        return;
    }
    if (msg[0] && !im->fatal)
        imp_file_error(im, 0, "%s", msg);
}
