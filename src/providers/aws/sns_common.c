/*
 * sns_common.c: helpers shared by the SNS types (see sns_common.h).
 */
#include "providers/aws/sns_common.h"

#include <stdio.h>
#include <stdlib.h>

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
