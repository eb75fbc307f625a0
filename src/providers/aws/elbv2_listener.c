/*
 * elbv2_listener.c: aws_lb_listener — a listener on a load balancer (id =
 * its ARN): HTTP, or HTTPS with a certificate, and default actions that
 * forward to a target group, answer with a fixed response or redirect.
 * Everything but the load balancer changes in place (ModifyListener).
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/elbv2_common.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *validate_port(const cp_value *v)
{
    double n = cp_number_val(v);
    return n >= 1 && n <= 65535 ? NULL : "port is 1 to 65535";
}

static const char *validate_protocol(const cp_value *v)
{
    static const char *const ok[] = { "HTTP", "HTTPS",   "TCP",    "TLS",
                                      "UDP",  "TCP_UDP", "GENEVE", NULL };
    for (const char *const *p = ok; *p; p++)
        if (!strcmp(*p, cp_string_val(v))) return NULL;
    return "protocol is HTTP or HTTPS (application), or TCP, TLS, UDP, TCP_UDP (network)";
}

static const cp_schema_attr attrs[] = {
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the listener." },
    { .name = "load_balancer_arn",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .description = "ARN of the load balancer (an `aws_lb`'s `arn`)." },
    { .name = "port",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .validate = validate_port,
      .description = "Port the load balancer listens on." },
    { .name = "protocol",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .validate = validate_protocol,
      .description = "Protocol of the listener: HTTP, HTTPS, TCP, TLS, UDP or TCP_UDP." },
    { .name = "certificate_arn",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "For HTTPS and TLS: ARN of the default certificate." },
    { .name = "ssl_policy",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "For HTTPS and TLS: name of the security policy." },
    { .name = "default_action",
      .type = CP_AT_BLOCKS,
      .flags = CP_REQUIRED,
      .block = elbv2_action_attrs,
      .description = "What to do with requests no rule matches." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the listener." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the listener." },
    { NULL },
};

static const char *const listener_gone[] = { "ListenerNotFound", NULL };

static void listener_fill(cp_value *s, xmlNodePtr l)
{
    char *arn = aws_xml_text(l, "ListenerArn"), *port = aws_xml_text(l, "Port");
    cp_set_str(s, "id", arn);
    cp_set_str(s, "arn", arn);
    cp_set_xml(s, "load_balancer_arn", l, "LoadBalancerArn");
    if (port) cp_set_num(s, "port", strtod(port, NULL));
    cp_set_xml(s, "protocol", l, "Protocol");
    cp_set_xml(s, "certificate_arn", l, "Certificates/member/CertificateArn");
    cp_set_xml(s, "ssl_policy", l, "SslPolicy");
    cp_set_take(s, "default_action", elbv2_actions_read(aws_xml_find(l, "DefaultActions")));
    free(arn);
    free(port);
}

static int listener_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    xmlDocPtr doc;
    int rc = elbv2_call1(c, "DescribeListeners", "ListenerArns.member.1", cp_get_str(state, "id"),
                         listener_gone, &doc);
    if (rc != 0) return rc < 0 ? -1 : 0;
    xmlNodePtr l = aws_xml_find(aws_xml_root(doc), "DescribeListenersResult/Listeners/member");
    cp_value *s = l ? cp_state_complete(attrs, state) : NULL;
    if (l) listener_fill(s, l);
    xmlFreeDoc(doc);
    if (!s) return 0;
    return elbv2_read_done_take(c, s, state, out);
}

/* ---- batch refresh ---------------------------------------------------------------------
 * DescribeListeners of 20 ARNs a call and DescribeTags of 20 (elbv2_common.h): n
 * listeners cost 2 calls per 20 instead of 2n. When one is gone AWS refuses the whole
 * call, and listeners cannot be listed without their load balancer: that chunk is read
 * one by one. */
static void listener_fill_batch(cp_value *s, xmlNodePtr l, const cp_value *prev)
{
    (void)prev;
    listener_fill(s, l);
}

static int listener_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                               cp_value **out)
{
    static const elbv2_many m = {
        "DescribeListeners", "ListenerArns.member", "DescribeListenersResult/Listeners/member",
        "ListenerArn",       listener_gone,         attrs,
        listener_fill_batch, listener_read,         true
    };
    if (elbv2_describe_many(c, &m, states, n, out) != 0) return -1;
    return elbv2_tags_many(c, states, n, out);
}

/* Port, protocol, certificate, policy and actions: the shared part of
 * CreateListener and ModifyListener. */
static void listener_params(aws_params *p, const cp_value *config)
{
    const cp_value *port = cp_map_get(config, "port");
    if (port && cp_kind_of(port) == CP_NUMBER) {
        char n[32];
        snprintf(n, sizeof n, "%.0f", cp_number_val(port));
        aws_params_add(p, "Port", n);
    }
    if (cp_get_str(config, "protocol"))
        aws_params_add(p, "Protocol", cp_get_str(config, "protocol"));
    if (cp_get_str(config, "ssl_policy"))
        aws_params_add(p, "SslPolicy", cp_get_str(config, "ssl_policy"));
    if (cp_get_str(config, "certificate_arn"))
        aws_params_add(p, "Certificates.member.1.CertificateArn",
                       cp_get_str(config, "certificate_arn"));
    elbv2_actions_params(p, "DefaultActions", cp_get_list(config, "default_action"));
}

/* validate_config (and again at create / update): the actions' shape, and
 * a certificate for HTTPS and TLS. */
static char *listener_validate_config(const cp_value *config)
{
    const char *why = elbv2_validate_actions(cp_prov_field(config, "default_action"));
    if (why) return cp_xasprintf("invalid default_action: %s", why);
    const char *proto = cp_get_str(config, "protocol");
    if (proto && (!strcmp(proto, "HTTPS") || !strcmp(proto, "TLS")) &&
        cp_prov_presence(config, "certificate_arn") == 0)
        return cp_xasprintf("a %s listener needs certificate_arn (an ACM certificate's ARN)",
                            proto);
    return NULL;
}

static int listener_check(cp_provider_call *c, const cp_value *config)
{
    return cp_prov_check_config(c, listener_validate_config, config);
}

static int listener_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    if (listener_check(c, config) != 0) return -1;
    aws_params *p = aws_params_new();
    aws_params_add(p, "LoadBalancerArn", cp_get_str(config, "load_balancer_arn"));
    listener_params(p, config);
    cp_aws_tags_params(p, "Tags.member", cp_get_map(config, "tags"));
    xmlDocPtr doc;
    aws_set_no_resend(true); /* sent once: a lost answer is looked up (find) */
    int rc = elbv2_call(c, "CreateListener", p, NULL, &doc);
    aws_set_no_resend(false);
    aws_params_free(p);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_xml(s, "id", aws_xml_root(doc), "CreateListenerResult/Listeners/member/ListenerArn");
    xmlFreeDoc(doc);
    return cp_aws_finish_take(c, 0, listener_read, s, "the listener", state);
}

static int listener_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                           cp_value **state)
{
    const char *arn = cp_get_str(old, "id");
    if (listener_check(c, config) != 0) return -1;
    aws_params *p = aws_params_new();
    aws_params_add(p, "ListenerArn", arn);
    listener_params(p, config);
    int rc = elbv2_call(c, "ModifyListener", p, NULL, NULL);
    aws_params_free(p);
    if (rc == 0 && cp_changed(old, config, "tags"))
        rc = elbv2_update_tags(c, arn, cp_get_map(old, "tags"), cp_get_map(config, "tags"));
    if (rc != 0) return -1;
    return cp_aws_reread(c, listener_read, attrs, config, arn, state);
}

static int listener_delete(cp_provider_call *c, const cp_value *state)
{
    int rc = elbv2_call1(c, "DeleteListener", "ListenerArn", cp_get_str(state, "id"), listener_gone,
                         NULL);
    return rc < 0 ? -1 : 0;
}

static int listener_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, listener_read, id, state);
}

/* An interrupted create is found by its port on its load balancer (one listener a port). */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    static const char *const gone[] = { "LoadBalancerNotFound", NULL };
    static const elbv2_lookup l = { "DescribeListeners",
                                    "LoadBalancerArn",
                                    "DescribeListenersResult/Listeners/member",
                                    "ListenerArn",
                                    gone,
                                    "Port" };
    char port[32];
    const cp_value *n = cp_map_get(intent, "port");
    bool has = n && cp_kind_of(n) == CP_NUMBER;
    if (has) snprintf(port, sizeof port, "%.0f", cp_number_val(n));
    return elbv2_find(c, &l, cp_get_str(intent, "load_balancer_arn"), has ? port : NULL,
                      listener_read, intent, state);
}

const cp_resource_type cp_aws_lb_listener = {
    .name = "aws_lb_listener",
    .description = "A load balancer listener with its default actions (import by ARN).",
    .attrs = attrs,
    .create = listener_create,
    .read = listener_read,
    .read_batch = listener_read_batch,
    .update = listener_update,
    .delete = listener_delete,
    .import = listener_import,
    .validate_config = listener_validate_config,
    .recovery = CP_RECOVER_ID,
    .find = rec_find,
};
