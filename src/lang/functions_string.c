/*
 * functions_string.c: string built-ins: lower upper title trimspace trim
 * trimprefix trimsuffix startswith endswith substr split join, and the
 * UTF-8 helpers the other families share. Lengths and offsets count
 * characters (UTF-8 code points), not bytes; case changes are ASCII-only
 * (other characters are kept as they are).
 */
#include "lang/functions_internal.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <string.h>

/* --- UTF-8 ------------------------------------------------------------------ */

size_t cp__utf8_step(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t len = u[0] < 0x80         ? 1
                 : (u[0] >> 5) == 6  ? 2
                 : (u[0] >> 4) == 14 ? 3
                 : (u[0] >> 3) == 30 ? 4
                                     : 0;
    if (len == 0 || len > n) return 1;
    for (size_t i = 1; i < len; i++)
        if ((u[i] & 0xC0) != 0x80) return 1;
    return len;
}

size_t cp__utf8_count(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i += cp__utf8_step(s + i, n - i)) count++;
    return count;
}

bool cp__utf8_valid(const char *s, size_t n) { return cp_utf8_valid(s, n); }

/* Byte offset of character number `chars` (or n when past the end). */
static size_t utf8_offset(const char *s, size_t n, size_t chars)
{
    size_t i = 0;
    while (chars-- > 0 && i < n) i += cp__utf8_step(s + i, n - i);
    return i;
}

/* --- case ---------------------------------------------------------------------- */

static cp_value *map_chars(const cp_value *v, int (*f)(int))
{
    char *s = cp_xstrndup(cp_string_val(v), cp_string_len(v));
    for (char *p = s; *p; p++)
        if ((unsigned char)*p < 0x80) *p = (char)f((unsigned char)*p);
    return cp_string_take(s);
}

cp_value *cp_fn_lower(const cp_fn_call *c) { return map_chars(c->args[0], tolower); }
cp_value *cp_fn_upper(const cp_fn_call *c) { return map_chars(c->args[0], toupper); }

cp_value *cp_fn_title(const cp_fn_call *c)
{
    char *s = cp_xstrdup(cp_string_val(c->args[0]));
    bool start = true;
    for (char *p = s; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (start && ch < 0x80) *p = (char)toupper(ch);
        start = ch < 0x80 && !isalnum(ch) && ch != '_'; /* Go's strings.Title */
    }
    return cp_string_take(s);
}

/* --- trimming ------------------------------------------------------------------- */

cp_value *cp_fn_trimspace(const cp_fn_call *c)
{
    const char *s = cp_string_val(c->args[0]);
    size_t a = 0, b = cp_string_len(c->args[0]);
    while (a < b && isspace((unsigned char)s[a])) a++;
    while (b > a && isspace((unsigned char)s[b - 1])) b--;
    return cp_string_n(s + a, b - a);
}

/* Whether the character ch[0..k) is one of the characters of cut. */
static bool in_cutset(const char *cut, size_t n, const char *ch, size_t k)
{
    for (size_t i = 0; i < n;) {
        size_t step = cp__utf8_step(cut + i, n - i);
        if (step == k && memcmp(cut + i, ch, k) == 0) return true;
        i += step;
    }
    return false;
}

cp_value *cp_fn_trim(const cp_fn_call *c)
{
    const char *s = cp_string_val(c->args[0]), *cut = cp_string_val(c->args[1]);
    size_t n = cp_string_len(c->args[1]), a = 0, b = cp_string_len(c->args[0]);
    while (a < b) {
        size_t k = cp__utf8_step(s + a, b - a);
        if (!in_cutset(cut, n, s + a, k)) break;
        a += k;
    }
    while (b > a) {
        size_t start = b - 1;
        while (start > a && ((unsigned char)s[start] & 0xC0) == 0x80) start--;
        size_t k = cp__utf8_step(s + start, b - start);
        if (k != b - start) k = 1, start = b - 1;
        if (!in_cutset(cut, n, s + start, k)) break;
        b = start;
    }
    return cp_string_n(s + a, b - a);
}

static bool has_prefix(const cp_value *s, const cp_value *p)
{
    size_t n = cp_string_len(p);
    return cp_string_len(s) >= n && memcmp(cp_string_val(s), cp_string_val(p), n) == 0;
}

static bool has_suffix(const cp_value *s, const cp_value *p)
{
    size_t n = cp_string_len(p), m = cp_string_len(s);
    return m >= n && memcmp(cp_string_val(s) + m - n, cp_string_val(p), n) == 0;
}

cp_value *cp_fn_trimprefix(const cp_fn_call *c)
{
    const cp_value *s = c->args[0];
    if (!has_prefix(s, c->args[1])) return cp_retain(s);
    size_t n = cp_string_len(c->args[1]);
    return cp_string_n(cp_string_val(s) + n, cp_string_len(s) - n);
}

cp_value *cp_fn_trimsuffix(const cp_fn_call *c)
{
    const cp_value *s = c->args[0];
    if (!has_suffix(s, c->args[1])) return cp_retain(s);
    return cp_string_n(cp_string_val(s), cp_string_len(s) - cp_string_len(c->args[1]));
}

cp_value *cp_fn_startswith(const cp_fn_call *c)
{
    return cp_bool(has_prefix(c->args[0], c->args[1]));
}
cp_value *cp_fn_endswith(const cp_fn_call *c)
{
    return cp_bool(has_suffix(c->args[0], c->args[1]));
}

/* --- pieces ------------------------------------------------------------------------- */

cp_value *cp_fn_substr(const cp_fn_call *c)
{
    long long off, len;
    if (!cp__fn_int_arg(c, 1, -1e15, 1e15, &off) || !cp__fn_int_arg(c, 2, -1e15, 1e15, &len))
        return NULL;
    const char *s = cp_string_val(c->args[0]);
    size_t n = cp_string_len(c->args[0]), total = cp__utf8_count(s, n);
    if (off < 0) off += (long long)total;
    if (off < 0) off = 0;
    if ((size_t)off >= total) return cp_string("");
    size_t a = utf8_offset(s, n, (size_t)off);
    size_t b = len < 0 ? n : a + utf8_offset(s + a, n - a, (size_t)len);
    return cp_string_n(s + a, b - a);
}

cp_value *cp_fn_split(const cp_fn_call *c)
{
    const char *sep = cp_string_val(c->args[0]), *s = cp_string_val(c->args[1]);
    size_t k = cp_string_len(c->args[0]), n = cp_string_len(c->args[1]);
    cp_value *out = cp_list_new();
    if (k == 0) { /* one element per character */
        for (size_t i = 0, step; i < n; i += step) {
            step = cp__utf8_step(s + i, n - i);
            cp_list_push_take(out, cp_string_n(s + i, step));
        }
        return out;
    }
    size_t start = 0;
    for (size_t i = 0; i + k <= n;) {
        if (memcmp(s + i, sep, k) != 0) {
            i++;
            continue;
        }
        cp_list_push_take(out, cp_string_n(s + start, i - start));
        i += k;
        start = i;
    }
    cp_list_push_take(out, cp_string_n(s + start, n - start));
    return out;
}

cp_value *cp_fn_join(const cp_fn_call *c)
{
    const cp_value *l = c->args[1];
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_adds(&b, "");
    for (size_t i = 0; i < cp_len(l); i++) {
        if (i) cp_buf_add(&b, cp_string_val(c->args[0]), cp_string_len(c->args[0]));
        const cp_value *e = cp_list_get(l, i);
        cp_buf_add(&b, cp_string_val(e), cp_string_len(e));
    }
    cp_value *r = cp_string_n(b.data, b.len);
    cp_buf_free(&b);
    return r;
}
