/*
 * ec2_vpc_security_group_rule.c: aws_vpc_security_group_ingress_rule and
 * aws_vpc_security_group_egress_rule — one rule of a security group, one
 * peer each (cidr_ipv4, cidr_ipv6, prefix_list_id or
 * referenced_security_group_id), as AWS stores rules since 2021. The id is
 * the rule's id (sgr-…); import by it (an ingress type refuses an egress
 * rule's id). Everything but security_group_id changes in place
 * (ModifySecurityGroupRules; tags through CreateTags / DeleteTags); a new
 * group forces a new rule. The create sends the intent tag in its
 * TagSpecifications, so an interrupted create is found again by that tag
 * (DescribeSecurityGroupRules filtered by it).
 *
 * As in Terraform, do not mix these with the inline ingress / egress
 * blocks of aws_security_group for one group: each would remove the
 * other's rules. A group whose blocks are left out keeps what these add.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/ec2_common.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* The characters AWS allows in rule descriptions. */
static const char *validate_description(const cp_value *v)
{
    static const char ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                             " ._-:/()#,@[]+=&;{}!$*";
    const char *s = cp_string_val(v);
    size_t n = cp_string_len(v);
    if (n > 255 || strspn(s, ok) < n)
        return "rule descriptions are up to 255 characters from a-z, A-Z, 0-9, spaces and "
               "._-:/()#,@[]+=&;{}!$*";
    return NULL;
}

static const char *validate_cidr_ipv6(const cp_value *v)
{
    static const char *rule = "must be an IPv6 CIDR block such as 2001:db8::/32 (prefix 0-128)";
    const char *s = cp_string_val(v), *slash = strchr(s, '/');
    char ip[INET6_ADDRSTRLEN];
    if (!slash || (size_t)(slash - s) >= sizeof ip || !slash[1]) return rule;
    memcpy(ip, s, (size_t)(slash - s));
    ip[slash - s] = '\0';
    char *end;
    long bits = strtol(slash + 1, &end, 10);
    struct in6_addr a;
    if (inet_pton(AF_INET6, ip, &a) != 1 || *end || bits < 0 || bits > 128) return rule;
    return NULL;
}

static const cp_schema_attr attrs[] = {
    { .name = "security_group_id",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .description = "Id of the security group the rule belongs to (a change replaces the rule)." },
    { .name = "ip_protocol",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = ec2_validate_protocol,
      .description = "tcp, udp, icmp, icmpv6, a protocol number 0-255, or -1 for every protocol "
                     "(then from_port and to_port stay unset)." },
    { .name = "from_port",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .validate = ec2_validate_port,
      .description = "Start of the port range (ICMP type for icmp)." },
    { .name = "to_port",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .validate = ec2_validate_port,
      .description = "End of the port range (ICMP code for icmp)." },
    { .name = "cidr_ipv4",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .validate = ec2_validate_cidr,
      .description = "IPv4 range of the peer. Exactly one of cidr_ipv4, cidr_ipv6, prefix_list_id "
                     "and referenced_security_group_id is set." },
    { .name = "cidr_ipv6",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .validate = validate_cidr_ipv6,
      .description = "IPv6 range of the peer." },
    { .name = "prefix_list_id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Id of the managed prefix list of the peer (pl-…)." },
    { .name = "referenced_security_group_id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Id of the security group whose members are the peer." },
    { .name = "description",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .validate = validate_description,
      .description = "Description of the rule." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the rule." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the rule (sgr-…)." },
    { .name = "security_group_rule_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Id of the rule (sgr-…)." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the rule." },
    { NULL },
};

/* The peers a rule names: exactly one is set. */
static const char *const peers[] = { "cidr_ipv4", "cidr_ipv6", "prefix_list_id",
                                     "referenced_security_group_id", NULL };

static bool all_protocols(const char *p) { return p && (!strcmp(p, "-1") || !strcmp(p, "all")); }

/* validate_config (and again at create / update): one peer; ports exactly
 * when the protocol has them. */
static char *rule_validate_config(const cp_value *config)
{
    char *why = cp_prov_exactly_one(config, peers);
    if (why) return why;
    const cp_value *proto = cp_prov_field(config, "ip_protocol");
    if (!proto || cp_is_unknown(proto)) return NULL;
    const char *p = cp_get_str(config, "ip_protocol");
    int from = cp_prov_presence(config, "from_port"), to = cp_prov_presence(config, "to_port");
    if (all_protocols(p) && (from == 1 || to == 1))
        return cp_xstrdup("from_port and to_port cannot be set with ip_protocol \"-1\" (every "
                          "protocol and port); leave them out");
    if (p && (!strcmp(p, "tcp") || !strcmp(p, "udp") || !strcmp(p, "6") || !strcmp(p, "17")) &&
        (from == 0 || to == 0))
        return cp_xasprintf("ip_protocol \"%s\" needs from_port and to_port", p);
    return NULL;
}

static bool has_ports(const cp_value *config)
{
    return strcmp(ec2_protocol_norm(cp_get_str(config, "ip_protocol")), "-1") != 0;
}

static void add_num(aws_params *p, const char *key, double n)
{
    char num[24];
    snprintf(num, sizeof num, "%d", (int)n);
    aws_params_add(p, key, num);
}

/* IpPermissions.1 of AuthorizeSecurityGroupIngress/Egress for config. */
static void permission_params(aws_params *p, const cp_value *config)
{
    const char *desc = cp_get_str(config, "description");
    aws_params_add(p, "IpPermissions.1.IpProtocol",
                   ec2_protocol_norm(cp_get_str(config, "ip_protocol")));
    if (has_ports(config)) {
        add_num(p, "IpPermissions.1.FromPort", cp_get_num(config, "from_port", -1));
        add_num(p, "IpPermissions.1.ToPort", cp_get_num(config, "to_port", -1));
    }
    static const char *const lists[][2] = { { "IpRanges", "CidrIp" },
                                            { "Ipv6Ranges", "CidrIpv6" },
                                            { "PrefixListIds", "PrefixListId" },
                                            { "Groups", "GroupId" } };
    for (size_t i = 0; i < 4; i++) {
        const char *v = cp_get_str(config, peers[i]);
        if (!v) continue;
        aws_params_addf(p, v, "IpPermissions.1.%s.1.%s", lists[i][0], lists[i][1]);
        if (desc) aws_params_addf(p, desc, "IpPermissions.1.%s.1.Description", lists[i][0]);
    }
}

/* SecurityGroupRule.1 of ModifySecurityGroupRules: the whole rule again. */
static void modify_params(aws_params *p, const char *id, const cp_value *config)
{
    static const char *const members[] = { "CidrIpv4", "CidrIpv6", "PrefixListId",
                                           "ReferencedGroupId" };
    aws_params_add(p, "GroupId", cp_get_str(config, "security_group_id"));
    aws_params_add(p, "SecurityGroupRule.1.SecurityGroupRuleId", id);
    aws_params_add(p, "SecurityGroupRule.1.SecurityGroupRule.IpProtocol",
                   ec2_protocol_norm(cp_get_str(config, "ip_protocol")));
    bool ports = has_ports(config);
    add_num(p, "SecurityGroupRule.1.SecurityGroupRule.FromPort",
            ports ? cp_get_num(config, "from_port", -1) : -1);
    add_num(p, "SecurityGroupRule.1.SecurityGroupRule.ToPort",
            ports ? cp_get_num(config, "to_port", -1) : -1);
    for (size_t i = 0; i < 4; i++)
        if (cp_get_str(config, peers[i]))
            aws_params_addf(p, cp_get_str(config, peers[i]),
                            "SecurityGroupRule.1.SecurityGroupRule.%s", members[i]);
    const char *desc = cp_get_str(config, "description");
    if (desc) aws_params_add(p, "SecurityGroupRule.1.SecurityGroupRule.Description", desc);
}

/* ---- reading ------------------------------------------------------------------------------ */

static int rule_fill(cp_provider_call *c, xmlNodePtr it, xmlNodePtr parent, const cp_value *prev,
                     cp_value **out)
{
    (void)parent;
    (void)c;
    cp_value *s = cp_state_complete(attrs, prev);
    cp_set_xml(s, "id", it, "securityGroupRuleId");
    cp_set_xml(s, "security_group_rule_id", it, "securityGroupRuleId");
    cp_set_xml(s, "security_group_id", it, "groupId");
    cp_set_xml(s, "arn", it, "securityGroupRuleArn");
    if (!cp_get_str(s, "arn")) {
        char *what = cp_xasprintf("security-group-rule/%s", cp_get_str(s, "id"));
        char *owner = aws_xml_text(it, "groupOwnerId");
        cp_set_take(s, "arn", ec2_arn(c, owner, what));
        free(owner);
        free(what);
    }
    char *proto = aws_xml_text(it, "ipProtocol");
    const char *was = cp_get_str(prev, "ip_protocol");
    /* the configured spelling ("6", "all") when it means the same */
    cp_set_str(s, "ip_protocol",
               was && proto && !strcmp(ec2_protocol_norm(was), ec2_protocol_norm(proto)) ? was
                                                                                         : proto);
    bool all = !proto || !strcmp(ec2_protocol_norm(proto), "-1");
    free(proto);
    if (all) {
        cp_set_take(s, "from_port", cp_null());
        cp_set_take(s, "to_port", cp_null());
    } else {
        cp_set_xml_num(s, "from_port", it, "fromPort", -1);
        cp_set_xml_num(s, "to_port", it, "toPort", -1);
    }
    cp_set_xml(s, "cidr_ipv4", it, "cidrIpv4");
    cp_set_xml(s, "cidr_ipv6", it, "cidrIpv6");
    cp_set_xml(s, "prefix_list_id", it, "prefixListId");
    cp_set_xml(s, "referenced_security_group_id", it, "referencedGroupInfo/groupId");
    cp_set_xml(s, "description", it, "description");
    cp_set_take(s, "tags", ec2_tags_read(it, cp_map_get(prev, "tags")));
    *out = s;
    return 0;
}

static bool is_egress(xmlNodePtr it)
{
    char *e = aws_xml_text(it, "isEgress");
    bool yes = e && !strcmp(e, "true");
    free(e);
    return yes;
}

/* A rule of the other direction is not one of this type's. */
static bool not_ingress(xmlNodePtr it) { return is_egress(it); }

static bool not_egress(xmlNodePtr it) { return !is_egress(it); }

static const ec2_describe describe[2] = {
    { .action = "DescribeSecurityGroupRules",
      .filter = "security-group-rule-id",
      .items = "securityGroupRuleSet/item",
      .id_elem = "securityGroupRuleId",
      .fill = rule_fill,
      .gone = not_ingress },
    { .action = "DescribeSecurityGroupRules",
      .filter = "security-group-rule-id",
      .items = "securityGroupRuleSet/item",
      .id_elem = "securityGroupRuleId",
      .fill = rule_fill,
      .gone = not_egress },
};

static const char *const kind_name[2] = { "Ingress", "Egress" };

/* ---- create / update / delete ------------------------------------------------------------ */

static int rule_create(cp_provider_call *c, int egress, cp_read_fn read, const cp_value *config,
                       cp_value **state)
{
    if (cp_prov_check_config(c, rule_validate_config, config) != 0) return -1;
    aws_params *p = aws_params_new();
    aws_params_add(p, "GroupId", cp_get_str(config, "security_group_id"));
    permission_params(p, config);
    ec2_tag_spec_intent(p, "security-group-rule", config);
    char *action = cp_xasprintf("AuthorizeSecurityGroup%s", kind_name[egress]);
    xmlDocPtr doc;
    aws_set_no_resend(true); /* no idempotency token: a lost answer is looked up by its tag */
    int rc = ec2_call(c, action, p, NULL, &doc);
    aws_set_no_resend(false);
    aws_params_free(p);
    free(action);
    if (rc != 0) return -1;
    char *id = aws_xml_text(aws_xml_root(doc), "securityGroupRuleSet/item/securityGroupRuleId");
    xmlFreeDoc(doc);
    if (!id)
        return cp_fail(c, "%s: the rule was added but AWS gave no rule id; run apply again",
                       c->address);
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", id);
    free(id);
    return ec2_finish_take(c, 0, read, s, state);
}

static bool rule_changed(const cp_value *old, const cp_value *config)
{
    static const char *const keys[] = { "ip_protocol",
                                        "from_port",
                                        "to_port",
                                        "cidr_ipv4",
                                        "cidr_ipv6",
                                        "prefix_list_id",
                                        "referenced_security_group_id",
                                        "description",
                                        NULL };
    for (const char *const *k = keys; *k; k++)
        if (cp_changed(old, config, *k)) return true;
    return false;
}

static int rule_update(cp_provider_call *c, cp_read_fn read, const cp_value *old,
                       const cp_value *config, cp_value **state)
{
    if (cp_prov_check_config(c, rule_validate_config, config) != 0) return -1;
    const char *id = cp_get_str(old, "id");
    if (rule_changed(old, config)) {
        aws_params *p = aws_params_new();
        modify_params(p, id, config);
        int rc = ec2_call(c, "ModifySecurityGroupRules", p, NULL, NULL);
        aws_params_free(p);
        if (rc != 0) return -1;
    }
    if (ec2_tags_update(c, id, old, config) != 0) return -1;
    return cp_aws_reread(c, read, attrs, config, id, state);
}

static int rule_delete(cp_provider_call *c, int egress, const cp_value *state)
{
    static const char *const gone[] = { "InvalidSecurityGroupRuleId.NotFound",
                                        "InvalidPermission.NotFound", "InvalidGroup.NotFound",
                                        NULL };
    aws_params *p = aws_params_new();
    aws_params_add(p, "GroupId", cp_get_str(state, "security_group_id"));
    aws_params_add(p, "SecurityGroupRuleId.1", cp_get_str(state, "id"));
    char *action = cp_xasprintf("RevokeSecurityGroup%s", kind_name[egress]);
    int rc = ec2_call(c, action, p, gone, NULL);
    free(action);
    aws_params_free(p);
    return rc < 0 ? -1 : 0;
}

/* ---- the two types ------------------------------------------------------------------------- */

#define RULE_TYPE(kind, EGRESS, tfname, what)                                                      \
    static int kind##_read(cp_provider_call *c, const cp_value *state, cp_value **out)             \
    {                                                                                              \
        return ec2_read_one(c, &describe[EGRESS], state, out);                                     \
    }                                                                                              \
    static int kind##_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,     \
                                 cp_value **out)                                                   \
    {                                                                                              \
        return ec2_read_many(c, &describe[EGRESS], states, n, out);                                \
    }                                                                                              \
    static int kind##_create(cp_provider_call *c, const cp_value *config, cp_value **state)        \
    {                                                                                              \
        return rule_create(c, EGRESS, kind##_read, config, state);                                 \
    }                                                                                              \
    static int kind##_update(cp_provider_call *c, const cp_value *old, const cp_value *config,     \
                             cp_value **state)                                                     \
    {                                                                                              \
        return rule_update(c, kind##_read, old, config, state);                                    \
    }                                                                                              \
    static int kind##_delete(cp_provider_call *c, const cp_value *state)                           \
    {                                                                                              \
        return rule_delete(c, EGRESS, state);                                                      \
    }                                                                                              \
    static int kind##_import(cp_provider_call *c, const char *id, cp_value **state)                \
    {                                                                                              \
        return cp_aws_import_via_read(c, kind##_read, id, state);                                  \
    }                                                                                              \
    /* An interrupted create is found by the intent tag it sent. */                                \
    static int kind##_find(cp_provider_call *c, const cp_value *intent, cp_value **state)          \
    {                                                                                              \
        return ec2_find_by_intent(c, &describe[EGRESS], intent, state);                            \
    }                                                                                              \
    const cp_resource_type cp_aws_vpc_security_group_##kind##_rule = {                             \
        .name = tfname,                                                                            \
        .description = "One " what " rule of a security group (import by rule id, sgr-…). Do "   \
                       "not mix with the inline " what " blocks of aws_security_group for the "    \
                       "same group: each would remove the other's rules.",                         \
        .attrs = attrs,                                                                            \
        .validate_config = rule_validate_config,                                                   \
        .create = kind##_create,                                                                   \
        .read = kind##_read,                                                                       \
        .read_batch = kind##_read_batch,                                                           \
        .update = kind##_update,                                                                   \
        .delete = kind##_delete,                                                                   \
        .import = kind##_import,                                                                   \
        .recovery = CP_RECOVER_TAG,                                                                \
        .find = kind##_find,                                                                       \
    };

RULE_TYPE(ingress, 0, "aws_vpc_security_group_ingress_rule", "ingress")
RULE_TYPE(egress, 1, "aws_vpc_security_group_egress_rule", "egress")
