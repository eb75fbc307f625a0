/*
 * plan_import.c: the stack's import blocks (see plan_blocks.h). For each
 * `import { to = ADDR  id = … }` whose ADDR state does not hold yet (an
 * import already done is a no-op, so the block may stay), the id is
 * evaluated (it must be a known string), the type's import function reads
 * the object, and the result goes into the refreshed state as ADDR: the
 * planner then diffs it against ADDR's config like any object in state
 * (no change, or an update in place, or a replace), and apply saves it.
 * A destroy plan imports nothing.
 */
#include "plan/plan_blocks.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static char *import_id(const cp_config_import *im, const cp_eval_ctx *ctx, cp_diags *d)
{
    cp_value *v = cp_eval(ctx, im->id);
    if (!v) return NULL;
    char *id = NULL;
    if (cp_is_unknown(v) || cp_contains_unknown(v))
        cp_diag_error(d, im->id->loc,
                      "import: the id for %s is known only after apply; use a value known at "
                      "plan time (a literal, a variable or a local)",
                      im->to);
    else if (cp_kind_of(v) != CP_STRING || !*cp_string_val(v))
        cp_diag_error(d, im->id->loc, "import: the id for %s must be a non-empty string", im->to);
    else
        id = cp_xstrdup(cp_string_val(v));
    cp_release(v);
    return id;
}

/* Read the object through its type's import function; NULL after an error. */
static cp_value *read_object(const cp_plan_opts *o, const cp_config_import *im, const cp_addr *a,
                             const char *id, cp_diags *d)
{
    const cp_provider *prov = NULL;
    const cp_resource_type *rt = cp_plan_type_of(o->types, a, &prov);
    if (!rt) return NULL; /* config already reported the unknown type */
    if (!rt->import) {
        cp_diag_error(d, im->loc,
                      "import: %s objects cannot be imported; remove the import block and let "
                      "apply create %s",
                      a->type, im->to);
        return NULL;
    }
    if (o->progress) fprintf(o->progress, "%s: Preparing import... [id=%s]\n", im->to, id);
    char *err = NULL;
    cp_provider_call call = { .address = im->to, .cancel = o->cancel };
    char *at = cp_addr_config_str(a);
    const cp_config_resource *r = cp_config_find_resource_at(o->config, at);
    free(at);
    call.client = o->client(o->client_ud, prov, r ? r->provider : NULL, &err);
    cp_value *st = NULL;
    if (!call.client)
        call.error = err;
    else if (rt->import(&call, id, &st) != 0 && !call.error)
        call.error = cp_xstrdup("the provider gave no reason");
    if (call.error) {
        cp_diag_error(d, im->id->loc, "import: %s with id \"%s\" failed: %s; check the id", im->to,
                      id, call.error);
        free(call.error);
        cp_release(st);
        return NULL;
    }
    cp_value *m = cp_schema_mark_sensitive(rt->attrs, st, NULL);
    cp_release(st);
    return m;
}

int cp__plan_imports(const cp_plan_opts *o, const cp_eval_ctx *ctx, cp_state *st,
                     cp_plan_pairs *done, cp_diags *d)
{
    const cp_config *c = o->config;
    int rc = 0;
    for (size_t i = 0; i < c->nimports && !o->destroy; i++) {
        const cp_config_import *im = &c->imports[i];
        cp_addr a;
        if (!cp_addr_parse(im->to, &a, NULL)) continue;
        char *id = cp_state_find(st, &a) ? NULL : import_id(im, ctx, d);
        cp_value *obj = id ? read_object(o, im, &a, id, d) : NULL;
        if (obj) {
            cp_instance *inst = cp_instance_new(&a);
            cp_instance_set_attrs(inst, obj);
            char *at = cp_addr_config_str(&a);
            const cp_config_resource *r = cp_config_find_resource_at(c, at);
            free(at);
            cp_instance_set_provider(inst, r ? r->provider : NULL);
            cp_state_put_take(st, inst);
            done->a = cp_xrealloc(done->a, (done->n + 1) * sizeof *done->a);
            done->b = cp_xrealloc(done->b, (done->n + 1) * sizeof *done->b);
            done->a[done->n] = cp_xstrdup(im->to);
            done->b[done->n++] = id;
            id = NULL;
        } else if (id || cp_diags_has_errors(d))
            rc = -1;
        cp_release(obj);
        free(id);
        cp_addr_clear(&a);
    }
    return rc;
}
