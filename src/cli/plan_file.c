/*
 * plan_file.c: saved plans (`plan -out FILE`, `apply FILE`).
 *
 * A plan file is JSON (mode 0600) holding what is needed to make the same
 * plan again and to check it is still the same: the state's lineage and
 * serial it was made against, the flags (targets, replace, destroy,
 * refresh), the -var assignments of NON-sensitive variables and -var-file
 * paths, and each change's address and action. No attribute value is
 * stored, so no secret ever reaches the file: sensitive variables must be
 * given again at apply time. `apply FILE` refuses a file whose state has
 * moved on, re-plans with the saved flags, and refuses again if the
 * changes differ from the saved ones.
 */
#include "cli/engine_cmd.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static json_t *strlist_json(const cp_strlist *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->len; i++) json_array_append_new(a, json_string(l->items[i]));
    return a;
}

static json_t *safe_vars(const cp_strlist *vars, const cp_config *c)
{
    json_t *a = json_array();
    for (size_t i = 0; i < vars->len; i++) {
        const char *kv = vars->items[i], *eq = strchr(kv, '=');
        char *name = eq ? cp_xstrndup(kv, (size_t)(eq - kv)) : cp_xstrdup(kv);
        const cp_config_variable *v = cp_config_find_variable(c, name);
        if (!v || !v->sensitive) json_array_append_new(a, json_string(kv));
        free(name);
    }
    return a;
}

static json_t *changes_json(const cp_plan *p)
{
    json_t *a = json_array();
    for (size_t i = 0; i < p->nchanges; i++) {
        const cp_change *c = &p->changes[i];
        if (c->action == CP_ACTION_NOOP) continue;
        json_array_append_new(
            a, json_pack("{s:s,s:s}", "address", c->address, "action", cp_action_name(c->action)));
    }
    return a;
}

static bool write_all(int fd, const char *text, size_t len)
{
    for (size_t done = 0; done < len;) {
        ssize_t n = write(fd, text + done, len - done);
        if (n <= 0) return false;
        done += (size_t)n;
    }
    return true;
}

/* Write the file as a new 0600 file renamed over path: an existing file keeps
 * neither its old mode (say 0644) nor half of its old text. errno tells why
 * when this fails. */
static bool write_private(const char *path, const char *text, size_t len)
{
    char *tmp = cp_xasprintf("%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp); /* mode 0600 */
    if (fd < 0) {
        free(tmp);
        return false;
    }
    bool ok = fchmod(fd, 0600) == 0 && write_all(fd, text, len) && fsync(fd) == 0;
    int saved = errno;
    if (close(fd) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    if (ok && rename(tmp, path) != 0) {
        ok = false;
        saved = errno;
    }
    if (!ok) unlink(tmp);
    free(tmp);
    errno = saved;
    return ok;
}

int cp_plan_file_save(const char *path, const cp_plan *p, const cp_engine_flags *f,
                      const cp_config *c, char **err)
{
    json_t *j = json_pack("{s:s,s:i,s:s,s:I,s:b,s:b}", "format", "cpstack-plan", "version", 1,
                          "lineage", p->lineage ? p->lineage : "", "serial", (json_int_t)p->serial,
                          "destroy", f->destroy, "refresh", f->refresh);
    if (f->refresh_only) json_object_set_new(j, "refresh_only", json_true());
    json_object_set_new(j, "targets", strlist_json(&f->targets));
    json_object_set_new(j, "replace", strlist_json(&f->replace));
    json_object_set_new(j, "vars", safe_vars(&f->vars, c));
    json_object_set_new(j, "var_files", strlist_json(&f->var_files));
    json_object_set_new(j, "changes", changes_json(p));
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
    json_decref(j);
    bool ok = write_private(path, text, strlen(text));
    if (!ok)
        *err = cp_xasprintf("cannot write plan file %s: %s; check the path", path, strerror(errno));
    free(text);
    return ok ? 0 : -1;
}

static void load_list(json_t *a, cp_engine_flags *f, cp_strlist *l)
{
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        if (!json_is_string(v)) continue;
        f->owned = cp_xrealloc(f->owned, (f->nowned + 1) * sizeof(char *));
        f->owned[f->nowned] = cp_xstrdup(json_string_value(v));
        cp_strlist_push(l, f->owned[f->nowned++]);
    }
}

static cp_plan *load_changes(json_t *a)
{
    cp_plan *p = cp_plan_new();
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        const char *addr = json_string_value(json_object_get(v, "address"));
        const char *act = json_string_value(json_object_get(v, "action"));
        if (!addr || !act) continue;
        cp_action action = CP_ACTION_NOOP;
        for (int k = CP_ACTION_NOOP; k <= CP_ACTION_READ; k++)
            if (!strcmp(cp_action_name((cp_action)k), act)) action = (cp_action)k;
        cp_plan_add(p, addr, "", "", action, NULL, NULL);
    }
    return p;
}

int cp_plan_file_load(const char *path, cp_engine_flags *f, cp_plan **saved, char **lineage,
                      long long *serial, char **err)
{
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    const char *fmt = j ? json_string_value(json_object_get(j, "format")) : NULL;
    if (!j || !fmt || strcmp(fmt, "cpstack-plan") != 0) {
        *err =
            cp_xasprintf("%s is not a cpstack plan file (%s); make one with cpstack plan -out FILE",
                         path, j ? "wrong format" : je.text);
        json_decref(j);
        return -1;
    }
    *lineage = cp_xstrdup(json_string_value(json_object_get(j, "lineage"))
                              ? json_string_value(json_object_get(j, "lineage"))
                              : "");
    *serial = (long long)json_integer_value(json_object_get(j, "serial"));
    f->destroy = json_is_true(json_object_get(j, "destroy"));
    f->refresh = !json_is_false(json_object_get(j, "refresh"));
    f->refresh_only = json_is_true(json_object_get(j, "refresh_only"));
    load_list(json_object_get(j, "targets"), f, &f->targets);
    load_list(json_object_get(j, "replace"), f, &f->replace);
    load_list(json_object_get(j, "vars"), f, &f->vars);
    load_list(json_object_get(j, "var_files"), f, &f->var_files);
    *saved = load_changes(json_object_get(j, "changes"));
    json_decref(j);
    return 0;
}

char *cp_plan_file_compare(const cp_plan *saved, const cp_plan *now)
{
    size_t k = 0;
    for (size_t i = 0; i < now->nchanges; i++) {
        const cp_change *c = &now->changes[i];
        if (c->action == CP_ACTION_NOOP) continue;
        const cp_change *s = cp_plan_find(saved, c->address);
        if (!s || s->action != c->action)
            return cp_xasprintf("%s would now %s%s", c->address, cp_action_name(c->action),
                                s ? "" : " but the saved plan did not touch it");
        k++;
    }
    if (k != saved->nchanges) return cp_xstrdup("some saved changes are no longer needed");
    return NULL;
}
