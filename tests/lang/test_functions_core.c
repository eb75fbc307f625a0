/*
 * test_functions_core.c: what every built-in shares, checked for all of
 * them from one table of sample calls: the call works; too few or too many
 * arguments is an error at the call; an unknown argument in any position
 * gives an unknown result; a sensitive argument in any position gives a
 * sensitive result. Also: the name table, "did you mean", the wording and
 * location of arity and type errors, argument conversion, the C API
 * cp_call_function, try() and can(), and cp_suggest itself.
 */
#include "test_eval_helpers.h"

#include <stdlib.h>
#include <string.h>

#include "lang/functions.h"
#include "lang/suggest.h"
#include "util/xalloc.h"

typedef struct sample {
    const char *name;
    int min, max;        /* max -1: any number */
    const char *args[3]; /* a valid call */
} sample;

static const sample samples[] = {
    { "abs", 1, 1, { "-3" } },
    { "base64decode", 1, 1, { "\"aGk=\"" } },
    { "base64encode", 1, 1, { "\"hi\"" } },
    { "base64sha256", 1, 1, { "\"hi\"" } },
    { "ceil", 1, 1, { "1.2" } },
    { "cidrhost", 2, 2, { "\"10.0.0.0/24\"", "5" } },
    { "cidrnetmask", 1, 1, { "\"10.0.0.0/24\"" } },
    { "cidrsubnet", 3, 3, { "\"10.0.0.0/16\"", "8", "2" } },
    { "coalesce", 1, -1, { "\"\"", "\"b\"" } },
    { "coalescelist", 1, -1, { "[]", "[1]" } },
    { "compact", 1, 1, { "[\"a\", \"\"]" } },
    { "concat", 1, -1, { "[1]", "[2]" } },
    { "contains", 2, 2, { "[1, 2]", "2" } },
    { "distinct", 1, 1, { "[1, 1, 2]" } },
    { "element", 2, 2, { "[1, 2]", "3" } },
    { "endswith", 2, 2, { "\"abc\"", "\"c\"" } },
    { "file", 1, 1, { "\"hello.txt\"" } },
    { "filebase64", 1, 1, { "\"hello.txt\"" } },
    { "filebase64sha256", 1, 1, { "\"hello.txt\"" } },
    { "fileexists", 1, 1, { "\"hello.txt\"" } },
    { "filemd5", 1, 1, { "\"hello.txt\"" } },
    { "filesha256", 1, 1, { "\"hello.txt\"" } },
    { "flatten", 1, 1, { "[[1], [2, [3]]]" } },
    { "floor", 1, 1, { "1.7" } },
    { "format", 1, -1, { "\"%s-%d\"", "\"a\"", "1" } },
    { "formatlist", 1, -1, { "\"%s!\"", "[\"a\", \"b\"]" } },
    { "join", 2, 2, { "\",\"", "[\"a\", \"b\"]" } },
    { "jsondecode", 1, 1, { "\"{\\\"a\\\": 1}\"" } },
    { "jsonencode", 1, 1, { "{ a = 1 }" } },
    { "keys", 1, 1, { "{ a = 1 }" } },
    { "length", 1, 1, { "[1, 2]" } },
    { "lookup", 2, 3, { "{ a = 1 }", "\"a\"", "0" } },
    { "lower", 1, 1, { "\"AB\"" } },
    { "max", 1, -1, { "1", "2" } },
    { "md5", 1, 1, { "\"hi\"" } },
    { "merge", 0, -1, { "{ a = 1 }", "{ b = 2 }" } },
    { "min", 1, -1, { "1", "2" } },
    { "pow", 2, 2, { "2", "3" } },
    { "range", 1, 3, { "1", "5", "2" } },
    { "regex", 2, 2, { "\"[a-z]+\"", "\"123abc\"" } },
    { "regexall", 2, 2, { "\"[a-z]+\"", "\"123abc\"" } },
    { "replace", 3, 3, { "\"abc\"", "\"b\"", "\"x\"" } },
    { "reverse", 1, 1, { "[1, 2]" } },
    { "sensitive", 1, 1, { "1" } },
    { "sha1", 1, 1, { "\"hi\"" } },
    { "sha256", 1, 1, { "\"hi\"" } },
    { "signum", 1, 1, { "-5" } },
    { "slice", 3, 3, { "[1, 2, 3]", "1", "2" } },
    { "sort", 1, 1, { "[\"b\", \"a\"]" } },
    { "split", 2, 2, { "\",\"", "\"a,b\"" } },
    { "startswith", 2, 2, { "\"abc\"", "\"a\"" } },
    { "substr", 3, 3, { "\"hello\"", "1", "3" } },
    { "sum", 1, 1, { "[1, 2]" } },
    { "templatefile", 2, 2, { "\"t.tpl\"", "{ name = \"x\" }" } },
    { "templatestring", 2, 2, { "\"a$${name}\"", "{ name = \"x\" }" } },
    { "title", 1, 1, { "\"hi there\"" } },
    { "tobool", 1, 1, { "\"true\"" } },
    { "tolist", 1, 1, { "[1]" } },
    { "tomap", 1, 1, { "{ a = 1 }" } },
    { "tonumber", 1, 1, { "\"5\"" } },
    { "toset", 1, 1, { "[\"b\", \"a\", \"b\"]" } },
    { "tostring", 1, 1, { "5" } },
    { "trim", 2, 2, { "\"xxaxx\"", "\"x\"" } },
    { "trimprefix", 2, 2, { "\"abc\"", "\"a\"" } },
    { "trimspace", 1, 1, { "\"  a \"" } },
    { "trimsuffix", 2, 2, { "\"abc\"", "\"c\"" } },
    { "upper", 1, 1, { "\"ab\"" } },
    { "values", 1, 1, { "{ a = 1 }" } },
    { "zipmap", 2, 2, { "[\"a\"]", "[1]" } },
    { "abspath", 1, 1, { "\"/a\"" } },
    { "alltrue", 1, 1, { "[true]" } },
    { "anytrue", 1, 1, { "[false]" } },
    { "base64gzip", 1, 1, { "\"hi\"" } },
    { "base64sha512", 1, 1, { "\"hi\"" } },
    { "basename", 1, 1, { "\"a/b\"" } },
    { "bcrypt", 1, 2, { "\"pw\"", "4" } },
    { "chomp", 1, 1, { "\"a\\n\"" } },
    { "chunklist", 2, 2, { "[1, 2, 3]", "2" } },
    { "cidrsubnets", 1, -1, { "\"10.0.0.0/16\"", "8", "4" } },
    { "csvdecode", 1, 1, { "\"a\\n1\"" } },
    { "dirname", 1, 1, { "\"a/b\"" } },
    { "filebase64sha512", 1, 1, { "\"hello.txt\"" } },
    { "fileset", 2, 2, { "\".\"", "\"*.txt\"" } },
    { "filesha1", 1, 1, { "\"hello.txt\"" } },
    { "filesha512", 1, 1, { "\"hello.txt\"" } },
    { "formatdate", 2, 2, { "\"YYYY\"", "\"2024-01-01T00:00:00Z\"" } },
    { "indent", 2, 2, { "2", "\"a\\nb\"" } },
    { "index", 2, 2, { "[1, 2]", "2" } },
    { "issensitive", 1, 1, { "1" } },
    { "log", 2, 2, { "8", "2" } },
    { "matchkeys", 3, 3, { "[1, 2]", "[\"a\", \"b\"]", "[\"b\"]" } },
    { "nonsensitive", 1, 1, { "1" } },
    { "one", 1, 1, { "[1]" } },
    { "parseint", 2, 2, { "\"ff\"", "16" } },
    { "pathexpand", 1, 1, { "\"~/x\"" } },
    { "plantimestamp", 0, 0, {} },
    { "rsadecrypt",
      2,
      2,
      { "\"Ik2FdX29+RdTpy73It64s2eEdSZipfGENqkav2fVp3WoEkIoOfxgKHJCprR1Lp6Y4cXPzD3E2ILvbpACKaFWYg==\"",
        "file(\"k.pem\")" } },
    { "setintersection", 1, -1, { "[1, 2]", "[2]" } },
    { "setproduct", 2, -1, { "[1]", "[2]" } },
    { "setsubtract", 2, 2, { "[1, 2]", "[2]" } },
    { "setunion", 1, -1, { "[1]", "[2]" } },
    { "sha512", 1, 1, { "\"hi\"" } },
    { "strcontains", 2, 2, { "\"abc\"", "\"b\"" } },
    { "strrev", 1, 1, { "\"abc\"" } },
    { "textdecodebase64", 2, 2, { "\"aGk=\"", "\"UTF-8\"" } },
    { "textencodebase64", 2, 2, { "\"hi\"", "\"UTF-16LE\"" } },
    { "timeadd", 2, 2, { "\"2024-01-01T00:00:00Z\"", "\"1h\"" } },
    { "timecmp", 2, 2, { "\"2024-01-01T00:00:00Z\"", "\"2024-01-02T00:00:00Z\"" } },
    { "timestamp", 0, 0, {} },
    { "transpose", 1, 1, { "{ a = [\"b\"] }" } },
    { "urlencode", 1, 1, { "\"a b\"" } },
    { "uuid", 0, 0, {} },
    { "uuidv5", 2, 2, { "\"dns\"", "\"x\"" } },
    { "yamldecode", 1, 1, { "\"a: 1\"" } },
    { "yamlencode", 1, 1, { "{ a = 1 }" } },
};
#define NSAMPLES (sizeof samples / sizeof samples[0])

/* One wrongly typed call per function and its exact message. */
static const struct {
    const char *src, *want;
} wrong_types[] = {
    { "abs([])", "ERROR: main.cp:1:5: abs: argument 1 must be a number, got list" },
    { "base64decode({})",
      "ERROR: main.cp:1:14: base64decode: argument 1 must be a string, got map" },
    { "base64encode([1])",
      "ERROR: main.cp:1:14: base64encode: argument 1 must be a string, got list" },
    { "base64sha256(null)",
      "ERROR: main.cp:1:14: base64sha256: argument 1 must be a string, got null" },
    { "ceil(\"x\")", "ERROR: main.cp:1:6: ceil: argument 1 must be a number, got string \"x\"" },
    { "cidrhost([], 1)", "ERROR: main.cp:1:10: cidrhost: argument 1 must be a string, got list" },
    { "cidrhost(\"10.0.0.0/8\", \"x\")",
      "ERROR: main.cp:1:24: cidrhost: argument 2 must be a number, got string \"x\"" },
    { "cidrnetmask(5)",
      "ERROR: main.cp:1:13: cidrnetmask: \"5\" is not a CIDR prefix like \"10.0.0.0/16\" or "
      "\"2001:db8::/32\"" },
    { "cidrsubnet(\"10.0.0.0/8\", \"a\", 1)",
      "ERROR: main.cp:1:26: cidrsubnet: argument 2 must be a number, got string \"a\"" },
    { "coalesce(null)",
      "ERROR: main.cp:1:1: coalesce: its only argument is null or an empty string: give one "
      "with a value" },
    { "coalescelist(\"a\")",
      "ERROR: main.cp:1:14: coalescelist: argument 1 must be a list, got string \"a\"" },
    { "compact(\"a\")",
      "ERROR: main.cp:1:9: compact: argument 1 must be a list, got string \"a\"" },
    { "concat(\"a\")", "ERROR: main.cp:1:8: concat: argument 1 must be a list, got string \"a\"" },
    { "contains({}, 1)", "ERROR: main.cp:1:10: contains: argument 1 must be a list, got map" },
    { "distinct(\"a\")",
      "ERROR: main.cp:1:10: distinct: argument 1 must be a list, got string \"a\"" },
    { "element({}, 1)", "ERROR: main.cp:1:9: element: argument 1 must be a list, got map" },
    { "element([1], \"x\")",
      "ERROR: main.cp:1:14: element: argument 2 must be a number, got string \"x\"" },
    { "endswith([], \"a\")",
      "ERROR: main.cp:1:10: endswith: argument 1 must be a string, got list" },
    { "file([])", "ERROR: main.cp:1:6: file: argument 1 must be a string, got list" },
    { "filebase64({})", "ERROR: main.cp:1:12: filebase64: argument 1 must be a string, got map" },
    { "filebase64sha256([])",
      "ERROR: main.cp:1:18: filebase64sha256: argument 1 must be a string, got list" },
    { "fileexists([])", "ERROR: main.cp:1:12: fileexists: argument 1 must be a string, got list" },
    { "filemd5(null)", "ERROR: main.cp:1:9: filemd5: argument 1 must be a string, got null" },
    { "filesha256([1])", "ERROR: main.cp:1:12: filesha256: argument 1 must be a string, got list" },
    { "flatten(\"a\")",
      "ERROR: main.cp:1:9: flatten: argument 1 must be a list, got string \"a\"" },
    { "floor({})", "ERROR: main.cp:1:7: floor: argument 1 must be a number, got map" },
    { "format([], 1)", "ERROR: main.cp:1:8: format: argument 1 must be a string, got list" },
    { "formatlist({}, [1])",
      "ERROR: main.cp:1:12: formatlist: argument 1 must be a string, got map" },
    { "join(\",\", \"a\")",
      "ERROR: main.cp:1:11: join: argument 2 must be a list of strings, got string \"a\"" },
    { "jsondecode([])", "ERROR: main.cp:1:12: jsondecode: argument 1 must be a string, got list" },
    { "keys(\"a\")", "ERROR: main.cp:1:6: keys: argument 1 must be a map, got string \"a\"" },
    { "length(1)",
      "ERROR: main.cp:1:8: length: argument 1 must be a string, a list or a map, got number" },
    { "lookup(\"a\", \"b\")",
      "ERROR: main.cp:1:8: lookup: argument 1 must be a map, got string \"a\"" },
    { "lookup({}, [])", "ERROR: main.cp:1:12: lookup: argument 2 must be a string, got list" },
    { "lower([])", "ERROR: main.cp:1:7: lower: argument 1 must be a string, got list" },
    { "max([])", "ERROR: main.cp:1:5: max: argument 1 must be a number, got list" },
    { "md5({})", "ERROR: main.cp:1:5: md5: argument 1 must be a string, got map" },
    { "merge(\"a\")", "ERROR: main.cp:1:7: merge: argument 1 must be a map, got string \"a\"" },
    { "min(null)", "ERROR: main.cp:1:5: min: argument 1 must be a number, got null" },
    { "pow(2, \"x\")", "ERROR: main.cp:1:8: pow: argument 2 must be a number, got string \"x\"" },
    { "range(\"a\")", "ERROR: main.cp:1:7: range: argument 1 must be a number, got string \"a\"" },
    { "regex([], \"a\")", "ERROR: main.cp:1:7: regex: argument 1 must be a string, got list" },
    { "regexall(\"a\", {})",
      "ERROR: main.cp:1:15: regexall: argument 2 must be a string, got map" },
    { "replace(\"a\", [], \"b\")",
      "ERROR: main.cp:1:14: replace: argument 2 must be a string, got list" },
    { "reverse(\"abc\")",
      "ERROR: main.cp:1:9: reverse: argument 1 must be a list, got string \"abc\"" },
    { "sha1([])", "ERROR: main.cp:1:6: sha1: argument 1 must be a string, got list" },
    { "sha256(null)", "ERROR: main.cp:1:8: sha256: argument 1 must be a string, got null" },
    { "signum(\"x\")",
      "ERROR: main.cp:1:8: signum: argument 1 must be a number, got string \"x\"" },
    { "slice(\"abc\", 0, 1)",
      "ERROR: main.cp:1:7: slice: argument 1 must be a list, got string \"abc\"" },
    { "sort(\"a\")",
      "ERROR: main.cp:1:6: sort: argument 1 must be a list of strings, got string \"a\"" },
    { "split([], \"a\")", "ERROR: main.cp:1:7: split: argument 1 must be a string, got list" },
    { "startswith(\"a\", [])",
      "ERROR: main.cp:1:17: startswith: argument 2 must be a string, got list" },
    { "substr([], 0, 1)", "ERROR: main.cp:1:8: substr: argument 1 must be a string, got list" },
    { "sum(\"a\")",
      "ERROR: main.cp:1:5: sum: argument 1 must be a list of numbers, got string \"a\"" },
    { "templatefile([], {})",
      "ERROR: main.cp:1:14: templatefile: argument 1 must be a string, got list" },
    { "templatestring([], {})",
      "ERROR: main.cp:1:16: templatestring: argument 1 must be a string, got list" },
    { "title(null)", "ERROR: main.cp:1:7: title: argument 1 must be a string, got null" },
    { "tobool([])",
      "ERROR: main.cp:1:8: tobool: cannot convert a list to a bool: only true, false, \"true\" "
      "and \"false\" convert" },
    { "tolist(\"a\")", "ERROR: main.cp:1:8: tolist: cannot convert the string \"a\" to a list" },
    { "tomap(\"a\")", "ERROR: main.cp:1:7: tomap: cannot convert the string \"a\" to a map" },
    { "tonumber([])", "ERROR: main.cp:1:10: tonumber: cannot convert a list to a number" },
    { "toset(\"a\")", "ERROR: main.cp:1:7: toset: cannot convert the string \"a\" to a set" },
    { "tostring({})",
      "ERROR: main.cp:1:10: tostring: cannot convert a map to a string: use jsonencode() or "
      "join() for lists and maps" },
    { "trim(\"a\", [])", "ERROR: main.cp:1:11: trim: argument 2 must be a string, got list" },
    { "trimprefix([], \"a\")",
      "ERROR: main.cp:1:12: trimprefix: argument 1 must be a string, got list" },
    { "trimspace({})", "ERROR: main.cp:1:11: trimspace: argument 1 must be a string, got map" },
    { "trimsuffix(\"a\", null)",
      "ERROR: main.cp:1:17: trimsuffix: argument 2 must be a string, got null" },
    { "upper({})", "ERROR: main.cp:1:7: upper: argument 1 must be a string, got map" },
    { "values([])", "ERROR: main.cp:1:8: values: argument 1 must be a map, got list" },
    { "zipmap(\"a\", [])",
      "ERROR: main.cp:1:8: zipmap: argument 1 must be a list of strings, got string \"a\"" },
    { "abspath([])", "ERROR: main.cp:1:9: abspath: argument 1 must be a string, got list" },
    { "alltrue(\"a\")",
      "ERROR: main.cp:1:9: alltrue: argument 1 must be a list, got string \"a\"" },
    { "anytrue({})", "ERROR: main.cp:1:9: anytrue: argument 1 must be a list, got map" },
    { "base64gzip([])", "ERROR: main.cp:1:12: base64gzip: argument 1 must be a string, got list" },
    { "base64sha512({})",
      "ERROR: main.cp:1:14: base64sha512: argument 1 must be a string, got map" },
    { "basename([])", "ERROR: main.cp:1:10: basename: argument 1 must be a string, got list" },
    { "bcrypt(\"x\", \"y\")",
      "ERROR: main.cp:1:13: bcrypt: argument 2 must be a number, got string \"y\"" },
    { "chomp([])", "ERROR: main.cp:1:7: chomp: argument 1 must be a string, got list" },
    { "chunklist([1], \"a\")",
      "ERROR: main.cp:1:16: chunklist: argument 2 must be a number, got string \"a\"" },
    { "cidrsubnets(\"10.0.0.0/8\", [])",
      "ERROR: main.cp:1:27: cidrsubnets: argument 2 must be a number, got list" },
    { "csvdecode([])", "ERROR: main.cp:1:11: csvdecode: argument 1 must be a string, got list" },
    { "dirname({})", "ERROR: main.cp:1:9: dirname: argument 1 must be a string, got map" },
    { "filebase64sha512([])",
      "ERROR: main.cp:1:18: filebase64sha512: argument 1 must be a string, got list" },
    { "fileset(\".\", [])", "ERROR: main.cp:1:14: fileset: argument 2 must be a string, got list" },
    { "filesha1(null)", "ERROR: main.cp:1:10: filesha1: argument 1 must be a string, got null" },
    { "filesha512([])", "ERROR: main.cp:1:12: filesha512: argument 1 must be a string, got list" },
    { "formatdate([], \"x\")",
      "ERROR: main.cp:1:12: formatdate: argument 1 must be a string, got list" },
    { "indent(\"x\", \"y\")",
      "ERROR: main.cp:1:8: indent: argument 1 must be a number, got string \"x\"" },
    { "index(\"a\", 1)", "ERROR: main.cp:1:7: index: argument 1 must be a list, got string \"a\"" },
    { "log(\"x\", 2)", "ERROR: main.cp:1:5: log: argument 1 must be a number, got string \"x\"" },
    { "matchkeys([], {}, [])",
      "ERROR: main.cp:1:15: matchkeys: argument 2 must be a list, got map" },
    { "one(\"a\")", "ERROR: main.cp:1:5: one: argument 1 must be a list, got string \"a\"" },
    { "parseint(\"1\", \"x\")",
      "ERROR: main.cp:1:15: parseint: argument 2 must be a number, got string \"x\"" },
    { "pathexpand([])", "ERROR: main.cp:1:12: pathexpand: argument 1 must be a string, got list" },
    { "rsadecrypt([], \"k\")",
      "ERROR: main.cp:1:12: rsadecrypt: argument 1 must be a string, got list" },
    { "setintersection(\"a\")",
      "ERROR: main.cp:1:17: setintersection: argument 1 must be a list, got string \"a\"" },
    { "setproduct([1], {})",
      "ERROR: main.cp:1:17: setproduct: argument 2 must be a list, got map" },
    { "setsubtract([], \"b\")",
      "ERROR: main.cp:1:17: setsubtract: argument 2 must be a list, got string \"b\"" },
    { "setunion({})", "ERROR: main.cp:1:10: setunion: argument 1 must be a list, got map" },
    { "sha512([])", "ERROR: main.cp:1:8: sha512: argument 1 must be a string, got list" },
    { "strcontains(\"a\", [])",
      "ERROR: main.cp:1:18: strcontains: argument 2 must be a string, got list" },
    { "strrev({})", "ERROR: main.cp:1:8: strrev: argument 1 must be a string, got map" },
    { "textdecodebase64(\"aGk=\", [])",
      "ERROR: main.cp:1:26: textdecodebase64: argument 2 must be a string, got list" },
    { "textencodebase64([], \"UTF-8\")",
      "ERROR: main.cp:1:18: textencodebase64: argument 1 must be a string, got list" },
    { "timeadd(\"t\", {})", "ERROR: main.cp:1:14: timeadd: argument 2 must be a string, got map" },
    { "timecmp([], \"t\")", "ERROR: main.cp:1:9: timecmp: argument 1 must be a string, got list" },
    { "transpose([])", "ERROR: main.cp:1:11: transpose: argument 1 must be a map, got list" },
    { "urlencode([])", "ERROR: main.cp:1:11: urlencode: argument 1 must be a string, got list" },
    { "uuidv5(\"dns\", [])", "ERROR: main.cp:1:15: uuidv5: argument 2 must be a string, got list" },
    { "yamldecode({})", "ERROR: main.cp:1:12: yamldecode: argument 1 must be a string, got map" },
};

/* A small RSA key for rsadecrypt's sample (the sample's ciphertext is "hi"). */
static const char rsa_key[] = "-----BEGIN RSA PRIVATE KEY-----\n"
                              "MIIBOAIBAAJBAL5MFRyxpzpl0h/iXZAU4RO3SSac9wvvmj7jGf0TOSePzm2WuAez\n"
                              "gQUaGp0LWrr4GfsSZQlTEMxy1qIvL3hAOG8CAwEAAQJAD8dLMNfiH8t1gsNIMrwo\n"
                              "dXQLErKNIWY6ieBWtU80u/zhoKMJw3NjBjLaQ/ONdu829MPIQr9XVB1NQ1pp3bd6\n"
                              "0QIhAPqysWJlInPJBe0DEAGRFmmSFz4sI9ysyGxzVdsX5+NjAiEAwlJfbUL4xGvC\n"
                              "v7OGQiaNRZBUtU1Tqe0iGwGLKZf3coUCICm/zG6YbQ5fMc9wrR+1q8fU/m3qJ+a+\n"
                              "F3qIEoo0BvgFAiAbfTmgpEO6zZ+8LLJGc1uyxoslJq46MKCNf3dnR+cqXQIfTgtF\n"
                              "lESDAuIF9Aa7oJMOiA9q8Qqfi+evM0bprFo3oA==\n"
                              "-----END RSA PRIVATE KEY-----\n";

static int setup(void **state)
{
    tctx_setup(state);
    tctx *t = *state;
    tctx_write(t, "hello.txt", "hello\n", sizeof "hello\n" - 1);
    tctx_write(t, "t.tpl", "Hi ${name}", sizeof "Hi ${name}" - 1);
    tctx_write(t, "k.pem", rsa_key, sizeof rsa_key - 1);
    return 0;
}

static size_t nargs(const sample *s)
{
    size_t n = 0;
    while (n < 3 && s->args[n]) n++;
    return n;
}

/* name(args…), with argument `swap` (if < n) replaced by fmt % original. */
static char *call_src(const sample *s, size_t n, size_t swap, const char *fmt)
{
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_printf(&b, "%s(", s->name);
    for (size_t i = 0; i < n; i++) {
        const char *a = i < nargs(s) ? s->args[i] : "1";
        if (i) cp_buf_adds(&b, ", ");
        if (i == swap)
            cp_buf_printf(&b, fmt, a);
        else
            cp_buf_adds(&b, a);
    }
    cp_buf_addc(&b, ')');
    return cp_buf_steal(&b);
}

static void test_every_function_has_a_sample(void **state)
{
    (void)state;
    const char *const *names = cp_function_names();
    size_t count = 0;
    for (size_t i = 0; names[i]; i++, count++) {
        if (i) assert_true(strcmp(names[i - 1], names[i]) < 0);
        assert_true(cp_function_exists(names[i]));
        if (strcmp(names[i], "try") == 0 || strcmp(names[i], "can") == 0) continue;
        bool found = false;
        for (size_t k = 0; k < NSAMPLES; k++) found |= strcmp(samples[k].name, names[i]) == 0;
        if (!found) print_error("no sample for %s\n", names[i]);
        assert_true(found);
    }
    assert_int_equal(count, NSAMPLES + 2);
    assert_false(cp_function_exists("nope"));
    assert_false(cp_function_exists(""));
}

/* functions_doc.c documents every function once, in the table's order. */
static void test_every_function_has_a_doc(void **state)
{
    (void)state;
    size_t n;
    const cp_function_doc *d = cp_function_docs(&n);
    const char *const *names = cp_function_names();
    size_t k = 0;
    for (; names[k]; k++) {
        assert_true(k < n);
        if (strcmp(d[k].name, names[k]))
            print_error("doc %zu is %s, not %s\n", k, d[k].name, names[k]);
        assert_string_equal(d[k].name, names[k]);
        assert_true(strncmp(d[k].signature, names[k], strlen(names[k])) == 0);
        assert_int_equal(d[k].signature[strlen(names[k])], '(');
        assert_true(strlen(d[k].summary) > 10);
    }
    assert_int_equal(k, n);
}

static void test_samples_work(void **state)
{
    tctx *t = *state;
    for (size_t k = 0; k < NSAMPLES; k++) {
        char *src = call_src(&samples[k], nargs(&samples[k]), 99, NULL);
        cp_value *v = ev(t, src);
        if (!v) print_error("%s failed: %s\n", src, t->diags.items[0].msg);
        assert_non_null(v);
        assert_false(cp_contains_unknown(v));
        assert_int_equal(cp_is_sensitive(v), strcmp(samples[k].name, "sensitive") == 0);
        cp_release(v);
        free(src);
    }
}

static void expect_arity_error(tctx *t, const sample *s, size_t n)
{
    char *src = call_src(s, n, 99, NULL);
    char *got = ev_str(t, src);
    char *want = cp_xasprintf("ERROR: main.cp:1:1: %s: needs ", s->name);
    if (strncmp(got, want, strlen(want)) != 0) print_error("%s gave %s\n", src, got);
    assert_true(strncmp(got, want, strlen(want)) == 0);
    free(want);
    free(got);
    free(src);
}

static void test_arity_everywhere(void **state)
{
    tctx *t = *state;
    for (size_t k = 0; k < NSAMPLES; k++) {
        const sample *s = &samples[k];
        if (s->min > 0) expect_arity_error(t, s, (size_t)s->min - 1);
        if (s->max >= 0) expect_arity_error(t, s, (size_t)s->max + 1);
    }
}

static void test_unknown_everywhere(void **state)
{
    tctx *t = *state;
    for (size_t k = 0; k < NSAMPLES; k++)
        for (size_t i = 0; i < nargs(&samples[k]); i++) {
            char *src = call_src(&samples[k], nargs(&samples[k]), i, "var.unknown%.0s");
            cp_value *v = ev(t, src);
            if (!v || !cp_is_unknown(v)) print_error("%s is not unknown\n", src);
            assert_non_null(v);
            assert_true(cp_is_unknown(v));
            cp_release(v);
            free(src);
        }
}

static void test_sensitive_everywhere(void **state)
{
    tctx *t = *state;
    for (size_t k = 0; k < NSAMPLES; k++)
        for (size_t i = 0; i < nargs(&samples[k]); i++) {
            const char *f = samples[k].name;
            if (!strcmp(f, "nonsensitive") || !strcmp(f, "issensitive")) continue; /* below */
            char *src = call_src(&samples[k], nargs(&samples[k]), i, "sensitive(%s)");
            cp_value *v = ev(t, src);
            if (!v || !cp_is_sensitive(v)) print_error("%s is not sensitive\n", src);
            assert_non_null(v);
            assert_true(cp_is_sensitive(v));
            cp_release(v);
            free(src);
        }
}

/* The two that look at the mark itself do not pass it on. */
static void test_unmarking(void **state)
{
    tctx *t = *state;
    EXPECT(t, "nonsensitive(sensitive(1))", "1");
    EXPECT(t, "issensitive(sensitive(1))", "true");
    EXPECT(t, "issensitive(nonsensitive(sensitive(1)))", "false");
    cp_value *v = ev(t, "nonsensitive(var.secret_in)"); /* only its own mark goes */
    assert_non_null(v);
    assert_false(cp_is_sensitive(v));
    assert_true(cp_is_sensitive(cp_list_get(v, 1)));
    cp_release(v);
}

static void test_unknown_function(void **state)
{
    tctx *t = *state;
    EXPECT(t, "lenght([1])",
           "ERROR: main.cp:1:1: unknown function \"lenght\": did you mean \"length\"?");
}

static void test_arity_messages(void **state)
{
    tctx *t = *state;
    EXPECT(t, "upper()", "ERROR: main.cp:1:1: upper: needs 1 argument, got 0");
    EXPECT(t, "upper(\"a\", \"b\")", "ERROR: main.cp:1:1: upper: needs 1 argument, got 2");
    EXPECT(t, "join(\",\")", "ERROR: main.cp:1:1: join: needs 2 arguments, got 1");
    EXPECT(t, "lookup({})", "ERROR: main.cp:1:1: lookup: needs 2 to 3 arguments, got 1");
    EXPECT(t, "range()", "ERROR: main.cp:1:1: range: needs 1 to 3 arguments, got 0");
    EXPECT(t, "max()", "ERROR: main.cp:1:1: max: needs at least 1 argument, got 0");
    EXPECT(t, "  [1, upper()]", "ERROR: main.cp:1:7: upper: needs 1 argument, got 0");
    EXPECT(t, "merge()", "{}");
}

static void test_type_messages(void **state)
{
    tctx *t = *state;
    EXPECT(t, "join(\",\", 1)",
           "ERROR: main.cp:1:11: join: argument 2 must be a list of strings, got number");
    EXPECT(t, "join(\",\", [\"a\", [1]])",
           "ERROR: main.cp:1:11: join: argument 2 must be a list of strings, but element 1 is a "
           "list");
    EXPECT(t, "join(\",\", [\"a\", null])",
           "ERROR: main.cp:1:11: join: argument 2 must be a list of strings, but element 1 is "
           "null");
    EXPECT(t, "upper([1])", "ERROR: main.cp:1:7: upper: argument 1 must be a string, got list");
    EXPECT(t, "upper(null)", "ERROR: main.cp:1:7: upper: argument 1 must be a string, got null");
    EXPECT(t, "abs(\"x\")",
           "ERROR: main.cp:1:5: abs: argument 1 must be a number, got string \"x\"");
    EXPECT(t, "abs(var.secret)",
           "ERROR: main.cp:1:5: abs: argument 1 must be a number, got string (sensitive value)");
    EXPECT(t, "keys([1])", "ERROR: main.cp:1:6: keys: argument 1 must be a map, got list");
    EXPECT(t, "length(5)",
           "ERROR: main.cp:1:8: length: argument 1 must be a string, a list or a map, got number");
    EXPECT(t, "concat([1], \"x\")",
           "ERROR: main.cp:1:13: concat: argument 2 must be a list, got string \"x\"");
    EXPECT(t, "sum([1, \"x\"])",
           "ERROR: main.cp:1:5: sum: argument 1 must be a list of numbers, but element 1 is a "
           "string");
    EXPECT(t, "merge({}, 1)", "ERROR: main.cp:1:11: merge: argument 2 must be a map, got number");
    /* every bad argument is reported */
    assert_null(ev(t, "substr(1, \"a\", \"b\")"));
    char *all = tctx_errors(t);
    assert_string_equal(all,
                        "main.cp:1:11: substr: argument 2 must be a number, got string \"a\"\n"
                        "main.cp:1:16: substr: argument 3 must be a number, got string \"b\"\n");
    free(all);
}

static void test_wrong_types_everywhere(void **state)
{
    tctx *t = *state;
    size_t n = sizeof wrong_types / sizeof wrong_types[0];
    for (size_t i = 0; i < n; i++) EXPECT(t, wrong_types[i].src, wrong_types[i].want);
    /* every function that can get a wrong type is in the table */
    const char *const *names = cp_function_names();
    for (size_t k = 0; names[k]; k++) {
        const char *f = names[k];
        if (!strcmp(f, "try") || !strcmp(f, "can") || !strcmp(f, "jsonencode") ||
            !strcmp(f, "sensitive") || !strcmp(f, "nonsensitive") || !strcmp(f, "issensitive") ||
            !strcmp(f, "yamlencode"))
            continue; /* they take any value */
        if (!strcmp(f, "timestamp") || !strcmp(f, "plantimestamp") || !strcmp(f, "uuid"))
            continue; /* they take no arguments */
        bool found = false;
        for (size_t i = 0; i < n && !found; i++)
            found = strncmp(wrong_types[i].src, f, strlen(f)) == 0 &&
                    wrong_types[i].src[strlen(f)] == '(';
        if (!found) print_error("no wrong-type case for %s\n", f);
        assert_true(found);
    }
}

static void test_conversions(void **state)
{
    tctx *t = *state;
    EXPECT(t, "upper(true)", "\"TRUE\"");
    EXPECT(t, "join(\"-\", [1, 2.5, true])", "\"1-2.5-true\"");
    EXPECT(t, "abs(\"-4\")", "4");
    EXPECT(t, "max(\"3\", 2)", "3");
    EXPECT(t, "length(12345)",
           "ERROR: main.cp:1:8: length: argument 1 must be a string, a list or a map, got number");
    EXPECT(t, "sum([\"1\", 2])", "3");
    EXPECT(t, "substr(12345, \"1\", 2)", "\"23\"");
}

static void test_c_api(void **state)
{
    tctx *t = *state;
    cp_diags_free(&t->diags);
    cp_diags_init(&t->diags);
    cp_value *args[2] = { cp_string("-"), cp_list_new() };
    cp_list_push_take(args[1], cp_string("a"));
    cp_list_push_take(args[1], cp_string("b"));
    cp_loc loc = { 0 };
    cp_value *r = cp_call_function(&t->ctx, "join", loc, args, 2);
    assert_string_equal(cp_string_val(r), "a-b");
    cp_release(r);
    r = cp_call_function(&t->ctx, "join", loc, args, 1);
    assert_null(r);
    assert_string_equal(t->diags.items[0].msg, "join: needs 2 arguments, got 1");
    r = cp_call_function(&t->ctx, "jion", loc, args, 2);
    assert_null(r);
    assert_string_equal(t->diags.items[1].msg, "unknown function \"jion\": did you mean \"join\"?");
    r = cp_call_function(&t->ctx, "upper", loc, &args[1], 1);
    assert_null(r);
    assert_string_equal(t->diags.items[2].msg, "upper: argument 1 must be a string, got list");
    r = cp_call_function(&t->ctx, "try", loc, args, 2); /* values: nothing to catch */
    assert_string_equal(cp_string_val(r), "-");
    cp_release(r);
    r = cp_call_function(&t->ctx, "can", loc, args, 1);
    assert_true(cp_bool_val(r));
    cp_release(args[0]);
    cp_release(args[1]);
}

static void test_try(void **state)
{
    tctx *t = *state;
    EXPECT(t, "try(var.name, \"x\")", "\"web\"");
    EXPECT(t, "try(var.nope, \"x\")", "\"x\"");
    EXPECT(t, "try(var.tags.Region, var.tags.Env)", "\"prod\"");
    EXPECT(t, "try(var.list[5], var.list[4], \"none\")", "\"none\"");
    EXPECT(t, "try(tonumber(\"x\"), 0)", "0");
    EXPECT(t, "try(var.nothing.a, null)", "null");
    EXPECT(t, "try(1 / 0, -1)", "-1");
    EXPECT(t, "[for s in var.list : try(tonumber(s), s)]", "[\"a\", \"b\", \"c\"]");
    EXPECT(t, "try(var.secret, 1)", "(sensitive) \"hunter2\"");
    EXPECT(t, "try()", "ERROR: main.cp:1:1: try: needs at least 1 argument, got none");
    EXPECT(t, "try(var.nope)",
           "ERROR: main.cp:1:1: try: none of its 1 argument could be evaluated; the last one "
           "failed with: undeclared var \"nope\"");
    EXPECT(t, "try(var.nope, [1][3])",
           "ERROR: main.cp:1:1: try: none of its 2 arguments could be evaluated; the last one "
           "failed with: index 3 out of range for list of 1 element");
    EXPECT(t, "try([var.list]...)",
           "ERROR: main.cp:1:1: try: \"...\" cannot be used here: try takes expressions, not a "
           "list of values");
    /* errors caught by try do not leak into the diagnostics */
    cp_value *v = ev(t, "try(var.nope, 1)");
    assert_non_null(v);
    assert_int_equal(t->diags.len, 0);
    cp_release(v);
}

static void test_can(void **state)
{
    tctx *t = *state;
    EXPECT(t, "can(var.name)", "true");
    EXPECT(t, "can(var.nope)", "false");
    EXPECT(t, "can(var.list[3])", "false");
    EXPECT(t, "can(regex(\"^[a-z]+$\", var.name))", "true");
    EXPECT(t, "can(regex(\"^[0-9]+$\", var.name))", "false");
    EXPECT(t, "can(tonumber(var.num_str))", "true");
    EXPECT(t, "[for s in [\"1\", \"x\", \"2\"] : s if can(tonumber(s))]", "[\"1\", \"2\"]");
    EXPECT(t, "can(var.secret)", "true");
    EXPECT(t, "can()", "ERROR: main.cp:1:1: can: needs exactly 1 argument, got 0");
    EXPECT(t, "can(1, 2)", "ERROR: main.cp:1:1: can: needs exactly 1 argument, got 2");
}

static void test_sensitive_function(void **state)
{
    tctx *t = *state;
    EXPECT(t, "sensitive(\"x\")", "(sensitive) \"x\"");
    EXPECT(t, "sensitive([1])[0]", "(sensitive) 1");
    EXPECT(t, "sensitive(var.unknown)", "(sensitive) (known after apply)");
    EXPECT(t, "sensitive(null)", "(sensitive) null");
    EXPECT(t, "upper(sensitive(\"a\"))", "(sensitive) \"A\"");
}

static void test_suggest(void **state)
{
    (void)state;
    static const char *const c[] = { "length", "lower",         "upper",
                                     "join",   "aws_s3_bucket", "aws_s3_bucket_policy",
                                     NULL };
    assert_int_equal(cp_edit_distance("", ""), 0);
    assert_int_equal(cp_edit_distance("abc", ""), 3);
    assert_int_equal(cp_edit_distance("", "ab"), 2);
    assert_int_equal(cp_edit_distance("kitten", "sitting"), 3);
    assert_int_equal(cp_edit_distance("lenght", "length"), 1); /* swap */
    assert_int_equal(cp_edit_distance("ca", "abc"), 3);        /* OSA, not full Damerau */
    assert_int_equal(cp_edit_distance("UPPER", "upper"), 0);   /* case ignored */
    assert_string_equal(cp_suggest("lenght", c), "length");
    assert_string_equal(cp_suggest("lenth", c), "length");
    assert_string_equal(cp_suggest("jion", c), "join");
    assert_string_equal(cp_suggest("Upper", c), "upper");
    assert_string_equal(cp_suggest("aws_s3_bukcet", c), "aws_s3_bucket");
    assert_string_equal(cp_suggest("aws_s3_buckt_policy", c), "aws_s3_bucket_policy");
    assert_string_equal(cp_suggest("lowerr", c), "lower");
    assert_string_equal(cp_suggest("lenxxh", c), "length"); /* 2 edits, long name */
    assert_null(cp_suggest("jxxn", c));                     /* 2 edits, short name */
    assert_null(cp_suggest("length", c));                   /* exact: nothing to say */
    assert_null(cp_suggest("zzzzzzzz", c));
    assert_null(cp_suggest("x", c));
    assert_null(cp_suggest("lenght", NULL));
    static const char *const none[] = { NULL };
    assert_null(cp_suggest("a", none));
    static const char *const tie[] = { "abcd", "abce", NULL };
    assert_string_equal(cp_suggest("abcf", tie), "abcd"); /* first of equals */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_function_has_a_sample),
        cmocka_unit_test(test_samples_work),
        cmocka_unit_test(test_arity_everywhere),
        cmocka_unit_test(test_unknown_everywhere),
        cmocka_unit_test(test_sensitive_everywhere),
        cmocka_unit_test(test_unmarking),
        cmocka_unit_test(test_every_function_has_a_doc),
        cmocka_unit_test(test_unknown_function),
        cmocka_unit_test(test_arity_messages),
        cmocka_unit_test(test_type_messages),
        cmocka_unit_test(test_wrong_types_everywhere),
        cmocka_unit_test(test_conversions),
        cmocka_unit_test(test_c_api),
        cmocka_unit_test(test_try),
        cmocka_unit_test(test_can),
        cmocka_unit_test(test_sensitive_function),
        cmocka_unit_test(test_suggest),
    };
    return cmocka_run_group_tests(tests, setup, tctx_teardown);
}
