/*
 * harness.h: run AWS resource types against the local emulator from a
 * cmocka test. Reusable by every provider test binary.
 *
 * Typical use, one emulator per test binary:
 *
 *     static int setup(void **st) { *st = cpt_start(); return *st ? 0 : -1; }
 *     static int teardown(void **st) { cpt_stop(*st); return 0; }
 *     static int reset(void **st) { cpt_reset(*st); return 0; }   // per test
 *
 *     static void test_user(void **st) {
 *         cpt_env *e = *st;
 *         cp_value *s = cpt_create_ok(e, "aws_iam_user", "{\"name\": \"deploy\"}");
 *         json_t *dump = cpt_dump(e, "iam");          // GET /_emulator/state?service=iam
 *         assert_non_null(json_object_get(cpt_path(dump, "users"), "deploy"));
 *         ...
 *     }
 *     cmocka_run_group_tests(tests, setup, teardown) with cmocka_unit_test_setup(t, reset)
 *
 * cpt_start() starts tests/emulator/server.py (path from the CPSTACK_EMULATOR
 * env var, set by tests/providers_aws/meson.build) on a free port, exports
 * AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION =
 * us-east-1 and CPSTACK_WAIT_SCALE = 0.01 (so child processes such as
 * cpt_python() talk to the same emulator), and configures cp_provider_aws.
 *
 * The *_ok helpers fail the running test (cmocka fail_msg) with the
 * provider's error message; the plain ones return 0 / -1 and hand the
 * message back (malloc'd) for tests that check error text. Values follow
 * lang/value.h: everything returned is a new reference for the caller.
 */
#ifndef CP_TESTS_PROVIDERS_AWS_HARNESS_H
#define CP_TESTS_PROVIDERS_AWS_HARNESS_H

#include <jansson.h>
#include <stdbool.h>

#include "lang/value.h"
#include "providers/provider.h"

typedef struct cpt_env cpt_env;

/* --- the emulator and the provider ------------------------------------------------ */
/* CPT_ENDPOINT=moto: cpt_start() runs moto (python3 -m moto.server, with
 * MOTO_IAM_LOAD_MANAGED_POLICIES=true and moto's instance type, AMI and key
 * pair validation on) on a free loopback port instead of the emulator, and cpt_reset() resets it
 * (POST /moto-api/reset). */
bool cpt_on_moto(void);
cpt_env *cpt_start(void); /* NULL (and a message on stderr) on failure */
/* Guards one check only our emulator can make (its admin API: fault
 * injection, call counts, pending states) or one moto cannot pass (a
 * rejection AWS makes and moto does not):
 *
 *     if (cpt_emulator_only(e, "moto accepts a malformed policy")) { ...check... }
 *
 * True on the emulator. On moto it prints "[ EMU-ONLY ] <why>", counts the
 * check (cpt_stop prints the total) and returns false, and the test goes on
 * with its other checks. Each reason is listed in tests/README.md. */
bool cpt_emulator_only(cpt_env *e, const char *why);
void cpt_stop(cpt_env *e);
void cpt_reset(cpt_env *e);            /* POST /_emulator/reset: empty emulator */
const char *cpt_url(const cpt_env *e); /* http://127.0.0.1:<port> */
void *cpt_client(const cpt_env *e);    /* the provider's configured client */

/* --- values ------------------------------------------------------------------------ */
/* A cp_value from JSON text (tests write configs as JSON); aborts on bad JSON. */
cp_value *cpt_val(const char *json);
/* printf-style variant of cpt_val. */
cp_value *cpt_valf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *cpt_str(const cp_value *m, const char *key); /* "" when not a string */
/* The type by name (fails the test when unknown). */
const cp_resource_type *cpt_type(const char *name);
/* The validate message of attribute attr for value json, or NULL when accepted; attr
 * may name a nested argument as a path ("rule/expiration/days"). */
const char *cpt_validate(const char *type, const char *attr, const char *json);

/* --- provider calls ------------------------------------------------------------------ */
/* Each returns 0 / -1; on -1 *err (if given) gets the message. */
int cpt_create(cpt_env *e, const char *type, const cp_value *config, cp_value **state, char **err);
int cpt_read(cpt_env *e, const char *type, const cp_value *state, cp_value **out, char **err);
int cpt_update(cpt_env *e, const char *type, const cp_value *old_state, const cp_value *config,
               cp_value **state, char **err);
int cpt_delete(cpt_env *e, const char *type, const cp_value *state, char **err);
int cpt_import(cpt_env *e, const char *type, const char *id, cp_value **state, char **err);
/* The same, failing the test on error. cpt_read_ok may return NULL (gone). */
cp_value *cpt_create_ok(cpt_env *e, const char *type, const char *config_json);
cp_value *cpt_read_ok(cpt_env *e, const char *type, const cp_value *state);
cp_value *cpt_update_ok(cpt_env *e, const char *type, const cp_value *old_state,
                        const char *config_json);
void cpt_delete_ok(cpt_env *e, const char *type, const cp_value *state);
cp_value *cpt_import_ok(cpt_env *e, const char *type, const char *id);
/* What the type's find() gives for an intent (the config of an
 * interrupted create): the state, or NULL when nothing is found; fails the
 * test when find() fails. */
cp_value *cpt_find_ok(cpt_env *e, const char *type, const cp_value *intent);
/* Address used in every call's messages: "<type>.test". */
/* The data source by name (fails the test when unknown). */
const cp_resource_type *cpt_data_type(const char *name);
/* A data source's read_data on config_json (address "data.<type>.test"):
 * 0 / -1 with *err; the _ok form fails the test on error. */
int cpt_read_data(cpt_env *e, const char *type, const char *config_json, cp_value **state,
                  char **err);
cp_value *cpt_read_data_ok(cpt_env *e, const char *type, const char *config_json);

/* Batch refresh: runs type's read_batch over states[0..n) (failing the test
 * on error) and checks that every out[i] is what read() gives for
 * states[i] (the same map, or NULL for both when gone). On the emulator
 * returns how many requests the batch made (its /_emulator/calls total;
 * calls of the reads that check it are not counted), on moto -1 (no
 * counters there). out[] is the caller's to release. */
long cpt_read_batch_ok(cpt_env *e, const char *type, const cp_value *const *states, size_t n,
                       cp_value **out);
/* Calls of "service:Op" the emulator counted since the last reset (-1 on moto). */
long cpt_calls_of(cpt_env *e, const char *op);

/* --- looking at the endpoint through AWS's API ------------------------------------------ */
/* One boto3 call against the endpoint (emulator or moto), its response as
 * JSON (new reference; ResponseMetadata dropped, datetimes as strings,
 * streaming bodies read as text), e.g.
 *     json_t *r = cpt_aws(e, "s3", "get_bucket_tagging(Bucket='%s')", name);
 * When AWS answers with an error the result is {"Error": {"Code", "Message"}}
 * (see cpt_aws_error). The calls go through one python3 process per binary
 * (started on first use), so they cost milliseconds, not a boto3 import. */
json_t *cpt_aws(cpt_env *e, const char *service, const char *call_fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The error code of a cpt_aws result ("NoSuchEntity"), or NULL when it worked. */
const char *cpt_aws_error(const json_t *r);
/* The first object in JSON array `list` whose string member `key` is
 * `value` (borrowed), or NULL. */
json_t *cpt_find(const json_t *list, const char *key, const char *value);
/* One EC2 object as Describe* shows it (new reference), or NULL when the
 * endpoint does not know it (a NotFound error or an empty list). `what` is
 * "vpcs", "subnets", "igws", "route_tables", "security_groups",
 * "instances", "key_pairs", "addresses", "nat_gateways",
 * "launch_templates". Terminated instances and deleted NAT gateways are
 * still listed (as on AWS): look at their State. */
json_t *cpt_ec2(cpt_env *e, const char *what, const char *id);
/* An x86_64 image owned by amazon that the endpoint lists (DescribeImages),
 * found once per binary: tests launch from it instead of a fixed id. */
const char *cpt_ami(cpt_env *e);
/* AWS's tag list ([{"Key": k, "Value": v}], or the lower-case key/value
 * of some services) as one object {k: v} (new reference). */
json_t *cpt_tag_map(const json_t *list);

/* --- looking at the emulator (only inside cpt_emulator_only) ------------------------------ */
/* GET /_emulator/state[?service=s] (service NULL: all); new json reference.
 * Both fail the test on moto: guard them with cpt_emulator_only. */
json_t *cpt_dump(cpt_env *e, const char *service);
/* Any admin call: method, path below /_emulator/ ("faults"), JSON body or NULL. */
json_t *cpt_admin(cpt_env *e, const char *method, const char *path, const char *body);
/* Borrowed json at a '/'-separated path of object keys ("iam/users/deploy"), or NULL. */
json_t *cpt_path(json_t *j, const char *path);
/* Runs /usr/bin/python3 -c script (boto3 available; env points at the
 * emulator). Returns its exit status. */
int cpt_python(cpt_env *e, const char *script);
/* Runs one boto3 call against the endpoint, e.g.
 * cpt_boto(e, "iam", "delete_user(UserName='%s')", name): for changing
 * things behind cpstack's back. Returns 0 when it worked, 1 when AWS
 * answered with an error (through cpt_aws's python3 process). */
int cpt_boto(cpt_env *e, const char *service, const char *call_fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Imports a new self-signed certificate for `domain` into the endpoint's
 * ACM (openssl, then boto3 ImportCertificate) and returns its ARN
 * (malloc'd); fails the test when that does not work. HTTPS listeners
 * need a certificate that exists, on AWS and on both endpoints. */
char *cpt_acm_certificate(cpt_env *e, const char *domain);
/* Asserts that two states agree on the listed attributes (NULL-terminated). */
void cpt_assert_same(const cp_value *a, const cp_value *b, const char *const *attrs);

#endif
