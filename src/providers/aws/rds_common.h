/*
 * rds_common.h: what the RDS resource types (rds_*.c: aws_db_subnet_group,
 * aws_db_instance) share: the query call, tags by ARN (RDS lists them as
 * Tags.Tag.N), and list parameters in RDS's spelling (SubnetIds.
 * SubnetIdentifier.N, VpcSecurityGroupIds.VpcSecurityGroupId.N).
 */
#ifndef CP_PROVIDERS_AWS_RDS_COMMON_H
#define CP_PROVIDERS_AWS_RDS_COMMON_H

#include "providers/aws/aws_common.h"

int rds_call(cp_provider_call *c, const char *action, const aws_params *p, const char *const *gone,
             xmlDocPtr *doc);

/* Tags of arn (ListTagsForResource), kept like cp_tags_keep_take; NULL with c->error set. */
cp_value *rds_read_tags(cp_provider_call *c, const char *arn, const cp_value *prev);
/* RemoveTagsFromResource / AddTagsToResource. 0 / -1. */
int rds_update_tags(cp_provider_call *c, const char *arn, const cp_value *old_tags,
                    const cp_value *new_tags);

#endif
