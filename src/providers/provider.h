/*
 * provider.h: the narrow interface between cpstack's core and a provider.
 *
 * A provider (aws, local, random, …) is a set of resource types. A resource
 * type is a TABLE: its schema (every argument and attribute: type, required
 * / optional / computed, force-new, sensitive, default, validation rule)
 * plus create / read / update / delete / import functions, and optionally a
 * batch read used by refresh when many resources of the type are in state.
 * Adding a type means adding one table to a provider; nothing in core.
 *
 * Values: a resource's config and state are cp_value maps keyed by
 * attribute name. Nested blocks (`ingress { … }`) are lists of maps. State
 * always has a string "id". Providers never see the graph, the plan or the
 * state file: they get values in and give values back.
 *
 * Errors: a function returns 0 on success, or -1 after setting call->error
 * to a malloc'd one-line message (cause and what to do). The message may
 * start with the resource address (call->address); core adds it when not. On a create that fails
 * half way, a provider returns -1 AND sets *state to what exists (with its id) so that nothing is
 * orphaned.
 */
#ifndef CP_PROVIDERS_PROVIDER_H
#define CP_PROVIDERS_PROVIDER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "lang/value.h"
#include "schema/schema.h"

/* How a type finds the object of an interrupted create (see find below). */
typedef enum cp_recovery_key {
    CP_RECOVER_ID = 0, /* the id follows from the config (a put on a bucket, role …) */
    CP_RECOVER_NAME,   /* the unique name in config (or made up before the call) */
    CP_RECOVER_TOKEN,  /* the API's idempotency token = the intent UUID (+ the intent tag) */
    CP_RECOVER_TAG,    /* the tag CP_INTENT_KEY = UUID, sent in the create call */
    CP_RECOVER_NONE    /* nothing outside cpstack (random_id): no intent recorded */
} cp_recovery_key;

/* The reserved config key (and tag key) holding the intent UUID, and the
 * one holding when the intent was recorded (UTC, 2026-01-31T23:59:59Z). */
#define CP_INTENT_KEY    "cpstack:intent"
#define CP_INTENT_AT_KEY "cpstack:intent_at"

/* What every provider function receives. */
typedef struct cp_provider_call {
    void *client;                        /* the provider's own connection, from configure() */
    const char *address;                 /* e.g. aws_s3_bucket.logs["a"], for messages */
    const volatile sig_atomic_t *cancel; /* non-zero: abandon waits and return -1 */
    char *error;                         /* set on failure (malloc'd); core frees it */
    void (*progress)(void *ud, const char *msg); /* optional, for long waits */
    void *progress_ud;
    /* Recovery (see cp_resource_type.find). stop: non-zero cuts waits short
     * (a wait that returns early sets unsettled; the object exists and is
     * saved, to be read again by the next plan). Providers set unanswered
     * when a call of theirs may have been performed with no answer, exists
     * when a create failed because the object already exists. */
    const volatile sig_atomic_t *stop;
    bool unsettled, unanswered, exists;
} cp_provider_call;

typedef struct cp_resource_type {
    const char *name; /* "aws_s3_bucket" */
    const char *description;
    const cp_schema_attr *attrs; /* {NULL}-terminated */
    bool is_data;                /* a data source: only read_data is used */

    int (*create)(cp_provider_call *c, const cp_value *config, cp_value **state);
    /* Refresh: *state = new state, or NULL when the object is gone. */
    int (*read)(cp_provider_call *c, const cp_value *state, cp_value **new_state);
    /* NULL when every non-computed attribute is force-new. */
    int (*update)(cp_provider_call *c, const cp_value *old_state, const cp_value *config,
                  cp_value **state);
    int (*delete)(cp_provider_call *c, const cp_value *state);
    /* Build state from an id (cpstack import). NULL: not importable. */
    int (*import)(cp_provider_call *c, const char *id, cp_value **state);
    /* Optional batch refresh: out[i] as read() would give for states[i]. */
    int (*read_batch)(cp_provider_call *c, const cp_value *const *states, size_t n, cp_value **out);
    /* Optional: values known at plan time for computed attributes (e.g. an
     * etag from a local file). Returns a map merged over the planned state. */
    cp_value *(*plan_known)(const cp_value *config);
    /* Optional, NULL-terminated: computed attributes that an update in place
     * makes "known after apply" (terraform_data's output, which follows
     * input); the others keep their prior value in the plan of an update. */
    const char *const *update_unknown;
    /* Data sources. */
    int (*read_data)(cp_provider_call *c, const cp_value *config, cp_value **state);
    /* Optional: rules that involve several attributes ("exactly one of
     * content or source"). The planner calls it for every instance once its
     * body is evaluated (config as create gets it, defaults filled in), so a
     * broken rule fails the plan before anything is made. Attributes may
     * still be unknown (cp_is_unknown, also whole block lists): a rule that
     * depends on one cannot tell yet and must pass. Returns NULL when fine,
     * else a malloc'd one-line message stating the rule (core prefixes the
     * address). Create / update may call the same function again. */
    char *(*validate_config)(const cp_value *config);
    /* Optional: a replacement that depends on the prior state and the
     * planned one together, not on one attribute changing (Terraform's
     * ForceNewIfChange: a zone turning public <-> private). Returns the
     * argument named as the cause, or NULL. Values may be unknown: return
     * NULL unless the replacement is certain. */
    const char *(*replace_if)(const cp_value *prior, const cp_value *planned);

    /* --- Recovery of an interrupted create (apply_ops.c, refresh.c) -------------
     * Before a create, core records an intent (the config plus
     * CP_INTENT_KEY = a fresh UUID, CP_INTENT_AT_KEY = now, and for CP_RECOVER_NAME the name, made
     * up when the config leaves it null) and waits until that is durable; the same config, reserved
     * key included, goes to create(). A provider sends the UUID as the API's idempotency token
     * (ClientToken) and/or as the tag CP_INTENT_KEY = UUID in the create call itself. If the run
     * dies, or the answer is lost, core calls find() with that intent: the object found is adopted,
     * none found means the create runs again. A create failing with c->exists set (AlreadyExists,
     * Duplicate …) after an unanswered attempt of the same call is adopted through find() too (and
     * then updated to the config). Core strips both keys from every state a provider returns. */
    cp_recovery_key recovery;
    /* CP_RECOVER_NAME: the config attribute that names the object ("name",
     * "bucket"); when it is null core sets it to <recovery_prefix attribute's
     * value, or "cpstack-"><26 hex digits> before recording the intent. */
    const char *recovery_name;
    const char *recovery_prefix; /* may be NULL */
    /* The object an interrupted create (intent as above) may have made:
     * 0 with *state as read() gives it, or *state NULL when it is surely not
     * there; -1 with c->error when it cannot tell. NULL: core calls read()
     * when the intent has an id (CP_RECOVER_ID) and otherwise says which
     * object to look for and what to run. */
    int (*find)(cp_provider_call *c, const cp_value *intent, cp_value **state);
    /* true: a create that a crash may make run again, harmlessly, because
     * it has no effect outside cpstack (random_id: a value kept in state
     * only) or one that running it again simply makes again, keyed by the
     * config (local_file: the same bytes written to the same path). Apply
     * still records its intent, but does not wait for it to be durable
     * before the call (it goes out with the next state write). Leave false
     * for anything a second create would duplicate or fail on (every cloud
     * object): its intent is what finds the object after a crash. */
    bool no_durable_intent;
} cp_resource_type;

/* What the program running a provider offers it beyond settings, for a
 * provider whose work needs the program's own knowledge (the cpstack
 * provider reads another stack's outputs, and only the program knows the
 * backends and the state format). Safe to call from any thread.
 *
 * read_stack_outputs: ref is a map {stack, branch, dir, backend, config}
 * (strings, config a map; null when not set) naming another stack's state;
 * its outputs are read without taking the lock. 0 with *outputs (a map
 * name → value; a sensitive output's value is marked sensitive), or *found
 * = false when that stack has no state on that branch; *where (malloc'd,
 * set on 0) says where it looked ("s3://bucket/network/main.cpstate").
 * -1 with *err (one line). */
typedef struct cp_provider_host {
    int (*read_stack_outputs)(void *ud, const cp_value *ref, cp_value **outputs, bool *found,
                              char **where, char **err);
    void *ud;
} cp_provider_host;

typedef struct cp_provider {
    const char *name;                     /* "aws": types are named aws_… */
    const cp_resource_type *const *types; /* NULL-terminated */
    /* The arguments of a `provider "NAME" { … }` block ({NULL}-terminated;
     * NULL: none). alias is core's and not among them. */
    const cp_schema_attr *settings;
    /* settings: map with "region" (the stack's), "stack", "branch", and,
     * for an instance configured by a provider block, "config" (the block
     * evaluated against .settings, defaults filled in) and "alias" (NULL for
     * the default instance). One call per provider instance; *client is
     * passed back in every call of that instance. Returns 0, or -1 with *err
     * (malloc'd). */
    int (*configure)(const cp_value *settings, void **client, char **err);
    /* Optional: the config of a resource of type rt as this instance
     * (client) will create it (AWS: default_tags merged into tags). The
     * planner calls it on every evaluated body, so the plan shows and diffs
     * what is sent. Returns a new reference (or NULL: config unchanged). */
    cp_value *(*instance_config)(void *client, const cp_resource_type *rt, const cp_value *config);
    void (*close)(void *client);
    /* Optional, used instead of configure when set: the same, also handed
     * the host (borrowed; it outlives the client). */
    int (*configure_host)(const cp_value *settings, const cp_provider_host *host, void **client,
                          char **err);
    /* Optional: the provider's own rules for every value of a type (AWS's
     * input rules), checked by plan on each evaluated instance and by
     * validate on literal values (the rest unknown). Unknown values pass.
     * NULL when fine, else a malloc'd one-line message without the address;
     * *where (malloc'd, when where is not NULL) the path of the value it is
     * about ("name", "ingress[1].from_port"), for cp_body_path_loc. */
    char *(*validate_instance)(const cp_resource_type *rt, const cp_value *config, char **where);
} cp_provider;

/* The resource types core may use, as the caller (the CLI, from its
 * registry: providers/registry.h) hands them to plan: find returns the type
 * named `name` (a data source when is_data) and sets *provider (when
 * non-NULL) to its provider; NULL (and *provider NULL) when unknown. Must
 * be safe to call from any thread. */
typedef struct cp_type_lookup {
    const cp_resource_type *(*find)(void *ud, const char *name, bool is_data,
                                    const cp_provider **provider);
    void *ud;
} cp_type_lookup;

#endif
