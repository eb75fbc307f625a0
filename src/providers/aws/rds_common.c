/*
 * rds_common.c: helpers shared by the RDS resource types (see rds_common.h).
 */
#include "providers/aws/rds_common.h"

#include <stdlib.h>

int rds_call(cp_provider_call *c, const char *action, const aws_params *p, const char *const *gone,
             xmlDocPtr *doc)
{
    return cp_aws_query(c, "rds", action, p, gone, doc);
}

cp_value *rds_read_tags(cp_provider_call *c, const char *arn, const cp_value *prev)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "ResourceName", arn);
    xmlDocPtr doc;
    int rc = rds_call(c, "ListTagsForResource", p, NULL, &doc);
    aws_params_free(p);
    if (rc != 0) return NULL;
    cp_value *m = cp_aws_tags_from_xml(aws_xml_find(aws_xml_root(doc), "ListTagsForResourceResult/TagList"), "Tag");
    xmlFreeDoc(doc);
    return cp_tags_keep(m, prev);
}

int rds_update_tags(cp_provider_call *c, const char *arn, const cp_value *old_tags, const cp_value *new_tags)
{
    cp_value *removed = cp_tags_removed(old_tags, new_tags);
    int rc = 0;
    if (cp_len(removed)) {
        aws_params *p = aws_params_new();
        aws_params_add(p, "ResourceName", arn);
        rds_list_params(p, "TagKeys.member", removed);
        rc = rds_call(c, "RemoveTagsFromResource", p, NULL, NULL);
        aws_params_free(p);
    }
    cp_release(removed);
    if (rc == 0 && new_tags && cp_kind_of(new_tags) == CP_MAP && cp_len(new_tags)) {
        aws_params *p = aws_params_new();
        aws_params_add(p, "ResourceName", arn);
        cp_aws_tags_params(p, "Tags.Tag", new_tags);
        rc = rds_call(c, "AddTagsToResource", p, NULL, NULL);
        aws_params_free(p);
    }
    return rc == 0 ? 0 : -1;
}

void rds_list_params(aws_params *p, const char *prefix, const cp_value *list)
{
    for (size_t i = 0; list && cp_kind_of(list) == CP_LIST && i < cp_len(list); i++)
        aws_params_addf(p, cp_string_val(cp_list_get(list, i)), "%s.%zu", prefix, i + 1);
}

cp_value *rds_xml_list(xmlNodePtr from, const char *path, const char *field)
{
    cp_value *l = cp_list_new();
    for (xmlNodePtr it = from ? aws_xml_find(from, path) : NULL; it; it = aws_xml_next(it)) {
        char *t = aws_xml_text(it, field);
        if (t) cp_list_push_take(l, cp_string_take(t));
    }
    return l;
}
