/*
 * render.h: showing a plan to people (Terraform's familiar form) and to
 * machines (-json).
 *
 * Human form, per change:
 *     # aws_s3_bucket.logs will be created
 *     + resource "aws_s3_bucket" "logs" {
 *         + bucket = "x"
 *         + arn    = (known after apply)
 *       }
 * with `~` update in place, `-/+` (or `+/-` with create_before_destroy)
 * replace and `# forces replacement` on the causes, `-` destroy, old -> new
 * per attribute, "(sensitive value)" for anything sensitive, and a final
 * "Plan: X to add, Y to change, Z to destroy." Colour (ANSI) only when the
 * caller says so (a TTY and no NO_COLOR: see cp_render_use_color).
 * JSON form: one object with resource_changes, output_changes and summary;
 * sensitive values appear as null with a *_sensitive flag, never in clear.
 */
#ifndef CP_PLAN_RENDER_H
#define CP_PLAN_RENDER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "plan/model.h"
#include "state/state.h"
#include "util/buf.h"

/* The whole plan: actions, output changes and the "Plan:" line (or
 * "No changes."). */
void cp_render_plan(cp_buf *out, const cp_plan *p, bool color);
/* One change block (without trailing blank line). */
void cp_render_change(cp_buf *out, const cp_change *c, bool color);
/* The "Objects changed outside cpstack" section (nothing without drift). */
void cp_render_drift(cp_buf *out, const cp_plan *p, bool color);
/* One drifted object: "# ADDR has changed" (or "has been deleted"), then
 * the attributes that differ, before -> after. */
void cp_render_drift_one(cp_buf *out, const cp_drift *d, bool color);
/* One object of state as `cpstack show` prints it: "# ADDR:", then
 * `resource "T" "N" {` with every attribute and block that is not null
 * (sensitive ones as "(sensitive value)"). */
void cp_render_object(cp_buf *out, const char *address, const cp_addr *a,
                      const cp_resource_type *rt, const cp_value *attrs, bool color);
/* "Plan: X to add, Y to change, Z to destroy." plus newline. */
void cp_render_summary(cp_buf *out, const cp_plan *p);
/* JSON form (new reference): Terraform's plan JSON where practical
 * (format_version, resource_drift, resource_changes, output_changes,
 * planned_values, and prior_state from prior when it is not NULL). */
json_t *cp_plan_render_json(const cp_plan *p, const cp_state *prior);
/* The whole state as Terraform's `show -json` of a state: format_version
 * and values.outputs / values.root_module (resources, child_modules);
 * sensitive values null, marked in sensitive_values (new reference). */
json_t *cp_state_render_json(const cp_state *st);
/* A value as JSON for machines: sensitive → null, unknown → null. */
json_t *cp_render_value_json(const cp_value *v);
/* True when stream is a TTY and NO_COLOR is unset or empty. */
bool cp_render_use_color(FILE *stream);

#endif
