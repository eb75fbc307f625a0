/*
 * provider_local.c: the "local" provider — resources on the machine that
 * runs cpstack. Today: local_file (resource and data source). It keeps no
 * client and needs no settings.
 */
#include "providers/builtin.h"

static const cp_resource_type *const local_types[] = {
    &cp_type_local_file,
    &cp_type_local_file_data,
    NULL,
};

const cp_provider cp_provider_local = {
    .name = "local",
    .types = local_types,
    .configure = cp_prov_configure_none,
    .close = cp_prov_close_none,
};
