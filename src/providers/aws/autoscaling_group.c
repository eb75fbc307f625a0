/*
 * autoscaling_group.c: aws_autoscaling_group — an EC2 Auto Scaling group
 * (id = its name) launching from a launch template into the subnets of
 * vpc_zone_identifier. Sizes, subnets, template, health check, target
 * groups and tags change in place (UpdateAutoScalingGroup, Attach/Detach
 * target groups, CreateOrUpdateTags/DeleteTags). Delete uses ForceDelete
 * (terminating its instances) and waits until the group is gone.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/batch.h"
#include "providers/aws/aws_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"

static const cp_schema_attr lt_attrs[] = {
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "Id of the launch template (lt-…). Set this or name." },
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "Name of the launch template; used when id is not set." },
    { .name = "version",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .default_json = "\"$Default\"",
      .description = "Template version: a number, $Latest or $Default. Default $Default." },
    { NULL },
};

static const cp_schema_attr tag_attrs[] = {
    { .name = "key", .type = CP_AT_STRING, .flags = CP_REQUIRED, .description = "Tag key." },
    { .name = "value", .type = CP_AT_STRING, .flags = CP_REQUIRED, .description = "Tag value." },
    { .name = "propagate_at_launch",
      .type = CP_AT_BOOL,
      .flags = CP_REQUIRED,
      .description = "Also put the tag on instances the group launches." },
    { NULL },
};

static const cp_schema_attr attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .description = "Name of the group. Default: cpstack- and a random suffix." },
    { .name = "min_size",
      .type = CP_AT_NUMBER,
      .flags = CP_REQUIRED,
      .description = "Minimum number of instances in the group." },
    { .name = "max_size",
      .type = CP_AT_NUMBER,
      .flags = CP_REQUIRED,
      .description = "Maximum number of instances in the group." },
    { .name = "desired_capacity",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description =
          "Number of instances to run, between min_size and max_size. Default: min_size." },
    { .name = "vpc_zone_identifier",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_UNORDERED,
      .description = "Ids of the subnets to launch instances in." },
    { .name = "launch_template",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = lt_attrs,
      .max_items = 1,
      .description = "The launch template instances are launched from (one block)." },
    { .name = "health_check_type",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description =
          "EC2 or ELB: whether load balancer health checks can mark instances unhealthy. Default EC2." },
    { .name = "health_check_grace_period",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .default_json = "300",
      .description =
          "Seconds after an instance starts before its health is checked. Default 300." },
    { .name = "target_group_arns",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_UNORDERED,
      .description = "ARNs of load balancer target groups to register the instances with." },
    { .name = "tag",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL | CP_UNORDERED,
      .block = tag_attrs,
      .description = "Tags of the group (a set), optionally propagated to its instances." },
    { .name = "force_delete",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description =
          "Accepted for Terraform compatibility: delete always force-deletes, terminating the instances." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Name of the group." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the group." },
    { NULL },
};

/* ---- read ----------------------------------------------------------------------------- */

static cp_value *members(xmlNodePtr from, const char *path, const char *field)
{
    cp_value *l = cp_list_new();
    for (xmlNodePtr it = from ? aws_xml_find(from, path) : NULL; it; it = aws_xml_next(it)) {
        char *t = field ? aws_xml_text(it, field) : (char *)xmlNodeGetContent(it);
        if (t) cp_list_push_take(l, cp_string(t));
        if (field)
            free(t);
        else
            xmlFree(t);
    }
    return l;
}

static cp_value *subnets_read(xmlNodePtr g)
{
    char *ids = aws_xml_text(g, "VPCZoneIdentifier");
    cp_value *l = cp_list_new();
    char *save = NULL;
    for (char *t = ids ? strtok_r(ids, ",", &save) : NULL; t; t = strtok_r(NULL, ",", &save))
        cp_list_push_take(l, cp_string(t));
    free(ids);
    return l;
}

static cp_value *tags_read(xmlNodePtr g)
{
    cp_value *l = cp_list_new();
    for (xmlNodePtr t = aws_xml_find(g, "Tags/member"); t; t = aws_xml_next(t)) {
        cp_value *m = cp_map_new();
        cp_set_xml(m, "key", t, "Key");
        cp_set_xml(m, "value", t, "Value");
        cp_set_xml_bool(m, "propagate_at_launch", t, "PropagateAtLaunch", false);
        cp_list_push_take(l, m);
    }
    return l;
}

static cp_value *lt_read(xmlNodePtr g, const cp_value *prev)
{
    cp_value *l = cp_list_new();
    xmlNodePtr lt = aws_xml_find(g, "LaunchTemplate");
    if (!lt) return l;
    cp_value *m = cp_map_new();
    cp_set_xml(m, "id", lt, "LaunchTemplateId");
    cp_set_xml(m, "name", lt, "LaunchTemplateName");
    cp_set_xml(m, "version", lt, "Version");
    if (!cp_get_str(m, "version"))
        cp_set_str(m, "version", cp_get_str(cp_get_block(prev, "launch_template"), "version"));
    cp_list_push_take(l, m);
    return l;
}

/* The state of group g (a DescribeAutoScalingGroups member, tags included). */
static cp_value *asg_state(xmlNodePtr g, const cp_value *state)
{
    cp_value *s = cp_state_complete(attrs, state);
    cp_set_xml(s, "id", g, "AutoScalingGroupName");
    cp_set_xml(s, "name", g, "AutoScalingGroupName");
    cp_set_xml(s, "arn", g, "AutoScalingGroupARN");
    cp_set_xml_num(s, "min_size", g, "MinSize", 0);
    cp_set_xml_num(s, "max_size", g, "MaxSize", 0);
    cp_set_xml_num(s, "desired_capacity", g, "DesiredCapacity", 0);
    cp_set_xml(s, "health_check_type", g, "HealthCheckType");
    cp_set_xml_num(s, "health_check_grace_period", g, "HealthCheckGracePeriod", 0);
    cp_set_take(s, "vpc_zone_identifier", subnets_read(g));
    cp_set_take(s, "launch_template", lt_read(g, state));
    cp_set_take(s, "target_group_arns", members(g, "TargetGroupARNs/member", NULL));
    cp_set_take(s, "tag", tags_read(g));
    return s;
}

/* DescribeAutoScalingGroups naming states[0..n) (n <= 100), pages followed, matched into
 * out by name; a group it leaves out, or one being deleted (Status set), is gone. 0 / -1. */
static int describe_into(cp_provider_call *c, const cp_value *const *states, size_t n,
                         cp_value **out)
{
    char *token = NULL;
    do {
        aws_params *p = aws_params_new();
        for (size_t i = 0; i < n; i++) {
            char key[48];
            snprintf(key, sizeof key, "AutoScalingGroupNames.member.%zu", i + 1);
            aws_params_add(p, key, cp_get_str(states[i], "id") ? cp_get_str(states[i], "id") : "");
        }
        aws_params_add(p, "MaxRecords", "100");
        if (token) aws_params_add(p, "NextToken", token);
        free(token);
        token = NULL;
        xmlDocPtr doc;
        int rc = cp_aws_query(c, "autoscaling", "DescribeAutoScalingGroups", p, NULL, &doc);
        aws_params_free(p);
        if (rc != 0) return -1;
        xmlNodePtr root = aws_xml_root(doc);
        for (xmlNodePtr g =
                 aws_xml_find(root, "DescribeAutoScalingGroupsResult/AutoScalingGroups/member");
             g; g = aws_xml_next(g)) {
            char *name = aws_xml_text(g, "AutoScalingGroupName");
            char *status = aws_xml_text(g, "Status"); /* "Delete in progress": going */
            for (size_t i = 0; name && !status && i < n; i++)
                if (!out[i] && cp_get_str(states[i], "id") &&
                    !strcmp(cp_get_str(states[i], "id"), name))
                    out[i] = asg_state(g, states[i]);
            free(name);
            free(status);
        }
        token = aws_xml_text(root, "DescribeAutoScalingGroupsResult/NextToken");
        if (token && !*token) {
            free(token);
            token = NULL;
        }
        xmlFreeDoc(doc);
    } while (token);
    return 0;
}

static int asg_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    return describe_into(c, &state, 1, out);
}

/* ---- batch refresh ----------------------------------------------------------------------
 * DescribeAutoScalingGroups names up to 100 groups a call, tags included: n groups cost
 * n/100 calls instead of n. */
#define ASGS_PER_CALL 100

static int asg_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                          cp_value **out)
{
    for (size_t i = 0; i < n; i++) out[i] = NULL;
    for (size_t k = 0; k < n; k += ASGS_PER_CALL)
        if (describe_into(c, states + k, n - k < ASGS_PER_CALL ? n - k : ASGS_PER_CALL, out + k) !=
            0)
            return cp_aws_batch_fail(out, n);
    return 0;
}

/* ---- write ------------------------------------------------------------------------------- */

static void num_param(aws_params *p, const char *key, const cp_value *m, const char *attr)
{
    const cp_value *v = cp_map_get(m, attr);
    if (!v || cp_kind_of(v) != CP_NUMBER) return;
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", (long)cp_number_val(v));
    aws_params_add(p, key, buf);
}

/* The parameters CreateAutoScalingGroup and UpdateAutoScalingGroup share. */
static void group_params(aws_params *p, const cp_value *config)
{
    num_param(p, "MinSize", config, "min_size");
    num_param(p, "MaxSize", config, "max_size");
    num_param(p, "DesiredCapacity", config, "desired_capacity");
    num_param(p, "HealthCheckGracePeriod", config, "health_check_grace_period");
    if (cp_get_str(config, "health_check_type"))
        aws_params_add(p, "HealthCheckType", cp_get_str(config, "health_check_type"));
    const cp_value *subnets = cp_get_list(config, "vpc_zone_identifier");
    if (subnets) {
        cp_buf b = { 0 };
        for (size_t i = 0; i < cp_len(subnets); i++)
            cp_buf_printf(&b, "%s%s", i ? "," : "", cp_string_val(cp_list_get(subnets, i)));
        aws_params_add(p, "VPCZoneIdentifier", b.data ? b.data : "");
        cp_buf_free(&b);
    }
    const cp_value *lt = cp_get_block(config, "launch_template");
    if (lt && cp_get_str(lt, "id"))
        aws_params_add(p, "LaunchTemplate.LaunchTemplateId", cp_get_str(lt, "id"));
    else if (lt && cp_get_str(lt, "name"))
        aws_params_add(p, "LaunchTemplate.LaunchTemplateName", cp_get_str(lt, "name"));
    if (lt)
        aws_params_add(p, "LaunchTemplate.Version",
                       cp_get_str(lt, "version") ? cp_get_str(lt, "version") : "$Default");
}

/* Tags.member.N for the `tag` blocks of list (only the keys when keys_only). */
static void tag_params(aws_params *p, const char *name, const cp_value *list, bool keys_only)
{
    for (size_t i = 0; list && i < cp_len(list); i++) {
        const cp_value *t = cp_list_get(list, i);
        aws_params_addf(p, name, "Tags.member.%zu.ResourceId", i + 1);
        aws_params_addf(p, "auto-scaling-group", "Tags.member.%zu.ResourceType", i + 1);
        aws_params_addf(p, cp_get_str(t, "key"), "Tags.member.%zu.Key", i + 1);
        if (keys_only) continue;
        aws_params_addf(p, cp_get_str(t, "value"), "Tags.member.%zu.Value", i + 1);
        aws_params_addf(p, cp_get_bool(t, "propagate_at_launch", false) ? "true" : "false",
                        "Tags.member.%zu.PropagateAtLaunch", i + 1);
    }
}

static int asg_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *given = cp_get_str(config, "name");
    char tok[37];
    aws_client_token(tok);
    char *name = given ? cp_xstrdup(given) : cp_xasprintf("cpstack-%.8s", tok);
    aws_params *p = aws_params_new();
    aws_params_add(p, "AutoScalingGroupName", name);
    group_params(p, config);
    const cp_value *tgs = cp_get_list(config, "target_group_arns");
    for (size_t i = 0; tgs && i < cp_len(tgs); i++)
        aws_params_addf(p, cp_string_val(cp_list_get(tgs, i)), "TargetGroupARNs.member.%zu", i + 1);
    tag_params(p, name, cp_get_list(config, "tag"), false);
    aws_set_no_resend(true); /* sent once: a lost answer is looked up (find) */
    int rc = cp_aws_query(c, "autoscaling", "CreateAutoScalingGroup", p, NULL, NULL);
    aws_set_no_resend(false);
    aws_params_free(p);
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", name);
    free(name);
    if (rc != 0) {
        cp_release(s);
        return -1;
    }
    *state = NULL;
    rc = asg_read(c, s, state);
    if (rc == 0 && *state) {
        cp_release(s);
        return 0;
    }
    *state = s;
    return rc != 0
               ? -1
               : cp_fail(c, "%s: the new group is not visible yet; run apply again", c->address);
}

/* Attach/Detach the target groups in `a` but not in `b`. */
static int tg_sync(cp_provider_call *c, const char *action, const char *name, const cp_value *a,
                   const cp_value *b)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "AutoScalingGroupName", name);
    size_t n = 0;
    for (size_t i = 0; a && i < cp_len(a); i++) {
        const cp_value *arn = cp_list_get(a, i);
        bool in_b = false;
        for (size_t j = 0; b && j < cp_len(b) && !in_b; j++)
            in_b = cp_equal(arn, cp_list_get(b, j));
        if (!in_b) aws_params_addf(p, cp_string_val(arn), "TargetGroupARNs.member.%zu", ++n);
    }
    int rc = n ? cp_aws_query(c, "autoscaling", action, p, NULL, NULL) : 0;
    aws_params_free(p);
    return rc == 0 ? 0 : -1;
}

static int tags_sync(cp_provider_call *c, const char *name, const cp_value *old,
                     const cp_value *config)
{
    if (!cp_changed(old, config, "tag")) return 0;
    const cp_value *was = cp_get_list(old, "tag"), *want = cp_get_list(config, "tag");
    int rc = 0;
    if (was && cp_len(was) > 0) {
        aws_params *p = aws_params_new();
        tag_params(p, name, was, true);
        rc = cp_aws_query(c, "autoscaling", "DeleteTags", p, NULL, NULL);
        aws_params_free(p);
    }
    if (rc == 0 && want && cp_len(want) > 0) {
        aws_params *p = aws_params_new();
        tag_params(p, name, want, false);
        rc = cp_aws_query(c, "autoscaling", "CreateOrUpdateTags", p, NULL, NULL);
        aws_params_free(p);
    }
    return rc == 0 ? 0 : -1;
}

static int asg_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                      cp_value **state)
{
    const char *name = cp_get_str(old, "id");
    aws_params *p = aws_params_new();
    aws_params_add(p, "AutoScalingGroupName", name);
    group_params(p, config);
    int rc = cp_aws_query(c, "autoscaling", "UpdateAutoScalingGroup", p, NULL, NULL);
    aws_params_free(p);
    const cp_value *was = cp_get_list(old, "target_group_arns"),
                   *want = cp_get_list(config, "target_group_arns");
    if (rc != 0 ||
        (want && (tg_sync(c, "AttachLoadBalancerTargetGroups", name, want, was) ||
                  tg_sync(c, "DetachLoadBalancerTargetGroups", name, was, want))) ||
        tags_sync(c, name, old, config))
        return -1;
    return cp_aws_reread(c, asg_read, attrs, config, name, state);
}

static int asg_gone_check(cp_provider_call *c, void *ud, bool *done)
{
    cp_value *s;
    if (asg_read(c, ud, &s) != 0) return -1;
    *done = s == NULL;
    cp_release(s);
    return 0;
}

static int asg_delete(cp_provider_call *c, const cp_value *state)
{
    static const char *const gone[] = { "ValidationError", NULL }; /* "not found" */
    aws_params *p = aws_params_new();
    aws_params_add(p, "AutoScalingGroupName", cp_get_str(state, "id"));
    aws_params_add(p, "ForceDelete", "true");
    int rc = cp_aws_query(c, "autoscaling", "DeleteAutoScalingGroup", p, gone, NULL);
    aws_params_free(p);
    if (rc != 0) return rc < 0 ? -1 : 0;
    char *what = cp_xasprintf("auto scaling group %s to be deleted", cp_get_str(state, "id"));
    rc = cp_aws_wait(c, what, 600, 5000, asg_gone_check, (void *)state);
    free(what);
    return rc;
}

static int asg_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, asg_read, id, state);
}

/* An interrupted create is found by its name, read as its id. */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, asg_read, intent, "name", state);
}

const cp_resource_type cp_aws_autoscaling_group = {
    .name = "aws_autoscaling_group",
    .description =
        "An EC2 Auto Scaling group from a launch template (import by name)."
        " Deliberate differences from the Terraform AWS provider: a name left out is made up as "
        "cpstack- and a random suffix (Terraform's start terraform-); delete always force-deletes "
        "(force_delete is accepted and ignored).",
    .attrs = attrs,
    .create = asg_create,
    .read = asg_read,
    .read_batch = asg_read_batch,
    .update = asg_update,
    .delete = asg_delete,
    .import = asg_import,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "name",
    .find = rec_find,
};
