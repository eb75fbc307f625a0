/*
 * null_resource.c: the `null_resource` resource (provider "null"), as in
 * Terraform's null provider: nothing but a lifecycle. `triggers`, a map of
 * strings, replaces the instance when it changes; id is a random
 * non-negative 63-bit integer in decimal, drawn at create. No update (every
 * argument forces a new instance); read returns the state, delete does
 * nothing, and, as in the null provider, there is no import. Terraform
 * 1.4's terraform_data (terraform_data.c) does the same with values of
 * any type.
 */
#include "providers/attrs.h"
#include "providers/builtin.h"
#include "util/xalloc.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>

static int nr_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    uint64_t r;
    if (cp_prov_random(&r, sizeof r) != 0)
        return cp_fail(c, "the system's random source failed; try again");
    *state = cp_prov_state(cp_type_null_resource.attrs, config);
    char *id = cp_xasprintf("%" PRIu64, r >> 1); /* as Go's rand.Int(): 0 … 2^63-1 */
    cp_set_str(*state, "id", id);
    free(id);
    return 0;
}

static int nr_read(cp_provider_call *c, const cp_value *state, cp_value **new_state)
{
    (void)c;
    *new_state = cp_retain(state);
    return 0;
}

static int nr_delete(cp_provider_call *c, const cp_value *state)
{
    (void)c;
    (void)state;
    return 0;
}

static const cp_schema_attr null_resource_attrs[] = {
    { .name = "triggers",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "arbitrary strings; changing any replaces the instance" },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "a random non-negative integer, in decimal" },
    { .name = NULL },
};

const cp_resource_type cp_type_null_resource = {
    .name = "null_resource",
    .description = "nothing but a lifecycle: triggers replace it (prefer terraform_data)",
    .attrs = null_resource_attrs,
    .create = nr_create,
    .read = nr_read,
    .delete = nr_delete,
    .recovery = CP_RECOVER_NONE,
    .no_durable_intent = true, /* a value in state only: a lost create just draws again */
};
