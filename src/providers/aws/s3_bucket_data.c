/*
 * s3_bucket_data.c: data source aws_s3_bucket — the bucket named `bucket`
 * (HeadBucket, read as the aws_s3_bucket resource reads it): arn, region,
 * domain names and the Route 53 hosted zone id of its region's S3 website
 * endpoint (the fixed table AWS publishes). id = the bucket name.
 */
#include "providers/aws/aws_data.h"
#include "providers/aws/aws_types.h"
#include "providers/aws/s3_common.h"

#include <string.h>

extern const cp_resource_type cp_aws_s3_bucket;

static const cp_schema_attr attrs[] = {
    { .name = "bucket",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description = "Name of the bucket." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the bucket (arn:aws:s3:::<bucket>)." },
    { .name = "region",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Region the bucket lives in." },
    { .name = "bucket_domain_name",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "<bucket>.s3.amazonaws.com." },
    { .name = "bucket_regional_domain_name",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "<bucket>.s3.<region>.amazonaws.com." },
    { .name = "hosted_zone_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Route 53 hosted zone id of the region's S3 website endpoint (for alias "
                     "records)." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "The bucket's name." },
    { NULL },
};

/* The S3 website endpoints' hosted zones, as AWS lists them. */
static const char *const zones[][2] = {
    { "af-south-1", "Z83WF9RJE8B12" },      { "ap-east-1", "ZNB98KWMFR0R6" },
    { "ap-northeast-1", "Z2M4EHUR26P7ZW" }, { "ap-northeast-2", "Z3W03O7B5YMIYP" },
    { "ap-northeast-3", "Z2YQB5RD63NC85" }, { "ap-south-1", "Z11RGJOFQNVJUP" },
    { "ap-southeast-1", "Z3O0J2DXBE1FTB" }, { "ap-southeast-2", "Z1WCIGYICN2BYD" },
    { "ca-central-1", "Z1QDHH18159H29" },   { "eu-central-1", "Z21DNDUVLTQW6Q" },
    { "eu-north-1", "Z3BAZG2TWCNX0D" },     { "eu-south-1", "Z30OZKI7KPW7MI" },
    { "eu-west-1", "Z1BKCTXD74EZPE" },      { "eu-west-2", "Z3GKZC51ZF0DB4" },
    { "eu-west-3", "Z3R1K369G5AVDG" },      { "me-south-1", "Z1MPMWCPA7YB62" },
    { "sa-east-1", "Z7KQH4QJS55SO" },       { "us-east-1", "Z3AQBSTGFYJSTF" },
    { "us-east-2", "Z2O1EMRO9K5GLX" },      { "us-west-1", "Z2F56UZL2M1ACD" },
    { "us-west-2", "Z3BJ6K6RIION7M" },      { "cn-north-1", "Z5CN8UMXT92WN" },
    { "cn-northwest-1", "Z282HJ1KT0DH03" }, { "us-gov-east-1", "Z2NIFVYYW2VKV1" },
    { "us-gov-west-1", "Z31GFT0UA1I2HV" },
};

static const char *zone_of(const char *region)
{
    for (size_t i = 0; region && i < sizeof zones / sizeof *zones; i++)
        if (!strcmp(zones[i][0], region)) return zones[i][1];
    return NULL;
}

static int bucket_read_data(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    cp_value *b;
    if (cp_aws_data_read(c, &cp_aws_s3_bucket, cp_get_str(config, "bucket"), "S3 bucket", &b) != 0)
        return -1;
    static const char *const keys[] = {
        "arn", "region", "bucket_domain_name", "bucket_regional_domain_name", "id", NULL
    };
    cp_value *s = cp_aws_data_state(attrs, config, b, keys);
    cp_set_str(s, "hosted_zone_id", zone_of(cp_get_str(b, "region")));
    cp_release(b);
    *state = s;
    return 0;
}

const cp_resource_type cp_aws_s3_bucket_data = {
    .name = "aws_s3_bucket",
    .description = "An S3 bucket by name: ARN, region, domain names and hosted zone id (data "
                   "source).",
    .attrs = attrs,
    .is_data = true,
    .read_data = bucket_read_data,
};
