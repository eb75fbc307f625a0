/*
 * elbv2_common.c: helpers shared by the ELBv2 resource types (see
 * elbv2_common.h). Actions are written as query parameters
 * (DefaultActions.member.1.Type …) and read back from <member> lists.
 */
#include "providers/aws/elbv2_common.h"
#include "providers/aws/batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int elbv2_call(cp_provider_call *c, const char *action, const aws_params *p,
               const char *const *gone, xmlDocPtr *doc)
{
    return cp_aws_query(c, "elbv2", action, p, gone, doc);
}

int elbv2_call1(cp_provider_call *c, const char *action, const char *param, const char *value,
                const char *const *gone, xmlDocPtr *doc)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, param, value);
    int rc = elbv2_call(c, action, p, gone, doc);
    aws_params_free(p);
    return rc;
}

int elbv2_set_attribute(cp_provider_call *c, const char *action, const char *id_param,
                        const char *arn, const char *key, double value)
{
    char v[32];
    snprintf(v, sizeof v, "%.0f", value);
    aws_params *p = aws_params_new();
    aws_params_add(p, id_param, arn);
    aws_params_add(p, "Attributes.member.1.Key", key);
    aws_params_add(p, "Attributes.member.1.Value", v);
    int rc = elbv2_call(c, action, p, NULL, NULL);
    aws_params_free(p);
    return rc == 0 ? 0 : -1;
}

int elbv2_read_done_take(cp_provider_call *c, cp_value *s, const cp_value *prev_state,
                         cp_value **out)
{
    cp_value *tags = elbv2_read_tags(c, cp_get_str(s, "arn"), cp_map_get(prev_state, "tags"));
    if (!tags) {
        cp_release(s);
        return -1;
    }
    cp_set_take(s, "tags", tags);
    *out = s;
    return 0;
}

cp_value *elbv2_read_tags(cp_provider_call *c, const char *arn, const cp_value *prev)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "ResourceArns.member.1", arn);
    xmlDocPtr doc;
    int rc = elbv2_call(c, "DescribeTags", p, NULL, &doc);
    aws_params_free(p);
    if (rc != 0) return NULL;
    xmlNodePtr d = aws_xml_find(aws_xml_root(doc), "DescribeTagsResult/TagDescriptions/member");
    cp_value *m = cp_aws_tags_from_xml(aws_xml_find(d, "Tags"), "member");
    xmlFreeDoc(doc);
    return cp_tags_keep_take(m, prev);
}

int elbv2_update_tags(cp_provider_call *c, const char *arn, const cp_value *old_tags,
                      const cp_value *new_tags)
{
    static const cp_aws_query_tagging t = { "elbv2", "RemoveTags", "AddTags",
                                            "ResourceArns.member.1", "Tags.member" };
    return cp_aws_query_tags_update(c, &t, arn, old_tags, new_tags);
}

const char *elbv2_fit_name(const char *name, char out[33])
{
    if (!name) return NULL;
    snprintf(out, 33, "%s", name);
    return out;
}

const char *elbv2_validate_name(const cp_value *v)
{
    static const char *rule = "names are 1 to 32 characters of a-z, A-Z, 0-9 and '-', "
                              "not starting or ending with '-'";
    const char *s = cp_string_val(v);
    size_t n = strlen(s);
    if (n < 1 || n > 32 || s[0] == '-' || s[n - 1] == '-') return rule;
    for (; *s; s++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", *s))
            return rule;
    return NULL;
}

cp_value *elbv2_arn_suffix(const char *arn)
{
    const char *s = arn ? strstr(arn, ":loadbalancer/") : NULL;
    if (s) return cp_string(s + strlen(":loadbalancer/"));
    s = arn ? strstr(arn, ":targetgroup/") : NULL;
    return s ? cp_string(s + 1) : cp_null();
}

/* ---- actions -------------------------------------------------------------------- */

static const char *validate_action_type(const cp_value *v)
{
    const char *s = cp_string_val(v);
    return !strcmp(s, "forward") || !strcmp(s, "fixed-response") || !strcmp(s, "redirect")
               ? NULL
               : "action type is \"forward\", \"fixed-response\" or \"redirect\"";
}

static const char *validate_redirect_code(const cp_value *v)
{
    const char *s = cp_string_val(v);
    return !strcmp(s, "HTTP_301") || !strcmp(s, "HTTP_302")
               ? NULL
               : "redirect status_code is \"HTTP_301\" or \"HTTP_302\"";
}

static const char *validate_fixed_code(const cp_value *v)
{
    const char *s = cp_string_val(v);
    return strlen(s) == 3 && strchr("245", s[0]) && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' &&
                   s[2] <= '9'
               ? NULL
               : "fixed_response status_code is a 2XX, 4XX or 5XX HTTP code such as \"403\"";
}

static const cp_schema_attr fixed_attrs[] = {
    { .name = "content_type",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description =
          "Content type of the response: text/plain, text/css, text/html, application/javascript or application/json." },
    { .name = "message_body",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Body of the response." },
    { .name = "status_code",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .validate = validate_fixed_code,
      .description = "HTTP status code of the response (2XX, 4XX or 5XX)." },
    { NULL },
};

static const cp_schema_attr redirect_attrs[] = {
    { .name = "port",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .default_json = "\"#{port}\"",
      .description = "Port to redirect to: 1-65535 or `#{port}`." },
    { .name = "protocol",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .default_json = "\"#{protocol}\"",
      .description = "Protocol to redirect to: HTTP, HTTPS or `#{protocol}`." },
    { .name = "host",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .default_json = "\"#{host}\"",
      .description = "Host to redirect to." },
    { .name = "path",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .default_json = "\"/#{path}\"",
      .description = "Path to redirect to." },
    { .name = "query",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .default_json = "\"#{query}\"",
      .description = "Query string to redirect to." },
    { .name = "status_code",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = validate_redirect_code,
      .description = "Status code of the redirect: HTTP_301 (permanent) or HTTP_302 (temporary)." },
    { NULL },
};

const cp_schema_attr elbv2_action_attrs[] = {
    { .name = "type",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = validate_action_type,
      .description = "Type of the action: forward, fixed-response or redirect." },
    { .name = "target_group_arn",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "For forward: ARN of the target group (an `aws_lb_target_group`'s `arn`)." },
    { .name = "order",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "Order of the action (1-50000)." },
    { .name = "fixed_response",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = fixed_attrs,
      .max_items = 1,
      .description = "For fixed-response: the response to send." },
    { .name = "redirect",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = redirect_attrs,
      .max_items = 1,
      .description = "For redirect: where to send the client." },
    { NULL },
};

static void opt(aws_params *p, const char *value, const char *key_fmt, const char *prefix)
{
    if (value) aws_params_addf(p, value, key_fmt, prefix);
}

static void action_params(aws_params *p, const char *pre, const cp_value *a, size_t i)
{
    char num[32];
    snprintf(num, sizeof num, "%.0f", cp_get_num(a, "order", (double)i));
    aws_params_addf(p, cp_get_str(a, "type"), "%s.Type", pre);
    aws_params_addf(p, num, "%s.Order", pre);
    opt(p, cp_get_str(a, "target_group_arn"), "%s.TargetGroupArn", pre);
    const cp_value *f = cp_get_block(a, "fixed_response");
    if (f) {
        opt(p, cp_get_str(f, "content_type"), "%s.FixedResponseConfig.ContentType", pre);
        opt(p, cp_get_str(f, "message_body"), "%s.FixedResponseConfig.MessageBody", pre);
        opt(p, cp_get_str(f, "status_code"), "%s.FixedResponseConfig.StatusCode", pre);
    }
    const cp_value *r = cp_get_block(a, "redirect");
    static const char *const rkeys[][2] = { { "port", "Port" },   { "protocol", "Protocol" },
                                            { "host", "Host" },   { "path", "Path" },
                                            { "query", "Query" }, { "status_code", "StatusCode" } };
    for (size_t k = 0; r && k < sizeof rkeys / sizeof rkeys[0]; k++) {
        char key[96];
        snprintf(key, sizeof key, "%%s.RedirectConfig.%s", rkeys[k][1]);
        opt(p, cp_get_str(r, rkeys[k][0]), key, pre);
    }
}

void elbv2_actions_params(aws_params *p, const char *prefix, const cp_value *actions)
{
    for (size_t i = 0; actions && i < cp_len(actions); i++) {
        char pre[64];
        snprintf(pre, sizeof pre, "%s.member.%zu", prefix, i + 1);
        action_params(p, pre, cp_list_get(actions, i), i + 1);
    }
}

static cp_value *one_block(cp_value *m)
{
    cp_value *l = cp_list_new();
    cp_list_push_take(l, m);
    return l;
}

static cp_value *action_read(xmlNodePtr a)
{
    cp_value *m = cp_map_new();
    cp_set_xml(m, "type", a, "Type");
    cp_set_xml(m, "target_group_arn", a, "TargetGroupArn");
    cp_set_xml_num(m, "order", a, "Order", 1);
    xmlNodePtr f = aws_xml_find(a, "FixedResponseConfig"), r = aws_xml_find(a, "RedirectConfig");
    cp_value *fl = cp_list_new(), *rl = cp_list_new();
    if (f) {
        cp_value *fm = cp_map_new();
        cp_set_xml(fm, "content_type", f, "ContentType");
        cp_set_xml(fm, "message_body", f, "MessageBody");
        cp_set_xml(fm, "status_code", f, "StatusCode");
        cp_release(fl);
        fl = one_block(fm);
    }
    if (r) {
        cp_value *rm = cp_map_new();
        cp_set_xml(rm, "port", r, "Port");
        cp_set_xml(rm, "protocol", r, "Protocol");
        cp_set_xml(rm, "host", r, "Host");
        cp_set_xml(rm, "path", r, "Path");
        cp_set_xml(rm, "query", r, "Query");
        cp_set_xml(rm, "status_code", r, "StatusCode");
        cp_release(rl);
        rl = one_block(rm);
    }
    cp_set_take(m, "fixed_response", fl);
    cp_set_take(m, "redirect", rl);
    return m;
}

cp_value *elbv2_actions_read(xmlNodePtr list)
{
    cp_value *l = cp_list_new();
    for (xmlNodePtr a = list ? aws_xml_find(list, "member") : NULL; a; a = aws_xml_next(a))
        cp_list_push_take(l, action_read(a));
    return l;
}

/* One action's rule, or NULL (parts not known yet pass). */
static const char *validate_action(const cp_value *a)
{
    const char *t = cp_get_str(a, "type");
    if (!t) return NULL;
    bool fixed = !strcmp(t, "fixed-response"), redirect = !strcmp(t, "redirect");
    int fixed_block = cp_prov_presence(a, "fixed_response"),
        redirect_block = cp_prov_presence(a, "redirect");
    if (!strcmp(t, "forward") && cp_prov_presence(a, "target_group_arn") == 0)
        return "a \"forward\" action needs target_group_arn";
    if (fixed && fixed_block == 0)
        return "a \"fixed-response\" action needs a fixed_response block";
    if (redirect && redirect_block == 0) return "a \"redirect\" action needs a redirect block";
    if (!fixed && fixed_block == 1)
        return "a fixed_response block belongs only in an action of type \"fixed-response\": change the type or remove the block";
    if (!redirect && redirect_block == 1)
        return "a redirect block belongs only in an action of type \"redirect\": change the type or remove the block";
    return NULL;
}

const char *elbv2_validate_actions(const cp_value *v)
{
    if (!v || cp_kind_of(v) != CP_LIST) return NULL; /* null, or not known yet */
    for (size_t i = 0; i < cp_len(v); i++) {
        const char *why = validate_action(cp_list_get(v, i));
        if (why) return why;
    }
    return NULL;
}

/* The arn_elem of the first member matching l (malloc'd), or NULL. */
static char *lookup_arn(const elbv2_lookup *l, xmlDocPtr doc, const char *match)
{
    for (xmlNodePtr m = aws_xml_find(aws_xml_root(doc), l->items); m; m = aws_xml_next(m)) {
        char *t = l->match_elem ? aws_xml_text(m, l->match_elem) : NULL;
        bool ok = !l->match_elem || (t && match && !strcmp(t, match));
        free(t);
        if (ok) return aws_xml_text(m, l->arn_elem);
    }
    return NULL;
}

int elbv2_find(cp_provider_call *c, const elbv2_lookup *l, const char *value, const char *match,
               cp_read_fn read, const cp_value *intent, cp_value **state)
{
    *state = NULL;
    if (!value || (l->match_elem && !match))
        return cp_fail(c, "%s: the intent of the interrupted create has nothing to look for",
                       c->address);
    xmlDocPtr doc;
    int rc = elbv2_call1(c, l->action, l->param, value, l->gone, &doc);
    if (rc != 0) return rc < 0 ? -1 : 0;
    char *arn = lookup_arn(l, doc, match);
    xmlFreeDoc(doc);
    rc = arn ? cp_aws_find_with_id(c, read, intent, arn, state) : 0;
    free(arn);
    return rc;
}

/* ---- batch refresh ------------------------------------------------------------------- */

#define ELBV2_PER_CALL 20

static void many_match(const elbv2_many *m, xmlDocPtr doc, const cp_value *const *states, size_t n,
                       cp_value **out)
{
    for (xmlNodePtr it = aws_xml_find(aws_xml_root(doc), m->items); it; it = aws_xml_next(it)) {
        char *arn = aws_xml_text(it, m->arn_elem);
        for (size_t i = 0; arn && i < n; i++) {
            const char *id = cp_get_str(states[i], "id");
            if (out[i] || !id || strcmp(id, arn) != 0) continue;
            out[i] = cp_state_complete(m->attrs, states[i]);
            m->fill(out[i], it, states[i]);
        }
        free(arn);
    }
}

/* Every object of the kind, pages followed, matched into out. 0 / -1. */
static int many_list_all(cp_provider_call *c, const elbv2_many *m, const cp_value *const *states,
                         size_t n, cp_value **out)
{
    char *marker = NULL, result[96];
    snprintf(result, sizeof result, "%sResult/NextMarker", m->action);
    do {
        aws_params *p = aws_params_new();
        aws_params_add(p, "PageSize", "400");
        if (marker) aws_params_add(p, "Marker", marker);
        free(marker);
        marker = NULL;
        xmlDocPtr doc;
        int rc = elbv2_call(c, m->action, p, NULL, &doc);
        aws_params_free(p);
        if (rc != 0) return -1;
        many_match(m, doc, states, n, out);
        marker = aws_xml_text(aws_xml_root(doc), result);
        if (marker && !*marker) {
            free(marker);
            marker = NULL;
        }
        xmlFreeDoc(doc);
    } while (marker);
    return 0;
}

static int many_chunk(cp_provider_call *c, const elbv2_many *m, const cp_value *const *states,
                      size_t n, cp_value **out)
{
    aws_params *p = aws_params_new();
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!cp_get_str(states[i], "id")) continue;
        char key[64];
        snprintf(key, sizeof key, "%s.%zu", m->arns_param, ++k);
        aws_params_add(p, key, cp_get_str(states[i], "id"));
    }
    xmlDocPtr doc;
    int rc = k ? elbv2_call(c, m->action, p, m->gone, &doc) : 1;
    aws_params_free(p);
    if (rc < 0) return -1;
    if (rc == 0) {
        many_match(m, doc, states, n, out);
        xmlFreeDoc(doc);
        return 0;
    }
    if (k && !m->cannot_list && many_list_all(c, m, states, n, out) != 0)
        return -1; /* one is missing: list them all */
    return cp_aws_read_rest(c, m->read, states, NULL, n, out);
}

int elbv2_describe_many(cp_provider_call *c, const elbv2_many *m, const cp_value *const *states,
                        size_t n, cp_value **out)
{
    for (size_t i = 0; i < n; i++) out[i] = NULL;
    for (size_t k = 0; k < n; k += ELBV2_PER_CALL)
        if (many_chunk(c, m, states + k, n - k < ELBV2_PER_CALL ? n - k : ELBV2_PER_CALL,
                       out + k) != 0)
            return cp_aws_batch_fail(out, n);
    return 0;
}

static int tags_chunk(cp_provider_call *c, const cp_value *const *states, size_t n, cp_value **out)
{
    aws_params *p = aws_params_new();
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!out[i] || !cp_get_str(out[i], "arn")) continue;
        char key[48];
        snprintf(key, sizeof key, "ResourceArns.member.%zu", ++k);
        aws_params_add(p, key, cp_get_str(out[i], "arn"));
    }
    xmlDocPtr doc = NULL;
    int rc = k ? elbv2_call(c, "DescribeTags", p, NULL, &doc) : 0;
    aws_params_free(p);
    if (rc != 0 || !k) return rc;
    xmlNodePtr d = aws_xml_find(aws_xml_root(doc), "DescribeTagsResult/TagDescriptions/member");
    for (; d; d = aws_xml_next(d)) {
        char *arn = aws_xml_text(d, "ResourceArn");
        for (size_t i = 0; arn && i < n; i++) {
            if (!out[i] || !cp_get_str(out[i], "arn") || strcmp(cp_get_str(out[i], "arn"), arn))
                continue;
            cp_value *t = cp_aws_tags_from_xml(aws_xml_find(d, "Tags"), "member");
            cp_set_take(out[i], "tags", cp_tags_keep_take(t, cp_map_get(states[i], "tags")));
        }
        free(arn);
    }
    xmlFreeDoc(doc);
    return 0;
}

int elbv2_tags_many(cp_provider_call *c, const cp_value *const *states, size_t n, cp_value **out)
{
    for (size_t k = 0; k < n; k += ELBV2_PER_CALL)
        if (tags_chunk(c, states + k, n - k < ELBV2_PER_CALL ? n - k : ELBV2_PER_CALL, out + k) !=
            0)
            return cp_aws_batch_fail(out, n);
    return 0;
}
