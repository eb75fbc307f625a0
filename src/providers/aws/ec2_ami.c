/*
 * ec2_ami.c: data source aws_ami — finds one AMI by owners, `filter`
 * blocks and an optional name_regex (POSIX extended). With most_recent
 * the newest match wins; without it more than one match is an error, as
 * in Terraform.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/ec2_common.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static const cp_schema_attr filter_attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description = "Name of a DescribeImages filter, e.g. name or architecture." },
    { .name = "values",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description =
          "Values to match; `*` and `?` are wildcards, e.g. `[\"al2023-ami-*-x86_64\"]`." },
    { NULL },
};

static const char *validate_regex(const cp_value *v)
{
    regex_t re;
    if (regcomp(&re, cp_string_val(v), REG_EXTENDED | REG_NOSUB) != 0)
        return "name_regex must be a valid (POSIX extended) regular expression";
    regfree(&re);
    return NULL;
}

static const cp_schema_attr attrs[] = {
    { .name = "owners",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Owners to search: account ids, \"self\" or an alias such as \"amazon\"." },
    { .name = "most_recent",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description =
          "With several matches, take the newest; otherwise several matches are an error." },
    { .name = "filter",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = filter_attrs,
      .description = "Filters passed to DescribeImages; an image must match all of them." },
    { .name = "name_regex",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .validate = validate_regex,
      .description =
          "POSIX extended regular expression the image name must match (applied after filters)." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the AMI (ami-…)." },
    { .name = "arn", .type = CP_AT_STRING, .flags = CP_COMPUTED, .description = "ARN of the AMI." },
    { .name = "image_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the AMI (ami-…); the same as id." },
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Name of the AMI." },
    { .name = "description",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Description of the AMI." },
    { .name = "architecture",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Processor architecture, e.g. x86_64 or arm64." },
    { .name = "creation_date",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "When the AMI was created (ISO 8601)." },
    { .name = "owner_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the AWS account that owns the AMI." },
    { .name = "image_owner_alias",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Owner alias, e.g. amazon, when the owner has one." },
    { .name = "root_device_name",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Device name of the root volume, e.g. /dev/xvda." },
    { .name = "root_device_type",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Type of the root device: ebs or instance-store." },
    { .name = "virtualization_type",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Virtualization type: hvm or paravirtual." },
    { .name = "platform_details",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Platform details, e.g. Linux/UNIX." },
    { .name = "state",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "State of the AMI, e.g. available." },
    { NULL },
};

static void ami_params(aws_params *p, const cp_value *config)
{
    cp_aws_list_params(p, "Owner", cp_get_list(config, "owners"));
    const cp_value *filters = cp_get_list(config, "filter");
    for (size_t i = 0; filters && i < cp_len(filters); i++) {
        const cp_value *f = cp_list_get(filters, i), *vals = cp_get_list(f, "values");
        aws_params_addf(p, cp_get_str(f, "name"), "Filter.%zu.Name", i + 1);
        for (size_t j = 0; vals && j < cp_len(vals); j++)
            aws_params_addf(p, cp_string_val(cp_list_get(vals, j)), "Filter.%zu.Value.%zu", i + 1,
                            j + 1);
    }
}

/* The matching image: the newest one with most_recent, else the only one;
 * *count = how many matched. */
static xmlNodePtr ami_pick(xmlNodePtr root, const regex_t *re, size_t *count)
{
    xmlNodePtr best = NULL;
    char *best_date = NULL;
    *count = 0;
    for (xmlNodePtr it = aws_xml_find(root, "imagesSet/item"); it; it = aws_xml_next(it)) {
        char *name = aws_xml_text(it, "name"), *date = aws_xml_text(it, "creationDate");
        bool ok = !re || (name && regexec(re, name, 0, NULL, 0) == 0);
        if (ok) {
            ++*count;
            if (!best || (date && best_date && strcmp(date, best_date) > 0)) {
                best = it;
                free(best_date);
                best_date = date;
                date = NULL;
            }
        }
        free(name);
        free(date);
    }
    free(best_date);
    return best;
}

static void ami_fill(cp_value *s, xmlNodePtr it)
{
    static const char *const fields[][2] = {
        { "id", "imageId" },
        { "image_id", "imageId" },
        { "name", "name" },
        { "description", "description" },
        { "architecture", "architecture" },
        { "creation_date", "creationDate" },
        { "owner_id", "imageOwnerId" },
        { "image_owner_alias", "imageOwnerAlias" },
        { "root_device_name", "rootDeviceName" },
        { "root_device_type", "rootDeviceType" },
        { "virtualization_type", "virtualizationType" },
        { "platform_details", "platformDetails" },
        { "state", "imageState" },
    };
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        cp_set_xml(s, fields[i][0], it, fields[i][1]);
}

static int ami_read_data(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *rx = cp_get_str(config, "name_regex");
    regex_t re;
    if (rx && regcomp(&re, rx, REG_EXTENDED | REG_NOSUB) != 0)
        return cp_fail(c, "%s: name_regex \"%s\" is not a valid regular expression", c->address,
                       rx);
    aws_params *p = aws_params_new();
    ami_params(p, config);
    xmlDocPtr doc;
    int rc = ec2_call(c, "DescribeImages", p, NULL, &doc);
    aws_params_free(p);
    size_t n = 0;
    xmlNodePtr it = rc == 0 ? ami_pick(aws_xml_root(doc), rx ? &re : NULL, &n) : NULL;
    if (rx) regfree(&re);
    if (rc != 0) return -1;
    if (n == 0 || (n > 1 && !cp_get_bool(config, "most_recent", false))) {
        xmlFreeDoc(doc);
        return cp_fail(
            c,
            n == 0 ? "%s: no AMI matches the owners, filters and name_regex; widen the "
                     "search (check the owner account and the name pattern)"
                   : "%s: more than one AMI matches; set most_recent = true or narrow the filters",
            c->address);
    }
    cp_value *s = cp_state_start(attrs, config);
    ami_fill(s, it);
    char *what = cp_xasprintf("image/%s", cp_get_str(s, "id"));
    cp_set_take(s, "arn", ec2_arn(c, "", what)); /* images have no account in their ARN */
    free(what);
    xmlFreeDoc(doc);
    *state = s;
    return 0;
}

const cp_resource_type cp_aws_ami_data = {
    .name = "aws_ami",
    .description = "Finds an AMI by owners, filters and name (data source).",
    .attrs = attrs,
    .is_data = true,
    .read_data = ami_read_data,
};
