/*
 * test_eval_templates.c: what template directives evaluate to: %{ if } with
 * and without %{ else }, %{ for } over lists (index keys) and maps (sorted
 * keys), nesting, strip markers, unknown conditions and collections giving
 * "(known after apply)", sensitive parts marking the result, the errors of
 * a non-bool condition and a non-collection, and templatefile() rendering
 * directives from a file with errors at the file's own line:col.
 */
#include "test_eval_helpers.h"

#include <stdlib.h>
#include <string.h>

#define WRITE(t, name, lit) tctx_write((t), (name), (lit), sizeof(lit) - 1)

static void test_if(void **state)
{
    tctx *t = *state;
    EXPECT(t, "\"Hello, %{ if var.name != \"\" }${var.name}%{ else }(unnamed)%{ endif }!\"",
           "\"Hello, web!\"");
    EXPECT(t, "\"[%{ if var.flag }on%{ endif }]\"", "\"[on]\"");
    EXPECT(t, "\"[%{ if !var.flag }on%{ endif }]\"", "\"[]\"");
    EXPECT(t, "\"%{ if var.count > 5 }big%{ else }small%{ endif }\"", "\"small\"");
    /* a string that reads as a bool converts, as in HCL */
    EXPECT(t, "\"%{ if \"true\" }t%{ endif }\"", "\"t\"");
    /* the result is a string even when the body is one interpolation */
    EXPECT(t, "\"%{ if true }${var.count}%{ endif }\"", "\"3\"");
    /* the branch not taken is not evaluated */
    EXPECT(t, "\"%{ if false }${var.nothing}%{ else }ok%{ endif }\"", "\"ok\"");
}

static void test_for(void **state)
{
    tctx *t = *state;
    EXPECT(t, "\"%{ for x in var.list }<${x}>%{ endfor }\"", "\"<a><b><c>\"");
    EXPECT(t, "\"%{ for i, x in var.list }${i}=${x} %{ endfor }\"", "\"0=a 1=b 2=c \"");
    EXPECT(t, "\"%{ for k, v in var.tags }${k}:${v};%{ endfor }\"", "\"Env:prod;Team:core;\"");
    EXPECT(t, "\"%{ for v in var.tags }${v},%{ endfor }\"", "\"prod,core,\"");
    EXPECT(t, "\"[%{ for x in var.empty }${x}%{ endfor }]\"", "\"[]\"");
    EXPECT(t, "\"%{ for n in var.nums }${n * 2}%{ endfor }\"", "\"624\"");
    /* the loop variable shadows an outer name only inside the loop */
    EXPECT(t, "\"%{ for var in [1, 2] }${var}%{ endfor }\"", "\"12\"");
}

static void test_nesting_and_strip(void **state)
{
    tctx *t = *state;
    EXPECT(t,
           "\"%{ for name, u in var.users }%{ if u.role == \"admin\" }${upper(name)}"
           "%{ else }${name}%{ endif } %{ endfor }\"",
           "\"ALICE bob \"");
    EXPECT(t,
           "<<EOT\n"
           "%{ for z in var.zones ~}\n"
           "  - ${z}\n"
           "%{ endfor ~}\n"
           "EOT\n",
           "\"  - eu-west-1a\\n  - eu-west-1b\\n\"");
    EXPECT(t,
           "<<-EOT\n"
           "    servers:\n"
           "    %{~ for i, p in var.ports ~}\n"
           "      ${i}: ${p}\n"
           "    %{~ endfor ~}\n"
           "  EOT\n",
           "\"servers:\\n  0: 80\\n  1: 443\\n\"");
    EXPECT(t, "\"a, ${~ \"b\" ~} , c\"", "\"a,b, c\"");
    EXPECT(t, "\"%{ for x in var.list ~}  ${x} %{~ endfor }\"", "\"abc\"");
    /* templates of templates: a directive inside an interpolation's string */
    EXPECT(t, "\"%{ for x in [1, 2] }${\"%{ if x == 2 }two%{ else }one%{ endif }\"},%{ endfor }\"",
           "\"one,two,\"");
    EXPECT(t, "\"%%{ if } $${x} %{ if true }%%{ endif }%{ endif }\"",
           "\"%%{ if } $${x} %%{ endif }\"");
}

static void test_unknown_and_sensitive(void **state)
{
    tctx *t = *state;
    EXPECT(t, "\"%{ if aws_thing.pending.id == \"\" }a%{ else }b%{ endif }\"",
           "(known after apply)");
    EXPECT(t, "\"x%{ for x in var.unknown }${x}%{ endfor }\"", "(known after apply)");
    EXPECT(t, "\"%{ for x in var.list }${aws_thing.pending.id}%{ endfor }\"",
           "(known after apply)");
    /* an unknown in the branch not taken does not matter */
    EXPECT(t, "\"%{ if true }a%{ else }${aws_thing.pending.id}%{ endif }\"", "\"a\"");
    EXPECT(t, "\"%{ if var.secret == \"x\" }y%{ else }n%{ endif }\"", "(sensitive) \"n\"");
    EXPECT(t, "\"%{ for s in var.secret_list }${s}%{ endfor }\"", "(sensitive) \"xy\"");
    EXPECT(t, "\"%{ for s in var.secret_in }${s}%{ endfor }\"", "(sensitive) \"pubpriv\"");
}

static void test_errors(void **state)
{
    tctx *t = *state;
    EXPECT(t, "\"%{ if var.name }a%{ endif }\"",
           "ERROR: main.cp:1:8: the %{ if } condition must be a bool, got a string; compare it "
           "(x == \"yes\") or pass true or false");
    EXPECT(t, "\"%{ if var.nums }a%{ endif }\"",
           "ERROR: main.cp:1:8: the %{ if } condition must be a bool, got a list; compare it "
           "(x == \"yes\") or pass true or false");
    EXPECT(t, "\"%{ if var.nothing }a%{ endif }\"",
           "ERROR: main.cp:1:8: the %{ if } condition is null; it must be true or false");
    EXPECT(t, "\"%{ for x in var.count }${x}%{ endfor }\"",
           "ERROR: main.cp:1:14: cannot iterate over a number: %{ for } needs a list or a map "
           "after \"in\"");
    EXPECT(t, "\"%{ for x in var.name }${x}%{ endfor }\"",
           "ERROR: main.cp:1:14: cannot iterate over a string: %{ for } needs a list or a map "
           "after \"in\"");
    EXPECT(t, "\"%{ for x in var.nothing }${x}%{ endfor }\"",
           "ERROR: main.cp:1:14: cannot iterate over null: the value after \"in\" of this "
           "%{ for } is null");
    EXPECT(t, "\"%{ for x in var.users }${x}%{ endfor }\"",
           "ERROR: main.cp:1:27: cannot use a map in a string template: use join() or "
           "jsonencode() to make a string of it");
    /* the secret is never printed, only its kind */
    char *got = ev_str(t, "\"%{ if var.secret }a%{ endif }\"");
    assert_null(strstr(got, "hunter2"));
    assert_non_null(strstr(got, "got a string"));
    free(got);
}

static void test_templatefile(void **state)
{
    tctx *t = *state;
    WRITE(t, "hosts.tpl",
          "# hosts\n"
          "%{ for name, ip in hosts ~}\n"
          "${ip} ${name}\n"
          "%{ endfor ~}\n"
          "%{ if admin != \"\" }admin: ${admin}\n%{ endif ~}\n");
    EXPECT(t,
           "templatefile(\"hosts.tpl\", { hosts = { db = \"10.0.0.2\", web = \"10.0.0.1\" }, "
           "admin = \"ann\" })",
           "\"# hosts\\n10.0.0.2 db\\n10.0.0.1 web\\nadmin: ann\\n\"");
    EXPECT(t, "templatefile(\"hosts.tpl\", { hosts = {}, admin = \"\" })", "\"# hosts\\n\"");
    EXPECT(t, "templatefile(\"hosts.tpl\", { hosts = var.unknown, admin = \"\" })",
           "(known after apply)");
    WRITE(t, "one.tpl", "${n}");
    EXPECT(t, "templatefile(\"one.tpl\", { n = 5 })", "\"5\"");
    EXPECT(t, "templatefile(\"one.tpl\", { n = [5] })",
           "ERROR: main.cp:1:14: templatefile: the template gives a list, not a string: use "
           "jsonencode() or join() in it");
    WRITE(t, "open.tpl", "a\nb %{ if x }\nc\n");
    EXPECT(t, "templatefile(\"open.tpl\", { x = true })",
           "ERROR: main.cp:1:14: templatefile: open.tpl:4:1: missing %{ endif } for the %{ if } "
           "at open.tpl:2:3");
    WRITE(t, "stray.tpl", "line\n  %{ endfor }\n");
    EXPECT(t, "templatefile(\"stray.tpl\", {})",
           "ERROR: main.cp:1:14: templatefile: stray.tpl:2:3: %{ endfor } without an open "
           "%{ for }; remove it or add the %{ for NAME in LIST } it closes");
    WRITE(t, "cond.tpl", "\n\n%{ if n }x%{ endif }");
    EXPECT(t, "templatefile(\"cond.tpl\", { n = 1 })",
           "ERROR: main.cp:1:14: templatefile: cond.tpl:3:7: the %{ if } condition must be a "
           "bool, got a number; compare it (x == \"yes\") or pass true or false");
    /* a file may hold a line that looks like a heredoc marker, or none at all */
    WRITE(t, "eot.tpl", "EOT\n%{ for x in xs }${x}\n%{ endfor }EOT");
    EXPECT(t, "templatefile(\"eot.tpl\", { xs = [1, 2] })", "\"EOT\\n1\\n2\\nEOT\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_if, tctx_setup, tctx_teardown),
        cmocka_unit_test_setup_teardown(test_for, tctx_setup, tctx_teardown),
        cmocka_unit_test_setup_teardown(test_nesting_and_strip, tctx_setup, tctx_teardown),
        cmocka_unit_test_setup_teardown(test_unknown_and_sensitive, tctx_setup, tctx_teardown),
        cmocka_unit_test_setup_teardown(test_errors, tctx_setup, tctx_teardown),
        cmocka_unit_test_setup_teardown(test_templatefile, tctx_setup, tctx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
