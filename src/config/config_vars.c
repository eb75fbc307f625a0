/*
 * config_vars.c: the values of a stack's input variables.
 *
 * Precedence, lowest first (documented in README.md): the variable's
 * default, then CPSTACK_VAR_<name> from the environment, then each
 * -var-file in order, then each -var in order. A later source replaces an
 * earlier one. Values given as text (-var, environment) are taken as plain
 * strings for variables of type string (or no type), and parsed as
 * expressions otherwise (e.g. -var 'ports=[80, 443]'). Each value is then
 * converted to the declared type and its validation blocks checked.
 */
#include "config/config_eval.h"
#include "config/config_internal.h"
#include "lang/value_json.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct var_scope {
    const char *name; /* the one variable visible (validations), or NULL */
    const cp_value *value;
} var_scope;

static cp_value *lookup_var(void *ud, const char *const *steps, size_t n, size_t *consumed,
                            cp_loc loc, cp_diags *d)
{
    var_scope *vs = ud;
    if (vs->name && n >= 2 && !strcmp(steps[0], "var") && !strcmp(steps[1], vs->name)) {
        *consumed = 2;
        return cp_retain(vs->value);
    }
    cp_diag_error(d, loc, "variables can only use constant values here, not references");
    return NULL;
}

static cp_value *eval_const(cp_config *c, const cp_expr *e, var_scope *vs, cp_diags *d)
{
    cp_eval_ctx ctx = { lookup_var, vs, c->dir, &c->sources, d };
    return cp_eval(&ctx, e);
}

static bool wants_string(const cp_config_variable *v)
{
    return !v->type || v->type->kind == CP_TY_STRING || v->type->kind == CP_TY_ANY;
}

/* A value given as text on the command line or in the environment. The
 * text of a sensitive variable is parsed with its own diagnostics, since
 * they would quote it: a failure is reported without any of it. */
static cp_value *value_from_text(cp_config *c, const cp_config_variable *v, const char *origin,
                                 const char *label, const char *text, cp_diags *d)
{
    if (wants_string(v)) return cp_string(text);
    uint32_t id = cp_sources_add(&c->sources, origin, text, strlen(text));
    cp_arena *arena = cp_arena_new();
    cp_diags quiet;
    cp_diags_init(&quiet);
    cp_diags *pd = v->sensitive ? &quiet : d;
    cp_expr *e = cp_parse_expression(&c->sources, id, arena, pd);
    cp_value *val = e ? eval_const(c, e, &(var_scope){ NULL, NULL }, pd) : NULL;
    cp_arena_free(arena);
    if (!val && v->sensitive) {
        cp_buf ty = { 0 };
        cp_type_render(&ty, v->type);
        cp_diag_error(d, v->loc,
                      "%s: not a valid %s for sensitive variable \"%s\" (the value is not shown); "
                      "check its syntax and type",
                      label, ty.data ? ty.data : "value", v->name);
        cp_buf_free(&ty);
    }
    cp_diags_free(&quiet);
    return val;
}

static void set_value_take(cp_value *values, const char *name, cp_value *v)
{
    if (v) cp_map_set_take(values, name, v);
}

static void apply_assignment(cp_config *c, cp_value *values, const char *kv, const char *origin,
                             bool strict, cp_diags *d)
{
    const char *eq = strchr(kv, '=');
    if (!eq) {
        cp_diag_error(d, (cp_loc){ 0 }, "%s \"%s\" must look like NAME=VALUE", origin, kv);
        return;
    }
    char *name = cp_xstrndup(kv, (size_t)(eq - kv));
    const cp_config_variable *v = cp_config_find_variable(c, name);
    if (!v) {
        if (strict)
            cp_diag_error(d, (cp_loc){ 0 },
                          "%s sets \"%s\", but the stack declares no such variable; "
                          "declare it with variable \"%s\" { }",
                          origin, name, name);
    } else if (!cp_utf8_valid(eq + 1, strlen(eq + 1))) {
        /* JSON, AWS and the state hold only UTF-8; nothing of the value is shown */
        cp_diag_error(d, (cp_loc){ 0 },
                      "%s%s: the value of variable \"%s\" is not valid UTF-8 text; give it as "
                      "UTF-8 (for binary data, base64-encode it and use base64decode())",
                      strict ? "-var " : "CPSTACK_VAR_", name, name);
        set_value_take(values, name, cp_unknown()); /* a value, so no "has no value" error too */
    } else {
        char *what = cp_xasprintf("<%s %s>", origin, name);
        char *label = cp_xasprintf("%s%s", strict ? "-var " : "CPSTACK_VAR_", name);
        cp_value *val = value_from_text(c, v, what, label, eq + 1, d);
        free(label);
        set_value_take(values, name, val ? val : cp_unknown()); /* reported: no "has no value" */
        free(what);
    }
    free(name);
}

static void apply_env(cp_config *c, cp_value *values, char *const *env, cp_diags *d)
{
    static const char prefix[] = "CPSTACK_VAR_";
    for (; env && *env; env++)
        if (!strncmp(*env, prefix, sizeof prefix - 1))
            apply_assignment(c, values, *env + sizeof prefix - 1, "environment variable", false, d);
}

static void apply_json_file(cp_config *c, cp_value *values, const char *path, cp_diags *d)
{
    json_error_t jerr;
    json_t *j = json_load_file(path, 0, &jerr);
    if (!j || !json_is_object(j)) {
        cp_diag_error(d, (cp_loc){ 0 }, "%s:%d:%d: %s", path, jerr.line, jerr.column,
                      j ? "a variables file holds one JSON object" : jerr.text);
        json_decref(j);
        return;
    }
    const char *k;
    json_t *e;
    json_object_foreach(j, k, e)
    {
        if (!cp_config_find_variable(c, k))
            cp_diag_error(d, (cp_loc){ 0 },
                          "%s sets \"%s\", but the stack declares no such variable", path, k);
        else
            set_value_take(values, k, cp_value_from_json(e));
    }
    json_decref(j);
}

static void apply_file(cp_config *c, cp_value *values, const char *path, cp_diags *d)
{
    size_t n = strlen(path);
    if (n > 5 && !strcmp(path + n - 5, ".json")) {
        apply_json_file(c, values, path, d);
        return;
    }
    char *err = NULL;
    uint32_t id = cp_sources_load(&c->sources, path, &err);
    if (!id) {
        cp_diag_error(d, (cp_loc){ 0 }, "%s", err);
        free(err);
        return;
    }
    cp_file *f = cp_parse_source(&c->sources, id, d);
    for (size_t i = 0; i < f->body->nblocks; i++)
        cp_diag_error(d, f->body->blocks[i]->type_loc,
                      "a variables file holds only NAME = VALUE lines");
    for (size_t i = 0; i < f->body->nattrs; i++) {
        const cp_attr *a = &f->body->attrs[i];
        if (!cp_config_find_variable(c, a->name))
            cp_diag_error(d, a->name_loc, "\"%s\" is not a variable of this stack", a->name);
        else
            set_value_take(values, a->name, eval_const(c, a->expr, &(var_scope){ NULL, NULL }, d));
    }
    cp_file_free(f);
}

static bool check_validations(cp_config *c, const cp_config_variable *v, const cp_value *val,
                              cp_diags *d)
{
    var_scope vs = { v->name, val };
    bool ok = true;
    for (size_t i = 0; i < v->nvalidations; i++) {
        cp_value *cond = eval_const(c, v->validations[i].condition, &vs, d);
        if (cond && cp_kind_of(cond) == CP_BOOL && !cp_bool_val(cond)) {
            cp_value *msg = eval_const(c, v->validations[i].error_message, &vs, d);
            const char *text = !msg ? "validation failed"
                               : cp_contains_sensitive(msg)
                                   ? "the error message refers to a sensitive value, so it is "
                                     "not shown"
                                   : cp_string_val(msg);
            cp_diag_error(d, v->validations[i].condition->loc,
                          "invalid value for variable \"%s\": %s", v->name, text);
            cp_release(msg);
            ok = false;
        }
        cp_release(cond);
    }
    return ok;
}

/* Final value of one variable: given or default, converted, validated. */
static cp_value *finish_variable(cp_config *c, const cp_config_variable *v, const cp_value *given,
                                 cp_diags *d)
{
    cp_value *val = given ? cp_retain(given)
                    : v->default_expr
                        ? eval_const(c, v->default_expr, &(var_scope){ NULL, NULL }, d)
                        : NULL;
    if (!val) {
        if (!given && !v->default_expr)
            cp_diag_error(d, v->loc,
                          "variable \"%s\" has no value; set it with -var %s=VALUE, "
                          "CPSTACK_VAR_%s or a -var-file",
                          v->name, v->name, v->name);
        return NULL;
    }
    if (v->sensitive && !cp_is_sensitive(val)) { /* before any message can show it */
        cp_value *m = cp_mark_sensitive(val);
        cp_release(val);
        val = m;
    }
    if (v->type) {
        char *err = NULL;
        cp_value *conv = cp_type_convert(val, v->type, &err);
        cp_release(val);
        if (!conv) {
            cp_diag_error(d, v->loc, "variable \"%s\": %s", v->name, err);
            free(err);
            return NULL;
        }
        val = conv;
    }
    if (!check_validations(c, v, val, d)) {
        cp_release(val);
        return NULL;
    }
    if (v->sensitive && !cp_is_sensitive(val)) {
        cp_value *m = cp_mark_sensitive(val);
        cp_release(val);
        val = m;
    }
    return val;
}

cp_value *cp_config_eval_variables(cp_config *c, const cp_var_inputs *in, cp_diags *d)
{
    size_t before = d->errors;
    cp_value *given = cp_map_new();
    apply_env(c, given, in->environ, d);
    for (size_t i = 0; i < in->nfiles; i++) apply_file(c, given, in->files[i], d);
    for (size_t i = 0; i < in->nassignments; i++)
        apply_assignment(c, given, in->assignments[i], "-var", true, d);
    cp_value *out = cp_map_new();
    for (size_t i = 0; i < c->nvariables; i++) {
        const cp_config_variable *v = &c->variables[i];
        cp_value *val = finish_variable(c, v, cp_map_get(given, v->name), d);
        if (val) cp_map_set_take(out, v->name, val);
    }
    cp_release(given);
    if (d->errors == before) return out;
    cp_release(out);
    return NULL;
}
