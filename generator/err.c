/* err -- status codes and one-line messages (see err.h). */
#include "err.h"
#include "stop.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void err_clear(struct err *e)
{
    if (e) {
        e->code = ERR_OK;
        e->msg[0] = '\0';
    }
}

int err_set(struct err *e, int code, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
        e->code = code;
    }
    return code;
}

void err_prefix(struct err *e, const char *fmt, ...)
{
    char pre[ERR_MSG_MAX], old[ERR_MSG_MAX];
    va_list ap;
    if (!e)
        return;
    va_start(ap, fmt);
    vsnprintf(pre, sizeof pre, fmt, ap);
    va_end(ap);
    memcpy(old, e->msg, sizeof old);
    {
        size_t pl = strlen(pre), ol = strlen(old);
        if (pl > sizeof e->msg - 1)
            pl = sizeof e->msg - 1;
        if (ol > sizeof e->msg - 1 - pl)
            ol = sizeof e->msg - 1 - pl;
        memcpy(e->msg, pre, pl);
        memcpy(e->msg + pl, old, ol);
        e->msg[pl + ol] = '\0';
    }
}

int err_exit_code(int code)
{
    switch (code) {
    case ERR_OK: return 0;
    case ERR_USAGE: return 64;     /* EX_USAGE */
    case ERR_DATA: return 65;      /* EX_DATAERR */
    case ERR_NOINPUT: return 66;   /* EX_NOINPUT */
    case ERR_CANTCREAT: return 73; /* EX_CANTCREAT */
    case ERR_IO: return 74;        /* EX_IOERR */
    case ERR_BUSY: return 75;      /* EX_TEMPFAIL */
    case ERR_STOPPED:              /* as a shell reports the signal */
        return stop_status(stop_requested() ? stop_requested() : 15);
    case ERR_NOMEM:
    case ERR_INTERNAL:
    default: return 70;            /* EX_SOFTWARE */
    }
}

const char *err_name(int code)
{
    switch (code) {
    case ERR_OK: return "ok";
    case ERR_USAGE: return "usage error";
    case ERR_DATA: return "bad input data";
    case ERR_NOINPUT: return "input missing or unreadable";
    case ERR_INTERNAL: return "internal error";
    case ERR_NOMEM: return "out of memory";
    case ERR_CANTCREAT: return "cannot create output";
    case ERR_IO: return "I/O error";
    case ERR_BUSY: return "database busy";
    case ERR_STOPPED: return "stopped by a signal";
    default: return "unknown error";
    }
}
