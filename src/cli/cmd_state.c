/*
 * cmd_state.c: `cpstack state list|show|rm|mv` — inspect and edit state
 * without touching real objects. rm forgets objects (they keep existing);
 * mv renames an address (e.g. after renaming a resource in the stack).
 * Both carry an instance's deposed objects (old objects of an interrupted
 * create_before_destroy) along: rm forgets them too, mv moves them.
 */
#include "cli/commands.h"
#include "cli/engine_cmd.h"
#include "plan/render.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: cpstack state <list|show|rm|mv> [args]\n\n"
    "  state list [ADDR...]        addresses in state (optionally only matching ones)\n"
    "  state show ADDR             one instance's attributes (sensitive ones hidden)\n"
    "  state rm ADDR...            forget instances and their deposed objects (real\n"
    "                              objects are left alone)\n"
    "  state mv SRC DST            move an instance (and its deposed objects) to another address,\n"
    "                              e.g. into a module: aws_x.y module.m.aws_x.y; or a whole\n"
    "                              module instance: module.a module.b[\"k\"]\n\n"
    "  -branch NAME                the deployment (default: CPSTACK_BRANCH, git branch)\n";

static bool matches_any(const cp_strlist *pats, size_t from, const cp_addr *a)
{
    if (pats->len <= from) return true;
    for (size_t i = from; i < pats->len; i++) {
        char *mod = NULL;
        if (cp_addr_parse_module(pats->items[i], &mod, NULL)) { /* module.a: all inside it */
            bool m = a->module && cp_addr_module_matches(mod, a->module, true);
            free(mod);
            if (m) return true;
            continue;
        }
        cp_addr p;
        if (!cp_addr_parse(pats->items[i], &p, NULL)) continue;
        bool m = cp_addr_matches(&p, a);
        cp_addr_clear(&p);
        if (m) return true;
    }
    return false;
}

/* Current objects, each followed by the deposed objects of its address
 * ("ADDR  # deposed object KEY"), in address order. */
static int state_list(cp_session *s, const cp_strlist *pos)
{
    size_t i = 0, j = 0, n = cp_state_count(s->state), nd = cp_state_deposed_count(s->state);
    while (i < n || j < nd) {
        const cp_instance *cur = i < n ? cp_state_at(s->state, i) : NULL;
        const cp_instance *dep = j < nd ? cp_state_deposed_at(s->state, j) : NULL;
        bool take_dep =
            dep && (!cur || cp_addr_compare(cp_instance_addr(dep), cp_instance_addr(cur)) < 0);
        const cp_instance *inst = take_dep ? dep : cur;
        if (take_dep)
            j++;
        else
            i++;
        if (!matches_any(pos, 1, cp_instance_addr(inst))) continue;
        cp_status st = cp_instance_status(inst);
        if (take_dep)
            printf("%s  # deposed object %s\n", cp_instance_addr_str(inst),
                   cp_instance_deposed_key(inst));
        else
            printf("%s%s%s\n", cp_instance_addr_str(inst), st == CP_STATUS_OK ? "" : "  # ",
                   st == CP_STATUS_OK ? "" : cp_status_name(st));
    }
    return 0;
}

static int state_show(cp_session *s, const cp_strlist *pos)
{
    const cp_instance *inst = pos->len == 2 ? cp_state_find_str(s->state, pos->items[1]) : NULL;
    if (!inst) {
        fprintf(stderr, "cpstack state show: %s; see cpstack state list\n",
                pos->len == 2 ? "no such instance in state" : "give exactly one ADDR");
        return 1;
    }
    const cp_addr *a = cp_instance_addr(inst);
    cp_change c = { .address = (char *)cp_instance_addr_str(inst),
                    .type = a->type,
                    .name = a->name,
                    .is_data = a->mode == CP_MODE_DATA,
                    .action = CP_ACTION_NOOP };
    c.rtype = cp_plan_type_of(&s->types, a, NULL);
    c.after = (cp_value *)cp_instance_attrs(inst);
    c.before = c.after;
    cp_buf b;
    cp_buf_init(&b);
    cp_plan p = { 0 };
    (void)p;
    cp_buf_printf(&b, "# %s:\n", c.address);
    const cp_value *attrs = c.after;
    for (size_t i = 0; i < cp_len(attrs); i++) {
        const char *k = cp_map_key_at(attrs, i);
        const cp_value *v = cp_map_value_at(attrs, i);
        if (cp_is_null(v)) continue;
        cp_buf_printf(&b, "    %s = ", k);
        cp_value_render(&b, v, false);
        cp_buf_addc(&b, '\n');
    }
    fputs(b.data, stdout);
    cp_buf_free(&b);
    return 0;
}

/* Forget the deposed objects matching the patterns (old objects of an
 * interrupted create_before_destroy go with their instance). */
static size_t rm_deposed(cp_session *s, const cp_strlist *pos)
{
    size_t removed = 0;
    for (size_t i = cp_state_deposed_count(s->state); i-- > 0;) {
        const cp_instance *d = cp_state_deposed_at(s->state, i);
        if (!matches_any(pos, 1, cp_instance_addr(d))) continue;
        printf("Removed %s (deposed object %s)\n", cp_instance_addr_str(d),
               cp_instance_deposed_key(d));
        cp_addr a;
        cp_addr_copy(&a, cp_instance_addr(d));
        char *key = cp_xstrdup(cp_instance_deposed_key(d));
        cp_state_remove_deposed(s->state, &a, key);
        free(key);
        cp_addr_clear(&a);
        removed++;
    }
    return removed;
}

static int state_rm(cp_session *s, const cp_strlist *pos)
{
    if (pos->len < 2) {
        fprintf(stderr, "cpstack state rm: give at least one ADDR\n");
        return 1;
    }
    size_t removed = 0;
    for (size_t i = cp_state_count(s->state); i-- > 0;) {
        const cp_instance *inst = cp_state_at(s->state, i);
        if (!matches_any(pos, 1, cp_instance_addr(inst))) continue;
        printf("Removed %s\n", cp_instance_addr_str(inst));
        cp_addr a;
        cp_addr_copy(&a, cp_instance_addr(inst));
        cp_state_remove(s->state, &a);
        cp_addr_clear(&a);
        removed++;
    }
    size_t deposed = rm_deposed(s, pos);
    if (!removed && !deposed) {
        fprintf(stderr, "cpstack state rm: nothing in state matches; see cpstack state list\n");
        return 1;
    }
    if (cp_session_save(s) != 0) return 1;
    if (deposed)
        printf("Successfully removed %zu resource instance(s) and %zu deposed object(s).\n",
               removed, deposed);
    else
        printf("Successfully removed %zu resource instance(s).\n", removed);
    return 0;
}

/* A fresh copy of from (current or deposed) at address to. */
static cp_instance *moved(const cp_instance *from, const cp_addr *to)
{
    cp_instance *n = cp_instance_new(to);
    cp_instance_set_attrs(n, cp_instance_attrs(from));
    cp_instance_set_status(n, cp_instance_status(from));
    cp_instance_set_schema_version(n, cp_instance_schema_version(from));
    cp_instance_set_provider(n, cp_instance_provider(from));
    cp_instance_set_deposed_key(n, cp_instance_deposed_key(from));
    for (size_t i = 0; i < cp_instance_dep_count(from); i++)
        cp_instance_add_dep_str(n, cp_instance_dep(from, i), NULL);
    return n;
}

/* Move the current object at src (if any) and its deposed objects to dst. */
static void move_objects(cp_state *st, const cp_addr *src, const cp_addr *dst)
{
    size_t first, nd = cp_state_deposed_range(st, src, &first);
    cp_instance **dep = cp_xcalloc(nd + 1, sizeof *dep);
    for (size_t i = 0; i < nd; i++) dep[i] = moved(cp_state_deposed_at(st, first + i), dst);
    for (size_t i = 0; i < nd; i++)
        cp_state_remove_deposed(st, src, cp_instance_deposed_key(dep[i]));
    const cp_instance *cur = cp_state_find(st, src);
    cp_instance *n = cur ? moved(cur, dst) : NULL;
    if (n) cp_state_remove(st, src);
    if (n) cp_state_put_take(st, n);
    for (size_t i = 0; i < nd; i++) cp_state_put_take(st, dep[i]);
    free(dep);
}

/* The module path of a, moved from under src to under dst, or NULL when
 * a is not inside src (exactly that instance path, or deeper). */
static char *moved_module(const cp_addr *a, const char *src, const char *dst)
{
    size_t n = strlen(src);
    if (!a->module || strncmp(a->module, src, n) || (a->module[n] && a->module[n] != '.'))
        return NULL;
    return cp_xasprintf("%s%s", dst, a->module + n);
}

/* state mv module.a module.b: every object inside module instance a. */
static int state_mv_module(cp_session *s, const char *src_text, const char *dst_text)
{
    char *src = NULL, *dst = NULL, *err = NULL;
    if (!cp_addr_parse_module(src_text, &src, NULL) ||
        !cp_addr_parse_module(dst_text, &dst, &err)) {
        fprintf(stderr, "cpstack state mv: %s\n",
                err ? err : "a module SRC moves to a module DST (module.NAME)");
        free(err);
        free(src);
        return 1;
    }
    size_t n = cp_state_count(s->state), moves = 0;
    cp_addr *from = cp_xcalloc(n + 1, sizeof *from), *to = cp_xcalloc(n + 1, sizeof *to);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        const cp_addr *a = cp_instance_addr(cp_state_at(s->state, i));
        char *mod = moved_module(a, src, dst);
        if (!mod) continue;
        cp_addr_copy(&from[moves], a);
        cp_addr_copy(&to[moves], a);
        cp_addr_set_module(&to[moves++], mod);
        free(mod);
        if (cp_state_find(s->state, &to[moves - 1])) {
            char *t = cp_addr_str(&to[moves - 1]);
            fprintf(stderr, "cpstack state mv: %s is already in state; remove it first\n", t);
            free(t);
            rc = 1;
        }
    }
    if (!rc && !moves) {
        fprintf(stderr, "cpstack state mv: nothing in state is inside %s; see cpstack state list\n",
                src_text);
        rc = 1;
    }
    for (size_t i = 0; !rc && i < moves; i++) move_objects(s->state, &from[i], &to[i]);
    if (!rc) rc = cp_session_save(s) != 0;
    if (!rc) printf("Moved %zu instance(s) from %s to %s\n", moves, src_text, dst_text);
    for (size_t i = 0; i < moves; i++) {
        cp_addr_clear(&from[i]);
        cp_addr_clear(&to[i]);
    }
    free(from);
    free(to);
    free(src);
    free(dst);
    return rc;
}

static int state_mv(cp_session *s, const cp_strlist *pos)
{
    char *mod = NULL;
    if (pos->len == 3 && cp_addr_parse_module(pos->items[1], &mod, NULL)) {
        free(mod);
        return state_mv_module(s, pos->items[1], pos->items[2]);
    }
    cp_addr src, dst;
    char *err = NULL;
    size_t first;
    bool have = pos->len == 3 && cp_addr_parse(pos->items[1], &src, NULL);
    if (have && !cp_state_find(s->state, &src) && !cp_state_deposed_range(s->state, &src, &first)) {
        cp_addr_clear(&src);
        have = false;
    }
    if (!have) {
        fprintf(stderr, "cpstack state mv: give SRC (an instance in state) and DST\n");
        return 1;
    }
    if (!cp_addr_parse(pos->items[2], &dst, &err)) {
        fprintf(stderr, "cpstack state mv: %s\n", err);
        free(err);
        cp_addr_clear(&src);
        return 1;
    }
    int rc = 0;
    if (cp_state_find(s->state, &dst) || cp_state_deposed_range(s->state, &dst, &first)) {
        fprintf(stderr, "cpstack state mv: %s is already in state; remove it first\n",
                pos->items[2]);
        rc = 1;
    } else {
        move_objects(s->state, &src, &dst);
        rc = cp_session_save(s) != 0;
    }
    cp_addr_clear(&src);
    cp_addr_clear(&dst);
    if (!rc) printf("Moved %s to %s\n", pos->items[1], pos->items[2]);
    return rc;
}

int cmd_state(const cp_cli *cli, int argc, char **argv)
{
    if (cp_wants_help(argc, argv, usage)) return 0;
    cp_strlist pos = { 0 };
    const char *dir = NULL, *lock_timeout = NULL, *branch = NULL;
    const cp_flag flags[] = { { "chdir", CP_FLAG_STRING, &dir },
                              { "branch", CP_FLAG_STRING, &branch },
                              { "lock-timeout", CP_FLAG_STRING, &lock_timeout },
                              { NULL, 0, NULL } };
    cp_session s;
    memset(&s, 0, sizeof s);
    int rc = 1;
    if (cp_parse_flags(argc, argv, flags, &pos) != 0) goto out;
    const char *sub = pos.len ? pos.items[0] : "";
    bool edits = !strcmp(sub, "rm") || !strcmp(sub, "mv");
    if (!edits && strcmp(sub, "list") && strcmp(sub, "show")) {
        fprintf(stderr, "cpstack state: unknown subcommand \"%s\"; use list, show, rm or mv\n",
                sub);
        goto out;
    }
    cp_session_opts o = { .cli = cli,
                          .dir = dir,
                          .branch = branch,
                          .no_variables = true,
                          .lock = edits,
                          .operation = "state",
                          .lock_timeout = lock_timeout };
    if (cp_session_open(&s, &o) != 0) goto out;
    if (!strcmp(sub, "list"))
        rc = state_list(&s, &pos);
    else if (!strcmp(sub, "show"))
        rc = state_show(&s, &pos);
    else if (!strcmp(sub, "rm"))
        rc = state_rm(&s, &pos);
    else
        rc = state_mv(&s, &pos);
out:
    if (s.config || s.store) cp_session_close(&s);
    cp_strlist_free(&pos);
    return rc;
}
