/*
 * iam_policy_attach.c: the shared implementation of
 * aws_iam_user_policy_attachment and aws_iam_role_policy_attachment — a
 * managed policy attached to a user or role (id = "<owner>/<policy arn>",
 * Terraform's import form). Nothing to update: both arguments force a new
 * attachment. Attaching right after the owner was created may meet IAM's
 * eventual consistency (NoSuchEntity): retried for a bounded time.
 */
#include "providers/aws/iam_common.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct attach_op {
    const iam_owner *o;
    const char *action, *owner, *arn;
} attach_op;

static int attach_call(cp_provider_call *c, void *ud, aws_error *err)
{
    const attach_op *a = ud;
    aws_params *p = aws_params_new();
    aws_params_add(p, a->o->param, a->owner);
    aws_params_add(p, "PolicyArn", a->arn);
    xmlDocPtr doc = NULL;
    int rc = aws_query_call(cp_aws_client(c), "iam", a->action, p, &doc, err);
    xmlFreeDoc(doc);
    aws_params_free(p);
    return rc;
}

int iam_attach_create(const iam_owner *o, cp_provider_call *c, const cp_value *config,
                      cp_value **state)
{
    char action[64];
    snprintf(action, sizeof action, "Attach%sPolicy", o->kind);
    attach_op a = { o, action, cp_get_str(config, o->attr), cp_get_str(config, "policy_arn") };
    aws_error err = { 0 };
    if (cp_aws_retry_codes(c, iam_gone, 30, attach_call, &a, &err) != 0)
        return cp_aws_fail(c, &err, action);
    cp_value *s = cp_state_start(o->attrs, config);
    cp_set_take(s, "id", cp_stringf("%s/%s", a.owner, a.arn));
    *state = s;
    return 0;
}

static bool list_has(const cp_value *l, const char *s)
{
    for (size_t i = 0; i < cp_len(l); i++)
        if (strcmp(cp_string_val(cp_list_get(l, i)), s) == 0) return true;
    return false;
}

int iam_attach_read(const iam_owner *o, cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    const char *id = cp_get_str(state, "id"), *slash = id ? strchr(id, '/') : NULL;
    if (!slash)
        return cp_fail(c, "%s: id \"%s\" is not <%s name>/<policy arn>", c->address, id ? id : "",
                       o->attr);
    char *owner = cp_xstrndup(id, (size_t)(slash - id)), action[64], items[128];
    snprintf(action, sizeof action, "ListAttached%sPolicies", o->kind);
    snprintf(items, sizeof items, "%sResult/AttachedPolicies/member", action);
    cp_value *l;
    int rc = iam_list(c, action, o->param, owner, items, "PolicyArn", &l);
    if (rc == 0 && list_has(l, slash + 1)) {
        cp_value *s = cp_state_complete(o->attrs, state);
        cp_set_str(s, o->attr, owner);
        cp_set_str(s, "policy_arn", slash + 1);
        *out = s;
    }
    cp_release(l);
    free(owner);
    return rc < 0 ? -1 : 0;
}

int iam_attach_delete(const iam_owner *o, cp_provider_call *c, const cp_value *state)
{
    char action[64];
    snprintf(action, sizeof action, "Detach%sPolicy", o->kind);
    aws_params *p = aws_params_new();
    aws_params_add(p, o->param, cp_get_str(state, o->attr));
    aws_params_add(p, "PolicyArn", cp_get_str(state, "policy_arn"));
    int rc = cp_aws_query(c, "iam", action, p, iam_gone, NULL);
    aws_params_free(p);
    return rc < 0 ? -1 : 0;
}

int iam_attach_find(const iam_owner *o, cp_provider_call *c, const cp_value *intent,
                    cp_value **state)
{
    const char *owner = cp_get_str(intent, o->attr), *arn = cp_get_str(intent, "policy_arn");
    *state = NULL;
    if (!owner || !arn)
        return cp_fail(c, "%s: the intent of the interrupted create has no %s and policy_arn",
                       c->address, o->attr);
    cp_value *s = cp_prov_map_copy(intent);
    cp_set_take(s, "id", cp_stringf("%s/%s", owner, arn));
    int rc = iam_attach_read(o, c, s, state);
    cp_release(s);
    return rc;
}

/* ---- batch refresh ---------------------------------------------------------------------
 * GetAccountAuthorizationDetails for the owner kind (pages of 1000 owners) lists every
 * owner's attached policies: attachments of any number of owners cost one call per 1000
 * owners in the account, instead of a ListAttached<Kind>Policies each. One not listed is
 * read by read() (gone, or just made); a refused listing means one read each. */
static bool attached(const iam_owner *o, xmlNodePtr d, const char *arn)
{
    (void)o;
    for (xmlNodePtr p = d ? aws_xml_find(d, "AttachedManagedPolicies/member") : NULL; p;
         p = aws_xml_next(p)) {
        char *a = aws_xml_text(p, "PolicyArn");
        bool same = a && !strcmp(a, arn);
        free(a);
        if (same) return true;
    }
    return false;
}

int iam_attach_read_batch(const iam_owner *o, cp_provider_call *c, const cp_value *const *states,
                          size_t n, cp_value **out)
{
    for (size_t i = 0; i < n; i++) out[i] = NULL;
    iam_listing owners;
    if (iam_list_details(c, o->kind, &owners) != 0) {
        free(c->error);
        c->error = NULL;
        owners = (iam_listing){ 0 };
    }
    for (size_t i = 0; i < n; i++) {
        const char *id = cp_get_str(states[i], "id"), *slash = id ? strchr(id, '/') : NULL;
        if (!slash) continue;
        char *owner = cp_xstrndup(id, (size_t)(slash - id));
        if (attached(o, iam_listing_find(&owners, owner), slash + 1)) {
            out[i] = cp_state_complete(o->attrs, states[i]);
            cp_set_str(out[i], o->attr, owner);
            cp_set_str(out[i], "policy_arn", slash + 1);
        }
        free(owner);
    }
    iam_listing_free(&owners);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (!out[i]) rc = iam_attach_read(o, c, states[i], &out[i]);
    if (rc == 0) return 0;
    for (size_t i = 0; i < n; i++) {
        cp_release(out[i]);
        out[i] = NULL;
    }
    return -1;
}
