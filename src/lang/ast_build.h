/*
 * ast_build.h: the small constructors that grammar/parser.y's semantic
 * actions call (implemented in ast.c), and the parser state they share.
 * Private to src/lang.
 *
 * Lists are built as arena-allocated linked chains while parsing and turned
 * into arrays once complete, so the parser never reallocates.
 */
#ifndef CP_LANG_AST_BUILD_H
#define CP_LANG_AST_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "lang/ast.h"
#include "lang/diag.h"

typedef struct cp_tok { /* identifier or template text */
    const char *s;      /* arena copy, NUL-terminated */
    size_t n;
} cp_tok;

typedef struct cp_link cp_link;
struct cp_link {
    void *a, *b; /* expr (and value expr for objects), attr/block */
    cp_loc loc;
    cp_link *next;
};

typedef struct cp_chain { /* a list under construction */
    cp_link *head, *tail;
    size_t len;
} cp_chain;

typedef struct cp_post { /* a postfix expression */
    cp_expr *e;
    int splat; /* 0, or '*' (full: takes .a and [i]) or '.' (attr: .a only) */
} cp_post;

typedef struct cp_item { /* one body item; both NULL after an error */
    cp_attr *attr;
    cp_block *block;
} cp_item;

typedef struct cp_forhead {
    cp_tok k, v; /* k.s NULL when there is one variable */
    cp_expr *coll;
} cp_forhead;

struct cp_lexer;

typedef struct cp_parser {
    struct cp_lexer *lx;
    const cp_sources *srcs;
    uint32_t file;
    const char *text;
    size_t len;
    cp_arena *arena;
    cp_diags *diags;
    int start;     /* T_START_FILE / T_START_EXPR, returned first */
    cp_body *body; /* results */
    cp_expr *expr;
    /* context for error messages */
    int last, before_last; /* token kinds */
    cp_loc last_loc, before_last_loc;
    uint32_t item_start; /* offset of the first token of the line */
    bool line_begins;
    uint32_t nl_item_start, nl_prev_end; /* the line the last newline ended */
    /* An error left to the lexer (a string opened inside "${" of a string):
     * the interpolation it belongs to, reported after all if the lexer never
     * met the broken string (a "${" inside it took it back to code). */
    char deferred_kind;
    cp_loc deferred_loc;
    void *free_links, *free_attrs; /* recycled temporaries (see ast.c) */
    size_t nodes, nodes_checked;   /* expression nodes made; when last checked */
} cp_parser;

/* Expressions. */
cp_expr *cp_ast_number(cp_parser *ps, cp_loc loc, double n);
cp_expr *cp_ast_name(cp_parser *ps, cp_loc loc, cp_tok name); /* var or true/false/null */
/* A template from its flat parts; end is the closing quote, heredoc marker
 * or end of file (where a missing %{ endif } is reported). */
cp_expr *cp_ast_template(cp_parser *ps, cp_loc loc, cp_chain *parts, cp_loc end);
void cp_ast_tmpl_text(cp_parser *ps, cp_chain *parts, cp_loc loc, cp_tok text);
void cp_ast_tmpl_expr(cp_parser *ps, cp_chain *parts, cp_expr *e);
typedef enum cp_tdir_kind {
    CP_TD_IF,
    CP_TD_ELSE,
    CP_TD_ENDIF,
    CP_TD_FOR,
    CP_TD_ENDFOR
} cp_tdir_kind;
/* One directive from its "%{" (open) to its "}" (close): e is the
 * condition or the collection; k, v the names of a for (k may be NULL). */
void cp_ast_tmpl_dir(cp_parser *ps, cp_chain *parts, cp_tdir_kind kind, cp_loc open, cp_loc close,
                     cp_expr *e, const char *k, const char *v);
cp_expr *cp_ast_unary(cp_parser *ps, cp_loc loc, cp_op op, cp_expr *a);
cp_expr *cp_ast_binary(cp_parser *ps, cp_loc loc, cp_op op, cp_expr *a, cp_expr *b);
cp_expr *cp_ast_cond(cp_parser *ps, cp_loc loc, cp_expr *p, cp_expr *a, cp_expr *b);
cp_expr *cp_ast_call(cp_parser *ps, cp_loc loc, cp_tok name, cp_loc name_loc, cp_chain *args,
                     int expand);
cp_expr *cp_ast_list(cp_parser *ps, cp_loc loc, cp_chain *items);
cp_expr *cp_ast_object(cp_parser *ps, cp_loc loc, cp_chain *items);
cp_expr *cp_ast_for(cp_parser *ps, cp_loc loc, const cp_forhead *h, cp_expr *key, cp_expr *val,
                    int group, cp_expr *cond);
cp_expr *cp_ast_paren(cp_parser *ps, cp_loc loc, cp_expr *a);
/* Postfix traversals: .name, [key], .N, [*], .* (splats absorb what follows). */
cp_post cp_ast_post_attr(cp_parser *ps, cp_loc loc, cp_post p, cp_tok name, cp_loc name_loc);
cp_post cp_ast_post_index(cp_parser *ps, cp_loc loc, cp_post p, cp_expr *key);
cp_post cp_ast_post_splat(cp_parser *ps, cp_loc loc, cp_post p, int kind);

/* A complete expression (an attribute's value, a standalone expression):
 * returns e, or a null literal after reporting that e nests deeper than
 * CP_MAX_NESTING. */
cp_expr *cp_ast_root(cp_parser *ps, cp_expr *e);

/* Chains. */
void cp_chain_add(cp_parser *ps, cp_chain *c, void *a, void *b, cp_loc loc);

/* For ast_template.c (implemented in ast.c): a node of kind, a string
 * literal, a chain of expressions made an array (the chain is recycled),
 * and a chain recycled unused. */
cp_expr *cp_ast_new_node(cp_parser *ps, cp_expr_kind kind, cp_loc loc);
cp_expr *cp_ast_string(cp_parser *ps, cp_loc loc, const char *s, size_t n);
cp_expr_list cp_ast_list_take(cp_parser *ps, cp_chain *c);
void cp_ast_chain_free(cp_parser *ps, cp_chain *c);

/* Bodies. */
cp_attr *cp_ast_attr(cp_parser *ps, cp_loc loc, cp_tok name, cp_loc name_loc, cp_expr *e);
cp_block *cp_ast_block(cp_parser *ps, cp_loc loc, cp_tok type, cp_loc type_loc, cp_chain *labels,
                       cp_body *body);
/* A label from a string: must be plain text (no ${ }). */
const char *cp_ast_label_text(cp_parser *ps, cp_expr *tmpl);
cp_body *cp_ast_body(cp_parser *ps, cp_loc loc, cp_chain *items);

/* Syntax errors (ast.c has the wording). tok is the lookahead token kind,
 * expected the tokens that would have been accepted. */
void cp_parse_report(cp_parser *ps, int tok, cp_loc loc, const int *expected, int nexpected);

#endif
