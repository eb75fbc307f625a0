/*
 * tf_blocks.h: the conversion of one folder's blocks (tf_blocks.c), the
 * stack block assembled from the root's terraform and provider blocks and
 * the tfvars values (tf_stack.c), and the context they share.
 */
#ifndef CP_MIGRATE_TF_BLOCKS_H
#define CP_MIGRATE_TF_BLOCKS_H

#include "migrate/tf_internal.h"

typedef struct tf_tfvar {
    char *name, *text, *where; /* value as written, "terraform.tfvars:3" */
    bool used;
} tf_tfvar;

typedef struct tf_context {
    const cp_schema_lookup *types;
    char *region;        /* the default AWS provider's region expression, or NULL */
    char *backend;       /* `backend "s3" { … }` text for the stack block, or NULL */
    tf_file *stack_file; /* where the stack block goes (the terraform block's file) */
    uint32_t stack_at;
    tf_tfvar *vars;
    size_t nvars, capvars;
} tf_context;

void tf_convert_blocks(tf_file *f, tf_context *cx);
void tf_stack_terraform(tf_file *f, const cp_block *b, tf_context *cx);
void tf_stack_provider(tf_file *f, const cp_block *b, tf_context *cx);
/* A provider "aws" block kept as a cpstack provider block: settings cpstack
 * has (alias, region, assume_role, default_tags) stay, others are listed. */
void tf_keep_provider(tf_file *f, const cp_block *b);
/* A root variable block: its default becomes the tfvars value, if any. */
void tf_apply_tfvars(tf_file *f, const cp_block *b, tf_context *cx);
/* Read terraform.tfvars then *.auto.tfvars (in name order) of dir. */
void tf_load_tfvars(tf_context *cx, const char *dir, cp_migrate_report *r);
/* The stack block's text. */
char *tf_stack_block(const tf_context *cx, const char *name);
void tf_context_free(tf_context *cx);

#endif
