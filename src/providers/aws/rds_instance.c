/*
 * rds_instance.c: aws_db_instance — an RDS database instance (id = its
 * identifier). Create and every modification wait until the instance is
 * "available" again (with progress); delete takes a final snapshot unless
 * skip_final_snapshot and waits until the instance is gone.
 *
 * The master password is sensitive: it goes to AWS in the request body
 * only, is never read back (state keeps what the config gave) and never
 * appears in any message this file writes.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/batch.h"
#include "providers/aws/rds_common.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

enum { CREATE_TIMEOUT_S = 2400, MODIFY_TIMEOUT_S = 4800, DELETE_TIMEOUT_S = 3600 };

/* RDS identifiers (instances, final snapshots): 1-63 of a-z 0-9 '-', a
 * letter first, no "--" and no '-' at the end. */
static const char *validate_identifier(const cp_value *v)
{
    static const char *rule =
        "identifiers are 1 to 63 lower-case letters, digits and hyphens, starting with "
        "a letter, without \"--\" or a trailing hyphen";
    const char *s = cp_string_val(v);
    size_t n = strlen(s);
    if (n < 1 || n > 63 || !islower((unsigned char)s[0]) || s[n - 1] == '-' || strstr(s, "--"))
        return rule;
    for (; *s; s++)
        if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-') return rule;
    return NULL;
}

static const char *validate_password(const cp_value *v)
{
    size_t n = cp_string_len(v);
    if (n < 8 || n > 128) return "password is 8 to 128 characters";
    return strpbrk(cp_string_val(v), "/\"@ ") ? "password may not contain '/', '\"', '@' or spaces"
                                              : NULL;
}

static const char *validate_storage(const cp_value *v)
{
    double n = cp_number_val(v);
    return n >= 5 && n <= 65536 ? NULL : "allocated_storage is 5 to 65536 GiB (20 or more for gp2)";
}

static const char *validate_retention(const cp_value *v)
{
    double n = cp_number_val(v);
    return n >= 0 && n <= 35 ? NULL : "backup_retention_period is 0 to 35 days";
}

static const cp_schema_attr attrs[] = {
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Identifier of the instance." },
    { .name = "identifier",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .validate = validate_identifier,
      .description =
          "Identifier of the instance (lower case). Default: cpstack- and a random suffix, made up at apply." },
    { .name = "engine",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .description = "Database engine, e.g. postgres, mysql or mariadb." },
    { .name = "engine_version",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .description = "Version of the engine. Default: the engine's default." },
    { .name = "instance_class",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED,
      .description = "Instance class, e.g. `db.t3.micro`." },
    { .name = "allocated_storage",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .validate = validate_storage,
      .description = "Storage in GiB." },
    { .name = "db_name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "Name of the database created with the instance." },
    { .name = "username",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_FORCE_NEW,
      .description = "Name of the master user." },
    { .name = "password",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_SENSITIVE,
      .validate = validate_password,
      .description = "Password of the master user (sensitive)." },
    { .name = "db_subnet_group_name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .description = "Name of the DB subnet group (an `aws_db_subnet_group`'s `name`)." },
    { .name = "vpc_security_group_ids",
      .type = CP_AT_LIST,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_UNORDERED,
      .description = "Ids of the VPC security groups of the instance." },
    { .name = "publicly_accessible",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description = "Whether the instance is reachable from the internet. Default false." },
    { .name = "multi_az",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description = "Whether a standby runs in another availability zone. Default false." },
    { .name = "skip_final_snapshot",
      .type = CP_AT_BOOL,
      .flags = CP_OPTIONAL,
      .default_json = "false",
      .description = "On delete, take no final snapshot." },
    { .name = "final_snapshot_identifier",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .validate = validate_identifier,
      .description = "On delete, the name of the final snapshot." },
    { .name = "backup_retention_period",
      .type = CP_AT_NUMBER,
      .flags = CP_OPTIONAL | CP_COMPUTED,
      .validate = validate_retention,
      .description = "Days to keep automated backups (0: none)." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the instance." },
    { .name = "address",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Host name of the instance." },
    { .name = "port",
      .type = CP_AT_NUMBER,
      .flags = CP_COMPUTED,
      .description = "Port of the instance." },
    { .name = "endpoint",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Endpoint of the instance: `address:port`." },
    { .name = "arn",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "ARN of the instance." },
    { NULL },
};

static const char *const db_gone[] = { "DBInstanceNotFound", "DBInstanceNotFoundFault", NULL };

/* ---- reading ------------------------------------------------------------------------ */

static int db_describe(cp_provider_call *c, const char *id, xmlDocPtr *doc, xmlNodePtr *db)
{
    aws_params *p = aws_params_new();
    aws_params_add(p, "DBInstanceIdentifier", id);
    int rc = rds_call(c, "DescribeDBInstances", p, db_gone, doc);
    aws_params_free(p);
    if (rc != 0) return rc;
    *db = aws_xml_find(aws_xml_root(*doc), "DescribeDBInstancesResult/DBInstances/DBInstance");
    if (*db) return 0;
    xmlFreeDoc(*doc);
    return 1;
}

static void db_fill(cp_value *s, xmlNodePtr db, const cp_value *prev)
{
    cp_set_xml(s, "id", db, "DBInstanceIdentifier");
    cp_set_xml(s, "identifier", db, "DBInstanceIdentifier");
    cp_set_xml(s, "engine", db, "Engine");
    cp_set_xml(s, "engine_version", db, "EngineVersion");
    cp_set_xml(s, "instance_class", db, "DBInstanceClass");
    cp_set_xml_num(s, "allocated_storage", db, "AllocatedStorage", 0);
    cp_set_xml(s, "db_name", db, "DBName");
    cp_set_xml(s, "username", db, "MasterUsername");
    cp_set_xml(s, "db_subnet_group_name", db, "DBSubnetGroup/DBSubnetGroupName");
    cp_set_take(s, "vpc_security_group_ids",
                cp_aws_xml_strings(db, "VpcSecurityGroups/VpcSecurityGroupMembership",
                                   "VpcSecurityGroupId"));
    cp_set_xml_bool(s, "publicly_accessible", db, "PubliclyAccessible", false);
    cp_set_xml_bool(s, "multi_az", db, "MultiAZ", false);
    cp_set_xml_num(s, "backup_retention_period", db, "BackupRetentionPeriod", 0);
    cp_set_xml(s, "arn", db, "DBInstanceArn");
    cp_set_xml(s, "address", db, "Endpoint/Address");
    char *port = aws_xml_text(db, "Endpoint/Port");
    if (port) cp_set_num(s, "port", strtod(port, NULL));
    const char *addr = cp_get_str(s, "address");
    cp_set_take(s, "endpoint", addr && port ? cp_stringf("%s:%s", addr, port) : cp_null());
    free(port);
    /* never read back: kept from the previous state */
    const cp_value *pw = cp_map_get(prev, "password");
    cp_set_take(s, "password", pw ? cp_retain(pw) : cp_null());
    cp_set_bool(s, "skip_final_snapshot", cp_get_bool(prev, "skip_final_snapshot", false));
    cp_set_str(s, "final_snapshot_identifier", cp_get_str(prev, "final_snapshot_identifier"));
}

static int db_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    *out = NULL;
    xmlDocPtr doc;
    xmlNodePtr db;
    int rc = db_describe(c, cp_get_str(state, "id"), &doc, &db);
    if (rc != 0) return rc < 0 ? -1 : 0;
    cp_value *s = cp_state_complete(attrs, state);
    db_fill(s, db, state);
    xmlFreeDoc(doc);
    cp_value *tags = rds_read_tags(c, cp_get_str(s, "arn"), cp_map_get(state, "tags"));
    if (!tags) {
        cp_release(s);
        return -1;
    }
    cp_set_take(s, "tags", tags);
    *out = s;
    return 0;
}

/* ---- batch refresh ---------------------------------------------------------------------
 * DescribeDBInstances with the filter db-instance-id naming up to 100 instances a call
 * (pages followed); its answer carries each instance's TagList, so no tag call is needed.
 * An instance it leaves out is gone, as for read(). */
#define DBS_PER_CALL 100

static int db_chunk(cp_provider_call *c, const cp_value *const *states, size_t n, cp_value **out)
{
    char *marker = NULL;
    do {
        aws_params *p = aws_params_new();
        aws_params_add(p, "Filters.Filter.1.Name", "db-instance-id");
        for (size_t i = 0, k = 0; i < n; i++) {
            if (!cp_get_str(states[i], "id")) continue;
            char key[64];
            snprintf(key, sizeof key, "Filters.Filter.1.Values.Value.%zu", ++k);
            aws_params_add(p, key, cp_get_str(states[i], "id"));
        }
        aws_params_add(p, "MaxRecords", "100");
        if (marker) aws_params_add(p, "Marker", marker);
        free(marker);
        marker = NULL;
        xmlDocPtr doc;
        int rc = rds_call(c, "DescribeDBInstances", p, NULL, &doc);
        aws_params_free(p);
        if (rc != 0) return -1;
        xmlNodePtr root = aws_xml_root(doc);
        for (xmlNodePtr db = aws_xml_find(root, "DescribeDBInstancesResult/DBInstances/DBInstance");
             db; db = aws_xml_next(db)) {
            char *id = aws_xml_text(db, "DBInstanceIdentifier");
            for (size_t i = 0; id && i < n; i++) {
                if (out[i] || !cp_get_str(states[i], "id") ||
                    strcmp(cp_get_str(states[i], "id"), id))
                    continue;
                out[i] = cp_state_complete(attrs, states[i]);
                db_fill(out[i], db, states[i]);
                cp_value *t = cp_aws_tags_from_xml(aws_xml_find(db, "TagList"), "Tag");
                cp_set_take(out[i], "tags", cp_tags_keep_take(t, cp_map_get(states[i], "tags")));
            }
            free(id);
        }
        marker = aws_xml_text(root, "DescribeDBInstancesResult/Marker");
        if (marker && !*marker) {
            free(marker);
            marker = NULL;
        }
        xmlFreeDoc(doc);
    } while (marker);
    return 0;
}

static int db_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                         cp_value **out)
{
    for (size_t i = 0; i < n; i++) out[i] = NULL;
    for (size_t k = 0; k < n; k += DBS_PER_CALL)
        if (db_chunk(c, states + k, n - k < DBS_PER_CALL ? n - k : DBS_PER_CALL, out + k) != 0)
            return cp_aws_batch_fail(out, n);
    return 0;
}

/* ---- waiting ------------------------------------------------------------------------- */

typedef struct db_wait {
    const char *id;
    bool deleting;
} db_wait;

static int db_check(cp_provider_call *c, void *ud, bool *done)
{
    const db_wait *w = ud;
    xmlDocPtr doc;
    xmlNodePtr db;
    int rc = db_describe(c, w->id, &doc, &db);
    if (rc < 0) return -1;
    if (rc == 1) {
        *done = w->deleting;
        return w->deleting ? 0
                           : cp_fail(c,
                                     "%s: DB instance %s disappeared while waiting for it; check "
                                     "the RDS console and run apply again",
                                     c->address, w->id);
    }
    char *st = aws_xml_text(db, "DBInstanceStatus");
    xmlFreeDoc(doc);
    *done = !w->deleting && st && !strcmp(st, "available");
    rc = 0;
    if (!w->deleting && st &&
        (!strcmp(st, "failed") || !strcmp(st, "incompatible-parameters") ||
         !strcmp(st, "incompatible-network") || !strcmp(st, "storage-full")))
        rc = cp_fail(c, "%s: DB instance %s is in state \"%s\"; see its events in the RDS console",
                     c->address, w->id, st);
    free(st);
    return rc;
}

static int db_wait_for(cp_provider_call *c, const char *id, bool deleting, int timeout_s)
{
    db_wait w = { id, deleting };
    char *what = cp_xasprintf("DB instance %s to be %s", id, deleting ? "deleted" : "available");
    int rc = cp_aws_wait(c, what, timeout_s, 10000, db_check, &w);
    free(what);
    return rc;
}

/* ---- writing ------------------------------------------------------------------------- */

static void num_param(aws_params *p, const char *key, const cp_value *config, const char *attr)
{
    const cp_value *v = cp_map_get(config, attr);
    if (!v || cp_kind_of(v) != CP_NUMBER) return;
    char n[32];
    snprintf(n, sizeof n, "%.0f", cp_number_val(v));
    aws_params_add(p, key, n);
}

static void str_param(aws_params *p, const char *key, const cp_value *config, const char *attr)
{
    if (cp_get_str(config, attr)) aws_params_add(p, key, cp_get_str(config, attr));
}

static void bool_param(aws_params *p, const char *key, const cp_value *config, const char *attr)
{
    aws_params_add(p, key, cp_get_bool(config, attr, false) ? "true" : "false");
}

static int db_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *id = cp_get_str(config, "identifier");
    aws_params *p = aws_params_new();
    aws_params_add(p, "DBInstanceIdentifier", id);
    str_param(p, "Engine", config, "engine");
    str_param(p, "EngineVersion", config, "engine_version");
    str_param(p, "DBInstanceClass", config, "instance_class");
    num_param(p, "AllocatedStorage", config, "allocated_storage");
    str_param(p, "DBName", config, "db_name");
    str_param(p, "MasterUsername", config, "username");
    str_param(p, "MasterUserPassword", config, "password");
    str_param(p, "DBSubnetGroupName", config, "db_subnet_group_name");
    cp_aws_list_params(p, "VpcSecurityGroupIds.VpcSecurityGroupId",
                       cp_get_list(config, "vpc_security_group_ids"));
    bool_param(p, "PubliclyAccessible", config, "publicly_accessible");
    bool_param(p, "MultiAZ", config, "multi_az");
    num_param(p, "BackupRetentionPeriod", config, "backup_retention_period");
    cp_aws_tags_params(p, "Tags.Tag", cp_get_map(config, "tags"));
    aws_set_no_resend(true); /* sent once: a lost answer is looked up (find) */
    int rc = rds_call(c, "CreateDBInstance", p, NULL, NULL);
    aws_set_no_resend(false);
    aws_params_free(p);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", id);
    rc = db_wait_for(c, id, false, CREATE_TIMEOUT_S);
    return cp_aws_finish_take(c, rc, db_read, s, "the DB instance", state);
}

/* ModifyDBInstance with only what changed; *any = false when nothing did. */
static aws_params *modify_params(const cp_value *old, const cp_value *config, bool *any)
{
    static const char *const strs[][2] = { { "instance_class", "DBInstanceClass" },
                                           { "engine_version", "EngineVersion" },
                                           { "password", "MasterUserPassword" } };
    static const char *const nums[][2] = { { "allocated_storage", "AllocatedStorage" },
                                           { "backup_retention_period", "BackupRetentionPeriod" } };
    static const char *const bools[][2] = { { "publicly_accessible", "PubliclyAccessible" },
                                            { "multi_az", "MultiAZ" } };
    aws_params *p = aws_params_new();
    aws_params_add(p, "DBInstanceIdentifier", cp_get_str(old, "id"));
    aws_params_add(p, "ApplyImmediately", "true");
    *any = false;
    for (size_t i = 0; i < 3; i++)
        if (cp_get_str(config, strs[i][0]) && cp_changed(old, config, strs[i][0]))
            *any = true, str_param(p, strs[i][1], config, strs[i][0]);
    for (size_t i = 0; i < 2; i++)
        if (cp_get_num(config, nums[i][0], -1) >= 0 && cp_changed(old, config, nums[i][0]))
            *any = true, num_param(p, nums[i][1], config, nums[i][0]);
    for (size_t i = 0; i < 2; i++)
        if (cp_changed(old, config, bools[i][0]))
            *any = true, bool_param(p, bools[i][1], config, bools[i][0]);
    const cp_value *sgs = cp_get_list(config, "vpc_security_group_ids");
    if (sgs && cp_changed(old, config, "vpc_security_group_ids")) {
        *any = true;
        cp_aws_list_params(p, "VpcSecurityGroupIds.VpcSecurityGroupId", sgs);
    }
    return p;
}

static int db_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                     cp_value **state)
{
    const char *id = cp_get_str(old, "id");
    bool any;
    aws_params *p = modify_params(old, config, &any);
    int rc = any ? rds_call(c, "ModifyDBInstance", p, NULL, NULL) : 0;
    aws_params_free(p);
    if (rc == 0 && any) rc = db_wait_for(c, id, false, MODIFY_TIMEOUT_S);
    if (rc == 0 && cp_changed(old, config, "tags"))
        rc = rds_update_tags(c, cp_get_str(old, "arn"), cp_get_map(old, "tags"),
                             cp_get_map(config, "tags"));
    if (rc != 0) return -1;
    return cp_aws_reread(c, db_read, attrs, config, id, state);
}

static int db_delete(cp_provider_call *c, const cp_value *state)
{
    const char *id = cp_get_str(state, "id");
    bool skip = cp_get_bool(state, "skip_final_snapshot", false);
    const char *snap = cp_get_str(state, "final_snapshot_identifier");
    if (!skip && !snap)
        return cp_fail(
            c,
            "%s: deleting DB instance %s needs a final snapshot name: set "
            "final_snapshot_identifier, or skip_final_snapshot = true, and apply before destroying",
            c->address, id);
    aws_params *p = aws_params_new();
    aws_params_add(p, "DBInstanceIdentifier", id);
    aws_params_add(p, "SkipFinalSnapshot", skip ? "true" : "false");
    if (!skip) aws_params_add(p, "FinalDBSnapshotIdentifier", snap);
    xmlDocPtr doc = NULL;
    aws_error err = { 0 };
    int rc = aws_query_call(cp_aws_client(c), "rds", "DeleteDBInstance", p, &doc, &err);
    xmlFreeDoc(doc);
    aws_params_free(p);
    if (rc != 0 && cp_aws_error_in(&err, db_gone)) {
        aws_error_clear(&err);
        return 0;
    }
    /* A repeat of a delete whose answer was lost, or a destroy run again
     * while it goes on, is refused "is already being deleted": wait for it,
     * as Terraform does. */
    if (rc != 0 && !(aws_error_is(&err, "InvalidDBInstanceState") && err.message &&
                     strstr(err.message, "already being deleted")))
        return cp_aws_fail(c, &err, "DeleteDBInstance");
    aws_error_clear(&err);
    return db_wait_for(c, id, true, DELETE_TIMEOUT_S);
}

static int db_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, db_read, id, state);
}

/* validate_config: deleting the instance takes a final snapshot unless
 * skip_final_snapshot, and that needs a name. db_delete checks the same on
 * the state (Terraform only does there); telling at plan is kinder. */
static char *db_validate_config(const cp_value *config)
{
    const cp_value *skip = cp_prov_field(config, "skip_final_snapshot");
    if ((skip && cp_is_unknown(skip)) || cp_get_bool(config, "skip_final_snapshot", false))
        return NULL;
    if (cp_prov_presence(config, "final_snapshot_identifier") != 0) return NULL;
    return cp_xstrdup(
        "final_snapshot_identifier is required when skip_final_snapshot is false (the default), "
        "or the instance cannot be destroyed: set final_snapshot_identifier, or skip_final_snapshot = true");
}

/* An interrupted create is found by its identifier, read as its id. */
static int rec_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, db_read, intent, "identifier", state);
}

const cp_resource_type cp_aws_db_instance = {
    .name = "aws_db_instance",
    .description =
        "An RDS database instance; waits until available (import by identifier)."
        " Deliberate differences from the Terraform AWS provider: an identifier left out is made "
        "up as cpstack- and a random suffix (Terraform's start terraform-); plan, not destroy, "
        "reports a missing final_snapshot_identifier while skip_final_snapshot is false; port is "
        "the engine's default, read back, not an argument (Terraform takes one).",
    .attrs = attrs,
    .create = db_create,
    .read = db_read,
    .read_batch = db_read_batch,
    .update = db_update,
    .delete = db_delete,
    .import = db_import,
    .validate_config = db_validate_config,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "identifier",
    .find = rec_find,
};
