/* diag -- many problems of one input, collected as lines.
 *
 * For inputs with many problems (an export with a thousand bad records),
 * a struct diag keeps up to `max` lines and counts the rest, so the user
 * sees as many errors as are useful and how many more there were; the CLI
 * prints them (cli_print_diag).  Lines are one-line messages in the
 * err.h style.  A struct diag belongs to one thread.
 */
#ifndef KQ_DIAG_H
#define KQ_DIAG_H

#include <stddef.h>

struct diag {
    char **lines;   /* owned; lines[0..n) */
    size_t n, cap;
    size_t max;     /* keep at most this many lines */
    size_t dropped; /* lines not kept because of max */
};

/* Initialise an empty list that keeps at most max lines. */
void diag_init(struct diag *d, size_t max);

/* Add one formatted line.  Never fails: on allocation failure the line is
 * counted in d->dropped instead. */
void diag_add(struct diag *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Total number of problems recorded (kept + dropped). */
size_t diag_count(const struct diag *d);

/* Free the lines; d is left empty and reusable. */
void diag_free(struct diag *d);

#endif
