/*
 * helpers.h: shared pieces of the state tests: temporary directories, file
 * reading, a sample state that exercises every feature of the format, and
 * a small JSON Schema checker that validates written state files against
 * src/state/state.schema.json (no validator library is installed).
 */
#ifndef CP_TESTS_STATE_HELPERS_H
#define CP_TESTS_STATE_HELPERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "state/state.h"

/* A fresh directory under $TMPDIR (or /tmp); th_rmrf removes it. */
char *th_tmpdir(void);
void th_rmrf(const char *dir);
/* Whole file, NUL-terminated, or NULL. */
char *th_read_file(const char *path, size_t *len);
void th_write_file(const char *path, const char *text);

/* A state with count and for_each keys (with quotes and a newline), a data
 * source, nested sensitive values, dependencies, every status, outputs. */
cp_state *th_sample_state(void);

/* The state the crash writer writes as serial `gen` (content depends only
 * on lineage and gen, so a checker can rebuild it byte for byte): 20-199
 * local_file instances with a sensitive attribute, and an output. The
 * result is dirty with serial gen - 1, so the next write makes it gen. */
cp_state *th_crash_state(const char *lineage, int64_t gen);

/* Check the JSON document against the state schema (path from the
 * CPSTACK_STATE_SCHEMA environment variable); NULL if valid, else a
 * malloc'd message naming the first violation. */
char *th_schema_check(const json_t *doc);
/* Parse the file and fail the running cmocka test if it is not valid. */
void th_assert_schema_file(const char *path);
/* The same for every *.cpstate and *.cpstate.backup file under dir that
 * holds JSON (files written through a codec are skipped). Returns how many
 * were checked. */
size_t th_assert_schema_dir(const char *dir);

#endif
