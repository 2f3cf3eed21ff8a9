/* The demo world's trainer for tests: see test_world.h. */
#include "tests/test_world.h"

Trainer *test_world_trainer(Corpus *c, int dim, int iter, Err *e)
{
    if (!corpus_open(c, "@world", e))
        return NULL;
    TrainDesc d = train_desc_for_corpus(c, &(TrainDesc){.dim = dim, .threads = 1, .iter = iter});
    Vocab v;
    vocab_init(&v);
    Trainer *t = corpus_count(c, &v, (uint64_t)d.min_count, d.max_vocab, NULL, NULL, e)
                     ? trainer_create(&d, c, &v, e)
                     : NULL;
    vocab_deinit(&v);
    return t;
}
