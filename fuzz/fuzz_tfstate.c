/*
 * fuzz_tfstate.c: libFuzzer target for Terraform state files, which
 * `cpstack migrate terraform` reads from a folder the user points it at
 * (src/migrate/tfstate.c): any bytes must give entries or a clear error,
 * never a crash. Each entry's address is printed back as a check that what
 * was parsed holds together.
 */
#include <stdint.h>
#include <stdlib.h>

#include "migrate/migrate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *err = NULL;
    cp_tfstate t;
    if (cp_tfstate_parse((const char *)data, size, "fuzz.tfstate", &t, &err) == 0) {
        for (size_t i = 0; i < t.len; i++) free(cp_addr_str(&t.entries[i].addr));
        cp_tfstate_free(&t);
    } else if (!err)
        abort(); /* a failure always says why */
    free(err);
    return 0;
}
