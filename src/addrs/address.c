/*
 * address.c: parse, format and compare resource instance addresses (see
 * address.h for the grammar). The parser is a hand-written cursor over the
 * text: addresses are short and the grammar is tiny, so a flex scanner
 * would only add weight. Errors name the text and a 1-based position.
 */
#include "addrs/address.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct cursor {
    const char *text;
    const char *p;
    char *err; /* first error, malloc'd */
} cursor;

static bool fail(cursor *c, const char *what)
{
    if (c->err) return false;
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_adds(&b, "invalid address ");
    cp_buf_add_quoted(&b, c->text, strlen(c->text), CP_QUOTE_JSON); /* control bytes escaped */
    cp_buf_printf(&b,
                  ": %s at position %zu; expected type.name, type.name[0], "
                  "type.name[\"key\"] or data.type.name",
                  what, (size_t)(c->p - c->text) + 1);
    c->err = cp_buf_steal(&b);
    return false;
}

static bool is_ident_start(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}

static bool is_ident_char(char ch)
{
    return is_ident_start(ch) || (ch >= '0' && ch <= '9') || ch == '-';
}

bool cp_addr_is_ident(const char *s)
{
    if (!s || !is_ident_start(*s)) return false;
    while (*++s)
        if (!is_ident_char(*s)) return false;
    return true;
}

/* Read an identifier into a malloc'd string. */
static bool parse_ident(cursor *c, char **out, const char *what)
{
    if (!is_ident_start(*c->p)) return fail(c, what);
    const char *start = c->p;
    while (is_ident_char(*c->p)) c->p++;
    *out = cp_xstrndup(start, (size_t)(c->p - start));
    return true;
}

static bool parse_int_key(cursor *c, int64_t *out)
{
    const char *start = c->p;
    int64_t n = 0;
    while (*c->p >= '0' && *c->p <= '9') {
        int d = *c->p - '0';
        if (n > (INT64_MAX - d) / 10) return fail(c, "count index too large");
        n = n * 10 + d;
        c->p++;
    }
    if (c->p - start > 1 && *start == '0') {
        c->p = start;
        return fail(c, "count index with a leading zero");
    }
    *out = n;
    return true;
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

static void put_utf8(cp_buf *b, unsigned cp)
{
    if (cp < 0x80) {
        cp_buf_addc(b, (char)cp);
    } else if (cp < 0x800) {
        cp_buf_addc(b, (char)(0xC0 | (cp >> 6)));
        cp_buf_addc(b, (char)(0x80 | (cp & 0x3F)));
    } else {
        cp_buf_addc(b, (char)(0xE0 | (cp >> 12)));
        cp_buf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
        cp_buf_addc(b, (char)(0x80 | (cp & 0x3F)));
    }
}

/* \uXXXX (BMP only, not NUL, not a lone surrogate): c->p is after the 'u'. */
static bool parse_u_escape(cursor *c, cp_buf *b)
{
    unsigned cp = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(c->p[i]);
        if (h < 0) return fail(c, "bad \\u escape (need 4 hex digits)");
        cp = cp * 16 + (unsigned)h;
    }
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF))
        return fail(c, "\\u escape of NUL or a surrogate");
    c->p += 4;
    put_utf8(b, cp);
    return true;
}

static bool parse_escape(cursor *c, cp_buf *b)
{
    char e = *c->p++;
    switch (e) {
    case '"':
        cp_buf_addc(b, '"');
        return true;
    case '\\':
        cp_buf_addc(b, '\\');
        return true;
    case '/':
        cp_buf_addc(b, '/');
        return true;
    case 'n':
        cp_buf_addc(b, '\n');
        return true;
    case 'r':
        cp_buf_addc(b, '\r');
        return true;
    case 't':
        cp_buf_addc(b, '\t');
        return true;
    case 'u':
        return parse_u_escape(c, b);
    default:
        c->p--;
        return fail(c, "unknown escape in key");
    }
}

/* c->p is after the opening quote; stops after the closing one. */
static bool parse_str_key(cursor *c, char **out)
{
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_add(&b, "", 0); /* allocate and NUL-terminate: the key may be "" */
    for (;;) {
        unsigned char ch = (unsigned char)*c->p;
        if (ch == '\0') {
            cp_buf_free(&b);
            return fail(c, "unterminated key string");
        }
        c->p++;
        if (ch == '"') break;
        if (ch < 0x20) {
            c->p--;
            cp_buf_free(&b);
            return fail(c, "control character in key");
        }
        if (ch != '\\') {
            cp_buf_addc(&b, (char)ch);
            continue;
        }
        if (!parse_escape(c, &b)) {
            cp_buf_free(&b);
            return false;
        }
    }
    *out = cp_buf_steal(&b);
    return true;
}

static bool parse_key(cursor *c, cp_addr *a)
{
    c->p++; /* '[' */
    if (*c->p == '"') {
        c->p++;
        if (!parse_str_key(c, &a->key_str)) return false;
        a->key_kind = CP_KEY_STR;
    } else if (*c->p >= '0' && *c->p <= '9') {
        if (!parse_int_key(c, &a->key_int)) return false;
        a->key_kind = CP_KEY_INT;
    } else {
        return fail(c, "expected a number or a quoted string in [ ]");
    }
    if (*c->p != ']') return fail(c, "expected ']'");
    c->p++;
    return true;
}

/* One "module.NAME[key]" segment at c->p (which starts with "module."),
 * appended canonically to out. */
static bool parse_module_segment(cursor *c, cp_buf *out)
{
    c->p += strlen("module.");
    char *name = NULL;
    if (!parse_ident(c, &name, "expected a module name")) return false;
    cp_addr k;
    memset(&k, 0, sizeof k);
    bool ok = *c->p != '[' || parse_key(c, &k);
    if (ok) {
        cp_buf_printf(out, "%smodule.%s", out->len ? "." : "", name);
        cp_addr_format_key(out, &k);
    }
    free(name);
    free(k.key_str);
    return ok;
}

static bool at_module(const cursor *c) { return strncmp(c->p, "module.", 7) == 0; }

/* Leading module segments, each followed by '.', into a->module. */
static bool parse_module_prefix(cursor *c, cp_addr *a)
{
    cp_buf mod;
    cp_buf_init(&mod);
    bool ok = true;
    while (ok && at_module(c)) {
        ok = parse_module_segment(c, &mod);
        if (ok && *c->p != '.') ok = fail(c, "expected '.' and a resource after the module");
        if (ok) c->p++;
    }
    if (ok && mod.len) a->module = cp_buf_steal(&mod);
    cp_buf_free(&mod);
    return ok;
}

static bool parse_all(cursor *c, cp_addr *a)
{
    if (!parse_module_prefix(c, a)) return false;
    if (!parse_ident(c, &a->type, "expected a resource type")) return false;
    if (strcmp(a->type, "data") == 0 && *c->p == '.') {
        free(a->type);
        a->type = NULL;
        a->mode = CP_MODE_DATA;
        c->p++;
        if (!parse_ident(c, &a->type, "expected a data source type")) return false;
    }
    if (*c->p != '.') return fail(c, "expected '.' and a name");
    c->p++;
    if (!parse_ident(c, &a->name, "expected a resource name")) return false;
    if (*c->p == '[' && !parse_key(c, a)) return false;
    if (*c->p != '\0') return fail(c, "unexpected text");
    return true;
}

bool cp_addr_parse(const char *text, cp_addr *out, char **err)
{
    cursor c = { text ? text : "", text ? text : "", NULL };
    memset(out, 0, sizeof *out);
    if (parse_all(&c, out)) return true;
    cp_addr_clear(out);
    if (err)
        *err = c.err;
    else
        free(c.err);
    return false;
}

void cp_addr_init(cp_addr *out, cp_mode mode, const char *type, const char *name,
                  cp_key_kind key_kind, int64_t key_int, const char *key_str)
{
    memset(out, 0, sizeof *out);
    out->mode = mode;
    out->type = cp_xstrdup(type);
    out->name = cp_xstrdup(name);
    out->key_kind = key_kind;
    if (key_kind == CP_KEY_INT) out->key_int = key_int;
    if (key_kind == CP_KEY_STR) out->key_str = cp_xstrdup(key_str ? key_str : "");
}

void cp_addr_copy(cp_addr *dst, const cp_addr *src)
{
    cp_addr_init(dst, src->mode, src->type, src->name, src->key_kind, src->key_int, src->key_str);
    cp_addr_set_module(dst, src->module);
}

void cp_addr_set_module(cp_addr *a, const char *module)
{
    free(a->module);
    a->module = module && *module ? cp_xstrdup(module) : NULL;
}

void cp_addr_clear(cp_addr *a)
{
    free(a->module);
    free(a->type);
    free(a->name);
    free(a->key_str);
    memset(a, 0, sizeof *a);
}

void cp_addr_format_key(cp_buf *out, const cp_addr *a)
{
    if (a->key_kind == CP_KEY_INT) {
        cp_buf_printf(out, "[%lld]", (long long)a->key_int);
    } else if (a->key_kind == CP_KEY_STR) {
        cp_buf_addc(out, '[');
        cp_buf_add_quoted(out, a->key_str, strlen(a->key_str), CP_QUOTE_JSON);
        cp_buf_addc(out, ']');
    }
}

void cp_addr_format(cp_buf *out, const cp_addr *a)
{
    if (a->module) cp_buf_printf(out, "%s.", a->module);
    if (a->mode == CP_MODE_DATA) cp_buf_adds(out, "data.");
    cp_buf_adds(out, a->type);
    cp_buf_addc(out, '.');
    cp_buf_adds(out, a->name);
    cp_addr_format_key(out, a);
}

char *cp_addr_str(const cp_addr *a)
{
    cp_buf b;
    cp_buf_init(&b);
    cp_addr_format(&b, a);
    return cp_buf_steal(&b);
}

static int compare_keys(const cp_addr *a, const cp_addr *b)
{
    if (a->key_kind != b->key_kind) return a->key_kind < b->key_kind ? -1 : 1;
    if (a->key_kind == CP_KEY_INT) return a->key_int < b->key_int ? -1 : a->key_int > b->key_int;
    if (a->key_kind == CP_KEY_STR) return strcmp(a->key_str, b->key_str);
    return 0;
}

/* Root (NULL) first, then module paths in byte order. */
static int compare_modules(const char *a, const char *b)
{
    if (!a || !b) return a == b ? 0 : a ? 1 : -1;
    return strcmp(a, b);
}

int cp_addr_compare(const cp_addr *a, const cp_addr *b)
{
    int m = compare_modules(a->module, b->module);
    if (m) return m;
    if (a->mode != b->mode) return a->mode < b->mode ? -1 : 1;
    int c = strcmp(a->type, b->type);
    if (c) return c;
    c = strcmp(a->name, b->name);
    if (c) return c;
    return compare_keys(a, b);
}

bool cp_addr_equal(const cp_addr *a, const cp_addr *b) { return cp_addr_compare(a, b) == 0; }

bool cp_addr_same_resource(const cp_addr *a, const cp_addr *b)
{
    return compare_modules(a->module, b->module) == 0 && a->mode == b->mode &&
           strcmp(a->type, b->type) == 0 && strcmp(a->name, b->name) == 0;
}

bool cp_addr_matches(const cp_addr *pattern, const cp_addr *a)
{
    if (!cp_addr_module_matches(pattern->module, a->module, false)) return false;
    if (pattern->mode != a->mode || strcmp(pattern->type, a->type) ||
        strcmp(pattern->name, a->name))
        return false;
    return pattern->key_kind == CP_KEY_NONE || compare_keys(pattern, a) == 0;
}

/* ---- module paths ---- */

bool cp_addr_parse_module(const char *text, char **module, char **err)
{
    cursor c = { text ? text : "", text ? text : "", NULL };
    cp_buf mod;
    cp_buf_init(&mod);
    bool ok = at_module(&c) || fail(&c, "expected module.NAME");
    while (ok && at_module(&c)) {
        ok = parse_module_segment(&c, &mod);
        if (ok && *c.p == '.' && at_module(&(cursor){ c.text, c.p + 1, NULL })) c.p++;
    }
    if (ok && *c.p != '\0') ok = fail(&c, "unexpected text after the module path");
    *module = ok ? cp_buf_steal(&mod) : NULL;
    cp_buf_free(&mod);
    if (err)
        *err = c.err;
    else
        free(c.err);
    return ok;
}

typedef struct segment {
    char *name;
    cp_addr key; /* only key_kind/key_int/key_str */
} segment;

/* The segments of a canonical module path (NULL: none). */
static segment *split_module(const char *mod, size_t *n)
{
    segment *segs = NULL;
    size_t len = 0, cap = 0;
    cursor c = { mod ? mod : "", mod ? mod : "", NULL };
    while (mod && at_module(&c)) {
        CP_GROW(segs, len + 1, cap);
        segment *s = &segs[len++];
        memset(s, 0, sizeof *s);
        c.p += strlen("module.");
        if (!parse_ident(&c, &s->name, "") || (*c.p == '[' && !parse_key(&c, &s->key))) break;
        if (*c.p == '.') c.p++;
    }
    free(c.err);
    *n = len;
    return segs;
}

static void free_segments(segment *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(s[i].name);
        free(s[i].key.key_str);
    }
    free(s);
}

bool cp_addr_module_matches(const char *pattern, const char *module, bool prefix)
{
    if (!pattern) return prefix || !module;
    size_t np, nm;
    segment *p = split_module(pattern, &np), *m = split_module(module, &nm);
    bool ok = np <= nm && (prefix || np == nm);
    for (size_t i = 0; ok && i < np; i++)
        ok = !strcmp(p[i].name, m[i].name) &&
             (p[i].key.key_kind == CP_KEY_NONE || compare_keys(&p[i].key, &m[i].key) == 0);
    free_segments(p, np);
    free_segments(m, nm);
    return ok;
}

char *cp_addr_module_strip_keys(const char *module)
{
    if (!module) return NULL;
    size_t n;
    segment *s = split_module(module, &n);
    cp_buf b;
    cp_buf_init(&b);
    for (size_t i = 0; i < n; i++) cp_buf_printf(&b, "%smodule.%s", i ? "." : "", s[i].name);
    free_segments(s, n);
    return cp_buf_steal(&b);
}

char *cp_addr_config_str(const cp_addr *a)
{
    char *mod = cp_addr_module_strip_keys(a->module);
    cp_buf b;
    cp_buf_init(&b);
    if (mod) cp_buf_printf(&b, "%s.", mod);
    if (a->mode == CP_MODE_DATA) cp_buf_adds(&b, "data.");
    cp_buf_printf(&b, "%s.%s", a->type, a->name);
    free(mod);
    return cp_buf_steal(&b);
}

/* The module path that replaces prefix `from` of module path `mod` with
 * `to` (malloc'd), or NULL when mod is not inside from: module.a[0] is
 * inside module.a (every key) and module.a[0]; module.ab is not. */
char *cp_addr_module_rebase(const char *mod, const char *from, const char *to)
{
    if (!mod || !cp_addr_module_matches(from, mod, true)) return NULL;
    /* the prefix of mod that from matched: as many segments as from has */
    size_t segs = 0, at = 0;
    for (const char *p = from; (p = strstr(p, "module.")); p += 7) segs++;
    for (const char *p = mod; segs && (p = strstr(p, "module.")); p += 7)
        if (--segs == 0) {
            at = (size_t)(p - mod) + 7 + strcspn(p + 7, ".[");
            if (mod[at] == '[') at += strcspn(mod + at, "]") + 1;
        }
    bool keyed_from = strchr(from, '[') != NULL || !strchr(mod, '[');
    /* module.a -> module.b keeps the keys of module.a[k]: rename the call only */
    if (!keyed_from && mod[at - 1] == ']') {
        size_t key = at - 1;
        while (key > 0 && mod[key] != '[') key--;
        return cp_xasprintf("%s%.*s%s", to, (int)(at - key), mod + key, mod + at);
    }
    return cp_xasprintf("%s%s", to, mod + at);
}
