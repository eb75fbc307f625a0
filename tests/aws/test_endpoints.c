/*
 * test_endpoints.c: region precedence, endpoints per service and partition,
 * AWS_ENDPOINT_URL(_<SERVICE>) overrides and S3 path-style selection.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aws/endpoints.h"
#include "fake_env.h"
#include "util/xalloc.h"

static int setup(void **state)
{
    fake_env_reset();
    fake_env_set("HOME", "/nonexistent-home");
    return 0;
}

static void resolve(const char *svc, const char *region, aws_endpoint *ep)
{
    cp_buf why = { 0 };
    assert_int_equal(
        aws_endpoint_resolve(aws_service_find(svc), region, fake_getenv, false, ep, &why), 0);
    cp_buf_free(&why);
}

static void test_region_precedence(void **state)
{
    cp_buf why = { 0 };
    char *dir = cp_xstrdup("/tmp/cpstack-aws-region-XXXXXX");
    assert_non_null(mkdtemp(dir));
    char *conf = cp_xasprintf("%s/config", dir);
    FILE *f = fopen(conf, "w");
    fputs("[default]\nregion = ap-south-1\n[profile other]\nregion=sa-east-1\n", f);
    fclose(f);
    fake_env_set("AWS_CONFIG_FILE", conf);
    char *r = aws_region_resolve(NULL, NULL, NULL, fake_getenv, &why);
    assert_string_equal(r, "ap-south-1");
    free(r);
    fake_env_set("AWS_PROFILE", "other");
    r = aws_region_resolve(NULL, NULL, NULL, fake_getenv, &why);
    assert_string_equal(r, "sa-east-1");
    free(r);
    fake_env_set("AWS_DEFAULT_REGION", "eu-central-1");
    r = aws_region_resolve(NULL, NULL, NULL, fake_getenv, &why);
    assert_string_equal(r, "eu-central-1");
    free(r);
    fake_env_set("AWS_REGION", "eu-west-1");
    r = aws_region_resolve(NULL, NULL, NULL, fake_getenv, &why);
    assert_string_equal(r, "eu-west-1");
    free(r);
    r = aws_region_resolve(NULL, "us-west-2", NULL, fake_getenv, &why);
    assert_string_equal(r, "us-west-2");
    free(r);
    r = aws_region_resolve("ca-central-1", "us-west-2", NULL, fake_getenv, &why);
    assert_string_equal(r, "ca-central-1");
    free(r);
    assert_int_equal(why.len, 0);
    unlink(conf);
    rmdir(dir);
    free(conf);
    free(dir);
}

static void test_no_region_error_names_sources(void **state)
{
    cp_buf why = { 0 };
    assert_null(aws_region_resolve(NULL, NULL, NULL, fake_getenv, &why));
    assert_non_null(strstr(why.data, "AWS_REGION"));
    assert_non_null(strstr(why.data, "AWS_DEFAULT_REGION"));
    assert_non_null(strstr(why.data, "-region"));
    assert_null(strchr(why.data, '\n'));
    cp_buf_free(&why);
}

static void test_default_endpoints(void **state)
{
    aws_endpoint ep;
    resolve("ec2", "eu-west-1", &ep);
    assert_string_equal(ep.url, "https://ec2.eu-west-1.amazonaws.com");
    assert_string_equal(ep.signing_region, "eu-west-1");
    resolve("ecr", "us-east-2", &ep);
    assert_string_equal(ep.host, "api.ecr.us-east-2.amazonaws.com");
    resolve("cloudwatch", "eu-west-1", &ep);
    assert_string_equal(ep.host, "monitoring.eu-west-1.amazonaws.com");
    resolve("elbv2", "eu-west-1", &ep);
    assert_string_equal(ep.host, "elasticloadbalancing.eu-west-1.amazonaws.com");
    resolve("ec2", "cn-north-1", &ep);
    assert_string_equal(ep.url, "https://ec2.cn-north-1.amazonaws.com.cn");
    resolve("lambda", "us-gov-west-1", &ep);
    assert_string_equal(ep.url, "https://lambda.us-gov-west-1.amazonaws.com");
    assert_string_equal(aws_partition_of("us-gov-east-1"), "aws-us-gov");
    assert_string_equal(aws_partition_of("cn-northwest-1"), "aws-cn");
    assert_string_equal(aws_partition_of("eu-west-3"), "aws");
}

static void test_iam_is_global(void **state)
{
    aws_endpoint ep;
    resolve("iam", "eu-west-1", &ep);
    assert_string_equal(ep.url, "https://iam.amazonaws.com");
    assert_string_equal(ep.signing_region, "us-east-1");
    resolve("iam", "cn-northwest-1", &ep);
    assert_string_equal(ep.host, "iam.cn-north-1.amazonaws.com.cn");
    assert_string_equal(ep.signing_region, "cn-north-1");
    resolve("iam", "us-gov-east-1", &ep);
    assert_string_equal(ep.host, "iam.us-gov.amazonaws.com");
    assert_string_equal(ep.signing_region, "us-gov-west-1");
}

static void test_env_names(void **state)
{
    const char *cases[][2] = {
        { "s3", "AWS_ENDPOINT_URL_S3" },
        { "ec2", "AWS_ENDPOINT_URL_EC2" },
        { "elbv2", "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2" },
        { "logs", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS" },
        { "application-autoscaling", "AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING" },
        { "autoscaling", "AWS_ENDPOINT_URL_AUTO_SCALING" },
        { "monitoring", "AWS_ENDPOINT_URL_CLOUDWATCH" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *n = aws_endpoint_env_name(aws_service_find(cases[i][0]));
        assert_string_equal(n, cases[i][1]);
        free(n);
    }
}

static void test_overrides(void **state)
{
    aws_endpoint ep;
    fake_env_set("AWS_ENDPOINT_URL", "http://127.0.0.1:4566/");
    fake_env_set("AWS_ENDPOINT_URL_EC2", "https://ec2.example.test");
    resolve("ec2", "eu-west-1", &ep);
    assert_string_equal(ep.url, "https://ec2.example.test");
    assert_true(ep.overridden);
    resolve("ecs", "eu-west-1", &ep);
    assert_string_equal(ep.url, "http://127.0.0.1:4566");
    assert_string_equal(ep.host, "127.0.0.1:4566");
    assert_string_equal(ep.signing_region, "eu-west-1");
    resolve("iam", "eu-west-1", &ep); /* global: still signed for us-east-1 */
    assert_string_equal(ep.url, "http://127.0.0.1:4566");
    assert_string_equal(ep.signing_region, "us-east-1");
    fake_env_set("AWS_ENDPOINT_URL_EC2", "not a url");
    cp_buf why = { 0 };
    assert_int_equal(
        aws_endpoint_resolve(aws_service_find("ec2"), "eu-west-1", fake_getenv, false, &ep, &why),
        -1);
    assert_non_null(strstr(why.data, "AWS_ENDPOINT_URL_EC2"));
    cp_buf_free(&why);
}

static void test_s3_path_style(void **state)
{
    aws_endpoint ep;
    resolve("s3", "eu-west-1", &ep);
    assert_false(ep.s3_path_style);
    assert_string_equal(ep.host, "s3.eu-west-1.amazonaws.com");
    cp_buf why = { 0 };
    assert_int_equal(
        aws_endpoint_resolve(aws_service_find("s3"), "eu-west-1", fake_getenv, true, &ep, &why), 0);
    assert_true(ep.s3_path_style);
    fake_env_set("AWS_ENDPOINT_URL_S3", "http://localhost:9000");
    resolve("s3", "eu-west-1", &ep);
    assert_true(ep.s3_path_style);
    fake_env_set("AWS_ENDPOINT_URL_S3", "http://[::1]:9000");
    resolve("s3", "eu-west-1", &ep);
    assert_true(ep.s3_path_style);
    fake_env_set("AWS_ENDPOINT_URL_S3", "https://s3.internal.example");
    resolve("s3", "eu-west-1", &ep);
    assert_false(ep.s3_path_style);
    assert_true(aws_host_is_ip_or_localhost("10.0.0.1:80"));
    assert_false(aws_host_is_ip_or_localhost("s3.amazonaws.com"));
    cp_buf_free(&why);
}

static void test_service_table(void **state)
{
    assert_null(aws_service_find("nope"));
    const aws_service *s = aws_service_find("elasticloadbalancing");
    assert_non_null(s);
    assert_string_equal(s->key, "elbv2");
    assert_string_equal(s->api_version, "2015-12-01");
    assert_int_equal(aws_service_find("ec2")->protocol, AWS_PROTO_EC2_QUERY);
    assert_string_equal(aws_service_find("ecs")->json_version, "1.1");
    assert_int_equal(aws_service_find("lambda")->protocol, AWS_PROTO_REST_JSON);
    assert_int_equal(aws_service_find("s3")->protocol, AWS_PROTO_REST_XML);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_region_precedence, setup),
        cmocka_unit_test_setup(test_no_region_error_names_sources, setup),
        cmocka_unit_test_setup(test_default_endpoints, setup),
        cmocka_unit_test_setup(test_iam_is_global, setup),
        cmocka_unit_test_setup(test_env_names, setup),
        cmocka_unit_test_setup(test_overrides, setup),
        cmocka_unit_test_setup(test_s3_path_style, setup),
        cmocka_unit_test_setup(test_service_table, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
