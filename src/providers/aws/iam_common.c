/*
 * iam_common.c: helpers shared by the IAM resource types (see iam_common.h).
 */
#include "providers/aws/iam_common.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

const char *const iam_gone[] = { "NoSuchEntity", NULL };

int iam_update_tags(cp_provider_call *c, const char *kind, const char *name_param, const char *name,
                    const cp_value *old_tags, const cp_value *new_tags)
{
    char untag[64], tag[64];
    snprintf(untag, sizeof untag, "Untag%s", kind);
    snprintf(tag, sizeof tag, "Tag%s", kind);
    const cp_aws_query_tagging t = { "iam", untag, tag, name_param, "Tags.member" };
    return cp_aws_query_tags_update(c, &t, name, old_tags, new_tags);
}

cp_value *iam_tags_read(xmlNodePtr root, const char *path, const cp_value *prev_tags)
{
    xmlNodePtr tags = aws_xml_find(root, path);
    return cp_tags_keep_take(cp_aws_tags_from_xml(tags, "member"), prev_tags);
}

cp_value *iam_policy_read(xmlNodePtr root, const char *path, const char *prev)
{
    char *raw = aws_xml_text(root, path);
    char *doc = raw ? cp_url_decode(raw) : NULL;
    cp_value *v = cp_json_keep(prev, doc);
    free(raw);
    free(doc);
    return v;
}

int iam_call1(cp_provider_call *c, const char *action, const char *param, const char *value,
              xmlDocPtr *doc)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, param, value);
    int rc = cp_aws_query(c, "iam", action, p, iam_gone, doc);
    aws_params_free(p);
    return rc;
}

const char *iam_validate_path(const cp_value *v)
{
    const char *s = cp_string_val(v);
    size_t n = strlen(s);
    if (n < 1 || n > 512 || s[0] != '/' || s[n - 1] != '/')
        return "paths start and end with '/' (e.g. \"/\" or \"/ops/\"), at most 512 characters";
    return NULL;
}

const char *iam_validate_policy_name(const cp_value *v)
{
    size_t n = cp_string_len(v);
    if (n < 1 || n > 128) return "policy names are 1 to 128 characters";
    for (const char *s = cp_string_val(v); *s; s++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+=,.@_-", *s))
            return "policy names use only letters, digits and +=,.@_-";
    return NULL;
}

const char *iam_validate_arn(const cp_value *v)
{
    if (strncmp(cp_string_val(v), "arn:", 4) != 0)
        return "must be an ARN (arn:aws:iam::aws:policy/ReadOnlyAccess or "
               "arn:aws:iam::<account>:policy/<name>)";
    return NULL;
}

int iam_list(cp_provider_call *c, const char *action, const char *param, const char *value,
             const char *items, const char *field, cp_value **out)
{
    xmlDocPtr doc;
    aws_params *p = aws_params_new();
    aws_params_add(p, param, value);
    aws_params_add(p, "MaxItems", "1000");
    int rc = cp_aws_query(c, "iam", action, p, iam_gone, &doc);
    aws_params_free(p);
    *out = NULL;
    if (rc != 0) return rc;
    cp_value *l = cp_list_new();
    for (xmlNodePtr it = aws_xml_find(aws_xml_root(doc), items); it; it = aws_xml_next(it)) {
        char *t = field ? aws_xml_text(it, field) : (char *)xmlNodeGetContent(it);
        if (t) cp_list_push_take(l, cp_string(t));
        if (field)
            free(t);
        else
            xmlFree(t);
    }
    xmlFreeDoc(doc);
    *out = l;
    return 0;
}

/* ---- listings for the batch reads ------------------------------------------------------ */

static void listing_add(iam_listing *l, xmlNodePtr it, const char *name_elem)
{
    char *name = aws_xml_text(it, name_elem);
    if (!name) return;
    CP_GROW(l->names, l->n + 1, l->cap);
    l->items = cp_xrealloc(l->items, l->cap * sizeof *l->items);
    l->names[l->n] = name;
    l->items[l->n++] = it;
}

int iam_list_all(cp_provider_call *c, const char *action, const char *filter, const char *items,
                 const char *name_elem, iam_listing *out)
{
    *out = (iam_listing){ 0 };
    char result[96], *marker = NULL;
    snprintf(result, sizeof result, "%sResult", action);
    do {
        aws_params *p = aws_params_new();
        aws_params_add(p, "MaxItems", "1000");
        if (filter) aws_params_add(p, "Filter.member.1", filter);
        if (marker) aws_params_add(p, "Marker", marker);
        free(marker);
        marker = NULL;
        xmlDocPtr doc;
        int rc = cp_aws_query(c, "iam", action, p, NULL, &doc);
        aws_params_free(p);
        if (rc != 0) return -1;
        out->docs = cp_xrealloc(out->docs, (out->ndocs + 1) * sizeof *out->docs);
        out->docs[out->ndocs++] = doc;
        xmlNodePtr res = aws_xml_find(aws_xml_root(doc), result);
        for (xmlNodePtr it = aws_xml_find(aws_xml_root(doc), items); it; it = aws_xml_next(it))
            listing_add(out, it, name_elem);
        char *trunc = res ? aws_xml_text(res, "IsTruncated") : NULL;
        if (trunc && !strcmp(trunc, "true")) marker = aws_xml_text(res, "Marker");
        free(trunc);
    } while (marker);
    return 0;
}

xmlNodePtr iam_listing_find(const iam_listing *l, const char *name)
{
    for (size_t i = 0; name && i < l->n; i++)
        if (!strcmp(l->names[i], name)) return l->items[i];
    return NULL;
}

int iam_list_details(cp_provider_call *c, const char *kind, iam_listing *out)
{
    char items[96], name_elem[32];
    snprintf(items, sizeof items, "GetAccountAuthorizationDetailsResult/%sDetailList/member", kind);
    snprintf(name_elem, sizeof name_elem, "%sName", kind);
    return iam_list_all(c, "GetAccountAuthorizationDetails", kind, items, name_elem, out);
}

void iam_listing_free(iam_listing *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->names[i]);
    for (size_t i = 0; i < l->ndocs; i++) xmlFreeDoc(l->docs[i]);
    free(l->names);
    free(l->items);
    free(l->docs);
    *l = (iam_listing){ 0 };
}
