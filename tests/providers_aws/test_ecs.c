/*
 * test_ecs.c: the ECS types (src/providers/aws/ecs_*.c: aws_ecs_cluster,
 * aws_ecs_task_definition, aws_ecs_service) against the emulator: create /
 * read / update / delete / import, deletion behind cpstack's back,
 * container definitions that AWS fills with defaults reading back without
 * a change, the service's steady-state wait and its failure report (the
 * emulator's pending_polls setting keeps a service from settling), and
 * validation messages. Load balancers come from the ELBv2 types, the
 * network from fixture_vpc.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture_vpc.h"

/* ECS's answer: first of `list` from call (new reference), or NULL. */
static json_t *ecs_first(cpt_env *e, const char *list, const char *call)
{
    json_t *r = cpt_aws(e, "ecs", "%s", call);
    json_t *j = json_is_array(json_object_get(r, list))
                    ? json_incref(json_array_get(json_object_get(r, list), 0))
                    : json_incref(json_object_get(r, list));
    json_decref(r);
    return j;
}

/* Cluster web as DescribeClusters shows it (settings and tags included). */
static json_t *cluster_web(cpt_env *e)
{
    return ecs_first(e, "clusters",
                     "describe_clusters(clusters=['web'], include=['SETTINGS', 'TAGS'])");
}

/* Revision web:1 as DescribeTaskDefinition shows it. */
static json_t *td_web1(cpt_env *e)
{
    return ecs_first(e, "taskDefinition", "describe_task_definition(taskDefinition='web:1')");
}

/* Service app of cluster web as DescribeServices shows it. */
static json_t *service_app(cpt_env *e)
{
    return ecs_first(e, "services", "describe_services(cluster='web', services=['app'])");
}

/* Keeps ECS deployments pending for n polls (the emulator's setting): only
 * our emulator can, so each caller names the check it is for. */
static void set_polls(cpt_env *e, int n)
{
    if (cpt_on_moto()) return; /* the checks needing it are guarded by cpt_emulator_only */
    char body[64];
    snprintf(body, sizeof body, "{\"pending_polls\": %d}", n);
    json_decref(cpt_admin(e, "POST", "settings", body));
}

static cp_value *create(cpt_env *e, const char *type, cp_value *cfg)
{
    cp_value *s = NULL;
    char *err = NULL;
    if (cpt_create(e, type, cfg, &s, &err) != 0) fail_msg("%s", err);
    cp_release(cfg);
    return s;
}

/* ---- aws_ecs_cluster ------------------------------------------------------------------- */

static void test_cluster(void **st)
{
    cpt_env *e = *st;
    cp_value *s = cpt_create_ok(
        e, "aws_ecs_cluster",
        "{\"name\": \"web\", \"setting\": [{\"name\": "
        "\"containerInsights\", \"value\": \"enabled\"}], \"tags\": {\"app\": \"web\"}}");
    assert_string_equal(cpt_str(s, "id"), "arn:aws:ecs:us-east-1:123456789012:cluster/web");
    assert_string_equal(cpt_str(s, "arn"), cpt_str(s, "id"));
    json_t *c = cluster_web(e);
    assert_string_equal(json_string_value(cpt_path(c, "status")), "ACTIVE");
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(c, "settings"), 0), "value")),
                        "enabled");
    json_decref(c);
    cp_value *r = cpt_read_ok(e, "aws_ecs_cluster", s);
    assert_true(cp_equal(r, s));

    cp_value *s2 = cpt_update_ok(
        e, "aws_ecs_cluster", s,
        "{\"name\": \"web\", \"setting\": [{\"name\": "
        "\"containerInsights\", \"value\": \"disabled\"}], \"tags\": {\"env\": \"dev\"}}");
    c = cluster_web(e);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(c, "settings"), 0), "value")),
                        "disabled");
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(c, "tags"), 0), "key")),
        "env");
    json_decref(c);
    cp_value *imp = cpt_import_ok(e, "aws_ecs_cluster", "web");
    cpt_assert_same(imp, s2, (const char *const[]){ "id", "name", "arn", "setting", "tags", NULL });
    cpt_delete_ok(e, "aws_ecs_cluster", s2);
    c = cluster_web(e);
    assert_string_equal(json_string_value(cpt_path(c, "status")), "INACTIVE");
    json_decref(c);
    assert_null(cpt_read_ok(e, "aws_ecs_cluster", s2));

    /* no setting block: AWS's default is not shown as a change */
    cp_value *plain = cpt_create_ok(e, "aws_ecs_cluster", "{\"name\": \"plain\", \"setting\": []}");
    assert_int_equal(cp_len(cp_map_get(plain, "setting")), 0);
    assert_int_equal(cpt_boto(e, "ecs", "delete_cluster(cluster='plain')"), 0);
    assert_null(cpt_read_ok(e, "aws_ecs_cluster", plain));
    cpt_delete_ok(e, "aws_ecs_cluster", plain);
    assert_non_null(strstr(cpt_validate("aws_ecs_cluster", "name", "\"a b\""), "255"));
    cp_release(s);
    cp_release(r);
    cp_release(s2);
    cp_release(imp);
    cp_release(plain);
}

/* ---- aws_ecs_task_definition ------------------------------------------------------------- */

#define CONTAINERS                                                                                 \
    "[{\\\"name\\\": \\\"app\\\", \\\"image\\\": \\\"repo/app:1\\\", "                             \
    "\\\"portMappings\\\": [{\\\"containerPort\\\": 8080}]}]"

static cp_value *make_td(cpt_env *e, const char *image_tag, const char *tags)
{
    return create(
        e, "aws_ecs_task_definition",
        cpt_valf(
            "{\"family\": \"web\", \"container_definitions\": \"[{\\\"name\\\": \\\"app\\\", "
            "\\\"image\\\": \\\"repo/app:%s\\\", \\\"portMappings\\\": [{\\\"containerPort\\\": 8080}]}]\","
            " \"requires_compatibilities\": [\"FARGATE\"], \"network_mode\": \"awsvpc\", \"cpu\": \"256\","
            " \"memory\": \"512\", \"execution_role_arn\": \"arn:aws:iam::123456789012:role/exec\","
            " \"tags\": %s}",
            image_tag, tags));
}

static void test_task_definition(void **st)
{
    cpt_env *e = *st;
    cp_value *s = make_td(e, "1", "{\"app\": \"web\"}");
    assert_string_equal(cpt_str(s, "id"), "web");
    assert_string_equal(cpt_str(s, "arn"),
                        "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1");
    assert_int_equal((int)cp_number_val(cp_map_get(s, "revision")), 1);
    json_t *td = td_web1(e);
    json_t *rev = td;
    assert_string_equal(json_string_value(json_object_get(rev, "cpu")), "256");
    assert_string_equal(
        json_string_value(json_object_get(
            json_array_get(json_object_get(rev, "containerDefinitions"), 0), "image")),
        "repo/app:1");
    json_decref(td);
    cp_value *r = cpt_read_ok(e, "aws_ecs_task_definition", s);
    assert_true(cp_equal(r, s));

    /* tags change in place: same revision */
    cp_value *cfg2 = cpt_valf(
        "{\"family\": \"web\", \"container_definitions\": \"%s\", \"requires_compatibilities\":"
        " [\"FARGATE\"], \"network_mode\": \"awsvpc\", \"cpu\": \"256\", \"memory\": \"512\","
        " \"execution_role_arn\": \"arn:aws:iam::123456789012:role/exec\", \"tags\": {\"b\": \"2\"}}",
        CONTAINERS);
    cp_value *s2 = NULL;
    char *err = NULL;
    if (cpt_update(e, "aws_ecs_task_definition", s, cfg2, &s2, &err) != 0) fail_msg("%s", err);
    assert_string_equal(cpt_str(s2, "arn"), cpt_str(s, "arn"));
    assert_string_equal(cpt_str(cp_map_get(s2, "tags"), "b"), "2");

    cp_value *imp = cpt_import_ok(e, "aws_ecs_task_definition", cpt_str(s, "arn"));
    cpt_assert_same(imp, s2,
                    (const char *const[]){ "id", "family", "arn", "revision", "network_mode", "cpu",
                                           "memory", "execution_role_arn",
                                           "requires_compatibilities", "tags", NULL });
    cpt_delete_ok(e, "aws_ecs_task_definition", s2);
    td = td_web1(e);
    assert_string_equal(json_string_value(json_object_get(td, "status")), "INACTIVE");
    json_decref(td);
    assert_null(cpt_read_ok(e, "aws_ecs_task_definition", s2));
    cp_release(s);
    cp_release(r);
    cp_release(cfg2);
    cp_release(s2);
    cp_release(imp);
}

/* AWS answers with defaults the user never wrote; read must not show a change. */
static void test_task_definition_defaults(void **st)
{
    cpt_env *e = *st;
    assert_int_equal(
        cpt_boto(
            e, "ecs",
            "register_task_definition(family='full', containerDefinitions=[{"
            "'name': 'app', 'image': 'repo/app:1', 'cpu': 0, 'essential': True, 'environment': [],"
            " 'mountPoints': [], 'volumesFrom': [], 'portMappings': [{'containerPort': 8080,"
            " 'hostPort': 8080, 'protocol': 'tcp'}]}], networkMode='awsvpc', memory='512')"),
        0);
    cp_value *prev = cpt_valf(
        "{\"id\": \"full\", \"arn\": \"arn:aws:ecs:us-east-1:123456789012:task-definition/full:1\","
        " \"family\": \"full\", \"container_definitions\": \"%s\"}",
        CONTAINERS);
    cp_value *r = cpt_read_ok(e, "aws_ecs_task_definition", prev);
    assert_non_null(r);
    assert_string_equal(cpt_str(r, "container_definitions"),
                        cpt_str(prev, "container_definitions"));

    /* a real difference shows AWS's version, defaults stripped */
    cp_value *prev2 = cpt_valf(
        "{\"id\": \"full\", \"arn\": \"arn:aws:ecs:us-east-1:123456789012:task-definition/full:1\","
        " \"container_definitions\": \"[{\\\"name\\\": \\\"app\\\", \\\"image\\\": \\\"other\\\"}]\"}");
    cp_value *r2 = cpt_read_ok(e, "aws_ecs_task_definition", prev2);
    assert_non_null(strstr(cpt_str(r2, "container_definitions"), "repo/app:1"));
    assert_null(strstr(cpt_str(r2, "container_definitions"), "mountPoints"));

    assert_non_null(strstr(
        cpt_validate("aws_ecs_task_definition", "container_definitions", "\"{}\""), "JSON list"));
    assert_non_null(strstr(cpt_validate("aws_ecs_task_definition", "container_definitions",
                                        "\"[{\\\"name\\\": \\\"x\\\"}]\""),
                           "image"));
    assert_non_null(
        strstr(cpt_validate("aws_ecs_task_definition", "network_mode", "\"vpc\""), "awsvpc"));
    assert_non_null(
        strstr(cpt_validate("aws_ecs_task_definition", "requires_compatibilities", "[\"LAMBDA\"]"),
               "FARGATE"));
    cp_release(prev);
    cp_release(r);
    cp_release(prev2);
    cp_release(r2);
}

/* ---- aws_ecs_service ------------------------------------------------------------------- */

typedef struct stack {
    cpt_vpc v;
    cp_value *cluster, *td, *lb, *tg, *listener;
} stack;

static void stack_make(cpt_env *e, stack *k)
{
    cpt_vpc_make(e, &k->v);
    k->cluster = cpt_create_ok(e, "aws_ecs_cluster", "{\"name\": \"web\"}");
    k->td = make_td(e, "1", "null");
    k->lb =
        create(e, "aws_lb",
               cpt_valf("{\"name\": \"web\", \"subnets\": [\"%s\", \"%s\"], \"idle_timeout\": 60}",
                        k->v.subnet[0], k->v.subnet[1]));
    k->tg = create(e, "aws_lb_target_group",
                   cpt_valf("{\"name\": \"web\", \"port\": 8080, \"protocol\": \"HTTP\","
                            " \"vpc_id\": \"%s\", \"target_type\": \"ip\"}",
                            k->v.vpc));
    k->listener = create(e, "aws_lb_listener",
                         cpt_valf("{\"load_balancer_arn\": \"%s\", \"port\": 80, \"protocol\":"
                                  " \"HTTP\", \"default_action\": [{\"type\": \"forward\","
                                  " \"target_group_arn\": \"%s\"}]}",
                                  cpt_str(k->lb, "arn"), cpt_str(k->tg, "arn")));
}

static void stack_free(stack *k)
{
    cp_release(k->cluster);
    cp_release(k->td);
    cp_release(k->lb);
    cp_release(k->tg);
    cp_release(k->listener);
}

/* wait_for_steady_state is on where tasks run (the emulator); moto has
 * no data plane, its services never settle (README's moto gaps). */
static cp_value *service_config(const stack *k, int count, const char *td, const char *extra)
{
    return cpt_valf(
        "{\"name\": \"app\", \"cluster\": \"%s\", \"task_definition\": \"%s\", \"desired_count\": %d,"
        " \"launch_type\": \"FARGATE\", \"load_balancer\": [{\"target_group_arn\": \"%s\","
        " \"container_name\": \"app\", \"container_port\": 8080}], \"network_configuration\": [{"
        "\"subnets\": [\"%s\", \"%s\"], \"security_groups\": [\"%s\"], \"assign_public_ip\": true}],"
        " \"health_check_grace_period_seconds\": 30, \"wait_for_steady_state\": %s%s}",
        cpt_str(k->cluster, "arn"), td, count, cpt_str(k->tg, "arn"), k->v.subnet[0],
        k->v.subnet[1], k->v.sg, cpt_on_moto() ? "false" : "true", extra);
}

static void test_service(void **st)
{
    cpt_env *e = *st;
    stack k;
    stack_make(e, &k);
    set_polls(e, 2);
    cp_value *s =
        create(e, "aws_ecs_service", service_config(&k, 2, "web:1", ", \"tags\": {\"a\": \"1\"}"));
    assert_string_equal(cpt_str(s, "id"), "arn:aws:ecs:us-east-1:123456789012:service/web/app");
    json_t *svc = service_app(e);
    assert_non_null(svc);
    assert_int_equal(json_integer_value(json_object_get(svc, "desiredCount")), 2);
    if (cpt_emulator_only(e, "create waited for 2 running tasks, one deployment (moto runs no "
                             "tasks)")) {
        assert_int_equal(json_integer_value(json_object_get(svc, "runningCount")), 2);
        assert_int_equal(json_array_size(json_object_get(svc, "deployments")), 1);
    }
    json_decref(svc);
    assert_string_equal(cpt_str(s, "task_definition"), "web:1"); /* as written, not the ARN */
    cp_value *r = cpt_read_ok(e, "aws_ecs_service", s);
    assert_true(cp_equal(r, s));

    /* a new revision and more tasks, in place */
    cp_value *td2 = make_td(e, "2", "null");
    cp_value *s2 = NULL;
    char *err = NULL;
    cp_value *cfg2 = service_config(&k, 3, cpt_str(td2, "arn"), "");
    if (cpt_update(e, "aws_ecs_service", s, cfg2, &s2, &err) != 0) fail_msg("%s", err);
    svc = service_app(e);
    assert_int_equal(json_integer_value(json_object_get(svc, "desiredCount")), 3);
    if (cpt_emulator_only(e, "update waited for 3 running tasks (moto runs no tasks)"))
        assert_int_equal(json_integer_value(json_object_get(svc, "runningCount")), 3);
    assert_string_equal(json_string_value(json_object_get(svc, "taskDefinition")),
                        cpt_str(td2, "arn"));
    json_decref(svc);
    assert_int_equal((int)cp_number_val(cp_map_get(s2, "desired_count")), 3);

    cp_value *imp = cpt_import_ok(e, "aws_ecs_service", "web/app");
    cpt_assert_same(imp, s2,
                    (const char *const[]){ "id", "name", "desired_count", "task_definition",
                                           "launch_type", "load_balancer", "network_configuration",
                                           "health_check_grace_period_seconds", NULL });
    cpt_delete_ok(e, "aws_ecs_service", s2);
    svc = service_app(e);
    assert_string_equal(json_string_value(json_object_get(svc, "status")), "INACTIVE");
    json_decref(svc);
    assert_null(cpt_read_ok(e, "aws_ecs_service", s2));
    cpt_delete_ok(e, "aws_ecs_cluster", k.cluster); /* no active service left */
    cp_release(s);
    cp_release(r);
    cp_release(td2);
    cp_release(s2);
    cp_release(cfg2);
    cp_release(imp);
    stack_free(&k);
}

static void test_service_never_steady(void **st)
{
    cpt_env *e = *st;
    stack k;
    stack_make(e, &k);
    cp_value *s = create(e, "aws_ecs_service", service_config(&k, 1, "web:1", ""));
    cp_value *cfg2 = service_config(&k, 4, "web:1", ""), *s2 = NULL;
    char *err = NULL;
    if (cpt_emulator_only(e, "a deployment kept pending (/_emulator/settings): the steady-state "
                             "wait gives up with the last events")) {
        /* now keep every deployment pending, and make the 20-minute wait short */
        set_polls(e, 1000000);
        setenv("CPSTACK_WAIT_SCALE", "0.0005", 1);
        assert_int_equal(cpt_update(e, "aws_ecs_service", s, cfg2, &s2, &err), -1);
        setenv("CPSTACK_WAIT_SCALE", "0.01", 1);
        assert_non_null(strstr(err, "aws_ecs_service.test"));
        assert_non_null(strstr(err, "steady state"));
        assert_non_null(strstr(err, "Last events:"));
        assert_non_null(
            strstr(err, "(service app) has reached a steady state.")); /* the event, quoted */
        assert_null(strchr(err, '\n'));
        free(err);
    }

    /* without waiting, create returns at once */
    cp_value *nw = create(
        e, "aws_ecs_service",
        cpt_valf(
            "{\"name\": \"nowait\", \"cluster\": \"web\", \"task_definition\":"
            " \"web\", \"desired_count\": 1, \"launch_type\": \"FARGATE\","
            " \"network_configuration\": [{\"subnets\": [\"%s\"], \"security_groups\": [\"%s\"]}],"
            " \"wait_for_steady_state\": false}",
            k.v.subnet[0], k.v.sg));
    assert_string_equal(cpt_str(nw, "cluster"), "web");
    assert_string_equal(cpt_str(nw, "task_definition"), "web");
    set_polls(e, 0);
    assert_int_equal(
        cpt_boto(e, "ecs", "delete_service(cluster='web', service='nowait', force=True)"), 0);
    assert_null(cpt_read_ok(e, "aws_ecs_service", nw));

    assert_non_null(
        strstr(cpt_validate("aws_ecs_service", "launch_type", "\"LAMBDA\""), "FARGATE"));
    assert_non_null(strstr(cpt_validate("aws_ecs_service", "desired_count", "-1"), "0 or more"));
    cp_release(s);
    cp_release(cfg2);
    cp_release(s2);
    cp_release(nw);
    stack_free(&k);
}

/* Terraform's default: no wait. A service that never settles (every
 * deployment kept pending) is created at once when wait_for_steady_state is
 * not given. */
static void test_service_default_no_wait(void **st)
{
    cpt_env *e = *st;
    stack k;
    stack_make(e, &k);
    set_polls(e, 1000000);
    setenv("CPSTACK_WAIT_SCALE", "0.0005", 1);
    cp_value *cfg = cpt_valf(
        "{\"name\": \"dflt\", \"cluster\": \"web\", \"task_definition\":"
        " \"web\", \"desired_count\": 1, \"launch_type\": \"FARGATE\","
        " \"network_configuration\": [{\"subnets\": [\"%s\"], \"security_groups\": [\"%s\"]}]}",
        k.v.subnet[0], k.v.sg);
    cp_value *s = NULL;
    char *err = NULL;
    int rc = cpt_create(e, "aws_ecs_service", cfg, &s, &err);
    setenv("CPSTACK_WAIT_SCALE", "0.01", 1);
    if (rc != 0) fail_msg("create without wait_for_steady_state waited: %s", err);
    assert_false(cp_bool_val(cp_map_get(s, "wait_for_steady_state")));
    const cp_resource_type *t = cpt_type("aws_ecs_service");
    for (const cp_schema_attr *a = t->attrs; a->name; a++)
        if (strcmp(a->name, "wait_for_steady_state") == 0)
            assert_string_equal(a->default_json, "false");
    set_polls(e, 0);
    cpt_delete_ok(e, "aws_ecs_service", s);
    cp_release(cfg);
    cp_release(s);
    stack_free(&k);
}

/* Refresh of many services and clusters: DescribeServices names 10 services of a cluster
 * a call and DescribeClusters 100 clusters, tags included; what they leave out (or show
 * INACTIVE) is gone. 13 services in 2 calls, 4 clusters in 1. */
static void test_read_batch(void **st)
{
    cpt_env *e = *st;
    enum { N = 12 };
    stack k;
    stack_make(e, &k);
    set_polls(e, 0);
    const cp_value *states[N + 1], *cstates[4];
    cp_value *made[N + 1], *out[N + 1], *clusters[4], *cout[4];
    for (int i = 0; i < N; i++) {
        made[i] =
            create(e, "aws_ecs_service",
                   cpt_valf("{\"name\": \"svc-%d\", \"cluster\": \"web\", \"task_definition\":"
                            " \"web\", \"desired_count\": %d, \"launch_type\": \"FARGATE\","
                            " \"network_configuration\": [{\"subnets\": [\"%s\"], "
                            "\"security_groups\": [\"%s\"]}], \"tags\": {\"n\": \"%d\"}}",
                            i, i % 3, k.v.subnet[0], k.v.sg, i));
        states[i] = made[i];
    }
    made[N] = cpt_val("{\"id\": \"arn:aws:ecs:us-east-1:123456789012:service/web/never\", "
                      "\"cluster\": \"web\"}");
    states[N] = made[N];
    assert_int_equal(
        cpt_boto(e, "ecs", "delete_service(cluster='web', service='svc-4', force=True)"), 0);
    long calls = cpt_read_batch_ok(e, "aws_ecs_service", states, N + 1, out);
    assert_null(out[N]);
    assert_int_equal((int)cp_number_val(cp_map_get(out[5], "desired_count")), 2);
    assert_string_equal(cpt_str(cp_map_get(out[11], "tags"), "n"), "11");
    if (calls >= 0) assert_int_equal(calls, 2);
    for (int i = 0; i <= N; i++) {
        cp_release(out[i]);
        if (i != 4 && i != N) cpt_delete_ok(e, "aws_ecs_service", made[i]);
        cp_release(made[i]);
    }
    clusters[0] = cp_retain(k.cluster);
    clusters[1] =
        cpt_create_ok(e, "aws_ecs_cluster", "{\"name\": \"batch-c1\", \"tags\": {\"a\": \"1\"}}");
    clusters[2] = cpt_create_ok(e, "aws_ecs_cluster", "{\"name\": \"batch-c2\"}");
    clusters[3] = cpt_val("{\"id\": \"arn:aws:ecs:us-east-1:123456789012:cluster/never\"}");
    for (int i = 0; i < 4; i++) cstates[i] = clusters[i];
    calls = cpt_read_batch_ok(e, "aws_ecs_cluster", cstates, 4, cout);
    assert_null(cout[3]);
    assert_string_equal(cpt_str(cp_map_get(cout[1], "tags"), "a"), "1");
    assert_string_equal(cpt_str(cout[2], "name"), "batch-c2");
    if (calls >= 0) assert_int_equal(calls, 1);
    for (int i = 0; i < 4; i++) {
        cp_release(cout[i]);
        if (i == 1 || i == 2) cpt_delete_ok(e, "aws_ecs_cluster", clusters[i]);
        cp_release(clusters[i]);
    }
    stack_free(&k);
}

static int setup(void **st)
{
    *st = cpt_start();
    return *st ? 0 : -1;
}
static int teardown(void **st)
{
    cpt_stop(*st);
    return 0;
}
static int reset(void **st)
{
    cpt_reset(*st);
    set_polls(*st, 1);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_cluster, reset),
        cmocka_unit_test_setup(test_task_definition, reset),
        cmocka_unit_test_setup(test_task_definition_defaults, reset),
        cmocka_unit_test_setup(test_service, reset),
        cmocka_unit_test_setup(test_service_never_steady, reset),
        cmocka_unit_test_setup(test_service_default_no_wait, reset),
        cmocka_unit_test_setup(test_read_batch, reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
