/*
 * functions_encoding.c: jsonencode jsondecode base64encode base64decode.
 *
 * jsonencode writes its own JSON (compact, keys sorted) so numbers keep
 * cpstack's canonical form (0.1, not 0.10000000000000001); jsondecode uses
 * jansson. Base64 is mbedTLS's.
 */
#include "lang/functions_internal.h"
#include "lang/value_json.h"
#include "util/xalloc.h"

#include <mbedtls/base64.h>
#include <stdlib.h>
#include <string.h>

static void json_to(cp_buf *b, const cp_value *v)
{
    switch (cp_kind_of(v)) {
    case CP_BOOL:
        cp_buf_adds(b, cp_bool_val(v) ? "true" : "false");
        break;
    case CP_NUMBER:
        cp_number_format(b, cp_number_val(v));
        break;
    case CP_STRING:
        cp_buf_add_quoted(b, cp_string_val(v), cp_string_len(v), CP_QUOTE_JSON);
        break;
    case CP_LIST:
        cp_buf_addc(b, '[');
        for (size_t i = 0; i < cp_len(v); i++) {
            if (i) cp_buf_addc(b, ',');
            json_to(b, cp_list_get(v, i));
        }
        cp_buf_addc(b, ']');
        break;
    case CP_MAP:
        cp_buf_addc(b, '{');
        for (size_t i = 0; i < cp_len(v); i++) {
            if (i) cp_buf_addc(b, ',');
            const char *k = cp_map_key_at(v, i);
            cp_buf_add_quoted(b, k, strlen(k), CP_QUOTE_JSON);
            cp_buf_addc(b, ':');
            json_to(b, cp_map_value_at(v, i));
        }
        cp_buf_addc(b, '}');
        break;
    default:
        cp_buf_adds(b, "null");
        break; /* null (unknowns never get here) */
    }
}

cp_value *cp_fn_jsonencode(const cp_fn_call *c)
{
    cp_buf b;
    cp_buf_init(&b);
    json_to(&b, c->args[0]);
    cp_value *r = cp_string_n(b.data, b.len);
    cp_buf_free(&b);
    return r;
}

cp_value *cp_fn_jsondecode(const cp_fn_call *c)
{
    json_error_t err;
    const cp_value *s = c->args[0];
    json_t *j = json_loadb(cp_string_val(s), cp_string_len(s),
                           JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL, &err);
    if (!j) /* jansson's text may quote the input: not for sensitive input */
        return cp__fn_arg_error(c, 0, "invalid JSON at line %d, column %d%s%s", err.line,
                                err.column, cp_is_sensitive(s) ? "" : ": ",
                                cp_is_sensitive(s) ? "" : err.text);
    cp_value *v = cp_value_from_json(j);
    json_decref(j);
    return v;
}

cp_value *cp__base64(const void *data, size_t len)
{
    size_t need = 0;
    mbedtls_base64_encode(NULL, 0, &need, data, len);
    unsigned char *out = cp_xmalloc(need + 1);
    size_t olen = 0;
    mbedtls_base64_encode(out, need + 1, &olen, data, len);
    out[olen] = '\0';
    return cp_string_take((char *)out);
}

cp_value *cp_fn_base64encode(const cp_fn_call *c)
{
    return cp__base64(cp_string_val(c->args[0]), cp_string_len(c->args[0]));
}

cp_value *cp_fn_base64decode(const cp_fn_call *c)
{
    const unsigned char *in = (const unsigned char *)cp_string_val(c->args[0]);
    size_t n = cp_string_len(c->args[0]), olen = 0;
    unsigned char *out = cp_xmalloc(n + 1);
    int rc = mbedtls_base64_decode(out, n + 1, &olen, in, n);
    if (rc != 0) {
        free(out);
        return cp__fn_arg_error(c, 0, "the string is not valid base64");
    }
    if (!cp__utf8_valid((const char *)out, olen)) {
        free(out);
        return cp__fn_arg_error(c, 0,
                                "the decoded bytes are not valid UTF-8 text: cpstack "
                                "strings hold text only");
    }
    cp_value *r = cp_string_n((const char *)out, olen);
    free(out);
    return r;
}
