/*
 * rules.c: checks a resource's config against AWS's own input rules (the
 * table in rules_generated.c: botocore's constraints for the API member
 * each argument becomes, plus AWS's documented tag rules), so that a value
 * AWS would reject stops the plan before anything is created.
 *
 * Invariants: a value that is unknown (or sits under an unknown) passes; a
 * rule that cannot judge a value (a pattern matched bytewise on non-ASCII
 * text, a string rule on a number) passes it, so a valid value is never
 * rejected for our sake. REQUIRED only fires for an argument the schema
 * neither requires, computes nor defaults. The first broken rule wins.
 */
#include "providers/aws/rules.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* One walk of one rule down the config. */
typedef struct rule_walk {
    const cp_aws_rule *rule;
    char *msg;   /* set by the first failure */
    char *where; /* its value's path (a map key's: the map's) */
} rule_walk;

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

static bool has_non_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80) return true;
    return false;
}

/* The value as a message shows it: quoted and cut, or hidden. */
static char *shown_value(const cp_value *v, bool sensitive)
{
    if (sensitive) return cp_xstrdup("(sensitive value)");
    if (cp_kind_of(v) != CP_STRING) return cp_value_repr(v);
    const char *s = cp_string_val(v);
    size_t n = strlen(s);
    if (n <= 60) return cp_xasprintf("\"%s\"", s);
    size_t cut = 57;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80) cut--;
    return cp_xasprintf("\"%.*s...\" (%zu characters)", (int)cut, s, utf8_chars(s));
}

static char *range_text(double lo, double hi, const char *unit)
{
    if (hi < 0 || hi >= 1e300) return cp_xasprintf("at least %g%s", lo, unit);
    if (lo <= -1e300 || lo == 0) return cp_xasprintf("at most %g%s", hi, unit);
    return cp_xasprintf("%g-%g%s", lo, hi, unit);
}

static char *enum_text(const char *const *values)
{
    cp_buf b;
    cp_buf_init(&b);
    for (size_t i = 0; values[i]; i++) {
        if (i == 12) {
            cp_buf_adds(&b, ", ...");
            break;
        }
        cp_buf_adds(&b, i ? ", " : "");
        cp_buf_adds(&b, values[i]);
    }
    return cp_buf_steal(&b);
}

static void fail(rule_walk *w, const char *where, const cp_value *v, bool sens, const char *what,
                 const char *rule, const char *fix)
{
    char *sv = v ? shown_value(v, sens) : NULL;
    w->msg = cp_xasprintf("%s%s%s %s AWS's rule for %s (%s): %s", where, sv ? " " : "",
                          sv ? sv : "", what, w->rule->source, rule, fix);
    size_t n = strlen(where);
    if (n > 4 && !strcmp(where + n - 4, " key")) n -= 4;
    w->where = cp_xstrndup(where, n);
    free(sv);
}

static bool matches(const char *ere, const char *s)
{
    regex_t re;
    if (regcomp(&re, ere, REG_EXTENDED | REG_NOSUB) != 0) return true;
    bool ok = regexec(&re, s, 0, NULL, 0) == 0;
    regfree(&re);
    return ok;
}

/* CHARSET: the first ASCII character not allowed, or 0. */
static char bad_char(const cp_aws_rule *r, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x80 && (r->flags & CP_AWS_RULE_NON_ASCII_OK)) continue;
        if (c >= 0x80 || !strchr(r->text, c)) return *s;
    }
    return 0;
}

static const char *charset_rule(const cp_aws_rule *r, char *buf, size_t n)
{
    if (r->shown[0] >= 'a' && r->shown[0] <= 'z') return r->shown;
    snprintf(buf, n, "pattern %s", r->shown);
    return buf;
}

static void check_string(rule_walk *w, const char *where, const cp_value *v, bool sens)
{
    const cp_aws_rule *r = w->rule;
    const char *s = cp_string_val(v);
    char buf[600];
    if (r->kind == CP_AWS_RULE_LENGTH) {
        size_t n = utf8_chars(s);
        if (n >= r->min && (r->max < 0 || n <= r->max)) return;
        char *rt = range_text(r->min, r->max, " characters");
        char *what = cp_xasprintf("is %zu characters long, outside", n);
        fail(w, where, v, sens, what, rt, n < r->min ? "lengthen it" : "shorten it");
        free(what);
        free(rt);
    } else if (r->kind == CP_AWS_RULE_PATTERN) {
        if (has_non_ascii(s) && !(r->flags & CP_AWS_RULE_ASCII_SAFE)) return;
        if (matches(r->text, s)) return;
        snprintf(buf, sizeof buf, "pattern %s", r->shown);
        fail(w, where, v, sens, "does not match", buf, "change it");
    } else if (r->kind == CP_AWS_RULE_CHARSET) {
        char c = bad_char(r, s);
        if (!c) return;
        char *what = (unsigned char)c >= 0x80 ? cp_xstrdup("has a non-ASCII character, which")
                     : c < 0x20 || c == 0x7F  ? cp_xasprintf("has character 0x%02x, which", c)
                                              : cp_xasprintf("has '%c', which", c);
        char *full = cp_xasprintf("%s is not allowed by", what);
        fail(w, where, v, sens, full, charset_rule(r, buf, sizeof buf), "remove or replace it");
        free(full);
        free(what);
    } else if (r->kind == CP_AWS_RULE_ENUM) {
        for (size_t i = 0; r->values[i]; i++)
            if (!strcmp(r->values[i], s)) return;
        char *et = enum_text(r->values);
        fail(w, where, v, sens, "is not one of the values of", et, "use one of them");
        free(et);
    } else if (r->kind == CP_AWS_RULE_NO_PREFIX) {
        if (strncmp(s, r->text, strlen(r->text))) return;
        snprintf(buf, sizeof buf, "keys starting with \"%s\" are reserved for AWS", r->text);
        fail(w, where, v, sens, "breaks", buf, "rename it");
    }
}

static void check_number(rule_walk *w, const char *where, const cp_value *v, bool sens)
{
    const cp_aws_rule *r = w->rule;
    double n = cp_number_val(v);
    if ((r->flags & CP_AWS_RULE_WHOLE) && n != floor(n)) {
        fail(w, where, v, sens, "is not a whole number, as required by", "an integer", "round it");
        return;
    }
    if (n >= r->min && n <= r->max) return;
    char *rt = range_text(r->min, r->max, "");
    fail(w, where, v, sens, "is outside", rt, "change it");
    free(rt);
}

static void check_items(rule_walk *w, const char *where, const cp_value *v)
{
    const cp_aws_rule *r = w->rule;
    size_t n = cp_len(v);
    if (n >= r->min && (r->max < 0 || n <= r->max)) return;
    char *what = cp_xasprintf("has %zu entr%s, outside", n, n == 1 ? "y" : "ies");
    char *rt = range_text(r->min, r->max, " entries");
    fail(w, where, NULL, false, what, rt, n < r->min ? "add some" : "remove some");
    free(rt);
    free(what);
}

/* Whether a null value of this argument breaks REQUIRED: the schema would
 * have caught or filled it otherwise. */
static bool required_applies(const cp_schema_attr *s)
{
    return s && !(s->flags & (CP_REQUIRED | CP_COMPUTED)) && !s->default_json;
}

static void check_leaf(rule_walk *w, const char *where, const cp_value *v, const cp_schema_attr *s,
                       bool sens)
{
    const cp_aws_rule *r = w->rule;
    if (cp_is_null(v)) {
        if (r->kind == CP_AWS_RULE_REQUIRED && required_applies(s))
            fail(w, where, NULL, false, "is not set, but it is required by", "required", "set it");
        return;
    }
    if (r->kind == CP_AWS_RULE_ITEMS) {
        if (cp_kind_of(v) == CP_LIST || cp_kind_of(v) == CP_MAP) check_items(w, where, v);
        return;
    }
    if (r->kind == CP_AWS_RULE_RANGE) {
        if (cp_kind_of(v) == CP_NUMBER) check_number(w, where, v, sens);
        return;
    }
    if (cp_kind_of(v) == CP_STRING) check_string(w, where, v, sens);
}

static void walk(rule_walk *w, const char *rest, const cp_value *v, const cp_schema_attr *attrs,
                 const cp_schema_attr *s, const char *where, bool sens);

static void walk_list(rule_walk *w, const char *rest, const cp_value *v, const cp_schema_attr *s,
                      const char *where, bool sens)
{
    if (cp_kind_of(v) != CP_LIST) return;
    const cp_schema_attr *inner = s && s->type == CP_AT_BLOCKS ? s->block : NULL;
    for (size_t i = 0; i < cp_len(v) && !w->msg; i++) {
        char *at = cp_xasprintf("%s[%zu]", where, i);
        walk(w, rest, cp_list_get(v, i), inner, s, at, sens);
        free(at);
    }
}

static void walk_map(rule_walk *w, const char *rest, const cp_value *v, bool keys,
                     const char *where, bool sens)
{
    if (cp_kind_of(v) != CP_MAP) return;
    for (size_t i = 0; i < cp_len(v) && !w->msg; i++) {
        const char *k = cp_map_key_at(v, i);
        if (keys) {
            cp_value *kv = cp_string(k);
            char *at = cp_xasprintf("%s key", where);
            check_leaf(w, at, kv, NULL, false);
            free(at);
            cp_release(kv);
        } else {
            char *at = cp_xasprintf("%s[\"%s\"]", where, k);
            walk(w, rest, cp_map_value_at(v, i), NULL, NULL, at, sens);
            free(at);
        }
    }
}

static const cp_schema_attr *find_attr(const cp_schema_attr *attrs, const char *name)
{
    for (const cp_schema_attr *a = attrs; a && a->name; a++)
        if (!strcmp(a->name, name)) return a;
    return NULL;
}

static void walk_member(rule_walk *w, const char *rest, const cp_value *v,
                        const cp_schema_attr *attrs, const char *where, bool sens)
{
    size_t n = strcspn(rest, ".[{");
    char name[128];
    if (n >= sizeof name || cp_kind_of(v) != CP_MAP) return;
    memcpy(name, rest, n);
    name[n] = 0;
    cp_value *null = cp_null();
    const cp_value *m = cp_map_get(v, name);
    const cp_schema_attr *s = find_attr(attrs, name);
    char *at = *where ? cp_xasprintf("%s.%s", where, name) : cp_xstrdup(name);
    walk(w, rest + n, m ? m : null, s ? s->block : NULL, s, at, sens);
    free(at);
    cp_release(null);
}

static void walk(rule_walk *w, const char *rest, const cp_value *v, const cp_schema_attr *attrs,
                 const cp_schema_attr *s, const char *where, bool sens)
{
    if (cp_is_unknown(v)) return;
    sens = sens || cp_is_sensitive(v);
    if (*rest == '.') rest++;
    if (!*rest)
        check_leaf(w, where, v, s, sens);
    else if (!strncmp(rest, "[]", 2))
        walk_list(w, rest + 2, v, s, where, sens);
    else if (!strncmp(rest, "{key}", 5))
        walk_map(w, rest + 5, v, true, where, sens);
    else if (!strncmp(rest, "{value}", 7))
        walk_map(w, rest + 7, v, false, where, sens);
    else
        walk_member(w, rest, v, attrs, where, sens);
}

/* Whether r is a rule of rt: a data source's rules are named data.TYPE, so
 * that data "aws_vpc" never takes the rules of resource "aws_vpc". */
static bool rule_is_for(const cp_aws_rule *r, const cp_resource_type *rt)
{
    const char *t = r->type;
    bool data = !strncmp(t, "data.", 5);
    return data == rt->is_data && !strcmp(data ? t + 5 : t, rt->name);
}

char *cp_aws_check_rules(const cp_resource_type *rt, const cp_value *config, char **where)
{
    if (where) *where = NULL;
    if (!rt || !config || cp_kind_of(config) != CP_MAP) return NULL;
    for (const cp_aws_rule *r = cp_aws_rules; r->type; r++) {
        if (!rule_is_for(r, rt)) continue;
        rule_walk w = { r, NULL, NULL };
        walk(&w, r->path, config, rt->attrs, NULL, "", false);
        if (!w.msg) continue;
        if (where)
            *where = w.where;
        else
            free(w.where);
        return w.msg;
    }
    return NULL;
}
