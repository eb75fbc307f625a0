/*
 * args.h: flag parsing shared by every command, Terraform style:
 * `-flag`, `--flag`, `-flag=value`, `-flag value`; bools accept
 * `-flag=false`. Repeatable flags (-var) collect into a list. Flags may come
 * before or after positional arguments; `--` ends flags.
 */
#ifndef CP_CLI_ARGS_H
#define CP_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { CP_FLAG_BOOL, CP_FLAG_STRING, CP_FLAG_INT, CP_FLAG_MULTI } cp_flag_kind;

typedef struct cp_strlist {
    const char **items;
    size_t len, cap;
} cp_strlist;

typedef struct cp_flag {
    const char *name; /* without dashes: "var", "out", "json" */
    cp_flag_kind kind;
    void *dest; /* bool*, const char**, int*, cp_strlist* */
} cp_flag;

/* Parse argv[1..]. Positional arguments go to *pos. On a bad flag prints
 * one line naming it and the command's help hint, and returns -1. */
int cp_parse_flags(int argc, char **argv, const cp_flag *flags, cp_strlist *pos);
void cp_strlist_push(cp_strlist *l, const char *s);
void cp_strlist_free(cp_strlist *l); /* frees the array, not the strings */

#endif
