/*
 * config_internal.h: shared between the config/ files; not for outside use.
 */
#ifndef CP_CONFIG_INTERNAL_H
#define CP_CONFIG_INTERNAL_H

#include "config/config.h"
#include "lang/eval.h"

/* config_blocks.c: sort one file's top-level blocks into c. */
void cp__config_decode_file(cp_config *c, const cp_file *f, cp_diags *d);
/* config_blocks.c: the stack's backend block names one of backends and
 * sets only its settings; an unknown one is reported and dropped. */
void cp__config_check_backend(cp_config *c, const cp_config_backends *backends, cp_diags *d);
/* config_check.c: check a resource's body against its type's schema. */
void cp__config_check_resource(const cp_config *c, const cp_config_resource *r, cp_diags *d);
/* depends_on = [ADDR, …] of a resource or module call, appended to *refs. */
void cp__config_decode_depends_on(const cp_attr *a, cp_config_ref **refs, size_t *n, cp_diags *d);
/* config_check.c: check one body (a resource's, or a nested block's when
 * !top) against attrs; owner names it in messages, where locates it. */
void cp__config_check_body(const cp_body *b, const cp_schema_attr *attrs, const char *owner,
                           bool top, cp_loc where, bool partial, cp_diags *d);
/* config_dynamic.c: dynamic "NAME" blocks. check: the block (whose label
 * names s, a nested block of the schema) and its content; has: b holds a
 * dynamic block making NAME blocks; iterator: the name its content uses. */
void cp__config_check_dynamic(const cp_block *dyn, const cp_schema_attr *s, const char *owner,
                              bool partial, cp_diags *d);
bool cp__config_has_dynamic(const cp_body *b, const char *name);
const char *cp__dynamic_iterator(const cp_block *dyn);
/* config_dynamic.c: push dyn's blocks (evaluated against s->block) onto
 * list; false when its for_each is unknown (the blocks are then unknown). */
bool cp__config_eval_dynamic(const cp_block *dyn, const cp_schema_attr *s, const cp_eval_ctx *ctx,
                             bool *ok, cp_value *list);
/* config_eval.c: one block body evaluated against its schema (a map). */
cp_value *cp__config_eval_block_body(const cp_body *b, const cp_schema_attr *attrs,
                                     const cp_eval_ctx *ctx, bool *ok);
/* config_moved.c: moved, removed, import and check blocks. decode: b is
 * one of them (false: it is not); check: the rules needing the resource
 * index; free: what decode allocated. instance_address: "type.name",
 * "type.name[0]" or "type.name[\"k\"]" from a reference (malloc'd) or NULL. */
bool cp__config_decode_state_block(cp_config *c, const cp_block *b, cp_diags *d);
void cp__config_check_state_blocks(const cp_config *c, cp_diags *d);
/* The root's import blocks against the index once modules are flattened
 * (an import may name a module's resource). */
void cp__config_check_imports(const cp_config *c, cp_diags *d);
void cp__config_free_state_blocks(cp_config *c);
char *cp__expr_instance_address(const cp_expr *e);
/* config_conditions.c: replace_triggered_by, precondition and
 * postcondition of a lifecycle block b; free: what it allocated. */
void cp__config_decode_lifecycle_more(cp_config_lifecycle *lc, const cp_block *b, cp_diags *d);
void cp__config_free_lifecycle_more(cp_config_lifecycle *lc);
/* config_literals.c: the provider's value rules on a body's literals. */
void cp__config_check_literal_rules(const cp_config *c, const cp_config_resource *r, cp_diags *d);
/* config_refs.c: every reference names something declared. */
void cp__config_check_refs(cp_config *c, cp_diags *d);

/* config_load.c: read, decode and check the files at path into c (whose
 * sources and types are set), loading its module calls too. */
void cp__config_load_into(cp_config *c, const char *path, const cp_config_backends *backends,
                          cp_diags *d);
/* config_module.c: decode a module block; load every module call of c
 * (recursively); move all modules' resources into the root (c). */
void cp__config_decode_module(cp_config *c, const cp_block *b, cp_diags *d);
void cp__config_load_modules(cp_config *c, cp_diags *d);
void cp__config_flatten_modules(cp_config *root, cp_diags *d);
void cp__config_free_modules(cp_config *c);
/* config_provider.c: decode a provider block; resolve every resource's
 * provider = … and every module call's providers = { … } of c (after all
 * its blocks are decoded, before its modules load); free what they made. */
void cp__config_decode_provider(cp_config *c, const cp_block *b, cp_diags *d);
void cp__config_resolve_providers(cp_config *c, cp_diags *d);
/* An import block's provider = P must be the provider instance of the
 * resource it imports into (the import reads through it). */
void cp__config_check_import_provider(const cp_config *c, const cp_expr *provider,
                                      const cp_config_resource *r, cp_diags *d);
void cp__config_free_providers(cp_config *c);
/* config_index.c: forget the resource index (its resources were moved). */
void cp__config_index_drop_resources(cp_config *c);

/* Literal string of an expression (a plain string or a template with no
 * interpolation), or NULL. */
const char *cp__expr_static_string(const cp_expr *e);
/* "type.name" / "data.type.name" from a reference expression, malloc'd, or NULL. */
char *cp__expr_address(const cp_expr *e);

/* config_index.c: hash index of resources by address. */
void cp__config_index_build(cp_config *c, cp_diags *d);
void cp__config_index_free(cp_config *c);
const cp_config_resource *cp__config_index_find(const cp_config *c, const char *address);
/* Name tables ('v' variables, 'l' locals): add c->variables[pos] or
 * c->locals[pos] once appended; find gives its position, or SIZE_MAX. */
void cp__config_name_add(cp_config *c, char kind, size_t pos);
size_t cp__config_name_find(const cp_config *c, char kind, const char *name);

#endif
