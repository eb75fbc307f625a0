/*
 * functions_path.c: path built-ins: abspath basename dirname pathexpand
 * fileset. basename and dirname follow Go's filepath rules (as Terraform
 * does): "" gives ".", trailing slashes are dropped, dirname cleans its
 * result. abspath joins a relative path to the working directory and
 * cleans it (no symlinks are resolved, the path need not exist).
 * pathexpand replaces a leading "~" with $HOME. fileset walks the
 * directory under ctx->base_dir and matches each regular file's relative
 * path against the pattern with fnmatch, one segment at a time, where a
 * "**" segment matches any number of directories and {a,b} alternatives
 * are expanded first; the result is a sorted list (a set). The walk
 * follows symlinks, at most FILESET_DEPTH directories deep.
 */
#include "lang/functions_internal.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILESET_MAX   100000
#define FILESET_DEPTH 64 /* a symlink loop ends here */

/* Go's filepath.Clean: one slash between names, no "." names, ".." taken
 * back where it can be; "" becomes ".". */
static char *clean(const char *path)
{
    bool rooted = path[0] == '/';
    char *copy = cp_xstrdup(path);
    const char **seg = cp_xcalloc(strlen(path) / 2 + 2, sizeof *seg);
    size_t n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(copy, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        if (!strcmp(tok, ".")) continue;
        if (strcmp(tok, "..") != 0 || (n == 0 && !rooted) || (n > 0 && !strcmp(seg[n - 1], "..")))
            seg[n++] = tok;
        else if (n > 0)
            n--; /* "x/.." cancels; "/.." stays "/" */
    }
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_adds(&b, rooted ? "/" : "");
    for (size_t i = 0; i < n; i++) {
        if (i) cp_buf_addc(&b, '/');
        cp_buf_adds(&b, seg[i]);
    }
    if (b.len == 0) cp_buf_addc(&b, '.');
    free(seg);
    free(copy);
    return cp_buf_steal(&b);
}

cp_value *cp_fn_abspath(const cp_fn_call *c)
{
    const char *p = cp_string_val(c->args[0]);
    if (p[0] == '/') return cp_string_take(clean(p));
    char *cwd = getcwd(NULL, 0);
    if (!cwd) return cp__fn_error(c, "cannot read the working directory: %s", strerror(errno));
    char *joined = cp_xasprintf("%s/%s", cwd, p);
    free(cwd);
    cp_value *r = cp_string_take(clean(joined));
    free(joined);
    return r;
}

cp_value *cp_fn_basename(const cp_fn_call *c)
{
    const char *p = cp_string_val(c->args[0]);
    size_t n = strlen(p);
    if (n == 0) return cp_string(".");
    while (n > 0 && p[n - 1] == '/') n--;
    if (n == 0) return cp_string("/");
    size_t start = n;
    while (start > 0 && p[start - 1] != '/') start--;
    return cp_string_n(p + start, n - start);
}

cp_value *cp_fn_dirname(const cp_fn_call *c)
{
    const char *p = cp_string_val(c->args[0]);
    const char *slash = strrchr(p, '/');
    char *head = slash ? cp_xstrndup(p, (size_t)(slash - p) + 1) : cp_xstrdup("");
    cp_value *r = cp_string_take(clean(head));
    free(head);
    return r;
}

cp_value *cp_fn_pathexpand(const cp_fn_call *c)
{
    const char *p = cp_string_val(c->args[0]);
    if (p[0] != '~') return cp_retain(c->args[0]);
    if (p[1] && p[1] != '/')
        return cp__fn_arg_error(c, 0,
                                "only \"~\" alone expands, not \"~user\": write the "
                                "other user's home directory out");
    const char *home = getenv("HOME");
    struct passwd pw, *res = NULL;
    char buf[4096];
    if ((!home || !*home) && getpwuid_r(getuid(), &pw, buf, sizeof buf, &res) == 0 && res)
        home = pw.pw_dir;
    if (!home || !*home) return cp__fn_error(c, "cannot find the home directory: HOME is not set");
    return cp_stringf("%s%s", home, p + 1);
}

/* --- fileset -------------------------------------------------------------------- */

typedef struct patterns {
    char **items;
    size_t len, cap;
} patterns;

/* Expands the first {a,b,…} of pat (recursively) into out; false when a
 * brace is never closed. */
static bool expand_braces(const char *pat, patterns *out)
{
    const char *open = strchr(pat, '{');
    if (!open) {
        CP_GROW(out->items, out->len + 1, out->cap);
        out->items[out->len++] = cp_xstrdup(pat);
        return true;
    }
    int depth = 0;
    const char *close = open;
    for (; *close; close++) {
        depth += *close == '{' ? 1 : *close == '}' ? -1 : 0;
        if (depth == 0) break;
    }
    if (!*close) return false;
    const char *alt = open + 1;
    bool ok = true;
    for (const char *p = alt; ok && p <= close; p++) {
        depth += *p == '{' ? 1 : *p == '}' ? -1 : 0;
        if ((*p == ',' && depth == 0) || p == close) {
            char *one =
                cp_xasprintf("%.*s%.*s%s", (int)(open - pat), pat, (int)(p - alt), alt, close + 1);
            ok = expand_braces(one, out);
            free(one);
            alt = p + 1;
        }
    }
    return ok;
}

/* Whether the path segments name[0..nn) match pattern segments pat[0..np). */
static bool match_segments(char **pat, size_t np, char **name, size_t nn)
{
    if (np == 0) return nn == 0;
    if (!strcmp(pat[0], "**")) {
        for (size_t skip = 0; skip <= nn; skip++)
            if (match_segments(pat + 1, np - 1, name + skip, nn - skip)) return true;
        return false;
    }
    return nn > 0 && fnmatch(pat[0], name[0], 0) == 0 &&
           match_segments(pat + 1, np - 1, name + 1, nn - 1);
}

static size_t split(char *s, char ***out)
{
    size_t n = 0, cap = 0;
    *out = NULL;
    char *save = NULL;
    for (char *tok = strtok_r(s, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        CP_GROW(*out, n + 1, cap);
        (*out)[n++] = tok;
    }
    return n;
}

static bool matches_any(const patterns *pats, const char *rel)
{
    char *name = cp_xstrdup(rel);
    char **ns;
    size_t nn = split(name, &ns);
    bool hit = false;
    for (size_t i = 0; i < pats->len && !hit; i++) {
        char *pat = cp_xstrdup(pats->items[i]);
        char **ps;
        size_t np = split(pat, &ps);
        hit = match_segments(ps, np, ns, nn);
        free(ps);
        free(pat);
    }
    free(ns);
    free(name);
    return hit;
}

typedef struct walk {
    const patterns *pats;
    cp_value *found;
    size_t count;
} walk;

static void walk_dir(walk *w, const char *dir, const char *rel, int depth)
{
    if (depth > FILESET_DEPTH) return;
    DIR *d = opendir(dir);
    if (!d) return;
    for (struct dirent *e; (e = readdir(d)) && w->count < FILESET_MAX;) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char *full = cp_xasprintf("%s/%s", dir, e->d_name);
        char *sub = *rel ? cp_xasprintf("%s/%s", rel, e->d_name) : cp_xstrdup(e->d_name);
        struct stat st;
        if (stat(full, &st) == 0 && S_ISDIR(st.st_mode))
            walk_dir(w, full, sub, depth + 1);
        else if (S_ISREG(st.st_mode) && matches_any(w->pats, sub)) {
            cp_list_push_take(w->found, cp_string(sub));
            w->count++;
        }
        free(sub);
        free(full);
    }
    closedir(d);
}

cp_value *cp_fn_fileset(const cp_fn_call *c)
{
    const char *path = cp_string_val(c->args[0]), *base = c->ctx->base_dir;
    patterns pats = { 0 };
    cp_value *r = NULL;
    if (!expand_braces(cp_string_val(c->args[1]), &pats)) {
        r = cp__fn_arg_error(c, 1, "a \"{\" in the pattern is never closed with \"}\"");
    } else {
        char *dir = path[0] == '/' || !base || !*base ? cp_xstrdup(path)
                                                      : cp_xasprintf("%s/%s", base, path);
        walk w = { &pats, cp_list_new(), 0 };
        walk_dir(&w, dir, "", 0);
        free(dir);
        r = cp__set_of(w.found);
        cp_release(w.found);
    }
    for (size_t i = 0; i < pats.len; i++) free(pats.items[i]);
    free(pats.items);
    return r;
}
