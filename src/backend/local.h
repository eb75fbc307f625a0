/*
 * local.h: opening the local state backend (local.c), the default: state
 * files in a directory beside the stack, written atomically, with a backup
 * and lock files.
 */
#ifndef CP_BACKEND_LOCAL_H
#define CP_BACKEND_LOCAL_H

#include "backend/backend.h"
#include "backend/backend_type.h"

typedef struct cp_local_options {
    /* Directory of "<branch>.cpstate" files, created (0700) when first
     * written; the CLI passes "<stack dir>/.cpstack". */
    const char *dir;
    /* Or one explicit state file, used whatever the branch (single-branch
     * use and tests). Its directory must exist. Set dir or path. */
    const char *path;
    /* TEST HOOK, NULL in production: called before each step of a write
     * ("open", "write", "fsync", "close", "backup", "rename", "fsync_dir");
     * a non-zero errno value makes that step fail with it ("write" then
     * writes half the data first, like a full disk). */
    int (*fault)(void *ud, const char *step);
    void *fault_ud;
} cp_local_options;

/* 0 and *out, or -1 and *err. */
int cp_backend_local_open(const cp_local_options *opt, cp_backend **out, char **err);

/* backend "local" {}: no settings; state in <stack dir>/.cpstack. */
extern const cp_backend_type cp_backend_type_local;

#endif
