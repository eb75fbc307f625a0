/*
 * s3_bucket_lifecycle_configuration.c: aws_s3_bucket_lifecycle_configuration
 * — the lifecycle rules of a bucket (id = bucket name; import by it). Rules
 * change in place (PutBucketLifecycleConfiguration replaces the whole set);
 * delete is DeleteBucketLifecycle. A rule without a filter applies to every
 * object (sent as an empty prefix filter, as the Terraform provider does).
 *
 * Recovery key: the bucket (a put: the same call twice is one object).
 *
 * No batch read: GetBucketLifecycleConfiguration takes one bucket a call.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/s3_config_common.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *validate_status(const cp_value *v)
{
    const char *s = cp_string_val(v);
    return !strcmp(s, "Enabled") || !strcmp(s, "Disabled")
               ? NULL
               : "status is \"Enabled\" or \"Disabled\"";
}

static const char *validate_rule_id(const cp_value *v)
{
    size_t n = strlen(cp_string_val(v));
    return n >= 1 && n <= 255 ? NULL : "id is 1 to 255 characters";
}

static const char *validate_storage_class(const cp_value *v)
{
    static const char *const ok[] = {
        "GLACIER",      "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING",
        "DEEP_ARCHIVE", "GLACIER_IR",  NULL
    };
    const char *s = cp_string_val(v);
    for (const char *const *k = ok; *k; k++)
        if (!strcmp(s, *k)) return NULL;
    return "storage_class is GLACIER, STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, "
           "DEEP_ARCHIVE or GLACIER_IR";
}

static const char *validate_newer_versions(const cp_value *v)
{
    double n = cp_number_val(v);
    return n >= 1 && n <= 100 && n == (long)n
               ? NULL
               : "newer_noncurrent_versions is a whole number, 1 to 100";
}

static const cp_schema_attr tag_attrs[] = {
    { .name = "key", .type = CP_AT_STRING, .flags = CP_REQUIRED, .description = "Tag key." },
    { .name = "value", .type = CP_AT_STRING, .flags = CP_OPTIONAL, .description = "Tag value." },
    { NULL },
};

static const cp_schema_attr and_attrs[] = {
    { .name = "prefix",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Key prefix the objects must have." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .flags = CP_OPTIONAL,
      .description = "Tags the objects must all have." },
    { NULL },
};

static const cp_schema_attr filter_attrs[] = {
    { .name = "prefix",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "Key prefix the objects must have (\"\": every object)." },
    { .name = "tag",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = tag_attrs,
      .max_items = 1,
      .description = "One tag the objects must have." },
    { .name = "and",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = and_attrs,
      .max_items = 1,
      .description = "A prefix and tags the objects must all match." },
    { NULL },
};

static const cp_schema_attr expiration_attrs[] = {
    { .name = "days",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .validate = cp_prov_validate_positive_int,
      .description = "Days after creation when objects expire." },
    { .name = "date",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Date (RFC 3339, midnight UTC) when objects expire." },
    { .name = "expired_object_delete_marker",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .description = "Remove delete markers with no noncurrent versions (not with days/date)." },
    { NULL },
};

static const cp_schema_attr nve_attrs[] = {
    { .name = "noncurrent_days",
      .type = CP_AT_NUMBER,
      .flags = CP_REQUIRED,
      .validate = cp_prov_validate_positive_int,
      .description = "Days after an object becomes noncurrent when it expires." },
    { .name = "newer_noncurrent_versions",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .validate = validate_newer_versions,
      .description = "How many newer noncurrent versions S3 keeps before expiring this one." },
    { NULL },
};

static const cp_schema_attr nvt_attrs[] = {
    { .name = "noncurrent_days",
      .type = CP_AT_NUMBER,
      .flags = CP_REQUIRED,
      .validate = cp_prov_validate_nonneg_int,
      .description = "Days after an object becomes noncurrent when it moves." },
    { .name = "newer_noncurrent_versions",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .validate = validate_newer_versions,
      .description = "How many newer noncurrent versions S3 keeps before moving this one." },
    { .name = "storage_class",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = validate_storage_class,
      .description = "The storage class noncurrent versions move to." },
    { NULL },
};

static const cp_schema_attr transition_attrs[] = {
    { .name = "days",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .validate = cp_prov_validate_nonneg_int,
      .description = "Days after creation when objects move." },
    { .name = "date",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Date (RFC 3339, midnight UTC) when objects move." },
    { .name = "storage_class",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = validate_storage_class,
      .description = "The storage class the objects move to." },
    { NULL },
};

static const cp_schema_attr abort_attrs[] = {
    { .name = "days_after_initiation",
      .type = CP_AT_NUMBER,
      .flags = CP_REQUIRED,
      .validate = cp_prov_validate_positive_int,
      .description = "Days after which an incomplete multipart upload is aborted." },
    { NULL },
};

static const cp_schema_attr rule_attrs[] = {
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = validate_rule_id,
      .description = "Unique name of the rule (up to 255 characters)." },
    { .name = "status",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = validate_status,
      .description = "Enabled or Disabled." },
    { .name = "filter",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .block = filter_attrs,
      .max_items = 1,
      .description = "The objects the rule applies to (default: all)." },
    { .name = "expiration",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = expiration_attrs,
      .max_items = 1,
      .description = "When current objects expire." },
    { .name = "noncurrent_version_expiration",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = nve_attrs,
      .max_items = 1,
      .description = "When noncurrent versions expire (versioned buckets)." },
    { .name = "noncurrent_version_transition",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = nvt_attrs,
      .description = "When noncurrent versions move to another storage class." },
    { .name = "transition",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = transition_attrs,
      .description = "When objects move to another storage class." },
    { .name = "abort_incomplete_multipart_upload",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = abort_attrs,
      .max_items = 1,
      .description = "When incomplete multipart uploads are aborted." },
    { NULL },
};

static const cp_schema_attr attrs[] = {
    { .name = "bucket",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = s3_validate_bucket,
      .description = "Name of the bucket." },
    { .name = "rule",
      .type = CP_AT_BLOCKS,
      .flags = CP_REQUIRED,
      .block = rule_attrs,
      .max_items = 1000,
      .description = "Lifecycle rules (1 to 1000)." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Name of the bucket." },
    { NULL },
};

static const char *const gone[] = { "NoSuchBucket", "NotFound", "NoSuchLifecycleConfiguration",
                                    NULL };

static bool has_block(const cp_value *m, const char *key)
{
    const cp_value *l = cp_prov_field(m, key);
    return l && cp_kind_of(l) == CP_LIST && cp_len(l) > 0;
}

/* validate_config: a rule has an action; ids are unique; expiration and filter shapes. */
static char *lc_validate_config(const cp_value *config)
{
    const cp_value *rules = cp_prov_field(config, "rule");
    for (size_t i = 0; rules && cp_kind_of(rules) == CP_LIST && i < cp_len(rules); i++) {
        const cp_value *r = cp_list_get(rules, i);
        const char *id = cp_get_str(r, "id");
        if (!has_block(r, "expiration") && !has_block(r, "noncurrent_version_expiration") &&
            !has_block(r, "transition") && !has_block(r, "noncurrent_version_transition") &&
            !has_block(r, "abort_incomplete_multipart_upload"))
            return cp_xasprintf("rule %s needs an action: expiration, transition, "
                                "noncurrent_version_expiration, noncurrent_version_transition "
                                "or abort_incomplete_multipart_upload",
                                id ? id : "(unnamed)");
        for (size_t j = 0; id && j < i; j++) {
            const char *other = cp_get_str(cp_list_get(rules, j), "id");
            if (other && !strcmp(other, id))
                return cp_xasprintf("rule id %s is used twice; each rule needs its own id", id);
        }
        const cp_value *x = cp_get_block(r, "expiration");
        if (x) {
            int n = (cp_prov_presence(x, "days") == 1) + (cp_prov_presence(x, "date") == 1) +
                    (cp_prov_presence(x, "expired_object_delete_marker") == 1);
            if (n != 1)
                return cp_xasprintf("rule %s: expiration takes exactly one of days, date or "
                                    "expired_object_delete_marker",
                                    id ? id : "(unnamed)");
        }
        const cp_value *tr = cp_prov_field(r, "transition");
        for (size_t j = 0; tr && cp_kind_of(tr) == CP_LIST && j < cp_len(tr); j++) {
            const cp_value *t = cp_list_get(tr, j);
            if ((cp_prov_presence(t, "days") == 1) + (cp_prov_presence(t, "date") == 1) != 1)
                return cp_xasprintf("rule %s: a transition takes one of days or date",
                                    id ? id : "(unnamed)");
        }
        const cp_value *f = cp_get_block(r, "filter");
        if (f) {
            int n =
                (cp_prov_presence(f, "prefix") == 1) + has_block(f, "tag") + has_block(f, "and");
            if (n > 1)
                return cp_xasprintf("rule %s: filter takes one of prefix, tag or and (combine "
                                    "them in and)",
                                    id ? id : "(unnamed)");
        }
    }
    return NULL;
}

static void set_text(cp_value *m, const char *key, xmlNodePtr n, const char *path)
{
    char *t = aws_xml_text(n, path);
    cp_set_str(m, key, t);
    free(t);
}

static void set_number(cp_value *m, const char *key, xmlNodePtr n, const char *path)
{
    char *t = aws_xml_text(n, path);
    if (t)
        cp_set_num(m, key, atof(t));
    else
        cp_set_str(m, key, NULL);
    free(t);
}

static cp_value *one(cp_value *m)
{
    cp_value *l = cp_list_new();
    if (m) cp_list_push_take(l, m);
    return l;
}

static cp_value *tag_from_xml(xmlNodePtr t)
{
    cp_value *m = cp_map_new();
    set_text(m, "key", t, "Key");
    set_text(m, "value", t, "Value");
    return m;
}

static cp_value *filter_from_xml(xmlNodePtr f)
{
    if (!f) return one(NULL);
    cp_value *m = cp_map_new();
    set_text(m, "prefix", f, "Prefix");
    xmlNodePtr t = aws_xml_find(f, "Tag");
    cp_set_take(m, "tag", one(t ? tag_from_xml(t) : NULL));
    xmlNodePtr a = aws_xml_find(f, "And");
    cp_value *and = NULL;
    if (a) {
        and = cp_map_new();
        set_text(and, "prefix", a, "Prefix");
        cp_value *tags = cp_map_new();
        for (xmlNodePtr at = aws_xml_find(a, "Tag"); at; at = aws_xml_next(at)) {
            char *k = aws_xml_text(at, "Key"), *v = aws_xml_text(at, "Value");
            if (k) cp_set_str(tags, k, v ? v : "");
            free(k);
            free(v);
        }
        cp_set_take(and, "tags", tags);
    }
    cp_set_take(m, "and", one(and));
    return one(m);
}

static cp_value *rule_from_xml(xmlNodePtr n)
{
    cp_value *rule = cp_map_new();
    set_text(rule, "id", n, "ID");
    set_text(rule, "status", n, "Status");
    cp_set_take(rule, "filter", filter_from_xml(aws_xml_find(n, "Filter")));
    xmlNodePtr x = aws_xml_find(n, "Expiration");
    cp_value *xm = NULL;
    if (x) {
        xm = cp_map_new();
        set_number(xm, "days", x, "Days");
        set_text(xm, "date", x, "Date");
        char *d = aws_xml_text(x, "ExpiredObjectDeleteMarker");
        if (d)
            cp_set_bool(xm, "expired_object_delete_marker", !strcmp(d, "true"));
        else
            cp_set_str(xm, "expired_object_delete_marker", NULL);
        free(d);
    }
    cp_set_take(rule, "expiration", one(xm));
    xmlNodePtr v = aws_xml_find(n, "NoncurrentVersionExpiration");
    cp_value *vm = NULL;
    if (v) {
        vm = cp_map_new();
        set_number(vm, "noncurrent_days", v, "NoncurrentDays");
        set_number(vm, "newer_noncurrent_versions", v, "NewerNoncurrentVersions");
    }
    cp_set_take(rule, "noncurrent_version_expiration", one(vm));
    cp_value *nvt = cp_list_new();
    for (xmlNodePtr t = aws_xml_find(n, "NoncurrentVersionTransition"); t; t = aws_xml_next(t)) {
        cp_value *tm = cp_map_new();
        set_number(tm, "noncurrent_days", t, "NoncurrentDays");
        set_number(tm, "newer_noncurrent_versions", t, "NewerNoncurrentVersions");
        set_text(tm, "storage_class", t, "StorageClass");
        cp_list_push_take(nvt, tm);
    }
    cp_set_take(rule, "noncurrent_version_transition", nvt);
    cp_value *tr = cp_list_new();
    for (xmlNodePtr t = aws_xml_find(n, "Transition"); t; t = aws_xml_next(t)) {
        cp_value *tm = cp_map_new();
        set_number(tm, "days", t, "Days");
        set_text(tm, "date", t, "Date");
        set_text(tm, "storage_class", t, "StorageClass");
        cp_list_push_take(tr, tm);
    }
    cp_set_take(rule, "transition", tr);
    xmlNodePtr a = aws_xml_find(n, "AbortIncompleteMultipartUpload");
    cp_value *am = NULL;
    if (a) {
        am = cp_map_new();
        set_number(am, "days_after_initiation", a, "DaysAfterInitiation");
    }
    cp_set_take(rule, "abort_incomplete_multipart_upload", one(am));
    return rule;
}

static int lc_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    const char *bucket = cp_get_str(state, "id");
    xmlDocPtr doc;
    int rc = s3cfg_get(c, "GetBucketLifecycleConfiguration", bucket, "lifecycle", gone, &doc);
    if (rc != 0) return rc < 0 ? -1 : 0;
    cp_value *rules = cp_list_new();
    for (xmlNodePtr n = doc ? aws_xml_find(aws_xml_root(doc), "Rule") : NULL; n;
         n = aws_xml_next(n))
        cp_list_push_take(rules, rule_from_xml(n));
    cp_value *s = cp_state_complete(attrs, state);
    cp_set_str(s, "bucket", bucket);
    cp_set_take(s, "rule", rules);
    xmlFreeDoc(doc);
    *out = s;
    return 0;
}

static void xml_int(cp_buf *b, const char *name, const cp_value *m, const char *key)
{
    if (cp_prov_is_set(m, key))
        cp_buf_printf(b, "<%s>%.0f</%s>", name, cp_get_num(m, key, 0), name);
}

static void xml_tag(cp_buf *b, const char *key, const char *value)
{
    cp_buf_adds(b, "<Tag>");
    s3cfg_xml_elem(b, "Key", key);
    cp_buf_adds(b, "<Value>");
    s3_xml_esc(b, value ? value : "");
    cp_buf_adds(b, "</Value></Tag>");
}

static void filter_xml(cp_buf *b, const cp_value *f)
{
    cp_buf_adds(b, "<Filter>");
    const cp_value *t = f ? cp_get_block(f, "tag") : NULL;
    const cp_value *a = f ? cp_get_block(f, "and") : NULL;
    if (t) {
        xml_tag(b, cp_get_str(t, "key"), cp_get_str(t, "value"));
    } else if (a) {
        cp_buf_adds(b, "<And>");
        s3cfg_xml_elem(b, "Prefix", cp_get_str(a, "prefix"));
        const cp_value *tags = cp_get_map(a, "tags");
        for (size_t i = 0; tags && i < cp_len(tags); i++)
            xml_tag(b, cp_map_key_at(tags, i), cp_string_val(cp_map_value_at(tags, i)));
        cp_buf_adds(b, "</And>");
    } else {
        const char *p = f ? cp_get_str(f, "prefix") : NULL;
        cp_buf_adds(b, "<Prefix>");
        s3_xml_esc(b, p ? p : "");
        cp_buf_adds(b, "</Prefix>");
    }
    cp_buf_adds(b, "</Filter>");
}

static void rule_xml(cp_buf *b, const cp_value *r)
{
    cp_buf_adds(b, "<Rule>");
    s3cfg_xml_elem(b, "ID", cp_get_str(r, "id"));
    filter_xml(b, cp_get_block(r, "filter"));
    s3cfg_xml_elem(b, "Status", cp_get_str(r, "status"));
    const cp_value *tr = cp_get_list(r, "transition");
    for (size_t i = 0; tr && i < cp_len(tr); i++) {
        const cp_value *t = cp_list_get(tr, i);
        cp_buf_adds(b, "<Transition>");
        s3cfg_xml_elem(b, "Date", cp_get_str(t, "date"));
        xml_int(b, "Days", t, "days");
        s3cfg_xml_elem(b, "StorageClass", cp_get_str(t, "storage_class"));
        cp_buf_adds(b, "</Transition>");
    }
    const cp_value *x = cp_get_block(r, "expiration");
    if (x) {
        cp_buf_adds(b, "<Expiration>");
        s3cfg_xml_elem(b, "Date", cp_get_str(x, "date"));
        xml_int(b, "Days", x, "days");
        if (cp_prov_is_set(x, "expired_object_delete_marker"))
            cp_buf_printf(b, "<ExpiredObjectDeleteMarker>%s</ExpiredObjectDeleteMarker>",
                          cp_get_bool(x, "expired_object_delete_marker", false) ? "true" : "false");
        cp_buf_adds(b, "</Expiration>");
    }
    const cp_value *nvt = cp_get_list(r, "noncurrent_version_transition");
    for (size_t i = 0; nvt && i < cp_len(nvt); i++) {
        const cp_value *t = cp_list_get(nvt, i);
        cp_buf_adds(b, "<NoncurrentVersionTransition>");
        xml_int(b, "NoncurrentDays", t, "noncurrent_days");
        s3cfg_xml_elem(b, "StorageClass", cp_get_str(t, "storage_class"));
        xml_int(b, "NewerNoncurrentVersions", t, "newer_noncurrent_versions");
        cp_buf_adds(b, "</NoncurrentVersionTransition>");
    }
    const cp_value *v = cp_get_block(r, "noncurrent_version_expiration");
    if (v) {
        cp_buf_adds(b, "<NoncurrentVersionExpiration>");
        xml_int(b, "NoncurrentDays", v, "noncurrent_days");
        xml_int(b, "NewerNoncurrentVersions", v, "newer_noncurrent_versions");
        cp_buf_adds(b, "</NoncurrentVersionExpiration>");
    }
    const cp_value *a = cp_get_block(r, "abort_incomplete_multipart_upload");
    if (a) {
        cp_buf_adds(b, "<AbortIncompleteMultipartUpload>");
        xml_int(b, "DaysAfterInitiation", a, "days_after_initiation");
        cp_buf_adds(b, "</AbortIncompleteMultipartUpload>");
    }
    cp_buf_adds(b, "</Rule>");
}

static int lc_put(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    if (cp_prov_check_config(c, lc_validate_config, config) != 0) return -1;
    const char *bucket = cp_get_str(config, "bucket");
    cp_buf b = { 0 };
    cp_buf_adds(&b, "<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
    const cp_value *rules = cp_get_list(config, "rule");
    for (size_t i = 0; rules && i < cp_len(rules); i++) rule_xml(&b, cp_list_get(rules, i));
    cp_buf_adds(&b, "</LifecycleConfiguration>");
    if (s3cfg_put_free(c, "PutBucketLifecycleConfiguration", bucket, "lifecycle", &b) != 0)
        return -1;
    return cp_aws_reread(c, lc_read, attrs, config, bucket, state);
}

static int lc_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                     cp_value **state)
{
    (void)old;
    return lc_put(c, config, state);
}

static int lc_delete(cp_provider_call *c, const cp_value *state)
{
    return s3cfg_delete(c, "DeleteBucketLifecycle", cp_get_str(state, "id"), "lifecycle", gone);
}

static int lc_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, lc_read, id, state);
}

static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, lc_read, intent, "bucket", state);
}

const cp_resource_type cp_aws_s3_bucket_lifecycle_configuration = {
    .name = "aws_s3_bucket_lifecycle_configuration",
    .description = "Lifecycle rules of an S3 bucket: expiration, transitions, aborting "
                   "incomplete uploads (import by bucket name).",
    .attrs = attrs,
    .create = lc_put,
    .read = lc_read,
    .update = lc_update,
    .delete = lc_delete,
    .import = lc_import,
    .validate_config = lc_validate_config,
    .recovery = CP_RECOVER_ID,
    .find = rec_find,
};
