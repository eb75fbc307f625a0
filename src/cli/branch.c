/*
 * branch.c: detecting and sanitizing the deployment branch (see branch.h).
 */
#include "cli/branch.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <limits.h>
#include <mbedtls/sha256.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_first_line(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    char line[1024];
    char *r = fgets(line, sizeof line, f);
    fclose(f);
    if (!r) return NULL;
    line[strcspn(line, "\r\n")] = '\0';
    return cp_xstrdup(line);
}

/* The .git directory for dir: dir/.git, or the gitdir a .git file names. */
static char *git_dir_at(const char *dir)
{
    char *p = cp_xasprintf("%s/.git/HEAD", dir);
    FILE *f = fopen(p, "r");
    free(p);
    if (f) {
        fclose(f);
        return cp_xasprintf("%s/.git", dir);
    }
    char *gitfile = cp_xasprintf("%s/.git", dir);
    char *line = read_first_line(gitfile);
    free(gitfile);
    if (!line || strncmp(line, "gitdir: ", 8)) {
        free(line);
        return NULL;
    }
    char *gd = line[8] == '/' ? cp_xstrdup(line + 8) : cp_xasprintf("%s/%s", dir, line + 8);
    free(line);
    return gd;
}

/* Branch from .git/HEAD, searching upwards from start; NULL when detached or none. */
static char *git_branch(const char *start)
{
    char path[PATH_MAX];
    if (!realpath(start ? start : ".", path)) return NULL;
    for (;;) {
        char *gd = git_dir_at(path);
        if (gd) {
            char *headp = cp_xasprintf("%s/HEAD", gd);
            char *head = read_first_line(headp);
            free(headp);
            free(gd);
            char *out = NULL;
            if (head && !strncmp(head, "ref: refs/heads/", 16)) out = cp_xstrdup(head + 16);
            free(head);
            return out;
        }
        char *slash = strrchr(path, '/');
        if (!slash || slash == path) return NULL;
        *slash = '\0';
    }
}

char *cp_branch_detect(const char *flag, const char *stack_dir, cp_branch_getenv_fn getenv_fn,
                       const char **source)
{
    static const char *const vars[] = { "CPSTACK_BRANCH",
                                        "GITHUB_HEAD_REF",
                                        "GITHUB_REF_NAME",
                                        "CI_COMMIT_REF_NAME",
                                        "BRANCH_NAME",
                                        "BUILDKITE_BRANCH",
                                        NULL };
    const char *(*ge)(const char *) = getenv_fn ? getenv_fn : (const char *(*)(const char *))getenv;
    const char *dummy;
    if (!source) source = &dummy;
    if (flag && *flag) {
        *source = "-branch";
        return cp_xstrdup(flag);
    }
    for (const char *const *v = vars; *v; v++) {
        const char *val = ge(*v);
        if (val && *val) {
            *source = *v;
            return cp_xstrdup(val);
        }
    }
    char *g = git_branch(stack_dir);
    if (g) {
        *source = "git";
        return g;
    }
    *source = "default";
    return cp_xstrdup("default");
}

static void short_hash(const char *raw, char out[7])
{
    unsigned char h[32];
    mbedtls_sha256_ret((const unsigned char *)raw, strlen(raw), h, 0);
    snprintf(out, 7, "%02x%02x%02x", h[0], h[1], h[2]);
}

char *cp_branch_sanitize(const char *raw, size_t max_len)
{
    cp_buf b;
    cp_buf_init(&b);
    for (const char *p = raw; *p; p++) {
        char c = (char)tolower((unsigned char)*p);
        if (!isalnum((unsigned char)c) || (unsigned char)*p >= 0x80) c = '-';
        if (c == '-' && (b.len == 0 || b.data[b.len - 1] == '-')) continue;
        cp_buf_addc(&b, c);
    }
    while (b.len && b.data[b.len - 1] == '-') b.data[--b.len] = '\0';
    if (max_len < 8) max_len = 8;
    if (b.len > max_len) {
        char h[7];
        short_hash(raw, h);
        b.len = max_len - 7;
        while (b.len && b.data[b.len - 1] == '-') b.len--;
        b.data[b.len] = '\0';
        cp_buf_printf(&b, "-%s", h);
    }
    if (b.len == 0) cp_buf_adds(&b, "default");
    return cp_buf_steal(&b);
}
