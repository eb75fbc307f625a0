/*
 * acm_common.h: what the ACM types (acm_*.c) share — DescribeCertificate,
 * the certificate tag calls, the delete that waits while a load balancer
 * lets go of a certificate, and finding a certificate by its intent tag.
 */
#ifndef CP_PROVIDERS_AWS_ACM_COMMON_H
#define CP_PROVIDERS_AWS_ACM_COMMON_H

#include "providers/aws/aws_common.h"

/* The JSON target of an ACM operation. */
#define ACM(op) "CertificateManager." op

/* DescribeCertificate: 0 with *cert (its "Certificate" object, a new
 * reference; NULL when there is no such certificate), or -1. */
int acm_describe(cp_provider_call *c, const char *arn, json_t **cert);
/* ListTagsForCertificate as a state value (cp_tags_keep_take against prev_tags), NULL on error. */
cp_value *acm_tags_read(cp_provider_call *c, const char *arn, const cp_value *prev_tags);
int acm_tags_update(cp_provider_call *c, const char *arn, const cp_value *old_tags,
                    const cp_value *new_tags);
/* DeleteCertificate, retrying ResourceInUseException for up to 10 minutes
 * while a listener lets go of it; a certificate already gone is fine. */
int acm_delete(cp_provider_call *c, const char *arn);
/* The ARN (malloc'd, NULL when none) of the certificate for domain whose
 * tags hold CP_INTENT_KEY = uuid. */
int acm_find_by_intent(cp_provider_call *c, const char *domain, const char *uuid, char **arn);

#endif
