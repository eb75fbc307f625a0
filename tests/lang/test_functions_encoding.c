/*
 * test_functions_encoding.c: built-ins that encode, hash, read files or do
 * address arithmetic: jsonencode jsondecode base64encode base64decode md5
 * sha1 sha256 base64sha256, file filebase64 fileexists filemd5 filesha256
 * filebase64sha256 templatefile, cidrsubnet cidrhost cidrnetmask. Digests
 * are checked against known vectors; files live in the test's temporary
 * directory, which is the evaluation's base_dir.
 */
#include "test_eval_helpers.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define WRITE(t, name, lit) tctx_write((t), (name), (lit), sizeof(lit) - 1)

static int setup(void **state)
{
    tctx_setup(state);
    tctx *t = *state;
    WRITE(t, "hello.txt", "hello\n");
    WRITE(t, "empty.txt", "");
    WRITE(t, "bin.dat", "\x00\x01\x02\xff");
    WRITE(t, "t.tpl", "Hi ${name}");
    WRITE(t, "multi.tpl", "line ${n}\n${upper(who)}!\n");
    WRITE(t, "escape.tpl", "$${not} ${x}");
    WRITE(t, "list.tpl", "${join(\",\", [for s in items : \"<${s}>\"])}");
    WRITE(t, "bad.tpl", "ok\nHi ${nobody}");
    WRITE(t, "syntax.tpl", "a ${");
    WRITE(t, "delim.tpl", "CPSTACK_TEMPLATE_END_0\n${x}\n");
    WRITE(t, "reads.tpl", "${file(\"hello.txt\")}");
    return 0;
}

static void test_json(void **state)
{
    tctx *t = *state;
    EXPECT(t, "jsonencode({ b = [1, 2.5, true, null], a = \"x\" })",
           "\"{\\\"a\\\":\\\"x\\\",\\\"b\\\":[1,2.5,true,null]}\"");
    EXPECT(t, "jsonencode(\"q\\\"\\n\\t\\\\\")", "\"\\\"q\\\\\\\"\\\\n\\\\t\\\\\\\\\\\"\"");
    EXPECT(t, "jsonencode(0.1)", "\"0.1\"");
    EXPECT(t, "jsonencode(1e20)", "\"1e+20\"");
    EXPECT(t, "jsonencode([])", "\"[]\"");
    EXPECT(t, "jsonencode({})", "\"{}\"");
    EXPECT(t, "jsonencode(null)", "\"null\"");
    EXPECT(t, "jsonencode(\"\\u0001\")", "\"\\\"\\\\u0001\\\"\"");
    EXPECT(t, "jsonencode(var.maybe)", "(known after apply)");
    EXPECT(t, "jsonencode(var.secret_in)", "(sensitive) \"[\\\"pub\\\",\\\"priv\\\"]\"");
    EXPECT(t, "jsondecode(\"{\\\"a\\\": [1, 2.5, true, null, \\\"s\\\"]}\")",
           "{ a = [1, 2.5, true, null, \"s\"] }");
    EXPECT(t, "jsondecode(\"42\")", "42");
    EXPECT(t, "jsondecode(\"\\\"s\\\"\")", "\"s\"");
    EXPECT(t, "jsondecode(\"null\")", "null");
    EXPECT(t, "jsondecode(\"12345678901234567890\")", "1.2345678901234567e+19");
    EXPECT(t, "jsondecode(jsonencode(var.users)) == var.users", "true");
    EXPECT(t, "jsondecode(\"{\\\"a\\\": }\")",
           "ERROR: main.cp:1:12: jsondecode: invalid JSON at line 1, column 7: unexpected token "
           "near '}'");
    EXPECT(
        t, "jsondecode(\"\")",
        "ERROR: main.cp:1:12: jsondecode: invalid JSON at line 1, column 0: unexpected token near "
        "end of file");
    EXPECT(t, "jsondecode(sensitive(\"{hunter2\"))",
           "ERROR: main.cp:1:12: jsondecode: invalid JSON at line 1, column 7");
}

static void test_base64(void **state)
{
    tctx *t = *state;
    EXPECT(t, "base64encode(\"hello world\")", "\"aGVsbG8gd29ybGQ=\"");
    EXPECT(t, "base64encode(\"\")", "\"\"");
    EXPECT(t, "base64encode(\"\xc3\xa9\")", "\"w6k=\"");
    EXPECT(t, "base64decode(\"aGVsbG8gd29ybGQ=\")", "\"hello world\"");
    EXPECT(t, "base64decode(\"\")", "\"\"");
    EXPECT(t, "base64decode(base64encode(var.name))", "\"web\"");
    EXPECT(t, "base64decode(\"not base64!\")",
           "ERROR: main.cp:1:14: base64decode: the string is not valid base64");
    EXPECT(t, "base64decode(\"AAEC/w==\")",
           "ERROR: main.cp:1:14: base64decode: the decoded bytes are not valid UTF-8 text: "
           "cpstack strings hold text only");
}

static void test_hashes(void **state)
{
    tctx *t = *state;
    EXPECT(t, "sha256(\"hello world\")",
           "\"b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9\"");
    EXPECT(t, "sha256(\"\")",
           "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"");
    EXPECT(t, "sha1(\"hello world\")", "\"2aae6c35c94fcfb415dbe95f408b9ce91ee846ed\"");
    EXPECT(t, "sha1(\"\")", "\"da39a3ee5e6b4b0d3255bfef95601890afd80709\"");
    EXPECT(t, "md5(\"hello world\")", "\"5eb63bbbe01eeed093cb22bb8f5acdc3\"");
    EXPECT(t, "md5(\"\")", "\"d41d8cd98f00b204e9800998ecf8427e\"");
    EXPECT(t, "base64sha256(\"hello world\")", "\"uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=\"");
    EXPECT(t, "md5(123)", "\"202cb962ac59075b964b07152d234b70\"");
    EXPECT(t, "sha256(var.secret) == sha256(\"hunter2\")", "(sensitive) true");
    EXPECT(t, "sha256([])", "ERROR: main.cp:1:8: sha256: argument 1 must be a string, got list");
}

static void test_files(void **state)
{
    tctx *t = *state;
    EXPECT(t, "file(\"hello.txt\")", "\"hello\\n\"");
    EXPECT(t, "file(\"empty.txt\")", "\"\"");
    EXPECT(t, "trimspace(file(\"hello.txt\"))", "\"hello\"");
    EXPECT(t, "filebase64(\"hello.txt\")", "\"aGVsbG8K\"");
    EXPECT(t, "filebase64(\"bin.dat\")", "\"AAEC/w==\"");
    EXPECT(t, "filebase64(\"empty.txt\")", "\"\"");
    EXPECT(t, "filemd5(\"hello.txt\")", "\"b1946ac92492d2347c6235b4d2611184\"");
    EXPECT(t, "filesha256(\"hello.txt\")",
           "\"5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03\"");
    EXPECT(t, "filebase64sha256(\"hello.txt\")",
           "\"WJG1tSLV3whtD/CxEPvZ0hu0/HFjrzTQgoai6Eb2vgM=\"");
    EXPECT(t, "fileexists(\"hello.txt\")", "true");
    EXPECT(t, "fileexists(\"nope.txt\")", "false");
    EXPECT(t, "fileexists(\"hello.txt/x\")", "false");
    EXPECT(t, "file(\"nope.txt\")",
           "ERROR: main.cp:1:6: file: cannot read \"nope.txt\": No such file or directory");
    EXPECT(t, "filemd5(\"nope.txt\")",
           "ERROR: main.cp:1:9: filemd5: cannot read \"nope.txt\": No such file or directory");
    EXPECT(t, "file(\".\")", "ERROR: main.cp:1:6: file: cannot read \".\": Is a directory");
    EXPECT(t, "fileexists(\".\")",
           "ERROR: main.cp:1:12: fileexists: \".\" is a directory, not a file");
    EXPECT(t, "file(\"bin.dat\")",
           "ERROR: main.cp:1:6: file: \"bin.dat\" is not UTF-8 text: use filebase64() for binary "
           "files");
    EXPECT(t, "file(sensitive(\"nope\"))",
           "ERROR: main.cp:1:6: file: cannot read (sensitive value): No such file or directory");
    /* absolute paths ignore base_dir */
    char *src = cp_xasprintf("file(\"%s/hello.txt\")", t->dir);
    EXPECT(t, src, "\"hello\\n\"");
    free(src);
    /* no base_dir: relative to the working directory */
    const char *saved = t->ctx.base_dir;
    t->ctx.base_dir = NULL;
    EXPECT(t, "fileexists(\"hello.txt\")", "false");
    t->ctx.base_dir = saved;
}

static void test_templatefile(void **state)
{
    tctx *t = *state;
    EXPECT(t, "templatefile(\"t.tpl\", { name = \"Ann\" })", "\"Hi Ann\"");
    EXPECT(t, "templatefile(\"t.tpl\", { name = 5, extra = [1] })", "\"Hi 5\"");
    EXPECT(t, "templatefile(\"multi.tpl\", { n = 1, who = \"you\" })", "\"line 1\\nYOU!\\n\"");
    EXPECT(t, "templatefile(\"escape.tpl\", { x = \"y\" })", "\"$${not} y\"");
    EXPECT(t, "templatefile(\"list.tpl\", { items = [\"a\", \"b\"] })", "\"<a>,<b>\"");
    EXPECT(t, "templatefile(\"empty.txt\", {})", "\"\"");
    EXPECT(t, "templatefile(\"hello.txt\", {})", "\"hello\\n\"");
    EXPECT(t, "templatefile(\"delim.tpl\", { x = 1 })", "\"CPSTACK_TEMPLATE_END_0\\n1\\n\"");
    EXPECT(t, "templatefile(\"reads.tpl\", {})", "\"hello\\n\"");
    EXPECT(t, "templatefile(\"t.tpl\", { name = var.secret })", "(sensitive) \"Hi hunter2\"");
    EXPECT(t, "templatefile(\"t.tpl\", { name = var.unknown })", "(known after apply)");
    EXPECT(t, "templatefile(\"bad.tpl\", { name = 1 })",
           "ERROR: main.cp:1:14: templatefile: bad.tpl:2:6: unknown variable \"nobody\": pass it "
           "in the map of templatefile's second argument");
    EXPECT(t, "templatefile(\"t.tpl\", { name = [1] })",
           "ERROR: main.cp:1:14: templatefile: t.tpl:1:6: cannot use a list in a string template: "
           "use join() or jsonencode() to make a string of it");
    EXPECT(
        t, "templatefile(\"nope.tpl\", {})",
        "ERROR: main.cp:1:14: templatefile: cannot read \"nope.tpl\": No such file or directory");
    EXPECT(t, "templatefile(\"t.tpl\", [])",
           "ERROR: main.cp:1:23: templatefile: argument 2 must be a map, got list");
    cp_value *v = ev(t, "templatefile(\"syntax.tpl\", {})");
    assert_null(v);
    char *all = tctx_errors(t);
    assert_non_null(strstr(all, "main.cp:1:14: templatefile: syntax.tpl:"));
    free(all);
}

static void test_cidr(void **state)
{
    tctx *t = *state;
    EXPECT(t, "cidrsubnet(\"172.16.0.0/12\", 4, 2)", "\"172.18.0.0/16\"");
    EXPECT(t, "cidrsubnet(\"10.1.2.0/24\", 4, 15)", "\"10.1.2.240/28\"");
    EXPECT(t, "cidrsubnet(\"10.0.0.0/16\", 8, 255)", "\"10.0.255.0/24\"");
    EXPECT(t, "cidrsubnet(\"10.0.0.0/16\", 0, 0)", "\"10.0.0.0/16\"");
    EXPECT(t, "cidrsubnet(\"10.0.5.7/16\", 8, 1)", "\"10.0.1.0/24\""); /* host bits ignored */
    EXPECT(t, "cidrsubnet(\"fd00:fd12:3456:7890::/56\", 16, 162)",
           "\"fd00:fd12:3456:7800:a200::/72\"");
    EXPECT(t, "[for i in range(3) : cidrsubnet(\"10.0.0.0/16\", 8, i)]",
           "[\"10.0.0.0/24\", \"10.0.1.0/24\", \"10.0.2.0/24\"]");
    EXPECT(t, "cidrsubnet(\"10.0.0.0/30\", 3, 0)",
           "ERROR: main.cp:1:27: cidrsubnet: adding 3 bits to a /30 prefix gives /33, longer than "
           "the 32 bits of an IPv4 address");
    EXPECT(t, "cidrsubnet(\"10.0.0.0/16\", 8, 256)",
           "ERROR: main.cp:1:30: cidrsubnet: argument 3 must be at most 255, got 256");
    EXPECT(t, "cidrsubnet(\"10.0.0.0/16\", -1, 0)",
           "ERROR: main.cp:1:27: cidrsubnet: argument 2 must not be negative, got -1");
    EXPECT(
        t, "cidrsubnet(\"10.0.0.0\", 8, 1)",
        "ERROR: main.cp:1:12: cidrsubnet: \"10.0.0.0\" is not a CIDR prefix like \"10.0.0.0/16\" "
        "or \"2001:db8::/32\"");
    EXPECT(t, "cidrsubnet(\"10.0.0.300/16\", 8, 1)",
           "ERROR: main.cp:1:12: cidrsubnet: \"10.0.0.300/16\" is not a CIDR prefix like "
           "\"10.0.0.0/16\" or \"2001:db8::/32\"");
    EXPECT(t, "cidrsubnet(\"10.0.0.0/x\", 8, 1)",
           "ERROR: main.cp:1:12: cidrsubnet: \"10.0.0.0/x\" is not a CIDR prefix like "
           "\"10.0.0.0/16\" or \"2001:db8::/32\"");
    EXPECT(t, "cidrsubnet(\"10.0.0.0/33\", 1, 1)",
           "ERROR: main.cp:1:12: cidrsubnet: the prefix length of \"10.0.0.0/33\" is out of range: "
           "IPv4 prefixes are /0 to /32");
    EXPECT(t, "cidrhost(\"10.12.112.0/20\", 16)", "\"10.12.112.16\"");
    EXPECT(t, "cidrhost(\"10.12.112.0/20\", 268)", "\"10.12.113.12\"");
    EXPECT(t, "cidrhost(\"10.0.0.0/24\", -1)", "\"10.0.0.255\"");
    EXPECT(t, "cidrhost(\"10.0.0.0/24\", -256)", "\"10.0.0.0\"");
    EXPECT(t, "cidrhost(\"10.0.0.0/32\", 0)", "\"10.0.0.0\"");
    EXPECT(t, "cidrhost(\"fd00:fd12:3456:7890:00a2::/72\", 34)", "\"fd00:fd12:3456:7890::22\"");
    EXPECT(t, "cidrhost(\"10.0.0.0/24\", 256)",
           "ERROR: main.cp:1:25: cidrhost: argument 2 must be at most 255, got 256");
    EXPECT(t, "cidrhost(\"10.0.0.0/24\", -257)",
           "ERROR: main.cp:1:25: cidrhost: argument 2 must be at least -256, got -257");
    EXPECT(t, "cidrnetmask(\"172.16.0.0/12\")", "\"255.240.0.0\"");
    EXPECT(t, "cidrnetmask(\"10.0.0.0/32\")", "\"255.255.255.255\"");
    EXPECT(t, "cidrnetmask(\"0.0.0.0/0\")", "\"0.0.0.0\"");
    EXPECT(
        t, "cidrnetmask(\"::/64\")",
        "ERROR: main.cp:1:13: cidrnetmask: only IPv4 prefixes have a netmask, and this one is IPv6");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json),         cmocka_unit_test(test_base64),
        cmocka_unit_test(test_hashes),       cmocka_unit_test(test_files),
        cmocka_unit_test(test_templatefile), cmocka_unit_test(test_cidr),
    };
    return cmocka_run_group_tests(tests, setup, tctx_teardown);
}
