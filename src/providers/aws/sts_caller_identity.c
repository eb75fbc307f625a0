/*
 * sts_caller_identity.c: data source aws_caller_identity — who the
 * provider's credentials are (STS GetCallerIdentity): account_id, arn and
 * user_id. id = the account id.
 */
#include "providers/aws/aws_common.h"
#include "providers/aws/aws_types.h"

#include <stdlib.h>

static const cp_schema_attr attrs[] = {
    { .name = "account_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the AWS account the credentials belong to." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the calling user or assumed role." },
    { .name = "user_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Unique id of the caller (AIDA… for a user, AROA…:session for a role)." },
    { .name = "id", .type = CP_AT_STRING, .flags = CP_COMPUTED, .description = "The account id." },
    { NULL },
};

static int caller_read_data(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    aws_params *p = aws_params_new();
    xmlDocPtr doc;
    int rc = cp_aws_query(c, "sts", "GetCallerIdentity", p, NULL, &doc);
    aws_params_free(p);
    if (rc != 0) return -1;
    xmlNodePtr r = aws_xml_find(aws_xml_root(doc), "GetCallerIdentityResult");
    cp_value *s = cp_state_start(attrs, config);
    cp_set_xml(s, "account_id", r, "Account");
    cp_set_xml(s, "id", r, "Account");
    cp_set_xml(s, "arn", r, "Arn");
    cp_set_xml(s, "user_id", r, "UserId");
    xmlFreeDoc(doc);
    *state = s;
    return 0;
}

const cp_resource_type cp_aws_caller_identity_data = {
    .name = "aws_caller_identity",
    .description = "The account, ARN and user id of the provider's credentials (data source).",
    .attrs = attrs,
    .is_data = true,
    .read_data = caller_read_data,
};
