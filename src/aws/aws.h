/*
 * aws.h: what a provider needs to talk to AWS. Nothing here knows about
 * cpstack's state, plan or graph.
 *
 * One aws_client per run (aws_client_new), shared by all worker threads:
 * it holds the credentials chain, region, endpoint resolution, the libcurl
 * transport and the retry policy, and every call below is thread-safe.
 * Each call signs (SigV4), sends, retries throttles/5xx/broken connections
 * with backoff, and on failure fills an aws_error. Calls return 0 or -1.
 *
 * Query protocol (IAM, EC2, ELBv2, RDS, CloudWatch, SNS, Auto Scaling, STS):
 *
 *     aws_params *p = aws_params_new();
 *     aws_params_add(p, "UserName", "deploy");
 *     aws_params_addf(p, "ops", "Tags.member.%d.Key", 1);   // value, key format
 *     xmlDocPtr doc; aws_error err;
 *     if (aws_query_call(c, "iam", "CreateUser", p, &doc, &err) != 0) {
 *         call->error = aws_error_format(&err, call->address, "CreateUser");
 *         aws_error_clear(&err); aws_params_free(p); return -1;
 *     }
 *     char *arn = aws_xml_text(aws_xml_root(doc), "CreateUserResult/User/Arn");
 *     xmlFreeDoc(doc); aws_params_free(p);
 *
 * JSON 1.0/1.1 (ECR, ECS, CloudWatch Logs, Application Auto Scaling):
 *
 *     json_t *in = json_pack("{s:s}", "clusterName", "web"), *out;
 *     rc = aws_json_call(c, "ecs", "AmazonEC2ContainerServiceV20141113.CreateCluster",
 *                        in, &out, &err);          // in is borrowed; out is yours
 *
 * REST-JSON (Lambda):
 *
 *     rc = aws_rest_json_call(c, "lambda", "GetFunction", "GET",
 *                             "/2015-03-31/functions/my-fn", NULL, NULL, &out, &err);
 *
 * REST-XML (S3), raw bytes in and out:
 *
 *     aws_rest_request r = { .method = "PUT", .bucket = "b", .key = "dir/a.txt",
 *                            .body = data, .body_len = n };
 *     aws_response resp;
 *     rc = aws_rest_call(c, "s3", "PutObject", &r, &resp, &err);
 *     const char *etag = aws_response_header(&resp, "ETag");
 *     aws_response_free(&resp);
 *
 * Idempotency: build the body once (e.g. ClientToken = aws_client_token())
 * and pass it in; every retry re-sends the same bytes.
 */
#ifndef CP_AWS_AWS_H
#define CP_AWS_AWS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>
#include <libxml/tree.h>

#include "aws/credentials.h"
#include "aws/http.h"
#include "aws/sigv4.h"
#include "aws/xml.h"

/* ---- errors ----------------------------------------------------------- */

typedef struct aws_error {
    long http_status; /* 0 when no response arrived */
    char *code;       /* AWS error code, e.g. "EntityAlreadyExists" */
    char *message;
    char *request_id;
    bool retryable; /* transient or throttle (after the retries ran out) */
    bool throttle;
    int attempts;    /* how many attempts were made */
    bool unanswered; /* an attempt got no answer: the call may have been performed */
} aws_error;

void aws_error_clear(aws_error *e);
/* "<address>: <Operation>: <Code>: <message> (request id <id>)"; malloc'd.
 * address may be NULL. Never contains credentials. */
char *aws_error_format(const aws_error *e, const char *address, const char *operation);
/* True when e->code equals code (e.g. "NoSuchEntity", "InvalidGroup.NotFound"). */
bool aws_error_is(const aws_error *e, const char *code);

/* ---- client ----------------------------------------------------------- */

typedef struct aws_client aws_client;

typedef struct aws_client_options {
    const char *cli_region;                    /* -region: wins over everything */
    const char *stack_region;                  /* the stack block's region */
    const char *profile;                       /* NULL: AWS_PROFILE or "default" */
    aws_getenv_fn getenv_fn;                   /* NULL: getenv */
    const aws_credentials *static_credentials; /* skip the chain (tests) */
    /* A provider block's assume_role: the calls use the role's temporary
     * credentials, assumed with the chain's (or the static) ones. */
    const char *assume_role_arn; /* NULL: no role */
    const char *assume_role_session_name, *assume_role_external_id;
    int max_attempts;   /* 0: AWS_MAX_ATTEMPTS or 3 */
    int retry_base_ms;  /* 0: CPSTACK_RETRY_BASE_MS or 1000 */
    long timeout_ms;    /* 0: 300 s per attempt */
    bool s3_path_style; /* force path-style S3 (also: profile s3.addressing_style
                           = path, or an IP/localhost endpoint) */
    void (*log_sink)(void *ud, const char *lines); /* NULL: stderr */
    void *log_ud;
} aws_client_options;

/* Returns NULL with a one-line reason in *err (malloc'd) when no region. */
aws_client *aws_client_new(const aws_client_options *o, char **err);
void aws_client_free(aws_client *c);
const char *aws_client_region(const aws_client *c);
/* One pointer the client's owner keeps with it (the AWS provider: an
 * instance's default_tags), freed with free_fn by aws_client_free. */
void aws_client_set_ext(aws_client *c, void *ext, void (*free_fn)(void *));
void *aws_client_ext(const aws_client *c);
/* A fresh random idempotency token (UUID v4 text, 36 chars + NUL). */
void aws_client_token(char out[37]);
/* For this thread's calls from now on: on, a call whose answer was lost
 * (broken connection, timeout) is not sent again but fails with
 * err->unanswered, so that a create that has no idempotency token is looked
 * up before it is retried. Off by default. */
void aws_set_no_resend(bool on);

/* ---- query protocol ---------------------------------------------------- */

typedef struct aws_params aws_params; /* ordered key/value list */

aws_params *aws_params_new(void);
void aws_params_add(aws_params *p, const char *key, const char *value);
void aws_params_addf(aws_params *p, const char *value, const char *key_fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* prefix.1, prefix.2, ... e.g. ("SecurityGroupId", ...) for EC2 or
 * ("Subnets.member", ...) for ELBv2. */
void aws_params_add_list(aws_params *p, const char *prefix, const char *const *values, size_t n);
/* Form body "k=v&k=v" (encoded), for tests. */
char *aws_params_encode(const aws_params *p);
void aws_params_free(aws_params *p);

/* Action + Version (from the service table) + params. *doc on success. */
int aws_query_call(aws_client *c, const char *service, const char *action, const aws_params *params,
                   xmlDocPtr *doc, aws_error *err);

/* Called per page with the response's root element; return non-zero to stop. */
typedef int (*aws_xml_page_fn)(void *ud, xmlNodePtr root);
/* Loop while the response has a token at token_path (e.g.
 * "ListUsersResult/Marker" or "nextToken"), sending it as token_param
 * ("Marker", "NextToken"). */
int aws_query_paginate(aws_client *c, const char *service, const char *action,
                       const aws_params *params, const char *token_param, const char *token_path,
                       aws_xml_page_fn page, void *ud, aws_error *err);

/* ---- JSON protocol ----------------------------------------------------- */

/* target is the X-Amz-Target value. body is borrowed (NULL = {}). */
int aws_json_call(aws_client *c, const char *service, const char *target, json_t *body,
                  json_t **out, aws_error *err);

typedef int (*aws_json_page_fn)(void *ud, json_t *page);
/* Loop while the response has out_key ("nextToken"/"NextToken"), sent back as in_key. */
int aws_json_paginate(aws_client *c, const char *service, const char *target, json_t *body,
                      const char *in_key, const char *out_key, aws_json_page_fn page, void *ud,
                      aws_error *err);

/* ---- REST protocols ---------------------------------------------------- */

typedef struct aws_rest_request {
    const char *method;
    const char *path; /* already encoded, e.g. "/2015-03-31/functions/f"; S3: ignored if key set */
    const char *bucket;        /* S3 only: virtual-host or path-style per endpoint */
    const char *key;           /* S3 only: object key, unencoded */
    const aws_params *query;   /* encoded by us; NULL for none */
    const aws_header *headers; /* extra headers (Content-Type, If-None-Match ...) */
    size_t n_headers;
    const void *body;
    size_t body_len;
    bool unsigned_payload; /* S3: sign with UNSIGNED-PAYLOAD */
} aws_rest_request;

typedef aws_http_response aws_response;
#define aws_response_free   aws_http_response_free
#define aws_response_header aws_http_header

/* Any 2xx is success; otherwise the protocol's error format is parsed.
 * A bodiless error (S3 HEAD) gets a code from its status: 404 NotFound,
 * 403 Forbidden, 412 PreconditionFailed, 304 NotModified ... */
int aws_rest_call(aws_client *c, const char *service, const char *operation,
                  const aws_rest_request *req, aws_response *out, aws_error *err);

/* REST-JSON convenience: body borrowed (may be NULL), *out NULL when empty. */
int aws_rest_json_call(aws_client *c, const char *service, const char *operation,
                       const char *method, const char *path, const aws_params *query, json_t *body,
                       json_t **out, aws_error *err);

/* ---- error parsing (exposed for tests and custom calls) --------------- */

/* Fill code/message/request_id from a failed response of `protocol`
 * (an aws_protocol value from endpoints.h). */
void aws_error_from_response(int protocol, const aws_http_response *r, aws_error *e);

#endif
