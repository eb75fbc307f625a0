/*
 * sns_common.c: helpers shared by the SNS types (see sns_common.h).
 */
#include "providers/aws/sns_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const sns_gone[] = { "NotFound", "NotFoundException", "ResourceNotFound", NULL };

int sns_get_attributes(cp_provider_call *c, const char *action, const char *param, const char *arn,
                       cp_value **attrs)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, param, arn);
    xmlDocPtr doc;
    *attrs = NULL;
    int rc = cp_aws_query(c, "sns", action, p, sns_gone, &doc);
    aws_params_free(p);
    if (rc != 0) return rc;
    char path[128];
    snprintf(path, sizeof path, "%sResult/Attributes/entry", action);
    cp_value *m = cp_map_new();
    for (xmlNodePtr e = aws_xml_find(aws_xml_root(doc), path); e; e = aws_xml_next(e)) {
        char *k = aws_xml_text(e, "key"), *v = aws_xml_text(e, "value");
        if (k) cp_set_str(m, k, v ? v : "");
        free(k);
        free(v);
    }
    xmlFreeDoc(doc);
    *attrs = m;
    return 0;
}

int sns_set_attribute(cp_provider_call *c, const char *action, const char *arn_param,
                      const char *arn, const char *name, const char *value)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, arn_param, arn);
    aws_params_add(p, "AttributeName", name);
    aws_params_add(p, "AttributeValue", value ? value : "");
    int rc = cp_aws_query(c, "sns", action, p, NULL, NULL);
    aws_params_free(p);
    return rc == 0 ? 0 : -1;
}

typedef struct sns_search {
    const char *items, *arn_elem;
    const char *const *fields;
    char *arn;
} sns_search;

static bool field_matches(xmlNodePtr m, const char *elem, const char *want)
{
    char *t = aws_xml_text(m, elem);
    size_t nt = t ? strlen(t) : 0, nw = strlen(want);
    bool ok = t && (*want == ':' ? nt >= nw && !strcmp(t + nt - nw, want) : !strcmp(t, want));
    free(t);
    return ok;
}

static int search_page(void *ud, xmlNodePtr root)
{
    sns_search *s = ud;
    for (xmlNodePtr m = aws_xml_find(root, s->items); m && !s->arn; m = aws_xml_next(m)) {
        bool ok = true;
        for (size_t i = 0; ok && s->fields[2 * i]; i++)
            ok = field_matches(m, s->fields[2 * i], s->fields[2 * i + 1]);
        if (ok) s->arn = aws_xml_text(m, s->arn_elem);
    }
    return s->arn ? 1 : 0;
}

int sns_find_arn(cp_provider_call *c, const char *action, const char *param, const char *value,
                 const char *items, const char *arn_elem, const char *const *fields, char **arn)
{
    *arn = NULL;
    for (size_t i = 0; fields[2 * i]; i++)
        if (!fields[2 * i + 1])
            return cp_fail(c, "%s: the intent of the interrupted create has nothing to look for",
                           c->address);
    aws_params *p = aws_params_new();
    if (param) aws_params_add(p, param, value);
    sns_search s = { items, arn_elem, fields, NULL };
    aws_error err = { 0 };
    int rc = aws_query_paginate(cp_aws_client(c), "sns", action, p, "NextToken", "NextToken",
                                search_page, &s, &err);
    aws_params_free(p);
    if (rc != 0 && !s.arn) {
        if (cp_aws_error_in(&err, sns_gone)) {
            aws_error_clear(&err);
            return 0;
        }
        return cp_aws_fail(c, &err, action);
    }
    aws_error_clear(&err);
    *arn = s.arn;
    return 0;
}
