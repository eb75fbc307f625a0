/*
 * test_eval_scenarios.c: expressions as the reference deployments write
 * them (IAM policies, subnets per AZ, branch-derived names, per-job maps,
 * container definitions, user data templates), a whole example file's
 * locals evaluated in dependency order through cp_expr_walk_refs, errors
 * printed with their caret under the operand at fault, and one parsed tree
 * evaluated from several threads at once.
 */
#include "test_eval_helpers.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/types.h"
#include "util/xalloc.h"

static void test_policies(void **state)
{
    tctx *t = *state;
    EXPECT(t,
           "jsonencode({\n"
           "  Version = \"2012-10-17\"\n"
           "  Statement = [{\n"
           "    Effect   = \"Allow\"\n"
           "    Action   = [\"s3:GetObject\", \"s3:PutObject\"]\n"
           "    Resource = [for b in aws_thing.many[*].id : \"arn:aws:s3:::${b}/*\"]\n"
           "  }]\n"
           "})",
           "\"{\\\"Statement\\\":[{\\\"Action\\\":[\\\"s3:GetObject\\\",\\\"s3:PutObject\\\"],"
           "\\\"Effect\\\":\\\"Allow\\\",\\\"Resource\\\":[\\\"arn:aws:s3:::i-a/*\\\","
           "\\\"arn:aws:s3:::i-b/*\\\"]}],\\\"Version\\\":\\\"2012-10-17\\\"}\"");
    EXPECT(t,
           "jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\", "
           "Principal = { Service = \"ec2.amazonaws.com\" }, Action = \"sts:AssumeRole\" }] })",
           "\"{\\\"Statement\\\":[{\\\"Action\\\":\\\"sts:AssumeRole\\\",\\\"Effect\\\":"
           "\\\"Allow\\\",\\\"Principal\\\":{\\\"Service\\\":\\\"ec2.amazonaws.com\\\"}}],"
           "\\\"Version\\\":\\\"2012-10-17\\\"}\"");
    /* an unknown ARN makes the policy unknown until apply */
    EXPECT(t, "jsonencode({ Resource = aws_thing.pending.id })", "(known after apply)");
}

static void test_networks(void **state)
{
    tctx *t = *state;
    EXPECT(t, "[for i, az in var.zones : { az = az, cidr = cidrsubnet(\"10.0.0.0/16\", 8, i) }]",
           "[{ az = \"eu-west-1a\", cidr = \"10.0.0.0/24\" }, "
           "{ az = \"eu-west-1b\", cidr = \"10.0.1.0/24\" }]");
    EXPECT(t, "{ for i, az in var.zones : az => cidrsubnet(\"10.0.0.0/16\", 4, i + 8) }",
           "{ eu-west-1a = \"10.0.128.0/20\", eu-west-1b = \"10.0.144.0/20\" }");
    EXPECT(t,
           "[for p in var.ports : { from_port = p, to_port = p, protocol = \"tcp\", "
           "cidr_blocks = [\"0.0.0.0/0\"] }][1].to_port",
           "443");
    EXPECT(t, "cidrhost(cidrsubnet(\"172.31.0.0/16\", 4, 1), 10)", "\"172.31.16.10\"");
}

static void test_names(void **state)
{
    tctx *t = *state;
    /* an ECR repository name from a git branch: lower case, no slashes */
    EXPECT(t, "lower(replace(\"Feature/Login_Form\", \"/[^a-zA-Z0-9-]+/\", \"-\"))",
           "\"feature-login-form\"");
    EXPECT(t, "substr(sha256(\"feature/x\"), 0, 8)", "\"217d2bf5\"");
    EXPECT(t, "\"${local.prefix}-${each.key}-${count.index}\"", "\"web-main-k1-1\"");
    EXPECT(t,
           "trimsuffix(substr(\"${local.prefix}-a-very-long-name-for-an-alb-that-is-too-long\", "
           "0, 32), \"-\")",
           "\"web-main-a-very-long-name-for-an\"");
    EXPECT(t, "merge(var.tags, { Name = \"${local.prefix}-web\" })",
           "{ Env = \"prod\", Name = \"web-main-web\", Team = \"core\" }");
}

static void test_jobs(void **state)
{
    tctx *t = *state;
    EXPECT(
        t,
        "{ for name, schedule in { backup = \"rate(1 day)\", report = \"cron(0 8 * * ? *)\" } :\n"
        "  name => { schedule = schedule, bucket = \"${local.prefix}-${name}-data\" } }",
        "{ backup = { bucket = \"web-main-backup-data\", schedule = \"rate(1 day)\" }, "
        "report = { bucket = \"web-main-report-data\", schedule = \"cron(0 8 * * ? *)\" } }");
    EXPECT(
        t,
        "jsonencode([{ name = \"app\", image = \"repo:${var.name}\", essential = true,\n"
        "  portMappings = [{ containerPort = 8080 }],\n"
        "  environment = [for k, v in { DB_HOST = \"db\", MODE = \"x\" } : { name = k, value = v }] }])",
        "\"[{\\\"environment\\\":[{\\\"name\\\":\\\"DB_HOST\\\",\\\"value\\\":\\\"db\\\"},"
        "{\\\"name\\\":\\\"MODE\\\",\\\"value\\\":\\\"x\\\"}],\\\"essential\\\":true,"
        "\\\"image\\\":\\\"repo:web\\\",\\\"name\\\":\\\"app\\\",\\\"portMappings\\\":"
        "[{\\\"containerPort\\\":8080}]}]\"");
    EXPECT(t, "var.name == \"prod\" ? 3 : 1", "1");
    EXPECT(t, "contains([\"dev\", \"staging\", \"prod\"], var.tags.Env)", "true");
    EXPECT(t, "\"http://${aws_thing.pending.id}/now\"", "(known after apply)");
    EXPECT(t, "length(var.name) > 2 && can(regex(\"^[a-z]+$\", var.name))", "true");
}

static void test_user_data(void **state)
{
    tctx *t = *state;
    const char tpl[] =
        "#!/bin/bash\n"
        "yum update -y\n"
        "echo '${title}' > /var/www/html/index.html\n"
        "aws configure set region ${region}\n"
        "echo '<img src=\"https://${bucket}.s3.amazonaws.com/${image}\">' >> /var/www/html/index.html\n";
    tctx_write(t, "user_data.sh.tpl", tpl, sizeof tpl - 1);
    EXPECT(t,
           "base64encode(templatefile(\"user_data.sh.tpl\", { title = upper(var.name), "
           "region = \"eu-west-1\", bucket = \"${local.prefix}-img\", image = \"cat.png\" }))",
           "\"IyEvYmluL2Jhc2gKeXVtIHVwZGF0ZSAteQplY2hvICdXRUInID4gL3Zhci93d3cvaHRtbC9pbmRleC5odG1s"
           "CmF3cyBjb25maWd1cmUgc2V0IHJlZ2lvbiBldS13ZXN0LTEKZWNobyAnPGltZyBzcmM9Imh0dHBzOi8vd2Vi"
           "LW1haW4taW1nLnMzLmFtYXpvbmF3cy5jb20vY2F0LnBuZyI+JyA+PiAvdmFyL3d3dy9odG1sL2luZGV4Lmh0"
           "bWwK\"");
}

/* --- a whole file: variables and locals in dependency order ------------------- */

typedef struct file_scope {
    const cp_body *body;
    cp_value *vars, *locals;
    const cp_attr *locals_attrs;
    size_t nlocals;
} file_scope;

typedef struct ready_check {
    const cp_value *locals;
    bool ready;
} ready_check;

static void check_ready(void *ud, const char *const *steps, size_t n, cp_loc loc)
{
    ready_check *rc = ud;
    (void)loc;
    if (n >= 2 && strcmp(steps[0], "local") == 0 && !cp_map_get(rc->locals, steps[1]))
        rc->ready = false;
}

static cp_value *file_lookup(void *ud, const char *const *steps, size_t n, size_t *consumed,
                             cp_loc loc, cp_diags *d)
{
    file_scope *fs = ud;
    const cp_value *from = strcmp(steps[0], "var") == 0     ? fs->vars
                           : strcmp(steps[0], "local") == 0 ? fs->locals
                                                            : NULL;
    const cp_value *v = from && n >= 2 ? cp_map_get(from, steps[1]) : NULL;
    *consumed = 2;
    if (v) return cp_retain(v);
    if (strcmp(steps[0], "path") == 0) return cp_string("/stack");
    cp_diag_error(d, loc, "cannot resolve %s", steps[0]);
    return NULL;
}

static void load_variables(tctx *t, file_scope *fs)
{
    for (size_t i = 0; i < fs->body->nblocks; i++) {
        const cp_block *b = fs->body->blocks[i];
        if (strcmp(b->type, "variable") != 0) continue;
        const cp_attr *def = cp_body_attr(b->body, "default");
        const cp_attr *ty = cp_body_attr(b->body, "type");
        cp_value *v = def ? cp_eval(&t->ctx, def->expr) : cp_string("s3cret");
        cp_type *type = cp_type_from_expr(ty->expr, &t->diags);
        char *err = NULL;
        cp_value *conv = cp_type_convert(v, type, &err);
        assert_non_null(conv);
        const cp_attr *sens = cp_body_attr(b->body, "sensitive");
        if (sens) {
            cp_value *m = cp_mark_sensitive(conv);
            cp_release(conv);
            conv = m;
        }
        cp_map_set_take(fs->vars, b->labels[0], conv);
        cp_release(v);
        cp_type_free(type);
    }
}

static void eval_locals(tctx *t, file_scope *fs)
{
    size_t done = 0;
    for (int round = 0; round < 10 && done < fs->nlocals; round++)
        for (size_t i = 0; i < fs->nlocals; i++) {
            const cp_attr *a = &fs->locals_attrs[i];
            if (cp_map_get(fs->locals, a->name)) continue;
            ready_check rc = { fs->locals, true };
            cp_expr_walk_refs(a->expr, check_ready, &rc);
            if (!rc.ready) continue;
            cp_value *v = cp_eval(&t->ctx, a->expr);
            assert_non_null(v);
            cp_map_set_take(fs->locals, a->name, v);
            done++;
        }
    assert_int_equal(done, fs->nlocals);
}

static void test_example_file(void **state)
{
    tctx *t = *state;
    char *path = cp_xasprintf("%s/vars_locals.cp", getenv("CPSTACK_EXAMPLES"));
    char *err = NULL;
    uint32_t id = cp_sources_load(&t->srcs, path, &err);
    free(path);
    assert_int_not_equal(id, 0);
    cp_diags_free(&t->diags);
    cp_diags_init(&t->diags);
    cp_file *f = cp_parse_source(&t->srcs, id, &t->diags);
    assert_int_equal(t->diags.errors, 0);
    file_scope fs = { f->body, cp_map_new(), cp_map_new(), NULL, 0 };
    for (size_t i = 0; i < f->body->nblocks; i++)
        if (strcmp(f->body->blocks[i]->type, "locals") == 0) {
            fs.locals_attrs = f->body->blocks[i]->body->attrs;
            fs.nlocals = f->body->blocks[i]->body->nattrs;
        }
    cp_eval_ctx saved = t->ctx;
    t->ctx.lookup = file_lookup;
    t->ctx.lookup_ud = &fs;
    load_variables(t, &fs);
    eval_locals(t, &fs);
    char *s = value_str(fs.locals);
    assert_string_equal(
        s,
        "{ all_tags = { Env = \"dev\", owner_0 = \"ALICE\", owner_1 = \"BOB\" }, is_prod = false, "
        "owner_tags = { owner_0 = \"ALICE\", owner_1 = \"BOB\" }, prefix = \"app-dev\", "
        "replicas = 1, summary = \"app-dev has 1 replicas\" }");
    free(s);
    assert_true(cp_is_sensitive(cp_map_get(fs.vars, "db_password")));
    t->ctx = saved;
    cp_release(fs.vars);
    cp_release(fs.locals);
    cp_file_free(f);
}

/* --- printed errors ---------------------------------------------------------------- */

static char *printed(tctx *t, const char *src)
{
    cp_value *v = ev(t, src);
    assert_null(v);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    cp_diags_print(&t->diags, &t->srcs, out, false);
    fclose(out);
    return buf;
}

#define EXPECT_PRINTED(t, src, want)                                                               \
    do {                                                                                           \
        char *got_ = printed((t), (src));                                                          \
        assert_string_equal(got_, (want));                                                         \
        free(got_);                                                                                \
    } while (0)

static void test_carets(void **state)
{
    tctx *t = *state;
    EXPECT_PRINTED(t, "var.count + var.list",
                   "main.cp:1:13: cannot add a number and a list: \"+\" needs two numbers\n"
                   "  var.count + var.list\n"
                   "              ^~~~~~~~\n");
    EXPECT_PRINTED(t, "var.list[7]",
                   "main.cp:1:10: index 7 out of range for list of 3 elements\n"
                   "  var.list[7]\n"
                   "           ^\n");
    EXPECT_PRINTED(t, "join(\",\", var.count)",
                   "main.cp:1:11: join: argument 2 must be a list of strings, got number\n"
                   "  join(\",\", var.count)\n"
                   "            ^~~~~~~~~\n");
    EXPECT_PRINTED(t, "var.tags.Envv",
                   "main.cp:1:10: no key \"Envv\" in this map; did you mean \"Env\"?\n"
                   "  var.tags.Envv\n"
                   "           ^~~~\n");
    EXPECT_PRINTED(t, "upperr(var.name)",
                   "main.cp:1:1: unknown function \"upperr\": did you mean \"upper\"?\n"
                   "  upperr(var.name)\n"
                   "  ^~~~~~\n");
    EXPECT_PRINTED(
        t, "\"a ${var.list} b ${var.tags}\"",
        "main.cp:1:6: cannot use a list in a string template: use join() or jsonencode() to make "
        "a string of it\n"
        "  \"a ${var.list} b ${var.tags}\"\n"
        "       ^~~~~~~~\n"
        "main.cp:1:20: cannot use a map in a string template: use join() or jsonencode() to make "
        "a string of it\n"
        "  \"a ${var.list} b ${var.tags}\"\n"
        "                     ^~~~~~~~\n"
        "2 errors\n");
}

/* --- threads ---------------------------------------------------------------------- */

typedef struct worker {
    tctx *t;
    const cp_expr *e;
    const char *want;
    int failures;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    cp_diags d;
    cp_diags_init(&d);
    cp_eval_ctx ctx = w->t->ctx; /* own diagnostics; shared scope, tree and values */
    ctx.diags = &d;
    for (int i = 0; i < 300; i++) {
        cp_value *v = cp_eval(&ctx, w->e);
        char *s = v ? value_str(v) : NULL;
        if (!s || strcmp(s, w->want) != 0) w->failures++;
        free(s);
        cp_release(v);
    }
    cp_diags_free(&d);
    return NULL;
}

static void test_threads(void **state)
{
    tctx *t = *state;
    const char *src = "{ for k, u in var.users : k => merge(u, { tags = var.tags, "
                      "n = length(var.list), s = var.secret }) }";
    cp_value *ref = ev(t, src);
    char *want = value_str(ref);
    cp_release(ref);
    cp_expr *e = tctx_parse(t, src);
    worker w[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (worker){ t, e, want, 0 };
        assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(w[i].failures, 0);
    }
    free(want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policies),  cmocka_unit_test(test_networks),
        cmocka_unit_test(test_names),     cmocka_unit_test(test_jobs),
        cmocka_unit_test(test_user_data), cmocka_unit_test(test_example_file),
        cmocka_unit_test(test_carets),    cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, tctx_setup, tctx_teardown);
}
