/*
 * functions_text.c: more string built-ins: chomp indent strcontains strrev
 * urlencode, and textencodebase64 / textdecodebase64, which move text to
 * and from other character encodings with iconv (glibc's, so every
 * encoding name it knows: "UTF-16LE", "ISO-8859-1", "CP1252"…). strrev
 * reverses grapheme clusters (libunistring), so "e" + a combining accent
 * stays one character. Touches nothing but its arguments.
 */
#include "lang/functions_internal.h"
#include "util/xalloc.h"

#include <errno.h>
#include <iconv.h>
#include <mbedtls/base64.h>
#include <stdlib.h>
#include <string.h>
#include <unigbrk.h>

cp_value *cp_fn_chomp(const cp_fn_call *c)
{
    const char *s = cp_string_val(c->args[0]);
    size_t n = cp_string_len(c->args[0]);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r')) n--;
    return cp_string_n(s, n);
}

cp_value *cp_fn_indent(const cp_fn_call *c)
{
    long long spaces;
    if (!cp__fn_int_arg(c, 0, 0, 1024, &spaces)) return NULL;
    const char *s = cp_string_val(c->args[1]);
    size_t n = cp_string_len(c->args[1]);
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_adds(&b, "");
    for (size_t i = 0; i < n; i++) {
        cp_buf_addc(&b, s[i]);
        if (s[i] == '\n')
            for (long long k = 0; k < spaces; k++) cp_buf_addc(&b, ' ');
    }
    cp_value *r = cp_string_n(b.data, b.len);
    cp_buf_free(&b);
    return r;
}

cp_value *cp_fn_strcontains(const cp_fn_call *c)
{
    const char *s = cp_string_val(c->args[0]), *sub = cp_string_val(c->args[1]);
    size_t n = cp_string_len(c->args[0]), k = cp_string_len(c->args[1]);
    return cp_bool(memmem(s, n, sub, k) != NULL);
}

cp_value *cp_fn_strrev(const cp_fn_call *c)
{
    const uint8_t *s = (const uint8_t *)cp_string_val(c->args[0]);
    size_t n = cp_string_len(c->args[0]);
    char *out = cp_xmalloc(n + 1);
    size_t at = 0;
    for (const uint8_t *end = s + n; end > s;) {
        const uint8_t *start = u8_grapheme_prev(end, s);
        if (!start || start >= end) start = end - 1;
        memcpy(out + at, start, (size_t)(end - start));
        at += (size_t)(end - start);
        end = start;
    }
    out[at] = '\0';
    return cp_string_take(out);
}

/* Like a form's query text: letters, digits and -_.~ stay, a space becomes
 * "+", every other byte %XX. */
cp_value *cp_fn_urlencode(const cp_fn_call *c)
{
    const unsigned char *s = (const unsigned char *)cp_string_val(c->args[0]);
    size_t n = cp_string_len(c->args[0]);
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_adds(&b, "");
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = s[i];
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            strchr("-_.~", ch))
            cp_buf_addc(&b, (char)ch);
        else if (ch == ' ')
            cp_buf_addc(&b, '+');
        else
            cp_buf_printf(&b, "%%%02X", ch);
    }
    cp_value *r = cp_string_n(b.data, b.len);
    cp_buf_free(&b);
    return r;
}

/* --- other encodings ------------------------------------------------------------ */

/* Converts in[0..n) with cd; NULL (errno set) when a character has no
 * form in the target encoding or the input is not valid. */
static char *convert(iconv_t cd, const char *in, size_t n, size_t *out_len)
{
    size_t cap = n * 4 + 16, left = cap;
    char *out = cp_xmalloc(cap), *op = out;
    char *ip = (char *)in;
    size_t ileft = n;
    while (ileft > 0) {
        if (iconv(cd, &ip, &ileft, &op, &left) != (size_t)-1) break;
        if (errno != E2BIG) {
            free(out);
            return NULL;
        }
        size_t used = (size_t)(op - out);
        cap *= 2;
        out = cp_xrealloc(out, cap);
        op = out + used;
        left = cap - used;
    }
    if (iconv(cd, NULL, NULL, &op, &left) == (size_t)-1) { /* shift state */
        free(out);
        return NULL;
    }
    *out_len = (size_t)(op - out);
    return out;
}

static iconv_t open_codec(const cp_fn_call *c, const char *to, const char *from, size_t arg)
{
    iconv_t cd = iconv_open(to, from);
    if (cd == (iconv_t)-1) {
        char *shown = cp_value_repr(c->args[arg]);
        cp__fn_arg_error(c, arg,
                         "%s is not a character encoding this system knows; try \"UTF-16LE\", "
                         "\"ISO-8859-1\" or \"CP1252\" (iconv -l lists them)",
                         shown);
        free(shown);
    }
    return cd;
}

cp_value *cp_fn_textencodebase64(const cp_fn_call *c)
{
    const char *enc = cp_string_val(c->args[1]);
    iconv_t cd = open_codec(c, enc, "UTF-8", 1);
    if (cd == (iconv_t)-1) return NULL;
    size_t n;
    char *raw = convert(cd, cp_string_val(c->args[0]), cp_string_len(c->args[0]), &n);
    iconv_close(cd);
    if (!raw)
        return cp__fn_arg_error(c, 0, "the string has characters that %s cannot represent", enc);
    cp_value *r = cp__base64(raw, n);
    free(raw);
    return r;
}

cp_value *cp_fn_textdecodebase64(const cp_fn_call *c)
{
    const char *b64 = cp_string_val(c->args[0]), *enc = cp_string_val(c->args[1]);
    size_t len = cp_string_len(c->args[0]), n = 0;
    unsigned char *raw = cp_xmalloc(len + 1);
    if (mbedtls_base64_decode(raw, len + 1, &n, (const unsigned char *)b64, len) != 0) {
        free(raw);
        return cp__fn_arg_error(c, 0, "argument 1 is not valid base64");
    }
    iconv_t cd = open_codec(c, "UTF-8", enc, 1);
    if (cd == (iconv_t)-1) {
        free(raw);
        return NULL;
    }
    size_t out_len;
    char *text = convert(cd, (const char *)raw, n, &out_len);
    iconv_close(cd);
    free(raw);
    if (!text) return cp__fn_arg_error(c, 0, "the decoded bytes are not valid %s text", enc);
    if (memchr(text, '\0', out_len)) {
        free(text);
        return cp__fn_arg_error(c, 0,
                                "the decoded text holds a NUL character, which a string "
                                "cannot");
    }
    cp_value *r = cp_string_n(text, out_len);
    free(text);
    return r;
}
