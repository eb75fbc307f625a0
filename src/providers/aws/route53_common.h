/*
 * route53_common.h: what the Route 53 types (route53_*.c) share — one
 * REST-XML call on the 2013-04-01 API, the XML namespace of request
 * bodies, zone ids without their "/hostedzone/" prefix, record names as
 * AWS keeps them, and waiting for a change to be INSYNC.
 */
#ifndef CP_PROVIDERS_AWS_ROUTE53_COMMON_H
#define CP_PROVIDERS_AWS_ROUTE53_COMMON_H

#include "providers/aws/aws_common.h"
#include "util/buf.h"

#define R53_NS "https://route53.amazonaws.com/doc/2013-04-01/"

/* {"NoSuchHostedZone", NULL}. */
extern const char *const r53_zone_gone[];

/* One call: method on /2013-04-01/<path> with query q (may be NULL) and
 * body b (may be NULL); *doc (may be NULL) the answer parsed. 0, 1 when
 * the error is one of gone, -1 with c->error set. */
int r53_call(cp_provider_call *c, const char *op, const char *method, const char *path,
             const aws_params *q, const cp_buf *b, const char *const *gone, xmlDocPtr *doc);
/* "Z123" of "/hostedzone/Z123" (or of "Z123"); malloc'd. */
char *r53_zone_id(const char *s);
/* name lower-cased, \\ooo escapes decoded (Route 53 answers * as \\052), without its final
 * dot (as state keeps it); malloc'd. */
char *r53_name_norm(const char *name);
/* Waits until the change (its Id, "/change/C…" or "C…") is INSYNC. */
int r53_wait_change(cp_provider_call *c, const char *change_id, const char *what);
/* The change id of a ChangeInfo answer (malloc'd, NULL when none). */
char *r53_change_id(xmlDocPtr doc);
/* Appends <name>text</name> with text XML-escaped (nothing when text NULL). */
void r53_xml_elem(cp_buf *b, const char *name, const char *text);
/* The zone's name (lower-case, no final dot) of GetHostedZone; 1 when gone. */
int r53_zone_name(cp_provider_call *c, const char *zone_id, char **name);

#endif
