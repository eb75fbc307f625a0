/*
 * config_graph.c: building the stack's dependency graph (see config_graph.h).
 */
#include "config/config_graph.h"
#include "lang/eval.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct builder {
    const cp_config *c;
    cp_graph *g;
    int from;                  /* node whose references are being walked */
    const cp_config *cur;      /* whose names the references are: c or a module's config */
    const cp_config_module *m; /* cur's call; NULL: root */
} builder;

static void set_context(builder *b, const cp_config_module *m)
{
    b->m = m;
    b->cur = m ? m->config : b->c;
}

/* "module.a." before a module's names; "" in the root. */
static const char *prefix_of(const builder *b, char *buf, size_t n)
{
    if (!b->m) return "";
    snprintf(buf, n, "%s.", b->m->path);
    return buf;
}

static void add_node(builder *b, cp_config_node *nodes, cp_config_node node, const char *label,
                     cp_loc loc)
{
    char *where = cp_loc_string(&b->c->sources, loc);
    char *colon = strrchr(where, ':'); /* "file:line:col" -> "file:line" */
    if (colon && colon != where) *colon = '\0';
    size_t next = cp_graph_node_count(b->g);
    nodes[next] = node;
    cp_graph_add_node(b->g, label, where, &nodes[next]);
    free(where);
}

/* module.NAME.OUTPUT: an edge to that output; module.NAME (or an output
 * reached through an index): to every output of the module. */
static void module_edges(builder *b, const char *const *steps, size_t n)
{
    const cp_config_module *m = cp_config_find_module(b->cur, steps[1]);
    if (!m || !m->config) return;
    char label[1024];
    for (size_t i = 0; i < m->config->noutputs; i++) {
        const char *name = m->config->outputs[i].name;
        if (n >= 3 && !m->count && !m->for_each && strcmp(name, steps[2])) continue;
        snprintf(label, sizeof label, "%s.output.%s", m->path, name);
        int to = cp_graph_find(b->g, label);
        if (to >= 0) cp_graph_add_edge(b->g, b->from, to);
    }
}

/* The node a reference leads to, or -1 (e.g. each.key, path.root). */
static int target_of(const builder *b, const char *const *steps, size_t n)
{
    char label[1024], pre[512];
    const char *root = steps[0], *p = prefix_of(b, pre, sizeof pre);
    if (n < 2) return -1;
    if (!strcmp(root, "var") || !strcmp(root, "local"))
        snprintf(label, sizeof label, "%s%s.%s", p, root, steps[1]);
    else if (!strcmp(root, "data")) {
        if (n < 3) return -1;
        snprintf(label, sizeof label, "%sdata.%s.%s", p, steps[1], steps[2]);
    } else
        snprintf(label, sizeof label, "%s%s.%s", p, root, steps[1]);
    return cp_graph_find(b->g, label);
}

static void on_ref(void *ud, const char *const *steps, size_t n, cp_loc loc)
{
    (void)loc;
    builder *b = ud;
    if (n >= 2 && !strcmp(steps[0], "module")) {
        module_edges(b, steps, n);
        return;
    }
    int to = target_of(b, steps, n);
    if (to >= 0) cp_graph_add_edge(b->g, b->from, to);
}

static void walk_body(builder *b, const cp_body *body)
{
    for (size_t i = 0; i < body->nattrs; i++)
        if (strcmp(body->attrs[i].name, "depends_on") && strcmp(body->attrs[i].name, "provider"))
            cp_expr_walk_refs(body->attrs[i].expr, on_ref, b);
    for (size_t i = 0; i < body->nblocks; i++)
        if (strcmp(body->blocks[i]->type, "lifecycle")) walk_body(b, body->blocks[i]->body);
}

/* Conditions and replace_triggered_by depend on what they name (self is
 * no node, so a postcondition's self adds nothing). */
static void walk_lifecycle(builder *b, const cp_config_lifecycle *lc)
{
    for (size_t i = 0; i < lc->npreconditions; i++)
        cp_expr_walk_refs(lc->preconditions[i].condition, on_ref, b);
    for (size_t i = 0; i < lc->npostconditions; i++)
        cp_expr_walk_refs(lc->postconditions[i].condition, on_ref, b);
    for (size_t i = 0; i < lc->nreplace_triggered_by; i++) {
        int to = cp_graph_find(b->g, lc->replace_triggered_by[i].resource);
        if (to >= 0 && to != b->from) cp_graph_add_edge(b->g, b->from, to);
    }
}

/* The nodes of module call m and of its module's variables, locals and
 * outputs, then of its own calls. */
static void add_module_nodes(builder *b, cp_config_node *nodes, const cp_config_module *m)
{
    char label[1024];
    add_node(b, nodes, (cp_config_node){ CP_NODE_MODULE, { .module = m }, m->parent }, m->path,
             m->loc);
    const cp_config *mc = m->config;
    if (!mc) return;
    for (size_t i = 0; i < mc->nvariables; i++) {
        snprintf(label, sizeof label, "%s.var.%s", m->path, mc->variables[i].name);
        add_node(b, nodes,
                 (cp_config_node){ CP_NODE_VARIABLE, { .variable = &mc->variables[i] }, m }, label,
                 mc->variables[i].loc);
    }
    for (size_t i = 0; i < mc->nlocals; i++) {
        snprintf(label, sizeof label, "%s.local.%s", m->path, mc->locals[i].name);
        add_node(b, nodes, (cp_config_node){ CP_NODE_LOCAL, { .local = &mc->locals[i] }, m }, label,
                 mc->locals[i].loc);
    }
    for (size_t i = 0; i < mc->noutputs; i++) {
        snprintf(label, sizeof label, "%s.output.%s", m->path, mc->outputs[i].name);
        add_node(b, nodes, (cp_config_node){ CP_NODE_OUTPUT, { .output = &mc->outputs[i] }, m },
                 label, mc->outputs[i].loc);
    }
    for (size_t i = 0; i < mc->nmodules; i++) add_module_nodes(b, nodes, &mc->modules[i]);
}

static size_t count_module_nodes(const cp_config *c)
{
    size_t n = 0;
    for (size_t i = 0; i < c->nmodules; i++) {
        const cp_config *mc = c->modules[i].config;
        n += 1 + (mc ? mc->nvariables + mc->nlocals + mc->noutputs + count_module_nodes(mc) : 0);
    }
    return n;
}

static void add_all_nodes(builder *b, cp_config_node *nodes)
{
    const cp_config *c = b->c;
    char label[512];
    for (size_t i = 0; i < c->nvariables; i++) {
        snprintf(label, sizeof label, "var.%s", c->variables[i].name);
        add_node(b, nodes,
                 (cp_config_node){ CP_NODE_VARIABLE, { .variable = &c->variables[i] }, NULL },
                 label, c->variables[i].loc);
    }
    for (size_t i = 0; i < c->nlocals; i++) {
        snprintf(label, sizeof label, "local.%s", c->locals[i].name);
        add_node(b, nodes, (cp_config_node){ CP_NODE_LOCAL, { .local = &c->locals[i] }, NULL },
                 label, c->locals[i].loc);
    }
    for (size_t i = 0; i < c->nresources; i++)
        add_node(b, nodes,
                 (cp_config_node){
                     CP_NODE_RESOURCE, { .resource = &c->resources[i] }, c->resources[i].module },
                 c->resources[i].address, c->resources[i].loc);
    for (size_t i = 0; i < c->noutputs; i++) {
        snprintf(label, sizeof label, "output.%s", c->outputs[i].name);
        add_node(b, nodes, (cp_config_node){ CP_NODE_OUTPUT, { .output = &c->outputs[i] }, NULL },
                 label, c->outputs[i].loc);
    }
    for (size_t i = 0; i < c->nmodules; i++) add_module_nodes(b, nodes, &c->modules[i]);
}

static void edge_to(builder *b, int from, const char *label)
{
    int to = cp_graph_find(b->g, label);
    if (to >= 0 && to != from) cp_graph_add_edge(b->g, from, to);
}

/* A module call: its count/for_each and depends_on, in the caller's names. */
static void module_call_edges(builder *b, int id, const cp_config_module *m)
{
    char label[1024], pre[512];
    set_context(b, m->parent);
    if (m->count) cp_expr_walk_refs(m->count, on_ref, b);
    if (m->for_each) cp_expr_walk_refs(m->for_each, on_ref, b);
    const char *p = prefix_of(b, pre, sizeof pre);
    for (size_t k = 0; k < m->ndepends_on; k++) {
        snprintf(label, sizeof label, "%s%s", p, m->depends_on[k].address);
        edge_to(b, id, label);
    }
    if (m->parent) edge_to(b, id, m->parent->path);
}

/* A module's variable: the input expression (caller's names) or default. */
static void module_var_edges(builder *b, int id, const cp_config_module *m,
                             const cp_config_variable *v)
{
    const cp_attr *in = cp_body_attr(m->body, v->name);
    set_context(b, in ? m->parent : m);
    cp_expr_walk_refs(in ? in->expr : v->default_expr, on_ref, b);
    edge_to(b, id, m->path);
}

static void add_all_edges(builder *b, const cp_config_node *nodes, size_t n)
{
    for (size_t id = 0; id < n; id++) {
        b->from = (int)id;
        const cp_config_node *nd = &nodes[id];
        set_context(b, nd->in);
        if (nd->kind == CP_NODE_MODULE)
            module_call_edges(b, (int)id, nd->u.module);
        else if (nd->kind == CP_NODE_VARIABLE && nd->in)
            module_var_edges(b, (int)id, nd->in, nd->u.variable);
        else if (nd->kind == CP_NODE_LOCAL)
            cp_expr_walk_refs(nd->u.local->expr, on_ref, b);
        else if (nd->kind == CP_NODE_OUTPUT)
            cp_expr_walk_refs(nd->u.output->value, on_ref, b);
        else if (nd->kind == CP_NODE_RESOURCE) {
            const cp_config_resource *r = nd->u.resource;
            walk_body(b, r->body);
            walk_lifecycle(b, &r->lifecycle);
            for (size_t k = 0; k < r->ndepends_on; k++) {
                int to = cp_graph_find(b->g, r->depends_on[k].address);
                if (to >= 0) cp_graph_add_edge(b->g, (int)id, to);
            }
            if (r->module) edge_to(b, (int)id, r->module->path);
        }
    }
}

static bool report_cycles(builder *b, const cp_config_node *nodes, cp_diags *d)
{
    cp_graph_cycle *cycles = NULL;
    size_t n = cp_graph_cycles(b->g, &cycles);
    for (size_t i = 0; i < n; i++) {
        cp_buf msg;
        cp_buf_init(&msg);
        cp_graph_cycle_format(b->g, &cycles[i], &msg);
        const cp_config_node *first = &nodes[cycles[i].nodes[0]];
        cp_loc loc = first->kind == CP_NODE_MODULE     ? first->u.module->loc
                     : first->kind == CP_NODE_RESOURCE ? first->u.resource->loc
                     : first->kind == CP_NODE_LOCAL    ? first->u.local->loc
                     : first->kind == CP_NODE_OUTPUT   ? first->u.output->loc
                                                       : first->u.variable->loc;
        cp_diag_error(d, loc, "dependency %s; break it by removing one of these references",
                      msg.data);
        cp_buf_free(&msg);
    }
    cp_graph_cycles_free(cycles, n);
    return n == 0;
}

cp_graph *cp_config_graph(const cp_config *c, cp_config_node **nodes_out, cp_diags *d)
{
    size_t total = c->nvariables + c->nlocals + c->nresources + c->noutputs + count_module_nodes(c);
    cp_config_node *nodes = cp_xcalloc(total + 1, sizeof *nodes);
    builder b = { c, cp_graph_new(), -1, c, NULL };
    add_all_nodes(&b, nodes);
    add_all_edges(&b, nodes, total);
    if (!report_cycles(&b, nodes, d)) {
        cp_graph_free(b.g);
        free(nodes);
        *nodes_out = NULL;
        return NULL;
    }
    *nodes_out = nodes;
    return b.g;
}
