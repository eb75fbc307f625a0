/*
 * migrate.h: `cpstack migrate terraform` below the CLI — a Terraform root
 * module folder turned into a cpstack stack, and a Terraform state (v4)
 * read into state instances.
 *
 * Configuration: every .tf file is parsed by cpstack's own parser (the
 * language is a superset of what Terraform stacks write), the AST says what
 * each construct is, and edits are made on the byte ranges the AST gives
 * (a block removed, `terraform.workspace` replaced by `stack.branch`, the
 * stack block inserted), never by searching the text; `cp_fmt_source` then
 * re-prints each file in the canonical layout, comments kept. What cannot
 * be converted is recorded in the report with its file:line and reason.
 *
 * State: cp_tfstate_load reads terraform.tfstate (format version 4) into
 * entries; cp_migrate_state_attrs keeps the attributes a type's schema
 * knows. Going through providers (reading each object) is the caller's job,
 * so this layer links only lang, schema, state and util.
 *
 * Nothing here writes under the source folder.
 */
#ifndef CP_MIGRATE_MIGRATE_H
#define CP_MIGRATE_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>

#include "lang/value.h"
#include "schema/schema.h"
#include "addrs/address.h"
#include "util/buf.h"

/* --- report --------------------------------------------------------------- */

typedef struct cp_migrate_item {
    char *where;  /* "main.tf:3", "terraform.tfstate: aws_x.y", … */
    char *what;   /* the construct: `provider "aws" (alias west)` */
    char *reason; /* why it was not converted, or what became of it */
} cp_migrate_item;

typedef struct cp_migrate_report {
    cp_migrate_item *items; /* not converted, in the order met */
    size_t len, cap;
    cp_migrate_item *notes; /* converted with a change worth knowing */
    size_t nnotes, capnotes;
    size_t files, resources, data, modules, variables, outputs; /* converted */
    size_t state_ok, state_listed, state_data; /* data: read again by the next plan */
} cp_migrate_report;

void cp_migrate_report_init(cp_migrate_report *r);
void cp_migrate_report_free(cp_migrate_report *r);
/* Record a construct not converted (where, what: copied). */
void cp_migrate_list(cp_migrate_report *r, const char *where, const char *what, const char *fmt,
                     ...) __attribute__((format(printf, 4, 5)));
/* Record a construct converted with a change the user should know of. */
void cp_migrate_note(cp_migrate_report *r, const char *where, const char *what, const char *fmt,
                     ...) __attribute__((format(printf, 4, 5)));
/* The report as Markdown (MIGRATION.md, also printed at the end). */
void cp_migrate_report_render(const cp_migrate_report *r, const char *src, cp_buf *out);

/* --- configuration -------------------------------------------------------- */

typedef struct cp_migrate_opts {
    const char *src;               /* the Terraform root module folder */
    const char *dest;              /* where the stack goes (must be absent or empty) */
    const char *stack_name;        /* NULL: the source folder's base name */
    const cp_schema_lookup *types; /* the resource types cpstack has */
} cp_migrate_opts;

/* Writes DEST: each .tf as .cp (same relative path), every other file of
 * the tree copied (Terraform's own files, state and var files excepted),
 * terraform.tfvars / *.auto.tfvars values as variable defaults. Returns 0,
 * or -1 with *err (one line) when DEST cannot be written or is not empty. */
int cp_migrate_config(const cp_migrate_opts *o, cp_migrate_report *r, char **err);

/* --- state ---------------------------------------------------------------- */

typedef struct cp_tfstate_entry {
    cp_addr addr;
    char *provider;      /* the tfstate's provider string */
    cp_value *attrs;     /* map, as in the file */
    cp_value *sensitive; /* sensitive_attributes (list of paths) or NULL */
    char **deps;         /* dependencies, addresses as written */
    size_t ndeps;
    long long schema_version;
    bool tainted;  /* "status": "tainted" */
    char *deposed; /* the deposed key of a create_before_destroy leftover, or NULL */
} cp_tfstate_entry;

typedef struct cp_tfstate {
    cp_tfstate_entry *entries;
    size_t len;
    char *lineage;
    long long serial;
    cp_value *outputs;           /* map name -> value */
    cp_value *sensitive_outputs; /* map name -> true */
} cp_tfstate;

/* Read a terraform.tfstate (format version 4). 0, or -1 with *err. */
int cp_tfstate_load(const char *path, cp_tfstate *out, char **err);
/* The same from bytes in memory (name for messages; fuzz/fuzz_tfstate.c). */
int cp_tfstate_parse(const char *data, size_t len, const char *name, cp_tfstate *out, char **err);
void cp_tfstate_free(cp_tfstate *t);
/* The cpstack provider instance ("aws.west") of a tfstate provider string
 * (provider["registry.terraform.io/hashicorp/aws"].west), or NULL for a
 * provider's default instance (malloc'd). */
char *cp_migrate_provider_instance(const char *tf_provider);

/* The attributes of a tfstate object the schema knows (nested blocks
 * filtered the same way); a new map. */
cp_value *cp_migrate_state_attrs(const cp_schema_attr *schema, const cp_value *attrs);
/* The id cpstack's read of `type` expects, where Terraform's differs (an
 * attachment's random id); NULL when the tfstate id is the one (malloc'd). */
char *cp_migrate_state_id(const char *type, const cp_value *attrs);

#endif
