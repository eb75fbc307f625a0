/*
 * check.h: invariant checks, SQLite style.
 *
 * Two strengths, chosen by what going on would cost:
 *   - CP_CHECK(cond, msg): always on, release builds too. For a broken
 *     invariant after which going on would lose or corrupt data (a builder
 *     handed the wrong kind, a _take argument already released). Prints
 *     "cpstack: internal error: FILE:LINE: FUNC: msg" and aborts.
 *   - assert(cond) (from <assert.h>): debug builds only (the default meson
 *     build and every test build). For a caller's mistake that release builds
 *     answer with the documented safe fallback (cp_string_val on a non-string
 *     gives ""), so users never see a crash there.
 * Either firing is a bug in the caller, never a user error.
 */
#ifndef CP_UTIL_CHECK_H
#define CP_UTIL_CHECK_H

#include <assert.h>

_Noreturn void cp_check_failed(const char *file, int line, const char *func, const char *msg);

#define CP_CHECK(cond, msg)                                                                        \
    do {                                                                                           \
        if (!(cond)) cp_check_failed(__FILE__, __LINE__, __func__, (msg));                         \
    } while (0)

#endif
