/*
 * ec2_security_group_rule.h: the id aws_security_group_rule gives a rule,
 * composed as Terraform composes it (exported for its tests).
 */
#ifndef CP_PROVIDERS_AWS_EC2_SECURITY_GROUP_RULE_H
#define CP_PROVIDERS_AWS_EC2_SECURITY_GROUP_RULE_H

#include "lang/value.h"

/* "sgrule-<crc32>" of config's group, ports, protocol, type and peers (malloc'd). */
char *ec2_security_group_rule_id(const cp_value *config);

#endif
