/*
 * acm_certificate_validation.c: aws_acm_certificate_validation — no AWS
 * object: create waits until the certificate is ISSUED (after its DNS
 * records exist), so what uses the certificate comes after. id = the
 * certificate ARN; read finds it gone when the certificate is gone or no
 * longer ISSUED; delete does nothing. With validation_record_fqdns, every
 * DNS record the certificate asks for must be among them (a missing one
 * would make the wait last until AWS gives up).
 *
 * No batch read: DescribeCertificate takes one certificate a call.
 */
#include "providers/aws/acm_common.h"
#include "providers/aws/aws_types.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static const cp_schema_attr attrs[] = {
    { .name = "certificate_arn",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .description = "ARN of the certificate to wait for." },
    { .name = "validation_record_fqdns",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW | CP_UNORDERED,
      .description = "Names of the DNS validation records made (a set); checked against the "
                     "certificate's." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the certificate." },
    { NULL },
};

/* "name." and "name" are the same record. */
static bool same_fqdn(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    if (na && a[na - 1] == '.') na--;
    if (nb && b[nb - 1] == '.') nb--;
    return na == nb && strncasecmp(a, b, na) == 0;
}

/* NULL, or a malloc'd message naming a DNS record missing from fqdns. */
static char *missing_record(const json_t *cert, const cp_value *fqdns)
{
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(cert, "DomainValidationOptions"), i, o)
    {
        const char *name =
            json_string_value(json_object_get(json_object_get(o, "ResourceRecord"), "Name"));
        bool found = !name;
        for (size_t j = 0; !found && j < cp_len(fqdns); j++)
            found = same_fqdn(name, cp_string_val(cp_list_get(fqdns, j)));
        if (!found)
            return cp_xasprintf("validation_record_fqdns lacks %s, the DNS record that validates "
                                "%s; add that record's fqdn",
                                name, json_string_value(json_object_get(o, "DomainName")));
    }
    return NULL;
}

typedef struct issued {
    const char *arn;
} issued;

static int check_issued(cp_provider_call *c, void *ud, bool *done)
{
    issued *w = ud;
    json_t *cert;
    if (acm_describe(c, w->arn, &cert) != 0) return -1;
    if (!cert) return cp_fail(c, "%s: certificate %s no longer exists", c->address, w->arn);
    const char *st = json_string_value(json_object_get(cert, "Status"));
    int rc = 0;
    *done = st && !strcmp(st, "ISSUED");
    if (st && strcmp(st, "ISSUED") && strcmp(st, "PENDING_VALIDATION"))
        rc = cp_fail(c, "%s: certificate %s is %s, not ISSUED; request a new one", c->address,
                     w->arn, st);
    json_decref(cert);
    return rc;
}

static int validation_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    json_t *cert;
    const char *arn = cp_get_str(state, "certificate_arn");
    if (acm_describe(c, arn, &cert) != 0) return -1;
    const char *st = json_string_value(json_object_get(cert, "Status"));
    if (cert && st && !strcmp(st, "ISSUED")) {
        *out = cp_state_complete(attrs, state);
        cp_set_str(*out, "id", arn);
    }
    json_decref(cert);
    return 0;
}

static int validation_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *arn = cp_get_str(config, "certificate_arn");
    json_t *cert;
    if (acm_describe(c, arn, &cert) != 0) return -1;
    if (!cert) return cp_fail(c, "%s: no certificate %s", c->address, arn);
    const cp_value *fqdns = cp_get_list(config, "validation_record_fqdns");
    const char *method = json_string_value(json_object_get(
        json_array_get(json_object_get(cert, "DomainValidationOptions"), 0), "ValidationMethod"));
    char *why = fqdns && method && !strcmp(method, "DNS") ? missing_record(cert, fqdns) : NULL;
    json_decref(cert);
    if (why) {
        int rc = cp_fail(c, "%s: %s", c->address, why);
        free(why);
        return rc;
    }
    issued w = { arn };
    char *what = cp_xasprintf("certificate %s to be issued", arn);
    int rc = cp_aws_wait(c, what, 75 * 60, 5000, check_issued, &w);
    free(what);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", arn);
    *state = s;
    return 0;
}

static int validation_delete(cp_provider_call *c, const cp_value *state)
{
    (void)c;
    (void)state;
    return 0; /* nothing in AWS to remove */
}

const cp_resource_type cp_aws_acm_certificate_validation = {
    .name = "aws_acm_certificate_validation",
    .description = "Waits until an ACM certificate is issued (no AWS object; deleting it does "
                   "nothing). Deliberate difference from the Terraform AWS provider: the id is "
                   "the certificate ARN (Terraform's is the issue time).",
    .attrs = attrs,
    .create = validation_create,
    .read = validation_read,
    .delete = validation_delete,
    .recovery = CP_RECOVER_ID,
    .no_durable_intent = true,
};
