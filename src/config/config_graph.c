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
    int from; /* node whose references are being walked */
} builder;

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

/* The node a reference leads to, or -1 (e.g. each.key, path.root). */
static int target_of(const builder *b, const char *const *steps, size_t n)
{
    char label[512];
    const char *root = steps[0];
    if (n < 2) return -1;
    if (!strcmp(root, "var") || !strcmp(root, "local"))
        snprintf(label, sizeof label, "%s.%s", root, steps[1]);
    else if (!strcmp(root, "data")) {
        if (n < 3) return -1;
        snprintf(label, sizeof label, "data.%s.%s", steps[1], steps[2]);
    } else
        snprintf(label, sizeof label, "%s.%s", root, steps[1]);
    return cp_graph_find(b->g, label);
}

static void on_ref(void *ud, const char *const *steps, size_t n, cp_loc loc)
{
    (void)loc;
    builder *b = ud;
    int to = target_of(b, steps, n);
    if (to >= 0) cp_graph_add_edge(b->g, b->from, to);
}

static void walk_body(builder *b, const cp_body *body)
{
    for (size_t i = 0; i < body->nattrs; i++)
        if (strcmp(body->attrs[i].name, "depends_on"))
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

static void add_all_nodes(builder *b, cp_config_node *nodes)
{
    const cp_config *c = b->c;
    char label[512];
    for (size_t i = 0; i < c->nvariables; i++) {
        snprintf(label, sizeof label, "var.%s", c->variables[i].name);
        add_node(b, nodes, (cp_config_node){ CP_NODE_VARIABLE, { .variable = &c->variables[i] } },
                 label, c->variables[i].loc);
    }
    for (size_t i = 0; i < c->nlocals; i++) {
        snprintf(label, sizeof label, "local.%s", c->locals[i].name);
        add_node(b, nodes, (cp_config_node){ CP_NODE_LOCAL, { .local = &c->locals[i] } }, label,
                 c->locals[i].loc);
    }
    for (size_t i = 0; i < c->nresources; i++)
        add_node(b, nodes, (cp_config_node){ CP_NODE_RESOURCE, { .resource = &c->resources[i] } },
                 c->resources[i].address, c->resources[i].loc);
    for (size_t i = 0; i < c->noutputs; i++) {
        snprintf(label, sizeof label, "output.%s", c->outputs[i].name);
        add_node(b, nodes, (cp_config_node){ CP_NODE_OUTPUT, { .output = &c->outputs[i] } }, label,
                 c->outputs[i].loc);
    }
}

static void add_all_edges(builder *b, const cp_config_node *nodes, size_t n)
{
    for (size_t id = 0; id < n; id++) {
        b->from = (int)id;
        const cp_config_node *nd = &nodes[id];
        if (nd->kind == CP_NODE_LOCAL)
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
        cp_loc loc = first->kind == CP_NODE_RESOURCE ? first->u.resource->loc
                     : first->kind == CP_NODE_LOCAL  ? first->u.local->loc
                     : first->kind == CP_NODE_OUTPUT ? first->u.output->loc
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
    size_t total = c->nvariables + c->nlocals + c->nresources + c->noutputs;
    cp_config_node *nodes = cp_xcalloc(total + 1, sizeof *nodes);
    builder b = { c, cp_graph_new(), -1 };
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
