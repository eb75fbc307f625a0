/*
 * sqs_common.c: helpers shared by the SQS types (see sqs_common.h).
 */
#include "providers/aws/sqs_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const sqs_gone[] = { "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist",
                                 NULL };

bool sqs_is_url(const char *id)
{
    return id && (!strncmp(id, "https://", 8) || !strncmp(id, "http://", 7)) &&
           strchr(strstr(id, "://") + 3, '/');
}

const char *sqs_validate_url(const cp_value *v)
{
    return sqs_is_url(cp_string_val(v))
               ? NULL
               : "a queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>, e.g. "
                 "aws_sqs_queue.<name>.url), not a queue name or ARN";
}

void sqs_attribute_params(aws_params *p, const json_t *values)
{
    const char *k;
    json_t *v;
    int i = 0;
    json_object_foreach((json_t *)values, k, v)
    {
        i++;
        aws_params_addf(p, k, "Attribute.%d.Name", i);
        aws_params_addf(p, json_string_value(v), "Attribute.%d.Value", i);
    }
}

int sqs_get_attributes(cp_provider_call *c, const char *url, const char *name, json_t **attrs)
{
    *attrs = NULL;
    aws_params *p = aws_params_new();
    aws_params_add(p, "QueueUrl", url);
    aws_params_add(p, "AttributeName.1", name);
    xmlDocPtr doc;
    int rc = cp_aws_query(c, "sqs", "GetQueueAttributes", p, sqs_gone, &doc);
    aws_params_free(p);
    if (rc != 0) return rc;
    json_t *a = json_object();
    for (xmlNodePtr n = aws_xml_find(aws_xml_root(doc), "GetQueueAttributesResult/Attribute"); n;
         n = aws_xml_next(n)) {
        char *k = aws_xml_text(n, "Name"), *v = aws_xml_text(n, "Value");
        if (k) json_object_set_new(a, k, json_string(v ? v : ""));
        free(k);
        free(v);
    }
    xmlFreeDoc(doc);
    *attrs = a;
    return 0;
}

int sqs_set_attributes(cp_provider_call *c, const char *url, const json_t *attrs,
                       const char *const *gone)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "QueueUrl", url);
    sqs_attribute_params(p, attrs);
    int rc = cp_aws_query(c, "sqs", "SetQueueAttributes", p, gone, NULL);
    aws_params_free(p);
    return rc;
}
