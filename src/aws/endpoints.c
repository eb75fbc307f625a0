/*
 * endpoints.c: the service table, partitions, endpoint URLs with their
 * environment overrides, and region resolution (see endpoints.h).
 */
#include "aws/endpoints.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws/config_file.h"
#include "util/xalloc.h"

static const aws_service SERVICES[] = {
    { "iam", "iam", "iam", "IAM", "2010-05-08", AWS_PROTO_QUERY, NULL, true },
    { "sts", "sts", "sts", "STS", "2011-06-15", AWS_PROTO_QUERY, NULL, false },
    { "ec2", "ec2", "ec2", "EC2", "2016-11-15", AWS_PROTO_EC2_QUERY, NULL, false },
    { "elbv2", "elasticloadbalancing", "elasticloadbalancing", "Elastic Load Balancing v2",
      "2015-12-01", AWS_PROTO_QUERY, NULL, false },
    { "rds", "rds", "rds", "RDS", "2014-10-31", AWS_PROTO_QUERY, NULL, false },
    { "cloudwatch", "monitoring", "monitoring", "CloudWatch", "2010-08-01", AWS_PROTO_QUERY, NULL,
      false },
    { "sns", "sns", "sns", "SNS", "2010-03-31", AWS_PROTO_QUERY, NULL, false },
    { "autoscaling", "autoscaling", "autoscaling", "Auto Scaling", "2011-01-01", AWS_PROTO_QUERY,
      NULL, false },
    { "ecr", "ecr", "api.ecr", "ECR", NULL, AWS_PROTO_JSON, "1.1", false },
    { "ecs", "ecs", "ecs", "ECS", NULL, AWS_PROTO_JSON, "1.1", false },
    { "logs", "logs", "logs", "CloudWatch Logs", NULL, AWS_PROTO_JSON, "1.1", false },
    { "acm", "acm", "acm", "ACM", NULL, AWS_PROTO_JSON, "1.1", false },
    { "application-autoscaling", "application-autoscaling", "application-autoscaling",
      "Application Auto Scaling", NULL, AWS_PROTO_JSON, "1.1", false },
    /* SQS serves JSON 1.0 and query; query is what every botocore model in use has */
    { "sqs", "sqs", "sqs", "SQS", "2012-11-05", AWS_PROTO_QUERY, NULL, false },
    { "ssm", "ssm", "ssm", "SSM", NULL, AWS_PROTO_JSON, "1.1", false },
    { "dynamodb", "dynamodb", "dynamodb", "DynamoDB", NULL, AWS_PROTO_JSON, "1.0", false },
    { "secretsmanager", "secretsmanager", "secretsmanager", "Secrets Manager", NULL, AWS_PROTO_JSON,
      "1.1", false },
    { "events", "events", "events", "EventBridge", NULL, AWS_PROTO_JSON, "1.1", false },
    { "lambda", "lambda", "lambda", "Lambda", NULL, AWS_PROTO_REST_JSON, NULL, false },
    { "s3", "s3", "s3", "S3", NULL, AWS_PROTO_REST_XML, NULL, false },
    { "route53", "route53", "route53", "Route 53", "2013-04-01", AWS_PROTO_REST_XML, NULL, true },
    /* tags of many resources at once (refresh's batch reads) */
    { "tagging", "tagging", "tagging", "Resource Groups Tagging API", NULL, AWS_PROTO_JSON, "1.1",
      false },
};

const aws_service *aws_service_find(const char *name)
{
    for (size_t i = 0; name && i < sizeof SERVICES / sizeof SERVICES[0]; i++)
        if (strcmp(SERVICES[i].key, name) == 0 || strcmp(SERVICES[i].signing_name, name) == 0)
            return &SERVICES[i];
    return NULL;
}

const char *aws_partition_of(const char *region)
{
    if (region && strncmp(region, "cn-", 3) == 0) return "aws-cn";
    if (region && strncmp(region, "us-gov-", 7) == 0) return "aws-us-gov";
    return "aws";
}

char *aws_endpoint_env_name(const aws_service *svc)
{
    cp_buf b = { 0 };
    cp_buf_adds(&b, "AWS_ENDPOINT_URL_");
    for (const char *p = svc->service_id; *p; p++)
        cp_buf_addc(&b, *p == ' ' ? '_' : (char)toupper((unsigned char)*p));
    return cp_buf_steal(&b);
}

bool aws_host_is_ip_or_localhost(const char *host)
{
    char h[300];
    snprintf(h, sizeof h, "%s", host);
    if (h[0] == '[') { /* [v6]:port */
        char *e = strchr(h, ']');
        if (e) *e = '\0';
        memmove(h, h + 1, strlen(h));
    } else {
        char *colon = strchr(h, ':');
        if (colon && !strchr(colon + 1, ':')) *colon = '\0'; /* host:port, not bare v6 */
    }
    unsigned char addr[16];
    return strcasecmp(h, "localhost") == 0 || inet_pton(AF_INET, h, addr) == 1 ||
           inet_pton(AF_INET6, h, addr) == 1;
}

static const char *env_get(aws_getenv_fn g, const char *name)
{
    const char *v = g ? g(name) : getenv(name);
    return v && *v ? v : NULL;
}

/* Split an override URL into url (no trailing slash) and host. */
static int set_from_url(aws_endpoint *out, const char *url, const char *var, cp_buf *why)
{
    const char *sep = strstr(url, "://");
    if (!sep || (strncmp(url, "http", 4) != 0)) {
        cp_buf_printf(why, "%s=%s is not a URL; set it to e.g. http://127.0.0.1:4566", var, url);
        return -1;
    }
    snprintf(out->url, sizeof out->url, "%s", url);
    size_t n = strlen(out->url);
    while (n && out->url[n - 1] == '/') out->url[--n] = '\0';
    const char *host = sep + 3;
    size_t hl = strcspn(host, "/?");
    snprintf(out->host, sizeof out->host, "%.*s", (int)hl, host);
    out->overridden = true;
    return 0;
}

static void default_host(const aws_service *svc, const char *region, char *host, size_t n,
                         char *signing_region, size_t sn)
{
    const char *part = aws_partition_of(region);
    const char *suffix = strcmp(part, "aws-cn") == 0 ? "amazonaws.com.cn" : "amazonaws.com";
    snprintf(signing_region, sn, "%s", region);
    if (!svc->global) {
        snprintf(host, n, "%s.%s.%s", svc->endpoint_prefix, region, suffix);
    } else if (strcmp(part, "aws-cn") == 0) {
        snprintf(host, n, "%s.cn-north-1.%s", svc->endpoint_prefix, suffix);
        snprintf(signing_region, sn, "cn-north-1");
    } else if (strcmp(part, "aws-us-gov") == 0) {
        snprintf(host, n, "%s.us-gov.%s", svc->endpoint_prefix, suffix);
        snprintf(signing_region, sn, "us-gov-west-1");
    } else {
        snprintf(host, n, "%s.%s", svc->endpoint_prefix, suffix);
        snprintf(signing_region, sn, "us-east-1");
    }
}

int aws_endpoint_resolve(const aws_service *svc, const char *region, aws_getenv_fn g,
                         bool s3_force_path_style, aws_endpoint *out, cp_buf *why)
{
    memset(out, 0, sizeof *out);
    if (!region || !*region) {
        cp_buf_printf(why, "no region for %s; set AWS_REGION or the stack's region", svc->key);
        return -1;
    }
    char *var = aws_endpoint_env_name(svc);
    const char *url = env_get(g, var);
    const char *used = var;
    if (!url) {
        url = env_get(g, "AWS_ENDPOINT_URL");
        used = "AWS_ENDPOINT_URL";
    }
    char host[300];
    default_host(svc, region, host, sizeof host, out->signing_region, sizeof out->signing_region);
    int rc = 0;
    if (url) {
        rc = set_from_url(out, url, used, why);
        if (!svc->global) snprintf(out->signing_region, sizeof out->signing_region, "%s", region);
    } else {
        snprintf(out->host, sizeof out->host, "%s", host);
        snprintf(out->url, sizeof out->url, "https://%s", host);
    }
    free(var);
    if (strcmp(svc->key, "s3") == 0)
        out->s3_path_style = s3_force_path_style || aws_host_is_ip_or_localhost(out->host);
    return rc;
}

char *aws_region_resolve(const char *cli_region, const char *stack_region, const char *profile,
                         aws_getenv_fn g, cp_buf *why)
{
    if (cli_region && *cli_region) return cp_xstrdup(cli_region);
    if (stack_region && *stack_region) return cp_xstrdup(stack_region);
    const char *r = env_get(g, "AWS_REGION");
    if (!r) r = env_get(g, "AWS_DEFAULT_REGION");
    if (r) return cp_xstrdup(r);
    const char *pname = aws_profile_name(profile, g);
    aws_profile *p = aws_profile_load(pname, g);
    const char *pr = aws_profile_get(p, "region");
    char *res = pr ? cp_xstrdup(pr) : NULL;
    aws_profile_free(p);
    if (!res) {
        char *conf = aws_config_file_path(g);
        cp_buf_printf(why,
                      "no AWS region: none of -region, the stack's region, AWS_REGION, "
                      "AWS_DEFAULT_REGION or region in profile \"%s\" of %s is set; "
                      "set one, e.g. export AWS_REGION=eu-west-1",
                      pname, conf);
        free(conf);
    }
    return res;
}
