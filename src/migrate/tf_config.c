/*
 * tf_config.c: a Terraform folder written out as a cpstack stack. The tree
 * under SRC is listed once (Terraform's own files, state and var files left
 * out); each .tf file is parsed, judged block by block (tf_blocks.c), edited
 * on the byte ranges its AST gives, re-printed by cpstack's formatter and
 * written as .cp under DEST at the same relative path; every other file is
 * copied as it is (templates, scripts, Lambda sources). SRC is only read.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lang/fmt.h"
#include "migrate/tf_blocks.h"
#include "util/xalloc.h"

/* --- edits and report entries of one file ---------------------------------- */

void tf_edit(tf_file *f, uint32_t start, uint32_t end, const char *text)
{
    CP_GROW(f->edits, f->nedits + 1, f->capedits);
    f->edits[f->nedits++] = (tf_edit_t){ start, end, cp_xstrdup(text) };
}

/* A node alone on its lines goes with those lines (no blank left behind). */
void tf_remove(tf_file *f, cp_loc loc)
{
    const cp_source *s = cp_sources_get(&f->srcs, f->id);
    uint32_t start = loc.offset, end = loc.end_offset;
    while (start > 0 && (s->text[start - 1] == ' ' || s->text[start - 1] == '\t')) start--;
    while (end < s->len && (s->text[end] == ' ' || s->text[end] == '\t')) end++;
    if ((start == 0 || s->text[start - 1] == '\n') && (end == s->len || s->text[end] == '\n')) {
        end = end < s->len ? end + 1 : end;
        uint32_t next = end, blank = start;
        while (next < s->len && (s->text[next] == ' ' || s->text[next] == '\t')) next++;
        while (blank > 1 && (s->text[blank - 2] == ' ' || s->text[blank - 2] == '\t')) blank--;
        /* the last thing of a block, after a blank line: the blank goes too */
        if (next < s->len && s->text[next] == '}' && blank >= 2 && s->text[blank - 1] == '\n' &&
            s->text[blank - 2] == '\n')
            start = blank - 1;
        tf_edit(f, start, end, "");
    } else
        tf_edit(f, loc.offset, loc.end_offset, "");
}

static char *where(const tf_file *f, cp_loc loc) { return cp_xasprintf("%s:%u", f->rel, loc.line); }

static void record(tf_file *f, bool listed, cp_loc loc, const char *what, const char *fmt,
                   va_list ap)
{
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_vprintf(&b, fmt, ap);
    char *w = where(f, loc);
    if (listed)
        cp_migrate_list(f->report, w, what, "%s", b.data ? b.data : "");
    else
        cp_migrate_note(f->report, w, what, "%s", b.data ? b.data : "");
    free(w);
    cp_buf_free(&b);
}

void tf_list(tf_file *f, cp_loc loc, const char *what, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    record(f, true, loc, what, fmt, ap);
    va_end(ap);
}

void tf_note(tf_file *f, cp_loc loc, const char *what, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    record(f, false, loc, what, fmt, ap);
    va_end(ap);
}

bool tf_in_list(const char *name, const char *const *names)
{
    for (; names && *names; names++)
        if (!strcmp(name, *names)) return true;
    return false;
}

char *tf_text(const tf_file *f, cp_loc loc)
{
    const cp_source *s = cp_sources_get(&f->srcs, f->id);
    return cp_xstrndup(s->text + loc.offset, loc.end_offset - loc.offset);
}

static int by_start(const void *a, const void *b)
{
    const tf_edit_t *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    return x->end < y->end ? -1 : x->end > y->end;
}

/* The source with every edit made; an edit inside a removed range is moot. */
static char *edited_text(tf_file *f, size_t *len)
{
    const cp_source *s = cp_sources_get(&f->srcs, f->id);
    if (f->nedits) qsort(f->edits, f->nedits, sizeof *f->edits, by_start);
    cp_buf b;
    cp_buf_init(&b);
    uint32_t at = 0;
    for (size_t i = 0; i < f->nedits; i++) {
        const tf_edit_t *e = &f->edits[i];
        if (e->start < at) continue;
        cp_buf_add(&b, s->text + at, e->start - at);
        cp_buf_adds(&b, e->text);
        at = e->end;
    }
    cp_buf_add(&b, s->text + at, s->len - at);
    *len = b.len;
    return cp_buf_steal(&b);
}

static void tf_file_free(tf_file *f)
{
    for (size_t i = 0; i < f->nedits; i++) free(f->edits[i].text);
    free(f->edits);
    if (f->ast) cp_file_free(f->ast);
    cp_sources_free(&f->srcs);
    free(f->rel);
}

/* --- the tree --------------------------------------------------------------- */

typedef struct tree {
    char **files; /* relative paths, sorted */
    size_t len, cap;
} tree;

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && !strcmp(s + n - k, tail);
}

/* Terraform's own files, state, plans and variable files are not copied. */
static bool skipped(const char *name)
{
    static const char *const names[] = { ".terraform",
                                         ".git",
                                         ".cpstack",
                                         ".terraform.lock.hcl",
                                         "terraform.tfstate",
                                         "terraform.tfstate.backup",
                                         ".terraform.tfstate.lock.info",
                                         NULL };
    for (const char *const *n = names; *n; n++)
        if (!strcmp(name, *n)) return true;
    return ends_with(name, ".tfvars") || ends_with(name, ".tfvars.json") ||
           ends_with(name, ".tfplan") || ends_with(name, ".tfstate");
}

static int list_tree(tree *t, const char *root, const char *rel, const char *skip_abs, char **err)
{
    char *dir = rel[0] ? cp_xasprintf("%s/%s", root, rel) : cp_xstrdup(root);
    struct dirent **ents = NULL;
    int n = scandir(dir, &ents, NULL, alphasort), rc = 0;
    if (n < 0) {
        *err = cp_xasprintf("cannot read %s: %s", dir, strerror(errno));
        rc = -1;
    }
    for (int i = 0; i < n; i++) {
        const char *name = ents[i]->d_name;
        char *sub = rel[0] ? cp_xasprintf("%s/%s", rel, name) : cp_xstrdup(name);
        char *abs = cp_xasprintf("%s/%s", dir, name), *real = realpath(abs, NULL);
        struct stat st;
        bool keep = rc == 0 && strcmp(name, ".") && strcmp(name, "..") && !skipped(name) &&
                    stat(abs, &st) == 0 && !(skip_abs && real && !strcmp(real, skip_abs));
        if (keep && S_ISDIR(st.st_mode))
            rc = list_tree(t, root, sub, skip_abs, err);
        else if (keep && S_ISREG(st.st_mode)) {
            CP_GROW(t->files, t->len + 1, t->cap);
            t->files[t->len++] = cp_xstrdup(sub);
        }
        free(real);
        free(abs);
        free(sub);
        free(ents[i]);
    }
    free(ents);
    free(dir);
    return rc;
}

static int mkdirs(const char *path)
{
    char *p = cp_xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    int rc = mkdir(p, 0777) != 0 && errno != EEXIST ? -1 : 0;
    free(p);
    return rc;
}

static int write_file(const char *path, const char *data, size_t len, mode_t mode, char **err)
{
    char *dir = cp_xstrdup(path), *slash = strrchr(dir, '/');
    if (slash) *slash = 0;
    FILE *fp = NULL;
    if ((slash && mkdirs(dir) != 0) || !(fp = fopen(path, "wb")) ||
        fwrite(data, 1, len, fp) != len) {
        *err = cp_xasprintf("cannot write %s: %s", path, strerror(errno));
        if (fp) fclose(fp);
        free(dir);
        return -1;
    }
    free(dir);
    if (fclose(fp) != 0) {
        *err = cp_xasprintf("cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    chmod(path, mode & 0777);
    return 0;
}

static int copy_file(const char *from, const char *to, char **err)
{
    FILE *fp = fopen(from, "rb");
    if (!fp) {
        *err = cp_xasprintf("cannot read %s: %s", from, strerror(errno));
        return -1;
    }
    cp_buf b;
    cp_buf_init(&b);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) cp_buf_add(&b, chunk, n);
    fclose(fp);
    struct stat st;
    mode_t mode = stat(from, &st) == 0 ? st.st_mode : 0644;
    int rc = write_file(to, b.data ? b.data : "", b.len, mode, err);
    cp_buf_free(&b);
    return rc;
}

/* DEST may not exist yet, or be an empty folder. */
static int check_dest(const char *dest, char **err)
{
    DIR *d = opendir(dest);
    if (!d) {
        if (errno == ENOENT) return 0;
        *err = cp_xasprintf("%s: %s", dest, strerror(errno));
        return -1;
    }
    struct dirent *e;
    bool empty = true;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) empty = false;
    closedir(d);
    if (empty) return 0;
    *err =
        cp_xasprintf("%s is not empty; give a new folder as DEST (nothing is overwritten)", dest);
    return -1;
}

/* --- files ------------------------------------------------------------------ */

static tf_file *parse_tf(const char *src, const char *rel, cp_migrate_report *r)
{
    tf_file *f = cp_xcalloc(1, sizeof *f);
    f->rel = cp_xstrdup(rel);
    f->root = !strchr(rel, '/');
    f->report = r;
    cp_sources_init(&f->srcs);
    char *path = cp_xasprintf("%s/%s", src, rel), *err = NULL;
    f->id = cp_sources_load(&f->srcs, path, &err);
    free(path);
    if (!f->id) {
        cp_migrate_list(r, rel, rel, "cannot be read: %s", err ? err : "?");
        free(err);
        return f;
    }
    cp_diags d;
    cp_diags_init(&d);
    f->ast = cp_parse_source(&f->srcs, f->id, &d);
    for (size_t i = 0; i < d.len; i++) {
        char *w = cp_xasprintf("%s:%u", rel, d.items[i].loc.line);
        cp_migrate_list(r, w, "syntax",
                        "cpstack's parser refuses it (%s); the file is copied "
                        "with the rest converted where it parsed",
                        d.items[i].msg);
        free(w);
    }
    cp_diags_free(&d);
    return f;
}

static int write_cp(tf_file *f, const char *dest, char **err)
{
    size_t len = 0;
    char *text = f->id ? edited_text(f, &len) : cp_xstrdup("");
    char *rel = cp_xstrndup(f->rel, strlen(f->rel) - 3);
    char *out_path = cp_xasprintf("%s/%s.cp", dest, rel);
    cp_buf out;
    cp_buf_init(&out);
    cp_diags d;
    cp_diags_init(&d);
    if (cp_fmt_source(out_path, text, len, &out, &d) != 0) {
        cp_migrate_list(f->report, f->rel, f->rel,
                        "the converted text does not parse; written unformatted for a hand fix");
        cp_buf_reset(&out);
        cp_buf_add(&out, text, len);
    }
    cp_diags_free(&d);
    int rc = write_file(out_path, out.data ? out.data : "", out.len, 0644, err);
    f->report->files++;
    cp_buf_free(&out);
    free(out_path);
    free(rel);
    free(text);
    return rc;
}

static void list_unused_tfvars(const tf_context *cx, cp_migrate_report *r)
{
    for (size_t i = 0; i < cx->nvars; i++)
        if (!cx->vars[i].used)
            cp_migrate_list(r, cx->vars[i].where, cx->vars[i].name,
                            "sets a variable the root module does not declare");
}

static char *base_name(const char *path)
{
    char *real = realpath(path, NULL), *p = real ? real : cp_xstrdup(path);
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/') p[--n] = 0;
    const char *slash = strrchr(p, '/');
    char *b = cp_xstrdup(slash ? slash + 1 : p);
    free(p);
    return b;
}

/* override.tf, x_override.tf: Terraform merges them into the other files. */
static bool is_override(const char *rel)
{
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    return !strcmp(base, "override.tf") || ends_with(base, "_override.tf") ||
           !strcmp(base, "override.tf.json") || ends_with(base, "_override.tf.json");
}

/* Files neither converted as .tf nor copied: listed (except plain .tf). */
static bool listed_file(const char *rel, cp_migrate_report *r)
{
    if (is_override(rel))
        cp_migrate_list(r, rel, rel,
                        "an override file, which Terraform merges into the blocks it names; "
                        "merge it by hand into the converted files");
    else if (ends_with(rel, ".tf.json"))
        cp_migrate_list(r, rel, rel,
                        "Terraform's JSON syntax is not converted; write it as a .tf file first "
                        "(or by hand as .cp)");
    else
        return ends_with(rel, ".tf");
    return true;
}

static int convert(const cp_migrate_opts *o, const tree *t, tf_context *cx, cp_migrate_report *r,
                   char **err)
{
    tf_file **tfs = cp_xcalloc(t->len + 1, sizeof *tfs);
    size_t ntf = 0;
    int rc = 0;
    for (size_t i = 0; i < t->len; i++)
        if (ends_with(t->files[i], ".tf") && !is_override(t->files[i]))
            tfs[ntf++] = parse_tf(o->src, t->files[i], r);
    for (size_t i = 0; i < ntf; i++)
        if (tfs[i]->ast) tf_convert_blocks(tfs[i], cx);
    list_unused_tfvars(cx, r);
    tf_file *home = cx->stack_file;
    for (size_t i = 0; !home && i < ntf; i++)
        if (tfs[i]->root && (!strcmp(tfs[i]->rel, "main.tf") || i + 1 == ntf || !tfs[i + 1]->root))
            home = tfs[i];
    char *name = o->stack_name ? cp_xstrdup(o->stack_name) : base_name(o->src);
    char *block = tf_stack_block(cx, name);
    if (home)
        tf_edit(home, cx->stack_file ? cx->stack_at : 0, cx->stack_file ? cx->stack_at : 0, block);
    for (size_t i = 0; i < ntf && rc == 0; i++) rc = write_cp(tfs[i], o->dest, err);
    if (!home && rc == 0) {
        char *path = cp_xasprintf("%s/main.cp", o->dest);
        rc = write_file(path, block, strlen(block) - 1, 0644, err);
        free(path);
    }
    for (size_t i = 0; i < t->len && rc == 0; i++) {
        if (listed_file(t->files[i], r)) continue;
        char *from = cp_xasprintf("%s/%s", o->src, t->files[i]);
        char *to = cp_xasprintf("%s/%s", o->dest, t->files[i]);
        rc = copy_file(from, to, err);
        free(from);
        free(to);
    }
    free(block);
    free(name);
    for (size_t i = 0; i < ntf; i++) {
        tf_file_free(tfs[i]);
        free(tfs[i]);
    }
    free(tfs);
    return rc;
}

int cp_migrate_config(const cp_migrate_opts *o, cp_migrate_report *r, char **err)
{
    struct stat st;
    if (stat(o->src, &st) != 0 || !S_ISDIR(st.st_mode)) {
        *err = cp_xasprintf("%s is not a folder; give the Terraform root module's folder", o->src);
        return -1;
    }
    if (check_dest(o->dest, err) != 0) return -1;
    tree t = { 0 };
    char *dest_real = NULL;
    if (mkdirs(o->dest) != 0) {
        *err = cp_xasprintf("cannot create %s: %s", o->dest, strerror(errno));
        return -1;
    }
    dest_real = realpath(o->dest, NULL);
    int rc = list_tree(&t, o->src, "", dest_real, err);
    tf_context cx = { .types = o->types };
    if (rc == 0) {
        tf_load_tfvars(&cx, o->src, r);
        rc = convert(o, &t, &cx, r, err);
    }
    tf_context_free(&cx);
    for (size_t i = 0; i < t.len; i++) free(t.files[i]);
    free(t.files);
    free(dest_real);
    return rc;
}
