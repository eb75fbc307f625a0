/*
 * parse.c: the entry points of the parser (cp_parse_source,
 * cp_parse_expression, cp_parse_template, cp_file_free), the token filter between the flex
 * scanner and bison, and the wording of syntax errors.
 *
 * The filter drops comments and repeated newlines and remembers the last
 * two tokens and where the current line's first token began, so that an
 * error can say what it came after: `expected "=" or "{" after "resource
 * \"aws_s3_bucket\" \"logs\"", got newline`. Bison's own messages are never
 * shown: cp_parse_report turns the lookahead and the expected tokens into a
 * sentence, with hand-written cases for the common mistakes.
 */
#include <stdlib.h>
#include <string.h>

#include "lang/ast_build.h"
#include "lang/lexer.h"
#include "util/buf.h"
#include "util/xalloc.h"

int cp_yylex(CP_YYSTYPE *val, cp_loc *loc, cp_parser *ps)
{
    if (ps->start) {
        int t = ps->start;
        ps->start = 0;
        *loc = (cp_loc){ .file = ps->file, .line = 1, .col = 1, .end_line = 1, .end_col = 1 };
        ps->line_begins = true;
        return t;
    }
    for (;;) {
        int t = cp_lexer_next(ps->lx, val, loc);
        if (t == T_COMMENT) continue;
        if (t == T_NEWLINE &&
            (ps->last == T_NEWLINE || ps->last == T_START_FILE || ps->last == T_START_EXPR ||
             ps->last == T_START_TEMPLATE || ps->last == 0))
            continue;
        if (ps->line_begins && t != T_NEWLINE) {
            ps->item_start = loc->offset;
            ps->line_begins = false;
        }
        if (t == T_NEWLINE) {
            ps->nl_item_start = ps->item_start;
            ps->nl_prev_end = ps->last_loc.end_offset;
        }
        if (t == T_NEWLINE || t == '{') ps->line_begins = true;
        ps->before_last = ps->last;
        ps->before_last_loc = ps->last_loc;
        ps->last = t;
        ps->last_loc = *loc;
        return t;
    }
}

void cp_yyerror(cp_loc *loc, cp_parser *ps, const char *msg)
{
    /* Only "memory exhausted" reaches here: nesting deeper than YYMAXDEPTH. */
    (void)msg;
    cp_diag_error(ps->diags, *loc,
                  "expression nested too deeply (more than %d levels); split it with locals",
                  CP_MAX_NESTING);
}

/* ---- wording ------------------------------------------------------------- */

/* Append s[0..n) as a double-quoted string, escaped, cut to max bytes. */
static void add_quoted(cp_buf *b, const char *s, size_t n, size_t max)
{
    cp_buf_addc(b, '"');
    for (size_t i = 0; i < n; i++) {
        if (i >= max) {
            cp_buf_adds(b, "…");
            break;
        }
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            cp_buf_addc(b, '\\');
            cp_buf_addc(b, (char)c);
        } else if (c == '\n' || c == '\t' || c == '\r') {
            cp_buf_addc(b, ' ');
        } else if (c < 0x20 || c == 0x7f) {
            cp_buf_printf(b, "\\x%02x", c);
        } else {
            cp_buf_addc(b, (char)c);
        }
    }
    cp_buf_addc(b, '"');
}

/* Name of a token kind, for "expected …" lists. */
static void add_token_name(cp_buf *b, int t)
{
    switch (t) {
    case 0:
        cp_buf_adds(b, "end of file");
        return;
    case T_NEWLINE:
        cp_buf_adds(b, "newline");
        return;
    case T_IDENT:
        cp_buf_adds(b, "a name");
        return;
    case T_NUMBER:
        cp_buf_adds(b, "a number");
        return;
    case T_OQUOTE:
        cp_buf_adds(b, "a string");
        return;
    case T_CQUOTE:
        cp_buf_adds(b, "a closing quote");
        return;
    case T_TLIT:
        cp_buf_adds(b, "text");
        return;
    case T_TINTERP:
        cp_buf_adds(b, "\"${\"");
        return;
    case T_TDIR:
        cp_buf_adds(b, "\"%{\"");
        return;
    case T_TEND:
        cp_buf_adds(b, "\"}\"");
        return;
    case T_ELSE:
        cp_buf_adds(b, "\"else\"");
        return;
    case T_ENDIF:
        cp_buf_adds(b, "\"endif\"");
        return;
    case T_ENDFOR:
        cp_buf_adds(b, "\"endfor\"");
        return;
    case T_OHEREDOC:
        cp_buf_adds(b, "a heredoc");
        return;
    case T_CHEREDOC:
        cp_buf_adds(b, "the end of the heredoc");
        return;
    case T_EQ:
        cp_buf_adds(b, "\"==\"");
        return;
    case T_NE:
        cp_buf_adds(b, "\"!=\"");
        return;
    case T_LE:
        cp_buf_adds(b, "\"<=\"");
        return;
    case T_GE:
        cp_buf_adds(b, "\">=\"");
        return;
    case T_AND:
        cp_buf_adds(b, "\"&&\"");
        return;
    case T_OR:
        cp_buf_adds(b, "\"||\"");
        return;
    case T_ARROW:
        cp_buf_adds(b, "\"=>\"");
        return;
    case T_ELLIPSIS:
        cp_buf_adds(b, "\"...\"");
        return;
    case T_FOR:
        cp_buf_adds(b, "\"for\"");
        return;
    case T_IN:
        cp_buf_adds(b, "\"in\"");
        return;
    case T_IF:
        cp_buf_adds(b, "\"if\"");
        return;
    default:
        if (t > 0 && t < 128)
            cp_buf_printf(b, "\"%c\"", t);
        else
            cp_buf_adds(b, "a token");
    }
}

/* The token that was found, for "got …". */
static void add_got(cp_parser *ps, cp_buf *b, int t, cp_loc loc)
{
    if (t == 0)
        cp_buf_adds(b, "end of file");
    else if (t == T_NEWLINE)
        cp_buf_adds(b, "newline");
    else if (t == T_OQUOTE)
        cp_buf_adds(b, "a string");
    else if (t == T_OHEREDOC)
        cp_buf_adds(b, "a heredoc");
    else if (t == T_TLIT)
        cp_buf_adds(b, "text");
    else if (loc.end_offset > loc.offset && loc.end_offset <= ps->len)
        add_quoted(b, ps->text + loc.offset, loc.end_offset - loc.offset, 30);
    else
        add_token_name(b, t);
}

static bool has(const int *exp, int n, int t)
{
    for (int i = 0; i < n; i++)
        if (exp[i] == t) return true;
    return false;
}

/* The source text from the first token of the line to the end of `end`. */
static void add_snippet(cp_parser *ps, cp_buf *b, uint32_t start, uint32_t end)
{
    if (end > ps->len || start >= end) {
        cp_buf_adds(b, "\"\"");
        return;
    }
    add_quoted(b, ps->text + start, end - start, 40);
}

static void report_unclosed(cp_parser *ps, const cp_frame *f)
{
    char open = f->kind == 'F' ? '{' : f->kind == 'I' ? '$' : f->kind == 'D' ? '%' : f->kind;
    const char *close = open == '[' ? "]" : open == '(' ? ")" : "}";
    cp_diag_error(ps->diags, f->loc, "unclosed \"%s\" opened at %u:%u; add the matching \"%s\"",
                  open == '$'   ? "${"
                  : open == '%' ? "%{"
                  : open == '{' ? "{"
                  : open == '[' ? "["
                                : "(",
                  f->loc.line, f->loc.col, close);
}

static void report_generic(cp_parser *ps, cp_buf *m, int tok, cp_loc loc, const int *exp, int n)
{
    cp_buf_adds(m, "expected ");
    for (int i = 0; i < n; i++) {
        if (i) cp_buf_adds(m, i == n - 1 ? " or " : ", ");
        add_token_name(m, exp[i]);
    }
    cp_buf_adds(m, ", got ");
    add_got(ps, m, tok, loc);
}

static bool is_closer(int t) { return t == '}' || t == ')' || t == ']' || t == T_TEND; }

/* A string opened inside "${" of a string, with no closing quote on the
 * line: the interpolation was not closed, and the lexer will say so. */
static bool lexer_will_report(cp_parser *ps, int tok, cp_loc loc)
{
    const cp_lexer *lx = ps->lx;
    size_t n = lx->nframes;
    if (tok != T_OQUOTE || n < 3 || lx->frames[n - 1].kind != '"' ||
        (lx->frames[n - 2].kind != 'I' && lx->frames[n - 2].kind != 'D') ||
        lx->frames[n - 3].kind != '"')
        return false;
    for (size_t i = loc.end_offset; i < ps->len && ps->text[i] != '\n'; i++)
        if (ps->text[i] == '"') return false;
    return true;
}

/* Separators expected between items: "," and a closer (object, list, call). */
static bool report_separator(cp_parser *ps, cp_buf *m, int tok, cp_loc loc, const int *exp, int n)
{
    const char *what = has(exp, n, '}')   ? "\",\" or a newline"
                       : has(exp, n, ']') ? "\",\" or \"]\""
                       : has(exp, n, ')') ? "\",\" or \")\""
                                          : NULL;
    if (!what || !has(exp, n, ',')) return false;
    cp_buf_printf(m, "expected %s after ", what);
    add_got(ps, m, ps->before_last, ps->before_last_loc);
    cp_buf_adds(m, ", got ");
    add_got(ps, m, tok, loc);
    return true;
}

void cp_parse_report(cp_parser *ps, int tok, cp_loc loc, const int *exp, int n)
{
    const cp_frame *top = cp_lexer_top(ps->lx);
    if (tok == T_LEXERR || lexer_will_report(ps, tok, loc)) {
        if (tok != T_LEXERR && !ps->deferred_kind) {
            const cp_frame *interp = &ps->lx->frames[ps->lx->nframes - 2];
            ps->deferred_kind = interp->kind;
            ps->deferred_loc = interp->loc;
        }
        cp_lexer_drop_brackets(ps->lx);
        return; /* the lexer says it */
    }
    if (cp_diags_full(ps->diags)) { /* only counted: no wording needed */
        cp_lexer_drop_brackets(ps->lx);
        cp_diag_error(ps->diags, loc, "syntax error");
        return;
    }
    if (tok == 0 && top && top->kind != 'H' && top->kind != '"' && top->kind != 'T') {
        report_unclosed(ps, top);
        cp_lexer_drop_brackets(ps->lx);
        return;
    }
    if (is_closer(tok) && ps->lx->has_skipped && ps->last == tok) {
        report_unclosed(ps, &ps->lx->skipped);
        cp_lexer_drop_brackets(ps->lx);
        return;
    }
    if (top && (top->kind == '(' || top->kind == '[') && loc.line > ps->before_last_loc.end_line &&
        !has(exp, n, T_IDENT)) {
        report_unclosed(ps, top); /* newlines were skipped: the closer is missing */
        cp_lexer_drop_brackets(ps->lx);
        return;
    }
    cp_lexer_drop_brackets(ps->lx);
    if (ps->before_last == T_ELSE && loc.end_offset == loc.offset + 2 &&
        memcmp(ps->text + loc.offset, "if", 2) == 0) {
        cp_diag_error(ps->diags, loc,
                      "templates have no %%{ else if }: write %%{ else }%%{ if COND }…%%{ endif }"
                      "%%{ endif }");
        return;
    }
    cp_buf m = { 0 };
    bool is_expr = has(exp, n, T_IDENT) && has(exp, n, T_NUMBER) && has(exp, n, T_OQUOTE);
    if (n == 1 && exp[0] == '{' && ps->before_last == T_NEWLINE) {
        /* `resource "a" "b"` then a newline: the brace is missing. */
        cp_buf_adds(&m, "expected \"=\" or \"{\" after ");
        add_snippet(ps, &m, ps->nl_item_start, ps->nl_prev_end);
        cp_buf_adds(&m, ", got newline");
        loc = ps->before_last_loc;
    } else if (has(exp, n, '=') && has(exp, n, '{')) {
        cp_buf_adds(&m, "expected \"=\" or \"{\" after ");
        add_snippet(ps, &m, ps->item_start, ps->before_last_loc.end_offset);
        cp_buf_adds(&m, ", got ");
        add_got(ps, &m, tok, loc);
    } else if (tok == '}' && ps->lx->stray_close) {
        cp_buf_adds(&m, "unexpected \"}\" with no matching \"{\"; remove it");
    } else if (tok == ')' || tok == ']') {
        if (ps->lx->stray_close)
            cp_buf_printf(&m, "unexpected \"%c\" with no matching \"%c\"; remove it", tok,
                          tok == ')' ? '(' : '[');
        else
            report_generic(ps, &m, tok, loc, exp, n);
    } else if (report_separator(ps, &m, tok, loc, exp, n)) {
        /* message written */
    } else if (has(exp, n, ':') && !has(exp, n, '=') && !is_expr) {
        cp_buf_adds(&m, "expected \":\" after ");
        add_got(ps, &m, ps->before_last, ps->before_last_loc);
        cp_buf_adds(&m, ", got ");
        add_got(ps, &m, tok, loc);
    } else if (is_expr) {
        cp_buf_adds(&m, "expected an expression after ");
        add_got(ps, &m, ps->before_last, ps->before_last_loc);
        cp_buf_adds(&m, ", got ");
        add_got(ps, &m, tok, loc);
    } else if (has(exp, n, T_NEWLINE) && tok != T_NEWLINE && !has(exp, n, ',')) {
        cp_buf_adds(&m, has(exp, n, '+') ? "expected an operator or a newline after "
                                         : "expected a newline after ");
        add_snippet(ps, &m, ps->item_start, ps->before_last_loc.end_offset);
        cp_buf_adds(&m, ", got ");
        add_got(ps, &m, tok, loc);
        cp_buf_adds(&m, "; put each attribute and block on its own line");
    } else if (n > 0 && n <= 5) {
        report_generic(ps, &m, tok, loc, exp, n);
    } else {
        cp_buf_adds(&m, "unexpected ");
        add_got(ps, &m, tok, loc);
    }
    cp_diag_error(ps->diags, loc, "%s", m.data);
    cp_buf_free(&m);
}

/* ---- entry points ------------------------------------------------------- */

static void parser_init(cp_parser *ps, const cp_sources *srcs, uint32_t id, cp_arena *arena,
                        cp_diags *diags, int start)
{
    const cp_source *src = cp_sources_get(srcs, id);
    memset(ps, 0, sizeof *ps);
    ps->srcs = srcs;
    ps->file = id;
    ps->text = src ? src->text : "";
    ps->len = src ? src->len : 0;
    ps->arena = arena;
    ps->diags = diags;
    ps->start = start;
    ps->lx = cp_lexer_new(ps->text, ps->len, id, arena, diags, false);
    if (start == T_START_TEMPLATE) cp_lexer_template_mode(ps->lx);
}

/* Run the parser; an error left to the lexer that it did not report is
 * reported here, so a broken text never parses clean. */
static int parser_run(cp_parser *ps)
{
    size_t before = ps->diags->errors;
    int rc = cp_yyparse(ps);
    if (ps->deferred_kind && ps->diags->errors == before) {
        bool d = ps->deferred_kind == 'D';
        cp_diag_error(
            ps->diags, ps->deferred_loc,
            "unclosed \"%s\" opened at %u:%u; close the %s with \"}\" before the string ends",
            d ? "%{" : "${", ps->deferred_loc.line, ps->deferred_loc.col,
            d ? "directive" : "interpolation");
    }
    return rc;
}

cp_file *cp_parse_source(const cp_sources *srcs, uint32_t id, cp_diags *diags)
{
    cp_arena *arena = cp_arena_new();
    cp_file *f = cp_arena_alloc(arena, sizeof *f);
    f->source = id;
    f->arena = arena;
    cp_parser ps;
    parser_init(&ps, srcs, id, arena, diags, T_START_FILE);
    parser_run(&ps);
    cp_lexer_free(ps.lx);
    f->body = ps.body;
    if (!f->body) f->body = cp_ast_body(&ps, (cp_loc){ .file = id }, NULL);
    return f;
}

cp_expr *cp_parse_expression(const cp_sources *srcs, uint32_t id, cp_arena *arena, cp_diags *diags)
{
    size_t before = diags->errors;
    cp_parser ps;
    parser_init(&ps, srcs, id, arena, diags, T_START_EXPR);
    int rc = parser_run(&ps);
    cp_lexer_free(ps.lx);
    if (rc != 0 || diags->errors != before) return NULL;
    return ps.expr;
}

cp_expr *cp_parse_template(const cp_sources *srcs, uint32_t id, cp_arena *arena, cp_diags *diags)
{
    size_t before = diags->errors;
    cp_parser ps;
    parser_init(&ps, srcs, id, arena, diags, T_START_TEMPLATE);
    int rc = parser_run(&ps);
    cp_lexer_free(ps.lx);
    if (rc != 0 || diags->errors != before) return NULL;
    return ps.expr;
}

void cp_file_free(cp_file *f)
{
    if (f) cp_arena_free(f->arena);
}
