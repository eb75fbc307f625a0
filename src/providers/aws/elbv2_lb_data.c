/*
 * elbv2_lb_data.c: data source aws_lb — the load balancer with `arn` or
 * `name` (DescribeLoadBalancers, read as the aws_lb resource reads it):
 * dns_name, zone_id, arn_suffix, security_groups, subnets, vpc_id. id = the
 * ARN.
 */
#include "providers/aws/aws_data.h"
#include "providers/aws/aws_types.h"
#include "providers/aws/elbv2_common.h"

#include <stdlib.h>

#include "util/xalloc.h"
#include <string.h>

extern const cp_resource_type cp_aws_lb;

static const cp_schema_attr attrs[] = {
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "ARN of the load balancer (set arn or name)." },
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "Name of the load balancer (set arn or name)." },
    { .name = "arn_suffix",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "The ARN after loadbalancer/, for CloudWatch dimensions." },
    { .name = "dns_name",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "DNS name of the load balancer." },
    { .name = "zone_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Route 53 hosted zone id of the load balancer (for alias records)." },
    { .name = "internal",
      .type = CP_AT_BOOL,
      .flags = CP_COMPUTED,
      .description = "Whether it is internal." },
    { .name = "load_balancer_type",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "application, network or gateway." },
    { .name = "security_groups",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Ids of its security groups." },
    { .name = "subnets",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Ids of its subnets." },
    { .name = "vpc_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of its VPC." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Its tags." },
    { .name = "id", .type = CP_AT_STRING, .flags = CP_COMPUTED, .description = "Its ARN." },
    { NULL },
};

static const char *const lb_gone[] = { "LoadBalancerNotFound", NULL };

/* The ARN of the load balancer `name`: 0, 1 when none has it, -1. */
static int arn_of(cp_provider_call *c, const char *name, char **arn)
{
    xmlDocPtr doc;
    int rc = elbv2_call1(c, "DescribeLoadBalancers", "Names.member.1", name, lb_gone, &doc);
    if (rc != 0) return rc;
    *arn = aws_xml_text(aws_xml_root(doc),
                        "DescribeLoadBalancersResult/LoadBalancers/member/LoadBalancerArn");
    xmlFreeDoc(doc);
    return *arn ? 0 : 1;
}

static int lb_read_data(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *name = cp_get_str(config, "name"), *want = cp_get_str(config, "arn");
    char *arn = want ? cp_xstrdup(want) : NULL;
    if (!arn && !name) return cp_fail(c, "%s: set arn or name of the load balancer", c->address);
    int rc = arn ? 0 : arn_of(c, name, &arn);
    if (rc < 0) return -1;
    if (rc > 0)
        return cp_fail(c,
                       "%s: no load balancer named \"%s\" exists in this region; check the "
                       "name (or create it first)",
                       c->address, name);
    cp_value *lb;
    rc = cp_aws_data_read(c, &cp_aws_lb, arn, "load balancer", &lb);
    free(arn);
    if (rc != 0) return -1;
    if (name && strcmp(name, cp_get_str_or(lb, "name", ""))) {
        cp_release(lb);
        return cp_fail(c,
                       "%s: the load balancer %s is named \"%s\", not \"%s\"; set arn or name "
                       "only",
                       c->address, want, cp_get_str_or(lb, "name", ""), name);
    }
    static const char *const keys[] = { "arn",
                                        "name",
                                        "arn_suffix",
                                        "dns_name",
                                        "zone_id",
                                        "internal",
                                        "load_balancer_type",
                                        "security_groups",
                                        "subnets",
                                        "vpc_id",
                                        "tags",
                                        "id",
                                        NULL };
    *state = cp_aws_data_state(attrs, config, lb, keys);
    cp_release(lb);
    return 0;
}

const cp_resource_type cp_aws_lb_data = {
    .name = "aws_lb",
    .description = "A load balancer by ARN or name: DNS name, zone id, subnets, security groups "
                   "(data source).",
    .attrs = attrs,
    .is_data = true,
    .read_data = lb_read_data,
};
