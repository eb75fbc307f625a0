/*
 * terraform_data.c: the `terraform_data` resource (provider "terraform"),
 * Terraform's built-in managed resource (1.4+): it stores a value of any
 * type and follows the resource lifecycle, and does nothing else.
 *
 *   input             optional, any type; copied to output
 *   output            computed: input after apply; unknown in the plan of a
 *                     change of input (update_unknown), null when input is
 *                     null (plan_known)
 *   triggers_replace  optional, any type; a change replaces the instance
 *   id                computed: a random UUID (version 4)
 *
 * A change of input is an update in place. Commonly named by another
 * resource's lifecycle { replace_triggered_by = [terraform_data.x] }.
 * Nothing exists outside state: read returns the state unchanged, delete
 * does nothing, import takes any id (input and output null, as Terraform).
 */
#include "providers/attrs.h"
#include "providers/builtin.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <uuid/uuid.h>

/* The config's value of key, as stored (null when unset or unknown). */
static cp_value *arg_of(const cp_value *config, const char *key)
{
    const cp_value *v = cp_prov_field(config, key);
    return v && cp_is_wholly_known(v) ? cp_retain(v) : cp_null();
}

/* A complete state: id, and input / output / triggers_replace from config. */
static cp_value *data_state(const char *id, const cp_value *config)
{
    cp_value *m = cp_map_new();
    cp_set_str(m, "id", id);
    cp_map_set_take(m, "input", arg_of(config, "input"));
    cp_map_set_take(m, "output", arg_of(config, "input"));
    cp_map_set_take(m, "triggers_replace", arg_of(config, "triggers_replace"));
    return m;
}

static int td_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    (void)c;
    uuid_t u;
    char id[37];
    uuid_generate_random(u); /* libuuid, as the uuid() function: version 4 */
    uuid_unparse_lower(u, id);
    *state = data_state(id, config);
    return 0;
}

static int td_update(cp_provider_call *c, const cp_value *old_state, const cp_value *config,
                     cp_value **state)
{
    const char *id = cp_get_str(old_state, "id");
    if (!id) return cp_fail(c, "the state has no id; run cpstack apply -replace on it");
    *state = data_state(id, config);
    return 0;
}

static int td_read(cp_provider_call *c, const cp_value *state, cp_value **new_state)
{
    (void)c;
    *new_state = cp_retain(state);
    return 0;
}

static int td_delete(cp_provider_call *c, const cp_value *state)
{
    (void)c;
    (void)state;
    return 0;
}

static int td_import(cp_provider_call *c, const char *id, cp_value **state)
{
    if (!*id) return cp_fail(c, "cannot import terraform_data: give a non-empty id");
    *state = data_state(id, NULL);
    return 0;
}

/* output is null at plan time when input is (Terraform's plan does the
 * same); otherwise it is left as the diff makes it. */
static cp_value *td_plan_known(const cp_value *config)
{
    const cp_value *in = cp_prov_field(config, "input");
    if (in && !cp_is_null(in)) return NULL;
    cp_value *m = cp_map_new();
    cp_map_set_take(m, "output", cp_null());
    return m;
}

static const char *const output_only[] = { "output", NULL };

static const cp_schema_attr terraform_data_attrs[] = {
    { .name = "input",
      .type = CP_AT_ANY,
      .flags = CP_OPTIONAL,
      .description = "a value of any type to store; a change is an update in place" },
    { .name = "triggers_replace",
      .type = CP_AT_ANY,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "a value of any type; a change replaces the instance" },
    { .name = "output",
      .type = CP_AT_ANY,
      .flags = CP_COMPUTED,
      .description = "input, after apply (unknown in a plan that changes input)" },
    { .name = "id", .type = CP_AT_STRING, .flags = CP_COMPUTED, .description = "a random UUID" },
    { .name = NULL },
};

const cp_resource_type cp_type_terraform_data = {
    .name = "terraform_data",
    .description = "a value kept in state with a resource lifecycle (for replace_triggered_by)",
    .attrs = terraform_data_attrs,
    .create = td_create,
    .read = td_read,
    .update = td_update,
    .delete = td_delete,
    .import = td_import,
    .plan_known = td_plan_known,
    .update_unknown = output_only,
    .recovery = CP_RECOVER_NONE,
    .no_durable_intent = true, /* a value in state only: a lost create just draws again */
};
