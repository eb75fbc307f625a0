/*
 * provider_random.c: the "random" provider — values generated once and
 * then kept in state: random_id and random_password. It keeps no client,
 * needs no settings and never touches the network.
 */
#include "providers/builtin.h"

static const cp_resource_type *const random_types[] = {
    &cp_type_random_id,
    &cp_type_random_password,
    NULL,
};

const cp_provider cp_provider_random = {
    .name = "random",
    .types = random_types,
    .configure = cp_prov_configure_none,
    .close = cp_prov_close_none,
};
