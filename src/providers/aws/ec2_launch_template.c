/*
 * ec2_launch_template.c: aws_launch_template — an EC2 launch template (id =
 * lt-…). Its launch data is versioned: an update writes a new version
 * (latest_version), made the default one when update_default_version is
 * set. A read shows the data of the latest version. Only the name is
 * force-new.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/ec2_common.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static const cp_schema_attr profile_attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Name of the instance profile. Set this or arn." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "ARN of the instance profile; takes precedence over name." },
    { NULL },
};

static const cp_schema_attr attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .description = "Name of the launch template. Default: cpstack- and a unique suffix." },
    { .name = "description",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Description of the template, stored with each version." },
    { .name = "image_id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Id of the AMI instances launch from (ami-…)." },
    { .name = "instance_type",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Instance type, e.g. t3.nano." },
    { .name = "key_name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Name of the key pair for SSH access." },
    { .name = "user_data",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Base64-encoded user data (use base64encode())." },
    { .name = "vpc_security_group_ids",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_UNORDERED,
      .description = "Ids of the security groups of launched instances." },
    { .name = "iam_instance_profile",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = profile_attrs,
      .max_items = 1,
      .description =
          "The IAM instance profile of launched instances, by name or arn (one block)." },
    { .name = "update_default_version",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description = "Make each new version (written on update) the default version." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the launch template." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the launch template (lt-…)." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the launch template." },
    { .name = "latest_version",
      .type = CP_AT_NUMBER,
      .flags = CP_COMPUTED,
      .description = "Number of the newest version; a change to the launch data adds one." },
    { .name = "default_version",
      .type = CP_AT_NUMBER,
      .flags = CP_COMPUTED,
      .description = "Number of the default version." },
    { NULL },
};

/* ---- read ------------------------------------------------------------------------------- */

static cp_value *profile_read(xmlNodePtr data)
{
    cp_value *l = cp_list_new();
    xmlNodePtr p = aws_xml_find(data, "iamInstanceProfile");
    if (!p) return l;
    cp_value *m = cp_map_new();
    cp_set_xml(m, "name", p, "name");
    cp_set_xml(m, "arn", p, "arn");
    cp_list_push_take(l, m);
    return l;
}

/* The launch data of the template's latest version into s. */
static int data_read(cp_provider_call *c, const char *id, cp_value *s)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "LaunchTemplateId", id);
    aws_params_add(p, "LaunchTemplateVersion.1", "$Latest");
    xmlDocPtr doc;
    int rc = ec2_call(c, "DescribeLaunchTemplateVersions", p, NULL, &doc);
    aws_params_free(p);
    if (rc != 0) return -1;
    xmlNodePtr v = aws_xml_find(aws_xml_root(doc), "launchTemplateVersionSet/item");
    xmlNodePtr d = aws_xml_find(v, "launchTemplateData");
    cp_set_xml(s, "description", v, "versionDescription");
    cp_set_xml(s, "image_id", d, "imageId");
    cp_set_xml(s, "instance_type", d, "instanceType");
    cp_set_xml(s, "key_name", d, "keyName");
    cp_set_xml(s, "user_data", d, "userData");
    cp_value *groups = cp_aws_xml_strings(d, "securityGroupIdSet/item", NULL);
    if (cp_len(groups) == 0 &&
        !cp_get_list(s, "vpc_security_group_ids")) { /* none, as configured */
        cp_release(groups);
        groups = cp_null();
    }
    cp_set_take(s, "vpc_security_group_ids", groups);
    cp_set_take(s, "iam_instance_profile", profile_read(d));
    xmlFreeDoc(doc);
    return 0;
}

static int lt_fill(cp_provider_call *c, xmlNodePtr it, xmlNodePtr parent, const cp_value *prev,
                   cp_value **out)
{
    (void)parent;
    cp_value *s = cp_state_complete(attrs, prev);
    cp_set_xml(s, "id", it, "launchTemplateId");
    cp_set_xml(s, "name", it, "launchTemplateName");
    cp_set_xml_num(s, "latest_version", it, "latestVersionNumber", 1);
    cp_set_xml_num(s, "default_version", it, "defaultVersionNumber", 1);
    char *by = aws_xml_text(it, "createdBy"); /* arn:aws:iam::<account>:… */
    char *account = by && strlen(by) > 13 ? cp_xstrndup(by + 13, strcspn(by + 13, ":")) : NULL;
    char *what = cp_xasprintf("launch-template/%s", cp_get_str(s, "id"));
    cp_set_take(s, "arn", ec2_arn(c, account, what));
    free(what);
    free(account);
    free(by);
    cp_set_take(s, "tags", ec2_tags_read(it, cp_map_get(prev, "tags")));
    if (data_read(c, cp_get_str(s, "id"), s) != 0) {
        cp_release(s);
        return -1;
    }
    *out = s;
    return 0;
}

static const char *const lt_gone[] = { "InvalidLaunchTemplateId.NotFound",
                                       "InvalidLaunchTemplateId.Malformed", NULL };

/* DescribeLaunchTemplates has no id filter: ids go in LaunchTemplateId.N. */
static const ec2_describe lt_describe = {
    .action = "DescribeLaunchTemplates",
    .id_param = "LaunchTemplateId",
    .id_gone = lt_gone,
    .items = "launchTemplates/item",
    .id_elem = "launchTemplateId",
    .fill = lt_fill,
};

static int lt_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    return ec2_read_one(c, &lt_describe, state, out);
}

/* Refresh of many: one Describe for up to 200 ids (ec2_common.h). */
static int lt_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                         cp_value **out)
{
    return ec2_read_many(c, &lt_describe, states, n, out);
}

/* ---- write ------------------------------------------------------------------------------- */

static void data_params(aws_params *p, const cp_value *config)
{
    static const char *const simple[][2] = {
        { "image_id", "LaunchTemplateData.ImageId" },
        { "instance_type", "LaunchTemplateData.InstanceType" },
        { "key_name", "LaunchTemplateData.KeyName" },
        { "user_data", "LaunchTemplateData.UserData" },
        { "description", "VersionDescription" },
    };
    for (size_t i = 0; i < sizeof simple / sizeof *simple; i++)
        if (cp_get_str(config, simple[i][0]))
            aws_params_add(p, simple[i][1], cp_get_str(config, simple[i][0]));
    cp_aws_list_params(p, "LaunchTemplateData.SecurityGroupId",
                       cp_get_list(config, "vpc_security_group_ids"));
    const cp_value *prof = cp_get_block(config, "iam_instance_profile");
    if (cp_get_str(prof, "arn"))
        aws_params_add(p, "LaunchTemplateData.IamInstanceProfile.Arn", cp_get_str(prof, "arn"));
    else if (cp_get_str(prof, "name"))
        aws_params_add(p, "LaunchTemplateData.IamInstanceProfile.Name", cp_get_str(prof, "name"));
}

static int lt_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *given = cp_get_str(config, "name");
    char *name = given ? cp_xstrdup(given) : ec2_unique_name("cpstack-");
    aws_params *p = aws_params_new();
    aws_params_add(p, "LaunchTemplateName", name);
    if (cp_intent_uuid(config)) aws_params_add(p, "ClientToken", cp_intent_uuid(config));
    data_params(p, config);
    ec2_tag_spec(p, "launch-template", cp_get_map(config, "tags"));
    xmlDocPtr doc;
    aws_set_no_resend(true); /* sent once: a lost answer is looked up (find) */
    int rc = ec2_call(c, "CreateLaunchTemplate", p, NULL, &doc);
    aws_set_no_resend(false);
    aws_params_free(p);
    free(name);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_xml(s, "id", aws_xml_root(doc), "launchTemplate/launchTemplateId");
    xmlFreeDoc(doc);
    return ec2_finish_take(c, 0, lt_read, s, state);
}

static bool data_changed(const cp_value *old, const cp_value *config)
{
    static const char *const keys[] = { "description",
                                        "image_id",
                                        "instance_type",
                                        "key_name",
                                        "user_data",
                                        "vpc_security_group_ids",
                                        "iam_instance_profile",
                                        NULL };
    for (const char *const *k = keys; *k; k++)
        if (cp_changed(old, config, *k)) return true;
    return false;
}

/* A new version with the configured data; made the default when asked.
 * Its ClientToken, made once, makes the retry of a call whose answer was
 * lost return that version instead of adding another (as Terraform sends). */
static int lt_new_version(cp_provider_call *c, const char *id, const cp_value *config)
{
    char token[37];
    aws_client_token(token);
    aws_params *p = aws_params_new();
    aws_params_add(p, "LaunchTemplateId", id);
    aws_params_add(p, "ClientToken", token);
    data_params(p, config);
    xmlDocPtr doc;
    int rc = ec2_call(c, "CreateLaunchTemplateVersion", p, NULL, &doc);
    aws_params_free(p);
    if (rc != 0) return -1;
    char *version = aws_xml_text(aws_xml_root(doc), "launchTemplateVersion/versionNumber");
    xmlFreeDoc(doc);
    if (version && cp_get_bool(config, "update_default_version", false)) {
        p = aws_params_new();
        aws_params_add(p, "LaunchTemplateId", id);
        aws_params_add(p, "SetDefaultVersion", version);
        rc = ec2_call(c, "ModifyLaunchTemplate", p, NULL, NULL);
        aws_params_free(p);
    }
    free(version);
    return rc == 0 ? 0 : -1;
}

static int lt_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                     cp_value **state)
{
    const char *id = cp_get_str(old, "id");
    if (data_changed(old, config) && lt_new_version(c, id, config) != 0) return -1;
    if (ec2_tags_update(c, id, old, config) != 0) return -1;
    return cp_aws_reread(c, lt_read, attrs, config, id, state);
}

static int lt_delete(cp_provider_call *c, const cp_value *state)
{
    static const char *const gone[] = { "InvalidLaunchTemplateId.NotFound",
                                        "InvalidLaunchTemplateId.Malformed", NULL };
    return ec2_delete(c, "DeleteLaunchTemplate", "LaunchTemplateId", cp_get_str(state, "id"), gone);
}

static int lt_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, lt_read, id, state);
}

/* An interrupted create is found by its name (core makes one up first when
 * the config has none); the intent UUID is its ClientToken. */
static int lt_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    const char *const f[] = { "launch-template-name", cp_get_str(intent, "name"), NULL };
    return ec2_find_by(c, &lt_describe, f, intent, state);
}

const cp_resource_type cp_aws_launch_template = {
    .name = "aws_launch_template",
    .description =
        "An EC2 launch template; updates add a version (import by lt id)."
        " Deliberate differences from the Terraform AWS provider: a name left out is made up as "
        "cpstack- and a random suffix (Terraform's start terraform-).",
    .attrs = attrs,
    .create = lt_create,
    .read = lt_read,
    .read_batch = lt_read_batch,
    .update = lt_update,
    .delete = lt_delete,
    .import = lt_import,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "name",
    .find = lt_find,
};
