/*
 * ec2_lookup.c: the Describe* search the EC2 data sources share (see
 * ec2_lookup.h). Criteria become filters the way Terraform sends them: each
 * set argument one filter, each tag a tag:KEY filter, then the `filter`
 * blocks; an object must match all of them.
 */
#include "providers/aws/ec2_lookup.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"

const cp_schema_attr ec2_lookup_filter_attrs[] = {
    { .name = "name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description = "Name of an EC2 Describe filter, e.g. vpc-id or tag:Name." },
    { .name = "values",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description = "Values to match (any one); `*` and `?` are wildcards." },
    { NULL },
};

/* The value of an argument as a filter value ("true"/"false" for bools). */
static const char *arg_value(const cp_value *config, const char *attr)
{
    const cp_value *v = cp_prov_get(config, attr);
    if (!v) return NULL;
    if (cp_kind_of(v) == CP_BOOL) return cp_bool_val(v) ? "true" : "false";
    return cp_kind_of(v) == CP_STRING ? cp_string_val(v) : NULL;
}

static void add_filter(aws_params *p, size_t *n, const char *name, const cp_value *vals,
                       const char *one)
{
    ++*n;
    aws_params_addf(p, name, "Filter.%zu.Name", *n);
    if (one) aws_params_addf(p, one, "Filter.%zu.Value.1", *n);
    for (size_t j = 0; vals && j < cp_len(vals); j++)
        aws_params_addf(p, cp_string_val(cp_list_get(vals, j)), "Filter.%zu.Value.%zu", *n, j + 1);
}

/* The parameters and, in crit, the criteria as a message names them. */
static aws_params *lookup_params(const ec2_lookup *l, const cp_value *config, cp_buf *crit)
{
    aws_params *p = aws_params_new();
    size_t n = 0;
    const char *id = cp_get_str(config, "id");
    if (id && l->ids_param) {
        aws_params_addf(p, id, "%s.1", l->ids_param);
        cp_buf_printf(crit, "id = \"%s\"", id);
    }
    for (const ec2_lookup_arg *a = l->args; a && a->attr; a++) {
        const char *v = arg_value(config, a->attr);
        if (!v) continue;
        add_filter(p, &n, a->filter, NULL, v);
        cp_buf_printf(crit, "%s%s = \"%s\"", crit->len ? ", " : "", a->attr, v);
    }
    const cp_value *tags = cp_get_map(config, "tags");
    for (size_t i = 0; tags && i < cp_len(tags); i++) {
        char *name = cp_xasprintf("tag:%s", cp_map_key_at(tags, i));
        const char *v = cp_string_val(cp_map_value_at(tags, i));
        add_filter(p, &n, name, NULL, v);
        cp_buf_printf(crit, "%s%s = \"%s\"", crit->len ? ", " : "", name, v);
        free(name);
    }
    const cp_value *fs = cp_get_list(config, "filter");
    for (size_t i = 0; fs && i < cp_len(fs); i++) {
        const cp_value *f = cp_list_get(fs, i), *vals = cp_get_list(f, "values");
        add_filter(p, &n, cp_get_str_or(f, "name", ""), vals, NULL);
        cp_buf_printf(crit, "%sfilter %s = [", crit->len ? ", " : "", cp_get_str_or(f, "name", ""));
        for (size_t j = 0; vals && j < cp_len(vals); j++)
            cp_buf_printf(crit, "%s\"%s\"", j ? ", " : "", cp_string_val(cp_list_get(vals, j)));
        cp_buf_addc(crit, ']');
    }
    if (!crit->len) cp_buf_adds(crit, "no criteria");
    return p;
}

static int run(cp_provider_call *c, const ec2_lookup *l, const cp_value *config, xmlDocPtr *doc,
               size_t *n, cp_buf *crit)
{
    aws_params *p = lookup_params(l, config, crit);
    int rc = ec2_call(c, l->action, p, NULL, doc);
    aws_params_free(p);
    if (rc != 0) return -1;
    *n = aws_xml_count(aws_xml_root(*doc), l->items);
    return 0;
}

int ec2_lookup_run(cp_provider_call *c, const ec2_lookup *l, const cp_value *config, xmlDocPtr *doc,
                   size_t *n)
{
    cp_buf crit;
    cp_buf_init(&crit);
    int rc = run(c, l, config, doc, n, &crit);
    cp_buf_free(&crit);
    return rc;
}

int ec2_lookup_one(cp_provider_call *c, const ec2_lookup *l, const cp_value *config, xmlDocPtr *doc,
                   xmlNodePtr *item)
{
    cp_buf crit;
    cp_buf_init(&crit);
    size_t n = 0;
    int rc = run(c, l, config, doc, &n, &crit);
    if (rc == 0 && n != 1) {
        xmlFreeDoc(*doc);
        rc = n == 0 ? cp_fail(c,
                              "%s: no %s matches %s; check the criteria (or create the %s "
                              "first)",
                              c->address, l->what, crit.data, l->what)
                    : cp_fail(c,
                              "%s: %zu %ss match %s; add criteria (id, tags, filter) so that "
                              "exactly one matches",
                              c->address, n, l->what, crit.data);
    }
    if (rc == 0) *item = aws_xml_find(aws_xml_root(*doc), l->items);
    cp_buf_free(&crit);
    return rc;
}
