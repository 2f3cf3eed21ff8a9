/* The one clock of embedscope: monotonic wall time (never jumps with the system clock) and the
 * calling thread's CPU time, in seconds or milliseconds. Every timing, rate, timeout and
 * animation reads these. Any thread. */
#ifndef EMBEDSCOPE_CLOCK_H
#define EMBEDSCOPE_CLOCK_H
#include <time.h>

/* Monotonic seconds since an arbitrary start (CLOCK_MONOTONIC). */
static inline double clock_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
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
