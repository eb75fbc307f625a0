/*
 * ecs_service.c: aws_ecs_service — a long-running ECS service (id = its
 * ARN, as in Terraform; import by "cluster/service").
 *
 * Create and update wait (wait_for_steady_state, off by default as in
 * Terraform: a first deploy whose image is not pushed yet never settles) until the
 * service is steady: one deployment left, as many tasks running as
 * desired. When it does not get there in time the error quotes the
 * service's last three events, which say why (image pull failures, failing
 * health checks …). Desired count, task definition, load balancers,
 * network configuration and the health check grace period change in place.
 * Delete scales to zero, deletes with force and waits until INACTIVE.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/batch.h"
#include "providers/aws/ecs_common.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"

enum { STEADY_TIMEOUT_S = 1200, DELETE_TIMEOUT_S = 1200 };

static const char *validate_launch(const cp_value *v)
{
    const char *s = cp_string_val(v);
    return !strcmp(s, "FARGATE") || !strcmp(s, "EC2") || !strcmp(s, "EXTERNAL")
               ? NULL
               : "launch_type is \"FARGATE\", \"EC2\" or \"EXTERNAL\"";
}

static const char *validate_count(const cp_value *v)
{
    return cp_number_val(v) >= 0 ? NULL : "desired_count is 0 or more";
}

static const cp_schema_attr lb_attrs[] = {
    { .name = "target_group_arn",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "ARN of the target group (an `aws_lb_target_group`'s `arn`)." },
    { .name = "container_name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description = "Name of the container (in the task definition) that receives traffic." },
    { .name = "container_port",
      .type = CP_AT_NUMBER,
      .flags = CP_REQUIRED,
      .description = "Port of the container that receives traffic." },
    { NULL },
};

static const cp_schema_attr net_attrs[] = {
    { .name = "subnets",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_UNORDERED,
      .description = "Ids of the subnets the tasks run in." },
    { .name = "security_groups",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_UNORDERED,
      .description = "Ids of the security groups of the tasks." },
    { .name = "assign_public_ip",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description =
          "Whether Fargate tasks get a public IP (needed to pull images without a NAT gateway). Default false." },
    { NULL },
};

static const cp_schema_attr attrs[] = {
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the service." },
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = cp_validate_name_1_64,
      .description = "Name of the service." },
    { .name = "cluster",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .description = "ARN or name of the cluster. Default: the default cluster." },
    { .name = "task_definition",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Task definition to run: `family:revision` or its ARN." },
    { .name = "desired_count",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .default_json = "0",
      .validate = validate_count,
      .description = "Number of tasks to keep running." },
    { .name = "launch_type",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .validate = validate_launch,
      .description = "Launch type of the tasks: FARGATE, EC2 or EXTERNAL." },
    { .name = "load_balancer",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL | CP_UNORDERED,
      .block = lb_attrs,
      .description = "Target groups the tasks register with." },
    { .name = "network_configuration",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = net_attrs,
      .max_items = 1,
      .description = "Network configuration for `awsvpc` networking (required by Fargate)." },
    { .name = "health_check_grace_period_seconds",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .description = "Seconds to ignore load balancer health checks after a task starts." },
    { .name = "wait_for_steady_state",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description = "Whether create and update wait until the deployment settles"
                     " (default false, as in Terraform)." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the service." },
    { NULL },
};

static const char *const svc_gone[] = { "ServiceNotFoundException", "ClusterNotFoundException",
                                        NULL };

/* ---- where the service is ------------------------------------------------------ */

typedef struct svc_ref {
    char *cluster; /* name or ARN */
    char *name;
} svc_ref;

/* From state (cluster + id) or an import id: an ARN
 * arn:…:service/cluster/name, "cluster/name" or a bare name. */
static svc_ref ref_of(const cp_value *state)
{
    const char *id = cp_get_str(state, "id"), *cluster = cp_get_str(state, "cluster");
    const char *body =
        id && !strncmp(id, "arn:", 4) && strstr(id, ":service/") ? strstr(id, ":service/") + 9 : id;
    const char *slash = body ? strchr(body, '/') : NULL;
    svc_ref r;
    r.name = cp_xstrdup(slash ? slash + 1 : body ? body : "");
    r.cluster = cluster ? cp_xstrdup(cluster)
                : slash ? cp_xstrndup(body, (size_t)(slash - body))
                        : cp_xstrdup("default");
    return r;
}

static void ref_free(svc_ref *r)
{
    free(r->cluster);
    free(r->name);
}

/* DescribeServices: 0 with *res and *svc (NULL when missing), or -1. */
static int svc_describe(cp_provider_call *c, const svc_ref *r, json_t **res, json_t **svc)
{
    json_t *in = json_pack("{s:s, s:[s], s:[s]}", "cluster", r->cluster, "services", r->name,
                           "include", "TAGS");
    int rc = ecs_call(c, "DescribeServices", in, svc_gone, res);
    json_decref(in);
    *svc = NULL;
    if (rc == 1) *res = NULL;
    if (rc != 0) return rc < 0 ? -1 : 0;
    *svc = json_array_get(json_object_get(*res, "services"), 0);
    return 0;
}

/* ---- state ------------------------------------------------------------------------ */

/* prev when it names the same object as the fetched ARN, else the ARN. */
static cp_value *keep_ref(const char *prev, const char *arn)
{
    if (!arn) return prev ? cp_string(prev) : cp_null();
    if (!prev) return cp_string(arn);
    if (!strcmp(prev, arn) || !strcmp(ecs_short_name(prev), ecs_short_name(arn)))
        return cp_string(prev);
    const char *colon = strrchr(ecs_short_name(arn), ':'); /* family:rev vs family */
    size_t fam = colon ? (size_t)(colon - ecs_short_name(arn)) : 0;
    if (colon && strlen(prev) == fam && !strncmp(prev, ecs_short_name(arn), fam))
        return cp_string(prev);
    return cp_string(arn);
}

static cp_value *lbs_read(const json_t *list)
{
    cp_value *l = cp_list_new();
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e)
    {
        cp_value *m = cp_map_new();
        cp_set_str(m, "target_group_arn", json_string_value(json_object_get(e, "targetGroupArn")));
        cp_set_str(m, "container_name", json_string_value(json_object_get(e, "containerName")));
        cp_set_num(m, "container_port",
                   (double)json_integer_value(json_object_get(e, "containerPort")));
        cp_list_push_take(l, m);
    }
    return l;
}

static cp_value *net_read(const json_t *net)
{
    cp_value *l = cp_list_new();
    const json_t *vpc = json_object_get(net, "awsvpcConfiguration");
    if (!vpc) return l;
    cp_value *m = cp_map_new();
    cp_set_take(m, "subnets", ecs_strings_read(json_object_get(vpc, "subnets")));
    cp_set_take(m, "security_groups", ecs_strings_read(json_object_get(vpc, "securityGroups")));
    const char *pub = json_string_value(json_object_get(vpc, "assignPublicIp"));
    cp_set_bool(m, "assign_public_ip", pub && !strcmp(pub, "ENABLED"));
    cp_list_push_take(l, m);
    return l;
}

static void svc_fill(cp_value *s, const json_t *svc, const cp_value *prev)
{
    cp_set_str(s, "id", json_string_value(json_object_get(svc, "serviceArn")));
    cp_set_str(s, "name", json_string_value(json_object_get(svc, "serviceName")));
    cp_set_take(s, "cluster",
                keep_ref(cp_get_str(prev, "cluster"),
                         json_string_value(json_object_get(svc, "clusterArn"))));
    cp_set_take(s, "task_definition",
                keep_ref(cp_get_str(prev, "task_definition"),
                         json_string_value(json_object_get(svc, "taskDefinition"))));
    cp_set_num(s, "desired_count",
               (double)json_integer_value(json_object_get(svc, "desiredCount")));
    cp_set_str(s, "launch_type", json_string_value(json_object_get(svc, "launchType")));
    cp_set_take(s, "load_balancer", lbs_read(json_object_get(svc, "loadBalancers")));
    cp_set_take(s, "network_configuration", net_read(json_object_get(svc, "networkConfiguration")));
    json_t *grace = json_object_get(svc, "healthCheckGracePeriodSeconds");
    if (json_is_integer(grace))
        cp_set_num(s, "health_check_grace_period_seconds", (double)json_integer_value(grace));
    else
        cp_set_take(s, "health_check_grace_period_seconds", cp_null());
    cp_set_bool(s, "wait_for_steady_state", cp_get_bool(prev, "wait_for_steady_state", false));
    cp_set_take(s, "tags", ecs_tags_read(json_object_get(svc, "tags"), cp_map_get(prev, "tags")));
}

static int svc_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    svc_ref r = ref_of(state);
    json_t *res, *svc;
    int rc = svc_describe(c, &r, &res, &svc);
    ref_free(&r);
    if (rc != 0) return -1;
    const char *status = json_string_value(json_object_get(svc, "status"));
    if (svc && status && strcmp(status, "INACTIVE")) {
        *out = cp_state_complete(attrs, state);
        svc_fill(*out, svc, state);
    }
    json_decref(res);
    return 0;
}

/* ---- batch refresh ---------------------------------------------------------------------
 * DescribeServices names up to 10 services of one cluster a call (tags included); one it
 * does not know is listed under failures, not refused, so what it leaves out is gone, as
 * for read(). n services of one cluster cost n/10 calls instead of n. */
#define SVCS_PER_CALL 10

/* Describes the services of refs[idx[0..k)] (one cluster) into out. 0 / -1. */
static int svc_chunk(cp_provider_call *c, const cp_value *const *states, const svc_ref *refs,
                     const size_t *idx, size_t k, cp_value **out)
{
    json_t *names = json_array();
    for (size_t j = 0; j < k; j++) json_array_append_new(names, json_string(refs[idx[j]].name));
    json_t *in = json_pack("{s:s, s:o, s:[s]}", "cluster", refs[idx[0]].cluster, "services", names,
                           "include", "TAGS"),
           *res = NULL;
    int rc = ecs_call(c, "DescribeServices", in, svc_gone, &res);
    json_decref(in);
    if (rc != 0) return rc < 0 ? -1 : 0; /* the cluster is gone: so are its services */
    size_t i;
    json_t *svc;
    json_array_foreach(json_object_get(res, "services"), i, svc)
    {
        const char *name = json_string_value(json_object_get(svc, "serviceName"));
        const char *status = json_string_value(json_object_get(svc, "status"));
        if (!name || !status || !strcmp(status, "INACTIVE")) continue;
        for (size_t j = 0; j < k; j++) {
            if (out[idx[j]] || strcmp(refs[idx[j]].name, name) != 0) continue;
            out[idx[j]] = cp_state_complete(attrs, states[idx[j]]);
            svc_fill(out[idx[j]], svc, states[idx[j]]);
        }
    }
    json_decref(res);
    return 0;
}

static int svc_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                          cp_value **out)
{
    svc_ref *refs = cp_xcalloc(n, sizeof *refs);
    bool *done = cp_xcalloc(n, sizeof *done);
    size_t idx[SVCS_PER_CALL];
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        out[i] = NULL;
        refs[i] = ref_of(states[i]);
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (done[i]) continue;
        size_t k = 0;
        for (size_t j = i; j < n && k < SVCS_PER_CALL; j++)
            if (!done[j] && !strcmp(refs[j].cluster, refs[i].cluster)) {
                done[j] = true;
                idx[k++] = j;
            }
        rc = svc_chunk(c, states, refs, idx, k, out);
    }
    for (size_t i = 0; i < n; i++) ref_free(&refs[i]);
    free(refs);
    free(done);
    return rc == 0 ? 0 : cp_aws_batch_fail(out, n);
}

/* ---- waiting ------------------------------------------------------------------------- */

typedef struct svc_wait {
    svc_ref ref;
    bool deleting;
} svc_wait;

static bool steady(const json_t *svc)
{
    const json_t *deps = json_object_get(svc, "deployments");
    json_int_t running = json_integer_value(json_object_get(svc, "runningCount"));
    json_int_t desired = json_integer_value(json_object_get(svc, "desiredCount"));
    return json_array_size(deps) == 1 && running == desired;
}

static int svc_check(cp_provider_call *c, void *ud, bool *done)
{
    svc_wait *w = ud;
    json_t *res, *svc;
    if (svc_describe(c, &w->ref, &res, &svc) != 0) return -1;
    const char *status = json_string_value(json_object_get(svc, "status"));
    if (w->deleting) {
        *done = !svc || (status && !strcmp(status, "INACTIVE"));
    } else {
        if (!svc || !status || strcmp(status, "ACTIVE")) {
            json_decref(res);
            return cp_fail(
                c, "%s: service %s is no longer active; check the ECS console and run apply again",
                c->address, w->ref.name);
        }
        const char *rollout = json_string_value(json_object_get(
            json_array_get(json_object_get(svc, "deployments"), 0), "rolloutState"));
        if (rollout && !strcmp(rollout, "FAILED")) {
            json_decref(res);
            return cp_fail(c, "%s: the deployment of service %s failed", c->address, w->ref.name);
        }
        *done = steady(svc);
    }
    json_decref(res);
    return 0;
}

/* Appends " Last events: …" (the newest three) to c->error. */
static void add_events(cp_provider_call *c, const svc_ref *r)
{
    json_t *res, *svc;
    char *saved = c->error;
    c->error = NULL;
    int rc = svc_describe(c, r, &res, &svc);
    free(c->error);
    c->error = saved;
    if (rc != 0) return;
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_printf(&b, "%s. Last events:", saved ? saved : "");
    const json_t *events = json_object_get(svc, "events");
    for (size_t i = 0; i < json_array_size(events) && i < 3; i++)
        cp_buf_printf(&b, "%s \"%s\"", i ? ";" : "",
                      json_string_value(json_object_get(json_array_get(events, i), "message")));
    if (!json_array_size(events)) cp_buf_printf(&b, " none");
    json_decref(res);
    free(c->error);
    c->error = cp_buf_steal(&b);
    for (char *p = c->error; *p; p++)
        if (*p == '\n') *p = ' ';
}

static int svc_wait_for(cp_provider_call *c, const cp_value *s, bool deleting)
{
    svc_wait w = { ref_of(s), deleting };
    char *what = cp_xasprintf(deleting ? "service %s to be deleted (INACTIVE)"
                                       : "service %s to reach a steady state",
                              w.ref.name);
    int rc =
        cp_aws_wait(c, what, deleting ? DELETE_TIMEOUT_S : STEADY_TIMEOUT_S, 3000, svc_check, &w);
    if (rc != 0 && !deleting && !(c->cancel && *c->cancel)) add_events(c, &w.ref);
    free(what);
    ref_free(&w.ref);
    return rc;
}

/* ---- requests --------------------------------------------------------------------------- */

static json_t *lbs_json(const cp_value *blocks)
{
    json_t *a = json_array();
    for (size_t i = 0; blocks && i < cp_len(blocks); i++) {
        const cp_value *b = cp_list_get(blocks, i);
        json_t *o = json_pack("{s:s, s:I}", "containerName", cp_get_str(b, "container_name"),
                              "containerPort", (json_int_t)cp_get_num(b, "container_port", 0));
        if (cp_get_str(b, "target_group_arn"))
            json_object_set_new(o, "targetGroupArn",
                                json_string(cp_get_str(b, "target_group_arn")));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *net_json(const cp_value *net)
{
    json_t *vpc = json_pack("{s:o, s:s}", "subnets", ecs_strings_json(cp_get_list(net, "subnets")),
                            "assignPublicIp",
                            cp_get_bool(net, "assign_public_ip", false) ? "ENABLED" : "DISABLED");
    json_t *sgs = ecs_strings_json(cp_get_list(net, "security_groups"));
    if (sgs) json_object_set_new(vpc, "securityGroups", sgs);
    return json_pack("{s:o}", "awsvpcConfiguration", vpc);
}

/* The fields CreateService and UpdateService share. */
static void common_fields(json_t *in, const cp_value *config)
{
    if (cp_get_str(config, "task_definition"))
        json_object_set_new(in, "taskDefinition",
                            json_string(cp_get_str(config, "task_definition")));
    json_object_set_new(in, "desiredCount",
                        json_integer((json_int_t)cp_get_num(config, "desired_count", 0)));
    const cp_value *net = cp_get_block(config, "network_configuration");
    if (net) json_object_set_new(in, "networkConfiguration", net_json(net));
    const cp_value *grace = cp_map_get(config, "health_check_grace_period_seconds");
    if (grace && cp_kind_of(grace) == CP_NUMBER)
        json_object_set_new(in, "healthCheckGracePeriodSeconds",
                            json_integer((json_int_t)cp_number_val(grace)));
}

static int svc_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *cluster = cp_get_str(config, "cluster");
    json_t *in = json_pack("{s:s, s:s}", "serviceName", cp_get_str(config, "name"), "cluster",
                           cluster ? cluster : "default"),
           *res;
    common_fields(in, config);
    if (cp_get_str(config, "launch_type"))
        json_object_set_new(in, "launchType", json_string(cp_get_str(config, "launch_type")));
    const cp_value *lbs = cp_get_list(config, "load_balancer");
    if (lbs && cp_len(lbs)) json_object_set_new(in, "loadBalancers", lbs_json(lbs));
    json_t *tags = ecs_tags_json(cp_get_map(config, "tags"));
    if (tags) json_object_set_new(in, "tags", tags);
    if (cp_intent_uuid(config)) /* the same token on a retry: one service */
        json_object_set_new(in, "clientToken", json_string(cp_intent_uuid(config)));
    int rc = ecs_call(c, "CreateService", in, NULL, &res);
    json_decref(in);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id",
               json_string_value(json_object_get(json_object_get(res, "service"), "serviceArn")));
    if (!cluster)
        cp_set_str(
            s, "cluster",
            json_string_value(json_object_get(json_object_get(res, "service"), "clusterArn")));
    json_decref(res);
    if (cp_get_bool(config, "wait_for_steady_state", false)) rc = svc_wait_for(c, s, false);
    return cp_aws_finish_take(c, rc, svc_read, s, "the service", state);
}

static int svc_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                      cp_value **state)
{
    svc_ref r = ref_of(old);
    json_t *in = json_pack("{s:s, s:s}", "cluster", r.cluster, "service", r.name);
    ref_free(&r);
    common_fields(in, config);
    if (cp_changed(old, config, "load_balancer"))
        json_object_set_new(in, "loadBalancers", lbs_json(cp_get_list(config, "load_balancer")));
    int rc = ecs_call(c, "UpdateService", in, NULL, NULL);
    json_decref(in);
    if (rc == 0 && cp_changed(old, config, "tags"))
        rc = ecs_update_tags(c, cp_get_str(old, "id"), cp_get_map(old, "tags"),
                             cp_get_map(config, "tags"));
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", cp_get_str(old, "id"));
    cp_set_str(s, "cluster", cp_get_str(old, "cluster"));
    if (cp_get_bool(config, "wait_for_steady_state", false)) rc = svc_wait_for(c, s, false);
    if (rc != 0) {
        cp_release(s);
        return -1;
    }
    rc = svc_read(c, s, state);
    cp_release(s);
    return rc;
}

static int svc_delete(cp_provider_call *c, const cp_value *state)
{
    static const char *const inactive[] = { "ServiceNotFoundException", "ClusterNotFoundException",
                                            "ServiceNotActiveException", NULL };
    svc_ref r = ref_of(state);
    json_t *in =
        json_pack("{s:s, s:s, s:i}", "cluster", r.cluster, "service", r.name, "desiredCount", 0);
    int rc = ecs_call(c, "UpdateService", in, inactive, NULL);
    json_decref(in);
    if (rc == 0) {
        in = json_pack("{s:s, s:s, s:b}", "cluster", r.cluster, "service", r.name, "force", 1);
        rc = ecs_call(c, "DeleteService", in, inactive, NULL);
        json_decref(in);
    }
    ref_free(&r);
    if (rc < 0) return -1;
    return svc_wait_for(c, state, true); /* also when a lost answer's retry found it draining */
}

static int svc_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, svc_read, id, state);
}

/* An interrupted create is found by its name, read as its id. */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, svc_read, intent, "name", state);
}

const cp_resource_type cp_aws_ecs_service = {
    .name = "aws_ecs_service",
    .description =
        "An ECS service; with wait_for_steady_state, create and update wait until the deployment"
        " settles (import by `<cluster>/<service>`).",
    .attrs = attrs,
    .create = svc_create,
    .read = svc_read,
    .read_batch = svc_read_batch,
    .update = svc_update,
    .delete = svc_delete,
    .import = svc_import,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "name",
    .find = rec_find,
};
