/*
 * fuzz_state.c: libFuzzer target for state files, which cpstack reads from
 * disk or S3 and which anyone with access can edit: any bytes must give a
 * state or a clear error, never a crash. A parsed state is also written
 * back and parsed again (the round trip must succeed).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "state/state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *err = NULL;
    cp_state *s = cp_state_parse((const char *)data, size, "fuzz.cpstate", &err);
    if (s) {
        cp_buf text = { 0 };
        cp_state_serialize(s, &text);
        cp_state *again = cp_state_parse(text.data, text.len, "fuzz-again.cpstate", &err);
        if (!again) abort(); /* what we write, we must read */
        cp_state_free(again);
        cp_buf_free(&text);
        cp_state_free(s);
    }
    free(err);
    return 0;
}
