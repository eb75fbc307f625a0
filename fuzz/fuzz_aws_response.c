/*
 * fuzz_aws_response.c: libFuzzer target for what AWS (or anything posing as
 * it) sends back: error bodies of every protocol, XML documents walked
 * with the xml.h helpers the providers use, and JSON bodies. The first
 * input byte picks the protocol and HTTP status; the rest is the body.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws/aws.h"
#include "aws/endpoints.h"
#include "aws/xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk_xml(const uint8_t *data, size_t size)
{
    xmlDocPtr doc = aws_xml_parse((const char *)data, size);
    if (!doc) return;
    xmlNodePtr root = aws_xml_root(doc);
    free(aws_xml_text(root, "Errors/Error/Code"));
    free(aws_xml_text(root, "CreateUserResult/User/Arn"));
    for (xmlNodePtr it = aws_xml_find_any(root, "item"); it; it = aws_xml_next(it))
        free(aws_xml_text(it, "instanceId"));
    (void)aws_xml_count(root, "member");
    xmlFreeDoc(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    static const long statuses[] = { 400, 403, 404, 409, 412, 429, 500, 503 };
    int protocol = data[0] % 5;
    aws_http_response r;
    memset(&r, 0, sizeof r);
    r.status = statuses[(data[0] >> 3) % 8];
    cp_buf_add(&r.body, data + 1, size - 1);
    aws_error e = { 0 };
    aws_error_from_response(protocol, &r, &e);
    char *line = aws_error_format(&e, "aws_thing.fuzz", "Op");
    free(line);
    aws_error_clear(&e);
    cp_buf_free(&r.body);
    walk_xml(data + 1, size - 1);
    json_error_t jerr;
    json_t *j = json_loadb((const char *)data + 1, size - 1, 0, &jerr);
    json_decref(j);
    return 0;
}
