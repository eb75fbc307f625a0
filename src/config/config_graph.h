/*
 * config_graph.h: the dependency graph of a stack.
 *
 * One node per variable ("var.NAME"), local ("local.NAME"), resource or
 * data source ("TYPE.NAME", "data.TYPE.NAME") and output ("output.NAME");
 * an edge for every reference and every depends_on entry. Each module
 * call has a node ("module.NAME": its count, for_each and depends_on) and
 * its module's variables, locals and outputs have nodes after its path
 * ("module.NAME.var.X", "module.NAME.output.Y"); a module's variable
 * depends on the input expression, everything in the module on the call,
 * and module.NAME.Y on that output (module.NAME alone: on all of them). Cycles are
 * reported as diagnostics naming the whole path with file:line per step.
 * Plan walks this graph to evaluate in order; `cpstack graph` prints it.
 */
#ifndef CP_CONFIG_CONFIG_GRAPH_H
#define CP_CONFIG_CONFIG_GRAPH_H

#include "config/config.h"
#include "graph/graph.h"

typedef enum cp_config_node_kind {
    CP_NODE_VARIABLE,
    CP_NODE_LOCAL,
    CP_NODE_RESOURCE, /* managed resources and data sources */
    CP_NODE_OUTPUT,
    CP_NODE_MODULE /* a module call */
} cp_config_node_kind;

typedef struct cp_config_node {
    cp_config_node_kind kind;
    union {
        const cp_config_variable *variable;
        const cp_config_local *local;
        const cp_config_resource *resource;
        const cp_config_output *output;
        const cp_config_module *module;
    } u;
    const cp_config_module *in; /* the module call the node belongs to; NULL: root */
} cp_config_node;

/* Build the graph. *nodes (malloc'd) has one entry per node id; each
 * node's user pointer points into it. Returns NULL (and reports every
 * cycle to d) when the stack has a dependency cycle. */
cp_graph *cp_config_graph(const cp_config *c, cp_config_node **nodes, cp_diags *d);

#endif
