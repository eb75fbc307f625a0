/*
 * branch.h: which deployment of a stack this run is about.
 *
 * A stack can be deployed once per git branch, side by side; each branch
 * has its own state and its names carry `stack.branch`. The branch comes
 * from, first match wins: -branch NAME, CPSTACK_BRANCH, CI variables
 * (GITHUB_HEAD_REF, GITHUB_REF_NAME, CI_COMMIT_REF_NAME, BRANCH_NAME,
 * BUILDKITE_BRANCH), the current git branch read from .git/HEAD (searched
 * upwards from the stack directory; worktrees' .git files are followed),
 * else "default". The name is then made safe for AWS resource names.
 * Choosing it is the CLI's business (flags, environment, the checkout); the
 * session hands it to the store and to expressions as stack.branch.
 */
#ifndef CP_CLI_BRANCH_H
#define CP_CLI_BRANCH_H

#include <stddef.h>

/* Reads environment variables through getenv_fn (NULL: getenv). */
typedef const char *(*cp_branch_getenv_fn)(const char *name);

/* The raw branch name (malloc'd) and, in *source, where it came from
 * ("-branch", "CPSTACK_BRANCH", "git", "default", …). */
char *cp_branch_detect(const char *flag, const char *stack_dir, cp_branch_getenv_fn getenv_fn,
                       const char **source);

/* Safe for AWS names: lower case, [a-z0-9-] (anything else becomes '-'),
 * no leading/trailing/double '-', at most max_len characters; a name that
 * had to be cut ends in '-' and 6 hex characters of its SHA-256 so two long
 * branches never collide. Empty → "default". malloc'd. */
char *cp_branch_sanitize(const char *raw, size_t max_len);

#define CP_BRANCH_MAX_LEN 32

#endif
