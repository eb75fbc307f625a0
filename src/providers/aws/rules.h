/*
 * rules.h: AWS's own input rules for the arguments of every AWS type, as a
 * table (rules_generated.c, written by scripts/gen_aws_rules.py from
 * botocore's models and rules_map.txt) and the one function that checks a
 * resource's config against it (rules.c).
 *
 * A rule's path names where in the config the value sits: "name",
 * "ingress[].from_port" (every element of a block list), "tags{key}" and
 * "tags{value}" (every key / value of a map).
 */
#ifndef CP_PROVIDERS_AWS_RULES_H
#define CP_PROVIDERS_AWS_RULES_H

#include "lang/value.h"
#include "providers/provider.h"

typedef enum cp_aws_rule_kind {
    CP_AWS_RULE_REQUIRED,  /* must be set (when the schema neither requires nor fills it) */
    CP_AWS_RULE_LENGTH,    /* string length in characters: min..max (max -1: none) */
    CP_AWS_RULE_PATTERN,   /* POSIX ERE in text; shown: botocore's pattern */
    CP_AWS_RULE_CHARSET,   /* every ASCII character in text; shown: what it means */
    CP_AWS_RULE_ENUM,      /* one of values */
    CP_AWS_RULE_RANGE,     /* number min..max (whole with CP_AWS_RULE_WHOLE) */
    CP_AWS_RULE_ITEMS,     /* list / map element count min..max (max -1: none) */
    CP_AWS_RULE_NO_PREFIX, /* must not start with text ("aws:") */
} cp_aws_rule_kind;

enum {
    CP_AWS_RULE_WHOLE = 1 << 0,        /* RANGE: an integer shape */
    CP_AWS_RULE_NON_ASCII_OK = 1 << 1, /* CHARSET: non-ASCII characters pass */
    CP_AWS_RULE_ASCII_SAFE = 1 << 2,   /* PATTERN: byte matching agrees on non-ASCII */
};

typedef struct cp_aws_rule {
    const char *type; /* "aws_sns_topic" */
    const char *path; /* "name", "tags{key}", "ingress[].from_port" */
    cp_aws_rule_kind kind;
    double min, max;
    unsigned flags;
    const char *text;          /* PATTERN: ERE; CHARSET: allowed; NO_PREFIX: prefix */
    const char *const *values; /* ENUM: NULL-terminated */
    const char *shown;         /* PATTERN / CHARSET: the rule as AWS states it */
    const char *source;        /* "sns CreateTopic Name" or "AWS tag rules (s3)" */
} cp_aws_rule;

extern const cp_aws_rule cp_aws_rules[];         /* {NULL}-terminated */
extern const char *const cp_aws_rules_covered[]; /* "type.path" of every mapped argument */
extern const int cp_aws_rules_untranslated;      /* patterns left out */

/* Checks every rule of rt whose value in config is known (unknown values
 * pass). NULL when all pass, else a malloc'd one-line message naming the
 * argument, the value, AWS's rule and the fix (no resource address: the
 * caller adds it). *where, when where is not NULL, is set to the path of
 * the value it is about ("name", "ingress[1].from_port", malloc'd; NULL
 * when all pass), for locating it (cp_body_path_loc). */
char *cp_aws_check_rules(const cp_resource_type *rt, const cp_value *config, char **where);

#endif
