/*
 * aws_common.c: shared helpers of the AWS resource types (see aws_common.h).
 */
#include "providers/aws/aws_common.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

aws_client *cp_aws_client(const cp_provider_call *c) { return c->client; }

static cp_value *known_copy(const cp_value *v)
{
    if (cp_is_unknown(v)) return cp_null();
    if (cp_kind_of(v) == CP_LIST) {
        cp_value *l = cp_list_new();
        for (size_t i = 0; i < cp_len(v); i++) cp_list_push_take(l, known_copy(cp_list_get(v, i)));
        return cp_mark_like_take(l, v);
    }
    if (cp_kind_of(v) == CP_MAP) {
        cp_value *m = cp_map_new();
        for (size_t i = 0; i < cp_len(v); i++)
            cp_map_set_take(m, cp_map_key_at(v, i), known_copy(cp_map_value_at(v, i)));
        return cp_mark_like_take(m, v);
    }
    return cp_retain(v);
}

cp_value *cp_state_from_config(const cp_value *config) { return known_copy(config); }

cp_value *cp_state_complete(const cp_schema_attr *attrs, const cp_value *from)
{
    cp_value *m = cp_map_new();
    for (const cp_schema_attr *a = attrs; a->name; a++) {
        const cp_value *v = from ? cp_map_get(from, a->name) : NULL;
        cp_map_set_take(m, a->name,
                        v                         ? cp_retain(v)
                        : a->type == CP_AT_BLOCKS ? cp_list_new()
                                                  : cp_null());
    }
    const cp_value *id = from ? cp_map_get(from, "id") : NULL;
    if (id && !cp_map_get(m, "id")) cp_map_set_take(m, "id", cp_retain(id));
    return m;
}

/* The answers that say a create's object already exists (under our name). */
static const char *const exists_codes[] = {
    "EntityAlreadyExists",
    "InvalidGroup.Duplicate",
    "BucketAlreadyOwnedByYou",
    "ResourceAlreadyExistsException",
    "RepositoryAlreadyExistsException",
    "InvalidKeyPair.Duplicate",
    "AlreadyExists",
    "DuplicateLoadBalancerName",
    "DuplicateTargetGroupName",
    "DuplicateListener",
    "PriorityInUse",
    "DBInstanceAlreadyExists",
    "DBSubnetGroupAlreadyExists",
    "ResourceConflictException",
    "InvalidLaunchTemplateName.AlreadyExistsException",
    "Resource.AlreadyAssociated",
    "InvalidPermission.Duplicate",
    "ParameterAlreadyExists",
    "ResourceExistsException",
    "ResourceInUseException",
    "QueueAlreadyExists",
    "AWS.SimpleQueueService.QueueAlreadyExists",
    "HostedZoneAlreadyExists",
    NULL,
};

int cp_aws_fail(cp_provider_call *c, aws_error *err, const char *operation)
{
    c->unanswered = c->unanswered || err->unanswered;
    c->exists = cp_aws_error_in(err, exists_codes) ||
                (aws_error_is(err, "InvalidParameterException") && err->message &&
                 strstr(err->message, "not idempotent")) ||
                (aws_error_is(err, "InvalidChangeBatch") && err->message &&
                 strstr(err->message, "already exists"));
    free(c->error);
    c->error = aws_error_format(err, c->address, operation);
    aws_error_clear(err);
    return -1;
}

bool cp_aws_error_in(const aws_error *err, const char *const *codes)
{
    for (; codes && *codes; codes++)
        if (aws_error_is(err, *codes)) return true;
    return false;
}

void cp_aws_tags_params(aws_params *p, const char *prefix, const cp_value *tags)
{
    if (!tags || cp_kind_of(tags) != CP_MAP) return;
    for (size_t i = 0; i < cp_len(tags); i++) {
        aws_params_addf(p, cp_map_key_at(tags, i), "%s.%zu.Key", prefix, i + 1);
        aws_params_addf(p, cp_string_val(cp_map_value_at(tags, i)), "%s.%zu.Value", prefix, i + 1);
    }
}

cp_value *cp_aws_tags_from_xml(xmlNodePtr list, const char *item_name)
{
    cp_value *m = cp_map_new();
    if (!list) return m;
    for (xmlNodePtr it = aws_xml_find(list, item_name); it; it = aws_xml_next(it)) {
        char *k = aws_xml_text(it, "Key");
        if (!k) k = aws_xml_text(it, "key");
        char *v = aws_xml_text(it, "Value");
        if (!v) v = aws_xml_text(it, "value");
        if (k && strcmp(k, CP_INTENT_KEY) != 0) cp_map_set_take(m, k, cp_string(v ? v : ""));
        free(k);
        free(v);
    }
    return m;
}

json_t *cp_aws_tags_to_json(const cp_value *tags, const char *key_name, const char *value_name)
{
    if (!key_name) {
        json_t *o = json_object();
        for (size_t i = 0; tags && cp_kind_of(tags) == CP_MAP && i < cp_len(tags); i++)
            json_object_set_new(o, cp_map_key_at(tags, i),
                                json_string(cp_string_val(cp_map_value_at(tags, i))));
        return o;
    }
    json_t *a = json_array();
    for (size_t i = 0; tags && cp_kind_of(tags) == CP_MAP && i < cp_len(tags); i++)
        json_array_append_new(a, json_pack("{s:s, s:s}", key_name, cp_map_key_at(tags, i),
                                           value_name, cp_string_val(cp_map_value_at(tags, i))));
    return a;
}

cp_value *cp_aws_tags_from_json(const json_t *arr, const char *key_name, const char *value_name)
{
    cp_value *m = cp_map_new();
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e)
    {
        const char *k = json_string_value(json_object_get(e, key_name));
        const char *v = json_string_value(json_object_get(e, value_name));
        if (k && strcmp(k, CP_INTENT_KEY) != 0) cp_map_set_take(m, k, cp_string(v ? v : ""));
    }
    return m;
}

int cp_aws_sleep_ms(cp_provider_call *c, int ms)
{
    const char *scale = getenv("CPSTACK_WAIT_SCALE");
    double s = scale ? strtod(scale, NULL) : 1.0;
    long total = (long)(ms * (s > 0 ? s : 1.0));
    while (total > 0) {
        if (c->cancel && *c->cancel) return -1;
        long step = total > 100 ? 100 : total;
        struct timespec ts = { step / 1000, (step % 1000) * 1000000L };
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
        }
        total -= step;
    }
    return c->cancel && *c->cancel ? -1 : 0;
}

/* cp_aws_sleep_ms that also ends early on c->stop: 1 then, -1 on cancel. */
static int wait_sleep_ms(cp_provider_call *c, int ms)
{
    for (int left = ms; left > 0; left -= 100) {
        if (c->stop && *c->stop) return 1;
        if (cp_aws_sleep_ms(c, left > 100 ? 100 : left) != 0) return -1;
    }
    return c->stop && *c->stop ? 1 : 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int cp_aws_wait_delay_ms(int attempt, int interval_ms)
{
    assert(attempt >= 0 && interval_ms > 0);
    double d = interval_ms / 4.0;
    for (int i = 0; i < attempt && d < interval_ms; i++) d *= 1.5;
    if (d < 100 && interval_ms >= 100) d = 100;
    return d > interval_ms ? interval_ms : (int)d;
}

int cp_aws_wait(cp_provider_call *c, const char *what, int timeout_s, int interval_ms,
                cp_wait_fn check, void *ud)
{
    const char *scale = getenv("CPSTACK_WAIT_SCALE");
    double s = scale ? strtod(scale, NULL) : 1.0;
    double deadline = now_s() + timeout_s * (s > 0 ? s : 1.0);
    for (int attempt = 0;; attempt++) {
        bool done = false;
        if (check(c, ud, &done) != 0) return -1;
        if (done) return 0;
        if (now_s() > deadline)
            return cp_fail(c,
                           "%s: timed out after %ds waiting for %s; check it in the AWS console, "
                           "then run apply again",
                           c->address, timeout_s, what);
        int srw = wait_sleep_ms(c, cp_aws_wait_delay_ms(attempt, interval_ms));
        if (srw < 0) return cp_fail(c, "%s: interrupted while waiting for %s", c->address, what);
        if (srw > 0) { /* a first signal: the object exists; stop waiting */
            c->unsettled = true;
            return 0;
        }
    }
}

int cp_aws_retry_codes(cp_provider_call *c, const char *const *codes, int timeout_s, cp_aws_op op,
                       void *ud, aws_error *err)
{
    const char *scale = getenv("CPSTACK_WAIT_SCALE");
    double s = scale ? strtod(scale, NULL) : 1.0;
    double deadline = now_s() + timeout_s * (s > 0 ? s : 1.0);
    for (int delay = 500;; delay = delay * 2 > 8000 ? 8000 : delay * 2) {
        memset(err, 0, sizeof *err);
        if (op(c, ud, err) == 0) return 0;
        if (!cp_aws_error_in(err, codes) || now_s() > deadline) return -1;
        aws_error_clear(err);
        if (cp_aws_sleep_ms(c, delay) != 0) {
            err->code = cp_xstrdup("Interrupted");
            return -1;
        }
    }
}

const char *cp_validate_name_1_64(const cp_value *v)
{
    size_t n = cp_string_len(v);
    if (n < 1 || n > 64) return "names are 1 to 64 characters";
    for (const char *s = cp_string_val(v); *s; s++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+=,.@_-", *s))
            return "names use only letters, digits and +=,.@_-";
    return NULL;
}

const char *cp_validate_json(const cp_value *v)
{
    json_error_t e;
    json_t *j = json_loads(cp_string_val(v), JSON_DECODE_ANY, &e);
    if (!j) return "must be a valid JSON document (use jsonencode({...}) to build one)";
    json_decref(j);
    return NULL;
}

static int call_result(cp_provider_call *c, int rc, aws_error *err, const char *const *gone,
                       const char *operation)
{
    if (rc == 0) return 0;
    if (cp_aws_error_in(err, gone)) {
        aws_error_clear(err);
        return 1;
    }
    return cp_aws_fail(c, err, operation);
}

int cp_aws_query(cp_provider_call *c, const char *service, const char *action, const aws_params *p,
                 const char *const *gone, xmlDocPtr *doc)
{
    aws_error err = { 0 };
    xmlDocPtr d = NULL;
    int rc = aws_query_call(cp_aws_client(c), service, action, p, &d, &err);
    if (doc)
        *doc = d;
    else if (d)
        xmlFreeDoc(d);
    return call_result(c, rc, &err, gone, action);
}

int cp_aws_json(cp_provider_call *c, const char *service, const char *target, json_t *body,
                const char *const *gone, json_t **out)
{
    aws_error err = { 0 };
    json_t *o = NULL;
    int rc = aws_json_call(cp_aws_client(c), service, target, body, &o, &err);
    if (out)
        *out = o;
    else
        json_decref(o);
    const char *dot = strrchr(target, '.');
    return call_result(c, rc, &err, gone, dot ? dot + 1 : target);
}

int cp_aws_json_pages(cp_provider_call *c, const char *service, const char *target,
                      const json_t *body, const char *const *gone,
                      int (*page)(void *ud, const json_t *res), void *ud)
{
    char *token = NULL;
    int rc;
    do {
        json_t *in = json_deep_copy(body), *res = NULL;
        if (token) json_object_set_new(in, "NextToken", json_string(token));
        free(token);
        token = NULL;
        rc = cp_aws_json(c, service, target, in, gone, &res);
        json_decref(in);
        if (rc != 0) return rc;
        int p = page(ud, res);
        const char *next = json_string_value(json_object_get(res, "NextToken"));
        if (p == 0 && next && *next) token = cp_xstrdup(next);
        json_decref(res);
        if (p < 0) return -1;
    } while (token);
    return 0;
}

int cp_aws_rest(cp_provider_call *c, const char *service, const char *operation,
                const aws_rest_request *r, const char *const *gone, aws_response *resp)
{
    aws_error err = { 0 };
    aws_response tmp;
    int rc = aws_rest_call(cp_aws_client(c), service, operation, r, resp ? resp : &tmp, &err);
    if (!resp && rc == 0) aws_response_free(&tmp);
    return call_result(c, rc, &err, gone, operation);
}

int cp_aws_import_via_read(cp_provider_call *c, cp_read_fn read, const char *id, cp_value **state)
{
    cp_value *start = cp_map_new();
    cp_set_str(start, "id", id);
    *state = NULL;
    int rc = read(c, start, state);
    cp_release(start);
    if (rc != 0) return -1;
    if (!*state)
        return cp_fail(c,
                       "%s: cannot import \"%s\": no such object; check the id (and the "
                       "region) and try again",
                       c->address, id);
    return 0;
}

cp_value *cp_state_start(const cp_schema_attr *attrs, const cp_value *config)
{
    cp_value *known = cp_state_from_config(config);
    cp_value *s = cp_state_complete(attrs, known);
    cp_release(known);
    return s;
}

static int hex_digit(char ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

char *cp_url_decode(const char *s)
{
    cp_buf b;
    cp_buf_init(&b);
    for (; *s; s++) {
        int hi, lo;
        if (*s == '%' && (hi = hex_digit(s[1])) >= 0 && (lo = hex_digit(s[2])) >= 0) {
            cp_buf_addc(&b, (char)(hi * 16 + lo));
            s += 2;
        } else {
            cp_buf_addc(&b, *s == '+' ? ' ' : *s);
        }
    }
    return cp_buf_steal(&b);
}

cp_value *cp_json_keep(const char *prev, const char *fetched)
{
    if (!fetched) return cp_null();
    if (!prev) return cp_string(fetched);
    json_t *a = json_loads(prev, JSON_DECODE_ANY, NULL);
    json_t *b = json_loads(fetched, JSON_DECODE_ANY, NULL);
    bool same = a && b && json_equal(a, b);
    json_decref(a);
    json_decref(b);
    return cp_string(same ? prev : fetched);
}

cp_value *cp_tags_removed(const cp_value *old_tags, const cp_value *new_tags)
{
    cp_value *l = cp_list_new();
    for (size_t i = 0; old_tags && cp_kind_of(old_tags) == CP_MAP && i < cp_len(old_tags); i++) {
        const char *k = cp_map_key_at(old_tags, i);
        if (!new_tags || cp_kind_of(new_tags) != CP_MAP || !cp_map_get(new_tags, k))
            cp_list_push_take(l, cp_string(k));
    }
    return l;
}

cp_value *cp_tags_keep_take(cp_value *fetched, const cp_value *prev_tags)
{
    if (cp_len(fetched) == 0 && (!prev_tags || cp_is_null(prev_tags))) {
        cp_release(fetched);
        return cp_null();
    }
    return fetched;
}

void cp_set_xml(cp_value *m, const char *key, xmlNodePtr from, const char *path)
{
    char *t = from ? aws_xml_text(from, path) : NULL;
    cp_map_set_take(m, key, t ? cp_string_take(t) : cp_null());
}

void cp_set_xml_bool(cp_value *m, const char *key, xmlNodePtr from, const char *path, bool def)
{
    char *t = from ? aws_xml_text(from, path) : NULL;
    cp_set_bool(m, key, t ? strcmp(t, "true") == 0 : def);
    free(t);
}

void cp_set_xml_num(cp_value *m, const char *key, xmlNodePtr from, const char *path, double def)
{
    char *t = from ? aws_xml_text(from, path) : NULL;
    cp_set_num(m, key, t ? strtod(t, NULL) : def);
    free(t);
}

/* ---- tag updates ------------------------------------------------------------------ */

static bool has_tags(const cp_value *tags)
{
    return tags && cp_kind_of(tags) == CP_MAP && cp_len(tags);
}

int cp_aws_query_tags_update(cp_provider_call *c, const cp_aws_query_tagging *t, const char *id,
                             const cp_value *old_tags, const cp_value *new_tags)
{
    cp_value *removed = cp_tags_removed(old_tags, new_tags);
    int rc = 0;
    if (cp_len(removed)) {
        aws_params *p = aws_params_new();
        aws_params_add(p, t->id_param, id);
        cp_aws_list_params(p, "TagKeys.member", removed);
        rc = cp_aws_query(c, t->service, t->untag, p, NULL, NULL);
        aws_params_free(p);
    }
    cp_release(removed);
    if (rc == 0 && has_tags(new_tags)) {
        aws_params *p = aws_params_new();
        aws_params_add(p, t->id_param, id);
        cp_aws_tags_params(p, t->tags_prefix, new_tags);
        rc = cp_aws_query(c, t->service, t->tag, p, NULL, NULL);
        aws_params_free(p);
    }
    return rc == 0 ? 0 : -1;
}

int cp_aws_json_tags_update(cp_provider_call *c, const cp_aws_json_tagging *t, const char *arn,
                            const cp_value *old_tags, const cp_value *new_tags)
{
    cp_value *removed = cp_tags_removed(old_tags, new_tags);
    int rc = 0;
    if (cp_len(removed)) {
        json_t *keys = json_array();
        for (size_t i = 0; i < cp_len(removed); i++)
            json_array_append_new(keys, json_string(cp_string_val(cp_list_get(removed, i))));
        json_t *in = json_pack("{s:s, s:o}", "resourceArn", arn, "tagKeys", keys);
        rc = cp_aws_json(c, t->service, t->untag, in, NULL, NULL);
        json_decref(in);
    }
    cp_release(removed);
    if (rc == 0 && has_tags(new_tags)) {
        json_t *in = json_pack("{s:s, s:o}", "resourceArn", arn, "tags",
                               cp_aws_tags_to_json(new_tags, t->key_name, t->value_name));
        rc = cp_aws_json(c, t->service, t->tag, in, NULL, NULL);
        json_decref(in);
    }
    return rc == 0 ? 0 : -1;
}

int cp_aws_finish_take(cp_provider_call *c, int rc, cp_read_fn read, cp_value *s, const char *what,
                       cp_value **state)
{
    *state = NULL;
    if (rc == 0 && read(c, s, state) == 0 && *state) {
        cp_release(s);
        return 0;
    }
    if (rc == 0 && !c->error)
        cp_fail(c, "%s: %s vanished right after it was written; run apply again", c->address, what);
    *state = s;
    return -1;
}

int cp_aws_reread(cp_provider_call *c, cp_read_fn read, const cp_schema_attr *attrs,
                  const cp_value *config, const char *id, cp_value **state)
{
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", id);
    int rc = read(c, s, state);
    cp_release(s);
    return rc;
}

/* ---- lists ---------------------------------------------------------------------------- */

void cp_aws_list_params(aws_params *p, const char *prefix, const cp_value *list)
{
    for (size_t i = 0; list && cp_kind_of(list) == CP_LIST && i < cp_len(list); i++)
        aws_params_addf(p, cp_string_val(cp_list_get(list, i)), "%s.%zu", prefix, i + 1);
}

cp_value *cp_aws_xml_strings(xmlNodePtr from, const char *path, const char *field)
{
    cp_value *l = cp_list_new();
    for (xmlNodePtr it = from ? aws_xml_find(from, path) : NULL; it; it = aws_xml_next(it)) {
        if (!field) {
            xmlChar *own = xmlNodeGetContent(it);
            if (own) cp_list_push_take(l, cp_string((const char *)own));
            xmlFree(own);
            continue;
        }
        char *t = aws_xml_text(it, field);
        if (t) cp_list_push_take(l, cp_string_take(t));
    }
    return l;
}

/* ---- recovery of an interrupted create ------------------------------------------------ */

int cp_aws_find_with_id(cp_provider_call *c, cp_read_fn read, const cp_value *intent,
                        const char *id, cp_value **state)
{
    *state = NULL;
    if (!id || !*id)
        return cp_fail(c, "%s: the intent of the interrupted create holds nothing to look for",
                       c->address);
    cp_value *s = cp_prov_map_copy(intent);
    cp_set_str(s, "id", id);
    int rc = read(c, s, state);
    cp_release(s);
    return rc;
}

int cp_aws_find_as_id(cp_provider_call *c, cp_read_fn read, const cp_value *intent,
                      const char *attr, cp_value **state)
{
    return cp_aws_find_with_id(c, read, intent, cp_get_str(intent, attr), state);
}

const char *cp_intent_uuid(const cp_value *config) { return cp_get_str(config, CP_INTENT_KEY); }

cp_value *cp_tags_with_intent(const cp_value *tags, const cp_value *config)
{
    cp_value *m = tags && cp_kind_of(tags) == CP_MAP ? cp_prov_map_copy(tags) : cp_map_new();
    if (cp_intent_uuid(config)) cp_set_str(m, CP_INTENT_KEY, cp_intent_uuid(config));
    return m;
}
