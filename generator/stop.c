/* stop -- the stop flag set by SIGTERM and SIGINT (see stop.h). */
#include "stop.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t stop_sig;

static void on_signal(int sig)
{
    struct sigaction sa;

    if (!stop_sig)
        stop_sig = sig;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;    /* a second one kills */
    sigaction(sig, &sa, NULL);
}

void stop_install(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;            /* no SA_RESTART: blocking calls return */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
}

int stop_thread_create(pthread_t *th, void *(*fn)(void *), void *arg)
{
    sigset_t both, old;
    int rc;

    sigemptyset(&both);
    sigaddset(&both, SIGTERM);
    sigaddset(&both, SIGINT);
    pthread_sigmask(SIG_BLOCK, &both, &old);
    rc = pthread_create(th, NULL, fn, arg);   /* inherits the mask */
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

int stop_requested(void)
{
    return stop_sig;
}

int stop_status(int sig)
{
    return 128 + sig;
}
