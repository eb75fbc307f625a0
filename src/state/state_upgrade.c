/*
 * state_upgrade.c: bringing older state documents up to the current format.
 *
 * Each format change adds one function upgrade_vN that turns a format N
 * document into format N+1 in place; cp_state_json_upgrade runs them in
 * order, so any older file is read by the code for the newest format only.
 * A file from a NEWER cpstack is refused, never guessed at: writing it back
 * would silently drop whatever the newer format added.
 *
 * Format 0 is the prototype layout (see README.md, "Format history"):
 *   { "version": 0, "serial", "stack", "branch",
 *     "resources": [ { "mode"?, "type", "name", "index"?, "attributes",
 *                      "sensitive_paths"?, "depends_on"? } ],
 *     "outputs": { NAME: VALUE } }
 * It has no lineage, no instance status and no output sensitivity.
 */
#include "state/state_internal.h"
#include "util/xalloc.h"

#include <limits.h>
#include <string.h>

int cp__state_json_format(const json_t *doc)
{
    json_t *fv = json_object_get(doc, "format_version");
    if (fv) {
        if (!json_is_integer(fv) || json_integer_value(fv) < 0) return -1;
        return json_integer_value(fv) > INT_MAX ? INT_MAX : (int)json_integer_value(fv);
    }
    json_t *v = json_object_get(doc, "version");
    return json_is_integer(v) && json_integer_value(v) == 0 ? 0 : -1;
}

/* Move o[from] to o[to] if present. */
static void rename_key(json_t *o, const char *from, const char *to)
{
    json_t *v = json_object_get(o, from);
    if (!v) return;
    json_object_set(o, to, v);
    json_object_del(o, from);
}

static void upgrade_v0_resource(json_t *r)
{
    if (!json_is_object(r)) return; /* left for the loader to report */
    if (!json_object_get(r, "mode")) json_object_set_new(r, "mode", json_string("managed"));
    rename_key(r, "index", "index_key");
    rename_key(r, "sensitive_paths", "sensitive_attributes");
    rename_key(r, "depends_on", "dependencies");
    json_object_set_new(r, "status", json_string("ok"));
    json_object_set_new(r, "schema_version", json_integer(0));
}

/* Format 0 -> 1: lineage, format_version, instance status, output objects. */
static bool upgrade_v0(json_t *doc)
{
    char uuid[37];
    cp_uuid4(uuid);
    json_object_del(doc, "version");
    json_object_set_new(doc, "format_version", json_integer(1));
    json_object_set_new(doc, "lineage", json_string(uuid));
    json_object_set_new(doc, "cpstack_version", json_string(""));
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(doc, "resources"), i, r) upgrade_v0_resource(r);
    json_t *outs = json_object_get(doc, "outputs");
    const char *name;
    json_t *v;
    if (json_is_object(outs))
        json_object_foreach(outs, name, v)
            json_object_set_new(outs, name, json_pack("{s:O,s:b}", "value", v, "sensitive", 0));
    return true;
}

typedef bool (*upgrade_fn)(json_t *doc);
static const upgrade_fn upgrades[] = { upgrade_v0 }; /* upgrades[N]: N -> N+1 */
_Static_assert(sizeof upgrades / sizeof upgrades[0] == CP_STATE_FORMAT_VERSION,
               "one upgrade function per older format");

bool cp_state_json_upgrade(json_t *doc, const char *source, char **err)
{
    int v = json_is_object(doc) ? cp__state_json_format(doc) : -1;
    if (v < 0) {
        if (err)
            *err = cp_xasprintf("%s is not a cpstack state file (no valid \"format_version\"); "
                                "check the path, or restore the state from its backup",
                                source);
        return false;
    }
    if (v > CP_STATE_FORMAT_VERSION) {
        if (err)
            *err = cp_xasprintf("state file %s was written by a newer cpstack (format %d); "
                                "this cpstack reads up to format %d: upgrade cpstack",
                                source, v, CP_STATE_FORMAT_VERSION);
        return false;
    }
    for (; v < CP_STATE_FORMAT_VERSION; v++)
        if (!upgrades[v](doc)) return false;
    return true;
}
