/* Background threads' priority (see bgprio.h). */
#include "app/gui/core/bgprio.h"
#include <errno.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#endif

int bgprio_lower(void)
{
#ifdef __linux__
    pid_t tid = (pid_t)syscall(SYS_gettid);
    errno = 0;
    int old = getpriority(PRIO_PROCESS, (id_t)tid);
    if (errno == 0 && setpriority(PRIO_PROCESS, (id_t)tid, old + BGPRIO_NICE) == 0)
        return old;
#endif
    return BGPRIO_NONE;
}

void bgprio_restore(int old)
{
#ifdef __linux__
    if (old != BGPRIO_NONE)
        (void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), old);
#else
    (void)old;
#endif
}
