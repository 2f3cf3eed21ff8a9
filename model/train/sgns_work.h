/* The scratch of the HogBatch step (sgns.h's sgns_batch_step), laid out the same by the
 * portable and the AVX-512 kernels: (m + n) rows of SGNS_WORK_ROW(dim) floats (a whole number
 * of 64-byte lines), then the m x n matrix G. */
#ifndef EMBEDSCOPE_SGNS_WORK_H
#define EMBEDSCOPE_SGNS_WORK_H
#include <stdint.h>

#define SGNS_WORK_ROW(dim) (((int64_t)(dim) + 15) / 16 * 16)
#define SGNS_BATCH_WORK(m, n, dim) (((int64_t)(m) + (n)) * SGNS_WORK_ROW(dim) + (int64_t)(m) * (n))

#endif
