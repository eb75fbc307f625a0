/*
 * fmt_diff.c: the unified diff printed by `cpstack fmt -diff`.
 *
 * A plain LCS over lines after stripping the common head and tail, which
 * is all a formatter's small, local changes need. When the differing middle
 * is too big for the quadratic table (over ~16M cells) it is shown as one
 * replaced block instead.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lang/fmt.h"
#include "util/xalloc.h"

typedef struct span {
    const char *s;
    size_t n;
} span;

static span *split(const char *t, size_t len, size_t *count)
{
    span *v = NULL;
    size_t n = 0, cap = 0, at = 0;
    while (at < len) {
        const char *nl = memchr(t + at, '\n', len - at);
        size_t e = nl ? (size_t)(nl - t) + 1 : len;
        CP_GROW(v, n + 1, cap);
        v[n++] = (span){ t + at, e - at };
        at = e;
    }
    *count = n;
    return v;
}

static bool same(span a, span b) { return a.n == b.n && memcmp(a.s, b.s, a.n) == 0; }

/* ops: ' ' keep, '-' delete (from a), '+' insert (from b), in order. */
static char *diff_ops(const span *a, size_t na, const span *b, size_t nb, size_t *nops)
{
    size_t head = 0, tail = 0;
    while (head < na && head < nb && same(a[head], b[head])) head++;
    while (tail < na - head && tail < nb - head && same(a[na - 1 - tail], b[nb - 1 - tail])) tail++;
    size_t n = na - head - tail, m = nb - head - tail;
    char *ops = cp_xmalloc(na + nb + 1);
    size_t k = 0;
    memset(ops, ' ', head);
    k = head;
    if (n && m && (uint64_t)(n + 1) * (m + 1) <= 16u * 1024 * 1024) {
        uint32_t *t = cp_xcalloc((n + 1) * (m + 1), sizeof *t); /* t[i][j]: LCS of suffixes */
        for (size_t i = n; i-- > 0;)
            for (size_t j = m; j-- > 0;)
                t[i * (m + 1) + j] = same(a[head + i], b[head + j])
                                         ? t[(i + 1) * (m + 1) + j + 1] + 1
                                         : (t[(i + 1) * (m + 1) + j] > t[i * (m + 1) + j + 1]
                                                ? t[(i + 1) * (m + 1) + j]
                                                : t[i * (m + 1) + j + 1]);
        size_t i = 0, j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && same(a[head + i], b[head + j])) {
                ops[k++] = ' ';
                i++;
                j++;
            } else if (i < n && (j == m || t[(i + 1) * (m + 1) + j] >= t[i * (m + 1) + j + 1])) {
                ops[k++] = '-';
                i++;
            } else {
                ops[k++] = '+';
                j++;
            }
        }
        free(t);
    } else {
        memset(ops + k, '-', n);
        k += n;
        memset(ops + k, '+', m);
        k += m;
    }
    memset(ops + k, ' ', tail);
    *nops = k + tail;
    return ops;
}

static void add_line(cp_buf *out, char op, span l)
{
    cp_buf_addc(out, op);
    cp_buf_add(out, l.s, l.n);
    if (!l.n || l.s[l.n - 1] != '\n') cp_buf_adds(out, "\n\\ No newline at end of file\n");
}

void cp_fmt_diff(cp_buf *out, const char *path, const char *a, size_t alen, const char *b,
                 size_t blen)
{
    size_t na, nb, nops;
    span *la = split(a, alen, &na), *lb = split(b, blen, &nb);
    char *ops = diff_ops(la, na, lb, nb, &nops);
    bool header = false;
    size_t k = 0, ia = 0, ib = 0;
    enum { CTX = 3 };
    while (k < nops) {
        if (ops[k] == ' ') {
            k++;
            ia++;
            ib++;
            continue;
        }
        /* a hunk: from CTX lines before this change to CTX after the last
         * change that is at most 2*CTX lines from the previous one */
        size_t back = ia < CTX ? ia : CTX;
        back = back < ib ? back : ib;
        size_t ks = k - back, sa = ia - back, sb = ib - back, ke = k;
        size_t quiet = 0;
        for (size_t q = k; q < nops; q++) {
            if (ops[q] == ' ') {
                if (++quiet > 2 * CTX) break;
            } else {
                quiet = 0;
                ke = q + 1;
            }
        }
        size_t stop = ke;
        for (size_t c = 0; c < CTX && stop < nops && ops[stop] == ' '; c++) stop++;
        size_t ca = 0, cb = 0;
        for (size_t q = ks; q < stop; q++) {
            if (ops[q] != '+') ca++;
            if (ops[q] != '-') cb++;
        }
        if (!header) {
            while (*path == '/') path++;
            cp_buf_printf(out, "--- old/%s\n+++ new/%s\n", path, path);
            header = true;
        }
        cp_buf_printf(out, "@@ -%zu,%zu +%zu,%zu @@\n", ca ? sa + 1 : sa, ca, cb ? sb + 1 : sb, cb);
        size_t xa = sa, xb = sb;
        for (size_t q = ks; q < stop; q++) {
            if (ops[q] == ' ') {
                add_line(out, ' ', la[xa++]);
                xb++;
            } else if (ops[q] == '-')
                add_line(out, '-', la[xa++]);
            else
                add_line(out, '+', lb[xb++]);
        }
        k = stop;
        ia = xa;
        ib = xb;
    }
    free(ops);
    free(la);
    free(lb);
}
