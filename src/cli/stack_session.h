/*
 * stack_session.h: everything an engine command (plan, apply, destroy,
 * refresh, output, state, import, force-unlock) needs before it can work:
 * the stack's config, its variables, the branch, the state backend and
 * store (locked when asked), the current state, and provider clients
 * configured on first use (thread-safe, so plan and apply workers share it).
 * Every failure is printed as one line (or the config's diagnostics) and
 * cp_session_open returns -1.
 */
#ifndef CP_CLI_STACK_SESSION_H
#define CP_CLI_STACK_SESSION_H

#include <pthread.h>
#include <stdbool.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "config/config.h"
#include "providers/provider.h"
#include "backend/store.h"

typedef struct cp_session_opts {
    const cp_cli *cli;           /* the program: its providers */
    const char *dir;             /* stack directory; NULL = "." */
    const char *branch;          /* -branch; NULL = detect (cli/branch.h) */
    const char *region;          /* -region; NULL = stack / environment */
    const cp_strlist *vars;      /* -var k=v */
    const cp_strlist *var_files; /* -var-file */
    const char *lock_timeout;    /* "30s", "2m", "500ms"; NULL = fail at once */
    const char *operation;       /* for the lock: "apply", "plan", … */
    bool lock;                   /* take the state lock */
    bool no_variables;           /* do not evaluate variables (state commands) */
    bool any_owner;              /* accept a state naming another stack/branch (branches) */
    bool no_color;
} cp_session_opts;

#define CP_SESSION_MAX_PROVIDERS 16

typedef struct cp_session {
    cp_config *config;
    cp_type_lookup types; /* the program's resource types, for plan */
    cp_value *variables;  /* map; defaults and environment only when no_variables */
    bool quiet_settings;  /* no_variables: a region naming an unset variable is left unset */
    char *branch;
    char *region; /* NULL when the stack sets none */
    cp_backend *backend;
    cp_store *store;
    cp_state *state; /* as stored, or a new empty state */
    bool color;
    pthread_mutex_t mu; /* guards the clients */
    const cp_provider *providers[CP_SESSION_MAX_PROVIDERS];
    char *instances[CP_SESSION_MAX_PROVIDERS]; /* "aws.west"; NULL: the default instance */
    void *clients[CP_SESSION_MAX_PROVIDERS];
    size_t nclients;
    struct cp_stack_reader *reader; /* for providers with configure_host; made on first use */
    cp_provider_host host;
} cp_session;

int cp_session_open(cp_session *s, const cp_session_opts *o);
/* Unlocks, closes providers and frees everything. */
void cp_session_close(cp_session *s);
/* A cp_client_fn: the configured client of provider p. */
void *cp_session_client(void *ud, const cp_provider *p, const char *instance, char **err);
/* Write s->state now; prints the error and returns -1 on failure. */
int cp_session_save(cp_session *s);
/* "30s" → milliseconds; -1 when malformed. */
long cp_session_parse_duration(const char *text);

#endif
