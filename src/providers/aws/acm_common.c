/*
 * acm_common.c: the ACM calls the ACM types share (see acm_common.h).
 */
#include "providers/aws/acm_common.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static const char *const gone[] = { "ResourceNotFoundException", NULL };

int acm_describe(cp_provider_call *c, const char *arn, json_t **cert)
{
    *cert = NULL;
    if (!arn) return cp_fail(c, "%s: no certificate ARN in state to read", c->address);
    json_t *in = json_pack("{s:s}", "CertificateArn", arn), *res = NULL;
    int rc = cp_aws_json(c, "acm", ACM("DescribeCertificate"), in, gone, &res);
    json_decref(in);
    if (rc != 0) return rc < 0 ? -1 : 0;
    *cert = json_incref(json_object_get(res, "Certificate"));
    json_decref(res);
    return 0;
}

cp_value *acm_tags_read(cp_provider_call *c, const char *arn, const cp_value *prev_tags)
{
    json_t *in = json_pack("{s:s}", "CertificateArn", arn), *res = NULL;
    int rc = cp_aws_json(c, "acm", ACM("ListTagsForCertificate"), in, NULL, &res);
    json_decref(in);
    if (rc != 0) return NULL;
    cp_value *t = cp_aws_tags_from_json(json_object_get(res, "Tags"), "Key", "Value");
    json_decref(res);
    return cp_tags_keep_take(t, prev_tags);
}

int acm_tags_update(cp_provider_call *c, const char *arn, const cp_value *old_tags,
                    const cp_value *new_tags)
{
    cp_value *removed = cp_tags_removed(old_tags, new_tags);
    int rc = 0;
    if (cp_len(removed) > 0) {
        json_t *keys = json_array();
        for (size_t i = 0; i < cp_len(removed); i++)
            json_array_append_new(
                keys, json_pack("{s:s}", "Key", cp_string_val(cp_list_get(removed, i))));
        json_t *in = json_pack("{s:s, s:o}", "CertificateArn", arn, "Tags", keys);
        rc = cp_aws_json(c, "acm", ACM("RemoveTagsFromCertificate"), in, NULL, NULL);
        json_decref(in);
    }
    cp_release(removed);
    if (rc == 0 && new_tags && cp_len(new_tags) > 0) {
        json_t *in = json_pack("{s:s, s:o}", "CertificateArn", arn, "Tags",
                               cp_aws_tags_to_json(new_tags, "Key", "Value"));
        rc = cp_aws_json(c, "acm", ACM("AddTagsToCertificate"), in, NULL, NULL);
        json_decref(in);
    }
    return rc == 0 ? 0 : -1;
}

static int delete_once(cp_provider_call *c, void *ud, aws_error *err)
{
    const char *arn = ud;
    aws_client *cl = cp_aws_client(c);
    json_t *in = json_pack("{s:s}", "CertificateArn", arn), *out = NULL;
    int rc = aws_json_call(cl, "acm", ACM("DeleteCertificate"), in, &out, err);
    json_decref(in);
    json_decref(out);
    return rc;
}

int acm_delete(cp_provider_call *c, const char *arn)
{
    static const char *const in_use[] = { "ResourceInUseException", NULL };
    aws_error err = { 0 };
    if (cp_aws_retry_codes(c, in_use, 600, delete_once, (void *)arn, &err) == 0) return 0;
    if (cp_aws_error_in(&err, gone)) {
        aws_error_clear(&err);
        return 0;
    }
    return cp_aws_fail(c, &err, "DeleteCertificate");
}

static bool has_intent(cp_provider_call *c, const char *arn, const char *uuid, int *rc)
{
    /* raw: acm_tags_read drops the intent tag */
    json_t *in = json_pack("{s:s}", "CertificateArn", arn), *res = NULL;
    *rc = cp_aws_json(c, "acm", ACM("ListTagsForCertificate"), in, gone, &res);
    json_decref(in);
    bool yes = false;
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(res, "Tags"), i, t)
    {
        const char *k = json_string_value(json_object_get(t, "Key")),
                   *v = json_string_value(json_object_get(t, "Value"));
        yes |= k && v && !strcmp(k, CP_INTENT_KEY) && !strcmp(v, uuid);
    }
    json_decref(res);
    if (*rc > 0) *rc = 0;
    return yes;
}

typedef struct find_by_intent {
    cp_provider_call *c;
    const char *domain, *uuid;
    char **arn;
} find_by_intent;

/* One page of ListCertificates: the certificate of domain tagged with the
 * intent, if there (1: found, stop). */
static int intent_page(void *ud, const json_t *res)
{
    find_by_intent *f = ud;
    int rc = 0;
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(res, "CertificateSummaryList"), i, s)
    {
        const char *d = json_string_value(json_object_get(s, "DomainName")),
                   *a = json_string_value(json_object_get(s, "CertificateArn"));
        if (rc == 0 && !*f->arn && d && a && !strcmp(d, f->domain) &&
            has_intent(f->c, a, f->uuid, &rc))
            *f->arn = cp_xstrdup(a);
    }
    return rc < 0 ? -1 : *f->arn ? 1 : 0;
}

int acm_find_by_intent(cp_provider_call *c, const char *domain, const char *uuid, char **arn)
{
    *arn = NULL;
    if (!domain || !uuid)
        return cp_fail(c, "%s: the intent of the interrupted create has no domain_name",
                       c->address);
    find_by_intent f = { c, domain, uuid, arn };
    json_t *in =
        json_pack("{s:{s:[s,s,s,s,s,s,s]}}", "Includes", "keyTypes", "RSA_1024", "RSA_2048",
                  "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1");
    int rc = cp_aws_json_pages(c, "acm", ACM("ListCertificates"), in, NULL, intent_page, &f);
    json_decref(in);
    return rc < 0 ? -1 : 0;
}
