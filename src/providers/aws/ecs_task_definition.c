/*
 * ecs_task_definition.c: aws_ecs_task_definition — one revision of a task
 * definition family (id = family, arn = the revision's ARN; import by
 * ARN). Task definitions are immutable: every change but tags registers a
 * new revision (force-new), and delete deregisters the revision.
 *
 * container_definitions is a JSON string. AWS answers with defaults the
 * user did not write (empty lists, "essential": true, "cpu": 0, port
 * mapping protocols …); read strips those from both sides before comparing,
 * so that a re-plan of an unchanged stack shows no change.
 *
 * No batch read: DescribeTaskDefinition takes one task definition a call.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/ecs_common.h"

#include <stdlib.h>
#include <string.h>

static const char *validate_containers(const cp_value *v)
{
    json_t *j = json_loads(cp_string_val(v), 0, NULL);
    bool ok = json_is_array(j) && json_array_size(j) > 0;
    size_t i;
    json_t *e;
    json_array_foreach(j, i, e) ok = ok && json_is_object(e) &&
                                     json_is_string(json_object_get(e, "name")) &&
                                     json_is_string(json_object_get(e, "image"));
    json_decref(j);
    return ok ? NULL
              : "container_definitions is a JSON list of containers, each with a \"name\" and an "
                "\"image\" (use jsonencode([...]))";
}

static const char *validate_compat(const cp_value *v)
{
    const char *s = cp_string_val(v);
    return !strcmp(s, "FARGATE") || !strcmp(s, "EC2") || !strcmp(s, "EXTERNAL")
               ? NULL
               : "requires_compatibilities holds \"FARGATE\", \"EC2\" or \"EXTERNAL\"";
}

static const char *validate_compats(const cp_value *v)
{
    for (size_t i = 0; i < cp_len(v); i++) {
        const char *why = validate_compat(cp_list_get(v, i));
        if (why) return why;
    }
    return NULL;
}

static const char *validate_mode(const cp_value *v)
{
    const char *s = cp_string_val(v);
    return !strcmp(s, "awsvpc") || !strcmp(s, "bridge") || !strcmp(s, "host") || !strcmp(s, "none")
               ? NULL
               : "network_mode is \"awsvpc\" (Fargate), \"bridge\", \"host\" or \"none\"";
}

static const cp_schema_attr attrs[] = {
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Family of the task definition." },
    { .name = "family",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = cp_validate_name_1_64,
      .description = "Name of the family; revisions are numbered within it." },
    { .name = "container_definitions",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW | CP_JSON,
      .validate = validate_containers,
      .description = "The containers, as a JSON list (e.g. from jsonencode())." },
    { .name = "requires_compatibilities",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW | CP_UNORDERED,
      .validate = validate_compats,
      .description = "Launch types the task must run on: FARGATE, EC2." },
    { .name = "network_mode",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .validate = validate_mode,
      .description = "Network mode: awsvpc (Fargate), bridge, host or none." },
    { .name = "cpu",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "CPU units of the task, e.g. `\"256\"`. Fargate requires it." },
    { .name = "memory",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "Memory of the task in MiB, e.g. `\"512\"`. Fargate requires it." },
    { .name = "execution_role_arn",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "ARN of the role ECS uses to pull images and write logs." },
    { .name = "task_role_arn",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "ARN of the role the containers run as." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the task definition." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of this revision." },
    { .name = "revision",
      .type = CP_AT_NUMBER,
      .flags = CP_COMPUTED,
      .description = "Number of this revision." },
    { NULL },
};

/* ---- container definitions: what AWS adds back ---------------------------------- */

static bool is_default(const char *key, json_t *v)
{
    if (json_is_null(v)) return true;
    if (json_is_array(v) && json_array_size(v) == 0) return true;
    if (json_is_object(v) && json_object_size(v) == 0) return true;
    if (!strcmp(key, "essential") && json_is_true(v)) return true;
    if (!strcmp(key, "cpu") && json_is_integer(v) && json_integer_value(v) == 0) return true;
    if (!strcmp(key, "protocol") && json_is_string(v) && !strcmp(json_string_value(v), "tcp"))
        return true;
    return false;
}

/* Strips defaults in place, recursively; a hostPort equal to its
 * containerPort (what awsvpc forces) counts as unset. */
static void strip_defaults(json_t *j)
{
    if (json_is_array(j)) {
        size_t i;
        json_t *e;
        json_array_foreach(j, i, e) strip_defaults(e);
        return;
    }
    if (!json_is_object(j)) return;
    const char *k;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(j, tmp, k, v)
    {
        strip_defaults(v);
        if (is_default(k, v)) json_object_del(j, k);
    }
    json_t *hp = json_object_get(j, "hostPort"), *cp = json_object_get(j, "containerPort");
    if (hp && cp && json_equal(hp, cp)) json_object_del(j, "hostPort");
}

static json_t *normalized(const char *text)
{
    json_t *j = text ? json_loads(text, 0, NULL) : NULL;
    strip_defaults(j);
    return j;
}

/* The container_definitions to keep in state: prev when it means what AWS
 * holds once defaults are ignored, else AWS's (defaults stripped). */
static cp_value *containers_keep(const char *prev, const json_t *fetched)
{
    json_t *f = json_deep_copy(fetched);
    strip_defaults(f);
    json_t *p = normalized(prev);
    cp_value *out;
    if (p && json_equal(p, f)) {
        out = cp_string(prev);
    } else {
        char *t = json_dumps(f, JSON_COMPACT);
        out = t ? cp_string_take(t) : cp_null();
    }
    json_decref(p);
    json_decref(f);
    return out;
}

/* ---- calls --------------------------------------------------------------------- */

static const char *const td_gone[] = { "ClientException", NULL };

static const char *td_ref(const cp_value *state)
{
    return cp_get_str(state, "arn") ? cp_get_str(state, "arn") : cp_get_str(state, "id");
}

static void td_fill(cp_value *s, const json_t *td, const cp_value *prev)
{
    cp_set_str(s, "id", json_string_value(json_object_get(td, "family")));
    cp_set_str(s, "family", json_string_value(json_object_get(td, "family")));
    cp_set_str(s, "arn", json_string_value(json_object_get(td, "taskDefinitionArn")));
    cp_set_num(s, "revision", (double)json_integer_value(json_object_get(td, "revision")));
    cp_set_take(s, "container_definitions",
                containers_keep(cp_get_str(prev, "container_definitions"),
                                json_object_get(td, "containerDefinitions")));
    json_t *rc = json_object_get(td, "requiresCompatibilities");
    cp_set_take(s, "requires_compatibilities", rc ? ecs_strings_read(rc) : cp_null());
    cp_set_str(s, "network_mode", json_string_value(json_object_get(td, "networkMode")));
    cp_set_str(s, "cpu", json_string_value(json_object_get(td, "cpu")));
    cp_set_str(s, "memory", json_string_value(json_object_get(td, "memory")));
    cp_set_str(s, "execution_role_arn", json_string_value(json_object_get(td, "executionRoleArn")));
    cp_set_str(s, "task_role_arn", json_string_value(json_object_get(td, "taskRoleArn")));
}

static int td_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    json_t *in = json_pack("{s:s, s:[s]}", "taskDefinition", td_ref(state), "include", "TAGS"),
           *res;
    int rc = ecs_call(c, "DescribeTaskDefinition", in, td_gone, &res);
    json_decref(in);
    if (rc != 0) return rc < 0 ? -1 : 0;
    json_t *td = json_object_get(res, "taskDefinition");
    const char *status = json_string_value(json_object_get(td, "status"));
    if (td && (!status || strcmp(status, "INACTIVE"))) {
        cp_value *s = cp_state_complete(attrs, state);
        td_fill(s, td, state);
        cp_set_take(s, "tags",
                    ecs_tags_read(json_object_get(res, "tags"), cp_map_get(state, "tags")));
        *out = s;
    }
    json_decref(res);
    return 0;
}

static void opt_str(json_t *in, const char *key, const char *v)
{
    if (v) json_object_set_new(in, key, json_string(v));
}

static int td_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    json_t *containers = json_loads(cp_get_str(config, "container_definitions"), 0, NULL);
    if (!containers)
        return cp_fail(c,
                       "%s: container_definitions is not valid JSON; build it with "
                       "jsonencode([...])",
                       c->address);
    json_t *in = json_pack("{s:s, s:o}", "family", cp_get_str(config, "family"),
                           "containerDefinitions", containers);
    json_t *compat = ecs_strings_json(cp_get_list(config, "requires_compatibilities"));
    if (compat) json_object_set_new(in, "requiresCompatibilities", compat);
    opt_str(in, "networkMode", cp_get_str(config, "network_mode"));
    opt_str(in, "cpu", cp_get_str(config, "cpu"));
    opt_str(in, "memory", cp_get_str(config, "memory"));
    opt_str(in, "executionRoleArn", cp_get_str(config, "execution_role_arn"));
    opt_str(in, "taskRoleArn", cp_get_str(config, "task_role_arn"));
    json_t *tags = ecs_tags_json(cp_get_map(config, "tags")), *res;
    if (tags) json_object_set_new(in, "tags", tags);
    aws_set_no_resend(true); /* a retry would register a second revision */
    int rc = ecs_call(c, "RegisterTaskDefinition", in, NULL, &res);
    aws_set_no_resend(false);
    json_decref(in);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    json_t *td = json_object_get(res, "taskDefinition");
    cp_set_str(s, "id", cp_get_str(config, "family"));
    cp_set_str(s, "arn", json_string_value(json_object_get(td, "taskDefinitionArn")));
    json_decref(res);
    return cp_aws_finish_take(c, 0, td_read, s, "the task definition", state);
}

static int td_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                     cp_value **state)
{
    if (ecs_update_tags(c, cp_get_str(old, "arn"), cp_get_map(old, "tags"),
                        cp_get_map(config, "tags")) != 0)
        return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", cp_get_str(old, "id"));
    cp_set_str(s, "arn", cp_get_str(old, "arn"));
    int rc = td_read(c, s, state);
    cp_release(s);
    return rc;
}

static int td_delete(cp_provider_call *c, const cp_value *state)
{
    json_t *in = json_pack("{s:s}", "taskDefinition", td_ref(state));
    int rc = ecs_call(c, "DeregisterTaskDefinition", in, td_gone, NULL);
    json_decref(in);
    return rc < 0 ? -1 : 0;
}

static int td_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, td_read, id, state);
}

/* An interrupted create is found by its family, read as its id. */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, td_read, intent, "family", state);
}

const cp_resource_type cp_aws_ecs_task_definition = {
    .name = "aws_ecs_task_definition",
    .description =
        "One revision of an ECS task definition; changes register a new one (import by ARN).",
    .attrs = attrs,
    .create = td_create,
    .read = td_read,
    .update = td_update,
    .delete = td_delete,
    .import = td_import,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "family",
    .find = rec_find,
};
