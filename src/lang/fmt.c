/*
 * fmt.c: the formatter behind `cpstack fmt` (see fmt.h for the layout).
 *
 * Three passes over the token stream of a file that parses cleanly:
 *   1. units: tokens, except that a whole "string" or heredoc (with any
 *      interpolations inside) is one unit copied verbatim;
 *   2. lines: units grouped by the source line they start on, with their
 *      indentation (one level per line that opens brackets, as hclwrite
 *      does, so `f(g(` indents once) and whether a blank line precedes;
 *   3. output: units joined with canonical spacing, `=` padded within runs
 *      of single-line attributes.
 * Newline tokens are not used: line structure comes from token positions,
 * which also covers newlines inside ( ) and [ ].
 */
#include <stdlib.h>
#include <string.h>

#include "lang/ast.h"
#include "lang/fmt.h"
#include "lang/lexer.h"
#include "util/xalloc.h"

typedef struct unit {
    int kind;          /* token kind; T_OQUOTE / T_OHEREDOC for whole strings */
    uint32_t off, end; /* bytes copied */
    uint32_t line, end_line;
} unit;

typedef struct fline {
    size_t first, n; /* units */
    int indent;
    bool blank_before;
    bool attr;     /* single-line `key = value` */
    size_t pad;    /* spaces to add after the key */
    bool ends_run; /* `key = <<EOT`: aligned, but ends the run */
} fline;

typedef struct fmt_ctx {
    const char *text;
    unit *units;
    size_t nunits, capunits;
    fline *lines;
    size_t nlines, caplines;
} fmt_ctx;

/* ---- pass 1: units ------------------------------------------------------- */

static void add_unit(fmt_ctx *c, int kind, cp_loc start, cp_loc end)
{
    CP_GROW(c->units, c->nunits + 1, c->capunits);
    c->units[c->nunits++] = (unit){ kind, start.offset, end.end_offset, start.line, end.end_line };
}

static void collect_units(fmt_ctx *c, const char *text, size_t len)
{
    cp_diags quiet;
    cp_diags_init(&quiet);
    cp_arena *arena = cp_arena_new();
    cp_lexer *lx = cp_lexer_new(text, len, 1, arena, &quiet, true);
    CP_YYSTYPE val;
    cp_loc loc, start = { 0 };
    int t, depth = 0, open_kind = 0;
    while ((t = cp_lexer_next(lx, &val, &loc)) != 0) {
        if (t == T_NEWLINE) continue;
        if (t == T_OQUOTE || t == T_OHEREDOC) {
            if (depth++ == 0) {
                start = loc;
                open_kind = t;
            }
            continue;
        }
        if (t == T_CQUOTE || t == T_CHEREDOC) {
            if (depth > 0 && --depth == 0) add_unit(c, open_kind, start, loc);
            continue;
        }
        if (depth == 0) add_unit(c, t, loc, loc);
    }
    cp_lexer_free(lx);
    cp_arena_free(arena);
    cp_diags_free(&quiet);
}

/* ---- pass 2: lines ---------------------------------------------------------- */

static bool is_open(int k) { return k == '{' || k == '[' || k == '('; }
static bool is_close(int k) { return k == '}' || k == ']' || k == ')'; }

/* One indentation level per line that opens brackets: stack[i] counts the
 * brackets still open from the line that pushed it. */
typedef struct indent_stack {
    int *v;
    size_t n, cap;
} indent_stack;

static void close_one(indent_stack *s)
{
    if (s->n && --s->v[s->n - 1] == 0) s->n--;
}

static void split_lines(fmt_ctx *c)
{
    indent_stack st = { 0 };
    size_t i = 0;
    uint32_t prev_end = 0;
    while (i < c->nunits) {
        fline l = { .first = i };
        uint32_t line = c->units[i].line;
        l.blank_before = prev_end && line > prev_end + 1;
        while (i < c->nunits && (i == l.first || c->units[i].line <= c->units[i - 1].end_line)) i++;
        l.n = i - l.first;
        prev_end = c->units[i - 1].end_line;
        size_t k = l.first;
        for (; k < i && is_close(c->units[k].kind); k++) close_one(&st);
        l.indent = (int)st.n;
        int net = 0;
        for (; k < i; k++) {
            if (is_open(c->units[k].kind))
                net++;
            else if (is_close(c->units[k].kind)) {
                if (net > 0)
                    net--;
                else
                    close_one(&st);
            }
        }
        if (net > 0) {
            CP_GROW(st.v, st.n + 1, st.cap);
            st.v[st.n++] = net;
        }
        const unit *u = &c->units[l.first];
        l.attr = l.n >= 3 && net == 0 && (u[0].kind == T_IDENT || u[0].kind == T_OQUOTE) &&
                 u[1].kind == '=' && !is_close(u[0].kind);
        for (size_t j = l.first, bal = 0; l.attr && j < i; j++) {
            if (c->units[j].end_line > c->units[j].line) { /* heredoc */
                if (j + 1 < i) l.attr = false;
                l.ends_run = true;
            } else if (is_open(c->units[j].kind))
                bal++;
            else if (is_close(c->units[j].kind) && bal-- == 0)
                l.attr = false; /* ends an earlier value */
        }
        CP_GROW(c->lines, c->nlines + 1, c->caplines);
        c->lines[c->nlines++] = l;
    }
    free(st.v);
}

/* `=` alignment within runs of consecutive attribute lines at one indent. */
static void align(fmt_ctx *c)
{
    size_t i = 0;
    while (i < c->nlines) {
        if (!c->lines[i].attr) {
            i++;
            continue;
        }
        size_t j = i + 1, w = 0;
        while (j < c->nlines && !c->lines[j - 1].ends_run && c->lines[j].attr &&
               !c->lines[j].blank_before && c->lines[j].indent == c->lines[i].indent)
            j++;
        for (size_t k = i; k < j; k++) {
            const unit *u = &c->units[c->lines[k].first];
            if (u->end - u->off > w) w = u->end - u->off;
        }
        for (size_t k = i; k < j; k++) {
            const unit *u = &c->units[c->lines[k].first];
            c->lines[k].pad = w - (u->end - u->off);
        }
        i = j;
    }
}

/* ---- pass 3: output --------------------------------------------------------- */

/* Does this token end an operand (so a following - is binary, [ an index)? */
static bool ends_operand(int k)
{
    return k == T_IDENT || k == T_NUMBER || k == T_OQUOTE || k == T_OHEREDOC || k == ')' ||
           k == ']' || k == '}';
}

static bool space_between(const unit *u, size_t i, size_t first)
{
    int a = u[i - 1].kind, b = u[i].kind;
    int before_a = i - 1 > first ? u[i - 2].kind : 0;
    if (b == T_COMMENT) return true;
    if (a == '(' || a == '[' || b == ')' || b == ']' || b == ',' || b == T_ELLIPSIS) return false;
    if (a == '{') return b != '}';
    if (b == '}') return true;
    /* `0 .z` stays apart: `0.z` would read as a number (a `.` after a
     * number that itself follows a `.`, as in `a.0.b`, is a traversal). */
    if (b == '.' && a == T_NUMBER && before_a != '.') return true;
    if (a == '.' || b == '.') return false;
    if (b == '*' && (a == '[' || a == '.')) return false;
    if (b == '[' && ends_operand(a)) return false;
    if (b == '(' && a == T_IDENT) return false;
    bool a_unary = (a == '-' || a == '!') && !(i - 1 > first && ends_operand(before_a));
    if (a_unary) return false;
    return true;
}

static void emit_line(fmt_ctx *c, const fline *l, cp_buf *out)
{
    const unit *u = c->units;
    for (int k = 0; k < l->indent; k++) cp_buf_adds(out, "  ");
    for (size_t i = l->first; i < l->first + l->n; i++) {
        if (i > l->first && space_between(u, i, l->first)) cp_buf_addc(out, ' ');
        uint32_t end = u[i].end;
        if (u[i].kind == T_OHEREDOC || u[i].kind == T_COMMENT)
            while (end > u[i].off && (c->text[end - 1] == ' ' || c->text[end - 1] == '\t' ||
                                      c->text[end - 1] == '\r'))
                end--;
        cp_buf_add(out, c->text + u[i].off, end - u[i].off);
        if (i == l->first && l->attr)
            for (size_t p = 0; p < l->pad; p++) cp_buf_addc(out, ' ');
    }
    cp_buf_addc(out, '\n');
}

static void format_text(const char *text, size_t len, cp_buf *out)
{
    fmt_ctx c = { .text = text };
    collect_units(&c, text, len);
    split_lines(&c);
    align(&c);
    for (size_t i = 0; i < c.nlines; i++) {
        if (c.lines[i].blank_before) cp_buf_addc(out, '\n');
        emit_line(&c, &c.lines[i], out);
    }
    free(c.units);
    free(c.lines);
}

int cp_fmt_file(const cp_sources *s, uint32_t id, cp_buf *out, cp_diags *d)
{
    const cp_source *src = cp_sources_get(s, id);
    if (!src) return -1;
    size_t before = d->errors;
    cp_file *f = cp_parse_source(s, id, d);
    cp_file_free(f);
    if (d->errors != before) return -1;
    format_text(src->text, src->len, out);
    return 0;
}

int cp_fmt_source(const char *path, const char *text, size_t len, cp_buf *out, cp_diags *d)
{
    cp_sources s;
    cp_diags local;
    cp_sources_init(&s);
    cp_diags_init(&local);
    uint32_t id = cp_sources_add(&s, path, text, len);
    int rc = cp_fmt_file(&s, id, out, &local);
    for (size_t i = 0; i < local.len; i++)
        cp_diag_error(d, (cp_loc){ 0 }, "%s:%u:%u: %s", path, local.items[i].loc.line,
                      local.items[i].loc.col, local.items[i].msg);
    d->errors += local.errors - local.len; /* those past the limit */
    cp_diags_free(&local);
    cp_sources_free(&s);
    return rc;
}
