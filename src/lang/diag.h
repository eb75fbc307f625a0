/*
 * diag.h: source files, locations and diagnostics.
 *
 * Every .cp file read in a run is registered in a cp_sources table and gets
 * a small integer id; a cp_loc names a byte range in one of them. Errors are
 * collected (never printed on the spot) in a cp_diags list, up to a cap, so
 * one run reports all independent errors together, each as
 *
 *     file:line:col: message
 *       <the source line>
 *       <caret under the spot>
 *
 * then the caller exits non-zero. Lines and columns are 1-based; columns
 * count bytes.
 */
#ifndef CP_LANG_DIAG_H
#define CP_LANG_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct cp_loc {
    uint32_t file;               /* id in cp_sources; 0 = no location */
    uint32_t line, col;          /* start, 1-based */
    uint32_t end_line, end_col;  /* end (exclusive column) */
    uint32_t offset, end_offset; /* byte range in the file's text */
} cp_loc;

typedef struct cp_source {
    char *path; /* as given by the user, for messages */
    char *text; /* whole file, NUL-terminated */
    size_t len;
} cp_source;

typedef struct cp_sources {
    cp_source *files; /* files[0] is a dummy so that id 0 means "none" */
    size_t len, cap;
} cp_sources;

void cp_sources_init(cp_sources *s);
void cp_sources_free(cp_sources *s);
/* Register text (copied) under path; returns its id (>= 1). */
uint32_t cp_sources_add(cp_sources *s, const char *path, const char *text, size_t len);
/* Read a file and register it; returns 0 and sets *err (malloc'd) on failure. */
uint32_t cp_sources_load(cp_sources *s, const char *path, char **err);
const cp_source *cp_sources_get(const cp_sources *s, uint32_t id);

typedef enum { CP_DIAG_ERROR, CP_DIAG_WARNING } cp_diag_severity;

typedef struct cp_diag {
    cp_diag_severity severity;
    cp_loc loc;
    char *msg; /* one line: cause and, where known, what to do */
} cp_diag;

typedef struct cp_diags {
    cp_diag *items;
    size_t len, cap;
    size_t limit;  /* stop recording after this many errors (default 50) */
    size_t errors; /* errors seen, including those past the limit */
} cp_diags;

void cp_diags_init(cp_diags *d);
void cp_diags_free(cp_diags *d);
void cp_diag_error(cp_diags *d, cp_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void cp_diag_warning(cp_diags *d, cp_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool cp_diags_has_errors(const cp_diags *d);
/* True when the next error would only be counted, not recorded: callers can
 * skip costly wording (a "did you mean" over thousands of names). */
bool cp_diags_full(const cp_diags *d);
/* Print all, in file/line order, with source line and caret; color adds
 * ANSI colour (callers decide: TTY and no NO_COLOR). Ends with a line
 * "N errors" when there is more than one, noting any past the limit. */
void cp_diags_print(const cp_diags *d, const cp_sources *s, FILE *out, bool color);
/* "file:line:col" for a location (malloc'd). */
char *cp_loc_string(const cp_sources *s, cp_loc loc);

#endif
