/*
 * meta_region_partition.c: data sources aws_region and aws_partition —
 * facts about where the provider runs, known without an API call (as in
 * Terraform, from the partition's region list).
 *
 * aws_region: the provider's region, or the one `region` (or its older
 * name `name`) or `endpoint` names; its EC2 endpoint host and description.
 * A region the partition does not list is an error. id = the name.
 * aws_partition: the region's partition (aws, aws-cn, aws-us-gov), its DNS
 * suffix and reverse DNS prefix. id = the partition.
 */
#include "providers/aws/aws_common.h"
#include "providers/aws/aws_types.h"

#include <string.h>

#include "aws/endpoints.h"
#include "util/xalloc.h"

static const char *const regions[][2] = {
    { "af-south-1", "Africa (Cape Town)" },
    { "ap-east-1", "Asia Pacific (Hong Kong)" },
    { "ap-northeast-1", "Asia Pacific (Tokyo)" },
    { "ap-northeast-2", "Asia Pacific (Seoul)" },
    { "ap-northeast-3", "Asia Pacific (Osaka)" },
    { "ap-south-1", "Asia Pacific (Mumbai)" },
    { "ap-south-2", "Asia Pacific (Hyderabad)" },
    { "ap-southeast-1", "Asia Pacific (Singapore)" },
    { "ap-southeast-2", "Asia Pacific (Sydney)" },
    { "ap-southeast-3", "Asia Pacific (Jakarta)" },
    { "ap-southeast-4", "Asia Pacific (Melbourne)" },
    { "ca-central-1", "Canada (Central)" },
    { "ca-west-1", "Canada West (Calgary)" },
    { "eu-central-1", "Europe (Frankfurt)" },
    { "eu-central-2", "Europe (Zurich)" },
    { "eu-north-1", "Europe (Stockholm)" },
    { "eu-south-1", "Europe (Milan)" },
    { "eu-south-2", "Europe (Spain)" },
    { "eu-west-1", "Europe (Ireland)" },
    { "eu-west-2", "Europe (London)" },
    { "eu-west-3", "Europe (Paris)" },
    { "il-central-1", "Israel (Tel Aviv)" },
    { "me-central-1", "Middle East (UAE)" },
    { "me-south-1", "Middle East (Bahrain)" },
    { "sa-east-1", "South America (Sao Paulo)" },
    { "us-east-1", "US East (N. Virginia)" },
    { "us-east-2", "US East (Ohio)" },
    { "us-west-1", "US West (N. California)" },
    { "us-west-2", "US West (Oregon)" },
    { "cn-north-1", "China (Beijing)" },
    { "cn-northwest-1", "China (Ningxia)" },
    { "us-gov-east-1", "AWS GovCloud (US-East)" },
    { "us-gov-west-1", "AWS GovCloud (US-West)" },
};
#define N_REGIONS (sizeof regions / sizeof *regions)

static const char *dns_suffix(const char *partition)
{
    return strcmp(partition, "aws-cn") ? "amazonaws.com" : "amazonaws.com.cn";
}

static char *ec2_endpoint(const char *region)
{
    return cp_xasprintf("ec2.%s.%s", region, dns_suffix(aws_partition_of(region)));
}

/* ---- aws_region ----------------------------------------------------------------------------- */

static const cp_schema_attr region_attrs[] = {
    { .name = "region",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "The region to describe; default: the provider's region." },
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "The region's name (the older spelling of region; either may be set)." },
    { .name = "endpoint",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "The region's EC2 endpoint host, e.g. ec2.eu-west-1.amazonaws.com; set it "
                     "to find the region by its endpoint." },
    { .name = "description",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "The region's description, e.g. Europe (Ireland)." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "The region's name." },
    { NULL },
};

/* The table row of region name, or of the region whose endpoint is ep. */
static const char *const *region_row(const char *name, const char *ep)
{
    for (size_t i = 0; i < N_REGIONS; i++) {
        char *e = ec2_endpoint(regions[i][0]);
        bool hit = name ? !strcmp(regions[i][0], name) : !strcmp(e, ep);
        free(e);
        if (hit) return regions[i];
    }
    return NULL;
}

static int region_read_data(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *want = cp_get_str(config, "region"), *name = cp_get_str(config, "name");
    const char *ep = cp_get_str(config, "endpoint");
    if (want && name && strcmp(want, name))
        return cp_fail(c, "%s: region \"%s\" and name \"%s\" differ; set only one of them",
                       c->address, want, name);
    if (!want) want = name;
    if (!want && !ep) want = aws_client_region(cp_aws_client(c));
    const char *const *row = region_row(want, ep);
    if (!row)
        return cp_fail(c,
                       want ? "%s: no AWS region is named \"%s\"; use a region name such as "
                              "eu-west-1"
                            : "%s: no AWS region has the endpoint \"%s\"; give an EC2 endpoint "
                              "host such as ec2.eu-west-1.amazonaws.com",
                       c->address, want ? want : ep);
    char *e = ec2_endpoint(row[0]);
    if (ep && strcmp(ep, e)) {
        int rc = cp_fail(c, "%s: the endpoint of region %s is %s, not %s; set one of them only",
                         c->address, row[0], e, ep);
        free(e);
        return rc;
    }
    cp_value *s = cp_state_start(region_attrs, config);
    cp_set_str(s, "region", row[0]);
    cp_set_str(s, "name", row[0]);
    cp_set_str(s, "id", row[0]);
    cp_set_str(s, "description", row[1]);
    cp_set_take(s, "endpoint", cp_string_take(e));
    *state = s;
    return 0;
}

const cp_resource_type cp_aws_region_data = {
    .name = "aws_region",
    .description = "The provider's region (or a named one): name, EC2 endpoint and description "
                   "(data source; no API call).",
    .attrs = region_attrs,
    .is_data = true,
    .read_data = region_read_data,
};

/* ---- aws_partition -------------------------------------------------------------------------- */

static const cp_schema_attr partition_attrs[] = {
    { .name = "partition",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "The partition of the provider's region: aws, aws-cn or aws-us-gov (as in "
                     "arn:aws:…)." },
    { .name = "dns_suffix",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "The partition's DNS suffix, e.g. amazonaws.com." },
    { .name = "reverse_dns_prefix",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "The DNS suffix reversed, e.g. com.amazonaws." },
    { .name = "id", .type = CP_AT_STRING, .flags = CP_COMPUTED, .description = "The partition." },
    { NULL },
};

static int partition_read_data(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *part = aws_partition_of(aws_client_region(cp_aws_client(c)));
    cp_value *s = cp_state_start(partition_attrs, config);
    cp_set_str(s, "partition", part);
    cp_set_str(s, "id", part);
    cp_set_str(s, "dns_suffix", dns_suffix(part));
    cp_set_str(s, "reverse_dns_prefix",
               strcmp(part, "aws-cn") ? "com.amazonaws" : "cn.com.amazonaws");
    *state = s;
    return 0;
}

const cp_resource_type cp_aws_partition_data = {
    .name = "aws_partition",
    .description = "The partition of the provider's region: name, DNS suffix and reverse DNS "
                   "prefix (data source; no API call).",
    .attrs = partition_attrs,
    .is_data = true,
    .read_data = partition_read_data,
};
