/*
 * s3.h: opening the S3 state backend (s3.c), state shared by a team. The
 * only backend that talks to AWS, and the only file of src/backend that
 * uses src/aws (it is built as its own library, cp_backend_s3).
 */
#ifndef CP_BACKEND_S3_H
#define CP_BACKEND_S3_H

#include <stdbool.h>

#include "backend/backend.h"
#include "backend/backend_type.h"

typedef struct cp_s3_options {
    const char *bucket;     /* required */
    const char *key;        /* required: prefix; state at <key>/<branch>.cpstate */
    const char *region;     /* the backend's region (else the stack's / environment's) */
    const char *cli_region; /* -region, wins */
    bool encrypt;           /* ask S3 for server-side encryption (AES256) */
} cp_s3_options;

/* Credentials and endpoints as for every AWS call (AWS_ENDPOINT_URL_S3 …).
 * 0 and *out, or -1 and *err. */
int cp_backend_s3_open(const cp_s3_options *o, cp_backend **out, char **err);

/* backend "s3" { bucket, key, region, encrypt }. */
extern const cp_backend_type cp_backend_type_s3;

#endif
