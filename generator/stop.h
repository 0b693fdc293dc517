/* stop -- SIGTERM and SIGINT end a run cleanly (doc/limits.md "Signals").
 *
 * stop_install (called once by main) makes both signals set a flag
 * instead of killing the process; the long loops of the library look at
 * it between their steps - the importer between records, scoring
 * between its stages, the render's workers between documents and its
 * parent while it collects - and then stop the way they stop on an
 * error: the import transaction rolled back, the results of a score
 * either stored whole or not at all, every document finished so far
 * registered, no temporary file left, and ERR_STOPPED returned.  The
 * command prints what was finished and how to resume, and exits with
 * 128 + the signal (130 for SIGINT, 143 for SIGTERM), as a shell reports
 * a process killed by it.  A second signal kills at once (the default
 * action is restored by the first).
 *
 * The flag is a volatile sig_atomic_t: safe from any thread.
 */
#ifndef KQ_STOP_H
#define KQ_STOP_H

#include <pthread.h>

/* Install the handlers (SIGTERM, SIGINT; without SA_RESTART, so a
 * blocking read returns EINTR).  Idempotent. */
void stop_install(void);

/* Create a helper thread that never takes SIGTERM/SIGINT (they stay with
 * the thread that watches the flag and may be blocked in a read the
 * signal must interrupt): pthread_create with both blocked around it.
 * Returns pthread_create's result. */
int stop_thread_create(pthread_t *th, void *(*fn)(void *), void *arg);

/* The signal that asked the run to stop, or 0. */
int stop_requested(void);

/* The exit status for signal sig: 128 + sig. */
int stop_status(int sig);

#endif
