/*
 * fmt.h: the engine of `cpstack fmt` — one canonical layout for .cp files.
 *
 * Formatting works on the token stream (like hclwrite), not on the AST, so
 * comments are kept exactly where they are. The layout: 2-space indentation
 * by bracket nesting, one space around `=` and binary operators, `=`
 * aligned within a run of consecutive single-line attributes of one block
 * (a blank line, a comment-only line, a block or a multi-line value ends the
 * run), no trailing whitespace, at most one blank line in a row, exactly one
 * newline at the end; strings and heredocs are copied untouched. Formatting
 * formatted text changes nothing.
 *
 * Files with syntax errors are refused: the errors go to d and nothing is
 * written to out.
 */
#ifndef CP_LANG_FMT_H
#define CP_LANG_FMT_H

#include <stddef.h>

#include "lang/diag.h"
#include "util/buf.h"

/* Format a source already registered in s (errors then print with their
 * source line). Returns 0 and appends the formatted text to out, or -1
 * after adding the syntax errors to d. */
int cp_fmt_file(const cp_sources *s, uint32_t id, cp_buf *out, cp_diags *d);

/* The same for text that is not registered anywhere: errors are added to d
 * without a source location, each message starting with "path:line:col: ".
 * Prefer cp_fmt_file when the caller keeps a cp_sources. */
int cp_fmt_source(const char *path, const char *text, size_t len, cp_buf *out, cp_diags *d);

/* Append a unified diff (3 lines of context) turning a into b, with headers
 * "--- old/path" and "+++ new/path"; nothing when they are equal. */
void cp_fmt_diff(cp_buf *out, const char *path, const char *a, size_t alen, const char *b,
                 size_t blen);

#endif
