/*
 * ec2_key_pair.c: aws_key_pair — an imported SSH public key (id = the key
 * name, as in Terraform). Name and key are force-new; tags change in place.
 */
#include "providers/aws/aws_types.h"
#include "providers/aws/ec2_common.h"

#include <stdlib.h>
#include <string.h>

static const char *validate_public_key(const cp_value *v)
{
    static const char *const kinds[] = { "ssh-rsa ", "ssh-ed25519 ", "ecdsa-sha2-", NULL };
    for (const char *const *k = kinds; *k; k++)
        if (!strncmp(cp_string_val(v), *k, strlen(*k))) return NULL;
    return "public_key is an OpenSSH public key line: \"ssh-rsa AAAA…\", \"ssh-ed25519 AAAA…\" "
           "or \"ecdsa-sha2-…\" (use file(\"~/.ssh/id_ed25519.pub\"))";
}

static const char *validate_key_name(const cp_value *v)
{
    size_t n = cp_string_len(v);
    return n >= 1 && n <= 255 ? NULL : "key_name is 1 to 255 characters";
}

static const cp_schema_attr attrs[] = {
    { .name = "key_name",
      .type = CP_AT_STRING,
      .flags = CP_OPTIONAL | CP_COMPUTED | CP_FORCE_NEW,
      .validate = validate_key_name,
      .description =
          "Name of the key pair: 1-255 characters. Default: cpstack- and a random suffix, made up at apply." },
    { .name = "public_key",
      .type = CP_AT_STRING,
      .flags = CP_REQUIRED | CP_FORCE_NEW,
      .validate = validate_public_key,
      .description =
          "OpenSSH public key line (ssh-rsa, ssh-ed25519 or ecdsa-sha2-…), e.g. file(\"~/.ssh/id_ed25519.pub\")." },
    { .name = "tags",
      .type = CP_AT_MAP,
      .elem = CP_AT_STRING,
      .flags = CP_OPTIONAL,
      .description = "Tags to assign to the key pair." },
    { .name = "id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Name of the key pair." },
    { .name = "fingerprint",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Fingerprint of the public key as EC2 computes it." },
    { .name = "key_pair_id",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "EC2's id of the key pair (key-…)." },
    { .name = "key_type",
      .type = CP_AT_STRING,
      .flags = CP_COMPUTED,
      .description = "Type of the key: rsa or ed25519." },
    { NULL },
};

static int key_fill(cp_provider_call *c, xmlNodePtr it, xmlNodePtr parent, const cp_value *prev,
                    cp_value **out)
{
    (void)c;
    (void)parent;
    cp_value *s = cp_state_complete(attrs, prev); /* public_key: AWS does not echo it */
    cp_set_xml(s, "id", it, "keyName");
    cp_set_xml(s, "key_name", it, "keyName");
    cp_set_xml(s, "fingerprint", it, "keyFingerprint");
    cp_set_xml(s, "key_pair_id", it, "keyPairId");
    cp_set_xml(s, "key_type", it, "keyType");
    cp_set_take(s, "tags", ec2_tags_read(it, cp_map_get(prev, "tags")));
    *out = s;
    return 0;
}

static const ec2_describe key_describe = {
    .action = "DescribeKeyPairs",
    .filter = "key-name",
    .items = "keySet/item",
    .id_elem = "keyName",
    .fill = key_fill,
};

static int key_read(cp_provider_call *c, const cp_value *state, cp_value **out)
{
    return ec2_read_one(c, &key_describe, state, out);
}

/* Refresh of many: one Describe for up to 200 ids (ec2_common.h). */
static int key_read_batch(cp_provider_call *c, const cp_value *const *states, size_t n,
                          cp_value **out)
{
    return ec2_read_many(c, &key_describe, states, n, out);
}

static int key_create(cp_provider_call *c, const cp_value *config, cp_value **state)
{
    const char *pub = cp_get_str(config, "public_key");
    char *b64 = ec2_base64(pub, strlen(pub));
    aws_params *p = aws_params_new();
    aws_params_add(p, "KeyName", cp_get_str(config, "key_name"));
    aws_params_add(p, "PublicKeyMaterial", b64);
    ec2_tag_spec(p, "key-pair", cp_get_map(config, "tags"));
    aws_set_no_resend(true); /* sent once: a lost answer is looked up (find) */
    int rc = ec2_call(c, "ImportKeyPair", p, NULL, NULL);
    aws_set_no_resend(false);
    aws_params_free(p);
    free(b64);
    if (rc != 0) return -1;
    cp_value *s = cp_state_start(attrs, config);
    cp_set_str(s, "id", cp_get_str(config, "key_name"));
    return ec2_finish_take(c, 0, key_read, s, state);
}

static int key_update(cp_provider_call *c, const cp_value *old, const cp_value *config,
                      cp_value **state)
{
    if (ec2_tags_update(c, cp_get_str(old, "key_pair_id"), old, config) != 0) return -1;
    return cp_aws_reread(c, key_read, attrs, config, cp_get_str(old, "id"), state);
}

static int key_delete(cp_provider_call *c, const cp_value *state)
{
    return ec2_delete(c, "DeleteKeyPair", "KeyName", cp_get_str(state, "id"), NULL);
}

static int key_import(cp_provider_call *c, const char *id, cp_value **state)
{
    return cp_aws_import_via_read(c, key_read, id, state);
}

/* An interrupted create is found by its key name (= its id). */
static int key_find(cp_provider_call *c, const cp_value *intent, cp_value **state)
{
    return cp_aws_find_as_id(c, key_read, intent, "key_name", state);
}

const cp_resource_type cp_aws_key_pair = {
    .name = "aws_key_pair",
    .description =
        "An SSH key pair from a public key (import by key name)."
        " Deliberate differences from the Terraform AWS provider: a name left out is made up as "
        "cpstack- and a random suffix (Terraform's start terraform-).",
    .attrs = attrs,
    .create = key_create,
    .read = key_read,
    .read_batch = key_read_batch,
    .update = key_update,
    .delete = key_delete,
    .import = key_import,
    .recovery = CP_RECOVER_NAME,
    .recovery_name = "key_name",
    .find = key_find,
};
