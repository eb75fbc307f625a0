/*
 * functions_yaml.c: yamlencode and yamldecode, with libyaml.
 *
 * yamlencode writes block style (flow style only for empty maps and
 * lists): strings double-quoted (a multi-line string as a literal block),
 * map keys double-quoted, numbers, bools and null plain, no "---" line.
 * yamldecode reads one document with YAML 1.2's core schema: a plain
 * scalar is null ("", "~", null), a bool (true/false), a number (decimal,
 * 0o octal, 0x hex, floats) or else a string; a quoted scalar is a string;
 * the tags !!str !!int !!float !!bool !!null force a type (!!timestamp
 * and !!binary are kept as their text, !!map and !!seq allowed on their
 * own kind; any other tag is an error). Anchors and
 * aliases are followed, "<<" merge keys merged (keys written in the map
 * win). Map keys must be scalars and are kept as their text. .inf and
 * .nan have no cpstack number and are errors, as are duplicate keys and a
 * second document. Touches nothing but its argument.
 */
#include "lang/functions_internal.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define YAML_TAG(t) "tag:yaml.org,2002:" t

/* --- encode ------------------------------------------------------------------- */

static int to_buf(void *ud, unsigned char *data, size_t n)
{
    cp_buf_add(ud, data, n);
    return 1;
}

static bool emit_scalar(yaml_emitter_t *e, const char *s, size_t n, yaml_scalar_style_t style)
{
    yaml_event_t ev;
    yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)n, 1, 1, style);
    return yaml_emitter_emit(e, &ev);
}

static bool emit_string(yaml_emitter_t *e, const char *s, size_t n)
{
    bool multi = memchr(s, '\n', n) != NULL;
    return emit_scalar(e, s, n,
                       multi ? YAML_LITERAL_SCALAR_STYLE : YAML_DOUBLE_QUOTED_SCALAR_STYLE);
}

static bool emit_value(yaml_emitter_t *e, const cp_value *v)
{
    yaml_event_t ev;
    bool ok = true;
    switch (cp_kind_of(v)) {
    case CP_STRING:
        return emit_string(e, cp_string_val(v), cp_string_len(v));
    case CP_NUMBER: {
        cp_buf b;
        cp_buf_init(&b);
        cp_number_format(&b, cp_number_val(v));
        ok = emit_scalar(e, b.data, b.len, YAML_PLAIN_SCALAR_STYLE);
        cp_buf_free(&b);
        return ok;
    }
    case CP_BOOL:
        return emit_scalar(e, cp_bool_val(v) ? "true" : "false", cp_bool_val(v) ? 4 : 5,
                           YAML_PLAIN_SCALAR_STYLE);
    case CP_LIST:
        yaml_sequence_start_event_initialize(
            &ev, NULL, NULL, 1, cp_len(v) ? YAML_BLOCK_SEQUENCE_STYLE : YAML_FLOW_SEQUENCE_STYLE);
        ok = yaml_emitter_emit(e, &ev);
        for (size_t i = 0; ok && i < cp_len(v); i++) ok = emit_value(e, cp_list_get(v, i));
        yaml_sequence_end_event_initialize(&ev);
        return ok && yaml_emitter_emit(e, &ev);
    case CP_MAP:
        yaml_mapping_start_event_initialize(
            &ev, NULL, NULL, 1, cp_len(v) ? YAML_BLOCK_MAPPING_STYLE : YAML_FLOW_MAPPING_STYLE);
        ok = yaml_emitter_emit(e, &ev);
        for (size_t i = 0; ok && i < cp_len(v); i++) {
            const char *k = cp_map_key_at(v, i);
            ok = emit_scalar(e, k, strlen(k), YAML_DOUBLE_QUOTED_SCALAR_STYLE) &&
                 emit_value(e, cp_map_value_at(v, i));
        }
        yaml_mapping_end_event_initialize(&ev);
        return ok && yaml_emitter_emit(e, &ev);
    default:
        return emit_scalar(e, "null", 4, YAML_PLAIN_SCALAR_STYLE);
    }
}

cp_value *cp_fn_yamlencode(const cp_fn_call *c)
{
    yaml_emitter_t e;
    yaml_event_t ev;
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_adds(&b, "");
    yaml_emitter_initialize(&e);
    yaml_emitter_set_output(&e, to_buf, &b);
    yaml_emitter_set_unicode(&e, 1);
    yaml_emitter_set_width(&e, -1);
    yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
    bool ok = yaml_emitter_emit(&e, &ev);
    yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
    ok = ok && yaml_emitter_emit(&e, &ev) && emit_value(&e, c->args[0]);
    yaml_document_end_event_initialize(&ev, 1);
    ok = ok && yaml_emitter_emit(&e, &ev);
    yaml_stream_end_event_initialize(&ev);
    ok = ok && yaml_emitter_emit(&e, &ev) && yaml_emitter_flush(&e);
    cp_value *r = ok ? cp_string_n(b.data, b.len)
                     : cp__fn_error(c, "cannot write YAML: %s", e.problem ? e.problem : "?");
    yaml_emitter_delete(&e);
    cp_buf_free(&b);
    return r;
}

/* --- decode ---------------------------------------------------------------------- */

typedef struct anchor {
    char *name;
    cp_value *value;
} anchor;

typedef struct reader {
    const cp_fn_call *c;
    yaml_parser_t p;
    anchor *anchors;
    size_t nanchors, cap;
    char *error; /* the first problem */
    int depth;
} reader;

static void fail(reader *r, const yaml_mark_t *m, const char *fmt, const char *what)
    __attribute__((format(printf, 3, 0)));
static void fail(reader *r, const yaml_mark_t *m, const char *fmt, const char *what)
{
    if (r->error) return;
    char *msg = cp_xasprintf(fmt, what);
    r->error = cp_xasprintf("line %zu, column %zu: %s", m->line + 1, m->column + 1, msg);
    free(msg);
}

static bool next(reader *r, yaml_event_t *ev)
{
    if (yaml_parser_parse(&r->p, ev)) return true;
    fail(r, &r->p.problem_mark, "%s", r->p.problem ? r->p.problem : "invalid YAML");
    return false;
}

static void remember(reader *r, const yaml_char_t *name, const cp_value *v)
{
    if (!name || !v) return;
    CP_GROW(r->anchors, r->nanchors + 1, r->cap);
    r->anchors[r->nanchors++] = (anchor){ cp_xstrdup((const char *)name), cp_retain(v) };
}

static bool matches(const char *s, const char *const *words)
{
    for (; *words; words++)
        if (!strcmp(s, *words)) return true;
    return false;
}

static bool all_of(const char *s, const char *set)
{
    if (!*s) return false;
    for (; *s; s++)
        if (!strchr(set, *s)) return false;
    return true;
}

/* A number in the core schema's syntax; false when s is not one. */
static bool core_number(const char *s, double *out)
{
    if (!strncmp(s, "0o", 2) && all_of(s + 2, "01234567")) {
        *out = (double)strtoull(s + 2, NULL, 8);
        return true;
    }
    if (!strncmp(s, "0x", 2) && all_of(s + 2, "0123456789abcdefABCDEF")) {
        *out = (double)strtoull(s + 2, NULL, 16);
        return true;
    }
    const char *p = s + (*s == '-' || *s == '+');
    if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1]))) return false;
    char *end;
    *out = strtod(s, &end);
    return *end == '\0' && strspn(p, "0123456789.eE+-") == strlen(p) && isfinite(*out);
}

static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
static const char *const trues[] = { "true", "True", "TRUE", NULL };
static const char *const falses[] = { "false", "False", "FALSE", NULL };
static const char *const infs[] = { ".inf",  ".Inf",  ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
                                    "-.Inf", "-.INF", ".nan", ".NaN",  ".NAN",  NULL };

static cp_value *typed_scalar(reader *r, const yaml_event_t *ev, const char *s, const char *tag)
{
    double d;
    if (!strcmp(tag, YAML_TAG("str")) || !strcmp(tag, "!") || !strcmp(tag, YAML_TAG("timestamp")) ||
        !strcmp(tag, YAML_TAG("binary")))
        return cp_string(s); /* a timestamp as its text, binary as its base64 */
    if (!strcmp(tag, YAML_TAG("null"))) return cp_null();
    if (!strcmp(tag, YAML_TAG("bool")) && (matches(s, trues) || matches(s, falses)))
        return cp_bool(matches(s, trues));
    if ((!strcmp(tag, YAML_TAG("int")) || !strcmp(tag, YAML_TAG("float"))) && core_number(s, &d))
        return cp_number(d);
    fail(r, &ev->start_mark,
         "the tag %s does not fit the value or is not one cpstack reads (!!str, !!int, "
         "!!float, !!bool, !!null)",
         tag);
    return NULL;
}

static cp_value *scalar(reader *r, const yaml_event_t *ev)
{
    const char *s = (const char *)ev->data.scalar.value;
    const char *tag = (const char *)ev->data.scalar.tag;
    double d;
    if (tag) return typed_scalar(r, ev, s, tag);
    if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) return cp_string(s);
    if (matches(s, nulls)) return cp_null();
    if (matches(s, trues)) return cp_bool(true);
    if (matches(s, falses)) return cp_bool(false);
    if (matches(s, infs)) {
        fail(r, &ev->start_mark, "%s (infinity or not-a-number) has no cpstack number", s);
        return NULL;
    }
    if (core_number(s, &d)) return cp_number(d);
    return cp_string(s);
}

static cp_value *node(reader *r, yaml_event_t *ev);

static cp_value *sequence(reader *r)
{
    cp_value *l = cp_list_new();
    for (;;) {
        yaml_event_t ev;
        if (!next(r, &ev)) break;
        if (ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            return l;
        }
        cp_value *v = node(r, &ev);
        yaml_event_delete(&ev);
        if (!v) break;
        cp_list_push_take(l, v);
    }
    cp_release(l);
    return NULL;
}

/* Merges the map (or list of maps) m under the keys of out not yet set. */
static bool merge_into(reader *r, cp_value *merged, const cp_value *m, const yaml_mark_t *at)
{
    if (cp_kind_of(m) == CP_LIST) {
        for (size_t i = 0; i < cp_len(m); i++)
            if (!merge_into(r, merged, cp_list_get(m, i), at)) return false;
        return true;
    }
    if (cp_kind_of(m) != CP_MAP) {
        fail(r, at, "a \"<<\" merge key needs a map or a list of maps, not %s",
             cp_kind_article(cp_kind_of(m)));
        return false;
    }
    for (size_t i = 0; i < cp_len(m); i++)
        if (!cp_map_get(merged, cp_map_key_at(m, i)))
            cp_map_set_take(merged, cp_map_key_at(m, i), cp_retain(cp_map_value_at(m, i)));
    return true;
}

/* One key: value pair of a mapping into out (and merge keys into merged). */
static bool pair(reader *r, yaml_event_t *kev, cp_value *out, cp_value *merged)
{
    if (kev->type != YAML_SCALAR_EVENT) {
        fail(r, &kev->start_mark, "%s", "map keys must be plain values, not maps or lists");
        return false;
    }
    char *key = cp_xstrdup((const char *)kev->data.scalar.value);
    bool is_merge = !strcmp(key, "<<") && kev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    yaml_mark_t at = kev->start_mark;
    yaml_event_t vev;
    bool got = next(r, &vev);
    cp_value *v = got ? node(r, &vev) : NULL;
    if (got) yaml_event_delete(&vev);
    bool ok = v != NULL;
    if (ok && is_merge)
        ok = merge_into(r, merged, v, &at);
    else if (ok && cp_map_get(out, key)) {
        fail(r, &at, "the key \"%s\" appears twice in one map", key);
        ok = false;
    } else if (ok)
        cp_map_set_take(out, key, cp_retain(v));
    cp_release(v);
    free(key);
    return ok;
}

static cp_value *mapping(reader *r)
{
    cp_value *m = cp_map_new(), *merged = cp_map_new();
    bool ok = true;
    for (;;) {
        yaml_event_t ev;
        if (!next(r, &ev)) {
            ok = false;
            break;
        }
        if (ev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        ok = pair(r, &ev, m, merged);
        yaml_event_delete(&ev);
        if (!ok) break;
    }
    cp_value *out = ok ? cp_map_overlay(merged, m) : NULL;
    cp_release(m);
    cp_release(merged);
    return out;
}

static cp_value *alias(reader *r, const yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    for (size_t i = r->nanchors; i > 0; i--)
        if (!strcmp(r->anchors[i - 1].name, name)) return cp_retain(r->anchors[i - 1].value);
    fail(r, &ev->start_mark,
         "the alias *%s names no anchor defined before it (nor can it be used "
         "inside its own anchor's value)",
         name);
    return NULL;
}

/* A map or list may carry only its own tag. */
static bool collection_tag(reader *r, const yaml_event_t *ev, const yaml_char_t *tag,
                           const char *kind)
{
    char want[64];
    snprintf(want, sizeof want, YAML_TAG("%s"), kind);
    if (!tag || !strcmp((const char *)tag, want) || !strcmp((const char *)tag, "!")) return true;
    fail(r, &ev->start_mark, "the tag %s is not one cpstack reads (!!map, !!seq)",
         (const char *)tag);
    return false;
}

/* The value starting with ev (which the caller deletes). */
static cp_value *node(reader *r, yaml_event_t *ev)
{
    if (++r->depth > 200) {
        fail(r, &ev->start_mark, "%s", "nested more than 200 levels deep");
        return NULL;
    }
    cp_value *v = NULL;
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        v = scalar(r, ev);
        remember(r, ev->data.scalar.anchor, v);
        break;
    case YAML_SEQUENCE_START_EVENT:
        if (!collection_tag(r, ev, ev->data.sequence_start.tag, "seq")) break;
        v = sequence(r);
        remember(r, ev->data.sequence_start.anchor, v);
        break;
    case YAML_MAPPING_START_EVENT:
        if (!collection_tag(r, ev, ev->data.mapping_start.tag, "map")) break;
        v = mapping(r);
        remember(r, ev->data.mapping_start.anchor, v);
        break;
    case YAML_ALIAS_EVENT:
        v = alias(r, ev);
        break;
    default:
        fail(r, &ev->start_mark, "%s", "unexpected YAML structure");
    }
    r->depth--;
    return v;
}

/* Skips events up to the first node; *done when the stream has none. */
static bool to_first_node(reader *r, yaml_event_t *ev, bool *empty)
{
    for (;;) {
        if (!next(r, ev)) return false;
        yaml_event_type_t t = ev->type;
        if (t == YAML_STREAM_END_EVENT) *empty = true;
        if (t != YAML_STREAM_START_EVENT && t != YAML_DOCUMENT_START_EVENT) return true;
        yaml_event_delete(ev);
    }
}

static cp_value *document(reader *r)
{
    yaml_event_t ev;
    bool empty = false;
    if (!to_first_node(r, &ev, &empty)) return NULL;
    if (empty) {
        yaml_event_delete(&ev);
        return cp_null();
    }
    cp_value *v = node(r, &ev);
    yaml_event_delete(&ev);
    if (!v || !next(r, &ev)) { /* the document's end */
        cp_release(v);
        return NULL;
    }
    yaml_event_delete(&ev);
    if (!next(r, &ev)) {
        cp_release(v);
        return NULL;
    }
    if (ev.type != YAML_STREAM_END_EVENT) {
        fail(r, &ev.start_mark, "%s", "a second document: yamldecode reads exactly one");
        cp_release(v);
        v = NULL;
    }
    yaml_event_delete(&ev);
    return v;
}

cp_value *cp_fn_yamldecode(const cp_fn_call *c)
{
    reader r = { .c = c };
    yaml_parser_initialize(&r.p);
    yaml_parser_set_input_string(&r.p, (const unsigned char *)cp_string_val(c->args[0]),
                                 cp_string_len(c->args[0]));
    cp_value *v = document(&r);
    yaml_parser_delete(&r.p);
    for (size_t i = 0; i < r.nanchors; i++) {
        free(r.anchors[i].name);
        cp_release(r.anchors[i].value);
    }
    free(r.anchors);
    if (!v && cp_is_sensitive(c->args[0])) {
        cp__fn_arg_error(c, 0, "invalid YAML (the sensitive text is not shown)");
    } else if (!v) {
        cp__fn_arg_error(c, 0, "invalid YAML at %s", r.error ? r.error : "an unknown place");
    }
    if (!v) {
        free(r.error);
        return NULL;
    }
    free(r.error);
    return v;
}
