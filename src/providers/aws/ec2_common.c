/*
 * ec2_common.c: the helpers the EC2 resource types share (see
 * ec2_common.h): filtered Describe reads in pages, deletes that wait out
 * DependencyViolation, tags, query lists, ARNs and validators.
 */
#include "providers/aws/ec2_common.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <arpa/inet.h>
#include <mbedtls/base64.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PAGE_IDS = 200 }; /* EC2 accepts at most 200 values per filter */

/* ---- reads ------------------------------------------------------------------------- */

typedef struct read_page {
    cp_provider_call *c;
    const ec2_describe *d;
    const cp_value *const *states;
    size_t n;
    cp_value **out;
    int rc;
} read_page;

static void take_item(read_page *r, xmlNodePtr item, xmlNodePtr parent)
{
    char *id = aws_xml_text(item, r->d->id_elem);
    for (size_t i = 0; id && r->rc == 0 && i < r->n; i++) {
        const char *sid = cp_get_str(r->states[i], "id");
        if (r->out[i] || !sid || strcmp(sid, id) != 0) continue;
        if (r->d->gone && r->d->gone(item)) break;
        r->rc = r->d->fill(r->c, item, parent, r->states[i], &r->out[i]);
    }
    free(id);
}

static int on_page(void *ud, xmlNodePtr root)
{
    read_page *r = ud;
    for (xmlNodePtr it = aws_xml_find(root, r->d->items); it && r->rc == 0; it = aws_xml_next(it)) {
        if (!r->d->nested) {
            take_item(r, it, NULL);
            continue;
        }
        for (xmlNodePtr in = aws_xml_find(it, r->d->nested); in && r->rc == 0;
             in = aws_xml_next(in))
            take_item(r, in, it);
    }
    return r->rc;
}

static int read_chunk(cp_provider_call *c, const ec2_describe *d, const cp_value *const *states,
                      size_t n, cp_value **out);

/* An id list failed with a NotFound code: one id is gone (NULL), several
 * are read one by one to learn which. */
static int read_each(cp_provider_call *c, const ec2_describe *d, const cp_value *const *states,
                     size_t n, cp_value **out)
{
    for (size_t i = 0; i < n; i++) {
        cp_release(out[i]);
        out[i] = NULL;
    }
    if (n == 1) return 0;
    for (size_t i = 0; i < n; i++)
        if (read_chunk(c, d, states + i, 1, out + i) != 0) return -1;
    return 0;
}

static aws_params *chunk_params(const ec2_describe *d, const cp_value *const *states, size_t n)
{
    aws_params *p = aws_params_new();
    if (!d->id_param) aws_params_add(p, "Filter.1.Name", d->filter);
    for (size_t i = 0; i < n; i++) {
        if (d->id_param)
            aws_params_addf(p, cp_get_str(states[i], "id"), "%s.%zu", d->id_param, i + 1);
        else
            aws_params_addf(p, cp_get_str(states[i], "id"), "Filter.1.Value.%zu", i + 1);
    }
    return p;
}

static int read_chunk(cp_provider_call *c, const ec2_describe *d, const cp_value *const *states,
                      size_t n, cp_value **out)
{
    aws_params *p = chunk_params(d, states, n);
    read_page r = { c, d, states, n, out, 0 };
    aws_error err = { 0 };
    int rc = aws_query_paginate(cp_aws_client(c), "ec2", d->action, p, "NextToken", "nextToken",
                                on_page, &r, &err);
    aws_params_free(p);
    if (r.rc != 0) return -1;
    if (rc != 0 && d->id_param && cp_aws_error_in(&err, d->id_gone)) {
        aws_error_clear(&err);
        return read_each(c, d, states, n, out);
    }
    return rc != 0 ? cp_aws_fail(c, &err, d->action) : 0;
}

int ec2_read_many(cp_provider_call *c, const ec2_describe *d, const cp_value *const *states,
                  size_t n, cp_value **out)
{
    for (size_t i = 0; i < n; i++) out[i] = NULL;
    for (size_t at = 0; at < n; at += PAGE_IDS) {
        size_t k = n - at < PAGE_IDS ? n - at : PAGE_IDS;
        if (read_chunk(c, d, states + at, k, out + at) != 0) {
            for (size_t i = 0; i < n; i++) {
                cp_release(out[i]);
                out[i] = NULL;
            }
            return -1;
        }
    }
    return 0;
}

int ec2_read_one(cp_provider_call *c, const ec2_describe *d, const cp_value *state, cp_value **out)
{
    return ec2_read_many(c, d, &state, 1, out);
}

int ec2_read_id(cp_provider_call *c, const ec2_describe *d, const char *id, const cp_value *extra,
                cp_value **out)
{
    cp_value *s = cp_map_new();
    for (size_t i = 0; extra && i < cp_len(extra); i++)
        cp_set_take(s, cp_map_key_at(extra, i), cp_retain(cp_map_value_at(extra, i)));
    cp_set_str(s, "id", id);
    int rc = ec2_read_one(c, d, s, out);
    cp_release(s);
    return rc;
}

int ec2_finish_take(cp_provider_call *c, int rc, cp_read_fn read, cp_value *s, cp_value **state)
{
    return cp_aws_finish_take(c, rc, read, s, cp_get_str(s, "id"), state);
}

/* ---- calls -------------------------------------------------------------------------- */

int ec2_call(cp_provider_call *c, const char *action, const aws_params *p, const char *const *gone,
             xmlDocPtr *doc)
{
    return cp_aws_query(c, "ec2", action, p, gone, doc);
}

typedef struct del_op {
    const char *action, *param, *id;
} del_op;

static int del_once(cp_provider_call *c, void *ud, aws_error *err)
{
    const del_op *o = ud;
    aws_params *p = aws_params_new();
    aws_params_add(p, o->param, o->id);
    xmlDocPtr doc = NULL;
    int rc = aws_query_call(cp_aws_client(c), "ec2", o->action, p, &doc, err);
    if (doc) xmlFreeDoc(doc);
    aws_params_free(p);
    return rc;
}

int ec2_delete(cp_provider_call *c, const char *action, const char *param, const char *id,
               const char *const *gone)
{
    static const char *const busy[] = { "DependencyViolation", NULL };
    del_op o = { action, param, id };
    aws_error err = { 0 };
    if (cp_aws_retry_codes(c, busy, 300, del_once, &o, &err) == 0) return 0;
    if (cp_aws_error_in(&err, gone)) {
        aws_error_clear(&err);
        return 0;
    }
    return cp_aws_fail(c, &err, action);
}

/* ---- recovery ---------------------------------------------------------------------------- */

/* The id of the first item (not gone) of a Describe answer. */
static char *first_id(const ec2_describe *d, xmlNodePtr root)
{
    for (xmlNodePtr it = aws_xml_find(root, d->items); it; it = aws_xml_next(it)) {
        xmlNodePtr in = d->nested ? aws_xml_find(it, d->nested) : it;
        for (; in; in = d->nested ? aws_xml_next(in) : NULL)
            if (!d->gone || !d->gone(in)) return aws_xml_text(in, d->id_elem);
    }
    return NULL;
}

int ec2_find_by(cp_provider_call *c, const ec2_describe *d, const char *const *filters,
                const cp_value *intent, cp_value **state)
{
    *state = NULL;
    aws_params *p = aws_params_new();
    for (size_t i = 0; filters[2 * i]; i++) {
        if (!filters[2 * i + 1]) {
            aws_params_free(p);
            return cp_fail(c, "%s: the intent of the interrupted create has no %s to look for",
                           c->address, filters[2 * i]);
        }
        aws_params_addf(p, filters[2 * i], "Filter.%zu.Name", i + 1);
        aws_params_addf(p, filters[2 * i + 1], "Filter.%zu.Value.1", i + 1);
    }
    xmlDocPtr doc;
    int rc = ec2_call(c, d->action, p, NULL, &doc);
    aws_params_free(p);
    if (rc != 0) return -1;
    char *id = first_id(d, aws_xml_root(doc));
    xmlFreeDoc(doc);
    rc = id ? ec2_read_id(c, d, id, intent, state) : 0;
    free(id);
    return rc;
}

int ec2_find_by_intent(cp_provider_call *c, const ec2_describe *d, const cp_value *intent,
                       cp_value **state)
{
    const char *const f[] = { "tag:" CP_INTENT_KEY, cp_intent_uuid(intent), NULL };
    return ec2_find_by(c, d, f, intent, state);
}

void ec2_tag_spec_intent(aws_params *p, const char *rtype, const cp_value *config)
{
    cp_value *tags = cp_tags_with_intent(cp_get_map(config, "tags"), config);
    ec2_tag_spec(p, rtype, tags);
    cp_release(tags);
}

/* ---- tags ------------------------------------------------------------------------------ */

void ec2_tag_spec(aws_params *p, const char *rtype, const cp_value *tags)
{
    if (!tags || cp_kind_of(tags) != CP_MAP || cp_len(tags) == 0) return;
    aws_params_add(p, "TagSpecification.1.ResourceType", rtype);
    cp_aws_tags_params(p, "TagSpecification.1.Tag", tags);
}

cp_value *ec2_tags_read(xmlNodePtr item, const cp_value *prev_tags)
{
    return cp_tags_keep_take(cp_aws_tags_from_xml(aws_xml_find(item, "tagSet"), "item"), prev_tags);
}

int ec2_tags_update(cp_provider_call *c, const char *id, const cp_value *old_state,
                    const cp_value *config)
{
    if (!cp_changed(old_state, config, "tags")) return 0;
    const cp_value *old_tags = cp_get_map(old_state, "tags"),
                   *new_tags = cp_get_map(config, "tags");
    cp_value *removed = cp_tags_removed(old_tags, new_tags);
    int rc = 0;
    if (cp_len(removed) > 0) {
        aws_params *p = aws_params_new();
        aws_params_add(p, "ResourceId.1", id);
        for (size_t i = 0; i < cp_len(removed); i++)
            aws_params_addf(p, cp_string_val(cp_list_get(removed, i)), "Tag.%zu.Key", i + 1);
        rc = ec2_call(c, "DeleteTags", p, NULL, NULL);
        aws_params_free(p);
    }
    if (rc == 0 && new_tags && cp_len(new_tags) > 0) {
        aws_params *p = aws_params_new();
        aws_params_add(p, "ResourceId.1", id);
        cp_aws_tags_params(p, "Tag", new_tags);
        rc = ec2_call(c, "CreateTags", p, NULL, NULL);
        aws_params_free(p);
    }
    cp_release(removed);
    return rc == 0 ? 0 : -1;
}

/* ---- values ------------------------------------------------------------------------------ */

void ec2_params_bool(aws_params *p, const char *key, bool b)
{
    aws_params_add(p, key, b ? "true" : "false");
}

cp_value *ec2_arn(cp_provider_call *c, const char *account, const char *what)
{
    const char *region = aws_client_region(cp_aws_client(c));
    const char *part = !strncmp(region, "cn-", 3)       ? "aws-cn"
                       : !strncmp(region, "us-gov-", 7) ? "aws-us-gov"
                                                        : "aws";
    return cp_stringf("arn:%s:ec2:%s:%s:%s", part, region, account ? account : "", what);
}

char *ec2_base64(const char *s, size_t n)
{
    size_t out_len = 0;
    mbedtls_base64_encode(NULL, 0, &out_len, (const unsigned char *)s, n);
    unsigned char *out = cp_xmalloc(out_len + 1);
    mbedtls_base64_encode(out, out_len + 1, &out_len, (const unsigned char *)s, n);
    out[out_len] = '\0';
    return (char *)out;
}

char *ec2_unique_name(const char *prefix)
{
    char tok[37], hex[27];
    aws_client_token(tok);
    size_t k = 0;
    for (const char *s = tok; *s && k < 26; s++)
        if (*s != '-') hex[k++] = *s;
    hex[k] = '\0';
    return cp_xasprintf("%s%s", prefix, hex);
}

/* ---- validators ------------------------------------------------------------------------------ */

const char *ec2_validate_cidr(const cp_value *v)
{
    static const char *rule = "must be an IPv4 CIDR block a.b.c.d/n with n from 0 to 32, "
                              "e.g. 10.0.0.0/16";
    const char *s = cp_string_val(v), *slash = strchr(s, '/');
    if (!slash || slash - s > 15 || !slash[1] || strlen(slash + 1) > 2) return rule;
    char ip[16];
    memcpy(ip, s, (size_t)(slash - s));
    ip[slash - s] = '\0';
    struct in_addr a;
    char *end;
    long bits = strtol(slash + 1, &end, 10);
    if (inet_pton(AF_INET, ip, &a) != 1 || *end || bits < 0 || bits > 32) return rule;
    uint32_t host = ntohl(a.s_addr);
    uint32_t mask = bits == 0 ? 0 : 0xffffffffu << (32 - bits);
    if (host & ~mask)
        return "must be a network address: the bits after the prefix length must "
               "be zero (e.g. 10.0.1.0/24, not 10.0.1.5/24)";
    return NULL;
}

const char *ec2_validate_port(const cp_value *v)
{
    double n = cp_number_val(v);
    if (n != (long)n || n < -1 || n > 65535)
        return "ports are whole numbers from 0 to 65535 (-1 with protocol \"-1\" or icmp)";
    return NULL;
}

const char *ec2_protocol_norm(const char *p)
{
    static const char *const names[][2] = {
        { "6", "tcp" }, { "17", "udp" }, { "1", "icmp" }, { "58", "icmpv6" }
    };
    if (!p || !strcmp(p, "all") || !strcmp(p, "-1")) return "-1";
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(p, names[i][0])) return names[i][1];
    return p;
}

const char *ec2_validate_protocol(const cp_value *v)
{
    static const char *const names[] = { "tcp", "udp", "icmp", "icmpv6", "all", "-1", NULL };
    const char *s = cp_string_val(v);
    for (const char *const *n = names; *n; n++)
        if (!strcmp(s, *n)) return NULL;
    char *end;
    long num = strtol(s, &end, 10);
    if (*s && !*end && num >= 0 && num <= 255) return NULL;
    return "protocol is tcp, udp, icmp, icmpv6, all, -1 (all) or a protocol number 0-255";
}

const char *ec2_validate_tenancy(const cp_value *v)
{
    const char *s = cp_string_val(v);
    if (!strcmp(s, "default") || !strcmp(s, "dedicated") || !strcmp(s, "host")) return NULL;
    return "instance_tenancy is \"default\", \"dedicated\" or \"host\"";
}
