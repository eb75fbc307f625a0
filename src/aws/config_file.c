/*
 * config_file.c: parse ~/.aws/credentials and ~/.aws/config (see
 * config_file.h). A tiny INI reader: sections, "key = value", comments
 * starting with '#' or ';', indented sub-section lines.
 */
#include "aws/config_file.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

struct aws_profile {
    char **keys;
    char **values;
    size_t n, cap;
};

static const char *env_or(aws_getenv_fn g, const char *name)
{
    const char *v = g ? g(name) : getenv(name);
    return v && *v ? v : NULL;
}

const char *aws_profile_name(const char *explicit_name, aws_getenv_fn getenv_fn)
{
    if (explicit_name && *explicit_name) return explicit_name;
    const char *p = env_or(getenv_fn, "AWS_PROFILE");
    return p ? p : "default";
}

static char *home_path(aws_getenv_fn g, const char *override, const char *rel)
{
    const char *o = env_or(g, override);
    if (o) {
        if (o[0] == '~' && o[1] == '/' && env_or(g, "HOME"))
            return cp_xasprintf("%s%s", env_or(g, "HOME"), o + 1);
        return cp_xstrdup(o);
    }
    const char *home = env_or(g, "HOME");
    return cp_xasprintf("%s/%s", home ? home : ".", rel);
}

char *aws_credentials_file_path(aws_getenv_fn g)
{
    return home_path(g, "AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials");
}

char *aws_config_file_path(aws_getenv_fn g)
{
    return home_path(g, "AWS_CONFIG_FILE", ".aws/config");
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s)) s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1])) *--e = '\0';
    return s;
}

static void profile_set(aws_profile *p, const char *k, const char *v, bool overwrite)
{
    for (size_t i = 0; i < p->n; i++) {
        if (strcmp(p->keys[i], k) == 0) {
            if (overwrite) {
                free(p->values[i]);
                p->values[i] = cp_xstrdup(v);
            }
            return;
        }
    }
    CP_GROW(p->keys, p->n + 1, p->cap);
    p->values = cp_xrealloc(p->values, p->cap * sizeof(char *));
    p->keys[p->n] = cp_xstrdup(k);
    p->values[p->n] = cp_xstrdup(v);
    p->n++;
}

/* Does this section header name our profile? */
static bool section_matches(const char *sec, const char *name, bool config_file)
{
    if (!config_file) return strcmp(sec, name) == 0;
    if (strcmp(name, "default") == 0 && strcmp(sec, "default") == 0) return true;
    if (strncmp(sec, "profile", 7) != 0 || !isspace((unsigned char)sec[7])) return false;
    const char *n = sec + 8;
    while (isspace((unsigned char)*n)) n++;
    return strcmp(n, name) == 0;
}

/* Merge one file's section into p; returns true when the section exists. */
static bool load_file(aws_profile *p, const char *path, const char *name, bool config_file,
                      bool overwrite)
{
    FILE *f = path ? fopen(path, "r") : NULL;
    if (!f) return false;
    char line[4096], parent[256] = "";
    bool in = false, found = false;
    while (fgets(line, sizeof line, f)) {
        bool indented = line[0] == ' ' || line[0] == '\t';
        char *s = trim(line);
        if (!*s || *s == '#' || *s == ';') continue;
        if (*s == '[') {
            char *e = strchr(s, ']');
            if (e) *e = '\0';
            in = section_matches(trim(s + 1), name, config_file);
            found |= in;
            parent[0] = '\0';
            continue;
        }
        char *eq = strchr(s, '=');
        if (!in || !eq) continue;
        *eq = '\0';
        char *k = trim(s), *v = trim(eq + 1);
        if (indented && parent[0]) {
            char *full = cp_xasprintf("%s.%s", parent, k);
            profile_set(p, full, v, overwrite);
            free(full);
        } else if (!*v) {
            snprintf(parent, sizeof parent, "%s", k); /* sub-section starts */
        } else {
            parent[0] = '\0';
            profile_set(p, k, v, overwrite);
        }
    }
    fclose(f);
    return found;
}

aws_profile *aws_profile_load(const char *name, aws_getenv_fn g)
{
    aws_profile *p = cp_xcalloc(1, sizeof *p);
    char *cred = aws_credentials_file_path(g), *conf = aws_config_file_path(g);
    bool a = load_file(p, cred, name, false, true);
    bool b = load_file(p, conf, name, true, false);
    free(cred);
    free(conf);
    if (!a && !b) {
        aws_profile_free(p);
        return NULL;
    }
    return p;
}

const char *aws_profile_get(const aws_profile *p, const char *key)
{
    for (size_t i = 0; p && i < p->n; i++)
        if (strcmp(p->keys[i], key) == 0) return *p->values[i] ? p->values[i] : NULL;
    return NULL;
}

void aws_profile_free(aws_profile *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->keys[i]);
        memset(p->values[i], 0, strlen(p->values[i]));
        free(p->values[i]);
    }
    free(p->keys);
    free(p->values);
    free(p);
}
