/*
 * functions.h: the built-in functions (length, join, jsonencode, file, …).
 *
 * Each function checks its arity and argument types and reports misuse at
 * the call's location (a bad argument under that argument when the call
 * comes from cp_eval), as "NAME: argument 2 must be a list of strings, got
 * number". Unknown arguments give unknown results; sensitive arguments give
 * sensitive results. Functions that read files resolve paths against
 * ctx->base_dir. The list, with each one's parameters, is
 * functions_list.h; sensitive(v) marks a value sensitive.
 */
#ifndef CP_LANG_FUNCTIONS_H
#define CP_LANG_FUNCTIONS_H

#include "lang/eval.h"

/* Call a built-in. args are borrowed. Returns a new reference, or NULL after
 * adding an error to ctx->diags (unknown function: with a "did you mean"). */
cp_value *cp_call_function(const cp_eval_ctx *ctx, const char *name, cp_loc loc,
                           cp_value *const *args, size_t nargs);
bool cp_function_exists(const char *name);
/* NULL-terminated list of all function names, sorted. */
const char *const *cp_function_names(void);

/* One function's documentation: family ("string", "collection", …),
 * signature ("cidrsubnet(prefix, newbits, netnum)") and a one-line
 * summary. */
typedef struct cp_function_doc {
    const char *name, *family, *signature, *summary;
} cp_function_doc;
/* Every function's, sorted by name; *n is set to how many. */
const cp_function_doc *cp_function_docs(size_t *n);

#endif
