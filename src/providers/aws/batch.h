/*
 * batch.h: what the AWS types' batch reads (read_batch, provider.h) share:
 * tags of many resources in one call (the Resource Groups Tagging API),
 * the rule that keeps those tags honest, and the fallback that reads the
 * instances a batch could not settle one by one.
 *
 * Rule of every batch reader: out[i] is what read() would give for
 * states[i]. An object a listing does not show (ListBuckets, ListRoles,
 * GetAccountAuthorizationDetails, a DescribeLogGroups prefix) is confirmed
 * gone by read() of that one instance (listings may lag; a confirmation
 * costs only for objects that are gone). A describe call that names the
 * objects (DescribeAlarms AlarmNames, DescribeRepositories …) is the very
 * call read() makes, so an object it omits is gone.
 */
#ifndef CP_PROVIDERS_AWS_BATCH_H
#define CP_PROVIDERS_AWS_BATCH_H

#include "providers/aws/aws_common.h"

/* Tags of every ARN at once: tagging:GetResources with ResourceARNList (up
 * to 100 a call, pages followed). tags[i] = a new map, empty when the API
 * lists nothing for arns[i] (it lists only resources that carry tags);
 * arns[i] NULL gives NULL. Returns 0, or -1 when the API cannot be used
 * (no permission, not offered): c->error is then cleared and every tags[i]
 * is NULL, so callers read tags one by one as before. */
int cp_aws_tags_many(cp_provider_call *c, const char *const *arns, size_t n, cp_value **tags);

/* The tags to keep from a batch answer: when `listed` (from
 * cp_aws_tags_many, may be NULL) agrees with prev_tags (the state's), the
 * tags as cp_tags_keep_take gives them and true. Otherwise false: the
 * Tagging API may lag behind the service by a little, so a difference is
 * confirmed by the service's own tag call before it shows as drift. */
bool cp_aws_tags_agree(const cp_value *listed, const cp_value *prev_tags, cp_value **keep);

/* The tags of every out[i] that is not NULL (by its "arn"), in one
 * cp_aws_tags_many; where they disagree with states[i]'s, read_tags(c,
 * arn, states[i]) reads them from the service. out[i]'s "tags" is set
 * either way. 0, or -1 with c->error set and every out[i] freed. */
typedef cp_value *(*cp_aws_tags_read_fn)(cp_provider_call *c, const char *arn,
                                         const cp_value *state);
int cp_aws_batch_tags(cp_provider_call *c, const cp_value *const *states, size_t n, cp_value **out,
                      cp_aws_tags_read_fn read_tags);

/* read() of every states[i] whose out[i] is NULL and todo[i] set: 0, or -1
 * with c->error set (out[] then holds what was read; the caller frees). */
int cp_aws_read_rest(cp_provider_call *c, cp_read_fn read, const cp_value *const *states,
                     const bool *todo, size_t n, cp_value **out);

/* When a batch's listing call fails (e.g. the caller may GetRole but not
 * ListRoles or GetAccountAuthorizationDetails): forgets that error and
 * reads every instance by read(), as refresh did before batching; a real
 * outage then fails there with read()'s own message. 0 / -1. */
int cp_aws_batch_fallback(cp_provider_call *c, cp_read_fn read, const cp_value *const *states,
                          size_t n, cp_value **out);

/* Frees out[0..n) and returns -1 (a batch that failed part way). */
int cp_aws_batch_fail(cp_value **out, size_t n);

#endif
