/*
 * instance.c: cp_instance, one resource object in state (see state.h).
 *
 * An instance is built while fresh and frozen when a state takes it; after
 * that only its reference count and its cached JSON text change, both
 * atomically, so frozen instances are shared between state copies and the
 * background writer without locks. Dependencies are canonical address
 * strings kept sorted and unique. A deposed object (state.h) is an instance
 * with a deposed key.
 */
#include "state/state_internal.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cp_status_name(cp_status s)
{
    switch (s) {
    case CP_STATUS_OK:
        return "ok";
    case CP_STATUS_PENDING_CREATE:
        return "pending_create";
    case CP_STATUS_TAINTED:
        return "tainted";
    case CP_STATUS_UNSETTLED:
        return "unsettled";
    }
    return "?";
}

bool cp_status_parse(const char *name, cp_status *out)
{
    static const cp_status all[] = { CP_STATUS_OK, CP_STATUS_PENDING_CREATE, CP_STATUS_TAINTED,
                                     CP_STATUS_UNSETTLED };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (strcmp(name, cp_status_name(all[i])) == 0) {
            *out = all[i];
            return true;
        }
    }
    return false;
}

/* FNV-1a over the address fields, so lookups need not format text. */
uint64_t cp__addr_hash(const cp_addr *a)
{
    uint64_t h = 1469598103934665603ULL;
#define MIX(byte) (h = (h ^ (unsigned char)(byte)) * 1099511628211ULL)
    MIX(a->mode);
    for (const char *p = a->type; *p; p++) MIX(*p);
    MIX(0);
    for (const char *p = a->name; *p; p++) MIX(*p);
    MIX(a->key_kind);
    if (a->key_kind == CP_KEY_INT)
        for (int i = 0; i < 8; i++) MIX((uint64_t)a->key_int >> (8 * i));
    if (a->key_kind == CP_KEY_STR)
        for (const char *p = a->key_str; *p; p++) MIX(*p);
#undef MIX
    return h;
}

static void free_deps(cp_instance *inst);

static cp_instance *instance_alloc(void)
{
    cp_instance *inst = cp_xcalloc(1, sizeof *inst);
    inst->refs = 1;
    inst->status = CP_STATUS_OK;
    return inst;
}

cp_instance *cp_instance_new(const cp_addr *addr)
{
    cp_instance *inst = instance_alloc();
    cp_addr_copy(&inst->addr, addr);
    inst->addr_str = cp_addr_str(addr);
    inst->hash = cp__addr_hash(addr);
    inst->attrs = cp_map_new();
    return inst;
}

cp_instance *cp_instance_new_str(const char *addr, char **err)
{
    cp_addr a;
    if (!cp_addr_parse(addr, &a, err)) return NULL;
    cp_instance *inst = cp_instance_new(&a);
    cp_addr_clear(&a);
    return inst;
}

cp_instance *cp_instance_copy(const cp_instance *src)
{
    cp_instance *inst = cp_instance_new(&src->addr);
    cp_instance_set_attrs(inst, src->attrs);
    inst->status = src->status;
    inst->schema_version = src->schema_version;
    inst->provider = src->provider ? cp_xstrdup(src->provider) : NULL;
    inst->deposed_key = src->deposed_key ? cp_xstrdup(src->deposed_key) : NULL;
    for (size_t i = 0; i < src->ndeps; i++) {
        CP_GROW(inst->deps, inst->ndeps + 1, inst->depcap);
        inst->deps[inst->ndeps++] = cp_xstrdup(src->deps[i]);
    }
    return inst;
}

cp_instance *cp_instance_retain(const cp_instance *cinst)
{
    cp_instance *inst = (cp_instance *)cinst;
    if (inst) __atomic_add_fetch(&inst->refs, 1, __ATOMIC_RELAXED);
    return inst;
}

void cp_instance_release(cp_instance *inst)
{
    if (!inst || __atomic_sub_fetch(&inst->refs, 1, __ATOMIC_ACQ_REL) != 0) return;
    cp_addr_clear(&inst->addr);
    free(inst->addr_str);
    cp_release(inst->attrs);
    free_deps(inst);
    free(inst->deps);
    free(__atomic_load_n(&inst->json, __ATOMIC_ACQUIRE));
    free(inst->deposed_key);
    free(inst->provider);
    free(inst);
}

/* Setters on a frozen instance are a bug in the caller: stop loudly. */
static void check_fresh(const cp_instance *inst, const char *fn)
{
    if (!inst->frozen) return;
    fprintf(stderr,
            "cpstack: internal error: %s on %s after it was put into a state; "
            "copy it first (cp_instance_copy)\n",
            fn, inst->addr_str);
    abort();
}

void cp_instance_set_status(cp_instance *inst, cp_status status)
{
    check_fresh(inst, __func__);
    inst->status = status;
}

void cp_instance_set_attrs(cp_instance *inst, const cp_value *attrs)
{
    check_fresh(inst, __func__);
    cp_value *keep = cp_retain(attrs);
    cp_release(inst->attrs);
    inst->attrs = keep;
}

void cp_instance_set_provider(cp_instance *inst, const char *provider)
{
    check_fresh(inst, __func__);
    free(inst->provider);
    inst->provider = provider ? cp_xstrdup(provider) : NULL;
}

const char *cp_instance_provider(const cp_instance *inst) { return inst->provider; }

void cp_instance_set_schema_version(cp_instance *inst, int64_t version)
{
    check_fresh(inst, __func__);
    inst->schema_version = version;
}

void cp_instance_set_deposed_key(cp_instance *inst, const char *key)
{
    check_fresh(inst, __func__);
    char *keep = key ? cp_xstrdup(key) : NULL;
    free(inst->deposed_key);
    inst->deposed_key = keep;
}

/* Insert a canonical address string (taken) in sorted position, once. */
static void add_dep_text_take(cp_instance *inst, char *text)
{
    size_t lo = 0, hi = inst->ndeps;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(inst->deps[mid], text);
        if (c == 0) {
            free(text);
            return;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    CP_GROW(inst->deps, inst->ndeps + 1, inst->depcap);
    memmove(&inst->deps[lo + 1], &inst->deps[lo], (inst->ndeps - lo) * sizeof(char *));
    inst->deps[lo] = text;
    inst->ndeps++;
}

void cp_instance_add_dep(cp_instance *inst, const cp_addr *dep)
{
    check_fresh(inst, __func__);
    add_dep_text_take(inst, cp_addr_str(dep));
}

bool cp_instance_add_dep_str(cp_instance *inst, const char *dep, char **err)
{
    cp_addr a;
    if (!cp_addr_parse(dep, &a, err)) return false;
    cp_instance_add_dep(inst, &a);
    cp_addr_clear(&a);
    return true;
}

static void free_deps(cp_instance *inst)
{
    for (size_t i = 0; i < inst->ndeps; i++) free(inst->deps[i]);
    inst->ndeps = 0;
}

void cp_instance_clear_deps(cp_instance *inst)
{
    check_fresh(inst, __func__);
    free_deps(inst);
}

const cp_addr *cp_instance_addr(const cp_instance *inst) { return &inst->addr; }
const char *cp_instance_addr_str(const cp_instance *inst) { return inst->addr_str; }
cp_status cp_instance_status(const cp_instance *inst) { return inst->status; }
const cp_value *cp_instance_attrs(const cp_instance *inst) { return inst->attrs; }
int64_t cp_instance_schema_version(const cp_instance *inst) { return inst->schema_version; }
const char *cp_instance_deposed_key(const cp_instance *inst) { return inst->deposed_key; }
size_t cp_instance_dep_count(const cp_instance *inst) { return inst->ndeps; }

const char *cp_instance_dep(const cp_instance *inst, size_t i)
{
    return i < inst->ndeps ? inst->deps[i] : NULL;
}
