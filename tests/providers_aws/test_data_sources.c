/*
 * test_data_sources.c: the AWS data sources — aws_iam_policy_document
 * (Terraform's exact JSON, golden texts below; no endpoint needed),
 * aws_caller_identity, aws_region, aws_partition, aws_vpc, aws_subnet,
 * aws_subnets, aws_security_group, aws_ecr_repository, aws_s3_bucket,
 * aws_iam_role and aws_lb — against the endpoint (emulator or moto): what
 * each finds is compared with what AWS's own API lists, and "nothing
 * matches" / "several match" are one-line errors naming the data source
 * and its criteria.
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
#include "harness.h"
#include "providers/attrs.h"

/* ---- aws_iam_policy_document: golden texts (as Terraform renders them) ---------------------- */

#define BASIC_ID "1051494740"
static const char basic_json[] = "{\n"
                                 "  \"Version\": \"2012-10-17\",\n"
                                 "  \"Statement\": [\n"
                                 "    {\n"
                                 "      \"Sid\": \"1\",\n"
                                 "      \"Effect\": \"Allow\",\n"
                                 "      \"Action\": [\n"
                                 "        \"s3:ListAllMyBuckets\",\n"
                                 "        \"s3:GetBucketLocation\"\n"
                                 "      ],\n"
                                 "      \"Resource\": \"arn:aws:s3:::*\"\n"
                                 "    },\n"
                                 "    {\n"
                                 "      \"Effect\": \"Allow\",\n"
                                 "      \"Action\": \"s3:ListBucket\",\n"
                                 "      \"Resource\": \"arn:aws:s3:::b\",\n"
                                 "      \"Condition\": {\n"
                                 "        \"StringLike\": {\n"
                                 "          \"s3:prefix\": [\n"
                                 "            \"\",\n"
                                 "            \"home/\",\n"
                                 "            \"home/${aws:username}/\"\n"
                                 "          ]\n"
                                 "        }\n"
                                 "      }\n"
                                 "    },\n"
                                 "    {\n"
                                 "      \"Effect\": \"Allow\",\n"
                                 "      \"Action\": \"s3:*\",\n"
                                 "      \"Resource\": [\n"
                                 "        \"arn:aws:s3:::b/home/${aws:username}/*\",\n"
                                 "        \"arn:aws:s3:::b/home/${aws:username}\"\n"
                                 "      ]\n"
                                 "    }\n"
                                 "  ]\n"
                                 "}";
static const char basic_min[] =
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"1\",\"Effect\":\"Allow\",\"Action\":[\"s3:ListAllMyBuckets\",\"s3:GetBucketLocation\"],\"Resource\":\"arn:aws:s3:::*\"},{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::b\",\"Condition\":{\"StringLike\":{\"s3:prefix\":[\"\",\"home/\",\"home/${aws:username}/\"]}}},{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::b/home/${aws:username}/*\",\"arn:aws:s3:::b/home/${aws:username}\"]}]}";
#define PRINCIPALS_ID "15172585"
static const char principals_json[] = "{\n"
                                      "  \"Version\": \"2012-10-17\",\n"
                                      "  \"Id\": \"trust\",\n"
                                      "  \"Statement\": [\n"
                                      "    {\n"
                                      "      \"Effect\": \"Allow\",\n"
                                      "      \"Action\": \"sts:AssumeRole\",\n"
                                      "      \"Principal\": {\n"
                                      "        \"AWS\": [\n"
                                      "          \"arn:aws:iam::111111111111:root\",\n"
                                      "          \"arn:aws:iam::333333333333:root\",\n"
                                      "          \"arn:aws:iam::222222222222:root\"\n"
                                      "        ],\n"
                                      "        \"Service\": \"ecs-tasks.amazonaws.com\"\n"
                                      "      },\n"
                                      "      \"Condition\": {\n"
                                      "        \"Bool\": {\n"
                                      "          \"aws:SecureTransport\": \"true\"\n"
                                      "        },\n"
                                      "        \"StringEquals\": {\n"
                                      "          \"aws:PrincipalOrgID\": [\n"
                                      "            \"o-zz\",\n"
                                      "            \"o-aa\"\n"
                                      "          ],\n"
                                      "          \"aws:SourceAccount\": \"111111111111\"\n"
                                      "        }\n"
                                      "      }\n"
                                      "    },\n"
                                      "    {\n"
                                      "      \"Sid\": \"Anyone\",\n"
                                      "      \"Effect\": \"Deny\",\n"
                                      "      \"NotAction\": [\n"
                                      "        \"s3:GetObject\",\n"
                                      "        \"s3:*Tagging\"\n"
                                      "      ],\n"
                                      "      \"NotResource\": \"arn:aws:s3:::b/public/*\",\n"
                                      "      \"Principal\": \"*\"\n"
                                      "    },\n"
                                      "    {\n"
                                      "      \"Effect\": \"Deny\",\n"
                                      "      \"Action\": \"*\",\n"
                                      "      \"Resource\": \"*\",\n"
                                      "      \"NotPrincipal\": {\n"
                                      "        \"AWS\": \"arn:aws:iam::111111111111:role/admin\"\n"
                                      "      }\n"
                                      "    }\n"
                                      "  ]\n"
                                      "}";
static const char principals_min[] =
    "{\"Version\":\"2012-10-17\",\"Id\":\"trust\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"AWS\":[\"arn:aws:iam::111111111111:root\",\"arn:aws:iam::333333333333:root\",\"arn:aws:iam::222222222222:root\"],\"Service\":\"ecs-tasks.amazonaws.com\"},\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"},\"StringEquals\":{\"aws:PrincipalOrgID\":[\"o-zz\",\"o-aa\"],\"aws:SourceAccount\":\"111111111111\"}}},{\"Sid\":\"Anyone\",\"Effect\":\"Deny\",\"NotAction\":[\"s3:GetObject\",\"s3:*Tagging\"],\"NotResource\":\"arn:aws:s3:::b/public/*\",\"Principal\":\"*\"},{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::111111111111:role/admin\"}}]}";
#define MERGED_ID "2371004111"
static const char merged_json[] = "{\n"
                                  "  \"Version\": \"2012-10-17\",\n"
                                  "  \"Id\": \"over\",\n"
                                  "  \"Statement\": [\n"
                                  "    {\n"
                                  "      \"Sid\": \"A\",\n"
                                  "      \"Effect\": \"Deny\",\n"
                                  "      \"Action\": \"*\",\n"
                                  "      \"Resource\": \"*\"\n"
                                  "    },\n"
                                  "    {\n"
                                  "      \"Effect\": \"Allow\",\n"
                                  "      \"Action\": \"s3:PutObject\",\n"
                                  "      \"Resource\": \"arn:aws:s3:::b/*\"\n"
                                  "    },\n"
                                  "    {\n"
                                  "      \"Sid\": \"P\",\n"
                                  "      \"Effect\": \"Allow\",\n"
                                  "      \"Action\": \"sts:AssumeRole\",\n"
                                  "      \"Principal\": {\n"
                                  "        \"AWS\": [\n"
                                  "          \"arn:aws:iam::2:root\",\n"
                                  "          \"arn:aws:iam::1:root\"\n"
                                  "        ]\n"
                                  "      },\n"
                                  "      \"Condition\": {\n"
                                  "        \"Bool\": {\n"
                                  "          \"aws:MultiFactorAuthPresent\": \"true\"\n"
                                  "        }\n"
                                  "      }\n"
                                  "    },\n"
                                  "    {\n"
                                  "      \"Sid\": \"New\",\n"
                                  "      \"Effect\": \"Allow\",\n"
                                  "      \"Action\": [\n"
                                  "        \"b\",\n"
                                  "        \"a\"\n"
                                  "      ],\n"
                                  "      \"Resource\": \"*\"\n"
                                  "    }\n"
                                  "  ]\n"
                                  "}";
static const char merged_min[] =
    "{\"Version\":\"2012-10-17\",\"Id\":\"over\",\"Statement\":[{\"Sid\":\"A\",\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"},{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::b/*\"},{\"Sid\":\"P\",\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"AWS\":[\"arn:aws:iam::2:root\",\"arn:aws:iam::1:root\"]},\"Condition\":{\"Bool\":{\"aws:MultiFactorAuthPresent\":\"true\"}}},{\"Sid\":\"New\",\"Effect\":\"Allow\",\"Action\":[\"b\",\"a\"],\"Resource\":\"*\"}]}";
#define EMPTY_ID "1132004489"
static const char empty_json[] = "{\n"
                                 "  \"Version\": \"2012-10-17\"\n"
                                 "}";
static const char empty_min[] = "{\"Version\":\"2012-10-17\"}";

static const char basic_cfg[] =
    "{\"statement\": ["
    "{\"sid\": \"1\", \"actions\": [\"s3:ListAllMyBuckets\", \"s3:GetBucketLocation\"], "
    "\"resources\": [\"arn:aws:s3:::*\"]},"
    "{\"actions\": [\"s3:ListBucket\"], \"resources\": [\"arn:aws:s3:::b\"], \"condition\": "
    "[{\"test\": \"StringLike\", \"variable\": \"s3:prefix\", \"values\": [\"\", \"home/\", "
    "\"home/&{aws:username}/\"]}]},"
    "{\"actions\": [\"s3:*\"], \"resources\": [\"arn:aws:s3:::b/home/&{aws:username}\", "
    "\"arn:aws:s3:::b/home/&{aws:username}/*\", \"arn:aws:s3:::b/home/&{aws:username}\"]}]}";

static const char principals_cfg[] =
    "{\"policy_id\": \"trust\", \"statement\": ["
    "{\"actions\": [\"sts:AssumeRole\"], \"principals\": ["
    "{\"type\": \"AWS\", \"identifiers\": [\"arn:aws:iam::111111111111:root\"]},"
    "{\"type\": \"AWS\", \"identifiers\": [\"arn:aws:iam::222222222222:root\", "
    "\"arn:aws:iam::333333333333:root\"]},"
    "{\"type\": \"Service\", \"identifiers\": [\"ecs-tasks.amazonaws.com\"]}],"
    "\"condition\": [{\"test\": \"StringEquals\", \"variable\": \"aws:PrincipalOrgID\", "
    "\"values\": [\"o-zz\", \"o-aa\"]}, {\"test\": \"Bool\", \"variable\": "
    "\"aws:SecureTransport\", \"values\": [\"true\"]}, {\"test\": \"StringEquals\", "
    "\"variable\": \"aws:SourceAccount\", \"values\": [\"111111111111\"]}]},"
    "{\"sid\": \"Anyone\", \"effect\": \"Deny\", \"not_actions\": [\"s3:*Tagging\", "
    "\"s3:GetObject\"], \"not_resources\": [\"arn:aws:s3:::b/public/*\"], \"principals\": "
    "[{\"type\": \"*\", \"identifiers\": [\"*\"]}]},"
    "{\"effect\": \"Deny\", \"actions\": [\"*\"], \"resources\": [\"*\"], \"not_principals\": "
    "[{\"type\": \"AWS\", \"identifiers\": [\"arn:aws:iam::111111111111:role/admin\"]}]}]}";

static const char merged_cfg[] =
    "{\"policy_id\": \"own\", \"source_policy_documents\": ["
    "\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Sid\\\":\\\"A\\\","
    "\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"s3:GetObject\\\",\\\"Resource\\\":\\\"*\\\"},"
    "{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"s3:PutObject\\\",\\\"Resource\\\":"
    "\\\"arn:aws:s3:::b/*\\\"}]}\", null, "
    "\"{\\\"Statement\\\":[{\\\"Sid\\\":\\\"P\\\",\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":"
    "\\\"sts:AssumeRole\\\",\\\"Principal\\\":{\\\"AWS\\\":[\\\"arn:aws:iam::1:root\\\","
    "\\\"arn:aws:iam::2:root\\\"]},\\\"Condition\\\":{\\\"Bool\\\":"
    "{\\\"aws:MultiFactorAuthPresent\\\":true}}}]}\"],"
    "\"statement\": [{\"sid\": \"A\", \"actions\": [\"s3:ListBucket\"], \"resources\": [\"*\"]}],"
    "\"override_policy_documents\": [\"{\\\"Id\\\":\\\"over\\\",\\\"Statement\\\":["
    "{\\\"Sid\\\":\\\"A\\\",\\\"Effect\\\":\\\"Deny\\\",\\\"Action\\\":\\\"*\\\",\\\"Resource\\\":"
    "\\\"*\\\"},{\\\"Sid\\\":\\\"New\\\",\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":[\\\"b\\\","
    "\\\"a\\\"],\\\"Resource\\\":\\\"*\\\"}]}\"]}";

static void assert_doc(cpt_env *e, const char *cfg, const char *json, const char *min,
                       const char *id)
{
    cp_value *s = cpt_read_data_ok(e, "aws_iam_policy_document", cfg);
    assert_string_equal(cpt_str(s, "json"), json);
    assert_string_equal(cpt_str(s, "minified_json"), min);
    assert_string_equal(cpt_str(s, "id"), id);
    cp_release(s);
}

static void test_policy_document_golden(void **st)
{
    cpt_env *e = *st;
    assert_doc(e, basic_cfg, basic_json, basic_min, BASIC_ID);
    assert_doc(e, principals_cfg, principals_json, principals_min, PRINCIPALS_ID);
    assert_doc(e, merged_cfg, merged_json, merged_min, MERGED_ID);
    assert_doc(e, "{}", empty_json, empty_min, EMPTY_ID);
    /* Go's encoder escapes <, > and & */
    cp_value *s = cpt_read_data_ok(e, "aws_iam_policy_document",
                                   "{\"statement\": [{\"actions\": [\"s3:Get*\"], \"resources\": "
                                   "[\"*\"], \"condition\": [{\"test\": \"StringLike\", "
                                   "\"variable\": \"s3:prefix\", \"values\": [\"a<b>&c\"]}]}]}");
    assert_non_null(
        strstr(cpt_str(s, "minified_json"), "\"s3:prefix\":\"a\\u003cb\\u003e\\u0026c\""));
    cp_release(s);
}

static void policy_error(cpt_env *e, const char *cfg, const char *want)
{
    cp_value *s;
    char *err = NULL;
    assert_int_equal(cpt_read_data(e, "aws_iam_policy_document", cfg, &s, &err), -1);
    assert_null(strchr(err, '\n'));
    assert_non_null(strstr(err, "data.aws_iam_policy_document.test: "));
    if (!strstr(err, want)) fail_msg("\"%s\" not in: %s", want, err);
    free(err);
}

static void test_policy_document_errors(void **st)
{
    cpt_env *e = *st;
    policy_error(e, "{\"statement\": [{\"sid\": \"x\"}, {\"sid\": \"x\"}]}",
                 "duplicate sid \"x\" in statement 1 and 2");
    policy_error(e,
                 "{\"version\": \"2008-10-17\", \"statement\": [{\"resources\": "
                 "[\"arn:aws:s3:::b/&{aws:username}\"]}]}",
                 "version 2008-10-17 does not support");
    policy_error(e, "{\"source_policy_documents\": [\"{nope\"]}",
                 "source_policy_documents[0] is not valid JSON");
    policy_error(
        e,
        "{\"source_policy_documents\": [\"{\\\"Statement\\\":[{\\\"Sid\\\":\\\"d\\\"}]}\", "
        "\"{\\\"Statement\\\":[{\\\"Sid\\\":\\\"d\\\"}]}\"]}",
        "source_policy_documents[1]: duplicate Sid \"d\"");
    policy_error(e, "{\"override_policy_documents\": [\"{\\\"Statement\\\":{}}\"]}",
                 "override_policy_documents[0]: Statement has the wrong JSON type");
    const cp_resource_type *t = cpt_data_type("aws_iam_policy_document");
    cp_value *bad = cpt_val("\"2010-01-01\"");
    assert_string_equal(t->attrs[1].name, "version");
    assert_non_null(t->attrs[1].validate(bad));
    cp_release(bad);
}

/* ---- aws_caller_identity, aws_region, aws_partition --------------------------------------- */

static void test_caller_region_partition(void **st)
{
    cpt_env *e = *st;
    cp_value *s = cpt_read_data_ok(e, "aws_caller_identity", "{}");
    json_t *who = cpt_aws(e, "sts", "get_caller_identity()");
    assert_string_equal(cpt_str(s, "account_id"),
                        json_string_value(json_object_get(who, "Account")));
    assert_string_equal(cpt_str(s, "id"), cpt_str(s, "account_id"));
    assert_string_equal(cpt_str(s, "arn"), json_string_value(json_object_get(who, "Arn")));
    assert_string_equal(cpt_str(s, "user_id"), json_string_value(json_object_get(who, "UserId")));
    json_decref(who);
    cp_release(s);

    s = cpt_read_data_ok(e, "aws_region", "{}");
    assert_string_equal(cpt_str(s, "name"), "us-east-1");
    assert_string_equal(cpt_str(s, "region"), "us-east-1");
    assert_string_equal(cpt_str(s, "endpoint"), "ec2.us-east-1.amazonaws.com");
    assert_string_equal(cpt_str(s, "description"), "US East (N. Virginia)");
    cp_release(s);
    s = cpt_read_data_ok(e, "aws_region", "{\"name\": \"eu-west-1\"}");
    assert_string_equal(cpt_str(s, "description"), "Europe (Ireland)");
    cp_release(s);
    s = cpt_read_data_ok(e, "aws_region", "{\"endpoint\": \"ec2.cn-north-1.amazonaws.com.cn\"}");
    assert_string_equal(cpt_str(s, "id"), "cn-north-1");
    cp_release(s);
    char *err;
    assert_int_equal(cpt_read_data(e, "aws_region", "{\"region\": \"mars-1\"}", &s, &err), -1);
    assert_string_equal(err, "data.aws_region.test: no AWS region is named \"mars-1\"; use a "
                             "region name such as eu-west-1");
    free(err);

    s = cpt_read_data_ok(e, "aws_partition", "{}");
    assert_string_equal(cpt_str(s, "partition"), "aws");
    assert_string_equal(cpt_str(s, "dns_suffix"), "amazonaws.com");
    assert_string_equal(cpt_str(s, "reverse_dns_prefix"), "com.amazonaws");
    cp_release(s);
}

/* ---- aws_vpc, aws_subnet, aws_subnets, aws_security_group ----------------------------------- */

static void lookup_error(cpt_env *e, const char *type, const char *cfg, const char *want)
{
    cp_value *s;
    char *err = NULL;
    assert_int_equal(cpt_read_data(e, type, cfg, &s, &err), -1);
    assert_null(strchr(err, '\n'));
    if (!strstr(err, want)) fail_msg("\"%s\" not in: %s", want, err);
    free(err);
}

static const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static void test_vpc(void **st)
{
    cpt_env *e = *st;
    cp_value *a = cpt_create_ok(e, "aws_vpc",
                                "{\"cidr_block\": \"10.7.0.0/16\", \"tags\": {\"Name\": \"ds-a\", "
                                "\"Env\": \"shared\"}}");
    cp_value *b = cpt_create_ok(e, "aws_vpc",
                                "{\"cidr_block\": \"10.8.0.0/16\", \"tags\": {\"Name\": \"ds-b\", "
                                "\"Env\": \"shared\"}}");
    cp_value *s = cpt_read_data_ok(e, "aws_vpc", "{\"tags\": {\"Name\": \"ds-a\"}}");
    assert_string_equal(cpt_str(s, "id"), cpt_str(a, "id"));
    assert_string_equal(cpt_str(s, "cidr_block"), "10.7.0.0/16");
    assert_false(cp_get_bool(s, "default", true));
    assert_string_equal(cp_string_val(cp_map_get(cp_get_map(s, "tags"), "Env")), "shared");
    json_t *rt = cpt_aws(e, "ec2",
                         "describe_route_tables(Filters=[{'Name': 'vpc-id', 'Values': ['%s']}, "
                         "{'Name': 'association.main', 'Values': ['true']}])",
                         cpt_str(a, "id"));
    assert_string_equal(
        cpt_str(s, "main_route_table_id"),
        jstr(json_array_get(json_object_get(rt, "RouteTables"), 0), "RouteTableId"));
    json_decref(rt);
    cp_release(s);

    s = cpt_read_data_ok(e, "aws_vpc",
                         "{\"filter\": [{\"name\": \"cidr\", \"values\": [\"10.8.0.0/16\"]}]}");
    assert_string_equal(cpt_str(s, "id"), cpt_str(b, "id"));
    cp_release(s);
    s = cpt_read_data_ok(e, "aws_vpc", "{\"default\": true}");
    json_t *dv =
        cpt_aws(e, "ec2", "describe_vpcs(Filters=[{'Name': 'isDefault', 'Values': ['true']}])");
    assert_string_equal(cpt_str(s, "id"),
                        jstr(json_array_get(json_object_get(dv, "Vpcs"), 0), "VpcId"));
    json_decref(dv);
    cp_release(s);

    lookup_error(e, "aws_vpc", "{\"tags\": {\"Env\": \"shared\"}}",
                 "data.aws_vpc.test: 2 VPCs match tag:Env = \"shared\"; add criteria");
    lookup_error(e, "aws_vpc", "{\"cidr_block\": \"10.99.0.0/16\"}",
                 "data.aws_vpc.test: no VPC matches cidr_block = \"10.99.0.0/16\"");
    if (cpt_emulator_only(e, "moto answers an unknown filter name with its own not-implemented "
                             "error"))
        lookup_error(e, "aws_vpc", "{\"filter\": [{\"name\": \"colour\", \"values\": [\"red\"]}]}",
                     "DescribeVpcs: InvalidParameterValue: The filter 'colour' is invalid");
    cp_release(a);
    cp_release(b);
}

static void test_subnets_and_groups(void **st)
{
    cpt_env *e = *st;
    cp_value *v = cpt_create_ok(e, "aws_vpc", "{\"cidr_block\": \"10.9.0.0/16\"}");
    const char *vpc = cpt_str(v, "id");
    char cfg[512];
    cp_value *sub[2];
    for (int i = 0; i < 2; i++) {
        snprintf(cfg, sizeof cfg,
                 "{\"vpc_id\": \"%s\", \"cidr_block\": \"10.9.%d.0/24\", \"availability_zone\": "
                 "\"us-east-1%c\", \"tags\": {\"Tier\": \"private\"}}",
                 vpc, i, 'a' + i);
        sub[i] = cpt_create_ok(e, "aws_subnet", cfg);
    }
    snprintf(cfg, sizeof cfg, "{\"filter\": [{\"name\": \"vpc-id\", \"values\": [\"%s\"]}]}", vpc);
    cp_value *s = cpt_read_data_ok(e, "aws_subnets", cfg);
    const cp_value *ids = cp_get_list(s, "ids");
    assert_int_equal(cp_len(ids), 2);
    for (int i = 0; i < 2; i++)
        assert_true(!strcmp(cp_string_val(cp_list_get(ids, 0)), cpt_str(sub[i], "id")) ||
                    !strcmp(cp_string_val(cp_list_get(ids, 1)), cpt_str(sub[i], "id")));
    cp_release(s);
    s = cpt_read_data_ok(e, "aws_subnets", "{\"tags\": {\"Tier\": \"none\"}}");
    assert_int_equal(cp_len(cp_get_list(s, "ids")), 0);
    cp_release(s);

    snprintf(cfg, sizeof cfg, "{\"vpc_id\": \"%s\", \"cidr_block\": \"10.9.1.0/24\"}", vpc);
    s = cpt_read_data_ok(e, "aws_subnet", cfg);
    assert_string_equal(cpt_str(s, "id"), cpt_str(sub[1], "id"));
    assert_string_equal(cpt_str(s, "availability_zone"), "us-east-1b");
    assert_false(cp_get_bool(s, "default_for_az", true));
    assert_string_equal(cp_string_val(cp_map_get(cp_get_map(s, "tags"), "Tier")), "private");
    cp_release(s);
    s = cpt_read_data_ok(e, "aws_subnet",
                         "{\"default_for_az\": true, \"availability_zone\": \"us-east-1a\"}");
    json_t *ds = cpt_aws(e, "ec2",
                         "describe_subnets(Filters=[{'Name': 'default-for-az', 'Values': "
                         "['true']}, {'Name': 'availability-zone', 'Values': ['us-east-1a']}])");
    assert_string_equal(cpt_str(s, "id"),
                        jstr(json_array_get(json_object_get(ds, "Subnets"), 0), "SubnetId"));
    json_decref(ds);
    cp_release(s);
    snprintf(cfg, sizeof cfg, "{\"vpc_id\": \"%s\"}", vpc);
    lookup_error(e, "aws_subnet", cfg, "2 subnets match vpc_id = ");
    lookup_error(e, "aws_subnet", "{\"id\": \"subnet-0123456789abcdef0\"}",
                 "data.aws_subnet.test: DescribeSubnets: InvalidSubnetID.NotFound");

    /* the VPC's default group, by name and VPC */
    snprintf(cfg, sizeof cfg, "{\"name\": \"default\", \"vpc_id\": \"%s\"}", vpc);
    s = cpt_read_data_ok(e, "aws_security_group", cfg);
    json_t *g = cpt_aws(e, "ec2",
                        "describe_security_groups(Filters=[{'Name': 'vpc-id', 'Values': ['%s']}, "
                        "{'Name': 'group-name', 'Values': ['default']}])",
                        vpc);
    json_t *g0 = json_array_get(json_object_get(g, "SecurityGroups"), 0);
    assert_string_equal(cpt_str(s, "id"), jstr(g0, "GroupId"));
    assert_string_equal(cpt_str(s, "vpc_id"), vpc);
    char arn[160];
    snprintf(arn, sizeof arn, "arn:aws:ec2:us-east-1:%s:security-group/%s", jstr(g0, "OwnerId"),
             jstr(g0, "GroupId"));
    assert_string_equal(cpt_str(s, "arn"), arn);
    json_decref(g);
    cp_release(s);
    lookup_error(e, "aws_security_group", "{\"name\": \"default\"}",
                 "security groups match name = \"default\"; add criteria");
    lookup_error(e, "aws_security_group", "{\"tags\": {\"Name\": \"nope\"}}",
                 "data.aws_security_group.test: no security group matches tag:Name = \"nope\"");
    for (int i = 0; i < 2; i++) cp_release(sub[i]);
    cp_release(v);
}

/* ---- aws_ecr_repository, aws_s3_bucket, aws_iam_role, aws_lb -------------------------------- */

static void test_by_name(void **st)
{
    cpt_env *e = *st;
    cp_value *r = cpt_create_ok(e, "aws_ecr_repository", "{\"name\": \"ds-app\"}");
    cp_value *s = cpt_read_data_ok(e, "aws_ecr_repository", "{\"name\": \"ds-app\"}");
    json_t *d = cpt_aws(e, "ecr", "describe_repositories(repositoryNames=['ds-app'])");
    json_t *d0 = json_array_get(json_object_get(d, "repositories"), 0);
    assert_string_equal(cpt_str(s, "arn"), jstr(d0, "repositoryArn"));
    assert_string_equal(cpt_str(s, "repository_url"), jstr(d0, "repositoryUri"));
    assert_string_equal(cpt_str(s, "registry_id"), jstr(d0, "registryId"));
    json_decref(d);
    cp_release(s);
    cp_release(r);
    lookup_error(e, "aws_ecr_repository", "{\"name\": \"ds-none\"}",
                 "data.aws_ecr_repository.test: no ECR repository named \"ds-none\" exists");

    cp_value *b = cpt_create_ok(e, "aws_s3_bucket", "{\"bucket\": \"ds-bucket-1\"}");
    s = cpt_read_data_ok(e, "aws_s3_bucket", "{\"bucket\": \"ds-bucket-1\"}");
    assert_string_equal(cpt_str(s, "arn"), "arn:aws:s3:::ds-bucket-1");
    assert_string_equal(cpt_str(s, "region"), "us-east-1");
    assert_string_equal(cpt_str(s, "bucket_domain_name"), "ds-bucket-1.s3.amazonaws.com");
    assert_string_equal(cpt_str(s, "bucket_regional_domain_name"),
                        "ds-bucket-1.s3.us-east-1.amazonaws.com");
    assert_string_equal(cpt_str(s, "hosted_zone_id"), "Z3AQBSTGFYJSTF");
    cp_release(s);
    cp_release(b);
    lookup_error(e, "aws_s3_bucket", "{\"bucket\": \"ds-bucket-none\"}",
                 "data.aws_s3_bucket.test: no S3 bucket named \"ds-bucket-none\" exists");

    const char *trust =
        "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":"
        "\\\"Allow\\\",\\\"Principal\\\":{\\\"Service\\\":\\\"ec2.amazonaws.com\\\"},"
        "\\\"Action\\\":\\\"sts:AssumeRole\\\"}]}";
    char cfg[512];
    snprintf(cfg, sizeof cfg, "{\"name\": \"ds-role\", \"assume_role_policy\": \"%s\"}", trust);
    r = cpt_create_ok(e, "aws_iam_role", cfg);
    s = cpt_read_data_ok(e, "aws_iam_role", "{\"name\": \"ds-role\"}");
    json_t *got = cpt_aws(e, "iam", "get_role(RoleName='ds-role')");
    json_t *gr = json_object_get(got, "Role");
    assert_string_equal(cpt_str(s, "arn"), jstr(gr, "Arn"));
    assert_string_equal(cpt_str(s, "unique_id"), jstr(gr, "RoleId"));
    assert_string_equal(cpt_str(s, "path"), "/");
    assert_non_null(strstr(cpt_str(s, "assume_role_policy"), "ec2.amazonaws.com"));
    json_decref(got);
    cp_release(s);
    cp_release(r);
    lookup_error(e, "aws_iam_role", "{\"name\": \"ds-none\"}",
                 "data.aws_iam_role.test: no IAM role named \"ds-none\" exists");
}

static void test_lb(void **st)
{
    cpt_env *e = *st;
    cpt_vpc v;
    cpt_vpc_make(e, &v);
    char cfg[512];
    snprintf(cfg, sizeof cfg,
             "{\"name\": \"ds-lb\", \"internal\": false, \"load_balancer_type\": \"application\", "
             "\"subnets\": [\"%s\", \"%s\"], \"security_groups\": [\"%s\"], \"idle_timeout\": 60}",
             v.subnet[0], v.subnet[1], v.sg);
    cp_value *lb = cpt_create_ok(e, "aws_lb", cfg);
    cp_value *s = cpt_read_data_ok(e, "aws_lb", "{\"name\": \"ds-lb\"}");
    assert_string_equal(cpt_str(s, "arn"), cpt_str(lb, "arn"));
    assert_string_equal(cpt_str(s, "dns_name"), cpt_str(lb, "dns_name"));
    assert_string_equal(cpt_str(s, "zone_id"), cpt_str(lb, "zone_id"));
    assert_string_equal(cpt_str(s, "vpc_id"), v.vpc);
    assert_string_equal(cpt_str(s, "arn_suffix"), cpt_str(lb, "arn_suffix"));
    assert_int_equal(cp_len(cp_get_list(s, "subnets")), 2);
    assert_string_equal(cp_string_val(cp_list_get(cp_get_list(s, "security_groups"), 0)), v.sg);
    cp_release(s);
    snprintf(cfg, sizeof cfg, "{\"arn\": \"%s\"}", cpt_str(lb, "arn"));
    s = cpt_read_data_ok(e, "aws_lb", cfg);
    assert_string_equal(cpt_str(s, "name"), "ds-lb");
    cp_release(s);
    lookup_error(e, "aws_lb", "{\"name\": \"ds-none\"}",
                 "data.aws_lb.test: no load balancer named \"ds-none\" exists");
    cp_release(lb);
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
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy_document_golden),
        cmocka_unit_test(test_policy_document_errors),
        cmocka_unit_test_setup(test_caller_region_partition, reset),
        cmocka_unit_test_setup(test_vpc, reset),
        cmocka_unit_test_setup(test_subnets_and_groups, reset),
        cmocka_unit_test_setup(test_by_name, reset),
        cmocka_unit_test_setup(test_lb, reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
