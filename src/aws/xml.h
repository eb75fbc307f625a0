/*
 * xml.h: small libxml2 helpers for the query and REST-XML protocols.
 *
 * Paths are element local names separated by '/', matched from the children
 * of `from` and ignoring namespaces: aws_xml_text(root,
 * "CreateUserResult/User/Arn"). Lists: iterate with aws_xml_find + aws_xml_next
 * (next sibling with the same name), e.g. every "member" or EC2 "item".
 */
#ifndef CP_AWS_XML_H
#define CP_AWS_XML_H

#include <stddef.h>

#include <libxml/tree.h>

/* Parse without network access or entity expansion; NULL on malformed XML. */
xmlDocPtr aws_xml_parse(const char *data, size_t len);
xmlNodePtr aws_xml_root(xmlDocPtr doc);
/* First element at `path` below `from`; NULL when absent. */
xmlNodePtr aws_xml_find(xmlNodePtr from, const char *path);
/* First descendant element (any depth) with this local name. */
xmlNodePtr aws_xml_find_any(xmlNodePtr from, const char *name);
/* Next sibling element with the same local name as `node`. */
xmlNodePtr aws_xml_next(xmlNodePtr node);
/* Text of the element at path (malloc'd), or NULL when absent. */
char *aws_xml_text(xmlNodePtr from, const char *path);
/* Count of elements named like the first at `path` among its siblings. */
size_t aws_xml_count(xmlNodePtr from, const char *path);

#endif
