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
 *
 * Durability (store.h group commit): only step (1) waits for the disk, and
 * only for a type that needs a durable intent (not no_durable_intent nor
 * CP_RECOVER_NONE, provider.h). Creates that start together share the
 * write of their intents: each holds the store (cp_store_hold) from its
 * start until its intent is in the state. Completions (3), updates,
 * deletes and reads wait for nothing; the store writes them within its
 * lag, or sooner with the next intent anyone waits for. Invariant: a
 * completion is durable no later than the durable intent of anything that
 * depends on it, since a dependent starts after its prerequisites
 * completed and every write is a whole snapshot of the state. So an object
 * made from another's value (an id, a random name) is never recorded
 * without that value, and a crash loses at most completions whose intents
 * are durable (the next plan finds those objects: plan/recover.h) or
 * creates that may run again (no_durable_intent).
 *
 * create_before_destroy replacement: step (1) also moves the old object
 * into the address's deposed objects (state.h), in the same durable change,
 * so a crash from then on leaves both old and new tracked; the delete half
 * then deletes the old object and removes it from state by its key. If the
 * create makes nothing, the old object is put back as current. The delete
 * of a deposed object left by an earlier run (ch->deposed) works the same.
 *
 * Recovery (plan/recover.h): the intent carries the type's recovery key,
 * and create() gets the same config. A create whose answer was lost (the
 * call may have been performed), or that is told the object exists after
 * such a lost answer, looks the object up with find(): found, it is
 * adopted; not found, the create is sent again (same key) up to
 * CREATE_TRIES times. A failure that may have made something keeps the
 * intent, so the next plan looks again. A create whose wait a signal cut
 * short is saved as unsettled: the next plan reads it again.
 */
#include "apply/apply_internal.h"
#include "plan/recover.h"
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
    cp_value *m =
        ch->rtype ? cp_schema_mark_sensitive(ch->rtype->attrs, attrs, cfg) : cp_retain(attrs);
    cp_instance_set_attrs(inst, m);
    cp_release(m);
    cp_instance_set_provider(inst, ch->instance);
    for (size_t i = 0; i < ch->ndeps; i++) cp_instance_add_dep_str(inst, ch->deps[i], NULL);
    return inst;
}

/* Put (or remove, when inst is NULL) and persist; wait: until durable. */
static int commit_take(applier *A, const cp_change *ch, cp_instance *inst, bool wait, char **err)
{
    cp_apply_lock(A);
    if (inst)
        cp_state_put_take(A->state, inst);
    else
        cp_state_remove(A->state, &ch->addr);
    uint64_t ticket = cp_apply_changed(A);
    cp_apply_unlock(A);
    return wait ? cp_apply_wait(A, ticket, err) : 0;
}

static void begin_call(applier *A, anode *n, cp_provider_call *call, char **err)
{
    const cp_provider *prov = n->ch->provider;
    memset(call, 0, sizeof *call);
    call->address = n->ch->address;
    call->cancel = A->o->cancel;
    call->stop = A->o->stop;
    call->client = prov ? A->o->client(A->o->client_ud, prov, n->ch->instance, err) : NULL;
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
/* A provider call failed: record why, release what it returned. */
static int call_failed_take(anode *n, cp_provider_call *call, char *err, cp_value *st,
                            cp_value *cfg)
{
    n->error = call->client ? call_error(call) : err;
    cp_release(st);
    cp_release(cfg);
    return -1;
}

static cp_value *intent_attrs(const cp_change *ch, const cp_value *cfg)
{
    cp_value *known = ch->rtype && ch->rtype->plan_known ? ch->rtype->plan_known(cfg) : NULL;
    if (!known || cp_kind_of(known) != CP_MAP) {
        cp_release(known);
        return cp_retain(cfg);
    }
    cp_value *out = cp_map_overlay(cfg, known);
    cp_release(known);
    return out;
}

/* The delete half of n when n creates for a create_before_destroy replace
 * (build_nodes puts it just before), else NULL. */
static anode *cbd_partner(applier *A, anode *n)
{
    if (!n->replace_half || !n->ch->create_before_destroy || n == A->nodes) return NULL;
    anode *del = n - 1;
    return del->ch == n->ch && del->op == OP_DELETE ? del : NULL;
}

/* Whether a create of this type waits for its intent to be durable. */
static bool durable_intent(const cp_resource_type *rt)
{
    return !rt || (!rt->no_durable_intent && rt->recovery != CP_RECOVER_NONE);
}

/* Record the create intent and persist it, waiting until durable when
 * `durable` (ending the hold do_create took); for a create_before_destroy
 * replace, depose the old object in the same change. */
static int commit_intent_take(applier *A, anode *n, cp_instance *intent, bool durable, char **err)
{
    anode *del = cbd_partner(A, n);
    cp_apply_lock(A);
    if (del && !cp_state_depose(A->state, &n->ch->addr, del->deposed_key))
        del->deposed_key[0] = '\0';
    cp_state_put_take(A->state, intent);
    uint64_t ticket = cp_apply_changed(A);
    cp_apply_unlock(A);
    if (!durable) return 0;
    cp_apply_unhold(A);
    return cp_apply_wait(A, ticket, err);
}

/* The create made nothing: drop the intent, and put back the object a
 * create_before_destroy replace deposed (it was never replaced). */
static void undo_intent(applier *A, anode *n)
{
    anode *del = cbd_partner(A, n);
    cp_apply_lock(A);
    cp_state_remove(A->state, &n->ch->addr);
    if (del && del->deposed_key[0] &&
        cp_state_restore_deposed(A->state, &n->ch->addr, del->deposed_key))
        del->deposed_key[0] = '\0';
    cp_apply_changed(A);
    cp_apply_unlock(A);
}

#define CREATE_TRIES 3

/* An object a lost create answer made, brought to cfg by update() (the
 * create may have stopped half way); when that fails it is kept as found,
 * and the next plan shows the difference. Consumes found. */
static cp_value *adopt_take(applier *A, anode *n, cp_provider_call *call, cp_value *found,
                            const cp_value *cfg)
{
    const cp_resource_type *rt = n->ch->rtype;
    if (!rt->update) return found;
    char *err = NULL;
    begin_call(A, n, call, &err);
    free(err);
    cp_value *st = NULL;
    int rc = call->client ? rt->update(call, found, cfg, &st) : -1;
    end_call(n);
    if (rc == 0 && st) {
        cp_release(found);
        return st;
    }
    cp_apply_say(A,
                 "%s: could not bring the found object to its configuration (%s); the next "
                 "plan shows what differs",
                 n->ch->address, call->error ? call->error : "no reason given");
    free(call->error);
    call->error = NULL;
    cp_release(st);
    return found;
}

/* One create call, then, while its answer may have been lost, a look-up
 * (adopting what it finds) and another try. Returns the provider's rc;
 * *maybe: a failure that may have left an object; *unsettled: its wait was
 * cut short. */
static int create_call(applier *A, anode *n, cp_provider_call *call, const cp_value *cfg,
                       cp_value **st, bool *maybe, bool *unsettled)
{
    const cp_resource_type *rt = n->ch->rtype;
    char *err = NULL;
    bool lost = false;
    int rc = -1;
    for (int t = 0; t < CREATE_TRIES; t++) {
        if (t) free(call->error);
        begin_call(A, n, call, &err);
        if (!call->client) break;
        rc = rt->create(call, cfg, st);
        lost = lost || call->unanswered;
        *unsettled = call->unsettled;
        if (rc == 0 || *st || !(call->unanswered || (lost && call->exists))) break;
        cp_value *found = NULL;
        char *why = call->error;
        call->error = NULL;
        int frc = cp_recover_find(rt, call, cfg, &found);
        end_call(n);
        if (frc == 0 && found) {
            free(why);
            cp_apply_say(A, "%s: the answer to its create was lost; found the object it made",
                         n->ch->address);
            *st = adopt_take(A, n, call, found, cfg);
            return 0;
        }
        if (frc != 0) {
            free(why);
            break;
        }
        free(call->error);
        call->error = why;
        cp_apply_say(A, "%s: the answer to its create was lost and nothing was made; trying again",
                     n->ch->address);
    }
    end_call(n);
    if (!call->client) {
        free(call->error);
        call->error = err ? err : cp_xstrdup("no provider client");
        return -1;
    }
    free(err);
    *maybe = lost;
    return rc;
}

/* The create failed: record what it left (tainted), keep the intent when it
 * may have made something, else forget the intent. */
static int create_failed(applier *A, anode *n, cp_provider_call *call, cp_value *st, cp_value *cfg,
                         bool maybe)
{
    char *err = NULL;
    n->error = call_error(call);
    if (st)
        commit_take(A, n->ch, make_instance(n->ch, CP_STATUS_TAINTED, st, cfg), false, &err);
    else if (!maybe || n->ch->rtype->recovery == CP_RECOVER_NONE)
        undo_intent(A, n);
    free(err);
    cp_release(st);
    cp_release(cfg);
    return -1;
}

static int do_create(applier *A, anode *n)
{
    const cp_change *ch = n->ch;
    char *err = NULL;
    bool durable = durable_intent(ch->rtype);
    if (durable) cp_apply_hold(A);
    cp_value *raw = cp_apply_eval(A, ch, &err);
    if (!raw || cp_apply_conditions(A, ch, NULL, &err) != 0) {
        cp_release(raw);
        if (durable) cp_apply_unhold(A);
        n->error = err;
        return -1;
    }
    cp_value *cfg = cp_recover_prepare(ch->rtype, raw);
    cp_release(raw);
    cp_value *intent = intent_attrs(ch, cfg);
    int irc = commit_intent_take(A, n, make_instance(ch, CP_STATUS_PENDING_CREATE, intent, cfg),
                                 durable, &err);
    cp_release(intent);
    if (irc != 0) {
        n->error = err;
        cp_release(cfg);
        return -1;
    }
    cp_apply_say(A, "%s: Creating...", ch->address);
    cp_provider_call call;
    cp_value *got = NULL;
    bool maybe = false, unsettled = false;
    int rc = create_call(A, n, &call, cfg, &got, &maybe, &unsettled);
    cp_value *st = cp_recover_strip(got);
    cp_release(got);
    if (rc != 0) return create_failed(A, n, &call, st, cfg, maybe);
    free(call.error);
    const char *id = id_of(st);
    cp_apply_say(A, "%s: Creation complete after %.0fs%s%s%s%s", ch->address,
                 cp_apply_elapsed(&n->started), id ? " [id=" : "", id ? id : "", id ? "]" : "",
                 unsettled ? " (stopped waiting for it to be ready; the next plan checks it)" : "");
    rc = commit_take(A, ch,
                     make_instance(ch, unsettled ? CP_STATUS_UNSETTLED : CP_STATUS_OK, st, cfg),
                     false, &err);
    if (rc == 0) atomic_fetch_add(&A->added, 1);
    if (rc == 0) rc = cp_apply_conditions(A, ch, st, &err);
    cp_release(st);
    cp_release(cfg);
    if (rc != 0) {
        n->error = err;
        return -1;
    }
    return 0;
}

static cp_value *live_attrs(applier *A, const cp_change *ch)
{
    cp_apply_lock(A);
    const cp_instance *inst = cp_state_find(A->state, &ch->addr);
    cp_value *v =
        inst ? cp_retain(cp_instance_attrs(inst)) : (ch->before ? cp_retain(ch->before) : NULL);
    cp_apply_unlock(A);
    return v;
}

static int do_update(applier *A, anode *n)
{
    const cp_change *ch = n->ch;
    char *err = NULL;
    cp_value *cfg = cp_apply_eval(A, ch, &err);
    if (!cfg || cp_apply_conditions(A, ch, NULL, &err) != 0) {
        cp_release(cfg);
        n->error = err;
        return -1;
    }
    cp_value *old = live_attrs(A, ch);
    if (!id_of(old)) { /* never written by the engine; a hand-edited state may hold it */
        cp_release(old);
        cp_release(cfg);
        n->error = cp_xasprintf("%s: the state holds no id for this object; run cpstack state rm "
                                "%s, then cpstack import %s ID",
                                ch->address, ch->address, ch->address);
        return -1;
    }
    cp_apply_say(A, "%s: Modifying... [id=%s]", ch->address, id_of(old) ? id_of(old) : "?");
    cp_provider_call call;
    begin_call(A, n, &call, &err);
    cp_value *st = NULL;
    int rc = call.client ? ch->rtype->update(&call, old, cfg, &st) : -1;
    end_call(n);
    cp_release(old);
    if (rc != 0) return call_failed_take(n, &call, err, st, cfg);
    free(call.error);
    cp_apply_say(A, "%s: Modifications complete after %.0fs [id=%s]", ch->address,
                 cp_apply_elapsed(&n->started), id_of(st) ? id_of(st) : "?");
    cp_status status = call.unsettled ? CP_STATUS_UNSETTLED : CP_STATUS_OK;
    rc = commit_take(A, ch, make_instance(ch, status, st, cfg), false, &err);
    if (rc == 0) atomic_fetch_add(&A->changed, 1);
    if (rc == 0) rc = cp_apply_conditions(A, ch, st, &err);
    cp_release(st);
    cp_release(cfg);
    if (rc != 0) {
        n->error = err;
        return -1;
    }
    return 0;
}

/* The deposed object a delete node removes: the one a create_before_destroy
 * replace deposed in this run, or one planned from state; NULL for the
 * current object. */
static const char *deposed_key_of(const anode *n)
{
    if (n->ch->deposed) return n->ch->deposed;
    return n->replace_half && n->ch->create_before_destroy && n->deposed_key[0] ? n->deposed_key
                                                                                : NULL;
}

/* Attributes of the object a delete removes (new reference, or NULL). */
static cp_value *delete_target(applier *A, anode *n, const char *key)
{
    const cp_change *ch = n->ch;
    if (n->replace_half && ch->create_before_destroy && !key) /* nothing deposed: not in state */
        return ch->before ? cp_retain(ch->before) : NULL;
    if (!key) return live_attrs(A, ch);
    cp_apply_lock(A);
    const cp_instance *d = cp_state_find_deposed(A->state, &ch->addr, key);
    cp_value *v = d ? cp_retain(cp_instance_attrs(d)) : ch->before ? cp_retain(ch->before) : NULL;
    cp_apply_unlock(A);
    return v;
}

/* After a delete: forget the object (the deposed one, or the current). */
static int forget(applier *A, anode *n, const char *key, char **err)
{
    if (n->replace_half && n->ch->create_before_destroy && !key) return 0; /* the new one stays */
    if (!key) return commit_take(A, n->ch, NULL, false, err);
    cp_apply_lock(A);
    cp_state_remove_deposed(A->state, &n->ch->addr, key);
    cp_apply_changed(A);
    cp_apply_unlock(A);
    return 0;
}

static int do_delete(applier *A, anode *n)
{
    const cp_change *ch = n->ch;
    const char *key = deposed_key_of(n);
    cp_value *old = delete_target(A, n, key);
    if (!old) return 0;
    if (!id_of(old)) { /* e.g. a pending create planned with -refresh=false */
        cp_release(old);
        n->error = cp_xasprintf("%s: the state holds no id for this object, so nothing was "
                                "deleted; run the command again without -refresh=false so that "
                                "it is looked up first",
                                ch->address);
        return -1;
    }
    char *err = NULL, *label = key && !ch->deposed
                                   ? cp_xasprintf("%s (deposed object %s)", ch->address, key)
                                   : cp_xstrdup(ch->address);
    cp_apply_say(A, "%s: Destroying... [id=%s]", label, id_of(old) ? id_of(old) : "?");
    cp_provider_call call;
    begin_call(A, n, &call, &err);
    const cp_resource_type *rt = ch->rtype;
    int rc = call.client && rt ? rt->delete (&call, old) : -1;
    end_call(n);
    cp_release(old);
    if (rc == 0 && call.unsettled) { /* a signal cut its wait short: keep it tracked */
        free(call.error);
        call.error = cp_xasprintf("%s: its deletion started, but cpstack stopped waiting for it "
                                  "(signal); the next run checks it again",
                                  label);
        rc = -1;
    }
    if (rc != 0) {
        n->error = call.client ? call_error(&call) : err;
        free(label);
        return -1;
    }
    free(call.error);
    cp_apply_say(A, "%s: Destruction complete after %.0fs", label, cp_apply_elapsed(&n->started));
    free(label);
    if (forget(A, n, key, &err) != 0) {
        n->error = err;
        return -1;
    }
    atomic_fetch_add(&A->destroyed, 1);
    return 0;
}

static int do_read(applier *A, anode *n)
{
    const cp_change *ch = n->ch;
    char *err = NULL;
    cp_value *cfg = cp_apply_eval(A, ch, &err);
    if (!cfg || cp_apply_conditions(A, ch, NULL, &err) != 0) {
        cp_release(cfg);
        n->error = err;
        return -1;
    }
    cp_apply_say(A, "%s: Reading...", ch->address);
    cp_provider_call call;
    begin_call(A, n, &call, &err);
    cp_value *st = NULL;
    int rc = call.client ? ch->rtype->read_data(&call, cfg, &st) : -1;
    end_call(n);
    if (rc != 0) return call_failed_take(n, &call, err, st, cfg);
    free(call.error);
    cp_apply_say(A, "%s: Read complete after %.0fs", ch->address, cp_apply_elapsed(&n->started));
    rc = commit_take(A, ch, make_instance(ch, CP_STATUS_OK, st, cfg), false, &err);
    if (rc == 0) rc = cp_apply_conditions(A, ch, st, &err);
    cp_release(st);
    cp_release(cfg);
    if (rc != 0) {
        n->error = err;
        return -1;
    }
    return 0;
}

const char *cp_apply_op_action(anode_op op)
{
    return op == OP_CREATE   ? "create"
           : op == OP_UPDATE ? "update"
           : op == OP_DELETE ? "delete"
                             : "read";
}

/* apply_start, then apply_complete or apply_errored, for the observer. */
static void observe(applier *A, anode *n, cp_event_kind kind)
{
    if (!A->o->observer) return;
    cp_event ev = { .kind = kind,
                    .address = n->ch->address,
                    .action = cp_apply_op_action(n->op),
                    .elapsed = kind == CP_EVENT_APPLY_START ? 0 : cp_apply_elapsed(&n->started),
                    .error = n->error };
    cp_observe(A->o->observer, &ev);
}

static int run_op(applier *A, anode *n);

int cp_apply_node(void *ctx, int node, void *user)
{
    applier *A = ctx;
    anode *n = user;
    (void)node;
    if (A->o->cancel && *A->o->cancel) {
        n->error = cp_xstrdup("not started: the run was cancelled");
        return -1;
    }
    clock_gettime(CLOCK_MONOTONIC, &n->started);
    observe(A, n, CP_EVENT_APPLY_START);
    int rc = run_op(A, n);
    observe(A, n, rc == 0 ? CP_EVENT_APPLY_COMPLETE : CP_EVENT_APPLY_ERRORED);
    return rc;
}

static int run_op(applier *A, anode *n)
{
    switch (n->op) {
    case OP_CREATE:
        return do_create(A, n);
    case OP_UPDATE:
        return do_update(A, n);
    case OP_DELETE:
        return do_delete(A, n);
    case OP_READ:
        return do_read(A, n);
    }
    return -1;
}
