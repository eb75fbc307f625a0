/*
 * appautoscaling_common.c: helpers shared by the Application Auto Scaling
 * types (see appautoscaling_common.h).
 */
#include "providers/aws/appautoscaling_common.h"
#include "providers/aws/batch.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

const char *const aas_gone[] = { "ObjectNotFoundException", NULL };

const char *aas_validate_namespace(const cp_value *v)
{
    static const char *const ok[] = {
        "ecs",         "elasticmapreduce", "ec2",        "appstream", "dynamodb",  "rds",
        "sagemaker",   "custom-resource",  "comprehend", "lambda",    "cassandra", "kafka",
        "elasticache", "neptune",          "workspaces", NULL
    };
    for (const char *const *p = ok; *p; p++)
        if (!strcmp(cp_string_val(v), *p)) return NULL;
    return "service_namespace is an Application Auto Scaling namespace such as ecs, dynamodb, rds, lambda or ec2";
}

int aas_split_id(const char *id, char **ns, char **resource, char **dimension)
{
    const char *first = id ? strchr(id, '/') : NULL, *last = id ? strrchr(id, '/') : NULL;
    if (!first || last == first) return -1;
    *ns = cp_xstrndup(id, (size_t)(first - id));
    *resource = cp_xstrndup(first + 1, (size_t)(last - first - 1));
    *dimension = cp_xstrdup(last + 1);
    return 0;
}

int aas_describe_all(cp_provider_call *c, const char *op, json_t *in, const char *list,
                     aas_item_fn item, void *ud)
{
    int rc = 0;
    for (;;) {
        json_t *r = NULL;
        if (cp_aws_json(c, AAS_SERVICE, op, in, NULL, &r) != 0) {
            rc = -1;
            break;
        }
        size_t i;
        json_t *x;
        json_array_foreach(json_object_get(r, list), i, x)
        {
            if (rc == 0) rc = item(ud, x);
        }
        const char *next = json_string_value(json_object_get(r, "NextToken"));
        bool more = rc == 0 && next && *next;
        if (more) json_object_set_new(in, "NextToken", json_string(next));
        json_decref(r);
        if (!more) break;
    }
    json_object_del(in, "NextToken");
    return rc;
}

enum { AAS_NAMES_PER_CALL = 50 }; /* ResourceIds / PolicyNames: at most 50 (the API's model) */

typedef struct batch_page {
    const aas_batch *b;
    const cp_value *const *states;
    const size_t *idx;
    size_t k;
    cp_value **out;
} batch_page;

static int take_item(void *ud, const json_t *x)
{
    batch_page *p = ud;
    for (size_t j = 0; j < p->k; j++) {
        size_t i = p->idx[j];
        if (!p->out[i] && p->b->match(x, p->states[i])) p->out[i] = p->b->fill(x, p->states[i]);
    }
    return 0;
}

static bool has_name(const json_t *names, const char *name)
{
    size_t i;
    json_t *v;
    json_array_foreach(names, i, v)
    {
        if (!strcmp(json_string_value(v), name)) return true;
    }
    return false;
}

int aas_read_batch(cp_provider_call *c, const aas_batch *b, cp_read_fn read,
                   const cp_value *const *states, size_t n, cp_value **out)
{
    bool *done = cp_xcalloc(n, sizeof *done), *alone = cp_xcalloc(n, sizeof *alone);
    size_t *idx = cp_xcalloc(n ? n : 1, sizeof *idx);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        out[i] = NULL;
        alone[i] = !cp_get_str(states[i], "service_namespace") || !b->name_of(states[i]);
        done[i] = alone[i];
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (done[i]) continue;
        const char *ns = cp_get_str(states[i], "service_namespace");
        json_t *names = json_array();
        size_t k = 0;
        for (size_t j = i; j < n; j++) {
            if (done[j] || strcmp(cp_get_str(states[j], "service_namespace"), ns) != 0) continue;
            const char *name = b->name_of(states[j]);
            if (!has_name(names, name)) {
                if (json_array_size(names) == AAS_NAMES_PER_CALL) continue; /* the next call's */
                json_array_append_new(names, json_string(name));
            }
            done[j] = true;
            idx[k++] = j;
        }
        json_t *in = json_pack("{s:s, s:o}", "ServiceNamespace", ns, b->names, names);
        batch_page p = { b, states, idx, k, out };
        rc = aas_describe_all(c, b->op, in, b->list, take_item, &p);
        json_decref(in);
    }
    if (rc == 0) rc = cp_aws_read_rest(c, read, states, alone, n, out);
    free(done);
    free(alone);
    free(idx);
    if (rc == 0) return 0;
    for (size_t i = 0; i < n; i++) {
        cp_release(out[i]);
        out[i] = NULL;
    }
    return -1;
}
