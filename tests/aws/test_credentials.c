/*
 * test_credentials.c: the credentials chain: environment, profile files in
 * a temp HOME (static keys, [profile x] in config, AWS_PROFILE, missing
 * profile), role_arn + source_profile through a loopback STS, the ECS
 * container endpoint, IMDSv2 (token then role), the "no credentials" error
 * and refresh before expiry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aws/config_file.h"
#include "aws/credentials.h"
#include "aws/http.h"
#include "fake_env.h"
#include "stub_server.h"
#include "util/xalloc.h"

static char tmpdir[64];

static void write_file(const char *name, const char *text)
{
    char *p = cp_xasprintf("%s/%s", tmpdir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    free(p);
}

static int setup(void **state)
{
    fake_env_reset();
    snprintf(tmpdir, sizeof tmpdir, "/tmp/cpstack-aws-creds-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    fake_env_set("HOME", tmpdir);
    char *c = cp_xasprintf("%s/credentials", tmpdir), *f = cp_xasprintf("%s/config", tmpdir);
    fake_env_set("AWS_SHARED_CREDENTIALS_FILE", c);
    fake_env_set("AWS_CONFIG_FILE", f);
    fake_env_set("AWS_EC2_METADATA_DISABLED", "true");
    free(c);
    free(f);
    return 0;
}

static int teardown(void **state)
{
    const char *names[] = { "credentials", "config", "token" };
    for (size_t i = 0; i < 3; i++) {
        char *p = cp_xasprintf("%s/%s", tmpdir, names[i]);
        unlink(p);
        free(p);
    }
    rmdir(tmpdir);
    return 0;
}

static int chain_get(aws_http *http, const char *profile, aws_credentials *out, cp_buf *why)
{
    aws_creds_env env = {
        .getenv_fn = fake_getenv, .http = http, .profile = profile, .region = "us-east-1"
    };
    aws_creds_chain *c = aws_creds_chain_new(&env);
    int ok = aws_creds_chain_get(c, time(NULL), out, why);
    aws_creds_chain_free(c);
    return ok;
}

static void test_env(void **state)
{
    fake_env_set("AWS_ACCESS_KEY_ID", "AKIDENV");
    fake_env_set("AWS_SECRET_ACCESS_KEY", "secretenv");
    fake_env_set("AWS_SESSION_TOKEN", "tokenenv");
    write_file("credentials",
               "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n");
    aws_credentials c = { 0 };
    cp_buf why = { 0 };
    assert_true(chain_get(NULL, NULL, &c, &why));
    assert_string_equal(c.access_key_id, "AKIDENV"); /* env wins over the file */
    assert_string_equal(c.session_token, "tokenenv");
    aws_credentials_clear(&c);
    assert_null(c.secret_access_key);
    cp_buf_free(&why);
}

static void test_env_half_set_is_an_error(void **state)
{
    fake_env_set("AWS_ACCESS_KEY_ID", "AKIDENV");
    aws_credentials c = { 0 };
    cp_buf why = { 0 };
    assert_false(chain_get(NULL, NULL, &c, &why));
    assert_non_null(strstr(why.data, "AWS_SECRET_ACCESS_KEY is not"));
    cp_buf_free(&why);
}

static void test_profile_files(void **state)
{
    write_file(
        "credentials",
        "# comment\n[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = sd\n\n"
        "[dev]\n  aws_access_key_id=AKIDDEV\naws_secret_access_key= sdev \naws_session_token = tdev\n");
    write_file("config",
               "[profile cfgonly]\naws_access_key_id = AKIDCFG\naws_secret_access_key = sc\n"
               "region = eu-west-1\ns3 =\n  addressing_style = path\n");
    aws_credentials c = { 0 };
    cp_buf why = { 0 };
    assert_true(chain_get(NULL, NULL, &c, &why));
    assert_string_equal(c.access_key_id, "AKIDDEFAULT");
    aws_credentials_clear(&c);
    fake_env_set("AWS_PROFILE", "dev");
    assert_true(chain_get(NULL, NULL, &c, &why));
    assert_string_equal(c.access_key_id, "AKIDDEV");
    assert_string_equal(c.secret_access_key, "sdev");
    assert_string_equal(c.session_token, "tdev");
    aws_credentials_clear(&c);
    assert_true(chain_get(NULL, "cfgonly", &c, &why)); /* explicit beats AWS_PROFILE */
    assert_string_equal(c.access_key_id, "AKIDCFG");
    aws_credentials_clear(&c);
    aws_profile *p = aws_profile_load("cfgonly", fake_getenv);
    assert_string_equal(aws_profile_get(p, "region"), "eu-west-1");
    assert_string_equal(aws_profile_get(p, "s3.addressing_style"), "path");
    assert_null(aws_profile_get(p, "s3"));
    aws_profile_free(p);
    assert_null(aws_profile_load("absent", fake_getenv));
    cp_buf_free(&why);
}

static void test_missing_named_profile_is_an_error(void **state)
{
    write_file("credentials", "[default]\naws_access_key_id = A\naws_secret_access_key = s\n");
    fake_env_set("AWS_PROFILE", "prod");
    aws_credentials c = { 0 };
    cp_buf why = { 0 };
    assert_false(chain_get(NULL, NULL, &c, &why));
    assert_non_null(strstr(why.data, "profile \"prod\""));
    cp_buf_free(&why);
}

static void test_nothing_found_names_every_place(void **state)
{
    aws_credentials c = { 0 };
    cp_buf why = { 0 };
    assert_false(chain_get(NULL, NULL, &c, &why));
    assert_non_null(strstr(why.data, "no AWS credentials found"));
    assert_non_null(strstr(why.data, "environment"));
    assert_non_null(strstr(why.data, "profile \"default\""));
    assert_non_null(strstr(why.data, tmpdir));
    assert_non_null(strstr(why.data, "ECS container endpoint"));
    assert_non_null(strstr(why.data, "EC2 instance metadata"));
    assert_null(strchr(why.data, '\n'));
    cp_buf_free(&why);
}

/* ---- loopback STS / ECS / IMDS ---- */

static const char *STS_OK =
    "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
    "  <AssumeRoleResult>\n"
    "    <AssumedRoleUser>\n"
    "      <Arn>arn:aws:sts::123456789012:assumed-role/deploy/cpstack</Arn>\n"
    "      <AssumedRoleId>ARO123EXAMPLE123:cpstack</AssumedRoleId>\n"
    "    </AssumedRoleUser>\n"
    "    <Credentials>\n"
    "      <AccessKeyId>ASIAROLE</AccessKeyId>\n"
    "      <SecretAccessKey>rolesecret</SecretAccessKey>\n"
    "      <SessionToken>roletoken</SessionToken>\n"
    "      <Expiration>2099-07-15T23:28:33.359Z</Expiration>\n"
    "    </Credentials>\n"
    "  </AssumeRoleResult>\n"
    "  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>\n"
    "</AssumeRoleResponse>\n";

typedef struct seen {
    char body[2048];
    char auth[512];
    char target[2048];
    char token[256];
} seen;

static void sts_handler(void *ud, const stub_request *r, int n, cp_buf *resp)
{
    seen *s = ud;
    snprintf(s->body, sizeof s->body, "%s", r->body.data);
    stub_header(r, "Authorization", s->auth, sizeof s->auth);
    if (strstr(r->body.data, "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdenied"))
        stub_respond(
            resp, 403, "Content-Type: text/xml\r\n",
            "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
            "<Message>not allowed</Message></Error><RequestId>rid-1</RequestId></ErrorResponse>");
    else
        stub_respond(resp, 200, "Content-Type: text/xml\r\n", STS_OK);
}

static void test_role_arn_source_profile(void **state)
{
    seen s = { 0 };
    stub_server *srv = stub_start(sts_handler, &s);
    char *url = cp_xasprintf("http://127.0.0.1:%d", stub_port(srv));
    fake_env_set("AWS_ENDPOINT_URL_STS", url);
    write_file("credentials", "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = sb\n");
    write_file("config", "[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\n"
                         "source_profile = base\nrole_session_name = cpstack\n"
                         "[profile denied]\nrole_arn = arn:aws:iam::123456789012:role/denied\n"
                         "source_profile = base\n");
    aws_http *http = aws_http_new(NULL);
    aws_credentials c = { 0 };
    cp_buf why = { 0 };
    assert_true(chain_get(http, "deploy", &c, &why));
    assert_string_equal(c.access_key_id, "ASIAROLE");
    assert_string_equal(c.session_token, "roletoken");
    assert_int_equal(c.expiration, aws_parse_iso8601("2099-07-15T23:28:33Z"));
    assert_non_null(strstr(s.body, "Action=AssumeRole"));
    assert_non_null(strstr(s.body, "RoleSessionName=cpstack"));
    assert_non_null(strstr(s.auth, "Credential=AKIDBASE/")); /* signed with the source */
    assert_non_null(strstr(s.auth, "/us-east-1/sts/aws4_request"));
    aws_credentials_clear(&c);

    assert_false(chain_get(http, "denied", &c, &why));
    assert_non_null(strstr(why.data, "AccessDenied: not allowed (request id rid-1)"));
    assert_non_null(strstr(why.data, "role/denied"));
    assert_null(strstr(why.data, "sb"));
    aws_http_free(http);
    stub_stop(srv);
    free(url);
    cp_buf_free(&why);
}

static void ecs_handler(void *ud, const stub_request *r, int n, cp_buf *resp)
{
    seen *s = ud;
    snprintf(s->target, sizeof s->target, "%s", r->target);
    stub_header(r, "Authorization", s->auth, sizeof s->auth);
    stub_respond(
        resp, 200, "Content-Type: application/json\r\n",
        "{\"AccessKeyId\":\"ASIAECS\",\"SecretAccessKey\":\"ecssecret\",\"Token\":\"ecstoken\","
        "\"Expiration\":\"2099-01-01T00:00:00Z\",\"RoleArn\":\"arn:aws:iam::1:role/task\"}");
}

static void test_ecs_full_uri(void **state)
{
    seen s = { 0 };
    stub_server *srv = stub_start(ecs_handler, &s);
    char *url = cp_xasprintf("http://127.0.0.1:%d/v2/credentials/abc", stub_port(srv));
    fake_env_set("AWS_CONTAINER_CREDENTIALS_FULL_URI", url);
    fake_env_set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer ecs-auth");
    aws_http *http = aws_http_new(NULL);
    aws_credentials c = { 0 };
    cp_buf why = { 0 };
    assert_true(chain_get(http, NULL, &c, &why));
    assert_string_equal(c.access_key_id, "ASIAECS");
    assert_string_equal(c.session_token, "ecstoken");
    assert_string_equal(s.target, "/v2/credentials/abc");
    assert_string_equal(s.auth, "Bearer ecs-auth");
    aws_credentials_clear(&c);
    fake_env_set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://evil.example.com/creds");
    assert_false(chain_get(http, NULL, &c, &why));
    assert_non_null(strstr(why.data, "must be https"));
    aws_http_free(http);
    stub_stop(srv);
    free(url);
    cp_buf_free(&why);
}

static void imds_handler(void *ud, const stub_request *r, int n, cp_buf *resp)
{
    seen *s = ud;
    char tok[128] = "";
    stub_header(r, "X-aws-ec2-metadata-token", tok, sizeof tok);
    if (strcmp(r->method, "PUT") == 0 && strcmp(r->target, "/latest/api/token") == 0) {
        char ttl[32] = "";
        stub_header(r, "X-aws-ec2-metadata-token-ttl-seconds", ttl, sizeof ttl);
        stub_respond(resp, strcmp(ttl, "21600") == 0 ? 200 : 400, NULL, "imds-token-1");
    } else if (strcmp(tok, "imds-token-1") != 0) {
        stub_respond(resp, 401, NULL, "");
    } else if (strcmp(r->target, "/latest/meta-data/iam/security-credentials/") == 0) {
        stub_respond(resp, 200, NULL, "web-role\n");
    } else if (strcmp(r->target, "/latest/meta-data/iam/security-credentials/web-role") == 0) {
        snprintf(s->token, sizeof s->token, "%s", tok);
        stub_respond(
            resp, 200, NULL,
            "{\"Code\":\"Success\",\"LastUpdated\":\"2024-01-01T00:00:00Z\",\"Type\":\"AWS-HMAC\","
            "\"AccessKeyId\":\"ASIAIMDS\",\"SecretAccessKey\":\"imdssecret\",\"Token\":\"imdstok\","
            "\"Expiration\":\"2099-01-01T06:00:00Z\"}");
    } else {
        stub_respond(resp, 404, NULL, "");
    }
}

static void test_imds_v2(void **state)
{
    seen s = { 0 };
    stub_server *srv = stub_start(imds_handler, &s);
    char *url = cp_xasprintf("http://127.0.0.1:%d/", stub_port(srv));
    fake_env_set("AWS_EC2_METADATA_DISABLED", "false");
    fake_env_set("AWS_EC2_METADATA_SERVICE_ENDPOINT", url);
    aws_http *http = aws_http_new(NULL);
    aws_credentials c = { 0 };
    cp_buf why = { 0 };
    assert_true(chain_get(http, NULL, &c, &why));
    assert_string_equal(c.access_key_id, "ASIAIMDS");
    assert_string_equal(c.session_token, "imdstok");
    assert_string_equal(s.token, "imds-token-1");
    assert_int_equal(stub_calls(srv), 3);
    assert_int_equal(c.expiration, aws_parse_iso8601("2099-01-01T06:00:00Z"));
    aws_credentials_clear(&c);
    aws_http_free(http);
    stub_stop(srv);
    free(url);
    cp_buf_free(&why);
}

/* A provider whose credentials expire soon, counting how often it is asked. */
typedef struct counting {
    int calls;
    time_t expiry;
} counting;

static int counting_get(aws_creds_provider *self, aws_credentials *out, cp_buf *why)
{
    counting *k = self->impl;
    k->calls++;
    aws_credentials_set(out, "AKIDTMP", "s", "t", k->expiry);
    return AWS_CREDS_OK;
}

static void counting_destroy(aws_creds_provider *self) { free(self); }

static void test_refresh_before_expiry(void **state)
{
    counting k = { 0, 1000000 };
    aws_creds_provider *p = cp_xcalloc(1, sizeof *p);
    *p = (aws_creds_provider){ "counting", counting_get, counting_destroy, &k };
    aws_creds_chain *chain = aws_creds_chain_from(&p, 1);
    aws_credentials c = { 0 };
    cp_buf why = { 0 };
    assert_true(aws_creds_chain_get(chain, 1000000 - 3600, &c, &why));
    aws_credentials_clear(&c);
    assert_true(aws_creds_chain_get(chain, 1000000 - 1000, &c, &why)); /* cached */
    aws_credentials_clear(&c);
    assert_int_equal(k.calls, 1);
    assert_true(aws_creds_chain_get(chain, 1000000 - 200, &c, &why)); /* < 5 min left */
    aws_credentials_clear(&c);
    assert_int_equal(k.calls, 2);
    aws_creds_chain_free(chain);
    cp_buf_free(&why);
}

static void test_parse_helpers(void **state)
{
    assert_int_equal(aws_parse_iso8601("1970-01-02T00:00:00Z"), 86400);
    assert_int_equal(aws_parse_iso8601("1970-01-02T00:00:01.500Z"), 86401);
    assert_int_equal(aws_parse_iso8601("garbage"), -1);
    aws_credentials c = { 0 };
    cp_buf why = { 0 };
    assert_false(aws_creds_from_json("{\"Code\":\"Failure\"}", &c, &why));
    assert_non_null(strstr(why.data, "Failure"));
    cp_buf_reset(&why);
    assert_false(aws_creds_from_json("not json", &c, &why));
    cp_buf_free(&why);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_env, setup, teardown),
        cmocka_unit_test_setup_teardown(test_env_half_set_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_profile_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_named_profile_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nothing_found_names_every_place, setup, teardown),
        cmocka_unit_test_setup_teardown(test_role_arn_source_profile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ecs_full_uri, setup, teardown),
        cmocka_unit_test_setup_teardown(test_imds_v2, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refresh_before_expiry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_helpers, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
