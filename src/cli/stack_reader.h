/*
 * stack_reader.h: how the cpstack provider reads another stack's outputs
 * (the cp_provider_host the session hands it). The reader knows this
 * stack's directory, region and backend (type and evaluated settings), so
 * a reference that names only a stack and a branch finds that stack's state
 * where this one keeps its own: the same backend with the other stack's
 * name as the key, or for local state the sibling directory ../<stack>.
 * It reads bytes through the backend (no lock taken), decodes them with
 * src/state, and keeps sensitive marks. Immutable once made, so safe from
 * any thread.
 */
#ifndef CP_CLI_STACK_READER_H
#define CP_CLI_STACK_READER_H

#include "lang/value.h"
#include "providers/provider.h"

typedef struct cp_stack_reader cp_stack_reader;

/* backend_type NULL = the default type; settings borrowed (copied). */
cp_stack_reader *cp_stack_reader_new(const char *stack_dir, const char *region,
                                     const char *backend_type, const cp_value *settings);
void cp_stack_reader_free(cp_stack_reader *r);
/* The host for providers; borrows r. */
cp_provider_host cp_stack_reader_host(cp_stack_reader *r);

#endif
