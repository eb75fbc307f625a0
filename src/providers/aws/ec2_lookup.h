/*
 * ec2_lookup.h: what the EC2 data sources (aws_vpc, aws_subnet,
 * aws_subnets, aws_security_group) share: Filter.N parameters from their
 * arguments, `tags` and `filter` blocks, the one matching item of a
 * Describe* answer, and "no … matches" / "N … match" errors that name the
 * criteria.
 */
#ifndef CP_PROVIDERS_AWS_EC2_LOOKUP_H
#define CP_PROVIDERS_AWS_EC2_LOOKUP_H

#include "providers/aws/ec2_common.h"

/* One argument sent as a Describe* filter: its argument name, the EC2
 * filter name and (filled by ec2_lookup_params) its value or NULL. */
typedef struct ec2_lookup_arg {
    const char *attr, *filter;
} ec2_lookup_arg;

typedef struct ec2_lookup {
    const char *action;         /* DescribeVpcs */
    const char *ids_param;      /* VpcId (sent as VpcId.1 when `id` is set), or NULL */
    const char *items;          /* vpcSet/item */
    const char *what;           /* VPC */
    const ec2_lookup_arg *args; /* {NULL}-terminated */
} ec2_lookup;

/* The `filter` block schema (name, values) every EC2 lookup takes. */
extern const cp_schema_attr ec2_lookup_filter_attrs[];

/* Runs the Describe call of config (arguments, tags, filter blocks):
 * 0 with *doc (caller frees) and *n matches; -1 with c->error. */
int ec2_lookup_run(cp_provider_call *c, const ec2_lookup *l, const cp_value *config, xmlDocPtr *doc,
                   size_t *n);
/* The one match: 0 with *doc and *item; -1 with "no VPC matches …" or
 * "3 VPCs match …" (Terraform's rule for singular lookups). */
int ec2_lookup_one(cp_provider_call *c, const ec2_lookup *l, const cp_value *config, xmlDocPtr *doc,
                   xmlNodePtr *item);

#endif
