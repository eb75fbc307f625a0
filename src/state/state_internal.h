/*
 * state_internal.h: the layouts of cp_instance and cp_state, shared by the
 * files of src/state/ that implement them (instance.c, state.c, deposed.c,
 * state_json.c, state_load.c). Nothing outside src/state/ includes this.
 */
#ifndef CP_STATE_STATE_INTERNAL_H
#define CP_STATE_STATE_INTERNAL_H

#include "state/state.h"

struct cp_instance {
    int refs;    /* atomic */
    bool frozen; /* set when a state takes it */
    cp_addr addr;
    char *addr_str; /* canonical text of addr */
    uint64_t hash;  /* cp__addr_hash(&addr) */
    cp_status status;
    cp_value *attrs; /* map, values carry sensitive marks */
    int64_t schema_version;
    char *provider; /* the provider instance ("aws.west") that owns it; NULL: the default */
    char **deps;    /* canonical addresses, sorted, unique */
    size_t ndeps, depcap;
    char *json;        /* cached JSON text of a frozen instance; set once, atomically */
    char *deposed_key; /* NULL: a current object; else the key of a deposed one */
};

typedef struct cp_output {
    char *name;
    cp_value *value; /* marked sensitive when sensitive */
    bool sensitive;
} cp_output;

struct cp_state {
    int64_t serial;
    char *lineage;
    char *stack;
    char *branch;
    char *cpstack_version;
    bool dirty;
    cp_instance **items; /* sorted by cp_addr_compare */
    size_t n, cap;
    cp_instance **slots; /* open-addressing hash index; NULL = empty */
    size_t nslots;       /* power of two, at least 2 * n */
    cp_output *outs;     /* sorted by name */
    size_t nouts, outcap;
    cp_instance **dep; /* deposed objects, sorted by address then key */
    size_t ndep, depcap;
};

uint64_t cp__addr_hash(const cp_addr *a);
/* deposed.c: put a deposed object (inst->deposed_key set; consumed, frozen),
 * replacing one with the same address and key. */
void cp__state_put_deposed_take(cp_state *s, cp_instance *inst);
/* deposed.c: give dst (which has none) src's deposed objects, shared. Every
 * copy of a state (cp_state_copy, the store's snapshot) must call it. */
void cp__state_copy_deposed(cp_state *dst, const cp_state *src);
/* The format version of a state document: its "format_version", 0 for the
 * prototype format (which has "version": 0 instead), -1 when unrecognised. */
int cp__state_json_format(const json_t *doc);

#endif
