/* The scheduling priority of the window's background threads (the trainer's, the analysis, the
 * position trainer's): they run BGPRIO_NICE nice levels below the UI thread, so the UI, mostly
 * asleep, gets a core whenever it has a frame to draw. Nice is per thread on Linux and
 * inherited at creation; elsewhere these do nothing. Any thread. */
#ifndef EMBEDSCOPE_BGPRIO_H
#define EMBEDSCOPE_BGPRIO_H

/* 15 levels: a nice-0 thread weighs ~28 times a nice-15 one, so the UI keeps ~97% of a core it
 * shares with one. At 5 (weight ~3) it kept ~75%: with two trainer threads and the analysis
 * on two cores, a million words in UMAP drew frames of 32 ms of CPU in 40-44 ms (p95; 30-32
 * ms at 15, for 5% fewer trained words a second while frames are drawn: bench/README.md,
 * "Background priority"). */
#define BGPRIO_NICE 15
#define BGPRIO_NONE 100 /* bgprio_lower could not lower the thread */

/* Lowers the calling thread by BGPRIO_NICE; returns its old level for bgprio_restore. */
int bgprio_lower(void);
/* Back to old (needs CAP_SYS_NICE, as root in CI; without it the thread stays lowered and so
 * do the threads it starts later: they are all alike then). */
void bgprio_restore(int old);

#endif
