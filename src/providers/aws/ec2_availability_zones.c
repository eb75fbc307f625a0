/*
 * ec2_availability_zones.c: data source aws_availability_zones — the
 * region's availability zones (names, zone_ids), optionally only those in
 * `state` ("available"). id = the region.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/ec2_common.h"

#include <string.h>

static const char *validate_state(const cp_value *v)
{
    static const char *const ok[] = { "available", "information", "impaired", "unavailable", NULL };
    for (const char *const *s = ok; *s; s++)
        if (!strcmp(cp_string_val(v), *s)) return NULL;
    return "state is \"available\", \"information\", \"impaired\" or \"unavailable\"";
}

static const cp_schema_attr attrs[] = {
    { .name = "state",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .validate = validate_state,
      .description = "Only zones in this state: available, information, impaired or unavailable." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "The region's name." },
    { .name = "names",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Names of the zones, e.g. [\"eu-west-1a\", \"eu-west-1b\"]." },
    { .name = "zone_ids",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Zone ids in the same order as names, e.g. euw1-az1." },
    { NULL },
};

static int azs_read_data(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    aws_params *p = aws_params_new();
    const char *want = cp_get_str(config, "state");
    if (want) {
        aws_params_add(p, "Filter.1.Name", "state");
        aws_params_add(p, "Filter.1.Value.1", want);
    }
    xmlDocPtr doc;
    int rc = ec2_call(c, "DescribeAvailabilityZones", p, NULL, &doc);
    aws_params_free(p);
    if (rc != 0) return -1;
    xmlNodePtr root = aws_xml_root(doc);
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", aws_client_region(cp_aws_client(c)));
    cp_set_take(s, "names", cp_aws_xml_strings(root, "availabilityZoneInfo/item", "zoneName"));
    cp_set_take(s, "zone_ids", cp_aws_xml_strings(root, "availabilityZoneInfo/item", "zoneId"));
    xmlFreeDoc(doc);
    *state = s;
    return 0;
}

const cp_resource_type cp_aws_availability_zones_data = {
    .name = "aws_availability_zones",
    .description = "The region's availability zones (data source).",
    .attrs = attrs,
    .is_data = true,
    .read_data = azs_read_data,
};
