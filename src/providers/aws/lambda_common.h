/*
 * lambda_common.h: what the Lambda types (lambda_function.c,
 * lambda_permission.c) share — one REST-JSON call with the usual error
 * handling, path building, and the deployment package: a local zip
 * (filename) or a folder zipped deterministically (source_dir), and its
 * hash as Lambda reports it (base64 SHA-256 of the zip bytes).
 */
#ifndef CP_PROVIDERS_AWS_LAMBDA_COMMON_H
#define CP_PROVIDERS_AWS_LAMBDA_COMMON_H

#include <stddef.h>

#include "providers/aws/aws_common.h"
#include "util/buf.h"

/* Error codes meaning "no such function / statement". */
extern const char *const lambda_gone[];

/* One Lambda call: 0, 1 when it failed with a `gone` code, else -1 with
 * c->error set. query and body borrowed (may be NULL); *out set on success
 * (may be NULL when the answer has no body), out may be NULL. */
int lambda_call(cp_provider_call *c, const char *operation, const char *method, const char *path,
                const aws_params *query, json_t *body, const char *const *gone, json_t **out);

/* "/2015-03-31/functions/<name, percent-encoded><suffix>" (malloc'd). */
char *lambda_fn_path(const char *function, const char *suffix);
/* Percent-encodes everything but unreserved characters (malloc'd). */
char *lambda_escape(const char *s);

/* Zips the regular files below dir (sorted paths, fixed times and owners)
 * into out. 0, or -1 with a one-line reason in *why (malloc'd). */
int lambda_zip_dir(const char *dir, cp_buf *out, char **why);
/* validate_config of aws_lambda_function: exactly one of filename or
 * source_dir (unknowns pass). NULL, or a malloc'd message. */
char *lambda_validate_code(const cp_value *config);
/* The package of a config: the bytes of `filename`, or source_dir zipped
 * (lambda_validate_code first). 0, or -1 with *why (malloc'd). */
int lambda_package(const cp_value *config, cp_buf *out, char **why);
/* Base64 SHA-256 of data (45 bytes with the NUL). */
void lambda_sha256_b64(const void *data, size_t n, char out[45]);

#endif
