/*
 * endpoints.h: which service, which region, which URL.
 *
 * A small static table knows each supported service: its key for
 * providers ("ec2", "elbv2", ...), credential-scope signing name, endpoint
 * prefix, SDK service id (for AWS_ENDPOINT_URL_<ID>), API version and wire
 * protocol. Endpoints follow the partition of the region (aws, aws-cn,
 * aws-us-gov); IAM is global (signed for us-east-1 in the aws partition).
 * AWS_ENDPOINT_URL_<SERVICE_ID> then AWS_ENDPOINT_URL override the URL.
 */
#ifndef CP_AWS_ENDPOINTS_H
#define CP_AWS_ENDPOINTS_H

#include <stdbool.h>

#include "aws/credentials.h"
#include "util/buf.h"

typedef enum aws_protocol {
    AWS_PROTO_QUERY,
    AWS_PROTO_EC2_QUERY, /* query, with EC2's error and list shapes */
    AWS_PROTO_JSON,      /* awsJson1_0 / 1_1: see json_version */
    AWS_PROTO_REST_JSON,
    AWS_PROTO_REST_XML,
} aws_protocol;

typedef struct aws_service {
    const char *key;             /* "ec2", "elbv2", "cloudwatch", ... */
    const char *signing_name;    /* credential scope: "ec2", "elasticloadbalancing", "monitoring" */
    const char *endpoint_prefix; /* host prefix: "ec2", "api.ecr", ... */
    const char *service_id;      /* SDK service id: "Elastic Load Balancing v2" */
    const char *api_version;     /* query protocol Version */
    aws_protocol protocol;
    const char *json_version; /* "1.0" / "1.1" for AWS_PROTO_JSON */
    bool global;              /* one endpoint per partition (IAM) */
} aws_service;

/* Look up by key or signing name; NULL when unknown. */
const aws_service *aws_service_find(const char *name);

/* "aws", "aws-cn" or "aws-us-gov". */
const char *aws_partition_of(const char *region);

typedef struct aws_endpoint {
    char url[512];  /* scheme://host[:port][/base], no trailing slash */
    char host[300]; /* host[:port] for the Host header */
    char signing_region[64];
    bool overridden;    /* came from AWS_ENDPOINT_URL* */
    bool s3_path_style; /* S3: bucket in the path, not the host */
} aws_endpoint;

/*
 * Resolve the endpoint of `svc` in `region`. s3_force_path_style asks for
 * path-style S3; it is also chosen when the host is an IP or localhost.
 * Returns 0, or -1 with a one-line reason in why.
 */
int aws_endpoint_resolve(const aws_service *svc, const char *region, aws_getenv_fn getenv_fn,
                         bool s3_force_path_style, aws_endpoint *out, cp_buf *why);

/* "AWS_ENDPOINT_URL_" + service id upper-cased, spaces → '_'. Caller frees. */
char *aws_endpoint_env_name(const aws_service *svc);

/*
 * Region: cli (-region) > stack > AWS_REGION > AWS_DEFAULT_REGION > the
 * profile's `region` in the config file. Returns a malloc'd string, or NULL
 * with a one-line reason in why.
 */
char *aws_region_resolve(const char *cli_region, const char *stack_region, const char *profile,
                         aws_getenv_fn getenv_fn, cp_buf *why);

/* True when host (no port) is an IPv4/IPv6 literal or "localhost". */
bool aws_host_is_ip_or_localhost(const char *host);

#endif
