/*
 * provider_cpstack.c: the "cpstack" provider — facts about cpstack's own
 * stacks. Today one data source, cpstack_stack: another stack's outputs,
 * read from its state through its backend without taking its lock (a plan
 * here never waits for, or blocks, a run there), as Terraform's
 * terraform_remote_state does. Sensitive outputs stay sensitive.
 *
 * Where the other stack's state lives (worked out by the program, through
 * cp_provider_host): `dir` = its stack directory (local state in
 * <dir>/.cpstack); `backend` + `config` = a backend as a stack block would
 * give it; neither = this stack's backend with the other stack's name as
 * its key (S3: <bucket>/<stack>/<branch>.cpstate), or, for local state,
 * the sibling directory ../<stack>. The branch defaults to this run's.
 * The provider never reads a state file itself.
 */
#include "providers/attrs.h"
#include "providers/builtin.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

typedef struct cpstack_client {
    cp_provider_host host;
    char *branch; /* this run's */
} cpstack_client;

static const cp_schema_attr stack_attrs[] = {
    { .name = "stack",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = cp_prov_validate_nonempty,
      .description = "Name of the other stack (its stack block's label)." },
    { .name = "branch",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "Its branch to read; default: this run's branch." },
    { .name = "dir",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Its stack directory (relative to this stack's), state in <dir>/.cpstack; "
                     "default for local state: ../<stack>." },
    { .name = "backend",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Its backend type (local or s3); default: this stack's." },
    { .name = "config",
      .type = CP_AT_MAP,
      .elem = CP_AT_ANY,
      .flags = CP_OPTIONAL,
      .description = "Its backend's settings, as its backend block sets them; default: this "
                     "stack's, with key = the other stack's name." },
    { .name = "outputs",
      .type = CP_AT_MAP,
      .elem = CP_AT_ANY,
      .flags = CP_COMPUTED,
      .description = "Its outputs by name; sensitive ones stay sensitive." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "<stack>/<branch>." },
    { NULL },
};

static void ref_set(cp_value *ref, const cp_value *config, const char *key)
{
    const cp_value *v = cp_prov_get(config, key);
    cp_map_set_take(ref, key, v ? cp_retain(v) : cp_null());
}

static int stack_read_data(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const cpstack_client *cl = c->client;
    const char *stack = cp_get_str(config, "stack");
    const char *branch = cp_get_str_or(config, "branch", cl->branch);
    cp_value *ref = cp_map_new();
    ref_set(ref, config, "stack");
    cp_map_set_take(ref, "branch", cp_string(branch));
    ref_set(ref, config, "dir");
    ref_set(ref, config, "backend");
    ref_set(ref, config, "config");
    cp_value *outputs = NULL;
    bool found = false;
    char *where = NULL, *err = NULL;
    int rc = cl->host.read_stack_outputs(cl->host.ud, ref, &outputs, &found, &where, &err);
    cp_release(ref);
    if (rc != 0) {
        rc = cp_fail(c, "%s: reading stack \"%s\": %s", c->address, stack, err);
        free(err);
        return rc;
    }
    if (!found) {
        rc = cp_fail(c,
                     "%s: stack \"%s\" has no state on branch \"%s\" (looked in %s); apply it "
                     "there first, or set branch, dir or backend",
                     c->address, stack, branch, where);
        free(where);
        return rc;
    }
    free(where);
    cp_value *s = cp_prov_state(stack_attrs, config);
    cp_set_str(s, "branch", branch);
    cp_set_take(s, "outputs", outputs);
    cp_set_take(s, "id", cp_stringf("%s/%s", stack, branch));
    *state = s;
    return 0;
}

const cp_resource_type cp_type_cpstack_stack_data = {
    .name = "cpstack_stack",
    .description = "Another stack's outputs, read from its state through its backend without "
                   "taking its lock; sensitive outputs stay sensitive (data source).",
    .attrs = stack_attrs,
    .is_data = true,
    .read_data = stack_read_data,
};

static const cp_resource_type *const cpstack_types[] = {
    &cp_type_cpstack_stack_data,
    NULL,
};

static int cpstack_configure_host(const cp_value *settings, const cp_provider_host *host,
                                  void **client, char **err)
{
    if (!host || !host->read_stack_outputs) {
        *err = cp_xstrdup("the cpstack provider needs a program that can read stack state");
        return -1;
    }
    cpstack_client *c = cp_xcalloc(1, sizeof *c);
    c->host = *host;
    const cp_value *b = cp_map_get(settings, "branch");
    c->branch = cp_xstrdup(b && cp_kind_of(b) == CP_STRING ? cp_string_val(b) : "default");
    *client = c;
    return 0;
}

static int cpstack_configure(const cp_value *settings, void **client, char **err)
{
    return cpstack_configure_host(settings, NULL, client, err);
}

static void cpstack_close(void *client)
{
    cpstack_client *c = client;
    if (!c) return;
    free(c->branch);
    free(c);
}

const cp_provider cp_provider_cpstack = {
    .name = "cpstack",
    .types = cpstack_types,
    .configure = cpstack_configure,
    .close = cpstack_close,
    .configure_host = cpstack_configure_host,
};
