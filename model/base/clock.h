/* The one clock of embedscope: monotonic wall time (never jumps with the system clock) and the
 * calling thread's CPU time, in seconds or milliseconds. Every timing, rate, timeout and
 * animation reads these. Any thread. */
#ifndef EMBEDSCOPE_CLOCK_H
#define EMBEDSCOPE_CLOCK_H
#include <pthread.h>
#include <time.h>

/* Monotonic seconds since an arbitrary start (CLOCK_MONOTONIC). */
static inline double clock_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The time seconds from now on clock c, as pthread_cond_timedwait wants it (c: the clock the
 * condition variable was made to wait on: CLOCK_MONOTONIC for clock_cond_init's, else
 * CLOCK_REALTIME). */
static inline struct timespec clock_deadline(clockid_t c, double seconds)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    long long ns = (long long)ts.tv_nsec + (long long)((seconds > 0 ? seconds : 0) * 1e9);
    ts.tv_sec += (time_t)(ns / 1000000000LL);
    ts.tv_nsec = (long)(ns % 1000000000LL);
    return ts;
}

/* A condition variable whose timed waits run on the monotonic clock (deadlines from
 * clock_deadline(CLOCK_MONOTONIC, ...)): setting the system clock back cannot stretch a wait.
 * 0 on success, as pthread_cond_init. */
static inline int clock_cond_init(pthread_cond_t *cv)
{
    pthread_condattr_t ca;
    int r = pthread_condattr_init(&ca);
    if (r)
        return r;
    r = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    if (!r)
        r = pthread_cond_init(cv, &ca);
    pthread_condattr_destroy(&ca);
    return r;
}

/* The same in milliseconds. */
static inline double clock_ms(void) { return clock_s() * 1e3; }

/* CPU time of the calling thread, milliseconds (CLOCK_THREAD_CPUTIME_ID): what a busy machine
 * does not inflate, unlike wall time. */
static inline double clock_thread_cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

#endif
