/*
 * config_file.h: the shared AWS config and credentials files.
 *
 * ~/.aws/credentials has sections "[name]", ~/.aws/config has "[default]"
 * and "[profile name]"; AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE
 * move them. Indented lines after "key =" form a sub-section and are stored
 * as "key.sub" (e.g. "s3.addressing_style"). Credentials-file values win
 * over config-file values for the same profile.
 */
#ifndef CP_AWS_CONFIG_FILE_H
#define CP_AWS_CONFIG_FILE_H

#include "aws/credentials.h"

typedef struct aws_profile aws_profile; /* one profile's merged key/values */

/* Profile name: explicit, else AWS_PROFILE, else "default". */
const char *aws_profile_name(const char *explicit_name, aws_getenv_fn getenv_fn);

/* Paths: caller frees. */
char *aws_credentials_file_path(aws_getenv_fn getenv_fn);
char *aws_config_file_path(aws_getenv_fn getenv_fn);

/* Load a profile from both files; NULL when neither file names it. */
aws_profile *aws_profile_load(const char *name, aws_getenv_fn getenv_fn);
const char *aws_profile_get(const aws_profile *p, const char *key); /* NULL if unset */
void aws_profile_free(aws_profile *p);

#endif
