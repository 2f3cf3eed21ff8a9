/* The evaluation sets the demo world implies, written as text files the evaluation code reads
 * like any other. Reads a World only: any thread. */
#ifndef EMBEDSCOPE_WORLD_SETS_H
#define EMBEDSCOPE_WORLD_SETS_H
#include "model/base/err.h"
#include "model/text/world.h"
#include <stdbool.h>
#include <stdio.h>

/* Evaluation sets implied by the world: questions-words.txt format (one ": relation" section
 * per relation, one-to-one pairs only) and `w1<TAB>w2<TAB>score` pairs (9 related by a
 * relation, 7 same category, 1 neither). Deterministic. */
bool world_write_questions(const World *w, FILE *f, Err *e);
bool world_write_pairs(const World *w, FILE *f, Err *e);

#endif
