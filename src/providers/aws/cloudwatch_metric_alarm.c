/*
 * cloudwatch_metric_alarm.c: aws_cloudwatch_metric_alarm — an alarm on one
 * CloudWatch metric (id = alarm name). Its actions may be SNS topics or the
 * EC2 actions arn:aws:automate:<region>:ec2:stop / terminate / reboot /
 * recover. PutMetricAlarm both creates and replaces the whole alarm, so an
 * update is the same call again; tags change through TagResource /
 * UntagResource (PutMetricAlarm ignores tags on an existing alarm).
 */
#include "providers/aws/aws_common.h"
#include "providers/aws/aws_types.h"
#include "providers/aws/batch.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool one_of(const char *s, const char *const *allowed)
{
    for (; *allowed; allowed++)
        if (!strcmp(s, *allowed)) return true;
    return false;
}

static const char *validate_comparison(const cp_value *v)
{
    static const char *const ok[] = { "GreaterThanOrEqualToThreshold",
                                      "GreaterThanThreshold",
                                      "LessThanThreshold",
                                      "LessThanOrEqualToThreshold",
                                      "LessThanLowerOrGreaterThanUpperThreshold",
                                      "LessThanLowerThreshold",
                                      "GreaterThanUpperThreshold",
                                      NULL };
    return one_of(cp_string_val(v), ok)
               ? NULL
               : "comparison_operator is GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold "
                 "or LessThanOrEqualToThreshold (or an anomaly-band operator)";
}

static const char *validate_statistic(const cp_value *v)
{
    static const char *const ok[] = { "SampleCount", "Average", "Sum", "Minimum", "Maximum", NULL };
    return one_of(cp_string_val(v), ok)
               ? NULL
               : "statistic is SampleCount, Average, Sum, Minimum or Maximum";
}

static const char *validate_missing(const cp_value *v)
{
    static const char *const ok[] = { "missing", "ignore", "breaching", "notBreaching", NULL };
    return one_of(cp_string_val(v), ok)
               ? NULL
               : "treat_missing_data is missing, ignore, breaching or notBreaching";
}

static const char *validate_period(const cp_value *v)
{
    double n = cp_number_val(v);
    return (n == 10 || n == 20 || n == 30 || (n >= 60 && (long)n % 60 == 0)) && n == (long)n
               ? NULL
               : "period is 10, 20, 30 or a multiple of 60 seconds";
}

static const char *validate_positive(const cp_value *v)
{
    double n = cp_number_val(v);
    return n >= 1 && n == (long)n ? NULL : "must be a whole number, at least 1";
}

static const char *validate_name(const cp_value *v)
{
    size_t n = cp_string_len(v);
    return n >= 1 && n <= 255 ? NULL : "alarm_name is 1 to 255 characters";
}

#define ACTIONS(n, what)                                                                           \
    {                                                                                              \
        .name = n, .type = CP_AT_LIST, .elem = CP_AT_STRING, .flags = CP_OPTIONAL,                 \
        .description =                                                                             \
            "ARNs to notify " what " (SNS topics, `arn:aws:automate:<region>:ec2:stop` …)."      \
    }

static const cp_schema_attr attrs[] = {
    { .name = "alarm_name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = validate_name,
      .description = "Name of the alarm, unique in the region." },
    { .name = "comparison_operator",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = validate_comparison,
      .description =
          "How the statistic compares with the threshold, e.g. `GreaterThanThreshold`." },
    { .name = "evaluation_periods",
      .type = CP_AT_NUMBER,
      .flags = CP_REQUIRED,
      .validate = validate_positive,
      .description = "Number of periods over which data is compared with the threshold." },
    { .name = "metric_name",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description = "Name of the metric, e.g. `CPUUtilization`." },
    { .name = "namespace",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description = "Namespace of the metric, e.g. `AWS/EC2`." },
    { .name = "period",
      .type = CP_AT_NUMBER,
      .flags = CP_REQUIRED,
      .validate = validate_period,
      .description = "Length of a period in seconds." },
    { .name = "statistic",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .validate = validate_statistic,
      .description = "Statistic of the metric: Average, Sum, Minimum, Maximum or SampleCount." },
    { .name = "threshold",
      .type = CP_AT_NUMBER,
      .flags = CP_REQUIRED,
      .description = "Value the statistic is compared with." },
    { .name = "alarm_description",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Description of the alarm." },
    { .name = "actions_enabled",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "true",
      .description = "Whether the actions run when the alarm changes state. Default true." },
    ACTIONS("alarm_actions", "on ALARM"),
    ACTIONS("ok_actions", "on OK"),
    ACTIONS("insufficient_data_actions", "on INSUFFICIENT_DATA"),
    { .name = "dimensions",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Dimensions of the metric, e.g. `{ InstanceId = aws_instance.web.id }`." },
    { .name = "treat_missing_data",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .default_json = "\"missing\"",
      .validate = validate_missing,
      .description = "How missing data points count: missing, ignore, breaching or notBreaching." },
    { .name = "datapoints_to_alarm",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL,
      .validate = validate_positive,
      .description =
          "Number of breaching data points (of evaluation_periods) that trigger the alarm." },
    { .name = "unit",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Unit of the metric." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the alarm." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Name of the alarm." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the alarm." },
    { NULL },
};

static const char *const gone[] = { "ResourceNotFound", "ResourceNotFoundException", NULL };

/* --- read ---------------------------------------------------------------------------- */

static cp_value *members(xmlNodePtr from, const char *path)
{
    cp_value *l = cp_list_new();
    for (xmlNodePtr m = aws_xml_find(from, path); m; m = aws_xml_next(m)) {
        xmlChar *x = xmlNodeGetContent(m);
        cp_list_push_take(l, cp_string(x ? (const char *)x : ""));
        xmlFree(x);
    }
    return l;
}

/* A list or map as state keeps it: an empty one stays null when prev was null. */
static void set_or_null_take(cp_value *s, const char *key, cp_value *l, const cp_value *prev)
{
    const cp_value *p = cp_map_get(prev, key);
    if (cp_len(l) == 0 && (!p || cp_is_null(p))) {
        cp_release(l);
        l = cp_null();
    }
    cp_set_take(s, key, l);
}

static cp_value *dimensions(xmlNodePtr a)
{
    cp_value *m = cp_map_new();
    for (xmlNodePtr d = aws_xml_find(a, "Dimensions/member"); d; d = aws_xml_next(d)) {
        char *k = aws_xml_text(d, "Name"), *v = aws_xml_text(d, "Value");
        if (k) cp_set_str(m, k, v ? v : "");
        free(k);
        free(v);
    }
    return m;
}

static cp_value *read_tags(cp_provider_call *c, const char *arn, const cp_value *prev)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "ResourceARN", arn);
    xmlDocPtr doc;
    int rc = cp_aws_query(c, "cloudwatch", "ListTagsForResource", p, NULL, &doc);
    aws_params_free(p);
    if (rc != 0) return NULL;
    cp_value *t = cp_aws_tags_from_xml(
        aws_xml_find(aws_xml_root(doc), "ListTagsForResourceResult/Tags"), "member");
    xmlFreeDoc(doc);
    return cp_tags_keep_take(t, cp_map_get(prev, "tags"));
}

static cp_value *state_of(const cp_value *prev, xmlNodePtr a)
{
    cp_value *s = cp_state_complete(attrs, prev);
    cp_set_xml(s, "id", a, "AlarmName");
    cp_set_xml(s, "alarm_name", a, "AlarmName");
    cp_set_xml(s, "arn", a, "AlarmArn");
    cp_set_xml(s, "comparison_operator", a, "ComparisonOperator");
    cp_set_xml_num(s, "evaluation_periods", a, "EvaluationPeriods", 1);
    cp_set_xml(s, "metric_name", a, "MetricName");
    cp_set_xml(s, "namespace", a, "Namespace");
    cp_set_xml_num(s, "period", a, "Period", 60);
    cp_set_xml(s, "statistic", a, "Statistic");
    cp_set_xml_num(s, "threshold", a, "Threshold", 0);
    cp_set_xml(s, "alarm_description", a, "AlarmDescription");
    cp_set_xml_bool(s, "actions_enabled", a, "ActionsEnabled", true);
    cp_set_xml(s, "treat_missing_data", a, "TreatMissingData");
    if (cp_is_null(cp_map_get(s, "treat_missing_data")))
        cp_set_str(s, "treat_missing_data", "missing");
    cp_set_xml(s, "unit", a, "Unit");
    if (aws_xml_find(a, "DatapointsToAlarm"))
        cp_set_xml_num(s, "datapoints_to_alarm", a, "DatapointsToAlarm", 0);
    else
        cp_set_take(s, "datapoints_to_alarm", cp_null());
    set_or_null_take(s, "alarm_actions", members(a, "AlarmActions/member"), prev);
    set_or_null_take(s, "ok_actions", members(a, "OKActions/member"), prev);
    set_or_null_take(s, "insufficient_data_actions", members(a, "InsufficientDataActions/member"),
                     prev);
    cp_value *dims = dimensions(a);
    set_or_null_take(s, "dimensions", dims, prev);
    return s;
}

static int alarm_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    aws_params *p = aws_params_new();
    aws_params_add(p, "AlarmNames.member.1", cp_get_str(state, "id"));
    xmlDocPtr doc;
    int rc = cp_aws_query(c, "cloudwatch", "DescribeAlarms", p, NULL, &doc);
    aws_params_free(p);
    if (rc != 0) return -1;
    xmlNodePtr a = aws_xml_find(aws_xml_root(doc), "DescribeAlarmsResult/MetricAlarms/member");
    cp_value *s = a ? state_of(state, a) : NULL;
    xmlFreeDoc(doc);
    if (!s) return 0;
    cp_value *tags = read_tags(c, cp_get_str(s, "arn"), state);
    if (!tags) {
        cp_release(s);
        return -1;
    }
    cp_set_take(s, "tags", tags);
    *out = s;
    return 0;
}

/* --- batch refresh -------------------------------------------------------------------
 * DescribeAlarms with up to 100 AlarmNames a call (pages followed), matched back by
 * name; an alarm not in the answer is gone, as for read(). Tags: one Tagging API call,
 * ListTagsForResource only where it disagrees with the state (batch.h). */
#define ALARMS_PER_CALL 100

static int describe_chunk(cp_provider_call *c, const cp_value *const *states, size_t n,
                          cp_value **out)
{
    char *token = NULL;
    do {
        aws_params *p = aws_params_new();
        for (size_t i = 0; i < n; i++) {
            char key[40];
            snprintf(key, sizeof key, "AlarmNames.member.%zu", i + 1);
            aws_params_add(p, key, cp_get_str(states[i], "id") ? cp_get_str(states[i], "id") : "");
        }
        aws_params_add(p, "MaxRecords", "100");
        if (token) aws_params_add(p, "NextToken", token);
        free(token);
        token = NULL;
        xmlDocPtr doc;
        int rc = cp_aws_query(c, "cloudwatch", "DescribeAlarms", p, NULL, &doc);
        aws_params_free(p);
        if (rc != 0) return -1;
        xmlNodePtr root = aws_xml_root(doc);
        for (xmlNodePtr a = aws_xml_find(root, "DescribeAlarmsResult/MetricAlarms/member"); a;
             a = aws_xml_next(a)) {
            char *name = aws_xml_text(a, "AlarmName");
            for (size_t i = 0; name && i < n; i++)
                if (!out[i] && cp_get_str(states[i], "id") &&
                    !strcmp(cp_get_str(states[i], "id"), name))
                    out[i] = state_of(states[i], a);
            free(name);
        }
        token = aws_xml_text(root, "DescribeAlarmsResult/NextToken");
        if (token && !*token) {
            free(token);
            token = NULL;
        }
        xmlFreeDoc(doc);
    } while (token);
    return 0;
}

static int alarm_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                            cp_value **out)
{
    for (size_t i = 0; i < n; i++) out[i] = NULL;
    for (size_t k = 0; k < n; k += ALARMS_PER_CALL)
        if (describe_chunk(c, states + k, n - k < ALARMS_PER_CALL ? n - k : ALARMS_PER_CALL,
                           out + k) != 0)
            return cp_aws_batch_fail(out, n);
    return cp_aws_batch_tags(c, states, n, out, read_tags);
}

/* --- put (create and update) -------------------------------------------------------- */

static void add_num(aws_params *p, const char *key, double n)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.17g", n);
    aws_params_add(p, key, buf);
}

static aws_params *put_params(const cp_value *config)
{
    aws_params *p = aws_params_new();
    static const char *const strs[][2] = { { "alarm_name", "AlarmName" },
                                           { "comparison_operator", "ComparisonOperator" },
                                           { "metric_name", "MetricName" },
                                           { "namespace", "Namespace" },
                                           { "statistic", "Statistic" },
                                           { "alarm_description", "AlarmDescription" },
                                           { "treat_missing_data", "TreatMissingData" },
                                           { "unit", "Unit" } };
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        if (cp_get_str(config, strs[i][0]))
            aws_params_add(p, strs[i][1], cp_get_str(config, strs[i][0]));
    add_num(p, "EvaluationPeriods", cp_get_num(config, "evaluation_periods", 1));
    add_num(p, "Period", cp_get_num(config, "period", 60));
    add_num(p, "Threshold", cp_get_num(config, "threshold", 0));
    if (cp_get_num(config, "datapoints_to_alarm", 0) > 0)
        add_num(p, "DatapointsToAlarm", cp_get_num(config, "datapoints_to_alarm", 0));
    aws_params_add(p, "ActionsEnabled",
                   cp_get_bool(config, "actions_enabled", true) ? "true" : "false");
    cp_aws_list_params(p, "AlarmActions.member", cp_get_list(config, "alarm_actions"));
    cp_aws_list_params(p, "OKActions.member", cp_get_list(config, "ok_actions"));
    cp_aws_list_params(p, "InsufficientDataActions.member",
                       cp_get_list(config, "insufficient_data_actions"));
    const cp_value *dims = cp_get_map(config, "dimensions");
    for (size_t i = 0; dims && i < cp_len(dims); i++) {
        aws_params_addf(p, cp_map_key_at(dims, i), "Dimensions.member.%zu.Name", i + 1);
        aws_params_addf(p, cp_string_val(cp_map_value_at(dims, i)), "Dimensions.member.%zu.Value",
                        i + 1);
    }
    return p;
}

static int put_alarm(cp_provider_call *c, const cp_value *config, bool with_tags)
{
    aws_params *p = put_params(config);
    if (with_tags) cp_aws_tags_params(p, "Tags.member", cp_get_map(config, "tags"));
    int rc = cp_aws_query(c, "cloudwatch", "PutMetricAlarm", p, NULL, NULL);
    aws_params_free(p);
    return rc == 0 ? 0 : -1;
}

static int refreshed(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", cp_get_str(config, "alarm_name"));
    return cp_aws_finish_take(c, 0, alarm_read, s, "the alarm", state);
}

static int alarm_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    if (put_alarm(c, config, true) != 0) return -1;
    return refreshed(c, config, state);
}

static const cp_aws_query_tagging tagging = { "cloudwatch", "UntagResource", "TagResource",
                                              "ResourceARN", "Tags.member" };

static int alarm_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                        cp_value **state)
{
    if (put_alarm(c, config, false) != 0) return -1;
    if (cp_changed(old, config, "tags") &&
        cp_aws_query_tags_update(c, &tagging, cp_get_str(old, "arn"), cp_get_map(old, "tags"),
                                 cp_get_map(config, "tags")) != 0)
        return -1;
    return refreshed(c, config, state);
}

static int alarm_delete(cp_provider_call *c, const cp_value *state)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "AlarmNames.member.1", cp_get_str(state, "id"));
    int rc = cp_aws_query(c, "cloudwatch", "DeleteAlarms", p, gone, NULL);
    aws_params_free(p);
    return rc < 0 ? -1 : 0;
}

static int alarm_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, alarm_read, id, state);
}

/* An interrupted create is found by its alarm_name, read as its id. */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, alarm_read, intent, "alarm_name", state);
}

const cp_resource_type cp_aws_cloudwatch_metric_alarm = {
    .name = "aws_cloudwatch_metric_alarm",
    .description =
        "A CloudWatch alarm on a metric, notifying SNS or stopping/terminating EC2 "
        "(import by alarm name)."
        " Deliberate differences from the Terraform AWS provider: metric_name, namespace, period, "
        "statistic and threshold are required (metric_query and threshold_metric_id are not "
        "supported).",
    .attrs = attrs,
    .create = alarm_create,
    .read = alarm_read,
    .read_batch = alarm_read_batch,
    .update = alarm_update,
    .delete = alarm_delete,
    .import = alarm_import,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "alarm_name",
    .find = rec_find,
};
