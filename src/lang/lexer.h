/*
 * lexer.h: the token stream of .cp text, shared by the parser (parser.y) and
 * the formatter (fmt.c). Private to src/lang.
 *
 * grammar/lexer.l is a reentrant flex scanner. Its state lives in a
 * cp_lexer: the exact position (line, column, byte offset) of every token,
 * and a stack of open "frames" ( { [ ( for-braces, interpolations, strings,
 * heredocs ) that decides which flex start condition is active, whether a
 * newline is a token, and what "unclosed … opened at" means at end of file.
 * Template directives (%{ if … }, %{ for … } …) are frames of their own;
 * the ~ strip markers of ${~ … ~} and %{~ … ~} are applied here, to the
 * literal text next to them, so the parser only sees trimmed text.
 * Lexical errors (unterminated string, bad escape, bad number …) are reported
 * by the lexer itself; it then returns T_LEXERR so the parser recovers
 * without printing a second message.
 *
 * Token numbers are bison's (T_IDENT …, and single characters as
 * themselves); token text is the byte range [loc.offset, loc.end_offset).
 */
#ifndef CP_LANG_LEXER_H
#define CP_LANG_LEXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lang/ast.h"
#include "lang/diag.h"
#include "util/buf.h"
#include "parser.h" /* generated: token numbers and CP_YYSTYPE */

typedef struct cp_frame {
    char kind;       /* '{' '[' '(' 'F' (brace of a for), 'I' (${), 'D' (%{), '"',
                        'H' (heredoc), 'T' (a whole template file) */
    bool is_for;     /* '[' or '{' that opened a for expression */
    cp_loc loc;      /* where it was opened */
    uint32_t hd_end; /* 'H': offset of the closing marker line */
    uint32_t strip;  /* 'H': columns of indentation to strip (<<-) */
} cp_frame;

typedef struct cp_lexer {
    void *scanner; /* yyscan_t */
    const char *text;
    size_t len;
    uint32_t file;
    cp_arena *arena; /* identifier and literal text */
    cp_diags *diags;
    bool keep_comments;

    uint32_t off, line, bol;    /* position of the next byte; bol = line start */
    uint32_t soff, sline, sbol; /* start of the current match */

    cp_frame *frames;
    size_t nframes, capframes;

    int prev;         /* last significant token (not newline/comment) */
    bool stray_close; /* the last "}" ")" "]" closed nothing */
    bool has_skipped; /* … or closed over an unclosed ( or [: */
    cp_frame skipped; /* the innermost of those */

    const char **names; /* interned identifiers (open addressing) */
    size_t nnames, capnames;

    cp_buf lit; /* template literal being accumulated */
    bool lit_open;
    cp_loc lit_loc;
    /* Strip markers work on HCL's literal tokens: a heredoc or template
     * line (with its newline), a lone $ or %, an escape $${ or %%{, or a
     * run of other text. lit_tok: where the current one starts in lit. */
    size_t lit_tok;
    bool tok_break;      /* the next piece of text starts a new literal token */
    unsigned char ltrim; /* after ~}: 1 until the next literal token, 2 in it
                            (its leading white space is dropped), else 0 */
} cp_lexer;

/* text must stay alive while the lexer is used; arena receives token text. */
cp_lexer *cp_lexer_new(const char *text, size_t len, uint32_t file, cp_arena *arena,
                       cp_diags *diags, bool keep_comments);
void cp_lexer_free(cp_lexer *lx);
/* Scan the whole text as one template (templatefile): text, ${…} and
 * %{…} up to the end, which gives T_CHEREDOC. Call before the first token. */
void cp_lexer_template_mode(cp_lexer *lx);
/* Next raw token (0 at end); comments only in keep_comments mode. */
int cp_lexer_next(cp_lexer *lx, CP_YYSTYPE *val, cp_loc *loc);
/* Innermost open frame, or NULL. */
const cp_frame *cp_lexer_top(const cp_lexer *lx);
/* After a syntax error: forget open ( [ and for-braces so newlines count
 * again and the parser can resume at the next line. */
void cp_lexer_drop_brackets(cp_lexer *lx);

#endif
