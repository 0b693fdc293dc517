/* err -- the one error model of keqing.
 *
 * Every fallible function returns an int status: ERR_OK (0) or a negative
 * enum err_code, and fills a caller-owned struct err with one line of text
 * that names the place and the cause ("oct.xml:812: visit V77: unknown
 * customer C999").  Library modules never print and never exit; only the
 * CLI prints, and maps the code to a sysexits(3) exit status.
 *
 * Many problems of one input are collected in a struct diag (diag.h).
 * No state: thread-safe.
 */
#ifndef KQ_ERR_H
#define KQ_ERR_H

#include <stddef.h>

enum err_code {
    ERR_OK = 0,
    ERR_USAGE = -1,     /* bad command line                -> 64 */
    ERR_DATA = -2,      /* bad input data                  -> 65 */
    ERR_NOINPUT = -3,   /* input missing / unreadable      -> 66 */
    ERR_INTERNAL = -4,  /* a bug or a library failure      -> 70 */
    ERR_NOMEM = -5,     /* out of memory                   -> 70 */
    ERR_CANTCREAT = -6, /* cannot create an output         -> 73 */
    ERR_IO = -7,        /* read/write/database I/O error   -> 74 */
    ERR_BUSY = -8,      /* database locked by another run  -> 75 */
    ERR_STOPPED = -9    /* SIGTERM/SIGINT (stop.h)  -> 128 + signal */
};

#define ERR_MSG_MAX 1024

struct err {
    int code;              /* ERR_OK when nothing happened */
    char msg[ERR_MSG_MAX]; /* one line, no "keqing: " prefix, no newline */
};

/* Reset e to "no error".  e may be NULL. */
void err_clear(struct err *e);

/* Record an error: sets e->code and formats e->msg (truncated to fit).
 * e may be NULL.  Returns code, so callers can `return err_set(...)`. */
int err_set(struct err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefix the existing message with more context ("file.xml: " + msg). */
void err_prefix(struct err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The sysexits(3) status for an error code (0 for ERR_OK). */
int err_exit_code(int code);

/* A short English name for the code, e.g. "bad input data". */
const char *err_name(int code);

#endif
