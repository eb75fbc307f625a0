/*
 * lambda_function.c: aws_lambda_function — a Lambda function from a zip
 * package (id = function name). The package is a local zip (filename) or a
 * folder that cpstack zips deterministically (source_dir). source_code_hash
 * is Lambda's CodeSha256 (base64 SHA-256 of the zip); plan_known computes
 * it from the local package at plan time, so a changed source shows as an
 * in-place update (UpdateFunctionCode). Configuration changes go through
 * UpdateFunctionConfiguration; each change waits until Lambda reports the
 * update done, as the next one would fail while it is in progress.
 *
 * A role created in the same apply is not yet assumable by Lambda for a
 * few seconds: create retries that one error for a bounded time.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/batch.h"
#include "providers/aws/lambda_common.h"
#include "util/xalloc.h"

#include <mbedtls/base64.h>
#include <stdlib.h>
#include <string.h>

#define ROLE_RETRY_S     120 /* how long a new role may take to become assumable */
#define SETTLE_TIMEOUT_S 300

static const char *validate_name(const cp_value *v)
{
    size_t n = cp_string_len(v);
    const char *s = cp_string_val(v);
    if (n < 1 || n > 64 ||
        strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != n)
        return "function_name is 1 to 64 letters, digits, '-' and '_'";
    return NULL;
}

static const char *validate_role(const cp_value *v)
{
    return strncmp(cp_string_val(v), "arn:", 4) == 0
               ? NULL
               : "role is the ARN of an IAM role (arn:aws:iam::<account>:role/<name>), e.g. aws_iam_role.x.arn";
}

static const char *validate_timeout(const cp_value *v)
{
    double n = cp_number_val(v);
    return n >= 1 && n <= 900 && n == (long)n
               ? NULL
               : "timeout is a whole number of seconds from 1 to 900";
}

static const char *validate_memory(const cp_value *v)
{
    double n = cp_number_val(v);
    return n >= 128 && n <= 32768 && n == (long)n
               ? NULL
               : "memory_size is a whole number of MB from 128 to 32768";
}

static const cp_schema_attr env_attrs[] = {
    { .name = "variables",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Environment variables of the function." },
    { NULL },
};

static const cp_schema_attr attrs[] = {
    { .name = "function_name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = validate_name,
      .description = "Name of the function." },
    { .name = "role",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = validate_role,
      .description = "ARN of the execution role (trusting `lambda.amazonaws.com`)." },
    { .name = "handler",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Entry point of the function, e.g. `main.handler`." },
    { .name = "runtime",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Runtime of the function, e.g. `python3.12`." },
    { .name = "filename",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Path of a local zip package (or use source_dir)." },
    { .name = "source_dir",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Local folder that cpstack zips into the package (or use filename)." },
    { .name = "source_code_hash",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "Base64 SHA-256 of the package; a change updates the code." },
    { .name = "timeout",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .default_json = "3",
      .validate = validate_timeout,
      .description = "Seconds a run may take. Default 3." },
    { .name = "memory_size",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .default_json = "128",
      .validate = validate_memory,
      .description =
          "Memory of the function in MB: 128 to 32768 (botocore's range, as Terraform documents it; AWS caps a function outside Lambda Managed Instances at 10240). Default 128." },
    { .name = "description",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Description of the function." },
    { .name = "environment",
      .type = CP_AT_BLOCKS,
      .flags = CP_OPTIONAL,
      .block = env_attrs,
      .max_items = 1,
      .description = "Environment of the function: `environment { variables = {...} }`." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the function." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Name of the function." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the function." },
    { .name = "invoke_arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN for API Gateway integrations." },
    { .name = "qualified_arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the function with its version." },
    { .name = "version",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Version of the function (`$LATEST`)." },
    { .name = "last_modified",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Time of the last change." },
    { .name = "source_code_size",
      .type = CP_AT_NUMBER,
      .flags = CP_COMPUTED,
      .description = "Size of the package in bytes." },
    { NULL },
};

/* --- reading ------------------------------------------------------------------------ */

static const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* An optional string as state keeps it: AWS's "" stays null when prev was null. */
static void set_opt(cp_value *s, const char *key, const char *v, const cp_value *prev)
{
    cp_set_str(s, key, v && (*v || cp_get_str(prev, key)) ? v : NULL);
}

static cp_value *env_block(const json_t *cfg)
{
    json_t *vars = json_object_get(json_object_get(cfg, "Environment"), "Variables");
    cp_value *l = cp_list_new();
    if (!json_object_size(vars)) return l;
    cp_value *m = cp_map_new(), *v = cp_map_new();
    const char *k;
    json_t *x;
    json_object_foreach(vars, k, x)
        cp_set_str(v, k, json_string_value(x) ? json_string_value(x) : "");
    cp_set_take(m, "variables", v);
    cp_list_push_take(l, m);
    return l;
}

static cp_value *tags_of(const json_t *tags, const cp_value *prev)
{
    cp_value *m = cp_map_new();
    const char *k;
    json_t *x;
    json_object_foreach((json_t *)tags, k, x)
        cp_set_str(m, k, json_string_value(x) ? json_string_value(x) : "");
    return cp_tags_keep_take(m, cp_map_get(prev, "tags"));
}

static void set_arns(cp_value *s, const char *region, const char *arn, const char *version)
{
    cp_set_str(s, "arn", arn);
    cp_set_take(s, "invoke_arn",
                cp_stringf("arn:aws:apigateway:%s:lambda:path/2015-03-31/functions/%s/invocations",
                           region, arn));
    cp_set_take(s, "qualified_arn", cp_stringf("%s:%s", arn, version ? version : "$LATEST"));
    cp_set_str(s, "version", version);
}

static cp_value *state_of(cp_provider_call *c, const cp_value *prev, const json_t *res)
{
    json_t *cfg = json_object_get(res, "Configuration");
    cp_value *s = cp_state_complete(attrs, prev);
    cp_set_str(s, "id", jstr(cfg, "FunctionName"));
    cp_set_str(s, "function_name", jstr(cfg, "FunctionName"));
    cp_set_str(s, "role", jstr(cfg, "Role"));
    set_opt(s, "handler", jstr(cfg, "Handler"), prev);
    set_opt(s, "runtime", jstr(cfg, "Runtime"), prev);
    set_opt(s, "description", jstr(cfg, "Description"), prev);
    cp_set_num(s, "timeout", (double)json_integer_value(json_object_get(cfg, "Timeout")));
    cp_set_num(s, "memory_size", (double)json_integer_value(json_object_get(cfg, "MemorySize")));
    cp_set_take(s, "environment", env_block(cfg));
    cp_set_str(s, "source_code_hash", jstr(cfg, "CodeSha256"));
    cp_set_num(s, "source_code_size", (double)json_integer_value(json_object_get(cfg, "CodeSize")));
    cp_set_str(s, "last_modified", jstr(cfg, "LastModified"));
    set_arns(s, aws_client_region(cp_aws_client(c)), jstr(cfg, "FunctionArn"),
             jstr(cfg, "Version"));
    cp_set_take(s, "tags", tags_of(json_object_get(res, "Tags"), prev));
    return s;
}

static int fn_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    char *path = lambda_fn_path(cp_get_str(state, "id"), NULL);
    json_t *res = NULL;
    int rc = lambda_call(c, "GetFunction", "GET", path, NULL, NULL, lambda_gone, &res);
    free(path);
    if (rc == 0) *out = state_of(c, state, res);
    json_decref(res);
    return rc < 0 ? -1 : 0;
}

/* --- batch refresh --------------------------------------------------------------------
 * ListFunctions (pages of 50: the region's functions) has every configuration read()
 * keeps but the tags; those come from one Tagging API call, with GetFunction where it
 * disagrees with the state (batch.h). A function not listed is confirmed gone by read().
 * Costs one call per 50 functions in the region plus one, instead of one per function:
 * worth it when the stack holds a good share of the region's functions. */
static int list_functions(cp_provider_call *c, json_t **fns)
{
    *fns = json_object();
    char *marker = NULL;
    do {
        aws_params *q = aws_params_new();
        aws_params_add(q, "MaxItems", "50");
        if (marker) aws_params_add(q, "Marker", marker);
        free(marker);
        marker = NULL;
        json_t *res = NULL;
        int rc =
            lambda_call(c, "ListFunctions", "GET", "/2015-03-31/functions/", q, NULL, NULL, &res);
        aws_params_free(q);
        if (rc != 0) return -1;
        size_t i;
        json_t *f;
        json_array_foreach(json_object_get(res, "Functions"), i, f) if (jstr(f, "FunctionName"))
            json_object_set(*fns, jstr(f, "FunctionName"), f);
        if (jstr(res, "NextMarker") && *jstr(res, "NextMarker"))
            marker = cp_xstrdup(jstr(res, "NextMarker"));
        json_decref(res);
    } while (marker);
    return 0;
}

static int fn_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                         cp_value **out)
{
    json_t *fns;
    for (size_t i = 0; i < n; i++) out[i] = NULL;
    if (list_functions(c, &fns) != 0) {
        json_decref(fns);
        return cp_aws_batch_fallback(c, fn_read, states, n, out);
    }
    const char **arns = cp_xcalloc(n, sizeof *arns);
    cp_value **tags = cp_xcalloc(n, sizeof *tags);
    for (size_t i = 0; i < n; i++) {
        const char *id = cp_get_str(states[i], "id");
        json_t *f = id ? json_object_get(fns, id) : NULL;
        if (!f) continue;
        json_t *res = json_pack("{s:O}", "Configuration", f);
        out[i] = state_of(c, states[i], res);
        json_decref(res);
        arns[i] = cp_get_str(out[i], "arn");
    }
    json_decref(fns);
    cp_aws_tags_many(c, arns, n, tags);
    for (size_t i = 0; i < n; i++) {
        cp_value *keep;
        if (out[i] && cp_aws_tags_agree(tags[i], cp_map_get(states[i], "tags"), &keep)) {
            cp_set_take(out[i], "tags", keep);
        } else if (out[i]) { /* tags to confirm: read it whole */
            cp_release(out[i]);
            out[i] = NULL;
        }
        cp_release(tags[i]);
    }
    free(tags);
    free(arns);
    if (cp_aws_read_rest(c, fn_read, states, NULL, n, out) != 0) return cp_aws_batch_fail(out, n);
    return 0;
}

/* --- waiting for Lambda to finish a create or an update ----------------------------- */

static int settled(cp_provider_call *c, void *ud, bool *done)
{
    char *path = lambda_fn_path(ud, "/configuration");
    json_t *cfg = NULL;
    int rc = lambda_call(c, "GetFunctionConfiguration", "GET", path, NULL, NULL, NULL, &cfg);
    free(path);
    if (rc != 0) return -1;
    const char *state = jstr(cfg, "State"), *upd = jstr(cfg, "LastUpdateStatus");
    if ((state && !strcmp(state, "Failed")) || (upd && !strcmp(upd, "Failed")))
        rc = cp_fail(
            c,
            "%s: Lambda reports the function failed: %s; fix the package or settings and apply again",
            c->address,
            jstr(cfg, "StateReason")              ? jstr(cfg, "StateReason")
            : jstr(cfg, "LastUpdateStatusReason") ? jstr(cfg, "LastUpdateStatusReason")
                                                  : "no reason given");
    *done = state && !strcmp(state, "Active") && (!upd || strcmp(upd, "InProgress") != 0);
    json_decref(cfg);
    return rc;
}

static int wait_settled(cp_provider_call *c, const char *name)
{
    return cp_aws_wait(c, "the function to become active", SETTLE_TIMEOUT_S, 1000, settled,
                       (void *)name);
}

/* --- create ------------------------------------------------------------------------- */

/* The package of config as base64 text (malloc'd), or NULL with c->error set. */
static char *package_b64(cp_provider_call *c, const cp_value *config)
{
    cp_buf zip = { 0 };
    char *why = NULL;
    if (lambda_package(config, &zip, &why) != 0) {
        cp_fail(c, "%s: %s; fix the path and run apply again", c->address, why);
        free(why);
        cp_buf_free(&zip);
        return NULL;
    }
    size_t cap = 4 * ((zip.len + 2) / 3) + 1, olen = 0;
    unsigned char *b64 = cp_xmalloc(cap);
    mbedtls_base64_encode(b64, cap, &olen, (const unsigned char *)(zip.data ? zip.data : ""),
                          zip.len);
    b64[olen] = 0;
    cp_buf_free(&zip);
    return (char *)b64;
}

/* The configuration fields shared by CreateFunction and UpdateFunctionConfiguration. */
static json_t *config_body(const cp_value *config)
{
    json_t *b = json_object();
    json_object_set_new(b, "FunctionName", json_string(cp_get_str(config, "function_name")));
    json_object_set_new(b, "Role", json_string(cp_get_str(config, "role")));
    const char *opt[][2] = { { "handler", "Handler" }, { "runtime", "Runtime" } };
    for (size_t i = 0; i < 2; i++)
        if (cp_get_str(config, opt[i][0]))
            json_object_set_new(b, opt[i][1], json_string(cp_get_str(config, opt[i][0])));
    const char *desc = cp_get_str(config, "description");
    json_object_set_new(b, "Description", json_string(desc ? desc : ""));
    json_object_set_new(b, "Timeout", json_integer((json_int_t)cp_get_num(config, "timeout", 3)));
    json_object_set_new(b, "MemorySize",
                        json_integer((json_int_t)cp_get_num(config, "memory_size", 128)));
    const cp_value *vars = cp_get_map(cp_get_block(config, "environment"), "variables");
    json_object_set_new(b, "Environment",
                        json_pack("{s:o}", "Variables", cp_aws_tags_to_json(vars, NULL, NULL)));
    return b;
}

/* CreateFunction, run by cp_aws_retry_codes. A role not yet assumable gives
 * InvalidParameterValueException, but so does a bad zip: only the first is
 * retried, the others are kept in `other` and end the retry loop. */
typedef struct create_op {
    json_t *body;
    aws_error other;
} create_op;

static int create_once(cp_provider_call *c, void *ud, aws_error *err)
{
    create_op *op = ud;
    json_t *out = NULL;
    aws_set_no_resend(true); /* sent once: a lost answer is looked up (find) */
    int rc = aws_rest_json_call(cp_aws_client(c), "lambda", "CreateFunction", "POST",
                                "/2015-03-31/functions", NULL, op->body, &out, err);
    aws_set_no_resend(false);
    json_decref(out);
    if (rc == 0) return 0;
    if (aws_error_is(err, "InvalidParameterValueException") && err->message &&
        !strstr(err->message, "cannot be assumed")) {
        op->other = *err; /* not the role: stop retrying */
        memset(err, 0, sizeof *err);
        return 0;
    }
    return -1;
}

static int fn_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    char *zip = package_b64(c, config);
    if (!zip) return -1;
    create_op op = { config_body(config), { 0 } };
    json_object_set_new(op.body, "Code", json_pack("{s:s}", "ZipFile", zip));
    free(zip);
    const cp_value *tags = cp_get_map(config, "tags");
    if (tags && cp_len(tags))
        json_object_set_new(op.body, "Tags", cp_aws_tags_to_json(tags, NULL, NULL));
    static const char *const role_codes[] = { "InvalidParameterValueException", NULL };
    aws_error err = { 0 };
    int rc = cp_aws_retry_codes(c, role_codes, ROLE_RETRY_S, create_once, &op, &err);
    json_decref(op.body);
    if (rc != 0) return cp_aws_fail(c, &err, "CreateFunction");
    if (op.other.code) return cp_aws_fail(c, &op.other, "CreateFunction");
    const char *name = cp_get_str(config, "function_name");
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", name);
    rc = wait_settled(c, name);
    return cp_aws_finish_take(c, rc, fn_read, s, "the function", state);
}

/* --- update ------------------------------------------------------------------------- */

static int update_code(cp_provider_call *c, const char *name, const cp_value *config)
{
    char *zip = package_b64(c, config);
    if (!zip) return -1;
    json_t *b = json_pack("{s:s}", "ZipFile", zip);
    free(zip);
    char *path = lambda_fn_path(name, "/code");
    int rc = lambda_call(c, "UpdateFunctionCode", "PUT", path, NULL, b, NULL, NULL);
    free(path);
    json_decref(b);
    return rc == 0 ? wait_settled(c, name) : -1;
}

static int update_config(cp_provider_call *c, const char *name, const cp_value *config)
{
    json_t *b = config_body(config);
    json_object_del(b, "FunctionName");
    char *path = lambda_fn_path(name, "/configuration");
    int rc = lambda_call(c, "UpdateFunctionConfiguration", "PUT", path, NULL, b, NULL, NULL);
    free(path);
    json_decref(b);
    return rc == 0 ? wait_settled(c, name) : -1;
}

static int update_tags(cp_provider_call *c, const char *arn, const cp_value *old,
                       const cp_value *now)
{
    char *e = lambda_escape(arn), *path = cp_xasprintf("/2017-03-31/tags/%s", e);
    free(e);
    cp_value *gone = cp_tags_removed(old, now);
    int rc = 0;
    if (cp_len(gone)) {
        aws_params *q = aws_params_new();
        for (size_t i = 0; i < cp_len(gone); i++)
            aws_params_add(q, "tagKeys", cp_string_val(cp_list_get(gone, i)));
        rc = lambda_call(c, "UntagResource", "DELETE", path, q, NULL, NULL, NULL);
        aws_params_free(q);
    }
    if (rc == 0 && now && cp_len(now)) {
        json_t *b = json_pack("{s:o}", "Tags", cp_aws_tags_to_json(now, NULL, NULL));
        rc = lambda_call(c, "TagResource", "POST", path, NULL, b, NULL, NULL);
        json_decref(b);
    }
    cp_release(gone);
    free(path);
    return rc == 0 ? 0 : -1;
}

static bool code_changed(const cp_value *old, const cp_value *config)
{
    const char *want = cp_get_str(config, "source_code_hash");
    cp_buf zip = { 0 };
    char *why = NULL, hash[45] = "";
    if (!want && lambda_package(config, &zip, &why) == 0) {
        lambda_sha256_b64(zip.data ? zip.data : "", zip.len, hash);
        want = hash;
    }
    free(why);
    cp_buf_free(&zip);
    const char *have = cp_get_str(old, "source_code_hash");
    return !want || !have || strcmp(want, have) != 0;
}

static int fn_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                     cp_value **state)
{
    const char *name = cp_get_str(old, "id");
    static const char *const conf[] = { "role",        "handler",     "runtime",     "timeout",
                                        "memory_size", "description", "environment", NULL };
    bool conf_changed = false;
    for (const char *const *k = conf; *k; k++) conf_changed |= cp_changed(old, config, *k);
    int rc = code_changed(old, config) ? update_code(c, name, config) : 0;
    if (rc == 0 && conf_changed) rc = update_config(c, name, config);
    if (rc == 0 && cp_changed(old, config, "tags"))
        rc = update_tags(c, cp_get_str(old, "arn"), cp_get_map(old, "tags"),
                         cp_get_map(config, "tags"));
    if (rc != 0) return -1;
    return cp_aws_reread(c, fn_read, attrs, config, name, state);
}

/* --- delete, import, plan ---------------------------------------------------------- */

static int fn_delete(cp_provider_call *c, const cp_value *state)
{
    char *path = lambda_fn_path(cp_get_str(state, "id"), NULL);
    int rc = lambda_call(c, "DeleteFunction", "DELETE", path, NULL, NULL, lambda_gone, NULL);
    free(path);
    return rc < 0 ? -1 : 0;
}

static int fn_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, fn_read, id, state);
}

/* source_code_hash from the local package, so a changed source plans an update. */
static cp_value *fn_plan_known(const cp_value *config)
{
    cp_value *m = cp_map_new();
    const cp_value *f = cp_map_get(config, "filename"), *d = cp_map_get(config, "source_dir");
    if (cp_get_str(config, "source_code_hash") || (f && cp_is_unknown(f)) ||
        (d && cp_is_unknown(d)))
        return m;
    cp_buf zip = { 0 };
    char *why = NULL, hash[45];
    if (lambda_package(config, &zip, &why) == 0) {
        lambda_sha256_b64(zip.data ? zip.data : "", zip.len, hash);
        cp_set_str(m, "source_code_hash", hash);
    }
    free(why);
    cp_buf_free(&zip);
    return m;
}

/* An interrupted create is found by its function_name, read as its id. */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, fn_read, intent, "function_name", state);
}

const cp_resource_type cp_aws_lambda_function = {
    .name = "aws_lambda_function",
    .description = "A Lambda function from a local zip or folder (import by function name).",
    .attrs = attrs,
    .create = fn_create,
    .read = fn_read,
    .read_batch = fn_read_batch,
    .update = fn_update,
    .delete = fn_delete,
    .import = fn_import,
    .plan_known = fn_plan_known,
    .validate_config = lambda_validate_code,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "function_name",
    .find = rec_find,
};
