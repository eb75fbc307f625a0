/*
 * ui_json.h: the machine-readable UI (`-json` on plan, apply, destroy and
 * refresh): one JSON object per line on stdout, in the shape of
 * Terraform's machine-readable UI (docs/json-ui.md, docs/json-ui.schema.json).
 *
 * Every line has "@level", "@message", "@module" ("cpstack.ui"),
 * "@timestamp" (RFC 3339, UTC, microseconds) and "type". The engine's
 * progress reaches it through cp_ui_json_observer (plan/events.h): lines
 * are written whole, so worker threads never interleave inside one.
 * Values are never printed where they may be secret: planned changes carry
 * addresses and actions only; outputs of an apply carry their values
 * except sensitive ones, which carry "sensitive": true and no value (as
 * Terraform's stream does).
 */
#ifndef CP_CLI_UI_JSON_H
#define CP_CLI_UI_JSON_H

#include <jansson.h>
#include <stdbool.h>

#include "lang/diag.h"
#include "plan/events.h"
#include "plan/model.h"
#include "state/state.h"

/* The observer that turns engine events into lines. */
extern const cp_observer cp_ui_json_observer;

/* {"type":"version"}: first line of every stream. */
void cp_ui_json_version(void);
/* resource_drift for each drifted object, planned_change for each change,
 * change_summary (operation "plan") and, when outputs change, outputs. */
void cp_ui_json_plan(const cp_plan *p, bool summary);
/* change_summary of a finished apply ("apply" or "destroy"). */
void cp_ui_json_apply_summary(size_t added, size_t changed, size_t destroyed, bool destroy);
/* outputs after an apply: values, sensitive ones without. */
void cp_ui_json_outputs(const cp_state *st);
/* {"sensitive","type"[,"value"]} of one output, as Terraform's
 * `output -json` and outputs message show it; with_value shows the value
 * in clear, sensitive or not (new reference). */
json_t *cp_ui_output_json(const cp_value *v, bool sensitive, bool with_value);
/* One diagnostic line per entry of d (file and position in "range"). */
void cp_ui_json_diags(const cp_diags *d, const cp_sources *sources);
/* One error diagnostic with msg as its summary. */
void cp_ui_json_error(const char *msg);

#endif
