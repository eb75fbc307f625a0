/*
 * acm_certificate_data.c: data "aws_acm_certificate" — the ARN of the ACM
 * certificate for a domain (ListCertificates, every key type), among
 * those whose status is in statuses (default ISSUED). Several matches are
 * an error unless most_recent picks the newest (DescribeCertificate's
 * IssuedAt, else CreatedAt / ImportedAt).
 */
#include "providers/aws/acm_common.h"
#include "providers/aws/aws_types.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static const cp_schema_attr attrs[] = {
    { .name = "domain",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description = "Domain of the certificate (its domain_name)." },
    { .name = "statuses",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Statuses to look among (PENDING_VALIDATION, ISSUED, …). Default: "
                     "[\"ISSUED\"]." },
    { .name = "most_recent",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description = "With several matches, take the newest instead of failing." },
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
      .description = "Status of the certificate." },
    { NULL },
};

static bool status_wanted(const cp_value *statuses, const char *st)
{
    if (!statuses || cp_len(statuses) == 0) return st && !strcmp(st, "ISSUED");
    for (size_t i = 0; i < cp_len(statuses); i++)
        if (st && !strcmp(cp_string_val(cp_list_get(statuses, i)), st)) return true;
    return false;
}

/* When the certificate was issued (or made): seconds, 0 when unknown. */
static double issued_at(cp_provider_call *c, const char *arn, int *rc)
{
    json_t *cert;
    *rc = acm_describe(c, arn, &cert);
    double t = 0;
    static const char *const keys[] = { "IssuedAt", "ImportedAt", "CreatedAt", NULL };
    for (const char *const *k = keys; cert && *k && t == 0; k++)
        t = json_number_value(json_object_get(cert, *k));
    json_decref(cert);
    return t;
}

static int cert_data_read(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *domain = cp_get_str(config, "domain");
    const cp_value *statuses = cp_get_list(config, "statuses");
    bool newest = cp_get_bool(config, "most_recent", false);
    json_t *in =
               json_pack("{s:{s:[s,s,s,s,s,s,s]}}", "Includes", "keyTypes", "RSA_1024", "RSA_2048",
                         "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"),
           *res = NULL;
    char *best = NULL, *best_status = NULL;
    double best_at = -1;
    size_t matches = 0;
    int rc = 0;
    for (;;) {
        rc = cp_aws_json(c, "acm", ACM("ListCertificates"), in, NULL, &res);
        if (rc != 0) break;
        size_t i;
        json_t *s;
        json_array_foreach(json_object_get(res, "CertificateSummaryList"), i, s)
        {
            const char *d = json_string_value(json_object_get(s, "DomainName")),
                       *a = json_string_value(json_object_get(s, "CertificateArn")),
                       *st = json_string_value(json_object_get(s, "Status"));
            if (rc != 0 || !d || !a || strcmp(d, domain) || !status_wanted(statuses, st)) continue;
            matches++;
            double at = newest ? issued_at(c, a, &rc) : 0;
            if (best && at <= best_at) continue;
            free(best);
            free(best_status);
            best = cp_xstrdup(a);
            best_status = cp_xstrdup(st);
            best_at = at;
        }
        const char *next = json_string_value(json_object_get(res, "NextToken"));
        if (!next || rc != 0) break;
        json_object_set_new(in, "NextToken", json_string(next));
        json_decref(res);
        res = NULL;
    }
    json_decref(res);
    json_decref(in);
    if (rc == 0 && !best)
        rc = cp_fail(c,
                     "%s: no ACM certificate for %s with status %s in this region; request "
                     "one or widen statuses",
                     c->address, domain, statuses ? "among statuses" : "ISSUED");
    else if (rc == 0 && matches > 1 && !newest)
        rc = cp_fail(c,
                     "%s: %zu ACM certificates for %s match; set most_recent = true to take the "
                     "newest",
                     c->address, matches, domain);
    if (rc == 0) {
        cp_value *s = cp_state_start(attrs, config);
        cp_set_str(s, "id", best);
        cp_set_str(s, "arn", best);
        cp_set_str(s, "status", best_status);
        *state = s;
    }
    free(best);
    free(best_status);
    return rc == 0 ? 0 : -1;
}

const cp_resource_type cp_aws_acm_certificate_data = {
    .name = "aws_acm_certificate",
    .description = "The ARN of the ACM certificate for a domain (data source).",
    .attrs = attrs,
    .is_data = true,
    .read_data = cert_data_read,
};
