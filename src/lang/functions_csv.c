/*
 * functions_csv.c: csvdecode, RFC 4180 CSV text to a list of maps, with
 * libcsv in strict mode (a stray quote is an error). The first record
 * names the columns; every other record must have as many fields, and
 * each becomes a map of column name to string. Spaces around fields are
 * kept; empty lines are skipped. base64gzip (gzip with zlib, then base64)
 * is here too: both bring in a compression/parsing library.
 */
#include "lang/functions_internal.h"
#include "util/xalloc.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

typedef struct csv_state {
    cp_value *header; /* list of column names */
    cp_value *row;    /* list of fields of the record being read */
    cp_value *out;
    size_t record; /* records ended so far, header included */
    char *error;   /* the first problem */
} csv_state;

static void on_field(void *s, size_t n, void *ud)
{
    csv_state *st = ud;
    cp_list_push_take(st->row, cp_string_n(s ? s : "", n));
}

static char *duplicate_column(const cp_value *h)
{
    for (size_t i = 0; i < cp_len(h); i++)
        for (size_t k = i + 1; k < cp_len(h); k++)
            if (cp_equal(cp_list_get(h, i), cp_list_get(h, k)))
                return cp_xasprintf("the header names column \"%s\" twice",
                                    cp_string_val(cp_list_get(h, i)));
    return NULL;
}

static void on_record(int term, void *ud)
{
    (void)term;
    csv_state *st = ud;
    cp_value *row = st->row;
    st->row = cp_list_new();
    st->record++;
    if (st->error) {
        cp_release(row);
    } else if (!st->header) {
        st->header = row;
        st->error = duplicate_column(row);
    } else if (cp_len(row) != cp_len(st->header)) {
        st->error = cp_xasprintf("record %zu has %zu fields, but the header has %zu", st->record,
                                 cp_len(row), cp_len(st->header));
        cp_release(row);
    } else {
        cp_value *m = cp_map_new();
        for (size_t i = 0; i < cp_len(row); i++)
            cp_map_set_take(m, cp_string_val(cp_list_get(st->header, i)),
                            cp_retain(cp_list_get(row, i)));
        cp_list_push_take(st->out, m);
        cp_release(row);
    }
}

static int no_space(unsigned char ch)
{
    (void)ch;
    return 0;
}

cp_value *cp_fn_csvdecode(const cp_fn_call *c)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) return cp__fn_error(c, "out of memory");
    csv_set_space_func(&p, no_space);
    csv_state st = { NULL, cp_list_new(), cp_list_new(), 0, NULL };
    const char *s = cp_string_val(c->args[0]);
    size_t n = cp_string_len(c->args[0]);
    bool parsed = csv_parse(&p, s, n, on_field, on_record, &st) == n &&
                  csv_fini(&p, on_field, on_record, &st) == 0;
    if (!parsed && !st.error)
        st.error = cp_xasprintf("not valid CSV after record %zu: %s (a quote inside a field "
                                "must be doubled, and the field quoted)",
                                st.record, csv_strerror(csv_error(&p)));
    if (!st.error && !st.header) st.error = cp_xstrdup("the text is empty: it needs a header line");
    csv_free(&p);
    cp_value *r = st.error ? cp__fn_arg_error(c, 0, "%s", st.error) : cp_retain(st.out);
    free(st.error);
    cp_release(st.header);
    cp_release(st.row);
    cp_release(st.out);
    return r;
}

cp_value *cp_fn_base64gzip(const cp_fn_call *c)
{
    const char *s = cp_string_val(c->args[0]);
    size_t n = cp_string_len(c->args[0]);
    z_stream z = { 0 };
    /* 15 + 16: a gzip header and trailer (mtime 0, so the output is stable) */
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return cp__fn_error(c, "cannot start gzip compression");
    uLong cap = deflateBound(&z, (uLong)n);
    unsigned char *out = cp_xmalloc(cap);
    z.next_in = (Bytef *)s;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    size_t len = z.total_out;
    deflateEnd(&z);
    cp_value *r = rc == Z_STREAM_END ? cp__base64(out, len) : cp__fn_error(c, "gzip failed");
    free(out);
    return r;
}
