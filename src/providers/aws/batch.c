/*
 * batch.c: see batch.h. Talks to the Resource Groups Tagging API only
 * (tagging:GetResources); every other call stays in the type files.
 */
#include "providers/aws/batch.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define TAGGING(op)   "ResourceGroupsTaggingAPI_20170126." op
#define ARNS_PER_CALL 100

/* Puts the tags of every listed mapping whose ARN is one of arns[0..n). */
static void match_page(const json_t *res, const char *const *arns, size_t n, cp_value **tags)
{
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(res, "ResourceTagMappingList"), i, m)
    {
        const char *arn = json_string_value(json_object_get(m, "ResourceARN"));
        for (size_t k = 0; arn && k < n; k++) {
            if (!arns[k] || strcmp(arns[k], arn) != 0) continue;
            cp_release(tags[k]);
            tags[k] = cp_aws_tags_from_json(json_object_get(m, "Tags"), "Key", "Value");
        }
    }
}

/* One GetResources conversation for arns[0..n) (n <= 100), pages followed. */
static int tags_chunk(cp_provider_call *c, const char *const *arns, size_t n, cp_value **tags)
{
    json_t *list = json_array();
    for (size_t k = 0; k < n; k++)
        if (arns[k]) json_array_append_new(list, json_string(arns[k]));
    if (json_array_size(list) == 0) {
        json_decref(list);
        return 0;
    }
    char *token = NULL;
    int rc = 0;
    do {
        json_t *in = json_pack("{s:O}", "ResourceARNList", list), *res = NULL;
        if (token) json_object_set_new(in, "PaginationToken", json_string(token));
        free(token);
        token = NULL;
        rc = cp_aws_json(c, "tagging", TAGGING("GetResources"), in, NULL, &res);
        json_decref(in);
        if (rc != 0) break;
        match_page(res, arns, n, tags);
        const char *next = json_string_value(json_object_get(res, "PaginationToken"));
        if (next && *next) token = cp_xstrdup(next);
        json_decref(res);
    } while (token);
    json_decref(list);
    return rc == 0 ? 0 : -1;
}

int cp_aws_tags_many(cp_provider_call *c, const char *const *arns, size_t n, cp_value **tags)
{
    for (size_t k = 0; k < n; k++) tags[k] = arns[k] ? cp_map_new() : NULL;
    for (size_t k = 0; k < n; k += ARNS_PER_CALL) {
        size_t m = n - k < ARNS_PER_CALL ? n - k : ARNS_PER_CALL;
        if (tags_chunk(c, arns + k, m, tags + k) == 0) continue;
        free(c->error); /* no permission or no such API: the caller reads one by one */
        c->error = NULL;
        for (size_t j = 0; j < n; j++) {
            cp_release(tags[j]);
            tags[j] = NULL;
        }
        return -1;
    }
    return 0;
}

bool cp_aws_tags_agree(const cp_value *listed, const cp_value *prev_tags, cp_value **keep)
{
    *keep = NULL;
    if (!listed) return false;
    cp_value *k = cp_tags_keep_take(cp_retain(listed), prev_tags);
    bool prev_null = !prev_tags || cp_is_null(prev_tags);
    if (cp_is_null(k) ? !prev_null : prev_null || !cp_equal(k, prev_tags)) {
        cp_release(k);
        return false;
    }
    *keep = k;
    return true;
}

int cp_aws_read_rest(cp_provider_call *c, cp_read_fn read, const cp_value *const *states,
                     const bool *todo, size_t n, cp_value **out)
{
    for (size_t i = 0; i < n; i++) {
        if (out[i] || (todo && !todo[i])) continue;
        if (read(c, states[i], &out[i]) != 0) return -1;
    }
    return 0;
}

int cp_aws_batch_tags(cp_provider_call *c, const cp_value *const *states, size_t n, cp_value **out,
                      cp_aws_tags_read_fn read_tags)
{
    const char **arns = cp_xcalloc(n, sizeof *arns);
    cp_value **tags = cp_xcalloc(n, sizeof *tags);
    for (size_t i = 0; i < n; i++) arns[i] = out[i] ? cp_get_str(out[i], "arn") : NULL;
    cp_aws_tags_many(c, arns, n, tags);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        cp_value *keep = NULL;
        if (rc == 0 && arns[i] && !cp_aws_tags_agree(tags[i], cp_map_get(states[i], "tags"), &keep))
            keep = read_tags(c, arns[i], states[i]);
        if (rc == 0 && arns[i] && !keep) rc = -1;
        if (keep) cp_set_take(out[i], "tags", keep);
        cp_release(tags[i]);
    }
    free(tags);
    free(arns);
    return rc == 0 ? 0 : cp_aws_batch_fail(out, n);
}

int cp_aws_batch_fail(cp_value **out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cp_release(out[i]);
        out[i] = NULL;
    }
    return -1;
}

int cp_aws_batch_fallback(cp_provider_call *c, cp_read_fn read, const cp_value *const *states,
                          size_t n, cp_value **out)
{
    free(c->error);
    c->error = NULL;
    for (size_t i = 0; i < n; i++) {
        cp_release(out[i]);
        out[i] = NULL;
    }
    if (cp_aws_read_rest(c, read, states, NULL, n, out) != 0) return cp_aws_batch_fail(out, n);
    return 0;
}
