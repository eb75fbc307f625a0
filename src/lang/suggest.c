/*
 * suggest.c: edit distance and "did you mean" (see suggest.h). Works on
 * bytes; names are ASCII identifiers in practice. Rows are allocated per
 * call: suggestions are only computed on the error path.
 */
#include "lang/suggest.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

static bool same(char a, char b) { return tolower((unsigned char)a) == tolower((unsigned char)b); }

size_t cp_edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    /* three rows: i-2, i-1, i (the swap needs two back) */
    size_t *rows = cp_xcalloc(3 * (m + 1), sizeof *rows);
    size_t *pp = rows, *prev = rows + m + 1, *cur = rows + 2 * (m + 1);
    for (size_t j = 0; j <= m; j++) prev[j] = j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t cost = same(a[i - 1], b[j - 1]) ? 0 : 1;
            cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
            if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1]) &&
                pp[j - 2] + 1 < cur[j])
                cur[j] = pp[j - 2] + 1;
        }
        size_t *t = pp;
        pp = prev;
        prev = cur;
        cur = t;
    }
    size_t d = prev[m];
    free(rows);
    return d;
}

const char *cp_suggest(const char *name, const char *const *candidates)
{
    const char *best = NULL;
    size_t len = strlen(name), best_d = len >= 6 ? 3 : 2;
    for (size_t i = 0; candidates && candidates[i]; i++) {
        size_t clen = strlen(candidates[i]);
        if (clen == len && strcmp(candidates[i], name) == 0) return NULL;
        /* the length difference is a lower bound of the distance */
        if ((clen > len ? clen - len : len - clen) >= best_d) continue;
        size_t d = cp_edit_distance(name, candidates[i]);
        if (d < best_d && d < len) {
            best = candidates[i];
            best_d = d;
        }
    }
    return best;
}
