/*
 * ast_dump.h: a compact S-expression rendering of the AST for parser tests,
 * e.g. `(+ 1 (* 2 3))`, `(. (. aws_s3_bucket logs) arn)`, `{"a"=1}`.
 */
#ifndef CP_TESTS_AST_DUMP_H
#define CP_TESTS_AST_DUMP_H

#include "lang/ast.h"
#include "util/buf.h"

void ast_dump_expr(cp_buf *out, const cp_expr *e);
void ast_dump_body(cp_buf *out, const cp_body *b);

#endif
