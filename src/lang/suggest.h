/*
 * suggest.h: "did you mean …?" for misspelt names.
 *
 * Used for unknown function names here and, by the config layer, for
 * resource types, arguments, block types and variable names. Distance is
 * Damerau-Levenshtein (optimal string alignment: insert, delete, replace,
 * swap two neighbours), ignoring ASCII case.
 */
#ifndef CP_LANG_SUGGEST_H
#define CP_LANG_SUGGEST_H

#include <stddef.h>

/* Edit distance between a and b (ASCII case ignored). */
size_t cp_edit_distance(const char *a, const char *b);

/* The candidate nearest to name, if at distance 1 or 2 (only 1 for names
 * shorter than 6 characters, so "nope" does not suggest "name"); ties go to
 * the earlier candidate.
 * candidates is NULL-terminated; the result is one of its pointers, or NULL
 * when nothing is near (or name itself is a candidate). */
const char *cp_suggest(const char *name, const char *const *candidates);

#endif
