/*
 * functions_net.c: cidrsubnet cidrsubnets cidrhost cidrnetmask, for IPv4
 * and IPv6. cidrsubnets allocates consecutive blocks, each aligned to its
 * own size (so a smaller block after a larger one never overlaps it).
 * Addresses are held as 128-bit integers (IPv4 in the low 32 bits) and
 * parsed and printed with inet_pton / inet_ntop.
 */
#include "lang/functions_internal.h"
#include "util/xalloc.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned __int128 u128;

typedef struct prefix {
    u128 addr; /* network address (host bits cleared) */
    int bits;  /* 32 or 128 */
    int len;   /* prefix length */
} prefix;

static u128 low_mask(int n) { return n >= 128 ? ~(u128)0 : (((u128)1 << n) - 1); }

static bool parse_addr(const char *s, u128 *addr, int *bits)
{
    unsigned char b[16];
    int fam = strchr(s, ':') ? AF_INET6 : AF_INET;
    if (inet_pton(fam, s, b) != 1) return false;
    *bits = fam == AF_INET ? 32 : 128;
    *addr = 0;
    for (int i = 0; i < *bits / 8; i++) *addr = (*addr << 8) | b[i];
    return true;
}

/* Parses argument 0 as "addr/len"; false after reporting. */
static bool parse_prefix(const cp_fn_call *c, prefix *p)
{
    const char *s = cp_string_val(c->args[0]);
    const char *slash = strchr(s, '/');
    char *end = NULL;
    long len = slash ? strtol(slash + 1, &end, 10) : -1;
    char *host = slash ? cp_xstrndup(s, (size_t)(slash - s)) : NULL;
    bool ok =
        host && end && end != slash + 1 && *end == '\0' && parse_addr(host, &p->addr, &p->bits);
    free(host);
    char *shown = cp_value_repr(c->args[0]);
    if (!ok)
        cp__fn_arg_error(c, 0,
                         "%s is not a CIDR prefix like \"10.0.0.0/16\" or "
                         "\"2001:db8::/32\"",
                         shown);
    else if (len < 0 || len > p->bits)
        cp__fn_arg_error(c, 0,
                         "the prefix length of %s is out of range: IPv%d prefixes are "
                         "/0 to /%d",
                         shown, p->bits == 32 ? 4 : 6, p->bits);
    free(shown);
    if (!ok || len < 0 || len > p->bits) return false;
    p->len = (int)len;
    p->addr &= ~low_mask(p->bits - p->len) & low_mask(p->bits);
    return true;
}

static void format_addr(cp_buf *b, u128 addr, int bits)
{
    unsigned char raw[16];
    char text[INET6_ADDRSTRLEN];
    for (int i = bits / 8 - 1; i >= 0; i--, addr >>= 8) raw[i] = (unsigned char)(addr & 0xff);
    inet_ntop(bits == 32 ? AF_INET : AF_INET6, raw, text, sizeof text);
    cp_buf_adds(b, text);
}

static cp_value *addr_value(u128 addr, int bits, int len)
{
    cp_buf b;
    cp_buf_init(&b);
    format_addr(&b, addr, bits);
    if (len >= 0) cp_buf_printf(&b, "/%d", len);
    return cp_string_take(cp_buf_steal(&b));
}

cp_value *cp_fn_cidrsubnet(const cp_fn_call *c)
{
    prefix p;
    long long newbits, netnum;
    if (!parse_prefix(c, &p) || !cp__fn_int_arg(c, 1, 0, 128, &newbits)) return NULL;
    if (p.len + newbits > p.bits)
        return cp__fn_arg_error(c, 1,
                                "adding %lld bits to a /%d prefix gives /%lld, longer than "
                                "the %d bits of an IPv%d address",
                                newbits, p.len, p.len + newbits, p.bits, p.bits == 32 ? 4 : 6);
    double most = newbits >= 53 ? 9e15 : (double)(((long long)1 << newbits) - 1);
    if (!cp__fn_int_arg(c, 2, 0, most, &netnum)) return NULL;
    int newlen = p.len + (int)newbits;
    u128 addr = p.addr | ((u128)netnum << (p.bits - newlen));
    return addr_value(addr, p.bits, newlen);
}

cp_value *cp_fn_cidrhost(const cp_fn_call *c)
{
    prefix p;
    long long host;
    if (!parse_prefix(c, &p)) return NULL;
    int hb = p.bits - p.len;
    double size = hb >= 53 ? 9e15 : (double)((long long)1 << hb);
    if (!cp__fn_int_arg(c, 1, -size, size - 1, &host)) return NULL;
    u128 off = host >= 0 ? (u128)host : low_mask(hb) + 1 - (u128)(-host);
    return addr_value(p.addr | off, p.bits, -1);
}

cp_value *cp_fn_cidrnetmask(const cp_fn_call *c)
{
    prefix p;
    if (!parse_prefix(c, &p)) return NULL;
    if (p.bits != 32)
        return cp__fn_arg_error(c, 0, "only IPv4 prefixes have a netmask, and this one is IPv6");
    return addr_value(~low_mask(32 - p.len) & low_mask(32), 32, -1);
}

cp_value *cp_fn_cidrsubnets(const cp_fn_call *c)
{
    prefix p;
    if (!parse_prefix(c, &p)) return NULL;
    u128 next = p.addr, end = p.addr + low_mask(p.bits - p.len); /* last address */
    bool past = false;
    cp_value *out = cp_list_new();
    for (size_t i = 1; i < c->nargs; i++) {
        long long nb;
        if (!cp__fn_int_arg(c, i, 1, (double)(p.bits - p.len), &nb)) {
            cp_release(out);
            return NULL;
        }
        int len = p.len + (int)nb;
        u128 size_m1 = low_mask(p.bits - len);
        u128 start = (next + size_m1) & ~size_m1;
        if (past || start < next || start > end || start + size_m1 > end) {
            cp_release(out);
            return cp__fn_arg_error(c, i,
                                    "no room left in the /%d prefix for a /%d block (argument "
                                    "%zu): the blocks before it fill the prefix",
                                    p.len, len, i + 1);
        }
        cp_list_push_take(out, addr_value(start, p.bits, len));
        next = start + size_m1 + 1;
        past = start + size_m1 == end; /* next wrapped past the prefix */
    }
    return out;
}
