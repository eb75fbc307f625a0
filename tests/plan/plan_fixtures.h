/*
 * plan_fixtures.h: shared helpers for tests/plan: a fake resource type
 * schema exercising every flag, values written as JSON with "(unknown)"
 * standing for an unknown value, and golden-file comparison.
 */
#ifndef CP_TESTS_PLAN_FIXTURES_H
#define CP_TESTS_PLAN_FIXTURES_H

#include <stdbool.h>

#include "lang/value.h"
#include "providers/provider.h"

extern const cp_resource_type fx_bucket_type; /* update allowed */
extern const cp_resource_type fx_nocrud_type; /* no update: every change replaces */

/* Parse JSON text into a value; the string "(unknown)" becomes unknown and
 * "(sensitive)x" becomes the string x marked sensitive. Aborts on bad JSON. */
cp_value *fx_value(const char *json);
/* Compare text with tests/plan/golden/<name>; with CP_UPDATE_GOLDEN=1 in the
 * environment, (re)write the file instead. Returns true when equal. */
bool fx_golden(const char *name, const char *text);

#endif
