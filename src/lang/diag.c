/*
 * diag.c: source files, diagnostics and their printing (see diag.h).
 *
 * Sources are copied in and kept for the whole run so every location can be
 * shown later with its line. Diagnostics are collected (up to d->limit
 * errors; the rest are only counted) and printed sorted by file, line and
 * column, each as `file:line:col: message`, the source line, and a caret
 * line (`^~~~` under the range) that copies the line's tabs so the caret
 * lands under the right character whatever the tab width, and counts UTF-8
 * characters rather than bytes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lang/diag.h"
#include "util/buf.h"
#include "util/xalloc.h"

enum { DEFAULT_LIMIT = 50 };

/* ---- sources -------------------------------------------------------------- */

void cp_sources_init(cp_sources *s) { memset(s, 0, sizeof *s); }

void cp_sources_free(cp_sources *s)
{
    for (size_t i = 0; i < s->len; i++) {
        free(s->files[i].path);
        free(s->files[i].text);
    }
    free(s->files);
    memset(s, 0, sizeof *s);
}

uint32_t cp_sources_add(cp_sources *s, const char *path, const char *text, size_t len)
{
    CP_GROW(s->files, s->len + 2, s->cap);
    if (s->len == 0) {
        s->files[0] = (cp_source){ cp_xstrdup(""), cp_xstrdup(""), 0 };
        s->len = 1;
    }
    cp_source *f = &s->files[s->len];
    f->path = cp_xstrdup(path ? path : "");
    f->text = cp_xmalloc(len + 1);
    if (len) memcpy(f->text, text, len);
    f->text[len] = '\0';
    f->len = len;
    return (uint32_t)s->len++;
}

uint32_t cp_sources_load(cp_sources *s, const char *path, char **err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        *err = cp_xasprintf("cannot read %s: %s; check the path", path, strerror(errno));
        return 0;
    }
    if (S_ISDIR(st.st_mode)) {
        *err = cp_xasprintf("cannot read %s: it is a directory; name a .cp file", path);
        return 0;
    }
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        *err = cp_xasprintf("cannot read %s: %s; check its permissions", path, strerror(errno));
        return 0;
    }
    cp_buf b = { 0 };
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) cp_buf_add(&b, chunk, n);
    int failed = ferror(fp);
    fclose(fp);
    if (failed) {
        cp_buf_free(&b);
        *err = cp_xasprintf("cannot read %s: read error; check the file", path);
        return 0;
    }
    uint32_t id = cp_sources_add(s, path, b.data ? b.data : "", b.len);
    cp_buf_free(&b);
    return id;
}

const cp_source *cp_sources_get(const cp_sources *s, uint32_t id)
{
    if (!s || id == 0 || id >= s->len) return NULL;
    return &s->files[id];
}

/* ---- collecting ------------------------------------------------------------- */

void cp_diags_init(cp_diags *d)
{
    memset(d, 0, sizeof *d);
    d->limit = DEFAULT_LIMIT;
}

void cp_diags_free(cp_diags *d)
{
    for (size_t i = 0; i < d->len; i++) free(d->items[i].msg);
    free(d->items);
    d->items = NULL;
    d->len = d->cap = 0;
    d->errors = 0;
}

static void add(cp_diags *d, cp_diag_severity sev, cp_loc loc, const char *fmt, va_list ap)
{
    size_t limit = d->limit ? d->limit : DEFAULT_LIMIT;
    if (sev == CP_DIAG_ERROR && d->errors++ >= limit) return;
    if (sev == CP_DIAG_WARNING && d->len >= 4 * limit) return;
    cp_buf b = { 0 };
    cp_buf_vprintf(&b, fmt, ap);
    for (size_t i = 0; i < b.len; i++)
        if (b.data[i] == '\n' || b.data[i] == '\r') b.data[i] = ' '; /* one line each */
    CP_GROW(d->items, d->len + 1, d->cap);
    d->items[d->len++] = (cp_diag){ sev, loc, cp_buf_steal(&b) };
}

void cp_diag_error(cp_diags *d, cp_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(d, CP_DIAG_ERROR, loc, fmt, ap);
    va_end(ap);
}

void cp_diag_warning(cp_diags *d, cp_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(d, CP_DIAG_WARNING, loc, fmt, ap);
    va_end(ap);
}

bool cp_diags_has_errors(const cp_diags *d) { return d->errors > 0; }

bool cp_diags_full(const cp_diags *d) { return d->errors >= (d->limit ? d->limit : DEFAULT_LIMIT); }

/* ---- printing ------------------------------------------------------------------ */

char *cp_loc_string(const cp_sources *s, cp_loc loc)
{
    const cp_source *src = cp_sources_get(s, loc.file);
    if (!src) return cp_xstrdup("");
    if (loc.line == 0) return cp_xstrdup(src->path);
    return cp_xasprintf("%s:%u:%u", src->path, loc.line, loc.col);
}

/* Byte offset where loc's line starts, or SIZE_MAX if out of range. */
static size_t line_start(const cp_source *src, cp_loc loc)
{
    if (loc.offset <= src->len && loc.col >= 1 && loc.col - 1 <= loc.offset) {
        size_t at = loc.offset - (loc.col - 1);
        if (at == 0 || src->text[at - 1] == '\n') return at;
    }
    size_t at = 0; /* fall back: count lines */
    for (uint32_t l = 1; l < loc.line; l++) {
        const char *nl = memchr(src->text + at, '\n', src->len - at);
        if (!nl) return SIZE_MAX;
        at = (size_t)(nl - src->text) + 1;
    }
    return at;
}

static void print_snippet(FILE *out, const cp_source *src, cp_loc loc, bool color)
{
    size_t start = line_start(src, loc);
    if (start == SIZE_MAX || start > src->len) return;
    const char *line = src->text + start;
    const char *nl = memchr(line, '\n', src->len - start);
    size_t len = nl ? (size_t)(nl - line) : src->len - start;
    if (len && line[len - 1] == '\r') len--;
    fprintf(out, "  %.*s\n  ", (int)len, line);
    size_t at = loc.col ? loc.col - 1 : 0;
    if (at > len) at = len;
    for (size_t i = 0; i < at; i++) {
        unsigned char c = (unsigned char)line[i];
        if (c == '\t')
            fputc('\t', out);
        else if ((c & 0xc0) != 0x80)
            fputc(' ', out);
    }
    size_t end = loc.end_line == loc.line && loc.end_col > loc.col ? loc.end_col - 1 : at + 1;
    if (end > len) end = len > at ? len : at + 1;
    if (color) fputs("\033[1;32m", out);
    fputc('^', out);
    for (size_t i = at + 1; i < end; i++)
        if (((unsigned char)line[i] & 0xc0) != 0x80) fputc('~', out);
    if (color) fputs("\033[0m", out);
    fputc('\n', out);
}

static int cmp_diag(const void *pa, const void *pb)
{
    const cp_diag *a = *(const cp_diag *const *)pa, *b = *(const cp_diag *const *)pb;
    if (a->loc.file != b->loc.file) return a->loc.file < b->loc.file ? -1 : 1;
    if (a->loc.line != b->loc.line) return a->loc.line < b->loc.line ? -1 : 1;
    if (a->loc.col != b->loc.col) return a->loc.col < b->loc.col ? -1 : 1;
    return a < b ? -1 : a > b; /* keep insertion order */
}

static void print_one(const cp_diag *dg, const cp_sources *s, FILE *out, bool color)
{
    const cp_source *src = cp_sources_get(s, dg->loc.file);
    const char *bold = color ? "\033[1m" : "", *reset = color ? "\033[0m" : "";
    const char *kind =
        dg->severity == CP_DIAG_WARNING ? (color ? "\033[1;33mwarning:\033[0m " : "warning: ") : "";
    if (!src) {
        fprintf(out, "%s%s\n", kind, dg->msg);
        return;
    }
    if (dg->loc.line == 0) {
        fprintf(out, "%s%s:%s %s%s\n", bold, src->path, reset, kind, dg->msg);
        return;
    }
    fprintf(out, "%s%s:%u:%u:%s %s%s\n", bold, src->path, dg->loc.line, dg->loc.col, reset, kind,
            dg->msg);
    print_snippet(out, src, dg->loc, color);
}

void cp_diags_print(const cp_diags *d, const cp_sources *s, FILE *out, bool color)
{
    if (!d->len) return;
    const cp_diag **order = cp_xmalloc(d->len * sizeof *order);
    size_t recorded = 0;
    for (size_t i = 0; i < d->len; i++) {
        order[i] = &d->items[i];
        if (d->items[i].severity == CP_DIAG_ERROR) recorded++;
    }
    qsort(order, d->len, sizeof *order, cmp_diag);
    for (size_t i = 0; i < d->len; i++) print_one(order[i], s, out, color);
    free(order);
    if (d->errors > recorded)
        fprintf(out, "… and %zu more error%s not shown\n", d->errors - recorded,
                d->errors - recorded == 1 ? "" : "s");
    if (d->errors > 1) fprintf(out, "%zu errors\n", d->errors);
}
