/*
 * dynamodb_table.c: aws_dynamodb_table — a DynamoDB table (id = name;
 * import by name). Create (with its global and local secondary indexes)
 * waits until DescribeTable says the table and every global index are
 * ACTIVE, then turns on TTL (UpdateTimeToLive) and point-in-time recovery
 * (UpdateContinuousBackups) when asked. In place: global secondary
 * indexes (as the Terraform provider does: deletes first, then billing
 * mode and capacity with the indexes' capacity, then creates, one index
 * created or deleted per UpdateTable call as AWS allows, waiting for the
 * index to be ACTIVE or gone after each; a change to an index's keys or
 * projection deletes it and creates it again), billing mode and capacity,
 * streams, server-side encryption, deletion protection and table class
 * (UpdateTable, one kind of change per call as AWS requires, waiting
 * ACTIVE after each), TTL, point-in-time recovery, tags (TagResource /
 * UntagResource on the table's ARN), and the attribute definitions that
 * go with index changes. The name, hash_key, range_key and local
 * secondary indexes force a new table. Delete waits until DescribeTable
 * says the table is gone (a table with deletion_protection_enabled is
 * refused by AWS: turn it off first).
 *
 * No batch read: DescribeTable describes one table, and ListTables gives
 * names only, so a refresh reads each table (DescribeTable,
 * DescribeTimeToLive, DescribeContinuousBackups, ListTagsOfResource).
 *
 * Recovery key: the name; an interrupted create is found with
 * DescribeTable.
 */
#include "providers/aws/aws_common.h"
#include "providers/aws/aws_types.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define DDB(op) "DynamoDB_20120810." op

/* Table and index names: 3 to 255 letters, digits and . _ - */
static bool ddb_name_ok(const cp_value *v)
{
    size_t n = cp_string_len(v);
    return n >= 3 && n <= 255 &&
           strspn(cp_string_val(v),
                  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

static const char *validate_name(const cp_value *v)
{
    return ddb_name_ok(v) ? NULL : "table names are 3 to 255 letters, digits and . _ -";
}

static const char *validate_billing(const cp_value *v)
{
    const char *s = cp_string_val(v);
    return !strcmp(s, "PROVISIONED") || !strcmp(s, "PAY_PER_REQUEST")
               ? NULL
               : "billing_mode is PROVISIONED or PAY_PER_REQUEST";
}

static const char *validate_attr_type(const cp_value *v)
{
    const char *s = cp_string_val(v);
    return !strcmp(s, "S") || !strcmp(s, "N") || !strcmp(s, "B")
               ? NULL
               : "attribute types are S (string), N (number) or B (binary)";
}

static const char *validate_view_type(const cp_value *v)
{
    static const char *const ok[] = { "KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES" };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        if (!strcmp(cp_string_val(v), ok[i])) return NULL;
    return "stream_view_type is KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES";
}

static const char *validate_class(const cp_value *v)
{
    const char *s = cp_string_val(v);
    return !strcmp(s, "STANDARD") || !strcmp(s, "STANDARD_INFREQUENT_ACCESS")
               ? NULL
               : "table_class is STANDARD or STANDARD_INFREQUENT_ACCESS";
}

static const char *validate_index_name(const cp_value *v)
{
    return ddb_name_ok(v) ? NULL : "index names are 3 to 255 letters, digits and . _ -";
}

static const char *validate_projection(const cp_value *v)
{
    const char *s = cp_string_val(v);
    return !strcmp(s, "ALL") || !strcmp(s, "KEYS_ONLY") || !strcmp(s, "INCLUDE")
               ? NULL
               : "projection_type is ALL, KEYS_ONLY or INCLUDE";
}

static const cp_schema_attr gsi_attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = validate_index_name,
      .description = "Name of the index, unique among the table's indexes." },
    { .name = "hash_key",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description = "Attribute of the index's partition key (declared in an attribute block)." },
    { .name = "range_key",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Attribute of the index's sort key (declared in an attribute block)." },
    { .name = "projection_type",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = validate_projection,
      .description = "What the index holds besides the keys: ALL, KEYS_ONLY or INCLUDE "
                     "(the non_key_attributes)." },
    { .name = "non_key_attributes",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_UNORDERED,
      .description = "Attributes projected into the index (projection_type INCLUDE only)." },
    { .name = "read_capacity",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .validate = cp_prov_validate_positive_int,
      .description = "Read capacity units of the index: required with billing_mode "
                     "PROVISIONED, ignored with PAY_PER_REQUEST." },
    { .name = "write_capacity",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .validate = cp_prov_validate_positive_int,
      .description = "Write capacity units of the index: required with billing_mode "
                     "PROVISIONED, ignored with PAY_PER_REQUEST." },
    { NULL },
};

static const cp_schema_attr lsi_attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = validate_index_name,
      .description = "Name of the index, unique among the table's indexes." },
    { .name = "range_key",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .description = "Attribute of the index's sort key (declared in an attribute block); "
                     "the partition key is the table's hash_key." },
    { .name = "projection_type",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = validate_projection,
      .description = "What the index holds besides the keys: ALL, KEYS_ONLY or INCLUDE "
                     "(the non_key_attributes)." },
    { .name = "non_key_attributes",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "Attributes projected into the index (projection_type INCLUDE only)." },
    { NULL },
};

static const cp_schema_attr attribute_attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = cp_prov_validate_nonempty,
      .description = "Name of the attribute." },
    { .name = "type",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = validate_attr_type,
      .description = "S (string), N (number) or B (binary)." },
    { NULL },
};

static const cp_schema_attr ttl_attrs[] = {
    { .name = "attribute_name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Attribute holding the expiry time (epoch seconds); required when enabled." },
    { .name = "enabled",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description = "Whether items expire." },
    { NULL },
};

static const cp_schema_attr pitr_attrs[] = {
    { .name = "enabled",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description = "Whether point-in-time recovery is on." },
    { NULL },
};

static const cp_schema_attr sse_attrs[] = {
    { .name = "enabled",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description = "Encrypt with a KMS key (true) or an AWS owned key (false)." },
    { .name = "kms_key_arn",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "ARN of the KMS key. Default: the AWS managed key aws/dynamodb." },
    { NULL },
};

static const cp_schema_attr attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = validate_name,
      .description = "Name of the table, unique in the region." },
    { .name = "billing_mode",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .default_json = "\"PROVISIONED\"",
      .validate = validate_billing,
      .description =
          "PROVISIONED (read_capacity and write_capacity required) or PAY_PER_REQUEST." },
    { .name = "read_capacity",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .validate = cp_prov_validate_positive_int,
      .description = "Read capacity units (PROVISIONED only)." },
    { .name = "write_capacity",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .validate = cp_prov_validate_positive_int,
      .description = "Write capacity units (PROVISIONED only)." },
    { .name = "hash_key",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .description = "Attribute of the partition key (declared in an attribute block)." },
    { .name = "range_key",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "Attribute of the sort key (declared in an attribute block)." },
    { .name = "attribute",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL | CP_UNORDERED,
      .block = attribute_attrs,
      .description = "An attribute used as a key of the table or of an index: name and type. "
                     "Every key attribute is declared, and every declared attribute is a key "
                     "(AWS's rule)." },
    { .name = "global_secondary_index",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL | CP_UNORDERED,
      .block = gsi_attrs,
      .description = "A global secondary index: its own keys, projection and (PROVISIONED) "
                     "capacity. Added, removed and changed in place; a change to its keys or "
                     "projection deletes it and creates it again." },
    { .name = "local_secondary_index",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL | CP_FORCE_NEW | CP_UNORDERED,
      .block = lsi_attrs,
      .max_items = 5,
      .description = "A local secondary index (at most 5): the table's hash_key with another "
                     "range_key. Made with the table only: a change replaces the table." },
    { .name = "ttl",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = ttl_attrs,
      .max_items = 1,
      .description = "Time to live: the attribute that makes items expire." },
    { .name = "point_in_time_recovery",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = pitr_attrs,
      .max_items = 1,
      .description = "Continuous backups for point-in-time recovery." },
    { .name = "stream_enabled",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description = "Whether DynamoDB Streams is on (stream_view_type then required)." },
    { .name = "stream_view_type",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .validate = validate_view_type,
      .description = "What the stream records: KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or "
                     "NEW_AND_OLD_IMAGES." },
    { .name = "server_side_encryption",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = sse_attrs,
      .max_items = 1,
      .description = "Encryption at rest with a KMS key." },
    { .name = "deletion_protection_enabled",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description = "Whether DeleteTable is refused." },
    { .name = "table_class",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .default_json = "\"STANDARD\"",
      .validate = validate_class,
      .description = "STANDARD or STANDARD_INFREQUENT_ACCESS." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the table." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Name of the table." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the table." },
    { .name = "stream_arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the latest stream (when streams are on)." },
    { .name = "stream_label",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Timestamp label of the latest stream." },
    { NULL },
};

static const char *const gone[] = { "ResourceNotFoundException", NULL };

static const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* ---- plan-time rules ------------------------------------------------------------------ */

static const char *const key_names[] = { "hash_key", "range_key" };
static const char *const index_lists[] = { "global_secondary_index", "local_secondary_index" };

/* Items of a block list (null, absent or unknown: none). */
static size_t nblocks(const cp_value *v) { return v && cp_kind_of(v) == CP_LIST ? cp_len(v) : 0; }

/* Whether m's hash_key or range_key is name: 1, 0, or -1 when one is not known yet. */
static int names_key(const cp_value *m, const char *name)
{
    if (cp_is_unknown(m)) return -1;
    int r = 0;
    for (int i = 0; i < 2; i++) {
        const cp_value *k = cp_prov_field(m, key_names[i]);
        if (k && cp_is_unknown(k)) r = -1;
        const char *v = cp_get_str(m, key_names[i]);
        if (v && !strcmp(v, name)) return 1;
    }
    return r;
}

/* Whether name is a key of the table or of one of its indexes; -1 when a
 * key is not known yet. */
static int is_key(const cp_value *config, const char *name)
{
    int r = names_key(config, name);
    if (r == 1) return 1;
    for (int l = 0; l < 2; l++) {
        const cp_value *list = cp_prov_field(config, index_lists[l]);
        if (list && cp_is_unknown(list)) r = -1;
        for (size_t i = 0; i < nblocks(list); i++) {
            int k = names_key(cp_list_get(list, i), name);
            if (k == 1) return 1;
            if (k < 0) r = -1;
        }
    }
    return r;
}

/* The block named `name` in a block list (attribute, index), or NULL. */
static const cp_value *find_named(const cp_value *list, const char *name)
{
    for (size_t i = 0; name && i < nblocks(list); i++) {
        const char *n = cp_get_str(cp_list_get(list, i), "name");
        if (n && !strcmp(n, name)) return cp_list_get(list, i);
    }
    return NULL;
}

/* The rules of one index block (GSI when global). */
static char *index_rules(const cp_value *config, const cp_value *b, bool global)
{
    const char *kind = index_lists[global ? 0 : 1];
    const char *name = cp_get_str_or(b, "name", "?");
    const char *billing = cp_get_str(config, "billing_mode");
    if (global && billing && !strcmp(billing, "PROVISIONED") &&
        (cp_prov_presence(b, "read_capacity") == 0 || cp_prov_presence(b, "write_capacity") == 0))
        return cp_xasprintf("%s \"%s\" needs read_capacity and write_capacity with billing_mode "
                            "PROVISIONED",
                            kind, name);
    const char *proj = cp_get_str(b, "projection_type");
    int nka = cp_prov_presence(b, "non_key_attributes");
    if (proj && !strcmp(proj, "INCLUDE") && nka == 0)
        return cp_xasprintf("%s \"%s\" has projection_type INCLUDE: list the attributes it "
                            "holds in non_key_attributes",
                            kind, name);
    if (proj && strcmp(proj, "INCLUDE") && nka == 1)
        return cp_xasprintf("%s \"%s\": non_key_attributes is only for projection_type "
                            "INCLUDE: remove it or set projection_type = \"INCLUDE\"",
                            kind, name);
    if (!global && cp_prov_presence(config, "range_key") == 0)
        return cp_xasprintf("%s \"%s\" needs the table's range_key: a local index shares the "
                            "table's hash_key and sorts by another range_key",
                            kind, name);
    return NULL;
}

/* Every key of the table and of its indexes is declared in an attribute block. */
static char *undeclared_keys(const cp_value *config, const cp_value *attrs_list)
{
    for (int k = 0; k < 2; k++) {
        const char *key = cp_get_str(config, key_names[k]);
        if (key && !find_named(attrs_list, key))
            return cp_xasprintf("%s \"%s\" is not declared: add an attribute block with name = "
                                "\"%s\" and its type (S, N or B)",
                                key_names[k], key, key);
    }
    for (int l = 0; l < 2; l++) {
        const cp_value *list = cp_get_list(config, index_lists[l]);
        for (size_t i = 0; i < nblocks(list); i++) {
            const cp_value *b = cp_list_get(list, i);
            for (int k = 0; k < 2; k++) {
                const char *key = cp_get_str(b, key_names[k]);
                if (key && !find_named(attrs_list, key))
                    return cp_xasprintf("%s \"%s\": %s \"%s\" is not declared: add an "
                                        "attribute block with name = \"%s\" and its type (S, N "
                                        "or B)",
                                        index_lists[l], cp_get_str_or(b, "name", "?"), key_names[k],
                                        key, key);
            }
        }
    }
    return NULL;
}

/* Index names are unique among both kinds of index. */
static char *duplicate_index(const cp_value *config)
{
    const cp_value *g = cp_get_list(config, index_lists[0]),
                   *l = cp_get_list(config, index_lists[1]);
    size_t ng = nblocks(g), nl = nblocks(l);
    for (size_t i = 0; i < ng + nl; i++) {
        const char *a = cp_get_str(i < ng ? cp_list_get(g, i) : cp_list_get(l, i - ng), "name");
        for (size_t j = 0; a && j < i; j++) {
            const char *b = cp_get_str(j < ng ? cp_list_get(g, j) : cp_list_get(l, j - ng), "name");
            if (b && !strcmp(a, b))
                return cp_xasprintf("index name \"%s\" is used twice: global and local secondary "
                                    "indexes of a table have different names",
                                    a);
        }
    }
    return NULL;
}

static char *table_rules(const cp_value *config)
{
    const char *billing = cp_get_str(config, "billing_mode");
    int rc = cp_prov_presence(config, "read_capacity"),
        wc = cp_prov_presence(config, "write_capacity");
    if (billing && !strcmp(billing, "PROVISIONED") && (rc == 0 || wc == 0))
        return cp_xstrdup("billing_mode PROVISIONED needs read_capacity and write_capacity: set "
                          "both, or set billing_mode = \"PAY_PER_REQUEST\"");
    if (billing && !strcmp(billing, "PAY_PER_REQUEST") && (rc == 1 || wc == 1))
        return cp_xstrdup("read_capacity and write_capacity are only for billing_mode "
                          "PROVISIONED: remove them with PAY_PER_REQUEST");
    if (cp_get_bool(config, "stream_enabled", false) &&
        cp_prov_presence(config, "stream_view_type") == 0)
        return cp_xstrdup("stream_enabled = true needs stream_view_type (KEYS_ONLY, NEW_IMAGE, "
                          "OLD_IMAGE or NEW_AND_OLD_IMAGES)");
    const cp_value *on = cp_prov_field(config, "stream_enabled");
    if (on && !cp_is_unknown(on) && !cp_get_bool(config, "stream_enabled", false) &&
        cp_prov_presence(config, "stream_view_type") == 1)
        return cp_xstrdup("stream_view_type is only for stream_enabled = true: remove it or "
                          "turn the stream on");
    const cp_value *ttl = cp_get_block(config, "ttl");
    if (ttl && cp_get_bool(ttl, "enabled", false) && cp_prov_presence(ttl, "attribute_name") == 0)
        return cp_xstrdup("ttl with enabled = true needs attribute_name");
    for (int l = 0; l < 2; l++) {
        const cp_value *idx = cp_prov_field(config, index_lists[l]);
        for (size_t i = 0; i < nblocks(idx); i++) {
            char *m = index_rules(config, cp_list_get(idx, i), l == 0);
            if (m) return m;
        }
    }
    char *dup = duplicate_index(config);
    if (dup) return dup;
    const cp_value *list = cp_prov_field(config, "attribute");
    if (!list || cp_is_unknown(list) || cp_contains_unknown(list)) return NULL;
    char *undeclared = undeclared_keys(config, list);
    if (undeclared) return undeclared;
    for (size_t i = 0; i < nblocks(list); i++) {
        const char *n = cp_get_str(cp_list_get(list, i), "name");
        if (!n) continue;
        for (size_t j = 0; j < i; j++) {
            const char *m = cp_get_str(cp_list_get(list, j), "name");
            if (m && !strcmp(m, n)) {
                return cp_xasprintf("attribute \"%s\" is declared twice: keep one block", n);
            }
        }
        if (is_key(config, n) == 0) {
            return cp_xasprintf(
                "attribute \"%s\" is not used by hash_key, range_key or an index: AWS only "
                "takes the attributes of keys; remove the block or use it in an index",
                n);
        }
    }
    return NULL;
}

/* ---- read ------------------------------------------------------------------------------ */

/* The table's description (a new reference), NULL when gone; -1 on error. */
static int describe(cp_provider_call *c, const char *name, json_t **table)
{
    *table = NULL;
    if (!name || !*name) return cp_fail(c, "%s: no table name to look up", c->address);
    json_t *in = json_pack("{s:s}", "TableName", name), *res = NULL;
    int rc = cp_aws_json(c, "dynamodb", DDB("DescribeTable"), in, gone, &res);
    json_decref(in);
    if (rc < 0) return -1;
    if (rc == 0) *table = json_incref(json_object_get(res, "Table"));
    json_decref(res);
    return 0;
}

static cp_value *one_block(cp_value *m)
{
    cp_value *l = cp_list_new();
    cp_list_push_take(l, m);
    return l;
}

/* Whether the previous state had the block: a block AWS reports off stays absent. */
static bool had_block(const cp_value *prev, const char *key)
{
    const cp_value *l = cp_get_list(prev, key);
    return l && cp_len(l) > 0;
}

static int tags_page(void *ud, const json_t *res)
{
    cp_value *page = cp_aws_tags_from_json(json_object_get(res, "Tags"), "Key", "Value");
    for (size_t i = 0; i < cp_len(page); i++)
        cp_map_set_take(ud, cp_map_key_at(page, i), cp_retain(cp_map_value_at(page, i)));
    cp_release(page);
    return 0;
}

static cp_value *read_tags(cp_provider_call *c, const char *arn, const cp_value *prev)
{
    cp_value *m = cp_map_new();
    json_t *in = json_pack("{s:s}", "ResourceArn", arn);
    int rc = cp_aws_json_pages(c, "dynamodb", DDB("ListTagsOfResource"), in, NULL, tags_page, m);
    json_decref(in);
    if (rc != 0) {
        cp_release(m);
        return NULL;
    }
    return cp_tags_keep_take(m, cp_map_get(prev, "tags"));
}

/* hash_key / range_key of m from a KeySchema. */
static void set_keys(cp_value *m, const json_t *schema)
{
    cp_set_str(m, "hash_key", NULL);
    cp_set_str(m, "range_key", NULL);
    size_t i;
    json_t *k;
    json_array_foreach(schema, i, k)
    {
        const char *type = jstr(k, "KeyType");
        if (type)
            cp_set_str(m, !strcmp(type, "HASH") ? "hash_key" : "range_key",
                       jstr(k, "AttributeName"));
    }
}

/* projection_type and non_key_attributes (null when none) of m. */
static void set_projection(cp_value *m, const json_t *proj)
{
    cp_set_str(m, "projection_type", jstr(proj, "ProjectionType"));
    json_t *nka = json_object_get(proj, "NonKeyAttributes");
    if (json_array_size(nka) == 0) {
        cp_set_str(m, "non_key_attributes", NULL);
        return;
    }
    cp_value *l = cp_list_new();
    size_t i;
    json_t *a;
    json_array_foreach(nka, i, a) cp_list_push_take(l, cp_string(json_string_value(a)));
    cp_set_take(m, "non_key_attributes", l);
}

/* The global secondary indexes of t (those being deleted are gone already).
 * With PAY_PER_REQUEST AWS reports no index capacity: the configured one
 * (ignored, as by the Terraform provider) is kept. */
static cp_value *read_gsis(const json_t *t, bool on_demand, const cp_value *prev)
{
    cp_value *out = cp_list_new();
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(t, "GlobalSecondaryIndexes"), i, g)
    {
        const char *st = jstr(g, "IndexStatus");
        if (st && !strcmp(st, "DELETING")) continue;
        cp_value *b = cp_map_new();
        cp_set_str(b, "name", jstr(g, "IndexName"));
        set_keys(b, json_object_get(g, "KeySchema"));
        set_projection(b, json_object_get(g, "Projection"));
        const char *caps[] = { "read_capacity", "write_capacity" };
        const char *units[] = { "ReadCapacityUnits", "WriteCapacityUnits" };
        const cp_value *was =
            find_named(cp_get_list(prev, "global_secondary_index"), jstr(g, "IndexName"));
        for (int k = 0; k < 2; k++) {
            const cp_value *v = cp_prov_field(was, caps[k]);
            if (on_demand)
                cp_set_take(b, caps[k], v && !cp_is_unknown(v) ? cp_retain(v) : cp_null());
            else
                cp_set_num(b, caps[k],
                           (double)json_integer_value(json_object_get(
                               json_object_get(g, "ProvisionedThroughput"), units[k])));
        }
        cp_list_push_take(out, b);
    }
    return out;
}

static cp_value *read_lsis(const json_t *t)
{
    cp_value *out = cp_list_new();
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(t, "LocalSecondaryIndexes"), i, l)
    {
        cp_value *b = cp_map_new();
        cp_set_str(b, "name", jstr(l, "IndexName"));
        cp_value *keys = cp_map_new();
        set_keys(keys, json_object_get(l, "KeySchema"));
        cp_set_str(b, "range_key", cp_get_str(keys, "range_key"));
        cp_release(keys);
        set_projection(b, json_object_get(l, "Projection"));
        cp_list_push_take(out, b);
    }
    return out;
}

/* The state of table t (a TableDescription), without TTL, PITR and tags. */
static cp_value *table_state(const json_t *t, const cp_value *prev)
{
    cp_value *s = cp_state_complete(attrs, prev);
    cp_set_str(s, "name", jstr(t, "TableName"));
    cp_set_str(s, "id", jstr(t, "TableName"));
    cp_set_str(s, "arn", jstr(t, "TableArn"));
    const char *billing = jstr(json_object_get(t, "BillingModeSummary"), "BillingMode");
    cp_set_str(s, "billing_mode", billing ? billing : "PROVISIONED");
    json_t *pt = json_object_get(t, "ProvisionedThroughput");
    cp_set_num(s, "read_capacity",
               (double)json_integer_value(json_object_get(pt, "ReadCapacityUnits")));
    cp_set_num(s, "write_capacity",
               (double)json_integer_value(json_object_get(pt, "WriteCapacityUnits")));
    set_keys(s, json_object_get(t, "KeySchema"));
    size_t i;
    json_t *k;
    cp_value *defs = cp_list_new();
    json_array_foreach(json_object_get(t, "AttributeDefinitions"), i, k)
    {
        cp_value *a = cp_map_new();
        cp_set_str(a, "name", jstr(k, "AttributeName"));
        cp_set_str(a, "type", jstr(k, "AttributeType"));
        cp_list_push_take(defs, a);
    }
    cp_set_take(s, "attribute", defs);
    cp_set_take(s, "global_secondary_index",
                read_gsis(t, billing && !strcmp(billing, "PAY_PER_REQUEST"), prev));
    cp_set_take(s, "local_secondary_index", read_lsis(t));
    json_t *stream = json_object_get(t, "StreamSpecification");
    bool on = json_is_true(json_object_get(stream, "StreamEnabled"));
    cp_set_bool(s, "stream_enabled", on);
    cp_set_str(s, "stream_view_type", on ? jstr(stream, "StreamViewType") : NULL);
    cp_set_str(s, "stream_arn", jstr(t, "LatestStreamArn"));
    cp_set_str(s, "stream_label", jstr(t, "LatestStreamLabel"));
    json_t *sse = json_object_get(t, "SSEDescription");
    const char *st = jstr(sse, "Status");
    bool sse_on = st && (!strcmp(st, "ENABLED") || !strcmp(st, "ENABLING"));
    if (sse_on || had_block(prev, "server_side_encryption")) {
        cp_value *b = cp_map_new();
        cp_set_bool(b, "enabled", sse_on);
        cp_set_str(b, "kms_key_arn", sse_on ? jstr(sse, "KMSMasterKeyArn") : NULL);
        cp_set_take(s, "server_side_encryption", one_block(b));
    } else {
        cp_set_take(s, "server_side_encryption", cp_list_new());
    }
    cp_set_bool(s, "deletion_protection_enabled",
                json_is_true(json_object_get(t, "DeletionProtectionEnabled")));
    const char *cls = jstr(json_object_get(t, "TableClassSummary"), "TableClass");
    cp_set_str(s, "table_class", cls ? cls : "STANDARD");
    return s;
}

static int read_ttl(cp_provider_call *c, const char *name, const cp_value *prev, cp_value *s)
{
    json_t *in = json_pack("{s:s}", "TableName", name), *res = NULL;
    int rc = cp_aws_json(c, "dynamodb", DDB("DescribeTimeToLive"), in, NULL, &res);
    json_decref(in);
    if (rc != 0) return -1;
    json_t *d = json_object_get(res, "TimeToLiveDescription");
    const char *st = jstr(d, "TimeToLiveStatus");
    bool on = st && (!strcmp(st, "ENABLED") || !strcmp(st, "ENABLING"));
    if (on || had_block(prev, "ttl")) {
        cp_value *b = cp_map_new();
        cp_set_bool(b, "enabled", on);
        /* AWS forgets the attribute once TTL is off: keep the one configured */
        const cp_value *old = cp_get_block(prev, "ttl");
        cp_set_str(b, "attribute_name",
                   on ? jstr(d, "AttributeName") : cp_get_str(old, "attribute_name"));
        cp_set_take(s, "ttl", one_block(b));
    } else {
        cp_set_take(s, "ttl", cp_list_new());
    }
    json_decref(res);
    return 0;
}

static int read_pitr(cp_provider_call *c, const char *name, const cp_value *prev, cp_value *s)
{
    json_t *in = json_pack("{s:s}", "TableName", name), *res = NULL;
    int rc = cp_aws_json(c, "dynamodb", DDB("DescribeContinuousBackups"), in, NULL, &res);
    json_decref(in);
    if (rc != 0) return -1;
    const char *st = jstr(json_object_get(json_object_get(res, "ContinuousBackupsDescription"),
                                          "PointInTimeRecoveryDescription"),
                          "PointInTimeRecoveryStatus");
    bool on = st && !strcmp(st, "ENABLED");
    json_decref(res);
    if (on || had_block(prev, "point_in_time_recovery")) {
        cp_value *b = cp_map_new();
        cp_set_bool(b, "enabled", on);
        cp_set_take(s, "point_in_time_recovery", one_block(b));
    } else {
        cp_set_take(s, "point_in_time_recovery", cp_list_new());
    }
    return 0;
}

static int table_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    json_t *t;
    *out = NULL;
    const char *name = cp_get_str(state, "id");
    if (describe(c, name, &t) != 0) return -1;
    if (!t) return 0;
    const char *status = jstr(t, "TableStatus");
    if (status && !strcmp(status, "DELETING")) {
        json_decref(t);
        return 0;
    }
    cp_value *s = table_state(t, state);
    json_decref(t);
    cp_value *tags = NULL;
    if (read_ttl(c, name, state, s) != 0 || read_pitr(c, name, state, s) != 0 ||
        !(tags = cp_get_str(s, "arn") ? read_tags(c, cp_get_str(s, "arn"), state) : cp_null())) {
        cp_release(s);
        return -1;
    }
    cp_set_take(s, "tags", tags);
    *out = s;
    return 0;
}

/* ---- waits ----------------------------------------------------------------------------- */

typedef struct wait_ctx {
    const char *name;
    bool want_gone;
} wait_ctx;

static int check_table(cp_provider_call *c, void *ud, bool *done)
{
    wait_ctx *w = ud;
    json_t *t;
    if (describe(c, w->name, &t) != 0) return -1;
    const char *st = t ? jstr(t, "TableStatus") : NULL;
    if (w->want_gone)
        *done = !t;
    else if (!t)
        return cp_fail(c, "%s: table %s vanished while it was being made ready; run apply again",
                       c->address, w->name);
    else {
        /* ACTIVE, and so is every global index (one being deleted is gone) */
        *done = st && !strcmp(st, "ACTIVE");
        size_t i;
        json_t *g;
        json_array_foreach(json_object_get(t, "GlobalSecondaryIndexes"), i, g)
        {
            const char *is = jstr(g, "IndexStatus");
            if (is && strcmp(is, "ACTIVE")) *done = false;
        }
    }
    json_decref(t);
    return 0;
}

static int wait_table(cp_provider_call *c, const char *name, bool gone_wanted)
{
    wait_ctx w = { name, gone_wanted };
    return cp_aws_wait(c,
                       gone_wanted ? "the table to be deleted"
                                   : "the table and its global secondary indexes to become ACTIVE",
                       600, 5000, check_table, &w);
}

/* After an index is created or deleted: a new index is filled from the
 * table's items (AWS takes minutes to hours on a large table). */
static int wait_index(cp_provider_call *c, const char *name, const char *index, bool deleted)
{
    wait_ctx w = { name, false };
    char *what = cp_xasprintf(deleted ? "the global secondary index %s to be deleted"
                                      : "the global secondary index %s to become ACTIVE",
                              index);
    int rc = cp_aws_wait(c, what, 3600, 5000, check_table, &w);
    free(what);
    return rc;
}

/* ---- create / update / delete ------------------------------------------------------------ */

static json_t *throughput(const cp_value *config)
{
    return json_pack("{s:I, s:I}", "ReadCapacityUnits",
                     (json_int_t)cp_get_num(config, "read_capacity", 1), "WriteCapacityUnits",
                     (json_int_t)cp_get_num(config, "write_capacity", 1));
}

static json_t *key_schema(const char *hash, const char *range)
{
    json_t *keys = json_array();
    json_array_append_new(keys, json_pack("{s:s?, s:s}", "AttributeName", hash, "KeyType", "HASH"));
    if (range)
        json_array_append_new(keys,
                              json_pack("{s:s, s:s}", "AttributeName", range, "KeyType", "RANGE"));
    return keys;
}

static json_t *attribute_defs(const cp_value *config)
{
    json_t *defs = json_array();
    const cp_value *list = cp_get_list(config, "attribute");
    for (size_t i = 0; list && i < cp_len(list); i++) {
        const cp_value *a = cp_list_get(list, i);
        json_array_append_new(defs,
                              json_pack("{s:s?, s:s?}", "AttributeName", cp_get_str(a, "name"),
                                        "AttributeType", cp_get_str(a, "type")));
    }
    return defs;
}

static json_t *projection(const cp_value *b)
{
    json_t *p = json_pack("{s:s?}", "ProjectionType", cp_get_str(b, "projection_type"));
    const cp_value *nka = cp_get_list(b, "non_key_attributes");
    if (nka && cp_len(nka)) {
        json_t *a = json_array();
        for (size_t i = 0; i < cp_len(nka); i++)
            json_array_append_new(a, json_string(cp_string_val(cp_list_get(nka, i))));
        json_object_set_new(p, "NonKeyAttributes", a);
    }
    return p;
}

/* A GlobalSecondaryIndex (CreateTable) or CreateGlobalSecondaryIndexAction. */
static json_t *gsi_json(const cp_value *b, bool provisioned)
{
    json_t *g = json_pack("{s:s?, s:o, s:o}", "IndexName", cp_get_str(b, "name"), "KeySchema",
                          key_schema(cp_get_str(b, "hash_key"), cp_get_str(b, "range_key")),
                          "Projection", projection(b));
    if (provisioned) json_object_set_new(g, "ProvisionedThroughput", throughput(b));
    return g;
}

static json_t *stream_spec(const cp_value *config)
{
    bool on = cp_get_bool(config, "stream_enabled", false);
    json_t *j = json_pack("{s:b}", "StreamEnabled", on);
    if (on && cp_get_str(config, "stream_view_type"))
        json_object_set_new(j, "StreamViewType",
                            json_string(cp_get_str(config, "stream_view_type")));
    return j;
}

static json_t *sse_spec(const cp_value *config)
{
    const cp_value *b = cp_get_block(config, "server_side_encryption");
    bool on = cp_get_bool(b, "enabled", false);
    json_t *j = json_pack("{s:b}", "Enabled", on);
    if (on) {
        json_object_set_new(j, "SSEType", json_string("KMS"));
        if (cp_get_str(b, "kms_key_arn"))
            json_object_set_new(j, "KMSMasterKeyId", json_string(cp_get_str(b, "kms_key_arn")));
    }
    return j;
}

/* A config with TTL off (to turn it off before a new attribute). */
static cp_value *ttl_off(void)
{
    cp_value *m = cp_map_new(), *b = cp_map_new();
    cp_set_bool(b, "enabled", false);
    cp_set_take(m, "ttl", one_block(b));
    return m;
}

static int set_ttl(cp_provider_call *c, const char *name, const cp_value *old,
                   const cp_value *config)
{
    const cp_value *b = cp_get_block(config, "ttl");
    bool on = cp_get_bool(b, "enabled", false);
    /* turning off names the attribute it is on for */
    const char *attr = on ? cp_get_str(b, "attribute_name")
                          : cp_get_str(cp_get_block(old, "ttl"), "attribute_name");
    if (!on && !cp_get_bool(cp_get_block(old, "ttl"), "enabled", false)) return 0;
    if (!attr) return cp_fail(c, "%s: ttl needs attribute_name", c->address);
    const char *was = cp_get_str(cp_get_block(old, "ttl"), "attribute_name");
    if (on && cp_get_bool(cp_get_block(old, "ttl"), "enabled", false) && was && strcmp(was, attr)) {
        /* another attribute: AWS wants TTL off first */
        cp_value *off = ttl_off();
        int rc = set_ttl(c, name, old, off);
        cp_release(off);
        if (rc != 0) return -1;
    }
    json_t *in = json_pack("{s:s, s:{s:b, s:s}}", "TableName", name, "TimeToLiveSpecification",
                           "Enabled", on, "AttributeName", attr);
    int rc = cp_aws_json(c, "dynamodb", DDB("UpdateTimeToLive"), in, NULL, NULL);
    json_decref(in);
    return rc == 0 ? 0 : -1;
}

static int set_pitr(cp_provider_call *c, const char *name, bool on)
{
    json_t *in = json_pack("{s:s, s:{s:b}}", "TableName", name, "PointInTimeRecoverySpecification",
                           "PointInTimeRecoveryEnabled", on);
    int rc = cp_aws_json(c, "dynamodb", DDB("UpdateContinuousBackups"), in, NULL, NULL);
    json_decref(in);
    return rc == 0 ? 0 : -1;
}

static bool pitr_on(const cp_value *m)
{
    return cp_get_bool(cp_get_block(m, "point_in_time_recovery"), "enabled", false);
}

static int refreshed(cp_provider_call *c, const cp_value *config, int rc, cp_value **state)
{
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", cp_get_str(config, "name"));
    return cp_aws_finish_take(c, rc, table_read, s, "the table", state);
}

static int table_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    if (cp_prov_check_config(c, table_rules, config) != 0) return -1;
    const char *name = cp_get_str(config, "name");
    const char *billing = cp_get_str_or(config, "billing_mode", "PROVISIONED");
    bool provisioned = !strcmp(billing, "PROVISIONED");
    json_t *in = json_pack(
        "{s:s, s:o, s:o, s:s}", "TableName", name, "AttributeDefinitions", attribute_defs(config),
        "KeySchema", key_schema(cp_get_str(config, "hash_key"), cp_get_str(config, "range_key")),
        "BillingMode", billing);
    if (provisioned) json_object_set_new(in, "ProvisionedThroughput", throughput(config));
    const cp_value *gl = cp_get_list(config, "global_secondary_index");
    if (gl && cp_len(gl)) {
        json_t *a = json_array();
        for (size_t i = 0; i < cp_len(gl); i++)
            json_array_append_new(a, gsi_json(cp_list_get(gl, i), provisioned));
        json_object_set_new(in, "GlobalSecondaryIndexes", a);
    }
    const cp_value *ll = cp_get_list(config, "local_secondary_index");
    if (ll && cp_len(ll)) {
        json_t *a = json_array();
        for (size_t i = 0; i < cp_len(ll); i++) {
            const cp_value *b = cp_list_get(ll, i);
            json_array_append_new(
                a, json_pack("{s:s?, s:o, s:o}", "IndexName", cp_get_str(b, "name"), "KeySchema",
                             key_schema(cp_get_str(config, "hash_key"), cp_get_str(b, "range_key")),
                             "Projection", projection(b)));
        }
        json_object_set_new(in, "LocalSecondaryIndexes", a);
    }
    if (cp_get_bool(config, "stream_enabled", false))
        json_object_set_new(in, "StreamSpecification", stream_spec(config));
    if (cp_get_bool(cp_get_block(config, "server_side_encryption"), "enabled", false))
        json_object_set_new(in, "SSESpecification", sse_spec(config));
    /* sent only when on: older endpoints (moto) may not know the member */
    if (cp_get_bool(config, "deletion_protection_enabled", false))
        json_object_set_new(in, "DeletionProtectionEnabled", json_true());
    const char *cls = cp_get_str(config, "table_class");
    if (cls && strcmp(cls, "STANDARD")) json_object_set_new(in, "TableClass", json_string(cls));
    const cp_value *tags = cp_get_map(config, "tags");
    if (tags && cp_len(tags))
        json_object_set_new(in, "Tags", cp_aws_tags_to_json(tags, "Key", "Value"));
    aws_set_no_resend(true); /* sent once: a lost answer is looked up (find) */
    aws_set_no_resend(true); /* sent once: a lost answer is looked up (find) */
    int rc = cp_aws_json(c, "dynamodb", DDB("CreateTable"), in, NULL, NULL);
    aws_set_no_resend(false);
    aws_set_no_resend(false);
    json_decref(in);
    if (rc != 0) return -1;
    rc = wait_table(c, name, false);
    if (rc == 0 && cp_get_bool(cp_get_block(config, "ttl"), "enabled", false))
        rc = set_ttl(c, name, NULL, config);
    if (rc == 0 && pitr_on(config)) rc = set_pitr(c, name, true);
    return refreshed(c, config, rc, state);
}

/* One UpdateTable call (in consumed), then a wait for ACTIVE. */
static int update_table(cp_provider_call *c, const char *name, json_t *in)
{
    json_object_set_new(in, "TableName", json_string(name));
    int rc = cp_aws_json(c, "dynamodb", DDB("UpdateTable"), in, NULL, NULL);
    json_decref(in);
    if (rc != 0) return -1;
    return wait_table(c, name, false);
}

static int tags_update(cp_provider_call *c, const char *arn, const cp_value *old,
                       const cp_value *config)
{
    cp_value *removed = cp_tags_removed(cp_get_map(old, "tags"), cp_get_map(config, "tags"));
    int rc = 0;
    if (cp_len(removed)) {
        json_t *keys = json_array();
        for (size_t i = 0; i < cp_len(removed); i++)
            json_array_append_new(keys, json_string(cp_string_val(cp_list_get(removed, i))));
        json_t *in = json_pack("{s:s, s:o}", "ResourceArn", arn, "TagKeys", keys);
        rc = cp_aws_json(c, "dynamodb", DDB("UntagResource"), in, NULL, NULL);
        json_decref(in);
    }
    cp_release(removed);
    const cp_value *tags = cp_get_map(config, "tags");
    if (rc == 0 && tags && cp_len(tags)) {
        json_t *in = json_pack("{s:s, s:o}", "ResourceArn", arn, "Tags",
                               cp_aws_tags_to_json(tags, "Key", "Value"));
        rc = cp_aws_json(c, "dynamodb", DDB("TagResource"), in, NULL, NULL);
        json_decref(in);
    }
    return rc == 0 ? 0 : -1;
}

/* Changes as update sees them: an argument left out is its default (the
 * planner fills defaults in; direct callers may not). */
static bool str_changed(const cp_value *old, const cp_value *config, const char *key,
                        const char *def)
{
    return strcmp(cp_get_str_or(old, key, def), cp_get_str_or(config, key, def)) != 0;
}

static bool bool_changed(const cp_value *old, const cp_value *config, const char *key)
{
    return cp_get_bool(old, key, false) != cp_get_bool(config, key, false);
}

static bool sse_changed(const cp_value *old, const cp_value *config)
{
    const cp_value *a = cp_get_block(old, "server_side_encryption"),
                   *b = cp_get_block(config, "server_side_encryption");
    const char *key = cp_get_str(b, "kms_key_arn");
    return cp_get_bool(a, "enabled", false) != cp_get_bool(b, "enabled", false) ||
           (key && strcmp(key, cp_get_str_or(a, "kms_key_arn", "")));
}

static bool ttl_changed(const cp_value *old, const cp_value *config)
{
    const cp_value *a = cp_get_block(old, "ttl"), *b = cp_get_block(config, "ttl");
    bool on = cp_get_bool(b, "enabled", false);
    return cp_get_bool(a, "enabled", false) != on ||
           (on &&
            strcmp(cp_get_str_or(a, "attribute_name", ""), cp_get_str_or(b, "attribute_name", "")));
}

/* Whether two lists of strings hold the same strings (null = none). */
static bool same_strings(const cp_value *a, const cp_value *b)
{
    size_t na = a ? cp_len(a) : 0, nb = b ? cp_len(b) : 0;
    if (na != nb) return false;
    if (na == 0) return true;
    for (size_t i = 0; i < cp_len(a); i++) {
        bool found = false;
        for (size_t j = 0; j < cp_len(b) && !found; j++)
            found = cp_equal(cp_list_get(a, i), cp_list_get(b, j));
        if (!found) return false;
    }
    return true;
}

static const char *attr_type(const cp_value *m, const char *name)
{
    return cp_get_str(find_named(cp_get_list(m, "attribute"), name), "type");
}

/* Whether global index b (in config) differs from a (in old) by more than its
 * capacity: keys, projection or the type of a key attribute. AWS changes
 * only the capacity of an index; anything else is a new index. */
static bool gsi_remade(const cp_value *old, const cp_value *a, const cp_value *config,
                       const cp_value *b)
{
    if (str_changed(a, b, "projection_type", "") ||
        !same_strings(cp_get_list(a, "non_key_attributes"), cp_get_list(b, "non_key_attributes")))
        return true;
    for (int k = 0; k < 2; k++) {
        if (str_changed(a, b, key_names[k], "")) return true;
        const char *key = cp_get_str(b, key_names[k]);
        const char *was = key ? attr_type(old, key) : NULL,
                   *now = key ? attr_type(config, key) : NULL;
        if (was && now && strcmp(was, now)) return true;
    }
    return false;
}

static bool gsi_capacity_changed(const cp_value *a, const cp_value *b)
{
    return cp_get_num(a, "read_capacity", 0) != cp_get_num(b, "read_capacity", 0) ||
           cp_get_num(a, "write_capacity", 0) != cp_get_num(b, "write_capacity", 0);
}

/* A key of the table or of a local index whose attribute type changes:
 * only a new table can take it (NULL when none). */
static const char *fixed_key_retyped(const cp_value *old, const cp_value *config)
{
    const char *keys[7] = { cp_get_str(config, "hash_key"), cp_get_str(config, "range_key") };
    const cp_value *ll = cp_get_list(config, "local_secondary_index");
    for (size_t i = 0; i < 5 && ll && i < cp_len(ll); i++)
        keys[2 + i] = cp_get_str(cp_list_get(ll, i), "range_key");
    for (int i = 0; i < 7; i++) {
        const char *was = keys[i] ? attr_type(old, keys[i]) : NULL,
                   *now = keys[i] ? attr_type(config, keys[i]) : NULL;
        if (was && now && strcmp(was, now)) return keys[i];
    }
    return NULL;
}

/* One index created or deleted (UpdateTable; in consumed), then the wait
 * until it is ACTIVE or gone. */
static int index_call(cp_provider_call *c, const char *name, const char *index, bool deleted,
                      json_t *in)
{
    json_object_set_new(in, "TableName", json_string(name));
    int rc = cp_aws_json(c, "dynamodb", DDB("UpdateTable"), in, NULL, NULL);
    json_decref(in);
    if (rc != 0) return -1;
    return wait_index(c, name, index, deleted);
}

/* Phase 1 (as the Terraform provider): delete the global indexes gone from
 * config or remade, one per call. Before the billing mode changes, so that a
 * switch to PROVISIONED needs no capacity for them. */
static int gsi_deletes(cp_provider_call *c, const char *name, const cp_value *old,
                       const cp_value *config)
{
    const cp_value *ol = cp_get_list(old, "global_secondary_index"),
                   *nl = cp_get_list(config, "global_secondary_index");
    for (size_t i = 0; ol && i < cp_len(ol); i++) {
        const cp_value *a = cp_list_get(ol, i);
        const char *index = cp_get_str(a, "name");
        const cp_value *b = find_named(nl, index);
        if (b && !gsi_remade(old, a, config, b)) continue;
        json_t *in = json_pack("{s:[{s:{s:s?}}]}", "GlobalSecondaryIndexUpdates", "Delete",
                               "IndexName", index);
        if (index_call(c, name, index, true, in) != 0) return -1;
    }
    return 0;
}

/* Phase 2: the capacity of the global indexes kept, PROVISIONED only; all of
 * them when the table turns PROVISIONED (AWS wants their capacity in that
 * call). NULL when none. */
static json_t *gsi_capacity_updates(const cp_value *old, const cp_value *config,
                                    bool to_provisioned)
{
    const cp_value *ol = cp_get_list(old, "global_secondary_index"),
                   *nl = cp_get_list(config, "global_secondary_index");
    json_t *ups = json_array();
    for (size_t i = 0; nl && i < cp_len(nl); i++) {
        const cp_value *b = cp_list_get(nl, i);
        const cp_value *a = find_named(ol, cp_get_str(b, "name"));
        if (!a || gsi_remade(old, a, config, b) || (!to_provisioned && !gsi_capacity_changed(a, b)))
            continue;
        json_array_append_new(ups, json_pack("{s:{s:s?, s:o}}", "Update", "IndexName",
                                             cp_get_str(b, "name"), "ProvisionedThroughput",
                                             throughput(b)));
    }
    if (json_array_size(ups)) return ups;
    json_decref(ups);
    return NULL;
}

/* Phase 3: create the global indexes new in config or remade, one per call,
 * with the attribute definitions of their keys. */
static int gsi_creates(cp_provider_call *c, const char *name, const cp_value *old,
                       const cp_value *config, bool provisioned)
{
    const cp_value *ol = cp_get_list(old, "global_secondary_index"),
                   *nl = cp_get_list(config, "global_secondary_index");
    for (size_t i = 0; nl && i < cp_len(nl); i++) {
        const cp_value *b = cp_list_get(nl, i);
        const char *index = cp_get_str(b, "name");
        const cp_value *a = find_named(ol, index);
        if (a && !gsi_remade(old, a, config, b)) continue;
        json_t *in = json_pack("{s:o, s:[{s:o}]}", "AttributeDefinitions", attribute_defs(config),
                               "GlobalSecondaryIndexUpdates", "Create", gsi_json(b, provisioned));
        if (index_call(c, name, index, false, in) != 0) return -1;
    }
    return 0;
}

static int table_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                        cp_value **state)
{
    if (cp_prov_check_config(c, table_rules, config) != 0) return -1;
    const char *name = cp_get_str(old, "id");
    const char *retyped = fixed_key_retyped(old, config);
    if (retyped)
        return cp_fail(c,
                       "%s: attribute \"%s\" is a key of the table or of a local secondary "
                       "index: AWS cannot change its type in place; replace the table "
                       "(plan -replace=%s)",
                       c->address, retyped, c->address);
    /* a change still settling (made elsewhere) must end before UpdateTable */
    int rc = wait_table(c, name, false);
    const char *billing = cp_get_str_or(config, "billing_mode", "PROVISIONED");
    bool provisioned = !strcmp(billing, "PROVISIONED");
    if (rc == 0) rc = gsi_deletes(c, name, old, config);
    bool billing_changed = str_changed(old, config, "billing_mode", "PROVISIONED");
    json_t *gsi_ups =
        rc == 0 && provisioned ? gsi_capacity_updates(old, config, billing_changed) : NULL;
    if (rc == 0 &&
        (billing_changed ||
         (provisioned &&
          (cp_get_num(old, "read_capacity", 0) != cp_get_num(config, "read_capacity", 0) ||
           cp_get_num(old, "write_capacity", 0) != cp_get_num(config, "write_capacity", 0))))) {
        json_t *in = json_pack("{s:s}", "BillingMode", billing);
        if (provisioned) json_object_set_new(in, "ProvisionedThroughput", throughput(config));
        if (gsi_ups) json_object_set_new(in, "GlobalSecondaryIndexUpdates", gsi_ups);
        gsi_ups = NULL;
        rc = update_table(c, name, in);
    }
    if (rc == 0 && gsi_ups) {
        rc = update_table(c, name, json_pack("{s:o}", "GlobalSecondaryIndexUpdates", gsi_ups));
        gsi_ups = NULL;
    }
    json_decref(gsi_ups);
    if (rc == 0) rc = gsi_creates(c, name, old, config, provisioned);
    if (rc == 0 && (bool_changed(old, config, "stream_enabled") ||
                    (cp_get_bool(config, "stream_enabled", false) &&
                     str_changed(old, config, "stream_view_type", "")))) {
        if (cp_get_bool(old, "stream_enabled", false) &&
            cp_get_bool(config, "stream_enabled", false))
            /* a new view type: AWS wants the stream off first */
            rc = update_table(c, name,
                              json_pack("{s:{s:b}}", "StreamSpecification", "StreamEnabled", 0));
        if (rc == 0)
            rc = update_table(c, name,
                              json_pack("{s:o}", "StreamSpecification", stream_spec(config)));
    }
    if (rc == 0 && sse_changed(old, config))
        rc = update_table(c, name, json_pack("{s:o}", "SSESpecification", sse_spec(config)));
    if (rc == 0 && str_changed(old, config, "table_class", "STANDARD"))
        rc = update_table(
            c, name,
            json_pack("{s:s}", "TableClass", cp_get_str_or(config, "table_class", "STANDARD")));
    if (rc == 0 && bool_changed(old, config, "deletion_protection_enabled"))
        rc = update_table(c, name,
                          json_pack("{s:b}", "DeletionProtectionEnabled",
                                    cp_get_bool(config, "deletion_protection_enabled", false)));
    if (rc == 0 && ttl_changed(old, config)) rc = set_ttl(c, name, old, config);
    if (rc == 0 && pitr_on(old) != pitr_on(config)) rc = set_pitr(c, name, pitr_on(config));
    if (rc == 0 && cp_changed(old, config, "tags"))
        rc = tags_update(c, cp_get_str(old, "arn"), old, config);
    return refreshed(c, config, rc, state);
}

static int table_delete(cp_provider_call *c, const cp_value *state)
{
    const char *name = cp_get_str(state, "id");
    json_t *t;
    if (describe(c, name, &t) != 0) return -1;
    const char *st = t ? jstr(t, "TableStatus") : NULL;
    bool deleting = st && !strcmp(st, "DELETING"),
         settling = st && strcmp(st, "ACTIVE") && !deleting;
    bool found = t != NULL;
    json_decref(t);
    if (!found) return 0;
    if (deleting) return wait_table(c, name, true);
    /* AWS refuses to delete a table still being created or updated */
    if (settling && wait_table(c, name, false) != 0) return -1;
    json_t *in = json_pack("{s:s}", "TableName", name);
    aws_error err = { 0 };
    json_t *out;
    int rc = aws_json_call(cp_aws_client(c), "dynamodb", DDB("DeleteTable"), in, &out, &err);
    json_decref(out);
    json_decref(in);
    /* A repeat of a DeleteTable whose answer was lost is refused "Table is
     * being deleted" (ResourceInUseException): the first one was taken. */
    bool taken = rc == 0 || (aws_error_is(&err, "ResourceInUseException") && err.message &&
                             strstr(err.message, "being deleted"));
    if (aws_error_is(&err, "ResourceNotFoundException")) {
        aws_error_clear(&err);
        return 0;
    }
    if (!taken) return cp_aws_fail(c, &err, "DeleteTable");
    aws_error_clear(&err);
    return wait_table(c, name, true);
}

static int table_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, table_read, id, state);
}

/* An interrupted create is found by its name, read as its id. */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, table_read, intent, "name", state);
}

const cp_resource_type cp_aws_dynamodb_table = {
    .name = "aws_dynamodb_table",
    .description = "A DynamoDB table with its keys, capacity, TTL, point-in-time recovery, stream "
                   "and encryption, with its global and local secondary indexes (import by "
                   "name). Deliberate differences from the Terraform AWS provider: no replica, "
                   "on_demand_throughput or warm_throughput blocks yet; a change to the type of an "
                   "attribute that keys the table or a local index fails at apply (AWS cannot make "
                   "it in place) rather than being left undone.",
    .attrs = attrs,
    .create = table_create,
    .read = table_read,
    .update = table_update,
    .delete = table_delete,
    .import = table_import,
    .validate_config = table_rules,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "name",
    .find = rec_find,
};
