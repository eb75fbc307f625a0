/*
 * test_protocols.c: the four protocols. Parsers and error formats against
 * recorded AWS responses in fixtures/, params flattening, and end-to-end
 * calls through aws_client to a loopback server that records the wire
 * requests (query body, X-Amz-Target, S3 path-style and payload hash) and
 * replays fixtures, including pagination.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/aws.h"
#include "aws/endpoints.h"
#include "fake_env.h"
#include "stub_server.h"
#include "util/xalloc.h"

static char *fixture(const char *name)
{
    char *p = cp_xasprintf("%s/%s", getenv("CPSTACK_AWS_FIXTURES"), name);
    FILE *f = fopen(p, "rb");
    if (!f) fail_msg("missing fixture %s", p);
    free(p);
    cp_buf b = { 0 };
    char tmp[4096];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0) cp_buf_add(&b, tmp, k);
    fclose(f);
    return cp_buf_steal(&b);
}

static void fake_response(aws_http_response *r, long status, const char *body, const char *hname,
                          const char *hvalue)
{
    memset(r, 0, sizeof *r);
    r->status = status;
    cp_buf_adds(&r->body, body ? body : "");
    if (hname) {
        r->headers[0].name = cp_xstrdup(hname);
        r->headers[0].value = cp_xstrdup(hvalue);
        r->n_headers = 1;
    }
}

static void check_error(int proto, long status, const char *fix, const char *hname,
                        const char *hvalue, const char *code, const char *msg, const char *rid)
{
    char *body = fix ? fixture(fix) : NULL;
    aws_http_response r;
    fake_response(&r, status, body, hname, hvalue);
    aws_error e = { 0 };
    aws_error_from_response(proto, &r, &e);
    assert_int_equal(e.http_status, status);
    assert_string_equal(e.code, code);
    if (msg) assert_string_equal(e.message, msg);
    if (rid) assert_string_equal(e.request_id, rid);
    aws_error_clear(&e);
    aws_http_response_free(&r);
    free(body);
}

static void test_error_formats(void **state)
{
    check_error(AWS_PROTO_QUERY, 404, "iam_error_no_such_entity.xml", NULL, NULL, "NoSuchEntity",
                "The user with name Bob cannot be found.", "4f7e2b51-0f3c-11e5-a71a-EXAMPLE");
    check_error(AWS_PROTO_EC2_QUERY, 400, "ec2_error_not_found.xml", NULL, NULL,
                "InvalidInstanceID.NotFound", "The instance ID 'i-1a2b3c4d' does not exist",
                "ea966190-f9aa-478e-9ede-example");
    check_error(AWS_PROTO_REST_XML, 404, "s3_error_no_such_bucket.xml", NULL, NULL, "NoSuchBucket",
                "The specified bucket does not exist", "4442587FB7D0A2F9");
    check_error(AWS_PROTO_JSON, 400, "ecs_error_cluster_not_found.json", "x-amzn-RequestId",
                "b1a2c3", "ClusterNotFoundException", "Cluster not found.", "b1a2c3");
    check_error(AWS_PROTO_REST_JSON, 404, "lambda_error_not_found.json", "x-amzn-ErrorType",
                "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.lambda/",
                "ResourceNotFoundException", NULL, NULL);
    /* S3 HEAD: 404 and no body; with only the request id header. */
    check_error(AWS_PROTO_REST_XML, 404, NULL, "x-amz-request-id", "RID404", "NotFound", NULL,
                "RID404");
    check_error(AWS_PROTO_REST_XML, 403, NULL, NULL, NULL, "Forbidden", NULL, NULL);
    check_error(AWS_PROTO_JSON, 418, "", NULL, NULL, "HTTP418", NULL, NULL);
}

static void test_error_line(void **state)
{
    aws_error e = { 400,
                    cp_xstrdup("InvalidParameterValue"),
                    cp_xstrdup("Value (x) for parameter\ngroupId is invalid."),
                    cp_xstrdup("req-1"),
                    false,
                    false,
                    1,
                    false };
    char *s = aws_error_format(&e, "aws_security_group.web", "AuthorizeSecurityGroupIngress");
    assert_string_equal(s, "aws_security_group.web: AuthorizeSecurityGroupIngress: "
                           "InvalidParameterValue: Value (x) for parameter groupId is invalid. "
                           "(request id req-1)");
    free(s);
    free(e.request_id);
    e.request_id = NULL;
    s = aws_error_format(&e, NULL, "RunInstances");
    assert_string_equal(
        s, "RunInstances: InvalidParameterValue: Value (x) for parameter groupId is invalid.");
    free(s);
    assert_true(aws_error_is(&e, "InvalidParameterValue"));
    assert_false(aws_error_is(&e, "Invalid"));
    aws_error_clear(&e);
    assert_null(e.code);
}

static void test_xml_helpers(void **state)
{
    char *x = fixture("ec2_describe_instances.xml");
    xmlDocPtr doc = aws_xml_parse(x, strlen(x));
    xmlNodePtr root = aws_xml_root(doc);
    assert_non_null(root);
    xmlNodePtr inst = aws_xml_find(root, "reservationSet/item/instancesSet/item");
    char *id = aws_xml_text(inst, "instanceId"),
         *state_name = aws_xml_text(inst, "instanceState/name");
    assert_string_equal(id, "i-1234567890abcdef0");
    assert_string_equal(state_name, "running");
    free(id);
    free(state_name);
    assert_int_equal(aws_xml_count(inst, "groupSet/item"), 2);
    int n = 0;
    for (xmlNodePtr g = aws_xml_find(inst, "groupSet/item"); g; g = aws_xml_next(g)) {
        char *gid = aws_xml_text(g, "groupId");
        assert_string_equal(gid, n == 0 ? "sg-e4076980" : "sg-0ab1c2d3");
        free(gid);
        n++;
    }
    assert_int_equal(n, 2);
    char *tok = aws_xml_text(root, "nextToken");
    assert_string_equal(tok, "eyJ2IjoiMiIsImMiOiJ");
    free(tok);
    assert_null(aws_xml_text(root, "reservationSet/item/nope"));
    assert_non_null(aws_xml_find_any(root, "privateIpAddress"));
    xmlFreeDoc(doc);
    free(x);
    assert_null(aws_xml_parse("<a><b></a>", 10));
}

static void test_params_encoding(void **state)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "GroupName", "web sg/1");
    aws_params_addf(p, "instance-state-name", "Filter.%d.Name", 1);
    aws_params_addf(p, "running", "Filter.%d.Value.%d", 1, 1);
    const char *sgs[] = { "sg-1", "sg-2" };
    aws_params_add_list(p, "SecurityGroupId", sgs, 2);
    aws_params_add_list(p, "Subnets.member", sgs, 1);
    char *s = aws_params_encode(p);
    assert_string_equal(s, "GroupName=web%20sg%2F1&Filter.1.Name=instance-state-name&"
                           "Filter.1.Value.1=running&SecurityGroupId.1=sg-1&SecurityGroupId.2=sg-2&"
                           "Subnets.member.1=sg-1");
    free(s);
    aws_params_free(p);
}

/* ---- end to end through aws_client and a loopback server ---- */

typedef struct script {
    const char *resp[8];  /* raw responses, one per call */
    stub_request seen[8]; /* copies of what arrived */
    char headers[8][2048];
    char body[8][2048];
} script;

static void script_handler(void *ud, const stub_request *r, int n, cp_buf *resp)
{
    script *s = ud;
    if (n >= 8) return;
    memcpy(s->seen[n].method, r->method, sizeof r->method);
    memcpy(s->seen[n].target, r->target, sizeof r->target);
    snprintf(s->headers[n], sizeof s->headers[n], "%s", r->headers.data);
    snprintf(s->body[n], sizeof s->body[n], "%s", r->body.data);
    cp_buf_adds(resp, s->resp[n] ? s->resp[n] : "HTTP/1.1 500 X\r\nContent-Length: 0\r\n\r\n");
}

static char *http_resp(int status, const char *headers, const char *body)
{
    cp_buf b = { 0 };
    stub_respond(&b, status, headers, body);
    return cp_buf_steal(&b);
}

static const aws_credentials CREDS = { "AKIDTEST", "secret-test-key", NULL, 0 };

static aws_client *client_for(stub_server *srv)
{
    fake_env_reset();
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", stub_port(srv));
    fake_env_set("AWS_ENDPOINT_URL", url);
    fake_env_set("CPSTACK_RETRY_BASE_MS", "1");
    aws_client_options o = { .stack_region = "eu-west-1",
                             .getenv_fn = fake_getenv,
                             .static_credentials = &CREDS };
    char *err = NULL;
    aws_client *c = aws_client_new(&o, &err);
    assert_non_null(c);
    return c;
}

static void has_header(const char *headers, const char *line)
{
    if (!strstr(headers, line)) fail_msg("header \"%s\" not in:\n%s", line, headers);
}

static void test_query_call(void **state)
{
    char *ok = fixture("iam_create_user.xml"), *bad = fixture("iam_error_no_such_entity.xml");
    script s = { .resp = { http_resp(200, "Content-Type: text/xml\r\n", ok),
                           http_resp(404, "Content-Type: text/xml\r\n", bad) } };
    stub_server *srv = stub_start(script_handler, &s);
    aws_client *c = client_for(srv);
    aws_params *p = aws_params_new();
    aws_params_add(p, "UserName", "Bob");
    aws_params_add(p, "Path", "/division_abc/subdivision_xyz/");
    xmlDocPtr doc;
    aws_error err;
    assert_int_equal(aws_query_call(c, "iam", "CreateUser", p, &doc, &err), 0);
    char *arn = aws_xml_text(aws_xml_root(doc), "CreateUserResult/User/Arn");
    assert_string_equal(arn, "arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob");
    free(arn);
    xmlFreeDoc(doc);
    assert_string_equal(s.seen[0].method, "POST");
    assert_string_equal(s.seen[0].target, "/");
    assert_string_equal(s.body[0], "Action=CreateUser&Version=2010-05-08&UserName=Bob&"
                                   "Path=%2Fdivision_abc%2Fsubdivision_xyz%2F");
    has_header(s.headers[0], "Content-Type: application/x-www-form-urlencoded; charset=utf-8");
    has_header(s.headers[0],
               "/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date");

    assert_int_equal(aws_query_call(c, "iam", "GetUser", p, &doc, &err), -1);
    assert_null(doc);
    char *line = aws_error_format(&err, "aws_iam_user.bob", "GetUser");
    assert_string_equal(line, "aws_iam_user.bob: GetUser: NoSuchEntity: The user with name Bob "
                              "cannot be found. (request id 4f7e2b51-0f3c-11e5-a71a-EXAMPLE)");
    assert_false(err.retryable);
    assert_int_equal(err.attempts, 1);
    assert_int_equal(stub_calls(srv), 2);
    free(line);
    aws_error_clear(&err);
    aws_params_free(p);
    aws_client_free(c);
    stub_stop(srv);
    for (int i = 0; i < 2; i++) free((char *)s.resp[i]);
    free(ok);
    free(bad);
}

static int count_users(void *ud, xmlNodePtr root)
{
    int *n = ud;
    *n += (int)aws_xml_count(root, "ListUsersResult/Users/member");
    return 0;
}

static void test_query_paginate(void **state)
{
    char *p1 = fixture("iam_list_users_page1.xml"), *p2 = fixture("iam_list_users_page2.xml");
    script s = { .resp = { http_resp(200, NULL, p1), http_resp(200, NULL, p2) } };
    stub_server *srv = stub_start(script_handler, &s);
    aws_client *c = client_for(srv);
    aws_params *p = aws_params_new();
    aws_params_add(p, "PathPrefix", "/");
    aws_error err;
    int n = 0;
    assert_int_equal(aws_query_paginate(c, "iam", "ListUsers", p, "Marker",
                                        "ListUsersResult/Marker", count_users, &n, &err),
                     0);
    assert_int_equal(n, 3);
    assert_int_equal(stub_calls(srv), 2);
    assert_null(strstr(s.body[0], "Marker="));
    assert_non_null(strstr(s.body[1], "PathPrefix=%2F&Marker=AAIAAQ-page2"));
    aws_params_free(p);
    aws_client_free(c);
    stub_stop(srv);
    for (int i = 0; i < 2; i++) free((char *)s.resp[i]);
    free(p1);
    free(p2);
}

static void test_json_call(void **state)
{
    char *ok = fixture("ecs_create_cluster.json"),
         *bad = fixture("ecs_error_cluster_not_found.json");
    script s = { .resp = { http_resp(200, "x-amzn-RequestId: r1\r\n", ok),
                           http_resp(400, "x-amzn-RequestId: r2\r\n", bad) } };
    stub_server *srv = stub_start(script_handler, &s);
    aws_client *c = client_for(srv);
    json_t *in = json_pack("{s:s}", "clusterName", "my_cluster"), *out = NULL;
    aws_error err;
    assert_int_equal(
        aws_json_call(c, "ecs", "AmazonEC2ContainerServiceV20141113.CreateCluster", in, &out, &err),
        0);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(out, "cluster"), "status")), "ACTIVE");
    json_decref(out);
    assert_string_equal(s.body[0], "{\"clusterName\":\"my_cluster\"}");
    has_header(s.headers[0], "X-Amz-Target: AmazonEC2ContainerServiceV20141113.CreateCluster");
    has_header(s.headers[0], "Content-Type: application/x-amz-json-1.1");
    has_header(s.headers[0], "/eu-west-1/ecs/aws4_request");
    assert_int_equal(aws_json_call(c, "ecs", "AmazonEC2ContainerServiceV20141113.DescribeClusters",
                                   in, &out, &err),
                     -1);
    assert_null(out);
    assert_string_equal(err.code, "ClusterNotFoundException");
    assert_string_equal(err.request_id, "r2");
    aws_error_clear(&err);
    json_decref(in);
    aws_client_free(c);
    stub_stop(srv);
    for (int i = 0; i < 2; i++) free((char *)s.resp[i]);
    free(ok);
    free(bad);
}

static int count_groups(void *ud, json_t *page)
{
    *(int *)ud += (int)json_array_size(json_object_get(page, "logGroups"));
    return 0;
}

static void test_json_paginate(void **state)
{
    script s = {
        .resp = { http_resp(
                      200, NULL,
                      "{\"logGroups\":[{\"logGroupName\":\"a\"},{\"logGroupName\":\"b\"}],\"nextToken\":\"t2\"}"),
                  http_resp(200, NULL, "{\"logGroups\":[{\"logGroupName\":\"c\"}]}") }
    };
    stub_server *srv = stub_start(script_handler, &s);
    aws_client *c = client_for(srv);
    aws_error err;
    int n = 0;
    json_t *in = json_pack("{s:s}", "logGroupNamePrefix", "/ecs/");
    assert_int_equal(aws_json_paginate(c, "logs", "Logs_20140328.DescribeLogGroups", in,
                                       "nextToken", "nextToken", count_groups, &n, &err),
                     0);
    assert_int_equal(n, 3);
    assert_non_null(strstr(s.body[1], "\"nextToken\":\"t2\""));
    assert_null(json_object_get(in, "nextToken")); /* caller's body untouched */
    json_decref(in);
    aws_client_free(c);
    stub_stop(srv);
    for (int i = 0; i < 2; i++) free((char *)s.resp[i]);
}

static void test_rest_json_call(void **state)
{
    char *bad = fixture("lambda_error_not_found.json");
    script s = { .resp = {
                     http_resp(201, "Content-Type: application/json\r\n",
                               "{\"FunctionName\":\"my-fn\",\"State\":\"Pending\"}"),
                     http_resp(
                         404,
                         "x-amzn-ErrorType: ResourceNotFoundException\r\nx-amzn-RequestId: lr\r\n",
                         bad) } };
    stub_server *srv = stub_start(script_handler, &s);
    aws_client *c = client_for(srv);
    aws_error err;
    json_t *in = json_pack("{s:s,s:s}", "FunctionName", "my-fn", "Runtime", "python3.12"), *out;
    assert_int_equal(aws_rest_json_call(c, "lambda", "CreateFunction", "POST",
                                        "/2015-03-31/functions", NULL, in, &out, &err),
                     0);
    assert_string_equal(json_string_value(json_object_get(out, "State")), "Pending");
    json_decref(out);
    assert_string_equal(s.seen[0].target, "/2015-03-31/functions");
    has_header(s.headers[0], "/eu-west-1/lambda/aws4_request");
    assert_int_equal(aws_rest_json_call(c, "lambda", "GetFunction", "GET",
                                        "/2015-03-31/functions/my-fn", NULL, NULL, &out, &err),
                     -1);
    char *line = aws_error_format(&err, "aws_lambda_function.f", "GetFunction");
    assert_string_equal(
        line, "aws_lambda_function.f: GetFunction: ResourceNotFoundException: Function "
              "not found: arn:aws:lambda:us-east-1:123456789012:function:my-fn (request id lr)");
    free(line);
    aws_error_clear(&err);
    json_decref(in);
    aws_client_free(c);
    stub_stop(srv);
    for (int i = 0; i < 2; i++) free((char *)s.resp[i]);
    free(bad);
}

static void test_rest_xml_s3(void **state)
{
    script s = { .resp = { http_resp(200, "ETag: \"abc123\"\r\n", ""),
                           http_resp(404, "x-amz-request-id: R404\r\n", ""),
                           http_resp(200, NULL, "<ListBucketResult/>") } };
    stub_server *srv = stub_start(script_handler, &s);
    aws_client *c = client_for(srv);
    aws_error err;
    aws_header h[] = { { "Content-Type", "text/plain" }, { "If-None-Match", "*" } };
    aws_rest_request r = { .method = "PUT",
                           .bucket = "acme-state",
                           .key = "web/main dev.cpstate",
                           .headers = h,
                           .n_headers = 2,
                           .body = "hello",
                           .body_len = 5 };
    aws_response resp;
    assert_int_equal(aws_rest_call(c, "s3", "PutObject", &r, &resp, &err), 0);
    assert_string_equal(aws_response_header(&resp, "etag"), "\"abc123\"");
    aws_response_free(&resp);
    assert_string_equal(s.seen[0].method, "PUT");
    assert_string_equal(s.seen[0].target,
                        "/acme-state/web/main%20dev.cpstate"); /* path-style on IP */
    assert_string_equal(s.body[0], "hello");
    char hash[65];
    aws_sha256_hex("hello", 5, hash);
    char *want = cp_xasprintf("x-amz-content-sha256: %s", hash);
    has_header(s.headers[0], want);
    free(want);
    has_header(s.headers[0], "If-None-Match: *");
    has_header(s.headers[0],
               "SignedHeaders=content-type;host;if-none-match;x-amz-content-sha256;x-amz-date");

    aws_rest_request head = { .method = "HEAD", .bucket = "acme-state", .key = "missing" };
    assert_int_equal(aws_rest_call(c, "s3", "HeadObject", &head, &resp, &err), -1);
    assert_string_equal(err.code, "NotFound");
    assert_string_equal(err.request_id, "R404");
    aws_error_clear(&err);

    aws_params *q = aws_params_new();
    aws_params_add(q, "list-type", "2");
    aws_params_add(q, "prefix", "web/");
    aws_rest_request list = {
        .method = "GET", .bucket = "acme-state", .query = q, .unsigned_payload = true
    };
    assert_int_equal(aws_rest_call(c, "s3", "ListObjectsV2", &list, &resp, &err), 0);
    aws_response_free(&resp);
    assert_string_equal(s.seen[2].target, "/acme-state?list-type=2&prefix=web%2F");
    has_header(s.headers[2], "x-amz-content-sha256: UNSIGNED-PAYLOAD");
    aws_params_free(q);
    aws_client_free(c);
    stub_stop(srv);
    for (int i = 0; i < 3; i++) free((char *)s.resp[i]);
}

static void test_client_token(void **state)
{
    char a[37], b[37];
    aws_client_token(a);
    aws_client_token(b);
    assert_int_equal(strlen(a), 36);
    assert_int_equal(a[14], '4');
    assert_string_not_equal(a, b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_formats),  cmocka_unit_test(test_error_line),
        cmocka_unit_test(test_xml_helpers),    cmocka_unit_test(test_params_encoding),
        cmocka_unit_test(test_query_call),     cmocka_unit_test(test_query_paginate),
        cmocka_unit_test(test_json_call),      cmocka_unit_test(test_json_paginate),
        cmocka_unit_test(test_rest_json_call), cmocka_unit_test(test_rest_xml_s3),
        cmocka_unit_test(test_client_token),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
