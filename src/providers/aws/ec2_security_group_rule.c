/*
 * ec2_security_group_rule.c: aws_security_group_rule — the older
 * one-resource-per-permission rule type: one direction (type), protocol
 * and port range for several peers at once (cidr_blocks,
 * ipv6_cidr_blocks, prefix_list_ids, source_security_group_id or self).
 * AWS stores one rule per peer; this type owns all of them.
 *
 * The id is composed as Terraform composes it, "sgrule-" and the CRC-32 of
 * the group, ports, protocol, type and sorted peers, so a state moved over
 * from Terraform keeps its ids. The config is the rule's identity: every
 * argument but description forces a new rule (description changes in
 * place through ModifySecurityGroupRules). Import by Terraform's string
 * SGID_TYPE_PROTOCOL_FROMPORT_TOPORT_SOURCE[_SOURCE…] (a source is a CIDR,
 * an IPv6 CIDR, pl-…, sg-… or "self"). An interrupted create is found
 * again by reading the config: the rule is there or it is not. Refresh
 * reads the rules of many groups together (read_batch: one
 * DescribeSecurityGroupRules filtered by up to 200 group ids).
 *
 * As in Terraform, do not use it for a group whose aws_security_group has
 * inline ingress / egress blocks: each would remove the other's rules.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/ec2_common.h"
#include "providers/aws/ec2_security_group_rule.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static const char *validate_type(const cp_value *v)
{
    const char *s = cp_string_val(v);
    return strcmp(s, "ingress") && strcmp(s, "egress") ? "type is \"ingress\" or \"egress\"" : NULL;
}

static const cp_schema_attr attrs[] = {
    { .name = "type",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = validate_type,
      .description = "ingress (inbound) or egress (outbound)." },
    { .name = "security_group_id",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .description = "Id of the security group the rule belongs to." },
    { .name = "protocol",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = ec2_validate_protocol,
      .description = "tcp, udp, icmp, icmpv6, a protocol number 0-255, or -1 (or all) for every "
                     "protocol." },
    { .name = "from_port",
      .type = CP_AT_NUMBER,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = ec2_validate_port,
      .description = "Start of the port range (ICMP type for icmp; 0 with protocol -1)." },
    { .name = "to_port",
      .type = CP_AT_NUMBER,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = ec2_validate_port,
      .description = "End of the port range (ICMP code for icmp; 0 with protocol -1)." },
    { .name = "cidr_blocks",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "IPv4 ranges of the peers." },
    { .name = "ipv6_cidr_blocks",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "IPv6 ranges of the peers." },
    { .name = "prefix_list_ids",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "Managed prefix lists of the peers (pl-…)." },
    { .name = "source_security_group_id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "Security group whose members are the peer (the destination for egress)." },
    { .name = "self",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .default_json = "false",
      .description = "The group's own members are a peer." },
    { .name = "description",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Description of the rule (changes in place)." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "sgrule- and a hash of the rule, as Terraform composes it." },
    { .name = "security_group_rule_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "AWS's id of the rule (sgr-…) when it has a single peer; else null." },
    { NULL },
};

/* validate_config (and again at create): a peer, and Terraform's conflicts. */
static char *legacy_validate_config(const cp_value *config)
{
    static const char *const keys[] = { "cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids",
                                        "source_security_group_id", NULL };
    int any = 0, unknown = 0;
    for (const char *const *k = keys; *k; k++) {
        int p = cp_prov_presence(config, *k);
        any |= p == 1;
        unknown |= p < 0;
    }
    const cp_value *self = cp_prov_field(config, "self");
    bool self_on = self && cp_kind_of(self) == CP_BOOL && cp_bool_val(self);
    if (!any && !unknown && !self_on && !(self && cp_is_unknown(self)))
        return cp_xstrdup("set one of cidr_blocks, ipv6_cidr_blocks, prefix_list_ids, "
                          "source_security_group_id or self = true");
    if (self_on && cp_prov_presence(config, "cidr_blocks") == 1)
        return cp_xstrdup("self = true conflicts with cidr_blocks; use two rules");
    if (cp_prov_presence(config, "source_security_group_id") == 1 &&
        (self_on || cp_prov_presence(config, "cidr_blocks") == 1 ||
         cp_prov_presence(config, "ipv6_cidr_blocks") == 1))
        return cp_xstrdup("source_security_group_id conflicts with cidr_blocks, "
                          "ipv6_cidr_blocks and self; use one rule per kind of peer");
    return NULL;
}

/* ---- the id ------------------------------------------------------------------------------ */

static uint32_t crc32_ieee(const char *s)
{
    uint32_t crc = 0xffffffffu;
    for (; *s; s++) {
        crc ^= (unsigned char)*s;
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Appends "v-" for each string of list, sorted. */
static void append_sorted(char **buf, const cp_value *list)
{
    size_t n = list ? cp_len(list) : 0;
    if (n == 0) return;
    const char **v = cp_xcalloc(n, sizeof *v);
    for (size_t i = 0; i < n; i++) v[i] = cp_string_val(cp_list_get(list, i));
    qsort(v, n, sizeof *v, cmp_str);
    for (size_t i = 0; i < n; i++) {
        char *next = cp_xasprintf("%s%s-", *buf, v[i]);
        free(*buf);
        *buf = next;
    }
    free(v);
}

/* "sgrule-<crc32>" of what Terraform hashes: the group, ports above 0 (none
 * for protocol -1), protocol, type, the sorted ranges and prefix lists,
 * then each group pair as "<id>-" and "-" for its (unset) name. */
char *ec2_security_group_rule_id(const cp_value *config)
{
    const char *proto = ec2_protocol_norm(cp_get_str(config, "protocol"));
    const char *sg = cp_get_str(config, "security_group_id");
    char *buf = cp_xasprintf("%s-", sg ? sg : "");
    int from = (int)cp_get_num(config, "from_port", 0), to = (int)cp_get_num(config, "to_port", 0);
    char *next;
    if (strcmp(proto, "-1") != 0 && from > 0) {
        next = cp_xasprintf("%s%d-", buf, from);
        free(buf);
        buf = next;
    }
    if (strcmp(proto, "-1") != 0 && to > 0) {
        next = cp_xasprintf("%s%d-", buf, to);
        free(buf);
        buf = next;
    }
    next = cp_xasprintf("%s%s-%s-", buf, proto, cp_get_str_or(config, "type", ""));
    free(buf);
    buf = next;
    append_sorted(&buf, cp_get_list(config, "cidr_blocks"));
    append_sorted(&buf, cp_get_list(config, "ipv6_cidr_blocks"));
    append_sorted(&buf, cp_get_list(config, "prefix_list_ids"));
    cp_value *groups = cp_list_new();
    const char *src = cp_get_str(config, "source_security_group_id");
    if (src) cp_list_push_take(groups, cp_string(src));
    if (cp_get_bool(config, "self", false) && sg && !(src && !strcmp(src, sg)))
        cp_list_push_take(groups, cp_string(sg));
    cp_value *sorted = cp_list_new();
    /* sort pairs by group id: at most two, so compare once */
    if (cp_len(groups) == 2 &&
        strcmp(cp_string_val(cp_list_get(groups, 0)), cp_string_val(cp_list_get(groups, 1))) > 0) {
        cp_list_push_take(sorted, cp_retain(cp_list_get(groups, 1)));
        cp_list_push_take(sorted, cp_retain(cp_list_get(groups, 0)));
    } else {
        for (size_t i = 0; i < cp_len(groups); i++)
            cp_list_push_take(sorted, cp_retain(cp_list_get(groups, i)));
    }
    for (size_t i = 0; i < cp_len(sorted); i++) {
        const char *g = cp_string_val(cp_list_get(sorted, i)), *slash = strchr(g, '/');
        next = cp_xasprintf("%s%s--", buf, slash ? slash + 1 : g);
        free(buf);
        buf = next;
    }
    cp_release(groups);
    cp_release(sorted);
    char *id = cp_xasprintf("sgrule-%u", (unsigned)crc32_ieee(buf));
    free(buf);
    return id;
}

/* ---- the atomic rules AWS keeps ------------------------------------------------------------ */

/* One peer: which member of DescribeSecurityGroupRules' item holds it. */
typedef struct peer {
    const char *elem; /* "cidrIpv4" */
    const char *value;
    char *rule_id; /* the matching sgr-…, once found */
} peer;

/* The peers config names (at most n); returns how many. */
static size_t config_peers(const cp_value *config, peer *out, size_t n)
{
    static const char *const lists[][2] = { { "cidr_blocks", "cidrIpv4" },
                                            { "ipv6_cidr_blocks", "cidrIpv6" },
                                            { "prefix_list_ids", "prefixListId" } };
    size_t k = 0;
    for (size_t l = 0; l < 3; l++) {
        const cp_value *list = cp_get_list(config, lists[l][0]);
        for (size_t i = 0; list && i < cp_len(list) && k < n; i++)
            out[k++] = (peer){ lists[l][1], cp_string_val(cp_list_get(list, i)), NULL };
    }
    const char *src = cp_get_str(config, "source_security_group_id");
    if (src && k < n) {
        const char *slash = strchr(src, '/');
        out[k++] = (peer){ "referencedGroupInfo/groupId", slash ? slash + 1 : src, NULL };
    }
    if (cp_get_bool(config, "self", false) && k < n)
        out[k++] =
            (peer){ "referencedGroupInfo/groupId", cp_get_str(config, "security_group_id"), NULL };
    return k;
}

static bool text_is(xmlNodePtr it, const char *path, const char *want)
{
    char *t = aws_xml_text(it, path);
    bool same = t && want && !strcmp(t, want);
    free(t);
    return same;
}

/* Whether the item is a rule of config's direction, protocol and ports. */
static bool same_kind(xmlNodePtr it, const cp_value *config)
{
    bool egress = !strcmp(cp_get_str_or(config, "type", ""), "egress");
    if (!text_is(it, "isEgress", egress ? "true" : "false")) return false;
    const char *proto = ec2_protocol_norm(cp_get_str(config, "protocol"));
    char *got = aws_xml_text(it, "ipProtocol");
    bool same = got && !strcmp(ec2_protocol_norm(got), proto);
    free(got);
    if (!same || !strcmp(proto, "-1")) return same;
    char num[24];
    snprintf(num, sizeof num, "%d", (int)cp_get_num(config, "from_port", 0));
    if (!text_is(it, "fromPort", num)) return false;
    snprintf(num, sizeof num, "%d", (int)cp_get_num(config, "to_port", 0));
    return text_is(it, "toPort", num);
}

static void peers_free(peer *peers, size_t n)
{
    for (size_t i = 0; i < n; i++) free(peers[i].rule_id);
}

enum { MAX_PEERS = 64, GROUPS_PER_CALL = 200 /* values of one EC2 filter */ };

/* One instance's peers being looked for among its group's AWS rules. */
typedef struct rule_match {
    const cp_value *config;
    peer peers[MAX_PEERS];
    size_t n, found;
    char *desc; /* the first found one's description */
} rule_match;

static void match_init(rule_match *m, const cp_value *config)
{
    m->config = config;
    m->n = config_peers(config, m->peers, MAX_PEERS);
    m->found = 0;
    m->desc = NULL;
}

static void match_clear(rule_match *m)
{
    peers_free(m->peers, m->n);
    for (size_t i = 0; i < m->n; i++) m->peers[i].rule_id = NULL;
    free(m->desc);
    m->desc = NULL;
    m->found = 0;
}

/* Every peer of the instance has its AWS rule. */
static bool match_all(const rule_match *m) { return m->n > 0 && m->found == m->n; }

/* Takes AWS rule `it` (of the instance's group) for the first peer of m it is. */
static void match_item(rule_match *m, xmlNodePtr it)
{
    if (!same_kind(it, m->config)) return;
    for (size_t i = 0; i < m->n; i++) {
        if (m->peers[i].rule_id || !text_is(it, m->peers[i].elem, m->peers[i].value)) continue;
        m->peers[i].rule_id = aws_xml_text(it, "securityGroupRuleId");
        if (m->found++ == 0) m->desc = aws_xml_text(it, "description");
        break;
    }
}

typedef struct match_set {
    rule_match *ms;
    size_t k;
} match_set;

static int match_page(void *ud, xmlNodePtr root)
{
    match_set *set = ud;
    for (xmlNodePtr it = aws_xml_find(root, "securityGroupRuleSet/item"); it;
         it = aws_xml_next(it)) {
        char *gid = aws_xml_text(it, "groupId");
        for (size_t j = 0; gid && j < set->k; j++) {
            const char *sg = cp_get_str(set->ms[j].config, "security_group_id");
            if (sg && !strcmp(sg, gid)) match_item(&set->ms[j], it);
        }
        free(gid);
    }
    return 0;
}

/* The AWS rules of the groups of ms[0..k) (at most GROUPS_PER_CALL groups) in one
 * DescribeSecurityGroupRules filtered by group-id, pages followed, each matched to the
 * instances of its group. 0; 1 when AWS refuses a group as gone or malformed (nothing is
 * matched then); -1 with c->error set. */
static int match_groups(cp_provider_call *c, rule_match *ms, size_t k)
{
    static const char *const gone[] = { "InvalidGroup.NotFound", "InvalidGroupId.Malformed", NULL };
    aws_params *p = aws_params_new();
    aws_params_add(p, "Filter.1.Name", "group-id");
    size_t v = 0;
    for (size_t j = 0; j < k; j++) {
        const char *sg = cp_get_str(ms[j].config, "security_group_id");
        bool seen = !sg;
        for (size_t i = 0; !seen && i < j; i++) {
            const char *o = cp_get_str(ms[i].config, "security_group_id");
            seen = o && !strcmp(o, sg);
        }
        if (!seen) aws_params_addf(p, sg, "Filter.1.Value.%zu", ++v);
    }
    if (v == 0) { /* no group to look in: nothing is there */
        aws_params_free(p);
        return 0;
    }
    match_set set = { ms, k };
    aws_error err = { 0 };
    int rc = aws_query_paginate(cp_aws_client(c), "ec2", "DescribeSecurityGroupRules", p,
                                "NextToken", "nextToken", match_page, &set, &err);
    aws_params_free(p);
    if (rc == 0) return 0;
    for (size_t j = 0; j < k; j++) match_clear(&ms[j]);
    if (cp_aws_error_in(&err, gone)) {
        aws_error_clear(&err);
        return 1;
    }
    return cp_aws_fail(c, &err, "DescribeSecurityGroupRules");
}

/* The instances ms[0..n), in calls of up to GROUPS_PER_CALL groups each; a call refused for
 * a gone or malformed group is made again for each instance alone (that one is gone). */
static int match_many(cp_provider_call *c, rule_match *ms, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t j = i, groups = 0;
        for (; j < n; j++) {
            const char *sg = cp_get_str(ms[j].config, "security_group_id");
            bool seen = !sg;
            for (size_t t = i; !seen && t < j; t++) {
                const char *o = cp_get_str(ms[t].config, "security_group_id");
                seen = o && !strcmp(o, sg);
            }
            if (!seen && groups == GROUPS_PER_CALL) break;
            groups += !seen;
        }
        int rc = match_groups(c, ms + i, j - i);
        if (rc < 0) return -1;
        for (size_t t = i; rc == 1 && j - i > 1 && t < j; t++)
            if (match_groups(c, ms + t, 1) < 0) return -1;
        i = j;
    }
    return 0;
}

/* The state of an instance whose peers all have their AWS rule, else NULL (gone). */
static cp_value *legacy_state(const rule_match *m)
{
    if (!match_all(m)) return NULL;
    cp_value *s = cp_state_complete(attrs, m->config);
    char *id = ec2_security_group_rule_id(m->config);
    cp_set_str(s, "id", id);
    free(id);
    cp_set_str(s, "security_group_rule_id", m->n == 1 ? m->peers[0].rule_id : NULL);
    cp_set_take(s, "description", m->desc && *m->desc ? cp_string(m->desc) : cp_null());
    return s;
}

/* Refresh of many: the AWS rules of all their groups in one DescribeSecurityGroupRules
 * (filter group-id, up to 200 groups a call, pages followed), matched to each instance by
 * group, direction, protocol, ports and peers as read() matches them; read() is this of
 * one instance (the same call for its group alone), so an instance a peer of which is
 * missing is gone. */
static int legacy_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                             cp_value **out)
{
    for (size_t i = 0; i < n; i++) out[i] = NULL;
    rule_match *ms = cp_xcalloc(n ? n : 1, sizeof *ms);
    for (size_t i = 0; i < n; i++) match_init(&ms[i], states[i]);
    int rc = match_many(c, ms, n);
    for (size_t i = 0; i < n; i++) {
        if (rc == 0) out[i] = legacy_state(&ms[i]);
        match_clear(&ms[i]);
    }
    free(ms);
    return rc == 0 ? 0 : -1;
}

static int legacy_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    return legacy_read_batch(c, &state, 1, out);
}

/* IpPermissions.1: every peer, each with the description. */
static void permission_params(aws_params *p, const cp_value *config)
{
    const char *proto = ec2_protocol_norm(cp_get_str(config, "protocol"));
    const char *desc = cp_get_str(config, "description");
    aws_params_add(p, "IpPermissions.1.IpProtocol", proto);
    char num[24];
    if (strcmp(proto, "-1") != 0) {
        snprintf(num, sizeof num, "%d", (int)cp_get_num(config, "from_port", 0));
        aws_params_add(p, "IpPermissions.1.FromPort", num);
        snprintf(num, sizeof num, "%d", (int)cp_get_num(config, "to_port", 0));
        aws_params_add(p, "IpPermissions.1.ToPort", num);
    }
    peer peers[MAX_PEERS];
    size_t n = config_peers(config, peers, MAX_PEERS), k[4] = { 0 };
    for (size_t i = 0; i < n; i++) {
        static const char *const elems[] = { "cidrIpv4", "cidrIpv6", "prefixListId" };
        static const char *const lists[][2] = { { "IpRanges", "CidrIp" },
                                                { "Ipv6Ranges", "CidrIpv6" },
                                                { "PrefixListIds", "PrefixListId" },
                                                { "Groups", "GroupId" } };
        size_t l = 3;
        for (size_t j = 0; j < 3; j++)
            if (!strcmp(peers[i].elem, elems[j])) l = j;
        size_t at = ++k[l];
        aws_params_addf(p, peers[i].value, "IpPermissions.1.%s.%zu.%s", lists[l][0], at,
                        lists[l][1]);
        if (desc) aws_params_addf(p, desc, "IpPermissions.1.%s.%zu.Description", lists[l][0], at);
    }
}

static const char *direction(const cp_value *config)
{
    return strcmp(cp_get_str_or(config, "type", ""), "egress") ? "Ingress" : "Egress";
}

static int legacy_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    if (cp_prov_check_config(c, legacy_validate_config, config) != 0) return -1;
    aws_params *p = aws_params_new();
    aws_params_add(p, "GroupId", cp_get_str(config, "security_group_id"));
    permission_params(p, config);
    char *action = cp_xasprintf("AuthorizeSecurityGroup%s", direction(config));
    aws_set_no_resend(true); /* a lost answer is looked up by reading the config */
    int rc = ec2_call(c, action, p, NULL, NULL);
    aws_set_no_resend(false);
    free(action);
    aws_params_free(p);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    char *id = ec2_security_group_rule_id(config);
    cp_set_str(s, "id", id);
    free(id);
    return ec2_finish_take(c, 0, legacy_read, s, state);
}

/* Only the description changes in place: each AWS rule the resource owns
 * is written again with the new one. */
static int legacy_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                         cp_value **state)
{
    rule_match mt;
    match_init(&mt, old);
    int rc = match_groups(c, &mt, 1);
    if (rc >= 0 && !match_all(&mt))
        rc = cp_fail(c,
                     "%s: the rule is no longer in its security group; run plan again to "
                     "make it anew",
                     c->address);
    static const char *const members[][2] = { { "cidrIpv4", "CidrIpv4" },
                                              { "cidrIpv6", "CidrIpv6" },
                                              { "prefixListId", "PrefixListId" },
                                              { "referencedGroupInfo/groupId",
                                                "ReferencedGroupId" } };
    const char *proto = ec2_protocol_norm(cp_get_str(old, "protocol"));
    bool ports = strcmp(proto, "-1") != 0;
    const peer *peers = mt.peers;
    for (size_t i = 0; rc == 0 && i < mt.n; i++) {
        aws_params *p = aws_params_new();
        char num[24];
        aws_params_add(p, "GroupId", cp_get_str(old, "security_group_id"));
        aws_params_add(p, "SecurityGroupRule.1.SecurityGroupRuleId", peers[i].rule_id);
        aws_params_add(p, "SecurityGroupRule.1.SecurityGroupRule.IpProtocol", proto);
        snprintf(num, sizeof num, "%d", ports ? (int)cp_get_num(old, "from_port", 0) : -1);
        aws_params_add(p, "SecurityGroupRule.1.SecurityGroupRule.FromPort", num);
        snprintf(num, sizeof num, "%d", ports ? (int)cp_get_num(old, "to_port", 0) : -1);
        aws_params_add(p, "SecurityGroupRule.1.SecurityGroupRule.ToPort", num);
        for (size_t m = 0; m < 4; m++)
            if (!strcmp(peers[i].elem, members[m][0]))
                aws_params_addf(p, peers[i].value, "SecurityGroupRule.1.SecurityGroupRule.%s",
                                members[m][1]);
        aws_params_add(p, "SecurityGroupRule.1.SecurityGroupRule.Description",
                       cp_get_str_or(config, "description", ""));
        rc = ec2_call(c, "ModifySecurityGroupRules", p, NULL, NULL) == 0 ? 0 : -1;
        aws_params_free(p);
    }
    match_clear(&mt);
    if (rc != 0) return -1;
    return cp_aws_reread(c, legacy_read, attrs, config, cp_get_str(old, "id"), state);
}

/* Revokes, by their ids, the AWS rules of the resource still there (AWS
 * and moto differ on a permission that is only partly there). */
static int legacy_delete(cp_provider_call *c, const cp_value *state)
{
    static const char *const gone[] = { "InvalidSecurityGroupRuleId.NotFound",
                                        "InvalidGroup.NotFound", NULL };
    rule_match mt;
    match_init(&mt, state);
    int rc = match_groups(c, &mt, 1);
    size_t k = 0;
    aws_params *p = aws_params_new();
    aws_params_add(p, "GroupId", cp_get_str(state, "security_group_id"));
    for (size_t i = 0; rc == 0 && i < mt.n; i++)
        if (mt.peers[i].rule_id)
            aws_params_addf(p, mt.peers[i].rule_id, "SecurityGroupRuleId.%zu", ++k);
    if (rc == 0 && k > 0) {
        char *action = cp_xasprintf("RevokeSecurityGroup%s", direction(state));
        rc = ec2_call(c, action, p, gone, NULL);
        free(action);
    }
    aws_params_free(p);
    match_clear(&mt);
    return rc < 0 ? -1 : 0;
}

/* Terraform's import string as a state: SGID_TYPE_PROTOCOL_FROM_TO_SOURCE… */
static cp_value *import_state(const char *id)
{
    char *copy = cp_xstrdup(id);
    char *parts[64];
    size_t n = 0;
    for (char *save, *tok = strtok_r(copy, "_", &save); tok && n < 64;
         tok = strtok_r(NULL, "_", &save))
        parts[n++] = tok;
    cp_value *s = NULL;
    char *end1, *end2;
    long from = n >= 6 ? strtol(parts[3], &end1, 10) : 0,
         to = n >= 6 ? strtol(parts[4], &end2, 10) : 0;
    if (n >= 6 && !strncmp(parts[0], "sg-", 3) &&
        (!strcmp(parts[1], "ingress") || !strcmp(parts[1], "egress")) && !*end1 && !*end2) {
        s = cp_map_new();
        cp_set_str(s, "security_group_id", parts[0]);
        cp_set_str(s, "type", parts[1]);
        cp_set_str(s, "protocol", ec2_protocol_norm(parts[2]));
        cp_set_num(s, "from_port", (double)from);
        cp_set_num(s, "to_port", (double)to);
        cp_set_bool(s, "self", false);
        cp_value *cidrs = cp_list_new(), *v6 = cp_list_new(), *pls = cp_list_new();
        for (size_t i = 5; i < n; i++) {
            if (!strcmp(parts[i], "self"))
                cp_set_bool(s, "self", true);
            else if (!strncmp(parts[i], "sg-", 3) || strstr(parts[i], "/sg-"))
                cp_set_str(s, "source_security_group_id", parts[i]);
            else if (!strncmp(parts[i], "pl-", 3))
                cp_list_push_take(pls, cp_string(parts[i]));
            else
                cp_list_push_take(strchr(parts[i], ':') ? v6 : cidrs, cp_string(parts[i]));
        }
        cp_set_take(s, "cidr_blocks", cp_len(cidrs) ? cidrs : (cp_release(cidrs), cp_null()));
        cp_set_take(s, "ipv6_cidr_blocks", cp_len(v6) ? v6 : (cp_release(v6), cp_null()));
        cp_set_take(s, "prefix_list_ids", cp_len(pls) ? pls : (cp_release(pls), cp_null()));
    }
    free(copy);
    return s;
}

static int legacy_import(cp_provider_call *c, const char *id, cp_value **state)
{
    *state = NULL;
    cp_value *s = import_state(id);
    if (!s)
        return cp_fail(
            c,
            "%s: import id %s is not SGID_TYPE_PROTOCOL_FROMPORT_TOPORT_SOURCE[_SOURCE…] "
            "(e.g. sg-0123_ingress_tcp_443_443_10.0.0.0/8)",
            c->address, id);
    int rc = legacy_read(c, s, state);
    cp_release(s);
    if (rc == 0 && !*state)
        return cp_fail(c, "%s: no such rule in its security group: %s", c->address, id);
    return rc;
}

/* An interrupted create: the rule the config describes is there or not. */
static int legacy_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return legacy_read(c, intent, state);
}

const cp_resource_type cp_aws_security_group_rule = {
    .name = "aws_security_group_rule",
    .description =
        "One permission of a security group for one or more peers (import by Terraform's "
        "SGID_TYPE_PROTOCOL_FROMPORT_TOPORT_SOURCE string). Prefer "
        "aws_vpc_security_group_ingress_rule / _egress_rule; do not mix either with the inline "
        "rules of aws_security_group for the same group. Deliberate difference from the Terraform "
        "AWS provider: protocol keeps its configured spelling in state (Terraform writes the "
        "name, e.g. \"tcp\" for \"6\").",
    .attrs = attrs,
    .validate_config = legacy_validate_config,
    .create = legacy_create,
    .read = legacy_read,
    .read_batch = legacy_read_batch,
    .update = legacy_update,
    .delete = legacy_delete,
    .import = legacy_import,
    .recovery = CP_RECOVER_ID,
    .find = legacy_find,
};
