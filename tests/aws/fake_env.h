/*
 * fake_env.h: an injectable environment for tests (aws_getenv_fn), so tests
 * never setenv() the real process environment. Header-only; each test file
 * has its own table.
 */
#ifndef CP_TESTS_AWS_FAKE_ENV_H
#define CP_TESTS_AWS_FAKE_ENV_H

#include <stdio.h>
#include <string.h>

#define FAKE_ENV_MAX 32
static char fake_env_keys[FAKE_ENV_MAX][64];
static char fake_env_vals[FAKE_ENV_MAX][512];
static int fake_env_n;

static inline void fake_env_reset(void) { fake_env_n = 0; }

static inline void fake_env_set(const char *k, const char *v)
{
    for (int i = 0; i < fake_env_n; i++)
        if (strcmp(fake_env_keys[i], k) == 0) {
            snprintf(fake_env_vals[i], 512, "%s", v);
            return;
        }
    snprintf(fake_env_keys[fake_env_n], 64, "%s", k);
    snprintf(fake_env_vals[fake_env_n], 512, "%s", v);
    fake_env_n++;
}

static inline const char *fake_getenv(const char *k)
{
    for (int i = 0; i < fake_env_n; i++)
        if (strcmp(fake_env_keys[i], k) == 0) return fake_env_vals[i];
    return NULL;
}

#endif
