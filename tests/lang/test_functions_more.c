/*
 * test_functions_more.c: the built-ins added for Terraform parity, each
 * with its normal case, edge cases and its own errors: collections
 * (alltrue anytrue chunklist index matchkeys one transpose set*), text
 * (chomp indent strcontains strrev urlencode text*base64), numbers (log
 * parseint), networks (cidrsubnets), paths (abspath basename dirname
 * pathexpand fileset), time (timestamp formatdate timeadd timecmp),
 * encodings (base64gzip csvdecode yamlencode yamldecode), crypto (sha512
 * base64sha512 file* bcrypt rsadecrypt uuid uuidv5) and the marks
 * (nonsensitive issensitive). Arity, unknown and sensitive handling of
 * every function are in test_functions_core.c.
 */
#include "test_eval_helpers.h"

#include <crypt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/xalloc.h"

#define WRITE(t, name, lit) tctx_write((t), (name), (lit), sizeof(lit) - 1)

static const char rsa_key[] = "-----BEGIN PRIVATE KEY-----\n"
                              "MIICeAIBADANBgkqhkiG9w0BAQEFAASCAmIwggJeAgEAAoGBANu/WjfKgKMybgB+\n"
                              "E5V14l1M2xZZMthnJVROJgsEnyMGnwYlpHZjfv3mNDk3Wjr0bxOQRdAGedYLn7dv\n"
                              "md1Vc7EFVixp4jXRnUIq2Cbw/hxhp72sVhCL/aknC3vLJeDZC9PAc3v7csOEYnPK\n"
                              "KLM2JU4FbwNnRorQjsnVXakYrP5xAgMBAAECgYEAoevPK5sQzLAlNEGyZohVw1AV\n"
                              "g9M4TxM6A3QOPkIqjOGdHidwlzfbZHVTd/GckCJ7EpxVhOKwthMcnksiwl/r/V+a\n"
                              "o2PCMn4gis1cuMdbm45s6oinX+VcbRRQgePRdEJT1/qh45thUfdc/rDQ93ZxtnoW\n"
                              "nGJ5TKdmqZVbE0vc68ECQQD6KxDM3kUB0iHoPvHiCcMxJJ+rPtW1q2h0bfQmOfqJ\n"
                              "LrtHbwh7NCvh18fYPgKGUvDrATi5Vsvr7erprJCVcGrpAkEA4N6+gvvBGWZ+akkl\n"
                              "2qqwUdwHcHmBeh2sUu5UX+ig324Y+Uvg0h3Vm4n8zhvnreFsv4Sp8wzDhG5l78v1\n"
                              "cLUySQJBAK/iqWwwdboDAF3mK2/txzN8+VmP0vdobQc26yoZJ2Fd3sQpd4APvS6K\n"
                              "5HHPnzzLgaDoefYs5TCaVMg30GuQ30kCQG42nhdivuTtKD59tZD0IdEtT3QgCYbJ\n"
                              "rmFDMJWFVfvMYW8mcn1pY/2E5yQ55xaBKyS/J/DZK6bn2Qxr4dMo7AkCQQCzB/w5\n"
                              "dR7m7ZWPHjFM0l5yUnIX8kdsXkZD+ihg2rDluryo+/B51XPb4rVuAksVBAg2FR7t\n"
                              "UdbeCwiJNyrdCoaj\n"
                              "-----END PRIVATE KEY-----\n";
static const char rsa_cipher[] =
    "XyFjDrRBOKQzlscHmNkmmNejUmqPfITJrL3d5WEHO+k1D8SqWNL2xt8xZuGzTZU5RrJoSFenWW0Hv9bp8CpidBEvGUT7bx8m04DuJlM5KgV2HXSNGHA2liLnW3FbHrV6FB+SuhklLKSGacY1zzRyra8G5JVWhz+oKhI3zaj6TEg=";

static void test_bool_lists(void **state)
{
    tctx *t = *state;
    EXPECT(t, "alltrue([true, \"true\", true])", "true");
    EXPECT(t, "alltrue([true, false])", "false");
    EXPECT(t, "alltrue([])", "true");
    EXPECT(t, "anytrue([false, \"true\"])", "true");
    EXPECT(t, "anytrue([false, false])", "false");
    EXPECT(t, "anytrue([])", "false");
    EXPECT(t, "alltrue([true, 1])",
           "ERROR: main.cp:1:9: alltrue: argument 1 must be a list of bools, but element 1 is a "
           "number");
    EXPECT(t, "anytrue([null])", "false"); /* null counts as false */
    EXPECT(t, "alltrue([true, null])", "false");
    EXPECT(t, "anytrue([null, \"true\"])", "true");
}

static void test_chunk_index_one(void **state)
{
    tctx *t = *state;
    EXPECT(t, "chunklist([1, 2, 3, 4, 5], 2)", "[[1, 2], [3, 4], [5]]");
    EXPECT(t, "chunklist([1, 2], 5)", "[[1, 2]]");
    EXPECT(t, "chunklist([], 2)", "[]");
    EXPECT(t, "chunklist([1, 2], 0)", "[[1, 2]]");
    EXPECT(t, "chunklist([1], -1)",
           "ERROR: main.cp:1:16: chunklist: argument 2 must not be negative, got -1");
    EXPECT(t, "index([\"a\", \"b\", \"c\"], \"b\")", "1");
    EXPECT(t, "index([1, 2, 1], 1)", "0");
    EXPECT(t, "index([\"a\"], \"z\")",
           "ERROR: main.cp:1:14: index: \"z\" is not an element of the list");
    EXPECT(t, "index([\"a\"], var.secret)",
           "ERROR: main.cp:1:14: index: the value is not an element of the list");
    EXPECT(t, "one([])", "null");
    EXPECT(t, "one([\"x\"])", "\"x\"");
    EXPECT(t, "one([1, 2])",
           "ERROR: main.cp:1:5: one: the list has 2 elements; one() takes a list of zero or one");
}

static void test_matchkeys_transpose(void **state)
{
    tctx *t = *state;
    EXPECT(t, "matchkeys([\"i-1\", \"i-2\", \"i-3\"], [\"a\", \"b\", \"a\"], [\"a\"])",
           "[\"i-1\", \"i-3\"]");
    EXPECT(t, "matchkeys([1, 2], [\"a\", \"b\"], [])", "[]");
    EXPECT(t, "matchkeys([1], [\"a\", \"b\"], [\"a\"])",
           "ERROR: main.cp:1:1: matchkeys: the lists of values and keys have different lengths, 1 "
           "and 2");
    EXPECT(t, "transpose({ a = [\"1\", \"2\"], b = [\"2\", \"3\"] })",
           "{ \"1\" = [\"a\"], \"2\" = [\"a\", \"b\"], \"3\" = [\"b\"] }");
    EXPECT(t, "transpose({})", "{}");
    EXPECT(t, "transpose({ a = \"x\" })",
           "ERROR: main.cp:1:11: transpose: argument 1 must be a map of lists of strings, but "
           "\"a\" is a string");
}

static void test_sets(void **state)
{
    tctx *t = *state;
    EXPECT(t, "setunion([\"b\", \"a\"], [\"c\", \"a\"])", "[\"a\", \"b\", \"c\"]");
    EXPECT(t, "setunion([])", "[]");
    EXPECT(t, "setintersection([\"a\", \"b\", \"c\"], [\"b\", \"c\", \"d\"], [\"c\", \"b\"])",
           "[\"b\", \"c\"]");
    EXPECT(t, "setintersection([1, 2])", "[1, 2]");
    EXPECT(t, "setsubtract([\"a\", \"b\", \"c\"], [\"a\", \"c\", \"x\"])", "[\"b\"]");
    EXPECT(t, "setproduct([\"a\", \"b\"], [1, 2])",
           "[[\"a\", 1], [\"a\", 2], [\"b\", 1], [\"b\", 2]]");
    EXPECT(t, "setproduct([\"a\"], [])", "[]");
    EXPECT(t, "setproduct([1])",
           "ERROR: main.cp:1:1: setproduct: needs at least 2 arguments, got 1");
    EXPECT(t, "setproduct(range(2000), range(2000))",
           "ERROR: main.cp:1:1: setproduct: would make 4000000 combinations, more than the limit "
           "of 1048576");
    EXPECT(t, "setsubtract(\"a\", [])",
           "ERROR: main.cp:1:13: setsubtract: argument 1 must be a list, got string \"a\"");
}

static void test_text(void **state)
{
    tctx *t = *state;
    EXPECT(t, "chomp(\"hello\\n\\r\\n\")", "\"hello\"");
    EXPECT(t, "chomp(\"a\\nb\")", "\"a\\nb\"");
    EXPECT(t, "chomp(\"\")", "\"\"");
    EXPECT(t, "indent(2, \"a\\nb\\n\")", "\"a\\n  b\\n  \"");
    EXPECT(t, "indent(4, \"one line\")", "\"one line\"");
    EXPECT(t, "indent(-1, \"x\")",
           "ERROR: main.cp:1:8: indent: argument 1 must not be negative, got -1");
    EXPECT(t, "strcontains(\"hello world\", \"o w\")", "true");
    EXPECT(t, "strcontains(\"hello\", \"z\")", "false");
    EXPECT(t, "strcontains(\"x\", \"\")", "true");
    EXPECT(t, "strrev(\"hello\")", "\"olleh\"");
    EXPECT(t, "strrev(\"\")", "\"\"");
    /* é written as e + U+0301 stays one character */
    EXPECT(t, "strrev(\"ae\xcc\x81z\")",
           "\"ze\xcc\x81"
           "a\"");
    EXPECT(t, "strrev(\"\xc3\xa9t\xc3\xa9s\")", "\"s\xc3\xa9t\xc3\xa9\"");
    EXPECT(t, "urlencode(\"a b&c=d/\xc3\xa9~\")", "\"a+b%26c%3Dd%2F%C3%A9~\"");
    EXPECT(t, "urlencode(\"\")", "\"\"");
}

static void test_text_encodings(void **state)
{
    tctx *t = *state;
    EXPECT(t, "textencodebase64(\"h\xc3\xa9\", \"UTF-16LE\")", "\"aADpAA==\"");
    EXPECT(t, "textencodebase64(\"h\xc3\xa9\", \"ISO-8859-1\")", "\"aOk=\"");
    EXPECT(t, "textdecodebase64(\"aADpAA==\", \"UTF-16LE\")", "\"h\xc3\xa9\"");
    EXPECT(t, "textdecodebase64(\"aOk=\", \"ISO-8859-1\")", "\"h\xc3\xa9\"");
    EXPECT(t, "textencodebase64(\"\xe2\x82\xac\", \"ISO-8859-1\")",
           "ERROR: main.cp:1:18: textencodebase64: the string has characters that ISO-8859-1 "
           "cannot represent");
    EXPECT(t, "textencodebase64(\"x\", \"NO-SUCH-CODE\")",
           "ERROR: main.cp:1:23: textencodebase64: \"NO-SUCH-CODE\" is not a character encoding "
           "this system knows; try \"UTF-16LE\", \"ISO-8859-1\" or \"CP1252\" (iconv -l lists "
           "them)");
    EXPECT(t, "textdecodebase64(\"!!\", \"UTF-8\")",
           "ERROR: main.cp:1:18: textdecodebase64: argument 1 is not valid base64");
    EXPECT(t, "textdecodebase64(\"AA==\", \"UTF-8\")",
           "ERROR: main.cp:1:18: textdecodebase64: the decoded text holds a NUL character, which "
           "a string cannot");
    EXPECT(t, "textdecodebase64(\"/w==\", \"UTF-8\")",
           "ERROR: main.cp:1:18: textdecodebase64: the decoded bytes are not valid UTF-8 text");
}

static void test_numbers(void **state)
{
    tctx *t = *state;
    EXPECT(t, "log(8, 2)", "3");
    EXPECT(t, "log(1, 10)", "0");
    EXPECT(t, "log(-1, 10)",
           "ERROR: main.cp:1:5: log: cannot take the logarithm of a negative number");
    EXPECT(t, "log(8, 1)",
           "ERROR: main.cp:1:8: log: the base must be a positive number other than 1");
    EXPECT(t, "parseint(\"100\", 10)", "100");
    EXPECT(t, "parseint(\"FF\", 16)", "255");
    EXPECT(t, "parseint(\"ff\", 16)", "255");
    EXPECT(t, "parseint(\"-1010\", 2)", "-10");
    EXPECT(t, "parseint(\"zZ\", 62)", "2231"); /* z = 35, Z = 61: 35 * 62 + 61 */
    EXPECT(t, "parseint(\"12\", 2)",
           "ERROR: main.cp:1:10: parseint: \"12\" is not a whole number in base 2");
    EXPECT(t, "parseint(\"\", 10)",
           "ERROR: main.cp:1:10: parseint: \"\" is not a whole number in base 10");
    EXPECT(t, "parseint(\"1\", 63)",
           "ERROR: main.cp:1:15: parseint: argument 2 must be at most 62, got 63");
    EXPECT(t, "parseint(\"1\", 1)",
           "ERROR: main.cp:1:15: parseint: argument 2 must be at least 2, got 1");
}

static void test_cidrsubnets(void **state)
{
    tctx *t = *state;
    EXPECT(t, "cidrsubnets(\"10.1.0.0/16\", 4, 4, 8, 4)",
           "[\"10.1.0.0/20\", \"10.1.16.0/20\", \"10.1.32.0/24\", \"10.1.48.0/20\"]");
    EXPECT(t, "cidrsubnets(\"fd00:fd12:3456:7890::/56\", 16, 16)",
           "[\"fd00:fd12:3456:7800::/72\", \"fd00:fd12:3456:7800:100::/72\"]");
    EXPECT(t, "cidrsubnets(\"10.0.0.0/8\")", "[]");
    EXPECT(t, "cidrsubnets(\"10.0.0.0/30\", 1, 1)", "[\"10.0.0.0/31\", \"10.0.0.2/31\"]");
    EXPECT(t, "cidrsubnets(\"10.0.0.0/30\", 1, 1, 1)",
           "ERROR: main.cp:1:34: cidrsubnets: no room left in the /30 prefix for a /31 block "
           "(argument 4): the blocks before it fill the prefix");
    EXPECT(t, "cidrsubnets(\"10.0.0.0/30\", 3)",
           "ERROR: main.cp:1:28: cidrsubnets: argument 2 must be at most 2, got 3");
    EXPECT(t, "cidrsubnets(\"nope\", 1)",
           "ERROR: main.cp:1:13: cidrsubnets: \"nope\" is not a CIDR prefix like \"10.0.0.0/16\" "
           "or \"2001:db8::/32\"");
}

static void test_paths(void **state)
{
    tctx *t = *state;
    EXPECT(t, "basename(\"foo/bar/baz.txt\")", "\"baz.txt\"");
    EXPECT(t, "basename(\"foo/bar/\")", "\"bar\"");
    EXPECT(t, "basename(\"/\")", "\"/\"");
    EXPECT(t, "basename(\"\")", "\".\"");
    EXPECT(t, "dirname(\"foo/bar/baz.txt\")", "\"foo/bar\"");
    EXPECT(t, "dirname(\"foo\")", "\".\"");
    EXPECT(t, "dirname(\"/foo\")", "\"/\"");
    EXPECT(t, "dirname(\"a//b/./c\")", "\"a/b\"");
    EXPECT(t, "dirname(\"\")", "\".\"");
    EXPECT(t, "abspath(\"/a/b/../c/./d/\")", "\"/a/c/d\"");
    EXPECT(t, "abspath(\"/..\")", "\"/\"");
    cp_value *v = ev(t, "abspath(\"x/../y\")");
    assert_non_null(v);
    assert_int_equal(cp_string_val(v)[0], '/');
    assert_true(strlen(cp_string_val(v)) > 2);
    assert_string_equal(cp_string_val(v) + strlen(cp_string_val(v)) - 2, "/y");
    cp_release(v);
    setenv("HOME", "/home/tester", 1);
    EXPECT(t, "pathexpand(\"~/.ssh/id_rsa\")", "\"/home/tester/.ssh/id_rsa\"");
    EXPECT(t, "pathexpand(\"~\")", "\"/home/tester\"");
    EXPECT(t, "pathexpand(\"/etc/~x\")", "\"/etc/~x\"");
    EXPECT(t, "pathexpand(\"~bob/x\")",
           "ERROR: main.cp:1:12: pathexpand: only \"~\" alone expands, not \"~user\": write the "
           "other user's home directory out");
}

static void test_fileset(void **state)
{
    tctx *t = *state;
    char *d = cp_xasprintf("%s/files", t->dir), *d2 = cp_xasprintf("%s/files/sub", t->dir);
    char *d3 = cp_xasprintf("%s/files/sub/deep", t->dir);
    mkdir(d, 0700);
    mkdir(d2, 0700);
    mkdir(d3, 0700);
    free(d);
    free(d2);
    free(d3);
    WRITE(t, "files/a.txt", "a");
    WRITE(t, "files/b.json", "{}");
    WRITE(t, "files/.hidden.txt", "h");
    WRITE(t, "files/sub/c.txt", "c");
    WRITE(t, "files/sub/deep/d.txt", "d");
    EXPECT(t, "fileset(\"files\", \"*.txt\")", "[\".hidden.txt\", \"a.txt\"]");
    EXPECT(t, "fileset(\"files\", \"**/*.txt\")",
           "[\".hidden.txt\", \"a.txt\", \"sub/c.txt\", \"sub/deep/d.txt\"]");
    EXPECT(t, "fileset(\"files\", \"sub/*\")", "[\"sub/c.txt\"]");
    EXPECT(t, "fileset(\"files\", \"*.{json,txt}\")", "[\".hidden.txt\", \"a.txt\", \"b.json\"]");
    EXPECT(t, "fileset(\"files\", \"?.txt\")", "[\"a.txt\"]");
    EXPECT(t, "fileset(\"files\", \"[ab].*\")", "[\"a.txt\", \"b.json\"]");
    EXPECT(t, "fileset(\"files\", \"*.csv\")", "[]");
    EXPECT(t, "fileset(\"missing\", \"*\")", "[]");
    char *loop = cp_xasprintf("%s/files/sub/loop", t->dir);
    assert_int_equal(symlink("..", loop), 0); /* a cycle: the walk still ends */
    free(loop);
    cp_value *v = ev(t, "length(fileset(\"files\", \"**/d.txt\")) > 0");
    assert_non_null(v);
    cp_release(v);
    EXPECT(t, "fileset(\"files\", \"*.{txt\")",
           "ERROR: main.cp:1:18: fileset: a \"{\" in the pattern is never closed with \"}\"");
}

static void test_file_digests(void **state)
{
    tctx *t = *state;
    WRITE(t, "hello.txt", "hello\n");
    EXPECT(t, "filesha1(\"hello.txt\")", "\"f572d396fae9206628714fb2ce00f72e94f2258f\"");
    EXPECT(t, "substr(filesha512(\"hello.txt\"), 0, 20)", "\"e7c22b994c59d9cf2b48\"");
    EXPECT(t, "filebase64sha512(\"hello.txt\")",
           "\"58IrmUxZ2c8rSOVJseJGZmNgRZMNPafBrLKZ0cO3+TH5Sq5B7dosKyB6NuEPi8uNRSI+VIePWzFufOO2vAGW"
           "KQ==\"");
    EXPECT(t, "sha512(\"hi\")",
           "\"150a14ed5bea6cc731cf86c41566ac427a8db48ef1b9fd626664b3bfbb99071fa4c922f33dde38719b8c"
           "8354e2b7ab9d77e0e67fc12843920a712e73d558e197\"");
    EXPECT(t, "base64sha512(\"hi\")",
           "\"FQoU7VvqbMcxz4bEFWasQnqNtI7xuf1iZmSzv7uZBx+kySLzPd44cZuMg1Tit6udd+Dmf8EoQ5IKcS5z1Vjh"
           "lw==\"");
    EXPECT(t, "filesha1(\"nope.txt\")",
           "ERROR: main.cp:1:10: filesha1: cannot read \"nope.txt\": No such file or directory");
}

static void test_time(void **state)
{
    tctx *t = *state;
    cp_value *v = ev(t, "timestamp()");
    assert_non_null(v);
    assert_int_equal(cp_string_len(v), 20);
    assert_int_equal(cp_string_val(v)[19], 'Z');
    cp_release(v);
    EXPECT(t, "length(plantimestamp())", "20");
    EXPECT(t, "timecmp(timestamp(), \"2020-01-01T00:00:00Z\")", "1");
    EXPECT(t, "formatdate(\"DD MMM YYYY hh:mm ZZZ\", \"2018-01-02T23:12:01Z\")",
           "\"02 Jan 2018 23:12 UTC\"");
    EXPECT(t, "formatdate(\"EEEE, DD-MMM-YY hh:mm:ss ZZZ\", \"2018-01-02T23:12:01Z\")",
           "\"Tuesday, 02-Jan-18 23:12:01 UTC\"");
    EXPECT(t, "formatdate(\"EEE, DD MMM YYYY hh:mm:ss ZZZ\", \"2018-01-02T23:12:01-08:00\")",
           "\"Tue, 02 Jan 2018 23:12:01 -0800\"");
    EXPECT(t, "formatdate(\"HH:mmaa\", \"2018-01-02T23:12:01Z\")", "\"11:12pm\"");
    EXPECT(t, "formatdate(\"h'h'mm\", \"2018-01-02T23:12:01-08:00\")", "\"23h12\"");
    EXPECT(t, "formatdate(\"H 'o''clock'\", \"2018-01-02T23:12:01-08:00\")", "\"11 o'clock\"");
    EXPECT(t, "formatdate(\"MMMM D, AA Z ZZZZZ\", \"2024-02-29T00:05:09.5+05:30\")",
           "\"February 29, AM +05:30 +05:30\"");
    EXPECT(t, "formatdate(\"YYYY-MM-DD'T'hh:mm:ssZ\", \"2024-07-04T09:08:07Z\")",
           "\"2024-07-04T09:08:07Z\"");
    EXPECT(t, "formatdate(\"YYY\", \"2024-07-04T09:08:07Z\")",
           "ERROR: main.cp:1:12: formatdate: \"YYY\" is not a date format sequence (YYYY, MM, DD, "
           "hh, mm, ss, …); quote literal letters as 'YYY'");
    EXPECT(t, "formatdate(\"'x\", \"2024-07-04T09:08:07Z\")",
           "ERROR: main.cp:1:12: formatdate: a quoted literal in the format is never closed: end "
           "it with '");
    EXPECT(t, "formatdate(\"YYYY\", \"2024-02-30T00:00:00Z\")",
           "ERROR: main.cp:1:20: formatdate: argument 2, \"2024-02-30T00:00:00Z\", is not an RFC "
           "3339 timestamp like \"2024-05-01T12:00:00Z\" or \"2024-05-01T14:00:00+02:00\"");
    EXPECT(t, "timeadd(\"2017-11-22T00:00:00Z\", \"10m\")", "\"2017-11-22T00:10:00Z\"");
    EXPECT(t, "timeadd(\"2017-11-22T00:00:00Z\", \"-1h30m\")", "\"2017-11-21T22:30:00Z\"");
    EXPECT(t, "timeadd(\"2017-11-22T00:00:00+01:00\", \"1.5h\")", "\"2017-11-22T01:30:00+01:00\"");
    EXPECT(t, "timeadd(\"2024-12-31T23:59:59Z\", \"1s\")", "\"2025-01-01T00:00:00Z\"");
    EXPECT(t, "timeadd(\"2024-01-01T00:00:00Z\", \"500ms\")", "\"2024-01-01T00:00:00Z\"");
    EXPECT(t, "timeadd(\"2024-01-01T00:00:00Z\", \"0\")", "\"2024-01-01T00:00:00Z\"");
    EXPECT(t, "timeadd(\"2024-01-01T00:00:00Z\", \"10 minutes\")",
           "ERROR: main.cp:1:33: timeadd: argument 2, \"10 minutes\", is not a duration like "
           "\"1h30m\", \"-10s\" or \"250ms\"");
    EXPECT(t, "timeadd(\"yesterday\", \"1h\")",
           "ERROR: main.cp:1:9: timeadd: argument 1, \"yesterday\", is not an RFC 3339 timestamp "
           "like \"2024-05-01T12:00:00Z\" or \"2024-05-01T14:00:00+02:00\"");
    EXPECT(t, "timecmp(\"2017-11-22T00:00:00Z\", \"2017-11-22T01:00:00+01:00\")", "0");
    EXPECT(t, "timecmp(\"2017-11-22T00:00:00Z\", \"2017-11-22T00:00:00.1Z\")", "-1");
    EXPECT(t, "timecmp(\"2017-11-23T00:00:00Z\", \"2017-11-22T23:00:00Z\")", "1");
}

static void test_gzip_csv(void **state)
{
    tctx *t = *state;
    /* gzip of "hello": magic 1f 8b, deflate, no name, mtime 0 */
    cp_value *v = ev(t, "base64gzip(\"hello\")");
    assert_non_null(v);
    assert_true(strncmp(cp_string_val(v), "H4sIAAAAAAAC", 12) == 0);
    cp_release(v);
    EXPECT(t, "base64gzip(\"hello\") == base64gzip(\"hello\")", "true");
    EXPECT(t, "csvdecode(\"a,b\\n1,2\\n3,\\\"x, y\\\"\\n\")",
           "[{ a = \"1\", b = \"2\" }, { a = \"3\", b = \"x, y\" }]");
    EXPECT(t, "csvdecode(\"a,b\\n\")", "[]");
    EXPECT(t, "csvdecode(\"a\\n \\\"q\\\"\\\"\\\" \\n\")",
           "ERROR: main.cp:1:11: csvdecode: not valid CSV after record 1: error parsing data "
           "while strict checking enabled (a quote inside a field must be doubled, and the field "
           "quoted)");
    EXPECT(t, "csvdecode(\"a\\n\\\"q\\\"\\\"\\\"\\n\")", "[{ a = \"q\\\"\" }]");
    EXPECT(t, "csvdecode(\"a, b\\n1, 2\")", "[{ \" b\" = \" 2\", a = \"1\" }]");
    EXPECT(t, "csvdecode(\"a,b\\n1,2,3\\n\")",
           "ERROR: main.cp:1:11: csvdecode: record 2 has 3 fields, but the header has 2");
    EXPECT(t, "csvdecode(\"a,a\\n1,2\\n\")",
           "ERROR: main.cp:1:11: csvdecode: the header names column \"a\" twice");
    EXPECT(t, "csvdecode(\"\")",
           "ERROR: main.cp:1:11: csvdecode: the text is empty: it needs a header line");
}

static void test_yamlencode(void **state)
{
    tctx *t = *state;
    EXPECT(t, "yamlencode({ a = \"b\", c = [1, true, null], d = {} })",
           "\"\\\"a\\\": \\\"b\\\"\\n\\\"c\\\":\\n- 1\\n- true\\n- null\\n\\\"d\\\": {}\\n\"");
    EXPECT(t, "yamlencode([])", "\"[]\\n\"");
    EXPECT(t, "yamlencode(\"x\")", "\"\\\"x\\\"\\n\"");
    EXPECT(t, "yamlencode(1.5)", "\"1.5\\n\"");
    EXPECT(t, "yamldecode(yamlencode(var.users))",
           "{ alice = { age = 30, role = \"admin\" }, bob = { age = 25, role = \"dev\" } }");
    EXPECT(t, "yamldecode(yamlencode({ s = \"two\\nlines\\n\", q = \"'\\\"\", e = \"\" }))",
           "{ e = \"\", q = \"'\\\"\", s = \"two\\nlines\\n\" }");
}

static void test_yamldecode(void **state)
{
    tctx *t = *state;
    EXPECT(t, "yamldecode(\"a: 1\\nb: [x, 'y', \\\"2\\\"]\\nc: {d: true}\\n\")",
           "{ a = 1, b = [\"x\", \"y\", \"2\"], c = { d = true } }");
    EXPECT(t, "yamldecode(\"- ~\\n- null\\n-\\n- 0x1F\\n- 0o17\\n- -2.5e3\\n- yes\\n- 1.2.3\\n\")",
           "[null, null, null, 31, 15, -2500, \"yes\", \"1.2.3\"]");
    EXPECT(t, "yamldecode(\"\")", "null");
    EXPECT(t, "yamldecode(\"hello\")", "\"hello\"");
    EXPECT(t, "yamldecode(\"!!str 12\")", "\"12\"");
    EXPECT(t, "yamldecode(\"!!int '12'\")", "12");
    EXPECT(t, "yamldecode(\"base: &b {x: 1, y: 2}\\nuse:\\n  <<: *b\\n  y: 3\\n\")",
           "{ base = { x = 1, y = 2 }, use = { x = 1, y = 3 } }");
    EXPECT(t, "yamldecode(\"a: &v [1]\\nb: *v\\n\")", "{ a = [1], b = [1] }");
    EXPECT(t, "yamldecode(\"1: one\\ntrue: yes\\n\")", "{ \"1\" = \"one\", true = \"yes\" }");
    EXPECT(t, "yamldecode(\"a: 1\\na: 2\\n\")",
           "ERROR: main.cp:1:12: yamldecode: invalid YAML at line 2, column 1: the key \"a\" "
           "appears twice in one map");
    EXPECT(t, "yamldecode(\"a: [1\\n\")",
           "ERROR: main.cp:1:12: yamldecode: invalid YAML at line 2, column 1: did not find "
           "expected ',' or ']'");
    EXPECT(t, "yamldecode(\"a\\n---\\nb\\n\")",
           "ERROR: main.cp:1:12: yamldecode: invalid YAML at line 2, column 1: a second document: "
           "yamldecode reads exactly one");
    EXPECT(t, "yamldecode(\"x: .inf\")",
           "ERROR: main.cp:1:12: yamldecode: invalid YAML at line 1, column 4: .inf (infinity or "
           "not-a-number) has no cpstack number");
    EXPECT(t, "yamldecode(\"x: *nope\")",
           "ERROR: main.cp:1:12: yamldecode: invalid YAML at line 1, column 4: the alias *nope "
           "names no anchor defined before it (nor can it be used inside its own anchor's value)");
    EXPECT(t, "yamldecode(\"{a: &foo [1, *foo, 3]}\")",
           "ERROR: main.cp:1:12: yamldecode: invalid YAML at line 1, column 14: the alias *foo "
           "names no anchor defined before it (nor can it be used inside its own anchor's value)");
    EXPECT(t, "yamldecode(\"{a: !not-supported foo}\")",
           "ERROR: main.cp:1:12: yamldecode: invalid YAML at line 1, column 5: the tag "
           "!not-supported does not fit the value or is not one cpstack reads (!!str, !!int, "
           "!!float, !!bool, !!null)");
    EXPECT(t, "yamldecode(\"!set {a: 1}\")",
           "ERROR: main.cp:1:12: yamldecode: invalid YAML at line 1, column 1: the tag !set is "
           "not one cpstack reads (!!map, !!seq)");
    EXPECT(t, "yamldecode(\"- !!timestamp 2001-12-14\\n- !!binary aGk=\\n- !!map {a: 1}\\n\")",
           "[\"2001-12-14\", \"aGk=\", { a = 1 }]");
    EXPECT(t, "yamldecode(\"? [a]\\n: 1\\n\")",
           "ERROR: main.cp:1:12: yamldecode: invalid YAML at line 1, column 3: map keys must be "
           "plain values, not maps or lists");
    EXPECT(t, "yamldecode(\"!!bool maybe\")",
           "ERROR: main.cp:1:12: yamldecode: invalid YAML at line 1, column 1: the tag "
           "tag:yaml.org,2002:bool does not fit the value or is not one cpstack reads (!!str, "
           "!!int, !!float, !!bool, !!null)");
    EXPECT(t, "yamldecode(sensitive(\"a: [\"))",
           "ERROR: main.cp:1:12: yamldecode: invalid YAML (the sensitive text is not shown)");
}

static void test_bcrypt(void **state)
{
    tctx *t = *state;
    cp_value *v = ev(t, "bcrypt(\"hunter2\", 4)");
    assert_non_null(v);
    const char *h = cp_string_val(v);
    assert_int_equal(strlen(h), 60);
    assert_true(strncmp(h, "$2a$04$", 7) == 0);
    struct crypt_data cd = { 0 };
    assert_string_equal(crypt_r("hunter2", h, &cd), h); /* it verifies */
    assert_string_not_equal(crypt_r("hunter3", h, &cd), h);
    cp_release(v);
    EXPECT(t, "bcrypt(\"x\", 4) == bcrypt(\"x\", 4)", "false"); /* a new salt each time */
    EXPECT(t, "substr(bcrypt(\"x\"), 0, 7)", "\"$2a$10$\"");
    EXPECT(t, "bcrypt(\"x\", 3)",
           "ERROR: main.cp:1:13: bcrypt: argument 2 must be at least 4, got 3");
    EXPECT(t, "bcrypt(\"x\", 32)",
           "ERROR: main.cp:1:13: bcrypt: argument 2 must be at most 31, got 32");
    EXPECT(t, "bcrypt(join(\"\", [for i in range(73) : \"a\"]))",
           "ERROR: main.cp:1:8: bcrypt: bcrypt uses at most 72 bytes of a password, and this one "
           "is longer");
}

static void test_rsadecrypt(void **state)
{
    tctx *t = *state;
    tctx_write(t, "k.pem", rsa_key, strlen(rsa_key));
    char *src = cp_xasprintf("rsadecrypt(\"%s\", file(\"k.pem\"))", rsa_cipher);
    EXPECT(t, src, "\"secret text\"");
    free(src);
    EXPECT(t, "rsadecrypt(\"!!\", file(\"k.pem\"))",
           "ERROR: main.cp:1:12: rsadecrypt: argument 1 is not valid base64");
    EXPECT(t, "rsadecrypt(\"aGVsbG8=\", file(\"k.pem\"))",
           "ERROR: main.cp:1:12: rsadecrypt: cannot decrypt the ciphertext with this key (PKCS #1 "
           "v1.5): wrong key, or not RSA-encrypted");
    EXPECT(t, "rsadecrypt(\"aGVsbG8=\", \"not a key\")",
           "ERROR: main.cp:1:24: rsadecrypt: argument 2 is not an unencrypted PEM private key");
}

static void test_uuid(void **state)
{
    tctx *t = *state;
    cp_value *v = ev(t, "uuid()");
    assert_non_null(v);
    assert_int_equal(cp_string_len(v), 36);
    assert_int_equal(cp_string_val(v)[14], '4'); /* version 4 */
    cp_release(v);
    EXPECT(t, "uuid() == uuid()", "false");
    EXPECT(t, "uuidv5(\"dns\", \"www.example.com\")", "\"2ed6657d-e927-568b-95e1-2665a8aea6a2\"");
    EXPECT(t, "uuidv5(\"url\", \"https://x\")", "\"48d34be5-10a3-5c30-96ef-9cf9a60110f2\"");
    EXPECT(t, "uuidv5(\"6ba7b810-9dad-11d1-80b4-00c04fd430c8\", \"a\")",
           "\"4f3f2898-69e3-5a0d-820a-c4e87987dbce\"");
    EXPECT(t, "uuidv5(\"web\", \"a\")",
           "ERROR: main.cp:1:8: uuidv5: \"web\" is not a namespace: give \"dns\", \"url\", "
           "\"oid\", \"x500\" or a UUID");
}

static void test_marks(void **state)
{
    tctx *t = *state;
    EXPECT(t, "nonsensitive(var.secret)", "\"hunter2\"");
    EXPECT(t, "nonsensitive(\"plain\")", "\"plain\"");
    EXPECT(t, "issensitive(var.secret)", "true");
    EXPECT(t, "issensitive(var.name)", "false");
    EXPECT(t, "issensitive(sensitive(var.unknown))", "true");
    EXPECT(t, "issensitive(var.unknown)", "(known after apply)");
    EXPECT(t, "nonsensitive(var.unknown)", "(known after apply)");
    EXPECT(t, "upper(nonsensitive(var.secret))", "\"HUNTER2\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bool_lists),
        cmocka_unit_test(test_chunk_index_one),
        cmocka_unit_test(test_matchkeys_transpose),
        cmocka_unit_test(test_sets),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_text_encodings),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_cidrsubnets),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_fileset),
        cmocka_unit_test(test_file_digests),
        cmocka_unit_test(test_time),
        cmocka_unit_test(test_gzip_csv),
        cmocka_unit_test(test_yamlencode),
        cmocka_unit_test(test_yamldecode),
        cmocka_unit_test(test_bcrypt),
        cmocka_unit_test(test_rsadecrypt),
        cmocka_unit_test(test_uuid),
        cmocka_unit_test(test_marks),
    };
    return cmocka_run_group_tests(tests, tctx_setup, tctx_teardown);
}
