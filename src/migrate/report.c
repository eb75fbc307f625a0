/*
 * report.c: what `cpstack migrate terraform` did not convert (by
 * file:line, with the reason) and what it converted with a change worth
 * knowing, rendered as Markdown for MIGRATION.md and the terminal.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "migrate/migrate.h"
#include "util/xalloc.h"

void cp_migrate_report_init(cp_migrate_report *r) { *r = (cp_migrate_report){ 0 }; }

static void free_items(cp_migrate_item *it, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(it[i].where);
        free(it[i].what);
        free(it[i].reason);
    }
    free(it);
}

void cp_migrate_report_free(cp_migrate_report *r)
{
    free_items(r->items, r->len);
    free_items(r->notes, r->nnotes);
    *r = (cp_migrate_report){ 0 };
}

static void add(cp_migrate_item **items, size_t *len, size_t *cap, const char *where,
                const char *what, const char *fmt, va_list ap)
{
    cp_buf b;
    cp_buf_init(&b);
    cp_buf_vprintf(&b, fmt, ap);
    CP_GROW(*items, *len + 1, *cap);
    (*items)[(*len)++] = (cp_migrate_item){ cp_xstrdup(where), cp_xstrdup(what), cp_buf_steal(&b) };
    cp_buf_free(&b);
}

void cp_migrate_list(cp_migrate_report *r, const char *where, const char *what, const char *fmt,
                     ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(&r->items, &r->len, &r->cap, where, what, fmt, ap);
    va_end(ap);
}

void cp_migrate_note(cp_migrate_report *r, const char *where, const char *what, const char *fmt,
                     ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(&r->notes, &r->nnotes, &r->capnotes, where, what, fmt, ap);
    va_end(ap);
}

static void table(cp_buf *out, const cp_migrate_item *it, size_t n, const char *col)
{
    cp_buf_printf(out, "| where | construct | %s |\n| --- | --- | --- |\n", col);
    for (size_t i = 0; i < n; i++)
        cp_buf_printf(out, "| %s | `%s` | %s |\n", it[i].where, it[i].what, it[i].reason);
}

void cp_migrate_report_render(const cp_migrate_report *r, const char *src, cp_buf *out)
{
    cp_buf_printf(out, "# Migration from Terraform\n\nSource: `%s` (left unchanged).\n\n", src);
    cp_buf_printf(out,
                  "Converted: %zu file(s), %zu resource(s), %zu data source(s), %zu module "
                  "call(s), %zu variable(s), %zu output(s); state: %zu object(s) imported, "
                  "%zu listed, %zu data source instance(s) left to the first plan (which reads "
                  "them again).\n\n",
                  r->files, r->resources, r->data, r->modules, r->variables, r->outputs,
                  r->state_ok, r->state_listed, r->state_data);
    cp_buf_printf(out, "## Not converted (%zu)\n\n", r->len);
    if (r->len)
        table(out, r->items, r->len, "reason");
    else
        cp_buf_adds(out, "Everything was converted.\n");
    if (r->nnotes) {
        cp_buf_printf(out, "\n## Converted with a change (%zu)\n\n", r->nnotes);
        table(out, r->notes, r->nnotes, "what became of it");
    }
}
