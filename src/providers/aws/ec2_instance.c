/*
 * ec2_instance.c: aws_instance — one EC2 instance (id = i-…).
 *
 * Create runs one instance with a ClientToken made once, so retries of a
 * lost answer never launch a second one, and waits until it is running.
 * An instance profile created moments before is often not yet visible to
 * EC2 ("Invalid IAM Instance Profile"): that error alone is retried for up
 * to two minutes. instance_type changes stop, modify and start the
 * instance; monitoring, security groups and tags change in place; the
 * rest is force-new. Delete terminates and waits until terminated. A
 * terminated instance reads as gone.
 *
 * user_data is kept in state as written (the engine compares config with
 * state directly, so Terraform's SHA1-in-state would show a change on
 * every plan); it is sent base64-encoded, user_data_base64 as is.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/ec2_common.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static const cp_schema_attr attrs[] = {
    { .name = "ami",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .description = "Id of the AMI to launch (ami-…), e.g. from data.aws_ami." },
    { .name = "instance_type",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description =
          "Instance type, e.g. t3.nano. A change stops, modifies and restarts the instance." },
    { .name = "subnet_id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .description =
          "Id of the subnet to launch in. Default: a default subnet of the default VPC." },
    { .name = "availability_zone",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .description = "Availability zone to launch in. Default: the subnet's, or chosen by AWS." },
    { .name = "vpc_security_group_ids",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_UNORDERED,
      .description = "Ids of the security groups of the instance. Changes in place." },
    { .name = "key_name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .description = "Name of the key pair for SSH access." },
    { .name = "iam_instance_profile",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "Name (or ARN) of the IAM instance profile the instance runs with." },
    { .name = "user_data",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description =
          "User data as plain text (e.g. a cloud-init script); kept as written, sent base64-encoded." },
    { .name = "user_data_base64",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description =
          "User data already base64-encoded (for binary data); use instead of user_data." },
    { .name = "monitoring",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description = "Detailed (1-minute) CloudWatch monitoring. Changes in place." },
    { .name = "associate_public_ip_address",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .description = "Give the instance a public IPv4 address. Default: the subnet's setting." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the instance." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the instance (i-…)." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the instance." },
    { .name = "instance_state",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "State of the instance, e.g. running or stopped." },
    { .name = "public_ip",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Public IPv4 address, when it has one." },
    { .name = "public_dns",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Public DNS name, when it has one." },
    { .name = "private_ip",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Private IPv4 address." },
    { .name = "private_dns",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Private DNS name." },
    { NULL },
};

static const char *const inst_gone[] = { "InvalidInstanceID.NotFound", NULL };

/* ---- read ------------------------------------------------------------------------------ */

static bool inst_terminated(xmlNodePtr it)
{
    char *st = aws_xml_text(it, "instanceState/name");
    bool gone = st && !strcmp(st, "terminated");
    free(st);
    return gone;
}

/* The profile as the state had it (name or ARN) when it is the same one. */
static void set_profile(cp_value *s, xmlNodePtr it, const cp_value *prev)
{
    char *arn = aws_xml_text(it, "iamInstanceProfile/arn");
    const char *was = cp_get_str(prev, "iam_instance_profile");
    const char *name = arn && strrchr(arn, '/') ? strrchr(arn, '/') + 1 : arn;
    if (!arn)
        cp_set_str(s, "iam_instance_profile", NULL);
    else if (!was || (strcmp(was, arn) && strcmp(was, name)))
        cp_set_str(s, "iam_instance_profile", name);
    free(arn);
}

static int inst_fill(cp_provider_call *c, xmlNodePtr it, xmlNodePtr reservation,
                     const cp_value *prev, cp_value **out)
{
    cp_value *s = cp_state_complete(attrs, prev);
    cp_set_xml(s, "id", it, "instanceId");
    cp_set_xml(s, "ami", it, "imageId");
    cp_set_xml(s, "instance_type", it, "instanceType");
    cp_set_xml(s, "subnet_id", it, "subnetId");
    cp_set_xml(s, "availability_zone", it, "placement/availabilityZone");
    cp_set_take(s, "vpc_security_group_ids", cp_aws_xml_strings(it, "groupSet/item", "groupId"));
    cp_set_xml(s, "key_name", it, "keyName");
    set_profile(s, it, prev);
    char *mon = aws_xml_text(it, "monitoring/state");
    cp_set_bool(s, "monitoring", mon && (!strcmp(mon, "enabled") || !strcmp(mon, "pending")));
    free(mon);
    cp_set_xml(s, "instance_state", it, "instanceState/name");
    cp_set_xml(s, "public_ip", it, "ipAddress");
    cp_set_xml(s, "public_dns", it, "dnsName");
    cp_set_xml(s, "private_ip", it, "privateIpAddress");
    cp_set_xml(s, "private_dns", it, "privateDnsName");
    if (cp_is_null(cp_map_get(s, "associate_public_ip_address")))
        cp_set_bool(s, "associate_public_ip_address", cp_get_str(s, "public_ip") != NULL);
    char *owner = reservation ? aws_xml_text(reservation, "ownerId") : NULL;
    char *what = cp_xasprintf("instance/%s", cp_get_str(s, "id"));
    cp_set_take(s, "arn", ec2_arn(c, owner, what));
    free(what);
    free(owner);
    cp_set_take(s, "tags", ec2_tags_read(it, cp_map_get(prev, "tags")));
    *out = s;
    return 0;
}

static const ec2_describe inst_describe = {
    .action = "DescribeInstances",
    .filter = "instance-id",
    .items = "reservationSet/item",
    .nested = "instancesSet/item",
    .id_elem = "instanceId",
    .fill = inst_fill,
    .gone = inst_terminated,
};

static int inst_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    return ec2_read_one(c, &inst_describe, state, out);
}

static int inst_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                           cp_value **out)
{
    return ec2_read_many(c, &inst_describe, states, n, out);
}

/* ---- waiting ---------------------------------------------------------------------------- */

typedef struct inst_wait {
    const char *id;
    const char *want; /* "running", "stopped", or NULL: terminated */
} inst_wait;

static int inst_check(cp_provider_call *c, void *ud, bool *done)
{
    const inst_wait *w = ud;
    cp_value *s;
    if (ec2_read_id(c, &inst_describe, w->id, NULL, &s) != 0) return -1;
    const char *st = s ? cp_get_str(s, "instance_state") : NULL;
    *done = w->want ? st && !strcmp(st, w->want) : !s;
    int rc = 0;
    if (w->want && !s)
        rc = cp_fail(c,
                     "%s: instance %s terminated while waiting for it to be %s; see its state "
                     "reason in the EC2 console (AMI, capacity or limits)",
                     c->address, w->id, w->want);
    cp_release(s);
    return rc;
}

static int inst_wait_for(cp_provider_call *c, const char *id, const char *want, int timeout_s)
{
    inst_wait w = { id, want };
    char *what = cp_xasprintf("instance %s to be %s", id, want ? want : "terminated");
    int rc = cp_aws_wait(c, what, timeout_s, 2000, inst_check, &w);
    free(what);
    return rc;
}

/* ---- create ------------------------------------------------------------------------------- */

/* Stands in for InvalidParameterValue about the instance profile only, so
 * that cp_aws_retry_codes retries that and not every bad parameter. */
#define PROFILE_NOT_VISIBLE "cpstack.InstanceProfileNotVisible"

typedef struct run_op {
    const aws_params *p;
    xmlDocPtr doc;
} run_op;

static int run_once(cp_provider_call *c, void *ud, aws_error *err)
{
    run_op *r = ud;
    if (aws_query_call(cp_aws_client(c), "ec2", "RunInstances", r->p, &r->doc, err) == 0) return 0;
    if (aws_error_is(err, "InvalidParameterValue") && err->message &&
        strstr(err->message, "Invalid IAM Instance Profile")) {
        free(err->code);
        err->code = cp_xstrdup(PROFILE_NOT_VISIBLE);
    }
    return -1;
}

static void run_params(aws_params *p, const cp_value *config, const char *token)
{
    aws_params_add(p, "ImageId", cp_get_str(config, "ami"));
    aws_params_add(p, "InstanceType", cp_get_str(config, "instance_type"));
    aws_params_add(p, "MinCount", "1");
    aws_params_add(p, "MaxCount", "1");
    aws_params_add(p, "ClientToken", token);
    const cp_value *pub = cp_map_get(config, "associate_public_ip_address");
    const char *subnet = cp_get_str(config, "subnet_id");
    if (pub && cp_kind_of(pub) == CP_BOOL) { /* only a network interface spec can say it */
        aws_params_add(p, "NetworkInterface.1.DeviceIndex", "0");
        ec2_params_bool(p, "NetworkInterface.1.AssociatePublicIpAddress", cp_bool_val(pub));
        if (subnet) aws_params_add(p, "NetworkInterface.1.SubnetId", subnet);
        cp_aws_list_params(p, "NetworkInterface.1.SecurityGroupId",
                           cp_get_list(config, "vpc_security_group_ids"));
    } else {
        if (subnet) aws_params_add(p, "SubnetId", subnet);
        cp_aws_list_params(p, "SecurityGroupId", cp_get_list(config, "vpc_security_group_ids"));
    }
    const char *az = cp_get_str(config, "availability_zone"), *key = cp_get_str(config, "key_name");
    if (az) aws_params_add(p, "Placement.AvailabilityZone", az);
    if (key) aws_params_add(p, "KeyName", key);
    const char *prof = cp_get_str(config, "iam_instance_profile");
    if (prof)
        aws_params_add(
            p, strncmp(prof, "arn:", 4) ? "IamInstanceProfile.Name" : "IamInstanceProfile.Arn",
            prof);
    const char *ud = cp_get_str(config, "user_data"),
               *ud64 = cp_get_str(config, "user_data_base64");
    char *enc = ud ? ec2_base64(ud, strlen(ud)) : NULL;
    if (enc || ud64) aws_params_add(p, "UserData", enc ? enc : ud64);
    free(enc);
    ec2_params_bool(p, "Monitoring.Enabled", cp_get_bool(config, "monitoring", false));
    ec2_tag_spec_intent(p, "instance", config);
}

static int inst_run(cp_provider_call *c, const cp_value *config, char **id)
{
    static const char *const retry[] = { PROFILE_NOT_VISIBLE, NULL };
    char token[37];
    aws_client_token(token);
    aws_params *p = aws_params_new();
    run_params(p, config, cp_intent_uuid(config) ? cp_intent_uuid(config) : token);
    run_op r = { p, NULL };
    aws_error err = { 0 };
    int rc = cp_aws_retry_codes(c, retry, 120, run_once, &r, &err);
    aws_params_free(p);
    if (rc != 0) {
        bool profile = aws_error_is(&err, PROFILE_NOT_VISIBLE);
        if (profile) {
            free(err.code);
            err.code = cp_xstrdup("InvalidParameterValue");
        }
        cp_aws_fail(c, &err, "RunInstances");
        if (profile) {
            char *m = cp_xasprintf("%s; still not visible to EC2 after 2 minutes: check that the "
                                   "instance profile exists",
                                   c->error);
            free(c->error);
            c->error = m;
        }
        return -1;
    }
    *id = aws_xml_text(aws_xml_root(r.doc), "instancesSet/item/instanceId");
    xmlFreeDoc(r.doc);
    return *id ? 0 : cp_fail(c, "%s: RunInstances answered without an instance id", c->address);
}

static int inst_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    char *id = NULL;
    if (inst_run(c, config, &id) != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", id);
    int rc = inst_wait_for(c, id, "running", 600);
    free(id);
    return ec2_finish_take(c, rc, inst_read, s, state);
}

/* ---- update / delete --------------------------------------------------------------------------
 */

/* action(InstanceId.1=id), e.g. StopInstances, MonitorInstances. */
static int inst_action(cp_provider_call *c, const char *action, const char *id)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "InstanceId.1", id);
    int rc = ec2_call(c, action, p, NULL, NULL);
    aws_params_free(p);
    return rc == 0 ? 0 : -1;
}

/* ModifyInstanceAttribute with one attribute (value or list). */
static int inst_modify(cp_provider_call *c, const char *id, const char *key, const char *value,
                       const cp_value *list)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "InstanceId", id);
    if (value)
        aws_params_add(p, key, value);
    else
        cp_aws_list_params(p, key, list);
    int rc = ec2_call(c, "ModifyInstanceAttribute", p, NULL, NULL);
    aws_params_free(p);
    return rc == 0 ? 0 : -1;
}

static int inst_resize(cp_provider_call *c, const char *id, const char *type)
{
    if (c->progress) c->progress(c->progress_ud, "stopping the instance to change its type");
    if (inst_action(c, "StopInstances", id) || inst_wait_for(c, id, "stopped", 600) ||
        inst_modify(c, id, "InstanceType.Value", type, NULL) ||
        inst_action(c, "StartInstances", id))
        return -1;
    return inst_wait_for(c, id, "running", 600);
}

static int inst_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                       cp_value **state)
{
    const char *id = cp_get_str(old, "id");
    bool mon = cp_get_bool(config, "monitoring", false);
    if (cp_changed(old, config, "instance_type") &&
        inst_resize(c, id, cp_get_str(config, "instance_type")) != 0)
        return -1;
    if (mon != cp_get_bool(old, "monitoring", false) &&
        inst_action(c, mon ? "MonitorInstances" : "UnmonitorInstances", id) != 0)
        return -1;
    const cp_value *groups = cp_get_list(config, "vpc_security_group_ids");
    if (groups && cp_changed(old, config, "vpc_security_group_ids") &&
        inst_modify(c, id, "GroupId", NULL, groups) != 0)
        return -1;
    if (ec2_tags_update(c, id, old, config) != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", id);
    cp_set_take(s, "associate_public_ip_address",
                cp_retain(cp_map_get(old, "associate_public_ip_address")));
    int rc = inst_read(c, s, state);
    cp_release(s);
    return rc;
}

static int inst_delete(cp_provider_call *c, const cp_value *state)
{
    const char *id = cp_get_str(state, "id");
    aws_params *p = aws_params_new();
    aws_params_add(p, "InstanceId.1", id);
    int rc = ec2_call(c, "TerminateInstances", p, inst_gone, NULL);
    aws_params_free(p);
    if (rc != 0) return rc < 0 ? -1 : 0;
    return inst_wait_for(c, id, NULL, 1200);
}

static int inst_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, inst_read, id, state);
}

/* An interrupted create is found by its intent tag (its ClientToken is the
 * same UUID, so a retry never launches a second instance). */
static int inst_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return ec2_find_by_intent(c, &inst_describe, intent, state);
}

const cp_resource_type cp_aws_instance = {
    .name = "aws_instance",
    .description =
        "An EC2 instance; waits until running (import by instance id)."
        " Deliberate differences from the Terraform AWS provider: a change of user_data or "
        "user_data_base64 replaces the instance, as Terraform's user_data_replace_on_change = "
        "true does (Terraform's default stops the instance and updates it in place), and so does "
        "a change of iam_instance_profile (Terraform swaps the profile in place).",
    .attrs = attrs,
    .create = inst_create,
    .read = inst_read,
    .update = inst_update,
    .delete = inst_delete,
    .import = inst_import,
    .read_batch = inst_read_batch,
    .recovery = CP_RECOVER_TOKEN,
    .find = inst_find,
};
