/*
 * refresh.c: reading every managed instance in state again through its
 * provider, in parallel (see plan.h).
 *
 * Work items are built over the state's instances, which are sorted by
 * address so one type's instances are adjacent: a run of one type whose
 * provider has read_batch becomes items of up to BATCH instances, anything
 * else one item per instance. The items are run by the graph walker over a
 * graph without edges (a bounded thread pool); each writes only its own
 * result slots. The new state is assembled afterwards on this thread:
 * objects that are gone are dropped (and so planned for creation again), a
 * pending create is looked up by its recovery key (recover.h) instead of
 * read: found, it becomes a normal instance (adopted); not found, it is
 * dropped and so created again. An object without an id (the engine never
 * writes one; a hand-edited state may hold one) is reported, never read.
 * An unsettled object becomes ok once read. Deposed objects
 * (state.h) are read too, after the current ones; one that is gone is
 * dropped, one that exists keeps its key (and is then planned for deletion).
 */
#include "plan/plan.h"
#include "graph/graph.h"
#include "plan/recover.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define BATCH     100
#define BATCH_MIN 8

typedef struct ritem {
    const cp_resource_type *rt;
    const cp_provider *prov;
    size_t first, n; /* into rctx.insts */
    char *err;
} ritem;

typedef struct rctx {
    const cp_plan_opts *o;
    const cp_instance **insts;
    cp_value **results; /* per instance: new attrs or NULL (gone) */
    ritem *items;
    size_t nitems, cap;
} rctx;

const cp_resource_type *cp_plan_type_of(const cp_type_lookup *types, const cp_addr *a,
                                        const cp_provider **prov)
{
    if (prov) *prov = NULL;
    return types->find(types->ud, a->type, a->mode == CP_MODE_DATA, prov);
}

static void add_item(rctx *R, const cp_resource_type *rt, const cp_provider *p, size_t first,
                     size_t n)
{
    CP_GROW(R->items, R->nitems + 1, R->cap);
    R->items[R->nitems++] = (ritem){ rt, p, first, n, NULL };
}

static bool is_pending(const cp_instance *inst)
{
    return cp_instance_status(inst) == CP_STATUS_PENDING_CREATE;
}

static bool has_id(const cp_instance *inst)
{
    const cp_value *a = cp_instance_attrs(inst);
    const cp_value *id = a && cp_kind_of(a) == CP_MAP ? cp_map_get(a, "id") : NULL;
    return id && cp_kind_of(id) == CP_STRING && cp_string_len(id) > 0;
}

/* Both owned by the same provider instance (a batch goes to one client). */
static bool same_instance(const cp_instance *a, const cp_instance *b)
{
    const char *x = cp_instance_provider(a), *y = cp_instance_provider(b);
    return x == y || (x && y && !strcmp(x, y));
}

static void build_items(rctx *R, size_t count)
{
    size_t i = 0;
    while (i < count) {
        const cp_provider *p;
        const cp_resource_type *rt =
            cp_plan_type_of(R->o->types, cp_instance_addr(R->insts[i]), &p);
        size_t j = i + 1;
        while (j < count &&
               !strcmp(cp_instance_addr(R->insts[j])->type, cp_instance_addr(R->insts[i])->type) &&
               same_instance(R->insts[i], R->insts[j]) && !is_pending(R->insts[j]) &&
               !is_pending(R->insts[i]) && has_id(R->insts[j]) && has_id(R->insts[i]))
            j++;
        bool batch = rt && rt->read_batch && j - i >= BATCH_MIN;
        for (size_t k = i; k < j; k += batch ? BATCH : 1)
            add_item(R, rt, p, k, batch ? (j - k < BATCH ? j - k : BATCH) : 1);
        i = j;
    }
}

static void progress(void *ud, const char *msg)
{
    (void)ud;
    (void)msg;
}

static const char *id_text(const cp_value *attrs)
{
    const cp_value *id = attrs && cp_kind_of(attrs) == CP_MAP ? cp_map_get(attrs, "id") : NULL;
    return id && cp_kind_of(id) == CP_STRING ? cp_string_val(id) : NULL;
}

/* refresh_start (done false) or refresh_complete for each object of it. */
static void observe(rctx *R, const ritem *it, bool done)
{
    for (size_t i = 0; R->o->observer && i < it->n; i++) {
        const cp_instance *inst = R->insts[it->first + i];
        const cp_value *now = done ? R->results[it->first + i] : cp_instance_attrs(inst);
        if (done && !now) continue; /* gone: the drift says so */
        cp_event ev = { .kind = done ? CP_EVENT_REFRESH_COMPLETE : CP_EVENT_REFRESH_START,
                        .address = cp_instance_addr_str(inst),
                        .id = id_text(now) };
        cp_observe(R->o->observer, &ev);
    }
}

static int read_item(rctx *R, ritem *it);

static int run_item(void *ctx, int node, void *user)
{
    rctx *R = ctx;
    ritem *it = &R->items[node];
    (void)user;
    observe(R, it, false);
    int rc = read_item(R, it);
    if (rc == 0) observe(R, it, true);
    return rc;
}

static int read_item(rctx *R, ritem *it)
{
    if (!it->rt || !it->rt->read) { /* unknown type: keep as it is */
        for (size_t i = 0; i < it->n; i++)
            R->results[it->first + i] = cp_retain(cp_instance_attrs(R->insts[it->first + i]));
        return 0;
    }
    char *err = NULL;
    cp_provider_call call = { .cancel = R->o->cancel, .progress = progress };
    call.client =
        R->o->client(R->o->client_ud, it->prov, cp_instance_provider(R->insts[it->first]), &err);
    if (!call.client) {
        it->err = err;
        return -1;
    }
    const cp_instance *first = R->insts[it->first];
    call.address = cp_instance_addr_str(first);
    call.stop = R->o->cancel;
    int rc;
    if (is_pending(first)) {
        rc = cp_recover_find(it->rt, &call, cp_instance_attrs(first), &R->results[it->first]);
    } else if (!has_id(first)) {
        rc = -1;
        free(call.error);
        call.error = cp_xasprintf("the state holds no id for this object; run cpstack state rm %s, "
                                  "then cpstack import %s ID if it exists",
                                  call.address, call.address);
    } else if (it->n > 1) {
        const cp_value **states = cp_xcalloc(it->n, sizeof *states);
        for (size_t i = 0; i < it->n; i++) states[i] = cp_instance_attrs(R->insts[it->first + i]);
        rc = it->rt->read_batch(&call, states, it->n, &R->results[it->first]);
        free(states);
    } else {
        rc = it->rt->read(&call, cp_instance_attrs(R->insts[it->first]), &R->results[it->first]);
    }
    if (rc != 0)
        it->err = call.error ? call.error : cp_xstrdup("the provider gave no reason");
    else
        free(call.error);
    return rc;
}

static void report(rctx *R, cp_diags *d)
{
    for (size_t i = 0; i < R->nitems; i++) {
        ritem *it = &R->items[i];
        if (it->err) {
            cp_loc none = { 0 };
            if (it->n > 1)
                cp_diag_error(d, none, "%s and %zu more: refresh failed: %s",
                              cp_instance_addr_str(R->insts[it->first]), it->n - 1, it->err);
            else if (is_pending(R->insts[it->first]) &&
                     !strncmp(it->err, cp_instance_addr_str(R->insts[it->first]),
                              strlen(cp_instance_addr_str(R->insts[it->first]))))
                cp_diag_error(d, none, "%s", it->err);
            else if (is_pending(R->insts[it->first]))
                cp_diag_error(d, none,
                              "%s: a create was interrupted and looking for its object failed "
                              "(%s); run the command again",
                              cp_instance_addr_str(R->insts[it->first]), it->err);
            else {
                const cp_instance *inst = R->insts[it->first];
                const char *addr = cp_instance_addr_str(inst), *why = it->err;
                const char *key = cp_instance_deposed_key(inst);
                size_t n = strlen(addr);
                if (!strncmp(why, addr, n) && why[n] == ':') why += n + 1 + (why[n + 1] == ' ');
                cp_diag_error(d, none, "%s%s%s%s: refresh failed: %s", addr,
                              key ? " (deposed object " : "", key ? key : "", key ? ")" : "", why);
            }
            free(it->err);
        }
    }
}

/* One line on what became of a pending create, or of an object gone. */
static void say_recovery(FILE *f, const cp_type_lookup *types, const cp_instance *old,
                         const cp_value *res)
{
    const char *addr = cp_instance_addr_str(old);
    if (!is_pending(old)) {
        if (!res) fprintf(f, "%s: no longer exists; it will be created again\n", addr);
        return;
    }
    const cp_resource_type *rt = cp_plan_type_of(types, cp_instance_addr(old), NULL);
    char *key = cp_recover_describe(rt, cp_instance_attrs(old));
    const cp_value *id = res ? cp_map_get(res, "id") : NULL;
    if (res)
        fprintf(f, "%s: an interrupted create made it (found by %s) [id=%s]; adopted into state\n",
                addr, key, id && cp_kind_of(id) == CP_STRING ? cp_string_val(id) : "?");
    else
        fprintf(f,
                "%s: an interrupted create made nothing (none found by %s); it will be created\n",
                addr, key);
    free(key);
}

static void assemble(rctx *R, size_t count, cp_state *out)
{
    for (size_t i = 0; i < count; i++) {
        const cp_instance *old = R->insts[i];
        const cp_value *res = R->results[i];
        const char *key = cp_instance_deposed_key(old);
        if (!res && key) { /* a deposed object that is gone: forget it */
            if (R->o->progress)
                fprintf(R->o->progress, "%s (deposed object %s): no longer exists\n",
                        cp_instance_addr_str(old), key);
            cp_state_remove_deposed(out, cp_instance_addr(old), key);
            continue;
        }
        if (R->o->progress) say_recovery(R->o->progress, R->o->types, old, res);
        if (!res) {
            cp_state_remove(out, cp_instance_addr(old));
            continue;
        }
        const cp_resource_type *rt = cp_plan_type_of(R->o->types, cp_instance_addr(old), NULL);
        cp_instance *n = cp_instance_copy(old);
        cp_value *clean = cp_recover_strip(res);
        cp_value *marked = rt ? cp_schema_mark_sensitive(rt->attrs, clean, cp_instance_attrs(old))
                              : cp_retain(clean);
        cp_release(clean);
        cp_instance_set_attrs(n, marked);
        cp_release(marked);
        if (cp_instance_status(old) == CP_STATUS_PENDING_CREATE ||
            cp_instance_status(old) == CP_STATUS_UNSETTLED)
            cp_instance_set_status(n, CP_STATUS_OK);
        cp_state_put_take(out, n);
    }
}

/* The objects to read: current managed instances, then deposed objects
 * (only_pending: just the pending creates). */
static size_t collect(const cp_state *prior, bool only_pending, const cp_instance ***out)
{
    size_t n = 0, ncur = cp_state_count(prior), total = ncur + cp_state_deposed_count(prior);
    const cp_instance **v = cp_xcalloc(total ? total : 1, sizeof *v);
    for (size_t i = 0; i < total; i++) {
        const cp_instance *inst =
            i < ncur ? cp_state_at(prior, i) : cp_state_deposed_at(prior, i - ncur);
        if (cp_instance_addr(inst)->mode != CP_MODE_MANAGED) continue;
        cp_status st = cp_instance_status(inst);
        if (only_pending &&
            (i >= ncur || (st != CP_STATUS_PENDING_CREATE && st != CP_STATUS_UNSETTLED)))
            continue;
        v[n++] = inst;
    }
    *out = v;
    return n;
}

int cp_plan_refresh(const cp_plan_opts *o, const cp_state *prior, bool only_pending, cp_state **out,
                    cp_diags *d)
{
    rctx R = { .o = o };
    size_t count = collect(prior, only_pending, &R.insts);
    R.results = cp_xcalloc(count ? count : 1, sizeof(cp_value *));
    build_items(&R, count);
    cp_graph *g = cp_graph_new();
    for (size_t i = 0; i < R.nitems; i++) cp_graph_add_node(g, "refresh", NULL, NULL);
    if (o->progress && count && !only_pending)
        fprintf(o->progress, "Refreshing %zu object%s...\n", count, count == 1 ? "" : "s");
    cp_walk_opts wo = { .parallelism = o->parallelism > 0 ? o->parallelism : 10,
                        .stop = o->cancel };
    cp_walk_result res;
    int rc = cp_graph_walk(g, &wo, run_item, &R, &res);
    cp_walk_result_free(&res);
    cp_graph_free(g);
    size_t before = d->errors;
    report(&R, d);
    if (rc != 0 && d->errors == before) {
        cp_loc none = { 0 };
        cp_diag_error(d, none, "refresh was interrupted; run the command again");
    }
    *out = NULL;
    if (rc == 0) {
        *out = cp_state_copy(prior);
        assemble(&R, count, *out);
    }
    for (size_t i = 0; i < count; i++) cp_release(R.results[i]);
    free(R.results);
    free(R.items);
    free(R.insts);
    return rc == 0 ? 0 : -1;
}
