/*
 * cmd_fmt.c: `cpstack fmt [-check] [-diff] [-recursive] [PATH…]` — rewrite
 * .cp files in the one canonical layout (lang/fmt.c). Prints the names of
 * the files it changed (or, with -check, that need changing); "-" formats
 * standard input to standard output.
 */
#include "cli/args.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "lang/fmt.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
    "Usage: cpstack fmt [flags] [PATH...]\n\n"
    "Rewrites .cp files in the canonical layout and prints the names of the files\n"
    "it changed. PATH is a file or a directory (default: the current directory);\n"
    "\"-\" formats standard input to standard output.\n\n"
    "Flags:\n"
    "  -check       change nothing; list the files that are not formatted and exit 3\n"
    "  -diff        print the changes as a unified diff\n"
    "  -write=false do not rewrite files (with -diff: only show)\n"
    "  -recursive   also format .cp files in subdirectories\n"
    "  -no-color    no colour in error output\n\n"
    "Exit status: 0 all formatted, 1 error (e.g. a syntax error), 3 -check found\n"
    "files to format.\n";

typedef struct fmt_opts {
    bool check, diff, write, recursive, no_color;
    int unformatted, errors;
} fmt_opts;

static int write_atomic(const char *path, const cp_buf *text)
{
    char *tmp = cp_xasprintf("%s.cpfmt-%d", path, (int)getpid());
    struct stat st;
    mode_t mode = stat(path, &st) == 0 ? st.st_mode & 07777 : 0644;
    FILE *f = fopen(tmp, "w");
    int rc = -1;
    if (f && fwrite(text->data, 1, text->len, f) == text->len && fflush(f) == 0 &&
        fsync(fileno(f)) == 0 && fchmod(fileno(f), mode) == 0)
        rc = 0;
    if (f && fclose(f) != 0) rc = -1;
    if (rc == 0 && rename(tmp, path) != 0) rc = -1;
    if (rc != 0) {
        fprintf(stderr, "cpstack fmt: cannot write %s: %m\n", path);
        unlink(tmp);
    }
    free(tmp);
    return rc;
}

static void format_one(const char *path, fmt_opts *o)
{
    cp_sources s;
    cp_sources_init(&s);
    cp_diags d;
    cp_diags_init(&d);
    char *err = NULL;
    uint32_t id = strcmp(path, "-") ? cp_sources_load(&s, path, &err) : 0;
    if (!strcmp(path, "-")) {
        cp_buf in;
        cp_buf_init(&in);
        char chunk[65536];
        for (size_t n; (n = fread(chunk, 1, sizeof chunk, stdin)) > 0;) cp_buf_add(&in, chunk, n);
        id = cp_sources_add(&s, "<stdin>", in.data ? in.data : "", in.len);
        cp_buf_free(&in);
    }
    cp_buf out;
    cp_buf_init(&out);
    if (!id) {
        fprintf(stderr, "cpstack fmt: %s\n", err);
        o->errors++;
    } else if (cp_fmt_file(&s, id, &out, &d) != 0) {
        cp_diags_print(&d, &s, stderr, cp_cli_color(stderr, o->no_color));
        o->errors++;
    } else {
        const cp_source *src = cp_sources_get(&s, id);
        bool same = out.len == src->len && memcmp(out.data, src->text, out.len) == 0;
        if (!strcmp(path, "-"))
            fwrite(out.data, 1, out.len, stdout);
        else if (!same) {
            o->unformatted++;
            if (o->diff) {
                cp_buf df;
                cp_buf_init(&df);
                cp_fmt_diff(&df, path, src->text, src->len, out.data, out.len);
                fwrite(df.data, 1, df.len, stdout);
                cp_buf_free(&df);
            } else
                printf("%s\n", path);
            if (!o->check && o->write && write_atomic(path, &out) != 0) o->errors++;
        }
    }
    free(err);
    cp_buf_free(&out);
    cp_diags_free(&d);
    cp_sources_free(&s);
}

static void format_dir(const char *dir, fmt_opts *o)
{
    struct dirent **list = NULL;
    int n = scandir(dir, &list, NULL, alphasort);
    if (n < 0) {
        fprintf(stderr, "cpstack fmt: cannot read %s: %m\n", dir);
        o->errors++;
        return;
    }
    for (int i = 0; i < n; i++) {
        const char *name = list[i]->d_name;
        size_t len = strlen(name);
        char *p = cp_xasprintf("%s/%s", dir, name);
        struct stat st;
        if (name[0] != '.' && stat(p, &st) == 0) {
            if (S_ISDIR(st.st_mode) && o->recursive)
                format_dir(p, o);
            else if (S_ISREG(st.st_mode) && len > 3 && !strcmp(name + len - 3, ".cp"))
                format_one(p, o);
        }
        free(p);
        free(list[i]);
    }
    free(list);
}

int cmd_fmt(const cp_cli *cli, int argc, char **argv)
{
    if (cp_wants_help(argc, argv, usage)) return 0;
    fmt_opts o = { .write = true };
    cp_flag flags[] = {
        { "check", CP_FLAG_BOOL, &o.check },       { "diff", CP_FLAG_BOOL, &o.diff },
        { "write", CP_FLAG_BOOL, &o.write },       { "recursive", CP_FLAG_BOOL, &o.recursive },
        { "no-color", CP_FLAG_BOOL, &o.no_color }, { NULL, 0, NULL },
    };
    cp_strlist pos = { 0 };
    if (cp_parse_flags(argc, argv, flags, &pos) < 0) return 1;
    if (pos.len == 0) cp_strlist_push(&pos, ".");
    for (size_t i = 0; i < pos.len; i++) {
        struct stat st;
        if (strcmp(pos.items[i], "-") && stat(pos.items[i], &st) == 0 && S_ISDIR(st.st_mode))
            format_dir(pos.items[i], &o);
        else
            format_one(pos.items[i], &o);
    }
    cp_strlist_free(&pos);
    if (o.errors) return 1;
    return o.check && o.unformatted ? 3 : 0;
}
