/*
 * aws_provider.c: the "aws" provider — configuration (one aws_client per
 * provider instance: the stack's region and the usual AWS environment, or
 * what a provider "aws" { region, assume_role, default_tags } block says)
 * and the table of every AWS resource type, gathered from the per-service
 * lists. default_tags are merged into the config of every resource with a
 * tags map before plan diffs it (instance_config), so plans show them and
 * state holds them; there is no separate tags_all.
 */
#include "providers/aws/aws_common.h"
#include "providers/aws/aws_types.h"
#include "providers/aws/rules.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const cp_resource_type *const *const service_lists[] = {
    cp_aws_types_iam,
    cp_aws_types_s3,
    cp_aws_types_ecr,
    cp_aws_types_ec2,
    cp_aws_types_lambda,
    cp_aws_types_cloudwatch,
    cp_aws_types_logs,
    cp_aws_types_ecs,
    cp_aws_types_elbv2,
    cp_aws_types_rds,
    cp_aws_types_appautoscaling,
    cp_aws_types_autoscaling,
    cp_aws_types_sns,
    cp_aws_types_meta,
    cp_aws_types_acm,
    cp_aws_types_route53,
    cp_aws_types_sqs,
    cp_aws_types_ssm,
    cp_aws_types_s3_config,
    cp_aws_types_secretsmanager,
    cp_aws_types_dynamodb,
    cp_aws_types_events,
};

/* All types in one NULL-terminated array, built once at start-up. */
static const cp_resource_type *all_types[512];

__attribute__((constructor)) static void gather_types(void)
{
    size_t n = 0;
    for (size_t i = 0; i < sizeof service_lists / sizeof *service_lists; i++)
        for (const cp_resource_type *const *t = service_lists[i]; *t; t++)
            if (n + 1 < sizeof all_types / sizeof *all_types) all_types[n++] = *t;
    all_types[n] = NULL;
}

/* ---- provider "aws" { … } ---- */

static const cp_schema_attr assume_role_attrs[] = {
    { .name = "role_arn",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description = "the role whose temporary credentials this instance's calls use" },
    { .name = "session_name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "RoleSessionName (default \"cpstack\")" },
    { .name = "external_id", .type = CP_AT_STRING, .flags = CP_OPTIONAL },
    { NULL },
};

static const cp_schema_attr default_tags_attrs[] = {
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "merged into the tags of every resource of this instance" },
    { NULL },
};

static const cp_schema_attr aws_settings[] = {
    { .name = "region",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "default: the stack block's region" },
    { .name = "assume_role",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = assume_role_attrs,
      .max_items = 1 },
    { .name = "default_tags",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = default_tags_attrs,
      .max_items = 1 },
    { NULL },
};

static const char *str_of(const cp_value *m, const char *key)
{
    const cp_value *v = m && cp_kind_of(m) == CP_MAP ? cp_map_get(m, key) : NULL;
    return v && cp_kind_of(v) == CP_STRING ? cp_string_val(v) : NULL;
}

/* The one block of a max_items = 1 block list, or NULL. */
static const cp_value *one_block(const cp_value *cfg, const char *name)
{
    const cp_value *l = cfg && cp_kind_of(cfg) == CP_MAP ? cp_map_get(cfg, name) : NULL;
    return l && cp_kind_of(l) == CP_LIST && cp_len(l) > 0 ? cp_list_get(l, 0) : NULL;
}

static void release_ext(void *v) { cp_release(v); }

static int aws_configure(const cp_value *settings, void **client, char **err)
{
    const cp_value *cfg = cp_map_get(settings, "config");
    const cp_value *role = one_block(cfg, "assume_role");
    const cp_value *dt = one_block(cfg, "default_tags");
    aws_client_options o = { 0 };
    o.stack_region = str_of(cfg, "region") ? str_of(cfg, "region") : str_of(settings, "region");
    o.cli_region = str_of(settings, "cli_region");
    o.assume_role_arn = str_of(role, "role_arn");
    o.assume_role_session_name = str_of(role, "session_name");
    o.assume_role_external_id = str_of(role, "external_id");
    aws_client *c = aws_client_new(&o, err);
    if (!c) return -1;
    const cp_value *tags = dt ? cp_map_get(dt, "tags") : NULL;
    if (tags && cp_kind_of(tags) == CP_MAP && cp_len(tags) > 0)
        aws_client_set_ext(c, cp_retain(tags), release_ext);
    *client = c;
    return 0;
}

/* default_tags under the resource's own tags (its own win), as Terraform
 * merges them; only types with a tags map, only when tags is known. */
static cp_value *aws_instance_config(void *client, const cp_resource_type *rt,
                                     const cp_value *config)
{
    const cp_value *dt = aws_client_ext(client);
    const cp_schema_attr *s = cp_schema_find(rt->attrs, "tags");
    if (!dt || !s || s->type != CP_AT_MAP || cp_kind_of(config) != CP_MAP) return NULL;
    const cp_value *own = cp_map_get(config, "tags");
    if (own && cp_is_unknown(own)) return NULL;
    cp_value *tags = own && cp_kind_of(own) == CP_MAP ? cp_map_overlay(dt, own) : cp_retain(dt);
    cp_value *top = cp_map_new();
    cp_map_set_take(top, "tags", tags);
    cp_value *out = cp_map_overlay(config, top);
    cp_release(top);
    return out;
}

static void aws_close(void *client) { aws_client_free(client); }

const cp_provider cp_provider_aws = {
    .name = "aws",
    .types = all_types,
    .settings = aws_settings,
    .configure = aws_configure,
    .instance_config = aws_instance_config,
    .close = aws_close,
    .validate_instance = cp_aws_check_rules,
};
