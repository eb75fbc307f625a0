/*
 * tf_internal.h: shared by the files of src/migrate that convert
 * configuration (tf_config.c: files and blocks, tf_walk.c: expressions).
 * A tf_file is one .tf file being converted: its parse and the edits to
 * make on its text (byte ranges from the AST, applied once at the end).
 */
#ifndef CP_MIGRATE_TF_INTERNAL_H
#define CP_MIGRATE_TF_INTERNAL_H

#include "lang/ast.h"
#include "migrate/migrate.h"

typedef struct tf_edit_t {
    uint32_t start, end; /* replaced byte range of the source text */
    char *text;          /* what goes there (malloc'd) */
} tf_edit_t;

typedef struct tf_file {
    char *rel; /* path under the source folder, e.g. "modules/net/main.tf" */
    bool root; /* in the root module's folder */
    cp_sources srcs;
    uint32_t id;
    cp_file *ast;
    tf_edit_t *edits;
    size_t nedits, capedits;
    cp_migrate_report *report;
} tf_file;

void tf_edit(tf_file *f, uint32_t start, uint32_t end, const char *text);
void tf_remove(tf_file *f, cp_loc loc);
/* Record a construct at loc as not converted / converted with a note. */
void tf_list(tf_file *f, cp_loc loc, const char *what, const char *reason_fmt, ...)
    __attribute__((format(printf, 4, 5)));
void tf_note(tf_file *f, cp_loc loc, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* name is one of names (NULL-terminated; names NULL: none). */
bool tf_in_list(const char *name, const char *const *names);
/* The source text of a node's range (malloc'd). */
char *tf_text(const tf_file *f, cp_loc loc);

void tf_walk_expr(tf_file *f, const cp_expr *e);
void tf_walk_body(tf_file *f, const cp_body *b);

#endif
