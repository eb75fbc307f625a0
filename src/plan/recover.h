/*
 * recover.h: finding again the object of an interrupted create (the
 * recovery key of provider.h), shared by apply (which records the intent
 * and adopts an object a lost answer left) and refresh (which looks a
 * pending create up on the next run).
 *
 * Invariants: an intent always holds CP_INTENT_KEY (a fresh UUID) unless
 * its type is CP_RECOVER_NONE; a CP_RECOVER_NAME intent always holds its
 * name; no state written to the state file as an object holds
 * CP_INTENT_KEY (cp_recover_strip).
 */
#ifndef CP_PLAN_RECOVER_H
#define CP_PLAN_RECOVER_H

#include "providers/provider.h"

/* The config create() gets and the intent records: cfg plus CP_INTENT_KEY
 * and CP_INTENT_AT_KEY and, for a CP_RECOVER_NAME type whose name is null,
 * a made-up name. A new
 * reference (cfg itself, retained, for CP_RECOVER_NONE). */
cp_value *cp_recover_prepare(const cp_resource_type *rt, const cp_value *cfg);

/* A state without CP_INTENT_KEY / CP_INTENT_AT_KEY (new reference; NULL stays NULL). */
cp_value *cp_recover_strip(const cp_value *state);

/* Look up what the create of this intent made: 0 with *state (stripped) or
 * NULL (surely nothing); -1 with c->error (malloc'd) saying what to look
 * for and the commands to run when the type cannot tell. */
int cp_recover_find(const cp_resource_type *rt, cp_provider_call *c, const cp_value *intent,
                    cp_value **state);

/* What finds the object, for messages: "name web-sg", "tag cpstack:intent=…",
 * "id i-…" (malloc'd). */
char *cp_recover_describe(const cp_resource_type *rt, const cp_value *intent);

#endif
