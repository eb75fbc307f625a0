/*
 * functions_time.c: timestamp plantimestamp formatdate timeadd timecmp.
 * Timestamps are RFC 3339 text ("2024-05-01T12:00:00Z", an optional
 * fraction of a second, "Z" or an offset like "+02:00"); results keep the
 * offset of their input and drop fractions, as Terraform prints them.
 * Durations are Go's: "1h30m", "-10s", "1.5h", units ns us µs ms s m h.
 * Dates are computed with timegm/gmtime_r; the locale is never consulted
 * (month and day names are English). timestamp() and plantimestamp() read
 * the clock: they change on every run.
 */
#include "lang/functions_internal.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct tstamp {
    long long secs; /* since 1970-01-01T00:00:00Z */
    long nsec;
    int offset; /* seconds east of UTC */
} tstamp;

static const char *const months[] = { "January",   "February", "March",    "April",
                                      "May",       "June",     "July",     "August",
                                      "September", "October",  "November", "December" };
static const char *const days[] = { "Sunday",   "Monday", "Tuesday", "Wednesday",
                                    "Thursday", "Friday", "Saturday" };

/* n digits at *p as a number, or -1. */
static int digits(const char **p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (!isdigit((unsigned char)**p)) return -1;
        v = v * 10 + (**p - '0');
    }
    return v;
}

static bool expect(const char **p, char ch) { return *(*p)++ == ch; }

static int days_in(int year, int month)
{
    static const int n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : n[month - 1];
}

static bool parse_offset(const char **p, int *offset)
{
    if (**p == 'Z' || **p == 'z') {
        (*p)++;
        *offset = 0;
        return true;
    }
    int sign = **p == '+' ? 1 : **p == '-' ? -1 : 0;
    if (!sign) return false;
    (*p)++;
    int h = digits(p, 2);
    if (h < 0 || h > 23 || !expect(p, ':')) return false;
    int m = digits(p, 2);
    if (m < 0 || m > 59) return false;
    *offset = sign * (h * 3600 + m * 60);
    return true;
}

static bool parse_rfc3339(const char *s, tstamp *t)
{
    const char *p = s;
    struct tm tm = { 0 };
    int y = digits(&p, 4), mo = (expect(&p, '-') ? digits(&p, 2) : -1);
    int d = expect(&p, '-') ? digits(&p, 2) : -1;
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > days_in(y, mo)) return false;
    if (*p != 'T' && *p != 't') return false;
    p++;
    int h = digits(&p, 2), mi = expect(&p, ':') ? digits(&p, 2) : -1;
    int sec = expect(&p, ':') ? digits(&p, 2) : -1;
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return false;
    t->nsec = 0;
    if (*p == '.') {
        p++;
        long scale = 100000000;
        if (!isdigit((unsigned char)*p)) return false;
        for (; isdigit((unsigned char)*p); p++, scale /= 10) t->nsec += (*p - '0') * scale;
    }
    if (!parse_offset(&p, &t->offset) || *p) return false;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    t->secs = (long long)timegm(&tm) - t->offset;
    return true;
}

/* Argument i as a timestamp; false after reporting. */
static bool ts_arg(const cp_fn_call *c, size_t i, tstamp *t)
{
    if (parse_rfc3339(cp_string_val(c->args[i]), t)) return true;
    char *shown = cp_value_repr(c->args[i]);
    cp__fn_arg_error(c, i,
                     "argument %zu, %s, is not an RFC 3339 timestamp like "
                     "\"2024-05-01T12:00:00Z\" or \"2024-05-01T14:00:00+02:00\"",
                     i + 1, shown);
    free(shown);
    return false;
}

/* The wall-clock fields of t in its own offset. */
static struct tm local_fields(const tstamp *t)
{
    time_t local = (time_t)(t->secs + t->offset);
    struct tm tm;
    gmtime_r(&local, &tm);
    return tm;
}

static void add_offset(cp_buf *b, int offset, bool colon)
{
    int a = abs(offset);
    cp_buf_printf(b, "%c%02d%s%02d", offset < 0 ? '-' : '+', a / 3600, colon ? ":" : "",
                  a % 3600 / 60);
}

static cp_value *rfc3339(const tstamp *t)
{
    struct tm tm = local_fields(t);
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_printf(&b, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec);
    if (t->offset == 0)
        cp_buf_addc(&b, 'Z');
    else
        add_offset(&b, t->offset, true);
    return cp_string_take(cp_buf_steal(&b));
}

static cp_value *now(void)
{
    tstamp t = { (long long)time(NULL), 0, 0 };
    return rfc3339(&t);
}

cp_value *cp_fn_timestamp(const cp_fn_call *c)
{
    (void)c;
    return now();
}

cp_value *cp_fn_plantimestamp(const cp_fn_call *c)
{
    (void)c;
    return now();
}

cp_value *cp_fn_timecmp(const cp_fn_call *c)
{
    tstamp a, b;
    if (!ts_arg(c, 0, &a) || !ts_arg(c, 1, &b)) return NULL;
    int r = a.secs != b.secs   ? (a.secs < b.secs ? -1 : 1)
            : a.nsec != b.nsec ? (a.nsec < b.nsec ? -1 : 1)
                               : 0;
    return cp_number(r);
}

/* --- durations --------------------------------------------------------------- */

/* The unit at *p (moved past it) in nanoseconds, 0 for none; "ms" is
 * tried before "m". */
static double unit_ns(const char **p)
{
    static const struct {
        const char *name;
        double ns;
    } units[] = { { "ns", 1 },   { "us", 1e3 }, { "\xc2\xb5s", 1e3 }, { "\xce\xbcs", 1e3 },
                  { "ms", 1e6 }, { "s", 1e9 },  { "m", 60e9 },        { "h", 3600e9 } };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        size_t n = strlen(units[i].name);
        if (!strncmp(*p, units[i].name, n)) {
            *p += n;
            return units[i].ns;
        }
    }
    return 0;
}

/* Go's duration syntax, in nanoseconds; false when s is not one. */
static bool parse_duration(const char *s, double *ns)
{
    const char *p = s;
    double sign = *p == '-' ? -1 : 1;
    if (*p == '-' || *p == '+') p++;
    if (!strcmp(p, "0")) {
        *ns = 0;
        return true;
    }
    double total = 0;
    if (!*p) return false;
    while (*p) {
        char *end;
        if (!isdigit((unsigned char)*p) && *p != '.') return false;
        double v = strtod(p, &end);
        if (end == p) return false;
        p = end;
        double u = unit_ns(&p);
        if (u == 0) return false;
        total += v * u;
    }
    *ns = sign * total;
    return true;
}

cp_value *cp_fn_timeadd(const cp_fn_call *c)
{
    tstamp t;
    double ns;
    if (!ts_arg(c, 0, &t)) return NULL;
    if (!parse_duration(cp_string_val(c->args[1]), &ns)) {
        char *shown = cp_value_repr(c->args[1]);
        cp__fn_arg_error(c, 1,
                         "argument 2, %s, is not a duration like \"1h30m\", \"-10s\" or "
                         "\"250ms\"",
                         shown);
        free(shown);
        return NULL;
    }
    double whole = floor(ns / 1e9);
    long extra = (long)llround(ns - whole * 1e9);
    t.secs += (long long)whole;
    t.nsec += extra;
    t.secs += t.nsec / 1000000000;
    t.nsec %= 1000000000;
    return rfc3339(&t);
}

/* --- formatdate ----------------------------------------------------------------- */

/* Appends the field named by the run of n letters ch; false if unknown. */
static bool add_field(cp_buf *b, char ch, size_t n, const struct tm *tm, int offset)
{
    int h12 = tm->tm_hour % 12 == 0 ? 12 : tm->tm_hour % 12;
#define F(c_, n_) (ch == (c_) && n == (n_))
    if (F('Y', 4))
        cp_buf_printf(b, "%04d", tm->tm_year + 1900);
    else if (F('Y', 2))
        cp_buf_printf(b, "%02d", (tm->tm_year + 1900) % 100);
    else if (F('M', 4))
        cp_buf_adds(b, months[tm->tm_mon]);
    else if (F('M', 3))
        cp_buf_add(b, months[tm->tm_mon], 3);
    else if (F('M', 2))
        cp_buf_printf(b, "%02d", tm->tm_mon + 1);
    else if (F('M', 1))
        cp_buf_printf(b, "%d", tm->tm_mon + 1);
    else if (F('D', 2))
        cp_buf_printf(b, "%02d", tm->tm_mday);
    else if (F('D', 1))
        cp_buf_printf(b, "%d", tm->tm_mday);
    else if (F('E', 4))
        cp_buf_adds(b, days[tm->tm_wday]);
    else if (F('E', 3))
        cp_buf_add(b, days[tm->tm_wday], 3);
    else if (F('h', 2))
        cp_buf_printf(b, "%02d", tm->tm_hour);
    else if (F('h', 1))
        cp_buf_printf(b, "%d", tm->tm_hour);
    else if (F('H', 2))
        cp_buf_printf(b, "%02d", h12);
    else if (F('H', 1))
        cp_buf_printf(b, "%d", h12);
    else if (F('A', 2))
        cp_buf_adds(b, tm->tm_hour < 12 ? "AM" : "PM");
    else if (F('a', 2))
        cp_buf_adds(b, tm->tm_hour < 12 ? "am" : "pm");
    else if (F('m', 2))
        cp_buf_printf(b, "%02d", tm->tm_min);
    else if (F('m', 1))
        cp_buf_printf(b, "%d", tm->tm_min);
    else if (F('s', 2))
        cp_buf_printf(b, "%02d", tm->tm_sec);
    else if (F('s', 1))
        cp_buf_printf(b, "%d", tm->tm_sec);
    else if (F('Z', 5))
        add_offset(b, offset, true);
    else if (F('Z', 4))
        add_offset(b, offset, false);
    else if (F('Z', 3) && offset == 0)
        cp_buf_adds(b, "UTC");
    else if (F('Z', 3))
        add_offset(b, offset, false);
    else if (F('Z', 1) && offset == 0)
        cp_buf_addc(b, 'Z');
    else if (F('Z', 1))
        add_offset(b, offset, true);
    else
        return false;
#undef F
    return true;
}

/* A quoted literal at spec[*i] (just after the opening quote); false when
 * the quote is never closed. */
static bool add_quoted(cp_buf *b, const char *spec, size_t *i)
{
    for (;;) {
        char ch = spec[*i];
        if (!ch) return false;
        (*i)++;
        if (ch != '\'') {
            cp_buf_addc(b, ch);
            continue;
        }
        if (spec[*i] != '\'') return true;
        cp_buf_addc(b, '\'');
        (*i)++;
    }
}

static bool is_letter(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); }

cp_value *cp_fn_formatdate(const cp_fn_call *c)
{
    tstamp t;
    if (!ts_arg(c, 1, &t)) return NULL;
    const char *spec = cp_string_val(c->args[0]);
    struct tm tm = local_fields(&t);
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_adds(&b, "");
    for (size_t i = 0; spec[i];) {
        char ch = spec[i];
        if (ch == '\'') {
            i++;
            if (spec[i] == '\'') {
                cp_buf_addc(&b, '\'');
                i++;
            } else if (!add_quoted(&b, spec, &i)) {
                cp_buf_free(&b);
                return cp__fn_arg_error(c, 0,
                                        "a quoted literal in the format is never closed: "
                                        "end it with '");
            }
            continue;
        }
        size_t n = 1;
        if (!is_letter(ch)) {
            cp_buf_addc(&b, ch);
            i++;
            continue;
        }
        while (spec[i + n] == ch) n++;
        if (!add_field(&b, ch, n, &tm, t.offset)) {
            cp_buf_free(&b);
            return cp__fn_arg_error(c, 0,
                                    "\"%.*s\" is not a date format sequence (YYYY, MM, DD, hh, "
                                    "mm, ss, …); quote literal letters as '%.*s'",
                                    (int)n, spec + i, (int)n, spec + i);
        }
        i += n;
    }
    return cp_string_take(cp_buf_steal(&b));
}
