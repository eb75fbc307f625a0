/*
 * acm_certificate.c: aws_acm_certificate — a certificate requested from
 * ACM (id = certificate ARN; import by ARN) and validated by DNS or
 * e-mail; domain_validation_options gives the DNS records to create.
 * Tags change in place (AddTagsToCertificate / RemoveTagsFromCertificate);
 * every other argument forces a new certificate. RequestCertificate's
 * IdempotencyToken is the intent UUID (its 32 hex digits) and the intent
 * tag goes with the request, so an interrupted create is found again by
 * that tag among the certificates for the domain.
 *
 * aws_acm_certificate_validation waits until a certificate is ISSUED
 * (acm_certificate_validation.c).
 *
 * No batch read: DescribeCertificate and ListTagsForCertificate take one
 * certificate a call (ListCertificates lacks the validation records and options).
 */
#include "providers/aws/acm_common.h"
#include "providers/aws/aws_types.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static const cp_schema_attr dvo_attrs[] = {
    { .name = "domain_name",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Domain the record validates." },
    { .name = "resource_record_name",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Name of the DNS record to create." },
    { .name = "resource_record_type",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Type of the DNS record (CNAME)." },
    { .name = "resource_record_value",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Value of the DNS record." },
    { NULL },
};

static const cp_schema_attr attrs[] = {
    { .name = "domain_name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .description = "Domain of the certificate, e.g. example.com or *.example.com." },
    { .name = "subject_alternative_names",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW | CP_UNORDERED,
      .description = "Further domains of the certificate (a set; domain_name itself is left "
                     "out)." },
    { .name = "validation_method",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .description = "DNS or EMAIL. Default: AWS's, EMAIL." },
    { .name = "key_algorithm",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .description = "Key algorithm: RSA_2048 (AWS's default), EC_prime256v1, EC_secp384r1 …" },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the certificate." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the certificate." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the certificate." },
    { .name = "status",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "PENDING_VALIDATION, ISSUED, …" },
    { .name = "domain_validation_options",
      .type = CP_AT_BLOCKS,
      .flags = CP_COMPUTED | CP_UNORDERED,
      .block = dvo_attrs,
      .description = "The DNS records that validate the certificate, one per domain (DNS "
                     "validation)." },
    { NULL },
};

static const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* The domain validation options of a DescribeCertificate answer. */
static cp_value *dvo_read(const json_t *cert)
{
    cp_value *l = cp_list_new();
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(cert, "DomainValidationOptions"), i, o)
    {
        json_t *rr = json_object_get(o, "ResourceRecord");
        if (!rr) continue;
        cp_value *m = cp_map_new();
        cp_set_str(m, "domain_name", jstr(o, "DomainName"));
        cp_set_str(m, "resource_record_name", jstr(rr, "Name"));
        cp_set_str(m, "resource_record_type", jstr(rr, "Type"));
        cp_set_str(m, "resource_record_value", jstr(rr, "Value"));
        cp_list_push_take(l, m);
    }
    return l;
}

static cp_value *sans_read(const json_t *cert)
{
    cp_value *l = cp_list_new();
    size_t i;
    json_t *n;
    const char *domain = jstr(cert, "DomainName");
    json_array_foreach(json_object_get(cert, "SubjectAlternativeNames"), i,
                       n) if (json_string_value(n) &&
                              !(domain && !strcmp(json_string_value(n), domain)))
        cp_list_push_take(l, cp_string(json_string_value(n)));
    return l;
}

static int cert_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    json_t *cert;
    int rc = acm_describe(c, cp_get_str(state, "id"), &cert);
    if (rc != 0 || !cert) return rc;
    cp_value *s = cp_state_complete(attrs, state);
    const char *arn = jstr(cert, "CertificateArn");
    cp_set_str(s, "id", arn);
    cp_set_str(s, "arn", arn);
    cp_set_str(s, "domain_name", jstr(cert, "DomainName"));
    cp_set_take(s, "subject_alternative_names", sans_read(cert));
    cp_set_str(s, "status", jstr(cert, "Status"));
    json_t *first = json_array_get(json_object_get(cert, "DomainValidationOptions"), 0);
    cp_set_str(s, "validation_method", jstr(first, "ValidationMethod"));
    char *alg = cp_xstrdup(jstr(cert, "KeyAlgorithm") ? jstr(cert, "KeyAlgorithm") : "RSA_2048");
    for (char *d = alg; *d; d++)
        if (*d == '-') *d = '_'; /* AWS answers RSA-2048 for the RSA_2048 it was asked */
    cp_set_take(s, "key_algorithm", cp_string_take(alg));
    cp_set_take(s, "domain_validation_options", dvo_read(cert));
    cp_value *tags = acm_tags_read(c, arn, cp_map_get(state, "tags"));
    json_decref(cert);
    if (!tags) {
        cp_release(s);
        return -1;
    }
    cp_set_take(s, "tags", tags);
    *out = s;
    return 0;
}

/* IdempotencyToken: the intent UUID's 32 hex digits (AWS allows \w{1,32}). */
static char *token_of(const cp_value *config)
{
    const char *u = cp_intent_uuid(config);
    if (!u) return NULL;
    char *t = cp_xcalloc(strlen(u) + 1, 1), *w = t;
    for (; *u; u++)
        if (*u != '-') *w++ = *u;
    return t;
}

static int cert_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    json_t *in = json_pack("{s:s}", "DomainName", cp_get_str(config, "domain_name"));
    const cp_value *sans = cp_get_list(config, "subject_alternative_names");
    if (sans && cp_len(sans) > 0) {
        json_t *a = json_array();
        for (size_t i = 0; i < cp_len(sans); i++)
            json_array_append_new(a, json_string(cp_string_val(cp_list_get(sans, i))));
        json_object_set_new(in, "SubjectAlternativeNames", a);
    }
    if (cp_get_str(config, "validation_method"))
        json_object_set_new(in, "ValidationMethod",
                            json_string(cp_get_str(config, "validation_method")));
    if (cp_get_str(config, "key_algorithm"))
        json_object_set_new(in, "KeyAlgorithm", json_string(cp_get_str(config, "key_algorithm")));
    char *token = token_of(config);
    if (token) json_object_set_new(in, "IdempotencyToken", json_string(token));
    free(token);
    cp_value *tags = cp_tags_with_intent(cp_get_map(config, "tags"), config);
    if (cp_len(tags) > 0)
        json_object_set_new(in, "Tags", cp_aws_tags_to_json(tags, "Key", "Value"));
    cp_release(tags);
    json_t *res = NULL;
    int rc = cp_aws_json(c, "acm", ACM("RequestCertificate"), in, NULL, &res);
    json_decref(in);
    if (rc != 0) return -1;
    const char *arn = jstr(res, "CertificateArn");
    if (!arn) {
        json_decref(res);
        return cp_fail(c,
                       "%s: RequestCertificate answered without a CertificateArn; run apply "
                       "again",
                       c->address);
    }
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", arn);
    json_decref(res);
    return cp_aws_finish_take(c, 0, cert_read, s, "the certificate", state);
}

static int cert_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                       cp_value **state)
{
    const char *arn = cp_get_str(old, "id");
    if (cp_changed(old, config, "tags") &&
        acm_tags_update(c, arn, cp_get_map(old, "tags"), cp_get_map(config, "tags")) != 0)
        return -1;
    return cp_aws_reread(c, cert_read, attrs, config, arn, state);
}

static int cert_delete(cp_provider_call *c, const cp_value *state)
{
    return acm_delete(c, cp_get_str(state, "id"));
}

static int cert_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, cert_read, id, state);
}

/* An interrupted create: the certificate for the domain carrying the intent tag. */
static int cert_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    *state = NULL;
    char *arn;
    if (acm_find_by_intent(c, cp_get_str(intent, "domain_name"), cp_intent_uuid(intent), &arn) != 0)
        return -1;
    int rc = arn ? cp_aws_find_with_id(c, cert_read, intent, arn, state) : 0;
    free(arn);
    return rc;
}

const cp_resource_type cp_aws_acm_certificate = {
    .name = "aws_acm_certificate",
    .description =
        "A certificate requested from ACM, validated by DNS or e-mail (import by ARN); create the "
        "records of domain_validation_options, then wait with aws_acm_certificate_validation."
        " Deliberate differences from the Terraform AWS provider: only requested certificates "
        "(no certificate_body / private_key import, no private CA) and domain_name is required.",
    .attrs = attrs,
    .create = cert_create,
    .read = cert_read,
    .update = cert_update,
    .delete = cert_delete,
    .import = cert_import,
    .recovery = CP_RECOVER_TOKEN,
    .find = cert_find,
};
