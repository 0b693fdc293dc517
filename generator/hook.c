/* hook -- deterministic pause points for the tests (see hook.h). */
#include "hook.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int parsed;              /* KEQING_TEST_HOOK read */
static char name_[64], dir_[PATH_MAX];
static long at = 1, seen;

static void parse(void)
{
    const char *v = getenv("KEQING_TEST_HOOK"), *colon, *atsign;
    size_t n;

    parsed = 1;
    if (!v || !(colon = strchr(v, ':')))
        return;
    n = (size_t)(colon - v);
    if ((atsign = memchr(v, '@', n))) {
        at = strtol(atsign + 1, NULL, 10);
        n = (size_t)(atsign - v);
    }
    if (n == 0 || n >= sizeof name_ || strlen(colon + 1) >= sizeof dir_ - 64)
        return;
    memcpy(name_, v, n);
    name_[n] = '\0';
    snprintf(dir_, sizeof dir_, "%s", colon + 1);
}

void hook_point(const char *name)
{
    char ready[PATH_MAX + 96], tmp[PATH_MAX + 96], go[PATH_MAX + 96], buf[64];
    int fd;

    if (!parsed)
        parse();
    if (!name_[0] || strcmp(name, name_) || ++seen != at)
        return;
    snprintf(ready, sizeof ready, "%s/%s.ready", dir_, name_);
    snprintf(tmp, sizeof tmp, "%s/.%s.ready.tmp", dir_, name_);
    snprintf(go, sizeof go, "%s/%s.go", dir_, name_);
    if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) >= 0) {
        int n = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
        if (write(fd, buf, (size_t)n) != n) {
            /* the test reads the pid only for its messages */
        }
        close(fd);
        rename(tmp, ready);
    }
    /* blocks until the test opens the FIFO for writing; a signal ends
     * the wait (EINTR) and the run goes on to handle it */
    if ((fd = open(go, O_RDONLY | O_CLOEXEC)) >= 0) {
        while (read(fd, buf, sizeof buf) > 0)
            ;
        close(fd);
    }
}
