/*
 * args.c: Terraform-style flag parsing for all commands (see args.h).
 */
#include "cli/args.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cp_strlist_push(cp_strlist *l, const char *s)
{
    CP_GROW(l->items, l->len + 1, l->cap);
    l->items[l->len++] = s;
}

void cp_strlist_free(cp_strlist *l)
{
    free(l->items);
    l->items = NULL;
    l->len = l->cap = 0;
}

static const cp_flag *find_flag(const cp_flag *flags, const char *name, size_t n)
{
    for (const cp_flag *f = flags; f && f->name; f++)
        if (strlen(f->name) == n && strncmp(f->name, name, n) == 0) return f;
    return NULL;
}

static int set_bool(const cp_flag *f, const char *val)
{
    bool *b = f->dest;
    if (!val || !strcmp(val, "true") || !strcmp(val, "1"))
        *b = true;
    else if (!strcmp(val, "false") || !strcmp(val, "0"))
        *b = false;
    else {
        fprintf(stderr, "cpstack: -%s takes true or false, not \"%s\"\n", f->name, val);
        return -1;
    }
    return 0;
}

static int set_value(const cp_flag *f, const char *val)
{
    switch (f->kind) {
    case CP_FLAG_BOOL:
        return set_bool(f, val);
    case CP_FLAG_STRING:
        *(const char **)f->dest = val;
        return 0;
    case CP_FLAG_MULTI:
        cp_strlist_push(f->dest, val);
        return 0;
    case CP_FLAG_INT: {
        char *end;
        errno = 0;
        long n = strtol(val, &end, 10);
        if (errno || *end || end == val || n < 0 || n > 1000000) {
            fprintf(stderr, "cpstack: -%s takes a whole number, not \"%s\"\n", f->name, val);
            return -1;
        }
        *(int *)f->dest = (int)n;
        return 0;
    }
    }
    return -1;
}

int cp_parse_flags(int argc, char **argv, const cp_flag *flags, cp_strlist *pos)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            for (i++; i < argc; i++) cp_strlist_push(pos, argv[i]);
            break;
        }
        if (a[0] != '-' || a[1] == '\0') {
            cp_strlist_push(pos, a);
            continue;
        }
        const char *name = a + (a[1] == '-' ? 2 : 1);
        const char *eq = strchr(name, '=');
        size_t n = eq ? (size_t)(eq - name) : strlen(name);
        const cp_flag *f = find_flag(flags, name, n);
        if (!f) {
            fprintf(stderr, "cpstack %s: unknown flag -%.*s; run 'cpstack %s -help' for the list\n",
                    argv[0], (int)n, name, argv[0]);
            return -1;
        }
        const char *val = eq ? eq + 1 : NULL;
        if (!val && f->kind != CP_FLAG_BOOL) {
            if (i + 1 >= argc) {
                fprintf(stderr, "cpstack %s: -%s needs a value\n", argv[0], f->name);
                return -1;
            }
            val = argv[++i];
        }
        if (set_value(f, val) < 0) return -1;
    }
    return 0;
}
