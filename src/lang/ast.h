/*
 * ast.h: the syntax tree of .cp files, as built by grammar/parser.y.
 *
 * A file is a body: attributes (name = expr) and blocks (type "label"… { body }).
 * Expressions are cp_expr nodes. Every node carries its cp_loc. All nodes of
 * one parse live in one cp_arena and are freed together with it; literal
 * values inside nodes are owned by the arena as well (released on free).
 * The tree is immutable once parsed and may be read from several threads.
 */
#ifndef CP_LANG_AST_H
#define CP_LANG_AST_H

#include <stddef.h>

#include "lang/diag.h"
#include "lang/value.h"

typedef struct cp_arena cp_arena;
cp_arena *cp_arena_new(void);
void cp_arena_free(cp_arena *a);
void *cp_arena_alloc(cp_arena *a, size_t n); /* zeroed */
char *cp_arena_strndup(cp_arena *a, const char *s, size_t n);
/* The arena keeps (and later releases) v; returns v for convenience. */
cp_value *cp_arena_keep_value(cp_arena *a, cp_value *v);

typedef enum cp_expr_kind {
    CP_E_LITERAL,  /* u.literal: number, string, bool, null */
    CP_E_TEMPLATE, /* u.list: parts concatenated as strings; a template
                      that is exactly one "${x}" yields x unconverted */
    CP_E_VAR,      /* u.var.name: a root name: var, local, each, count,
                      stack, data, self, or a resource type */
    CP_E_GETATTR,  /* u.getattr.obj . u.getattr.name */
    CP_E_INDEX,    /* u.index.obj [ u.index.key ] */
    CP_E_SPLAT,    /* u.splat.obj [*] u.splat.each; each is evaluated
                      per element with CP_E_SPLAT_ITEM standing for it */
    CP_E_SPLAT_ITEM,
    CP_E_UNARY,  /* u.unary.op ("-" or "!") u.unary.a */
    CP_E_BINARY, /* u.binary.a op u.binary.b */
    CP_E_COND,   /* u.cond.pred ? u.cond.a : u.cond.b */
    CP_E_CALL,   /* u.call.name ( args… [...] ) */
    CP_E_LIST,   /* u.list: [ items ] */
    CP_E_OBJECT, /* u.object: { key = value, … } */
    CP_E_FOR,    /* u.forx: [for k, v in coll : val if cond] or {for …: key => val…} */
    CP_E_PAREN,  /* u.paren: ( a ); kept so object keys (a) are not names */
    /* Template directives, parts of a CP_E_TEMPLATE; each gives a string.
     * Their bodies are CP_E_TEMPLATE nodes, always rendered as strings. */
    CP_E_TMPL_IF, /* u.cond: %{ if pred }a%{ else }b%{ endif }; b NULL
                     without %{ else } */
    CP_E_TMPL_FOR /* u.forx: %{ for key_var, val_var in coll }val%{ endfor }
                     (key, cond NULL; is_map, group 0) */
} cp_expr_kind;

typedef enum cp_op {
    CP_OP_ADD,
    CP_OP_SUB,
    CP_OP_MUL,
    CP_OP_DIV,
    CP_OP_MOD,
    CP_OP_EQ,
    CP_OP_NE,
    CP_OP_LT,
    CP_OP_LE,
    CP_OP_GT,
    CP_OP_GE,
    CP_OP_AND,
    CP_OP_OR,
    CP_OP_NEG,
    CP_OP_NOT
} cp_op;

typedef struct cp_expr cp_expr;

typedef struct cp_expr_list {
    cp_expr **items;
    size_t len;
} cp_expr_list;

struct cp_expr {
    cp_expr_kind kind;
    cp_loc loc;
    union {
        cp_value *literal;
        cp_expr_list list;
        struct {
            const char *name;
        } var;
        struct {
            cp_expr *obj;
            const char *name;
            cp_loc name_loc;
        } getattr;
        struct {
            cp_expr *obj;
            cp_expr *key;
        } index;
        struct {
            cp_expr *obj;
            cp_expr *each;
        } splat;
        struct {
            cp_op op;
            cp_expr *a;
        } unary;
        struct {
            cp_op op;
            cp_expr *a, *b;
        } binary;
        struct {
            cp_expr *pred, *a, *b;
        } cond;
        struct {
            const char *name;
            cp_loc name_loc;
            cp_expr_list args;
            int expand_last;
        } call;
        struct {
            cp_expr_list keys, vals;
        } object; /* keys[i]: a bare name
is a CP_E_LITERAL string; (expr) is CP_E_PAREN */
        struct {
            const char *key_var; /* NULL when only one variable */
            const char *val_var;
            cp_expr *coll;
            cp_expr *key; /* map form only, else NULL */
            cp_expr *val;
            cp_expr *cond; /* NULL when no `if` */
            int is_map;
            int group; /* `...` after the value in map form */
        } forx;
        cp_expr *paren;
    } u;
};

typedef struct cp_body cp_body;

typedef struct cp_attr {
    const char *name;
    cp_loc name_loc;
    cp_expr *expr;
    cp_loc loc; /* whole `name = expr` */
} cp_attr;

typedef struct cp_block {
    const char *type;
    cp_loc type_loc;
    const char **labels;
    cp_loc *label_locs;
    size_t nlabels;
    cp_body *body;
    cp_loc loc; /* from type to closing brace */
} cp_block;

struct cp_body {
    cp_attr *attrs; /* in source order */
    size_t nattrs;
    cp_block **blocks; /* in source order */
    size_t nblocks;
    cp_loc loc;
    uint32_t depth; /* levels of blocks nested in it (0: none) */
};

/* The deepest nesting the parser accepts, for an expression (each operator,
 * traversal step, bracket or call is a level) and for blocks. Deeper input
 * is reported at its file:line:col and dropped, so that every recursive walk
 * of the tree (evaluation, references, formatting) stays within the stack,
 * even under AddressSanitizer. */
enum { CP_MAX_NESTING = 1000 };
/* The deepest evaluation (lang/eval.c), counting expressions evaluated
 * inside others through a lookup, such as a chain of locals. */
enum { CP_MAX_EVAL_DEPTH = 4 * CP_MAX_NESTING };

typedef struct cp_file {
    uint32_t source; /* id in cp_sources */
    cp_body *body;
    cp_arena *arena; /* owns every node */
} cp_file;

/* Parse one registered source. Always returns a file (possibly partial);
 * syntax errors go to diags, and parsing resumes after each one. */
cp_file *cp_parse_source(const cp_sources *srcs, uint32_t id, cp_diags *diags);
/* Parse a standalone expression (used by -var values and tests). */
cp_expr *cp_parse_expression(const cp_sources *srcs, uint32_t id, cp_arena *arena, cp_diags *diags);
/* Parse a whole source as one template (the text of a templatefile()):
 * text, ${ } and %{ } to the end; NULL after reporting errors. */
cp_expr *cp_parse_template(const cp_sources *srcs, uint32_t id, cp_arena *arena, cp_diags *diags);
void cp_file_free(cp_file *f);

/* Lookups by name on a body (first match, or NULL). */
const cp_attr *cp_body_attr(const cp_body *b, const char *name);
/* Where the value at path ("name", "ingress[1].from_port", "tags[\"k\"]")
 * of a body is written: the attribute's expression, or the block (the
 * [i]-th of its type, a dynamic block generating it); fallback when the
 * body does not hold it. */
cp_loc cp_body_path_loc(const cp_body *b, const char *path, cp_loc fallback);

#endif
