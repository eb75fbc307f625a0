/*
 * parser.y: the grammar of .cp files (bison, pure, with locations).
 *
 * A file is a body of attributes (`name = expr`, ending at a newline) and
 * blocks (`type "label" label2 { body }`). Expressions follow HCL: literals,
 * templates and heredocs, references with .attr, [index], .0, [*] and .*,
 * unary - !, binary operators with HCL's precedence, a ? b : c, calls,
 * [lists], {objects}, for expressions and parentheses.
 *
 * Templates are read as a flat run of parts: text, ${ expr } and the
 * directives %{ if expr }, %{ else }, %{ endif }, %{ for k, v in expr } and
 * %{ endfor }; cp_ast_template (ast.c) nests the directives and reports
 * the unbalanced ones with their own wording. START_TEMPLATE parses a whole
 * file as one template (templatefile()).
 *
 * Actions only call the constructors of src/lang/ast_build.h. Error
 * recovery: a bad body item, object item or list item is skipped up to the
 * next newline (or , ] }) so every independent error of a file is reported;
 * messages are written by cp_parse_report (src/lang/parse.c) from the
 * lookahead and the expected tokens, never bison's own wording.
 */
%code requires {
#include "lang/ast.h"
#include "lang/ast_build.h"
}

%code provides {
int cp_yylex(CP_YYSTYPE *val, cp_loc *loc, cp_parser *ps);
void cp_yyerror(cp_loc *loc, cp_parser *ps, const char *msg);
}

%code {
/* Bison's stack (on the heap): room for CP_MAX_NESTING levels of any common
 * shape (up to ten states a level); cp_ast_root then reports what is deeper,
 * and cp_yyerror the rest. */
#define YYMAXDEPTH (10 * CP_MAX_NESTING)
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                          \
    do {                                                                     \
        if (N) {                                                             \
            (Cur) = YYRHSLOC(Rhs, 1);                                        \
            (Cur).end_line = YYRHSLOC(Rhs, N).end_line;                      \
            (Cur).end_col = YYRHSLOC(Rhs, N).end_col;                        \
            (Cur).end_offset = YYRHSLOC(Rhs, N).end_offset;                  \
        } else {                                                             \
            (Cur) = YYRHSLOC(Rhs, 0);                                        \
            (Cur).line = (Cur).end_line;                                     \
            (Cur).col = (Cur).end_col;                                       \
            (Cur).offset = (Cur).end_offset;                                 \
        }                                                                    \
    } while (0)
}

%define api.pure full
%define api.prefix {cp_yy}
%define api.token.prefix {T_}
%define api.location.type {cp_loc}
%define parse.error custom
%define parse.lac full
%locations
%param {cp_parser *ps}
%expect 0

%union {
    cp_tok      tok;
    double      num;
    int         flag;
    cp_expr    *expr;
    cp_post     post;
    cp_chain    chain;
    cp_item     item;
    cp_attr    *attr;
    cp_block   *block;
    cp_body    *body;
    cp_forhead  fh;
}

%token END 0 "end of file"
%token NEWLINE "newline"
%token <tok> IDENT "name"
%token <num> NUMBER "number"
%token OQUOTE "string"
%token CQUOTE "closing quote"
%token <tok> TLIT "text"
%token TINTERP "\"${\""
%token TDIR "\"%{\""
%token TEND "\"}\" closing the interpolation"
%token <flag> OHEREDOC "heredoc"
%token CHEREDOC "end of the heredoc"
%token EQ "\"==\"" NE "\"!=\"" LE "\"<=\"" GE "\">=\"" AND "\"&&\"" OR "\"||\""
%token ARROW "\"=>\"" ELLIPSIS "\"...\""
%token FOR "\"for\"" IN "\"in\"" IF "\"if\""
%token ELSE "\"else\"" ENDIF "\"endif\"" ENDFOR "\"endfor\""
%token LEXERR "invalid text"
%token COMMENT "comment"
%token START_FILE START_EXPR START_TEMPLATE

%right '?' ':'
%left OR
%left AND
%left EQ NE
%left '<' '>' LE GE
%left '+' '-'
%left '*' '/' '%'
%precedence UNARY

%type <body> body
%type <chain> items labels tparts exprs list_items obj_items obj_list
%type <item> item
%type <attr> attribute
%type <block> block
%type <expr> expr primary template heredoc for_cond obj_key
%type <post> postfix
%type <tok> label
%type <flag> ellipsis_opt
%type <fh> for_head

%%

start
    : START_FILE body                   { ps->body = $2; }
    | START_EXPR nl_opt expr nl_opt     { ps->expr = cp_ast_root(ps, $3); }
    | START_TEMPLATE tparts CHEREDOC    { ps->expr = cp_ast_root(ps, cp_ast_template(ps, @$, &$2, @3)); }
    ;

nl_opt
    : %empty
    | NEWLINE
    ;

/* ---- bodies ----------------------------------------------------------- */

body
    : nl_opt                            { $$ = cp_ast_body(ps, @$, NULL); }
    | nl_opt items nl_opt               { $$ = cp_ast_body(ps, @$, &$2); }
    ;

items
    : item                              { $$ = (cp_chain){0}; cp_chain_add(ps, &$$, $1.attr, $1.block, @1); }
    | items NEWLINE item                { $$ = $1; cp_chain_add(ps, &$$, $3.attr, $3.block, @3); }
    ;

item
    : attribute                         { $$ = (cp_item){ $1, NULL }; }
    | block                             { $$ = (cp_item){ NULL, $1 }; }
    | error                             { $$ = (cp_item){ NULL, NULL }; }
    ;

attribute
    : IDENT '=' expr                    { $$ = cp_ast_attr(ps, @$, $1, @1, $3); }
    ;

block
    : IDENT labels '{' body '}'         { $$ = cp_ast_block(ps, @$, $1, @1, &$2, $4); }
    | IDENT labels NEWLINE '{' body '}' {
          cp_diag_error(ps->diags, @4, "the \"{\" must be on the same line as \"%s\"; move it up", $1.s);
          $$ = cp_ast_block(ps, @$, $1, @1, &$2, $5);
      }
    ;

labels
    : %empty                            { $$ = (cp_chain){0}; }
    | labels label                      { $$ = $1; cp_chain_add(ps, &$$, (void *)$2.s, NULL, @2); }
    ;

label
    : IDENT                             { $$ = $1; }
    | template                          { $$ = (cp_tok){ cp_ast_label_text(ps, $1), 0 }; }
    ;

/* ---- templates -------------------------------------------------------- */

template
    : OQUOTE tparts CQUOTE              { $$ = cp_ast_template(ps, @$, &$2, @3); }
    ;

heredoc
    : OHEREDOC tparts CHEREDOC          { $$ = cp_ast_template(ps, @$, &$2, @3); }
    ;

tparts
    : %empty                            { $$ = (cp_chain){0}; }
    | tparts TLIT                       { $$ = $1; cp_ast_tmpl_text(ps, &$$, @2, $2); }
    | tparts TINTERP expr TEND          { $$ = $1; cp_ast_tmpl_expr(ps, &$$, $3); }
    | tparts TDIR IF expr TEND          { $$ = $1; cp_ast_tmpl_dir(ps, &$$, CP_TD_IF, @2, @5, $4, NULL, NULL); }
    | tparts TDIR ELSE TEND             { $$ = $1; cp_ast_tmpl_dir(ps, &$$, CP_TD_ELSE, @2, @4, NULL, NULL, NULL); }
    | tparts TDIR ENDIF TEND            { $$ = $1; cp_ast_tmpl_dir(ps, &$$, CP_TD_ENDIF, @2, @4, NULL, NULL, NULL); }
    | tparts TDIR FOR IDENT IN expr TEND
                                        { $$ = $1; cp_ast_tmpl_dir(ps, &$$, CP_TD_FOR, @2, @7, $6, NULL, $4.s); }
    | tparts TDIR FOR IDENT ',' IDENT IN expr TEND
                                        { $$ = $1; cp_ast_tmpl_dir(ps, &$$, CP_TD_FOR, @2, @9, $8, $4.s, $6.s); }
    | tparts TDIR ENDFOR TEND           { $$ = $1; cp_ast_tmpl_dir(ps, &$$, CP_TD_ENDFOR, @2, @4, NULL, NULL, NULL); }
    ;

/* ---- expressions ------------------------------------------------------ */

expr
    : expr '?' expr ':' expr            { $$ = cp_ast_cond(ps, @$, $1, $3, $5); }
    | expr OR expr                      { $$ = cp_ast_binary(ps, @$, CP_OP_OR, $1, $3); }
    | expr AND expr                     { $$ = cp_ast_binary(ps, @$, CP_OP_AND, $1, $3); }
    | expr EQ expr                      { $$ = cp_ast_binary(ps, @$, CP_OP_EQ, $1, $3); }
    | expr NE expr                      { $$ = cp_ast_binary(ps, @$, CP_OP_NE, $1, $3); }
    | expr '<' expr                     { $$ = cp_ast_binary(ps, @$, CP_OP_LT, $1, $3); }
    | expr LE expr                      { $$ = cp_ast_binary(ps, @$, CP_OP_LE, $1, $3); }
    | expr '>' expr                     { $$ = cp_ast_binary(ps, @$, CP_OP_GT, $1, $3); }
    | expr GE expr                      { $$ = cp_ast_binary(ps, @$, CP_OP_GE, $1, $3); }
    | expr '+' expr                     { $$ = cp_ast_binary(ps, @$, CP_OP_ADD, $1, $3); }
    | expr '-' expr                     { $$ = cp_ast_binary(ps, @$, CP_OP_SUB, $1, $3); }
    | expr '*' expr                     { $$ = cp_ast_binary(ps, @$, CP_OP_MUL, $1, $3); }
    | expr '/' expr                     { $$ = cp_ast_binary(ps, @$, CP_OP_DIV, $1, $3); }
    | expr '%' expr                     { $$ = cp_ast_binary(ps, @$, CP_OP_MOD, $1, $3); }
    | '-' expr %prec UNARY              { $$ = cp_ast_unary(ps, @$, CP_OP_NEG, $2); }
    | '!' expr %prec UNARY              { $$ = cp_ast_unary(ps, @$, CP_OP_NOT, $2); }
    | postfix                           { $$ = $1.e; }
    ;

postfix
    : primary                           { $$ = (cp_post){ $1, 0 }; }
    | postfix '.' IDENT                 { $$ = cp_ast_post_attr(ps, @$, $1, $3, @3); }
    | postfix '.' NUMBER                { $$ = cp_ast_post_index(ps, @$, $1, cp_ast_number(ps, @3, $3)); }
    | postfix '.' '*'                   { $$ = cp_ast_post_splat(ps, @$, $1, '.'); }
    | postfix '[' expr ']'              { $$ = cp_ast_post_index(ps, @$, $1, $3); }
    | postfix '[' '*' ']'               { $$ = cp_ast_post_splat(ps, @$, $1, '*'); }
    ;

primary
    : NUMBER                            { $$ = cp_ast_number(ps, @$, $1); }
    | IDENT                             { $$ = cp_ast_name(ps, @$, $1); }
    | template
    | heredoc
    | IDENT '(' ')'                     { $$ = cp_ast_call(ps, @$, $1, @1, NULL, 0); }
    | IDENT '(' exprs comma_opt ')'     { $$ = cp_ast_call(ps, @$, $1, @1, &$3, 0); }
    | IDENT '(' exprs ELLIPSIS comma_opt ')' { $$ = cp_ast_call(ps, @$, $1, @1, &$3, 1); }
    | '[' list_items ']'                { $$ = cp_ast_list(ps, @$, &$2); }
    | '[' for_head ':' expr for_cond ']' { $$ = cp_ast_for(ps, @$, &$2, NULL, $4, 0, $5); }
    | '{' nl_opt obj_items '}'          { $$ = cp_ast_object(ps, @$, &$3); }
    | '{' nl_opt for_head ':' expr ARROW expr ellipsis_opt for_cond '}'
                                        { $$ = cp_ast_for(ps, @$, &$3, $5, $7, $8, $9); }
    | '(' expr ')'                      { $$ = cp_ast_paren(ps, @$, $2); }
    ;

exprs
    : expr                              { $$ = (cp_chain){0}; cp_chain_add(ps, &$$, $1, NULL, @1); }
    | exprs ',' expr                    { $$ = $1; cp_chain_add(ps, &$$, $3, NULL, @3); }
    ;

comma_opt
    : %empty
    | ','
    ;

list_items
    : %empty                            { $$ = (cp_chain){0}; }
    | exprs comma_opt                   { $$ = $1; }
    ;

for_head
    : FOR IDENT IN expr                 { $$ = (cp_forhead){ { NULL, 0 }, $2, $4 }; }
    | FOR IDENT ',' IDENT IN expr       { $$ = (cp_forhead){ $2, $4, $6 }; }
    ;

for_cond
    : %empty                            { $$ = NULL; }
    | IF expr                           { $$ = $2; }
    ;

ellipsis_opt
    : %empty                            { $$ = 0; }
    | ELLIPSIS                          { $$ = 1; }
    ;

obj_items
    : %empty                            { $$ = (cp_chain){0}; }
    | obj_list obj_sep_opt              { $$ = $1; }
    ;

obj_list
    : obj_key obj_assign expr           { $$ = (cp_chain){0}; cp_chain_add(ps, &$$, $1, $3, @$); }
    | error                             { $$ = (cp_chain){0}; }
    | obj_list obj_sep obj_key obj_assign expr { $$ = $1; cp_chain_add(ps, &$$, $3, $5, @3); }
    | obj_list obj_sep error            { $$ = $1; }
    ;

obj_key
    : expr
    ;

obj_assign
    : '='
    | ':'
    ;

obj_sep
    : ','
    | NEWLINE
    | ',' NEWLINE
    ;

obj_sep_opt
    : %empty
    | obj_sep
    ;

%%

/* Bison gives symbol kinds; the rest of the front end speaks token numbers.
 * One pass over the token numbers maps every kind back (not one per kind). */
static void tokens_of_symbols(const yysymbol_kind_t *kinds, int n, int *out)
{
    int token_of[YYNTOKENS];
    for (int k = 0; k < YYNTOKENS; k++) token_of[k] = -1;
    for (int t = YYMAXUTOK; t >= 1; t--) token_of[YYTRANSLATE(t)] = t; /* lowest wins */
    token_of[YYSYMBOL_YYEOF] = 0;
    for (int i = 0; i < n; i++)
        out[i] = kinds[i] >= 0 && kinds[i] < YYNTOKENS ? token_of[kinds[i]] : -1;
}

static int yyreport_syntax_error(const yypcontext_t *ctx, cp_parser *ps)
{
    enum { MAX_EXPECTED = 64 };
    yysymbol_kind_t kinds[MAX_EXPECTED + 1];
    int expected[MAX_EXPECTED];
    /* Past the diagnostics' limit the message is never shown: skip the
     * expected tokens (with LAC, one parser simulation per token). */
    int n = cp_diags_full(ps->diags) ? 0 : yypcontext_expected_tokens(ctx, kinds, MAX_EXPECTED);
    if (n < 0) n = 0;
    kinds[n] = yypcontext_token(ctx);
    int all[MAX_EXPECTED + 1];
    tokens_of_symbols(kinds, n + 1, all);
    for (int i = 0; i < n; i++) expected[i] = all[i];
    cp_parse_report(ps, all[n], *yypcontext_location(ctx), expected, n);
    return 0;
}
