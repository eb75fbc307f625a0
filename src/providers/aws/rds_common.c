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
    cp_value *m = cp_aws_tags_from_xml(
        aws_xml_find(aws_xml_root(doc), "ListTagsForResourceResult/TagList"), "Tag");
    xmlFreeDoc(doc);
    return cp_tags_keep_take(m, prev);
}

int rds_update_tags(cp_provider_call *c, const char *arn, const cp_value *old_tags,
                    const cp_value *new_tags)
{
    static const cp_aws_query_tagging t = { "rds", "RemoveTagsFromResource", "AddTagsToResource",
                                            "ResourceName", "Tags.Tag" };
    return cp_aws_query_tags_update(c, &t, arn, old_tags, new_tags);
}
