/*
 * builtin.h: the providers that ship inside cpstack and need no network —
 * "local" (files), "random" (ids and passwords), "terraform"
 * (terraform_data), "null" (null_resource) and "cpstack" (other stacks'
 * outputs, through the host the program hands it) — and their type
 * tables. registry.c lists them; each provider_<name>.c gathers its types.
 * (The test-only provider lives in tests/support/, outside cpstack.)
 */
#ifndef CP_PROVIDERS_BUILTIN_H
#define CP_PROVIDERS_BUILTIN_H

#include "providers/provider.h"

extern const cp_provider cp_provider_local;
extern const cp_provider cp_provider_random;
extern const cp_provider cp_provider_terraform; /* provider_terraform.c: terraform_data */
extern const cp_provider cp_provider_null;      /* provider_null.c: null_resource */
extern const cp_provider cp_provider_cpstack;   /* provider_cpstack.c: cpstack_stack */

extern const cp_resource_type cp_type_local_file;      /* local_file.c */
extern const cp_resource_type cp_type_local_file_data; /* data "local_file" */
extern const cp_resource_type cp_type_random_id;       /* random_id.c */
extern const cp_resource_type cp_type_random_password; /* random_password.c */
extern const cp_resource_type cp_type_terraform_data;  /* terraform_data.c */
extern const cp_resource_type cp_type_null_resource;   /* null_resource.c */

/* configure/close for providers that keep no client. */
int cp_prov_configure_none(const cp_value *settings, void **client, char **err);
void cp_prov_close_none(void *client);

#endif
