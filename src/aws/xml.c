/*
 * xml.c: namespace-blind element lookup over libxml2 trees (see xml.h).
 */
#include "aws/xml.h"

#include <string.h>

#include <libxml/parser.h>

#include "util/xalloc.h"

xmlDocPtr aws_xml_parse(const char *data, size_t len)
{
    if (!data || !len) return NULL;
    return xmlReadMemory(data, (int)len, "aws.xml", NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

xmlNodePtr aws_xml_root(xmlDocPtr doc) { return doc ? xmlDocGetRootElement(doc) : NULL; }

static xmlNodePtr child_named(xmlNodePtr parent, const char *name, size_t n)
{
    for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strlen((const char *)c->name) == n &&
            strncmp((const char *)c->name, name, n) == 0)
            return c;
    return NULL;
}

xmlNodePtr aws_xml_find(xmlNodePtr from, const char *path)
{
    xmlNodePtr cur = from;
    const char *p = path;
    while (cur && *p) {
        size_t n = strcspn(p, "/");
        cur = child_named(cur, p, n);
        p += n;
        if (*p == '/') p++;
    }
    return cur;
}

xmlNodePtr aws_xml_find_any(xmlNodePtr from, const char *name)
{
    for (xmlNodePtr c = from ? from->children : NULL; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        if (strcmp((const char *)c->name, name) == 0) return c;
        xmlNodePtr d = aws_xml_find_any(c, name);
        if (d) return d;
    }
    return NULL;
}

xmlNodePtr aws_xml_next(xmlNodePtr node)
{
    for (xmlNodePtr c = node ? node->next : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE &&
            strcmp((const char *)c->name, (const char *)node->name) == 0)
            return c;
    return NULL;
}

char *aws_xml_text(xmlNodePtr from, const char *path)
{
    xmlNodePtr n = aws_xml_find(from, path);
    if (!n) return NULL;
    xmlChar *t = xmlNodeGetContent(n);
    char *s = cp_xstrdup(t ? (const char *)t : "");
    xmlFree(t);
    return s;
}

size_t aws_xml_count(xmlNodePtr from, const char *path)
{
    size_t n = 0;
    for (xmlNodePtr c = aws_xml_find(from, path); c; c = aws_xml_next(c)) n++;
    return n;
}
