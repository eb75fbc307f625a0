/*
 * aws_common.h: what every AWS resource type file shares — reading config
 * and state values, turning AWS errors into the one-line messages users
 * see, tags, waiting for slow resources, and retrying AWS's eventual
 * consistency errors for a bounded time.
 *
 * Reading and setting attributes and cp_fail come from providers/attrs.h,
 * which every provider shares.
 *
 * A type file (iam_user.c, ec2_instance.c …) is a schema table plus short
 * create/read/update/delete/import functions built from these helpers and
 * the calls of aws/aws.h. It never touches state files or the graph.
 */
#ifndef CP_PROVIDERS_AWS_COMMON_H
#define CP_PROVIDERS_AWS_COMMON_H

#include <stdbool.h>

#include "aws/aws.h"
#include "lang/value.h"
#include "providers/attrs.h"
#include "providers/provider.h"

/* The run's AWS client (configured from the stack's region etc.). */
aws_client *cp_aws_client(const cp_provider_call *c);

/* --- building state -------------------------------------------------------- */
/* Start a state from config: a copy of the config map (unknowns → null). */
cp_value *cp_state_from_config(const cp_value *config);
/* The text of the XML element at path below from (null when absent). */
void cp_set_xml(cp_value *m, const char *key, xmlNodePtr from, const char *path);
/* The same as a bool ("true"/"false") or a number; def when absent. */
void cp_set_xml_bool(cp_value *m, const char *key, xmlNodePtr from, const char *path, bool def);
void cp_set_xml_num(cp_value *m, const char *key, xmlNodePtr from, const char *path, double def);
/* A state map with every schema attribute (null unless in from), so that
 * reads and imports return complete states; from's "id" is kept too. */
cp_value *cp_state_complete(const cp_schema_attr *attrs, const cp_value *from);

/* --- errors -------------------------------------------------------------------- */
/* Sets c->error from err ("<address>: <Op>: <Code>: <message> (request id …)"),
 * clears err, returns -1. */
int cp_aws_fail(cp_provider_call *c, aws_error *err, const char *operation);
/* True when err is one of the NULL-terminated codes (e.g. "NoSuchEntity"). */
bool cp_aws_error_in(const aws_error *err, const char *const *codes);

/* --- tags -------------------------------------------------------------------- */
/* Adds tags (a cp_value map) as query params: prefix.N.Key / prefix.N.Value
 * (EC2: "TagSpecification.1.Tag", IAM: "Tags.member"). */
void cp_aws_tags_params(aws_params *p, const char *prefix, const cp_value *tags);
/* Reads <Key>/<Value> (or key/value) pairs of every `item_name` element
 * under `list` into a map; NULL list → empty map. */
cp_value *cp_aws_tags_from_xml(xmlNodePtr list, const char *item_name);
/* JSON [{"Key":…,"Value":…}] (key_name/value_name: "Key"/"Value" or "key"/"value"),
 * or with key_name NULL one object {"<key>": "<value>", …}. */
json_t *cp_aws_tags_to_json(const cp_value *tags, const char *key_name, const char *value_name);
cp_value *cp_aws_tags_from_json(const json_t *arr, const char *key_name, const char *value_name);

/* Tag updates: untag the keys of old_tags missing from new_tags, then tag
 * with every tag of new_tags; no call when there is nothing to do. 0, or
 * -1 with c->error set. Query-protocol services name their calls and the
 * parameter holding the resource; keys go as TagKeys.member.N. */
typedef struct cp_aws_query_tagging {
    const char *service;     /* "rds" */
    const char *untag, *tag; /* "RemoveTagsFromResource", "AddTagsToResource" */
    const char *id_param;    /* "ResourceName", "ResourceArns.member.1" */
    const char *tags_prefix; /* "Tags.member" (RDS: "Tags.Tag") */
} cp_aws_query_tagging;
int cp_aws_query_tags_update(cp_provider_call *c, const cp_aws_query_tagging *t, const char *id,
                             const cp_value *old_tags, const cp_value *new_tags);
/* JSON-protocol services: untag {"resourceArn", "tagKeys": [...]}, tag
 * {"resourceArn", "tags": cp_aws_tags_to_json(new_tags, key_name, value_name)}. */
typedef struct cp_aws_json_tagging {
    const char *service;     /* "ecr" */
    const char *untag, *tag; /* targets: "AmazonEC2ContainerRegistry_V20150921.UntagResource" */
    const char *key_name, *value_name; /* "Key", "Value"; NULL: tags as one object */
} cp_aws_json_tagging;
int cp_aws_json_tags_update(cp_provider_call *c, const cp_aws_json_tagging *t, const char *arn,
                            const cp_value *old_tags, const cp_value *new_tags);

/* --- waiting ------------------------------------------------------------------ */
/* Poll check() until it sets *done, it fails (returns -1 with c->error
 * set), the timeout passes (error naming `what` and the timeout), or the
 * run is cancelled. interval_ms is the type's poll interval: the first poll
 * comes after a quarter of it and the gaps grow 1.5x a poll up to it, never
 * beyond, so what waits on the object starts at most one interval after it
 * is ready (cp_aws_wait_delay_ms gives the gap before poll attempt+1). A
 * first signal (c->stop) ends the wait with 0 and c->unsettled set: the
 * object exists and core saves it to be checked by the next plan. */
typedef int (*cp_wait_fn)(cp_provider_call *c, void *ud, bool *done);
int cp_aws_wait(cp_provider_call *c, const char *what, int timeout_s, int interval_ms,
                cp_wait_fn check, void *ud);
int cp_aws_wait_delay_ms(int attempt, int interval_ms);
/* Tests shorten waits with CPSTACK_WAIT_SCALE (e.g. 0.01). */
int cp_aws_sleep_ms(cp_provider_call *c, int ms); /* -1 when cancelled */

/* --- eventual consistency ------------------------------------------------------- */
/* Calls op() until it succeeds or fails with an error NOT in `codes`, or
 * timeout_s passes (e.g. a new IAM role not yet assumable by Lambda:
 * codes {"InvalidParameterValueException"}). op returns 0 / -1 with err set.
 * The timeout is scaled by CPSTACK_WAIT_SCALE like cp_aws_wait's. */
typedef int (*cp_aws_op)(cp_provider_call *c, void *ud, aws_error *err);
int cp_aws_retry_codes(cp_provider_call *c, const char *const *codes, int timeout_s, cp_aws_op op,
                       void *ud, aws_error *err);

/* --- calls with the usual error handling ---------------------------------------- */
/* Each makes one AWS call (arguments borrowed) and returns 0 on success, 1
 * when it failed with one of the NULL-terminated `gone` codes (the object
 * does not exist; gone may be NULL), else -1 with c->error set to the
 * one-line message. doc / out / resp may be NULL when the answer is unused;
 * otherwise they are set on success only and the caller frees them. */
int cp_aws_query(cp_provider_call *c, const char *service, const char *action, const aws_params *p,
                 const char *const *gone, xmlDocPtr *doc);
/* target: "Prefix.Operation"; the operation named in messages is the suffix. */
int cp_aws_json(cp_provider_call *c, const char *service, const char *target, json_t *body,
                const char *const *gone, json_t **out);
int cp_aws_rest(cp_provider_call *c, const char *service, const char *operation,
                const aws_rest_request *r, const char *const *gone, aws_response *resp);
/* cp_aws_json page by page: body (borrowed; each next call sends a copy with
 * the last answer's NextToken) until an answer has no NextToken or page
 * returns non-zero (1: enough, stop; -1: an error, c->error set). page gets
 * each answer, borrowed. Returns 0, 1 when a call failed with a `gone`
 * code, else -1. */
int cp_aws_json_pages(cp_provider_call *c, const char *service, const char *target,
                      const json_t *body, const char *const *gone,
                      int (*page)(void *ud, const json_t *res), void *ud);

/* Import through read(): refreshes the state {"id": id}; fails with "no such
 * object" when read finds nothing. */
typedef int (*cp_read_fn)(cp_provider_call *c, const cp_value *state, cp_value **new_state);
int cp_aws_import_via_read(cp_provider_call *c, cp_read_fn read, const char *id, cp_value **state);

/* The end of a create or update: when rc is 0, *state = read(s) and 0;
 * else, or when the object vanished ("<address>: <what> vanished right
 * after it was written; run apply again"), *state = s (so its id is kept
 * and nothing is orphaned) and -1. Consumes s. */
int cp_aws_finish_take(cp_provider_call *c, int rc, cp_read_fn read, cp_value *s, const char *what,
                       cp_value **state);

/* The end of a create or update: read() of the state {config with id} (a
 * complete state), so that *state is what AWS now holds. */
int cp_aws_reread(cp_provider_call *c, cp_read_fn read, const cp_schema_attr *attrs,
                  const cp_value *config, const char *id, cp_value **state);

/* A complete state (every schema attribute) from config, unknowns as null. */
cp_value *cp_state_start(const cp_schema_attr *attrs, const cp_value *config);

/* --- lists ------------------------------------------------------------------------ */
/* prefix.1 … prefix.N from a list of strings (nothing for NULL or a non-list). */
void cp_aws_list_params(aws_params *p, const char *prefix, const cp_value *list);
/* Every `field` text of the `path` items below from ("groupSet/item",
 * "groupId"; field NULL: the item's own text) as a new list of strings;
 * empty list when none. */
cp_value *cp_aws_xml_strings(xmlNodePtr from, const char *path, const char *field);

/* --- small text helpers ------------------------------------------------------- */
/* Percent-decoding (IAM returns policy documents URL-encoded); malloc'd. */
char *cp_url_decode(const char *s);
/* The JSON text to keep in state: prev when it means the same as fetched
 * (so a refresh does not rewrite the user's formatting), else fetched.
 * Returns a new cp_value string, or null when fetched is NULL. */
cp_value *cp_json_keep(const char *prev, const char *fetched);
/* Keys of old_tags missing from new_tags (a new list of strings). */
cp_value *cp_tags_removed(const cp_value *old_tags, const cp_value *new_tags);
/* The tags to keep in state after a read: consumes fetched (a map); gives
 * null instead of an empty map when prev_tags is null/absent, so that a
 * config without tags does not show a change. */
cp_value *cp_tags_keep_take(cp_value *fetched, const cp_value *prev_tags);

/* --- recovery of an interrupted create (provider.h: recovery, find) ---------------------
 * Tags read back from AWS never include the CP_INTENT_KEY tag (the tag
 * readers above drop it), so it never shows as a change. */
/* find() for a type whose read() takes a name as its id: read() of the
 * intent with "id" = id (or = the intent's attr). Fails when it is empty. */
int cp_aws_find_with_id(cp_provider_call *c, cp_read_fn read, const cp_value *intent,
                        const char *id, cp_value **state);
int cp_aws_find_as_id(cp_provider_call *c, cp_read_fn read, const cp_value *intent,
                      const char *attr, cp_value **state);
/* The intent UUID core put into a create's config (NULL outside a create). */
const char *cp_intent_uuid(const cp_value *config);
/* tags (may be NULL) plus the tag CP_INTENT_KEY = the intent UUID: a new map. */
cp_value *cp_tags_with_intent(const cp_value *tags, const cp_value *config);

/* --- schema validators shared by several types ---------------------------------------- */
const char *cp_validate_name_1_64(const cp_value *v); /* IAM-style names */
const char *cp_validate_json(const cp_value *v);      /* policies */

#endif
