/*
 * iam_inline_policy.c: the shared implementation of aws_iam_user_policy
 * and aws_iam_role_policy — an inline policy document embedded in a user
 * or role (id = "<owner>:<policy name>"). Put<Kind>Policy both creates and
 * updates it. The two type files hold only their tables.
 */
#include "providers/aws/batch.h"
#include "providers/aws/iam_common.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static int put_policy(const iam_owner *o, cp_provider_call *c, const char *owner, const char *name,
                      const char *doc)
{
    char action[64];
    snprintf(action, sizeof action, "Put%sPolicy", o->kind);
    aws_params *p = aws_params_new();
    aws_params_add(p, o->param, owner);
    aws_params_add(p, "PolicyName", name);
    aws_params_add(p, "PolicyDocument", doc);
    int rc = cp_aws_query(c, "iam", action, p, NULL, NULL);
    aws_params_free(p);
    return rc;
}

int iam_inline_create(const iam_owner *o, cp_provider_call *c, const cp_value *config,
                      cp_value **state)
{
    const char *owner = cp_get_str(config, o->attr);
    char token[37], *gen = NULL;
    const char *name = cp_get_str(config, "name");
    if (!name) {
        aws_client_token(token);
        name = gen = cp_xasprintf("cpstack-%.8s", token);
    }
    int rc = put_policy(o, c, owner, name, cp_get_str(config, "policy"));
    if (rc == 0) {
        cp_value *s = cp_state_start(o->attrs, config);
        cp_set_str(s, "name", name);
        cp_set_take(s, "id", cp_stringf("%s:%s", owner, name));
        rc = iam_inline_read(o, c, s, state);
        cp_release(s);
        if (rc == 0 && !*state)
            rc = cp_fail(c,
                         "%s: the policy vanished right after it was created; "
                         "run apply again",
                         c->address);
    }
    free(gen);
    return rc;
}

int iam_inline_read(const iam_owner *o, cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    const char *id = cp_get_str(state, "id"), *colon = id ? strchr(id, ':') : NULL;
    if (!colon)
        return cp_fail(c, "%s: id \"%s\" is not <%s name>:<policy name>", c->address, id ? id : "",
                       o->attr);
    char *owner = cp_xstrndup(id, (size_t)(colon - id)), action[64];
    snprintf(action, sizeof action, "Get%sPolicy", o->kind);
    aws_params *p = aws_params_new();
    aws_params_add(p, o->param, owner);
    aws_params_add(p, "PolicyName", colon + 1);
    xmlDocPtr doc;
    int rc = cp_aws_query(c, "iam", action, p, iam_gone, &doc);
    aws_params_free(p);
    if (rc == 0) {
        char result[64];
        snprintf(result, sizeof result, "Get%sPolicyResult/PolicyDocument", o->kind);
        cp_value *s = cp_state_complete(o->attrs, state);
        cp_set_str(s, o->attr, owner);
        cp_set_str(s, "name", colon + 1);
        cp_set_take(s, "policy",
                    iam_policy_read(aws_xml_root(doc), result, cp_get_str(state, "policy")));
        xmlFreeDoc(doc);
        *out = s;
    }
    free(owner);
    return rc < 0 ? -1 : 0;
}

int iam_inline_update(const iam_owner *o, cp_provider_call *c, const cp_value *old,
                      const cp_value *config, cp_value **state)
{
    if (put_policy(o, c, cp_get_str(old, o->attr), cp_get_str(old, "name"),
                   cp_get_str(config, "policy")) != 0)
        return -1;
    return iam_inline_read(o, c, old, state) == 0 && *state
               ? 0
               : cp_fail(c, "%s: the policy vanished during the update; run apply again",
                         c->address);
}

int iam_inline_delete(const iam_owner *o, cp_provider_call *c, const cp_value *state)
{
    char action[64];
    snprintf(action, sizeof action, "Delete%sPolicy", o->kind);
    aws_params *p = aws_params_new();
    aws_params_add(p, o->param, cp_get_str(state, o->attr));
    aws_params_add(p, "PolicyName", cp_get_str(state, "name"));
    int rc = cp_aws_query(c, "iam", action, p, iam_gone, NULL);
    aws_params_free(p);
    return rc < 0 ? -1 : 0;
}

int iam_inline_find(const iam_owner *o, cp_provider_call *c, const cp_value *intent,
                    cp_value **state)
{
    const char *owner = cp_get_str(intent, o->attr), *name = cp_get_str(intent, "name");
    *state = NULL;
    if (!owner || !name)
        return cp_fail(c, "%s: the intent of the interrupted create has no %s and name to look for",
                       c->address, o->attr);
    cp_value *s = cp_prov_map_copy(intent);
    cp_set_take(s, "id", cp_stringf("%s:%s", owner, name));
    int rc = iam_inline_read(o, c, s, state);
    cp_release(s);
    return rc;
}

/* ---- batch refresh ---------------------------------------------------------------------
 * GetAccountAuthorizationDetails for the owner kind (pages of 1000 owners) holds every
 * owner's inline policies with their documents: policies of any number of owners cost
 * one call per 1000 owners in the account, instead of a GetRolePolicy each. A policy not
 * listed is read by Get<Kind>Policy (gone, or just made). */
static cp_value *inline_state(const iam_owner *o, xmlNodePtr pol, const cp_value *state,
                              const char *owner, const char *name)
{
    cp_value *s = cp_state_complete(o->attrs, state);
    cp_set_str(s, o->attr, owner);
    cp_set_str(s, "name", name);
    cp_set_take(s, "policy", iam_policy_read(pol, "PolicyDocument", cp_get_str(state, "policy")));
    return s;
}

/* The <kind>PolicyList member named name below the owner detail d, or NULL. */
static xmlNodePtr find_policy(const iam_owner *o, xmlNodePtr d, const char *name)
{
    char path[64];
    snprintf(path, sizeof path, "%sPolicyList/member", o->kind);
    for (xmlNodePtr p = d ? aws_xml_find(d, path) : NULL; p; p = aws_xml_next(p)) {
        char *n = aws_xml_text(p, "PolicyName");
        bool same = n && !strcmp(n, name);
        free(n);
        if (same) return p;
    }
    return NULL;
}

int iam_inline_read_batch(const iam_owner *o, cp_provider_call *c, const cp_value *const *states,
                          size_t n, cp_value **out)
{
    for (size_t i = 0; i < n; i++) out[i] = NULL;
    iam_listing owners;
    int rc = iam_list_details(c, o->kind, &owners);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const char *id = cp_get_str(states[i], "id"), *colon = id ? strchr(id, ':') : NULL;
        if (!colon) continue;
        char *owner = cp_xstrndup(id, (size_t)(colon - id));
        xmlNodePtr pol = find_policy(o, iam_listing_find(&owners, owner), colon + 1);
        if (pol) out[i] = inline_state(o, pol, states[i], owner, colon + 1);
        free(owner);
    }
    iam_listing_free(&owners);
    if (rc != 0) { /* no listing (permission?): one Get<Kind>Policy each, as before */
        free(c->error);
        c->error = NULL;
        rc = 0;
    }
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (!out[i]) rc = iam_inline_read(o, c, states[i], &out[i]);
    return rc == 0 ? 0 : cp_aws_batch_fail(out, n);
}
