/*
 * functions_regex.c: replace (plain, or /regex/), regex and regexall.
 *
 * Patterns are POSIX extended regular expressions (regex.h), with the
 * common RE2 shorthands people copy from Terraform translated first: \d \D
 * \s \S \w \W (also inside [...]), and a leading (?i) for case-insensitive
 * matching. In a replacement, $1 or ${1} is a captured group and $$ a "$".
 */
#include "lang/functions_internal.h"
#include "util/xalloc.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#define MAX_GROUPS 10

/* RE2 shorthand → POSIX class text, inside or outside brackets. */
static const char *shorthand(char c, bool in_bracket)
{
    switch (c) {
    case 'd':
        return in_bracket ? "0-9" : "[0-9]";
    case 'D':
        return in_bracket ? NULL : "[^0-9]";
    case 's':
        return in_bracket ? "[:space:]" : "[[:space:]]";
    case 'S':
        return in_bracket ? NULL : "[^[:space:]]";
    case 'w':
        return in_bracket ? "[:alnum:]_" : "[[:alnum:]_]";
    case 'W':
        return in_bracket ? NULL : "[^[:alnum:]_]";
    default:
        return NULL;
    }
}

static char *translate(const char *p, int *flags)
{
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_adds(&b, "");
    *flags = REG_EXTENDED;
    if (strncmp(p, "(?i)", 4) == 0) {
        *flags |= REG_ICASE;
        p += 4;
    }
    bool br = false;
    for (; *p; p++) {
        const char *sh = p[0] == '\\' && p[1] ? shorthand(p[1], br) : NULL;
        if (sh) {
            cp_buf_adds(&b, sh);
            p++;
            continue;
        }
        if (p[0] == '\\' && p[1]) {
            cp_buf_add(&b, p, 2);
            p++;
            continue;
        }
        if (!br && *p == '[') {
            br = true;
            cp_buf_addc(&b, *p);
            if (p[1] == '^') cp_buf_addc(&b, *++p);
            if (p[1] == ']') cp_buf_addc(&b, *++p);
            continue;
        }
        if (br && *p == ']') br = false;
        cp_buf_addc(&b, *p);
    }
    return cp_buf_steal(&b);
}

/* Compiles argument i as a pattern; false after reporting. */
static bool compile(const cp_fn_call *c, size_t i, const char *pattern, regex_t *re)
{
    int flags;
    char *p = translate(pattern, &flags);
    int rc = regcomp(re, p, flags);
    free(p);
    if (rc == 0) return true;
    char msg[256];
    regerror(rc, re, msg, sizeof msg);
    regfree(re);
    char *shown = cp_value_repr(c->args[i]);
    cp__fn_arg_error(c, i, "invalid regular expression %s: %s", shown, msg);
    free(shown);
    return false;
}

/* --- replace -------------------------------------------------------------------- */

static void add_group(cp_buf *b, const char *s, const regmatch_t *m, int g)
{
    if (g < MAX_GROUPS && m[g].rm_so >= 0)
        cp_buf_add(b, s + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so));
}

/* Appends repl with $N, ${N} and $$ expanded against the match m in s. */
static void expand_repl(cp_buf *b, const char *repl, const char *s, const regmatch_t *m)
{
    for (const char *r = repl; *r; r++) {
        if (r[0] == '$' && r[1] == '$') {
            cp_buf_addc(b, '$');
            r++;
        } else if (r[0] == '$' && r[1] >= '0' && r[1] <= '9') {
            add_group(b, s, m, r[1] - '0');
            r++;
        } else if (r[0] == '$' && r[1] == '{' && r[2] >= '0' && r[2] <= '9' && r[3] == '}') {
            add_group(b, s, m, r[2] - '0');
            r += 3;
        } else
            cp_buf_addc(b, *r);
    }
}

static cp_value *replace_regex(const cp_fn_call *c, const char *s, const char *pat,
                               const char *repl)
{
    regex_t re;
    if (!compile(c, 1, pat, &re)) return NULL;
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_adds(&b, "");
    regmatch_t m[MAX_GROUPS];
    size_t pos = 0, n = strlen(s);
    while (pos <= n && regexec(&re, s + pos, MAX_GROUPS, m, pos ? REG_NOTBOL : 0) == 0) {
        cp_buf_add(&b, s + pos, (size_t)m[0].rm_so);
        expand_repl(&b, repl, s + pos, m);
        if (m[0].rm_eo == m[0].rm_so) { /* empty match: keep one character */
            if (pos + (size_t)m[0].rm_eo >= n) {
                pos = n + 1;
                break;
            }
            cp_buf_addc(&b, s[pos + (size_t)m[0].rm_eo]);
            pos += (size_t)m[0].rm_eo + 1;
        } else
            pos += (size_t)m[0].rm_eo;
    }
    if (pos < n) cp_buf_adds(&b, s + pos);
    regfree(&re);
    cp_value *r = cp_string_n(b.data, b.len);
    cp_buf_free(&b);
    return r;
}

static cp_value *replace_plain(const char *s, size_t n, const char *old, size_t k, const char *repl)
{
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_adds(&b, "");
    for (size_t i = 0; i < n;) {
        if (k == 0) { /* like Go: the replacement between characters */
            size_t step = cp__utf8_step(s + i, n - i);
            cp_buf_adds(&b, repl);
            cp_buf_add(&b, s + i, step);
            i += step;
        } else if (i + k <= n && memcmp(s + i, old, k) == 0) {
            cp_buf_adds(&b, repl);
            i += k;
        } else
            cp_buf_addc(&b, s[i++]);
    }
    if (k == 0) cp_buf_adds(&b, repl);
    cp_value *r = cp_string_n(b.data, b.len);
    cp_buf_free(&b);
    return r;
}

cp_value *cp_fn_replace(const cp_fn_call *c)
{
    const char *s = cp_string_val(c->args[0]), *old = cp_string_val(c->args[1]);
    const char *repl = cp_string_val(c->args[2]);
    size_t k = cp_string_len(c->args[1]);
    if (k >= 2 && old[0] == '/' && old[k - 1] == '/') {
        char *pat = cp_xstrndup(old + 1, k - 2);
        cp_value *r = replace_regex(c, s, pat, repl);
        free(pat);
        return r;
    }
    return replace_plain(s, cp_string_len(c->args[0]), old, k, repl);
}

/* --- regex, regexall --------------------------------------------------------------- */

/* The value of one match: the whole match, or a list of its groups. */
static cp_value *match_value(const char *s, const regex_t *re, const regmatch_t *m)
{
    if (re->re_nsub == 0) return cp_string_n(s + m[0].rm_so, (size_t)(m[0].rm_eo - m[0].rm_so));
    cp_value *l = cp_list_new();
    for (size_t g = 1; g <= re->re_nsub && g < MAX_GROUPS; g++) {
        if (m[g].rm_so < 0)
            cp_list_push_take(l, cp_null());
        else
            cp_list_push_take(l, cp_string_n(s + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so)));
    }
    return l;
}

/* Every match (all = true) or the first; an empty list when none. */
static cp_value *matches(const cp_fn_call *c, bool all)
{
    regex_t re;
    if (!compile(c, 0, cp_string_val(c->args[0]), &re)) return NULL;
    const char *s = cp_string_val(c->args[1]);
    size_t n = strlen(s), pos = 0;
    regmatch_t m[MAX_GROUPS];
    cp_value *out = cp_list_new();
    while (pos <= n && regexec(&re, s + pos, MAX_GROUPS, m, pos ? REG_NOTBOL : 0) == 0) {
        cp_list_push_take(out, match_value(s + pos, &re, m));
        if (!all) break;
        pos += (size_t)m[0].rm_eo + (m[0].rm_eo == m[0].rm_so ? 1 : 0);
    }
    regfree(&re);
    return out;
}

cp_value *cp_fn_regex(const cp_fn_call *c)
{
    cp_value *l = matches(c, false);
    if (!l) return NULL;
    cp_value *r = cp_len(l) ? cp_retain(cp_list_get(l, 0)) : NULL;
    cp_release(l);
    if (!r)
        cp__fn_error(c, "the pattern did not match any part of the string: use regexall() or "
                        "can(regex(…)) where no match is fine");
    return r;
}

cp_value *cp_fn_regexall(const cp_fn_call *c) { return matches(c, true); }
