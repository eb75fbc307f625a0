/*
 * lambda_permission.c: aws_lambda_permission — one statement of a Lambda
 * function's resource policy, e.g. letting S3 invoke it (id = statement
 * id; import by "<function_name>/<statement_id>"). Every argument is
 * force-new: Lambda has no call to change a statement. Read fetches the
 * policy (GetPolicy) and finds the statement by its Sid.
 *
 * No batch read: GetPolicy returns one function's policy a call.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/lambda_common.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *validate_sid(const cp_value *v)
{
    size_t n = cp_string_len(v);
    const char *s = cp_string_val(v);
    if (n < 1 || n > 100 ||
        strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != n)
        return "statement_id is 1 to 100 letters, digits, '-' and '_'";
    return NULL;
}

static const char *validate_action(const cp_value *v)
{
    return strncmp(cp_string_val(v), "lambda:", 7) == 0
               ? NULL
               : "action is a Lambda action such as \"lambda:InvokeFunction\"";
}

static const cp_schema_attr attrs[] = {
    { .name = "statement_id",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .validate = validate_sid,
      .description =
          "Statement id, unique within the function's policy. Default: cpstack- and a random suffix, made up at apply." },
    { .name = "action",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = validate_action,
      .description = "Action allowed, e.g. `lambda:InvokeFunction`." },
    { .name = "function_name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .description = "Name or ARN of the function." },
    { .name = "principal",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .description = "Who may call: a service (`s3.amazonaws.com`), an account id or an ARN." },
    { .name = "source_arn",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "Allow only calls from this resource (e.g. the bucket's ARN)." },
    { .name = "source_account",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "Allow only calls from resources of this account." },
    { .name = "id", .type = CP_AT_STRING, .flags = CP_COMPUTED, .description = "Statement id." },
    { NULL },
};

static const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* The statement with Sid sid in the policy document text, or NULL (borrowed from doc). */
static json_t *find_statement(json_t *doc, const char *sid)
{
    size_t i;
    json_t *st;
    json_array_foreach(json_object_get(doc, "Statement"), i,
                       st) if (jstr(st, "Sid") && !strcmp(jstr(st, "Sid"), sid)) return st;
    return NULL;
}

/* Principal as the user wrote it: a service, or an account id for ...:root. */
static cp_value *principal_of(const json_t *st)
{
    json_t *p = json_object_get(st, "Principal");
    const char *svc = jstr(p, "Service"),
               *aws = json_is_string(p) ? json_string_value(p) : jstr(p, "AWS");
    if (svc) return cp_string(svc);
    if (aws && !strncmp(aws, "arn:aws:iam::", 13) && strlen(aws) == 13 + 12 + 5 &&
        !strcmp(aws + 25, ":root"))
        return cp_string_n(aws + 13, 12);
    return aws ? cp_string(aws) : cp_null();
}

static cp_value *state_of(const cp_value *prev, const char *fn, json_t *st)
{
    cp_value *s = cp_state_complete(attrs, prev);
    json_t *cond = json_object_get(st, "Condition");
    cp_set_str(s, "statement_id", jstr(st, "Sid"));
    cp_set_str(s, "id", jstr(st, "Sid"));
    cp_set_str(s, "function_name", fn);
    json_t *action = json_object_get(st, "Action");
    cp_set_str(s, "action",
               json_is_array(action) ? json_string_value(json_array_get(action, 0))
                                     : json_string_value(action));
    cp_set_take(s, "principal", principal_of(st));
    cp_set_str(s, "source_arn", jstr(json_object_get(cond, "ArnLike"), "AWS:SourceArn"));
    cp_set_str(s, "source_account",
               jstr(json_object_get(cond, "StringEquals"), "AWS:SourceAccount"));
    return s;
}

/* Reads statement sid of function fn: 0 with *out (NULL when gone) or -1. */
static int read_statement(cp_provider_call *c, const cp_value *prev, const char *fn,
                          const char *sid, cp_value **out)
{
    char *path = lambda_fn_path(fn, "/policy");
    json_t *res = NULL;
    int rc = lambda_call(c, "GetPolicy", "GET", path, NULL, NULL, lambda_gone, &res);
    free(path);
    *out = NULL;
    if (rc != 0) return rc < 0 ? -1 : 0;
    json_t *doc = json_loads(jstr(res, "Policy") ? jstr(res, "Policy") : "", 0, NULL);
    json_t *st = doc ? find_statement(doc, sid) : NULL;
    if (st) *out = state_of(prev, fn, st);
    json_decref(doc);
    json_decref(res);
    return 0;
}

static int perm_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    const char *id = cp_get_str(state, "id"), *fn = cp_get_str(state, "function_name");
    if (fn) return read_statement(c, state, fn, id, out);
    const char *slash = id ? strrchr(id, '/') : NULL; /* import: "<function>/<sid>" */
    if (!slash)
        return cp_fail(c, "%s: import id \"%s\" is not <function_name>/<statement_id>", c->address,
                       id ? id : "");
    char *f = cp_xstrndup(id, (size_t)(slash - id));
    int rc = read_statement(c, state, f, slash + 1, out);
    free(f);
    return rc;
}

static int perm_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    json_t *b =
        json_pack("{s:s, s:s, s:s}", "StatementId", cp_get_str(config, "statement_id"), "Action",
                  cp_get_str(config, "action"), "Principal", cp_get_str(config, "principal"));
    if (cp_get_str(config, "source_arn"))
        json_object_set_new(b, "SourceArn", json_string(cp_get_str(config, "source_arn")));
    if (cp_get_str(config, "source_account"))
        json_object_set_new(b, "SourceAccount", json_string(cp_get_str(config, "source_account")));
    char *path = lambda_fn_path(cp_get_str(config, "function_name"), "/policy");
    aws_set_no_resend(true); /* sent once: a lost answer is looked up (find) */
    int rc = lambda_call(c, "AddPermission", "POST", path, NULL, b, NULL, NULL);
    aws_set_no_resend(false);
    free(path);
    json_decref(b);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", cp_get_str(config, "statement_id"));
    *state = s;
    return 0;
}

static int perm_delete(cp_provider_call *c, const cp_value *state)
{
    char *sid = lambda_escape(cp_get_str(state, "id")), *suffix = cp_xasprintf("/policy/%s", sid);
    char *path = lambda_fn_path(cp_get_str(state, "function_name"), suffix);
    int rc = lambda_call(c, "RemovePermission", "DELETE", path, NULL, NULL, lambda_gone, NULL);
    free(sid);
    free(suffix);
    free(path);
    return rc < 0 ? -1 : 0;
}

static int perm_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, perm_read, id, state);
}

/* An interrupted create is found by its statement_id, read as its id. */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, perm_read, intent, "statement_id", state);
}

const cp_resource_type cp_aws_lambda_permission = {
    .name = "aws_lambda_permission",
    .description =
        "Permission for a service or account to invoke a Lambda function "
        "(import by `<function_name>/<statement_id>`)."
        " Deliberate differences from the Terraform AWS provider: a statement_id left out is made "
        "up as cpstack- and a random suffix (Terraform's start terraform-).",
    .attrs = attrs,
    .create = perm_create,
    .read = perm_read,
    .delete = perm_delete,
    .import = perm_import,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "statement_id",
    .find = rec_find,
};
