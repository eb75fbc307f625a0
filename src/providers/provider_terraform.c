/*
 * provider_terraform.c: the "terraform" provider — Terraform's built-in
 * one (terraform.io/builtin/terraform): terraform_data, a value kept in
 * state. It keeps no client, needs no settings and never touches the
 * network.
 */
#include "providers/builtin.h"

static const cp_resource_type *const terraform_types[] = {
    &cp_type_terraform_data,
    NULL,
};

const cp_provider cp_provider_terraform = {
    .name = "terraform",
    .types = terraform_types,
    .configure = cp_prov_configure_none,
    .close = cp_prov_close_none,
};
