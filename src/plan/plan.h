/*
 * plan.h: the planner — config × state × reality → a cp_plan.
 *
 * cp_plan_make refreshes every managed instance in state through its
 * provider (in parallel; read_batch for runs of one type), reads data
 * sources whose config is known, then walks the stack's dependency graph in
 * order: count/for_each expansion, each instance's body evaluated with
 * references resolved to planned values (unknown until apply where not
 * known) and checked by its type's validate_config (rules between
 * arguments: a broken one is an error at the resource block, so plan fails
 * before apply creates anything), diffed against its refreshed prior
 * state (diff.h); instances in state but no longer in config are planned
 * for deletion; outputs last.
 * -target limits the plan to the targeted resources and what they depend
 * on (with destroy: the targeted objects and everything that depends on
 * them, in state or config); -replace forces replacement; destroy plans
 * the deletion of everything.
 * prevent_destroy turns a planned destroy into an error.
 *
 * Resource types are found through opts->types (the config carries only
 * their schemas); each change records its type and provider for apply.
 * Providers are reached only through opts->client, which returns the
 * configured client of a provider (and must be thread-safe). The prior
 * state is borrowed; the refreshed one is returned to the caller (apply and
 * `refresh` persist it).
 */
#ifndef CP_PLAN_PLAN_H
#define CP_PLAN_PLAN_H

#include <signal.h>
#include <stdio.h>

#include "config/config.h"
#include "plan/events.h"
#include "plan/model.h"
#include "state/state.h"

/* At most this many instances per resource from count or for_each
 * (Terraform has no limit; a typo such as `count = 100000000` would
 * otherwise plan for hours and exhaust memory). */
enum { CP_MAX_INSTANCES = 10000 };

/* Returns the client of provider p's instance `instance` ("aws.west", from
 * a provider block with that alias; NULL: the default instance), or NULL
 * with *err (malloc'd). */
typedef void *(*cp_client_fn)(void *ud, const cp_provider *p, const char *instance, char **err);

typedef struct cp_plan_opts {
    const cp_config *config;
    const cp_type_lookup *types; /* the resource types (and providers) to plan with */
    const cp_value *variables;   /* map from cp_config_eval_variables */
    const char *stack_name, *branch, *region;
    bool refresh; /* false: -refresh=false (pending creates still read) */
    bool destroy;
    bool refresh_only;    /* -refresh-only: the plan holds only the drift */
    const char **targets; /* -target addresses */
    size_t ntargets;
    const char **replace; /* -replace addresses */
    size_t nreplace;
    int parallelism;
    cp_client_fn client;
    void *client_ud;
    const volatile sig_atomic_t *cancel;
    FILE *progress;              /* "X: Refreshing state..." lines, or NULL */
    const cp_observer *observer; /* refresh_start / refresh_complete events, or NULL */
} cp_plan_opts;

/* Plan. Returns 0 with *out and *refreshed (caller frees both), or -1 after
 * adding errors to d (*out / *refreshed NULL). */
int cp_plan_make(const cp_plan_opts *o, const cp_state *prior, cp_plan **out, cp_state **refreshed,
                 cp_diags *d);

/* Refresh only (refresh.c): a new state with every managed instance read
 * again (only_pending: only pending creates). -1 after errors in d. */
int cp_plan_refresh(const cp_plan_opts *o, const cp_state *prior, bool only_pending, cp_state **out,
                    cp_diags *d);

/* Record in p every managed object of prior that refresh found different
 * in refreshed, or gone (drift.c). */
void cp_plan_find_drift(const cp_type_lookup *types, const cp_state *prior,
                        const cp_state *refreshed, cp_plan *p);
/* Drops the drift of objects planned as no-op whose only differences are
 * in attributes the provider computes (drift.c): what a plan shows. */
void cp_plan_prune_drift(cp_plan *p);

/* cfg as provider p's instance will create it (the provider's
 * instance_config: AWS merges default_tags into tags), consuming cfg. An
 * instance that cannot be configured (no region yet) leaves cfg as it is:
 * its calls report why when they are made. */
cp_value *cp_plan_instance_config_take(cp_client_fn client, void *ud, const cp_provider *p,
                                       const char *instance, const cp_resource_type *rt,
                                       cp_value *cfg);

/* Type of a state instance and its provider (NULL when unknown), found
 * through types. */
const cp_resource_type *cp_plan_type_of(const cp_type_lookup *types, const cp_addr *a,
                                        const cp_provider **prov);

#endif
