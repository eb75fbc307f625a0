/*
 * provider_null.c: the "null" provider, as Terraform's hashicorp/null:
 * null_resource, a lifecycle with nothing behind it. It keeps no client,
 * needs no settings and never touches the network.
 */
#include "providers/builtin.h"

static const cp_resource_type *const null_types[] = {
    &cp_type_null_resource,
    NULL,
};

const cp_provider cp_provider_null = {
    .name = "null",
    .types = null_types,
    .configure = cp_prov_configure_none,
    .close = cp_prov_close_none,
};
