/*
 * uuid.c: random UUID v4 strings for state lineages and lock IDs.
 *
 * Bytes come from the kernel CSPRNG (getrandom(2), or /dev/urandom when the
 * syscall is missing). Failure to get randomness is fatal: a lineage or a
 * lock ID that is not unique would let two states or two locks be confused.
 */
#include "state/state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <unistd.h>

static bool urandom_fill(unsigned char *p, size_t n)
{
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, p + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    close(fd);
    return got == n;
}

static void random_fill(unsigned char *p, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom(p + got, n - got, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) break;
        got += (size_t)r;
    }
    if (got == n || urandom_fill(p, n)) return;
    fprintf(stderr, "cpstack: cannot read random bytes from the kernel (getrandom and "
                    "/dev/urandom both failed); check that /dev/urandom exists\n");
    abort();
}

void cp_uuid4(char out[37])
{
    unsigned char b[16];
    random_fill(b, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80); /* variant 10 */
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
             b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
}
