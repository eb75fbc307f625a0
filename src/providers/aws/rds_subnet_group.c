/*
 * rds_subnet_group.c: aws_db_subnet_group — the subnets (in at least two
 * availability zones) an RDS instance may use (id = name). Subnets,
 * description and tags change in place; the name forces a new group.
 *
 * No batch read yet: DescribeDBSubnetGroups names one group or lists them all.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/rds_common.h"

#include <string.h>

static const char *validate_name(const cp_value *v)
{
    static const char *rule =
        "DB subnet group names are 1 to 255 lower-case letters, digits, spaces and "
        ".-_, and not \"default\"";
    const char *s = cp_string_val(v);
    size_t n = strlen(s);
    if (n < 1 || n > 255 || !strcmp(s, "default")) return rule;
    for (; *s; s++)
        if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789 .-_", *s)) return rule;
    return NULL;
}

static const cp_schema_attr attrs[] = {
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Name of the group." },
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .validate = validate_name,
      .description =
          "Name of the group (lower case). Default: cpstack- and a random suffix, made up at apply." },
    { .name = "subnet_ids",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_UNORDERED,
      .description = "Ids of the subnets, in at least two availability zones." },
    { .name = "description",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .default_json = "\"Managed by cpstack\"",
      .description = "Description of the group." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the group." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the group." },
    { NULL },
};

static const char *const group_gone[] = { "DBSubnetGroupNotFoundFault", NULL };

static int group_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    aws_params *p = aws_params_new();
    aws_params_add(p, "DBSubnetGroupName", cp_get_str(state, "id"));
    xmlDocPtr doc;
    int rc = rds_call(c, "DescribeDBSubnetGroups", p, group_gone, &doc);
    aws_params_free(p);
    if (rc != 0) return rc < 0 ? -1 : 0;
    xmlNodePtr g = aws_xml_find(aws_xml_root(doc),
                                "DescribeDBSubnetGroupsResult/DBSubnetGroups/DBSubnetGroup");
    cp_value *s = g ? cp_state_complete(attrs, state) : NULL;
    if (g) {
        cp_set_xml(s, "id", g, "DBSubnetGroupName");
        cp_set_xml(s, "name", g, "DBSubnetGroupName");
        cp_set_xml(s, "description", g, "DBSubnetGroupDescription");
        cp_set_xml(s, "arn", g, "DBSubnetGroupArn");
        cp_set_take(s, "subnet_ids", cp_aws_xml_strings(g, "Subnets/Subnet", "SubnetIdentifier"));
    }
    xmlFreeDoc(doc);
    if (!s) return 0;
    cp_value *tags = rds_read_tags(c, cp_get_str(s, "arn"), cp_map_get(state, "tags"));
    if (!tags) {
        cp_release(s);
        return -1;
    }
    cp_set_take(s, "tags", tags);
    *out = s;
    return 0;
}

static const char *description(const cp_value *config)
{
    return cp_get_str(config, "description") ? cp_get_str(config, "description")
                                             : "Managed by cpstack";
}

static int group_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *name = cp_get_str(config, "name");
    aws_params *p = aws_params_new();
    aws_params_add(p, "DBSubnetGroupName", name);
    aws_params_add(p, "DBSubnetGroupDescription", description(config));
    cp_aws_list_params(p, "SubnetIds.SubnetIdentifier", cp_get_list(config, "subnet_ids"));
    cp_aws_tags_params(p, "Tags.Tag", cp_get_map(config, "tags"));
    aws_set_no_resend(true); /* sent once: a lost answer is looked up (find) */
    int rc = rds_call(c, "CreateDBSubnetGroup", p, NULL, NULL);
    aws_set_no_resend(false);
    aws_params_free(p);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", name);
    return cp_aws_finish_take(c, 0, group_read, s, "the DB subnet group", state);
}

static int group_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                        cp_value **state)
{
    const char *name = cp_get_str(old, "id");
    int rc = 0;
    if (cp_changed(old, config, "subnet_ids") || cp_changed(old, config, "description")) {
        aws_params *p = aws_params_new();
        aws_params_add(p, "DBSubnetGroupName", name);
        aws_params_add(p, "DBSubnetGroupDescription", description(config));
        cp_aws_list_params(p, "SubnetIds.SubnetIdentifier", cp_get_list(config, "subnet_ids"));
        rc = rds_call(c, "ModifyDBSubnetGroup", p, NULL, NULL);
        aws_params_free(p);
    }
    if (rc == 0 && cp_changed(old, config, "tags"))
        rc = rds_update_tags(c, cp_get_str(old, "arn"), cp_get_map(old, "tags"),
                             cp_get_map(config, "tags"));
    if (rc != 0) return -1;
    return cp_aws_reread(c, group_read, attrs, config, name, state);
}

static int group_delete(cp_provider_call *c, const cp_value *state)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "DBSubnetGroupName", cp_get_str(state, "id"));
    int rc = rds_call(c, "DeleteDBSubnetGroup", p, group_gone, NULL);
    aws_params_free(p);
    return rc < 0 ? -1 : 0;
}

static int group_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, group_read, id, state);
}

/* An interrupted create is found by its name, read as its id. */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, group_read, intent, "name", state);
}

const cp_resource_type cp_aws_db_subnet_group = {
    .name = "aws_db_subnet_group",
    .description =
        "An RDS DB subnet group (import by name)."
        " Deliberate differences from the Terraform AWS provider: a name left out is made up as "
        "cpstack- and a random suffix (Terraform's start terraform-); description defaults to "
        "\"Managed by cpstack\" (Terraform: \"Managed by Terraform\"; set it when importing a "
        "group Terraform made).",
    .attrs = attrs,
    .create = group_create,
    .read = group_read,
    .update = group_update,
    .delete = group_delete,
    .import = group_import,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "name",
    .find = rec_find,
};
