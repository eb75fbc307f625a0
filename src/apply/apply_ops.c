/*
 * apply_ops.c: the four operations of apply — create, update, delete and
 * read — each on one instance, run on a walker thread.
 *
 * The state story of a create: (1) put the instance as pending_create with
 * its config and persist, waiting until that is durable; (2) call the
 * provider; (3) put the real object (or, when the provider says a failed
 * create left something behind, that object marked tainted; or remove the
 * intent when nothing was made) and persist. Updates and deletes persist
 * after the call. Every state change happens under the state lock.
 */
#include "apply/apply_internal.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *id_of(const cp_value *attrs)
{
    const cp_value *id = attrs && cp_kind_of(attrs) == CP_MAP ? cp_map_get(attrs, "id") : NULL;
    return id && cp_kind_of(id) == CP_STRING ? cp_string_val(id) : NULL;
}

/* cfg (may be NULL): the config attrs came from; its secrets stay marked. */
static cp_instance *make_instance(const cp_change *ch, cp_status st, const cp_value *attrs,
                                  const cp_value *cfg)
{
    cp_instance *inst = cp_instance_new(&ch->addr);
    cp_instance_set_status(inst, st);
    cp_value *m = ch->rtype ? cp_schema_mark_sensitive(ch->rtype->attrs, attrs, cfg) : cp_retain(attrs);
    cp_instance_set_attrs(inst, m);
    cp_release(m);
    for (size_t i = 0; i < ch->ndeps; i++) cp_instance_add_dep_str(inst, ch->deps[i], NULL);
    return inst;
}

/* Put (or remove, when inst is NULL) and persist; wait: until durable. */
static int commit(applier *A, const cp_change *ch, cp_instance *inst, bool wait, char **err)
{
    cp_apply_lock(A);
    if (inst) cp_state_put_take(A->state, inst);
    else cp_state_remove(A->state, &ch->addr);
    uint64_t ticket = cp_apply_changed(A);
    cp_apply_unlock(A);
    return wait ? cp_apply_wait(A, ticket, err) : 0;
}

static void begin_call(applier *A, anode *n, cp_provider_call *call, char **err)
{
    const cp_provider *prov = NULL;
    cp_find_resource_type(n->ch->type, n->ch->is_data, &prov);
    memset(call, 0, sizeof *call);
    call->address = n->ch->address;
    call->cancel = A->o->cancel;
    call->client = prov ? A->o->client(A->o->client_ud, prov, err) : NULL;
    if (!prov) *err = cp_xasprintf("no provider has the resource type %s", n->ch->type);
    clock_gettime(CLOCK_MONOTONIC, &n->started);
    atomic_store(&n->running, 1);
}

static void end_call(anode *n) { atomic_store(&n->running, 0); }

static char *call_error(cp_provider_call *call)
{
    return call->error ? call->error : cp_xstrdup("the provider gave no reason");
}

/* The intent recorded before a create: the config plus whatever the
 * provider knows at plan time (often the id), so a later refresh can find
 * an object whose create was interrupted. */
static cp_value *intent_attrs(const cp_change *ch, const cp_value *cfg)
{
    cp_value *known = ch->rtype && ch->rtype->plan_known ? ch->rtype->plan_known(cfg) : NULL;
    if (!known || cp_kind_of(known) != CP_MAP) { cp_release(known); return cp_retain(cfg); }
    cp_value *out = cp_map_new();
    for (size_t i = 0; i < cp_len(cfg); i++)
        cp_map_set_take(out, cp_map_key_at(cfg, i), cp_retain(cp_map_value_at(cfg, i)));
    for (size_t i = 0; i < cp_len(known); i++)
        cp_map_set_take(out, cp_map_key_at(known, i), cp_retain(cp_map_value_at(known, i)));
    cp_release(known);
    return out;
}

static int do_create(applier *A, anode *n)
{
    const cp_change *ch = n->ch;
    char *err = NULL;
    cp_value *cfg = cp_apply_eval(A, ch, &err);
    if (!cfg) { n->error = err; return -1; }
    cp_value *intent = intent_attrs(ch, cfg);
    int irc = commit(A, ch, make_instance(ch, CP_STATUS_PENDING_CREATE, intent, cfg), true, &err);
    cp_release(intent);
    if (irc != 0) {
        n->error = err;
        cp_release(cfg);
        return -1;
    }
    cp_apply_say(A, "%s: Creating...", ch->address);
    cp_provider_call call;
    begin_call(A, n, &call, &err);
    cp_value *st = NULL;
    int rc = call.client ? ch->rtype->create(&call, cfg, &st) : -1;
    end_call(n);
    if (!call.client) { n->error = err; commit(A, ch, NULL, false, &err); cp_release(cfg); return -1; }
    if (rc != 0) {
        n->error = call_error(&call);
        commit(A, ch, st ? make_instance(ch, CP_STATUS_TAINTED, st, cfg) : NULL, false, &err);
        free(err);
        cp_release(st);
        cp_release(cfg);
        return -1;
    }
    free(call.error);
    const char *id = id_of(st);
    cp_apply_say(A, "%s: Creation complete after %.0fs%s%s%s", ch->address, cp_apply_elapsed(&n->started),
                 id ? " [id=" : "", id ? id : "", id ? "]" : "");
    rc = commit(A, ch, make_instance(ch, CP_STATUS_OK, st, cfg), false, &err);
    cp_release(st);
    cp_release(cfg);
    if (rc != 0) { n->error = err; return -1; }
    atomic_fetch_add(&A->added, 1);
    return 0;
}

static cp_value *live_attrs(applier *A, const cp_change *ch)
{
    cp_apply_lock(A);
    const cp_instance *inst = cp_state_find(A->state, &ch->addr);
    cp_value *v = inst ? cp_retain(cp_instance_attrs(inst)) : (ch->before ? cp_retain(ch->before) : NULL);
    cp_apply_unlock(A);
    return v;
}

static int do_update(applier *A, anode *n)
{
    const cp_change *ch = n->ch;
    char *err = NULL;
    cp_value *cfg = cp_apply_eval(A, ch, &err);
    if (!cfg) { n->error = err; return -1; }
    cp_value *old = live_attrs(A, ch);
    cp_apply_say(A, "%s: Modifying... [id=%s]", ch->address, id_of(old) ? id_of(old) : "?");
    cp_provider_call call;
    begin_call(A, n, &call, &err);
    cp_value *st = NULL;
    int rc = call.client ? ch->rtype->update(&call, old, cfg, &st) : -1;
    end_call(n);
    cp_release(old);
    if (rc != 0) {
        n->error = call.client ? call_error(&call) : err;
        cp_release(st);
        cp_release(cfg);
        return -1;
    }
    free(call.error);
    cp_apply_say(A, "%s: Modifications complete after %.0fs [id=%s]", ch->address,
                 cp_apply_elapsed(&n->started), id_of(st) ? id_of(st) : "?");
    rc = commit(A, ch, make_instance(ch, CP_STATUS_OK, st, cfg), false, &err);
    cp_release(st);
    cp_release(cfg);
    if (rc != 0) { n->error = err; return -1; }
    atomic_fetch_add(&A->changed, 1);
    return 0;
}

static int do_delete(applier *A, anode *n)
{
    const cp_change *ch = n->ch;
    bool keep_new = n->replace_half && ch->create_before_destroy;   /* the new one is in state */
    cp_value *old = keep_new ? cp_retain(ch->before) : live_attrs(A, ch);
    if (!old) return 0;
    char *err = NULL;
    cp_apply_say(A, "%s: Destroying... [id=%s]", ch->address, id_of(old) ? id_of(old) : "?");
    cp_provider_call call;
    begin_call(A, n, &call, &err);
    const cp_resource_type *rt = ch->rtype;
    int rc = call.client && rt ? rt->delete(&call, old) : -1;
    end_call(n);
    cp_release(old);
    if (rc != 0) {
        n->error = call.client ? call_error(&call) : err;
        return -1;
    }
    free(call.error);
    cp_apply_say(A, "%s: Destruction complete after %.0fs", ch->address, cp_apply_elapsed(&n->started));
    if (!keep_new && commit(A, ch, NULL, false, &err) != 0) { n->error = err; return -1; }
    atomic_fetch_add(&A->destroyed, 1);
    return 0;
}

static int do_read(applier *A, anode *n)
{
    const cp_change *ch = n->ch;
    char *err = NULL;
    cp_value *cfg = cp_apply_eval(A, ch, &err);
    if (!cfg) { n->error = err; return -1; }
    cp_apply_say(A, "%s: Reading...", ch->address);
    cp_provider_call call;
    begin_call(A, n, &call, &err);
    cp_value *st = NULL;
    int rc = call.client ? ch->rtype->read_data(&call, cfg, &st) : -1;
    end_call(n);
    if (rc != 0) {
        n->error = call.client ? call_error(&call) : err;
        cp_release(st);
        cp_release(cfg);
        return -1;
    }
    free(call.error);
    cp_apply_say(A, "%s: Read complete after %.0fs", ch->address, cp_apply_elapsed(&n->started));
    rc = commit(A, ch, make_instance(ch, CP_STATUS_OK, st, cfg), false, &err);
    cp_release(st);
    cp_release(cfg);
    if (rc != 0) { n->error = err; return -1; }
    return 0;
}

int cp_apply_node(void *ctx, int node, void *user)
{
    applier *A = ctx;
    anode *n = user;
    (void)node;
    if (A->o->cancel && *A->o->cancel) {
        n->error = cp_xstrdup("not started: the run was cancelled");
        return -1;
    }
    switch (n->op) {
    case OP_CREATE: return do_create(A, n);
    case OP_UPDATE: return do_update(A, n);
    case OP_DELETE: return do_delete(A, n);
    case OP_READ: return do_read(A, n);
    }
    return -1;
}
