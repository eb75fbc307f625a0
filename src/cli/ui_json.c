/*
 * ui_json.c: the machine-readable UI, one JSON object per line (see
 * ui_json.h). Each line is built as a jansson object, dumped compact with
 * sorted keys and written under stdout's own lock (flockfile), then
 * flushed, so a reader sees whole lines as they happen and no global
 * state is needed.
 */
#include "cli/ui_json.h"
#include "lang/value_json.h"
#include "plan/render.h"
#include "addrs/address.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#ifndef CPSTACK_VERSION
#define CPSTACK_VERSION "dev"
#endif

static json_t *timestamp(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    char text[40];
    size_t n = strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(text + n, sizeof text - n, ".%06ldZ", (long)tv.tv_usec);
    return json_string(text);
}

/* Adds the common fields to j (consumed) and writes it as one line. */
static void emit_take(json_t *j, const char *level, const char *type, const char *message)
{
    json_object_set_new(j, "@level", json_string(level));
    json_object_set_new(j, "@message", json_string(message));
    json_object_set_new(j, "@module", json_string("cpstack.ui"));
    json_object_set_new(j, "@timestamp", timestamp());
    json_object_set_new(j, "type", json_string(type));
    char *line = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    flockfile(stdout); /* whole lines, whichever thread writes */
    fputs(line, stdout);
    fputc('\n', stdout);
    fflush(stdout);
    funlockfile(stdout);
    free(line);
}

/* {"addr","module","resource","implied_provider","resource_type",
 *  "resource_name","resource_key"} of an instance address. */
static json_t *resource_json(const char *address)
{
    cp_addr a;
    json_t *r = json_object();
    json_object_set_new(r, "addr", json_string(address));
    if (!cp_addr_parse(address, &a, NULL)) return r;
    json_object_set_new(r, "module", json_string(a.module ? a.module : ""));
    const char *head = a.module ? address + strlen(a.module) + 1 : address;
    const char *br = strchr(head, '[');
    json_object_set_new(r, "resource",
                        br ? json_stringn(head, (size_t)(br - head)) : json_string(head));
    const char *us = strchr(a.type, '_');
    json_object_set_new(r, "implied_provider",
                        us ? json_stringn(a.type, (size_t)(us - a.type)) : json_string(a.type));
    json_object_set_new(r, "resource_type", json_string(a.type));
    json_object_set_new(r, "resource_name", json_string(a.name));
    json_object_set_new(r, "resource_key",
                        a.key_kind == CP_KEY_INT   ? json_integer(a.key_int)
                        : a.key_kind == CP_KEY_STR ? json_string(a.key_str)
                                                   : json_null());
    cp_addr_clear(&a);
    return r;
}

/* --- engine events ---------------------------------------------------------- */

static const char *verb_ing(const char *action)
{
    return !strcmp(action, "create")   ? "Creating"
           : !strcmp(action, "update") ? "Modifying"
           : !strcmp(action, "delete") ? "Destroying"
                                       : "Reading";
}

static const char *noun(const char *action)
{
    return !strcmp(action, "create")   ? "Creation"
           : !strcmp(action, "update") ? "Modifications"
           : !strcmp(action, "delete") ? "Destruction"
                                       : "Read";
}

static json_t *hook_json(const cp_event *ev)
{
    json_t *h = json_object();
    json_object_set_new(h, "resource", resource_json(ev->address));
    if (ev->action) json_object_set_new(h, "action", json_string(ev->action));
    if (ev->id) {
        json_object_set_new(h, "id_key", json_string("id"));
        json_object_set_new(h, "id_value", json_string(ev->id));
    }
    if (ev->kind != CP_EVENT_APPLY_START && ev->kind != CP_EVENT_REFRESH_START &&
        ev->kind != CP_EVENT_REFRESH_COMPLETE)
        json_object_set_new(h, "elapsed_seconds", json_integer((json_int_t)(ev->elapsed + 0.5)));
    return h;
}

static char *event_message(const cp_event *ev)
{
    const char *a = ev->address, *act = ev->action ? ev->action : "read";
    switch (ev->kind) {
    case CP_EVENT_REFRESH_START:
        return cp_xasprintf("%s: Refreshing state...%s%s%s", a, ev->id ? " [id=" : "",
                            ev->id ? ev->id : "", ev->id ? "]" : "");
    case CP_EVENT_REFRESH_COMPLETE:
        return cp_xasprintf("%s: Refresh complete%s%s%s", a, ev->id ? " [id=" : "",
                            ev->id ? ev->id : "", ev->id ? "]" : "");
    case CP_EVENT_APPLY_START:
        return cp_xasprintf("%s: %s...", a, verb_ing(act));
    case CP_EVENT_APPLY_PROGRESS:
        return cp_xasprintf("%s: Still %c%s... [%.0fs elapsed]", a, verb_ing(act)[0] + 32,
                            verb_ing(act) + 1, ev->elapsed);
    case CP_EVENT_APPLY_COMPLETE:
        return cp_xasprintf("%s: %s complete after %.0fs", a, noun(act), ev->elapsed);
    case CP_EVENT_APPLY_ERRORED:
        return cp_xasprintf("%s: %s errored after %.0fs", a, noun(act), ev->elapsed);
    }
    return cp_xstrdup(a);
}

static const char *event_type(cp_event_kind k)
{
    static const char *const names[] = { "refresh_start",  "refresh_complete", "apply_start",
                                         "apply_progress", "apply_complete",   "apply_errored" };
    return names[k];
}

static void on_event(void *ud, const cp_event *ev)
{
    (void)ud;
    char *msg = event_message(ev);
    json_t *j = json_object();
    json_object_set_new(j, "hook", hook_json(ev));
    emit_take(j, ev->kind == CP_EVENT_APPLY_ERRORED ? "error" : "info", event_type(ev->kind), msg);
    free(msg); /* an error's cause follows as a diagnostic when the apply ends */
}

const cp_observer cp_ui_json_observer = { on_event, NULL };

/* --- plan ------------------------------------------------------------------- */

void cp_ui_json_version(void)
{
    json_t *j = json_pack("{s:s,s:s}", "cpstack", CPSTACK_VERSION, "ui", "1.2");
    emit_take(j, "info", "version", "cpstack v" CPSTACK_VERSION);
}

static const char *change_action(const cp_change *c)
{
    if (c->forget) return "remove";
    if (c->action == CP_ACTION_NOOP)
        return c->import_id ? "import" : c->moved_from ? "move" : "noop";
    return c->action == CP_ACTION_REPLACE ? "replace" : cp_action_name(c->action);
}

static const char *action_words(const char *action)
{
    static const char *const map[][2] = {
        { "create", "Plan to create" },   { "update", "Plan to update" },
        { "replace", "Plan to replace" }, { "delete", "Plan to delete" },
        { "read", "Plan to read" },       { "import", "Plan to import" },
        { "move", "Plan to move" },       { "remove", "Plan to forget" },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i][0], action)) return map[i][1];
    return "No change";
}

static void planned_change(const cp_change *c)
{
    const char *action = change_action(c);
    if (!strcmp(action, "noop")) return;
    json_t *ch = json_object();
    json_object_set_new(ch, "resource", resource_json(c->address));
    json_object_set_new(ch, "action", json_string(action));
    if (c->moved_from) json_object_set_new(ch, "previous_resource", resource_json(c->moved_from));
    if (c->reason) json_object_set_new(ch, "reason", json_string(c->reason));
    if (c->import_id) json_object_set_new(ch, "importing", json_pack("{s:s}", "id", c->import_id));
    char *msg = cp_xasprintf("%s: %s", c->address, action_words(action));
    emit_take(json_pack("{s:o}", "change", ch), "info", "planned_change", msg);
    free(msg);
}

static void resource_drift(const cp_drift *d)
{
    const char *action = d->after ? "update" : "delete";
    json_t *ch = json_pack("{s:o,s:s}", "resource", resource_json(d->address), "action", action);
    char *msg = cp_xasprintf("%s: Drift detected (%s)", d->address, action);
    emit_take(json_pack("{s:o}", "change", ch), "info", "resource_drift", msg);
    free(msg);
}

static bool output_changed(const cp_output_change *o)
{
    if (!o->before || !o->after) return true;
    return cp_contains_unknown(o->after) || !cp_equal(o->before, o->after);
}

static void plan_outputs(const cp_plan *p)
{
    json_t *outs = json_object();
    for (size_t i = 0; i < p->noutputs; i++) {
        const cp_output_change *o = &p->outputs[i];
        if (!output_changed(o)) continue;
        const char *act = !o->before ? "create" : !o->after ? "delete" : "update";
        json_object_set_new(outs, o->name,
                            json_pack("{s:b,s:s}", "sensitive", o->sensitive, "action", act));
    }
    if (!json_object_size(outs)) {
        json_decref(outs);
        return;
    }
    char *msg = cp_xasprintf("Outputs: %zu", json_object_size(outs));
    emit_take(json_pack("{s:o}", "outputs", outs), "info", "outputs", msg);
    free(msg);
}

static void summary(const char *op, size_t add, size_t change, size_t destroy, size_t import)
{
    char *msg =
        !strcmp(op, "plan")
            ? cp_xasprintf("Plan: %zu to add, %zu to change, %zu to destroy.", add, change, destroy)
        : !strcmp(op, "destroy")
            ? cp_xasprintf("Destroy complete! Resources: %zu destroyed.", destroy)
            : cp_xasprintf("Apply complete! Resources: %zu added, %zu changed, %zu "
                           "destroyed.",
                           add, change, destroy);
    json_t *c =
        json_pack("{s:I,s:I,s:I,s:I,s:s}", "add", (json_int_t)add, "change", (json_int_t)change,
                  "remove", (json_int_t)destroy, "import", (json_int_t)import, "operation", op);
    emit_take(json_pack("{s:o}", "changes", c), "info", "change_summary", msg);
    free(msg);
}

void cp_ui_json_plan(const cp_plan *p, bool with_summary)
{
    for (size_t i = 0; i < p->ndrift; i++) resource_drift(&p->drift[i]);
    for (size_t i = 0; i < p->nchanges; i++) planned_change(&p->changes[i]);
    if (!with_summary) return;
    cp_plan_counts n = cp_plan_count(p);
    summary("plan", n.add, n.change, n.destroy, n.import);
    plan_outputs(p);
}

void cp_ui_json_apply_summary(size_t added, size_t changed, size_t destroyed, bool destroy)
{
    summary(destroy ? "destroy" : "apply", added, changed, destroyed, 0);
}

/* Terraform's type JSON of a value as cpstack knows it: lists are tuples
 * and maps objects (the element types come from the values themselves). */
static json_t *type_json(const cp_value *v)
{
    if (!v || cp_is_null(v) || cp_is_unknown(v)) return json_string("dynamic");
    switch (cp_kind_of(v)) {
    case CP_BOOL:
        return json_string("bool");
    case CP_NUMBER:
        return json_string("number");
    case CP_STRING:
        return json_string("string");
    case CP_LIST: {
        json_t *el = json_array();
        for (size_t i = 0; i < cp_len(v); i++)
            json_array_append_new(el, type_json(cp_list_get(v, i)));
        return json_pack("[s,o]", "tuple", el);
    }
    case CP_MAP: {
        json_t *at = json_object();
        for (size_t i = 0; i < cp_len(v); i++)
            json_object_set_new(at, cp_map_key_at(v, i), type_json(cp_map_value_at(v, i)));
        return json_pack("[s,o]", "object", at);
    }
    default:
        return json_string("dynamic");
    }
}

json_t *cp_ui_output_json(const cp_value *v, bool sensitive, bool with_value)
{
    json_t *o = json_pack("{s:b,s:o}", "sensitive", sensitive, "type", type_json(v));
    if (!with_value) return o;
    json_t *j = v ? cp_value_to_json(v, true) : NULL; /* in clear: the caller asked for it */
    json_object_set_new(o, "value", j ? j : json_null());
    return o;
}

void cp_ui_json_outputs(const cp_state *st)
{
    size_t n = cp_state_output_count(st);
    json_t *outs = json_object();
    for (size_t i = 0; i < n; i++) {
        bool sens = cp_state_output_sensitive(st, i);
        json_object_set_new(outs, cp_state_output_name(st, i),
                            cp_ui_output_json(cp_state_output_value(st, i), sens, !sens));
    }
    char *msg = cp_xasprintf("Outputs: %zu", n);
    emit_take(json_pack("{s:o}", "outputs", outs), "info", "outputs", msg);
    free(msg);
}

/* --- diagnostics ------------------------------------------------------------ */

static json_t *range_json(const cp_loc *l, const cp_sources *sources)
{
    const cp_source *src = l->file && sources ? cp_sources_get(sources, l->file) : NULL;
    if (!src) return NULL;
    return json_pack("{s:s,s:{s:i,s:i,s:i},s:{s:i,s:i,s:i}}", "filename", src->path, "start",
                     "line", (int)l->line, "column", (int)l->col, "byte", (int)l->offset, "end",
                     "line", (int)l->end_line, "column", (int)l->end_col, "byte",
                     (int)l->end_offset);
}

static void diagnostic(bool error, const char *msg, const cp_loc *loc, const cp_sources *sources)
{
    json_t *d = json_pack("{s:s,s:s,s:s}", "severity", error ? "error" : "warning", "summary", msg,
                          "detail", "");
    json_t *r = loc ? range_json(loc, sources) : NULL;
    if (r) json_object_set_new(d, "range", r);
    char *m = cp_xasprintf("%s: %s", error ? "Error" : "Warning", msg);
    emit_take(json_pack("{s:o}", "diagnostic", d), error ? "error" : "warn", "diagnostic", m);
    free(m);
}

void cp_ui_json_diags(const cp_diags *d, const cp_sources *sources)
{
    for (size_t i = 0; i < d->len; i++)
        diagnostic(d->items[i].severity == CP_DIAG_ERROR, d->items[i].msg, &d->items[i].loc,
                   sources);
}

void cp_ui_json_error(const char *msg) { diagnostic(true, msg, NULL, NULL); }
