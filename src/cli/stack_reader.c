/*
 * stack_reader.c: another stack's outputs through its backend (see
 * stack_reader.h).
 */
#include "cli/stack_reader.h"
#include "backend/codec_encrypt.h"
#include "cli/backends.h"
#include "state/state.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct cp_stack_reader {
    char *stack_dir, *region, *type;
    cp_value *settings;
};

cp_stack_reader *cp_stack_reader_new(const char *stack_dir, const char *region,
                                     const char *backend_type, const cp_value *settings)
{
    cp_stack_reader *r = cp_xcalloc(1, sizeof *r);
    r->stack_dir = cp_xstrdup(stack_dir ? stack_dir : ".");
    r->region = region ? cp_xstrdup(region) : NULL;
    r->type = backend_type ? cp_xstrdup(backend_type) : NULL;
    r->settings = settings ? cp_retain(settings) : cp_map_new();
    return r;
}

void cp_stack_reader_free(cp_stack_reader *r)
{
    if (!r) return;
    free(r->stack_dir);
    free(r->region);
    free(r->type);
    cp_release(r->settings);
    free(r);
}

static const char *ref_str(const cp_value *ref, const char *key)
{
    const cp_value *v = cp_map_get(ref, key);
    return v && cp_kind_of(v) == CP_STRING ? cp_string_val(v) : NULL;
}

static bool takes(const cp_backend_type *t, const char *setting)
{
    for (const char *const *s = t->settings; *s; s++)
        if (!strcmp(*s, setting)) return true;
    return false;
}

/* This stack's settings with key = the other stack's name (when the type
 * takes a key). */
static cp_value *same_backend_settings(const cp_stack_reader *r, const cp_backend_type *t,
                                       const char *stack)
{
    cp_value *m = cp_map_new();
    for (size_t i = 0; i < cp_len(r->settings); i++)
        cp_map_set_take(m, cp_map_key_at(r->settings, i),
                        cp_retain(cp_map_value_at(r->settings, i)));
    if (takes(t, "key")) cp_map_set_take(m, "key", cp_string(stack));
    return m;
}

/* The backend the reference names, opened; -1 with *err. */
static int open_for(const cp_stack_reader *r, const cp_value *ref, cp_backend **b, char **err)
{
    const char *stack = ref_str(ref, "stack"), *dir = ref_str(ref, "dir");
    const char *type = ref_str(ref, "backend");
    if (!type) type = dir ? "local" : r->type;
    const cp_backend_type *t = cp_cli_backend_type(type);
    if (!t) {
        *err = cp_xasprintf("unknown backend \"%s\"; use one of local, s3", type);
        return -1;
    }
    const cp_value *cfg = cp_map_get(ref, "config");
    bool same = t == cp_cli_backend_type(r->type);
    cp_value *settings = cfg && cp_kind_of(cfg) == CP_MAP ? cp_retain(cfg)
                         : same                           ? same_backend_settings(r, t, stack)
                                                          : cp_map_new();
    char *sdir = dir && dir[0] == '/' ? cp_xstrdup(dir)
                 : dir                ? cp_xasprintf("%s/%s", r->stack_dir, dir)
                                      : cp_xasprintf("%s/../%s", r->stack_dir, stack);
    cp_backend_env env = { .stack_dir = sdir, .region = r->region };
    int rc = t->open(settings, &env, b, err);
    cp_release(settings);
    free(sdir);
    const char *pass = getenv("CPSTACK_STATE_PASSPHRASE");
    if (rc == 0 && pass && *pass) {
        cp_state_codec codec;
        rc = cp_codec_encrypt_new(pass, &codec, err);
        if (rc == 0) cp_backend_set_codec(*b, &codec);
    }
    return rc;
}

/* The outputs of st as a map, sensitive ones marked. */
static cp_value *outputs_of(const cp_state *st)
{
    cp_value *m = cp_map_new();
    for (size_t i = 0; i < cp_state_output_count(st); i++) {
        const cp_value *v = cp_state_output_value(st, i);
        bool mark = cp_state_output_sensitive(st, i) && !cp_is_sensitive(v);
        cp_map_set_take(m, cp_state_output_name(st, i), mark ? cp_mark_sensitive(v) : cp_retain(v));
    }
    return m;
}

static int read_outputs(void *ud, const cp_value *ref, cp_value **outputs, bool *found,
                        char **where, char **err)
{
    const cp_stack_reader *r = ud;
    const char *stack = ref_str(ref, "stack"), *branch = ref_str(ref, "branch");
    cp_backend *b = NULL;
    *outputs = NULL;
    *where = NULL;
    if (open_for(r, ref, &b, err) != 0) return -1;
    cp_buf buf;
    cp_buf_init(&buf);
    char token[CP_TOKEN_MAX];
    int rc = cp_backend_read(b, branch, &buf, found, token, err);
    *where = cp_backend_describe(b, branch);
    cp_backend_close(b);
    cp_state *st = rc == 0 && *found ? cp_state_parse(buf.data, buf.len, *where, err) : NULL;
    cp_buf_free(&buf);
    if (rc != 0 || (*found && !st)) {
        free(*where);
        *where = NULL;
        return -1;
    }
    if (st && cp_state_stack(st) && *cp_state_stack(st) && strcmp(cp_state_stack(st), stack)) {
        *err = cp_xasprintf("the state in %s belongs to stack \"%s\"; check dir or the backend "
                            "config",
                            *where, cp_state_stack(st));
        cp_state_free(st);
        free(*where);
        *where = NULL;
        return -1;
    }
    if (st) *outputs = outputs_of(st);
    cp_state_free(st);
    return 0;
}

cp_provider_host cp_stack_reader_host(cp_stack_reader *r)
{
    return (cp_provider_host){ .read_stack_outputs = read_outputs, .ud = r };
}
