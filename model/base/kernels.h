/* The one way a hot loop gets wider vectors: function multi-versioning. KERNEL before a
 * function definition builds an x86-64-v4 (AVX-512), an x86-64-v3 (AVX2 + FMA) and a baseline
 * (SSE2) copy, and the loader picks the best the CPU has, so -O3 vectorises for the machine
 * without -march (the binary stays portable). Sanitizers cannot build the ifunc resolvers this
 * needs, and clang's target_clones differs, so those builds get the baseline only. */
#ifndef EMBEDSCOPE_KERNELS_H
#define EMBEDSCOPE_KERNELS_H

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) &&                      \
    !defined(__SANITIZE_THREAD__) && !defined(__SANITIZE_ADDRESS__)
#define KERNEL __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define KERNEL
#endif

#endif
