/*
 * fuzz_frontend.c: libFuzzer target for the whole .cp front end.
 *
 * Each input is registered as a source and parsed, and parsed again as a
 * whole template file (cp_parse_template, as templatefile() reads one:
 * ${ }, %{ if }/%{ for } directives, ~ strip markers); every attribute's
 * references, and the template's, are walked (cp_expr_walk_refs); diagnostics are printed to a
 * null stream (exercising caret placement on arbitrary bytes); a text that
 * parses is formatted, and formatted output must format to itself. Any
 * crash, sanitizer report or non-idempotent format is a bug.
 *
 * Kept cheap per input, since exec/s is what finds bugs: the null stream is
 * opened once, and a text with syntax errors is not parsed again by fmt
 * (which would only refuse it). fuzz/run.sh passes -max_len 65536 so real
 * stacks (seeded from stacks/ and examples/) fit.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/ast.h"
#include "lang/eval.h"
#include "lang/fmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void count_ref(void *ud, const char *const *steps, size_t nsteps, cp_loc loc)
{
    size_t *n = ud;
    for (size_t i = 0; i < nsteps; i++) *n += strlen(steps[i]);
    *n += loc.line;
}

static void walk_body(const cp_body *b, size_t *n)
{
    for (size_t i = 0; i < b->nattrs; i++) cp_expr_walk_refs(b->attrs[i].expr, count_ref, n);
    for (size_t i = 0; i < b->nblocks; i++) walk_body(b->blocks[i]->body, n);
}

static void check_fmt(const cp_sources *s, uint32_t id)
{
    cp_diags d;
    cp_diags_init(&d);
    cp_buf once = { 0 }, twice = { 0 };
    if (cp_fmt_file(s, id, &once, &d) == 0) {
        cp_diags d2;
        cp_diags_init(&d2);
        if (cp_fmt_source("again.cp", once.data ? once.data : "", once.len, &twice, &d2) != 0 ||
            twice.len != once.len || (once.len && memcmp(twice.data, once.data, once.len) != 0)) {
            fprintf(stderr, "fmt is not idempotent or broke the file\n--- once\n%.*s\n",
                    (int)once.len, once.data ? once.data : "");
            abort();
        }
        cp_diags_free(&d2);
    }
    cp_buf_free(&once);
    cp_buf_free(&twice);
    cp_diags_free(&d);
}

static void check_template(const cp_sources *s, uint32_t id, size_t *n)
{
    cp_diags d;
    cp_diags_init(&d);
    cp_arena *a = cp_arena_new();
    cp_expr *e = cp_parse_template(s, id, a, &d);
    if (e) cp_expr_walk_refs(e, count_ref, n);
    cp_arena_free(a);
    cp_diags_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cp_sources s;
    cp_diags d;
    cp_sources_init(&s);
    cp_diags_init(&d);
    uint32_t id = cp_sources_add(&s, "fuzz.cp", (const char *)data, size);
    cp_file *f = cp_parse_source(&s, id, &d);
    size_t n = 0;
    bool clean = !cp_diags_has_errors(&d);
    if (clean) walk_body(f->body, &n);
    static FILE *null;
    if (!null) null = fopen("/dev/null", "w");
    if (null) cp_diags_print(&d, &s, null, true);
    cp_file_free(f);
    cp_diags_free(&d);
    if (clean) check_fmt(&s, id);
    check_template(&s, id, &n);
    cp_sources_free(&s);
    return 0;
}
