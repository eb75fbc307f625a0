/*
 * appautoscaling_common.c: helpers shared by the Application Auto Scaling
 * types (see appautoscaling_common.h).
 */
#include "providers/aws/appautoscaling_common.h"
#include "util/xalloc.h"

#include <string.h>

const char *const aas_gone[] = { "ObjectNotFoundException", NULL };

const char *aas_validate_namespace(const cp_value *v)
{
    static const char *const ok[] = {
        "ecs",         "elasticmapreduce", "ec2",        "appstream", "dynamodb",  "rds",
        "sagemaker",   "custom-resource",  "comprehend", "lambda",    "cassandra", "kafka",
        "elasticache", "neptune",          "workspaces", NULL
    };
    for (const char *const *p = ok; *p; p++)
        if (!strcmp(cp_string_val(v), *p)) return NULL;
    return "service_namespace is an Application Auto Scaling namespace such as ecs, dynamodb, rds, lambda or ec2";
}

int aas_split_id(const char *id, char **ns, char **resource, char **dimension)
{
    const char *first = id ? strchr(id, '/') : NULL, *last = id ? strrchr(id, '/') : NULL;
    if (!first || last == first) return -1;
    *ns = cp_xstrndup(id, (size_t)(first - id));
    *resource = cp_xstrndup(first + 1, (size_t)(last - first - 1));
    *dimension = cp_xstrdup(last + 1);
    return 0;
}
