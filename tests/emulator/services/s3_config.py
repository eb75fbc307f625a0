"""S3 bucket configurations (a mixin of services/s3.py's Handler): default
encryption, ownership controls, static website hosting and lifecycle rules.

As on AWS since 2023, a new bucket is encrypted with SSE-S3 (AES256) and its
objects are owned by the bucket owner (BucketOwnerEnforced); deleting the
encryption returns it to AES256. AWS's rules kept: a KMS key only with
aws:kms / aws:kms:dsse, one encryption rule, a website with an index
document or a redirect of all requests (not both), an index suffix without
'/'. Not a service module on its own (not in server.SERVICE_MODULES).
"""

from store import AwsError

DEFAULT_ENCRYPTION = {'Rules': [{'ApplyServerSideEncryptionByDefault': {'SSEAlgorithm': 'AES256'},
                                 'BucketKeyEnabled': False}]}
DEFAULT_OWNERSHIP = {'Rules': [{'ObjectOwnership': 'BucketOwnerEnforced'}]}


def _invalid(msg, name=None, value=None):
    extra = {'ArgumentName': name, 'ArgumentValue': value} if name else {}
    return AwsError('InvalidArgument', msg, 400, **extra)


def _malformed():
    return AwsError('MalformedXML', 'The XML you provided was not well-formed or did not '
                    'validate against our published schema', 400)


class S3ConfigMixin:
    """Get/Put/Delete of BucketEncryption, BucketOwnershipControls, BucketWebsite."""

    def PutBucketEncryption(self, ctx, p):
        bucket = self._bucket(p['Bucket'])
        rules = p['ServerSideEncryptionConfiguration'].get('Rules') or []
        if len(rules) != 1:
            raise AwsError('MalformedXML', 'The XML you provided was not well-formed or did not '
                           'validate against our published schema', 400)
        default = rules[0].get('ApplyServerSideEncryptionByDefault') or {}
        if default.get('KMSMasterKeyID') and \
                default.get('SSEAlgorithm') not in ('aws:kms', 'aws:kms:dsse'):
            raise _invalid('a KMSMasterKeyID is not applicable if the default sse algorithm is '
                           'not aws:kms or aws:kms:dsse')
        bucket['Encryption'] = p['ServerSideEncryptionConfiguration']
        return {}

    def GetBucketEncryption(self, ctx, p):
        bucket = self._bucket(p['Bucket'])
        return {'ServerSideEncryptionConfiguration': bucket.get('Encryption') or
                DEFAULT_ENCRYPTION}

    def DeleteBucketEncryption(self, ctx, p):
        self._bucket(p['Bucket']).pop('Encryption', None)
        return {}

    def PutBucketOwnershipControls(self, ctx, p):
        rules = p['OwnershipControls'].get('Rules') or []
        if len(rules) != 1:
            raise AwsError('MalformedXML', 'The XML you provided was not well-formed or did not '
                           'validate against our published schema', 400)
        self._bucket(p['Bucket'])['OwnershipControls'] = p['OwnershipControls']
        return {}

    def GetBucketOwnershipControls(self, ctx, p):
        bucket = self._bucket(p['Bucket'])
        conf = bucket.get('OwnershipControls', DEFAULT_OWNERSHIP)
        if conf is None:
            raise AwsError('OwnershipControlsNotFoundError', 'The bucket ownership controls '
                           'were not found', 404, BucketName=p['Bucket'])
        return {'OwnershipControls': conf}

    def DeleteBucketOwnershipControls(self, ctx, p):
        self._bucket(p['Bucket'])['OwnershipControls'] = None
        return {}

    def PutBucketWebsite(self, ctx, p):
        bucket = self._bucket(p['Bucket'])
        conf = p['WebsiteConfiguration']
        if conf.get('RedirectAllRequestsTo'):
            if conf.get('IndexDocument') or conf.get('ErrorDocument') or conf.get('RoutingRules'):
                raise _invalid('RedirectAllRequestsTo cannot be provided in conjunction with '
                               'other Routing Rules.', 'RedirectAllRequestsTo', 'not null')
        else:
            suffix = (conf.get('IndexDocument') or {}).get('Suffix')
            if not suffix:
                raise _invalid('A value for IndexDocument Suffix must be provided if '
                               'RedirectAllRequestsTo is empty', 'IndexDocument', 'null')
            if '/' in suffix:
                raise _invalid('The IndexDocument Suffix is not well formed', 'IndexDocument',
                               suffix)
        bucket['Website'] = conf
        return {}

    def GetBucketWebsite(self, ctx, p):
        return dict(self._sub(p['Bucket'], 'Website', 'NoSuchWebsiteConfiguration',
                              'The specified bucket does not have a website configuration'))

    def DeleteBucketWebsite(self, ctx, p):
        self._bucket(p['Bucket']).pop('Website', None)
        return {}

    # Lifecycle rules (PutBucketLifecycleConfiguration replaces them all). AWS's rules kept:
    # 1 to 1000 rules, a unique ID of up to 255 characters, Status Enabled/Disabled, at
    # least one action, positive days, Filter with at most one of Prefix/Tag/And,
    # ExpiredObjectDeleteMarker not with Days/Date.
    def PutBucketLifecycleConfiguration(self, ctx, p):
        bucket = self._bucket(p['Bucket'])
        rules = (p.get('LifecycleConfiguration') or {}).get('Rules') or []
        if not rules or len(rules) > 1000:
            raise _malformed()
        ids = set()
        for rule in rules:
            rid = rule.get('ID')
            if rid is not None and len(rid) > 255:
                raise _invalid('ID length should not exceed allowed limit of 255', 'ID', rid)
            if rid in ids:
                raise _invalid('Rule ID must be unique. Found same ID for more than one rule',
                               'ID', rid)
            ids.add(rid)
            if rule.get('Status') not in ('Enabled', 'Disabled'):
                raise _malformed()
            flt = rule.get('Filter')
            if flt is not None:
                if 'Prefix' in rule:
                    raise _malformed()
                if sum(1 for k in ('Prefix', 'Tag', 'And', 'ObjectSizeGreaterThan',
                                   'ObjectSizeLessThan') if k in flt) > 1:
                    raise _malformed()
            elif 'Prefix' not in rule:
                raise _malformed()
            actions = [k for k in ('Expiration', 'Transitions', 'NoncurrentVersionExpiration',
                                   'NoncurrentVersionTransitions',
                                   'AbortIncompleteMultipartUpload') if rule.get(k)]
            if not actions:
                raise AwsError('InvalidRequest', 'At least one action needs to be specified in '
                               'a rule', 400)
            exp = rule.get('Expiration') or {}
            if 'ExpiredObjectDeleteMarker' in exp and ('Days' in exp or 'Date' in exp):
                raise _malformed()
            if 'Days' in exp and exp['Days'] <= 0:
                raise _invalid("'Days' for Expiration action must be a positive integer",
                               'Days', str(exp['Days']))
            for t in rule.get('Transitions') or []:
                if 'Days' in t and t['Days'] < 0:
                    raise _invalid("'Days' in Transition action must be nonnegative", 'Days',
                                   str(t['Days']))
            nve = rule.get('NoncurrentVersionExpiration') or {}
            if 'NoncurrentDays' in nve and nve['NoncurrentDays'] <= 0:
                raise _invalid("'NoncurrentDays' for NoncurrentVersionExpiration action must "
                               "be a positive integer", 'NoncurrentDays',
                               str(nve['NoncurrentDays']))
            for t in rule.get('NoncurrentVersionTransitions') or []:
                if 'NoncurrentDays' in t and t['NoncurrentDays'] < 0:
                    raise _invalid("'NoncurrentDays' in NoncurrentVersionTransition action must "
                                   "be nonnegative", 'NoncurrentDays', str(t['NoncurrentDays']))
            for t in [nve] + list(rule.get('NoncurrentVersionTransitions') or []):
                n = t.get('NewerNoncurrentVersions')
                if n is not None and not 1 <= n <= 100:
                    raise _invalid("'NewerNoncurrentVersions' must be between 1 and 100",
                                   'NewerNoncurrentVersions', str(n))
            abort = rule.get('AbortIncompleteMultipartUpload') or {}
            if 'DaysAfterInitiation' in abort and abort['DaysAfterInitiation'] <= 0:
                raise _invalid("'DaysAfterInitiation' for AbortIncompleteMultipartUpload action "
                               "must be a positive integer", 'DaysAfterInitiation',
                               str(abort['DaysAfterInitiation']))
        bucket['Lifecycle'] = rules
        return {}

    def GetBucketLifecycleConfiguration(self, ctx, p):
        rules = self._sub(p['Bucket'], 'Lifecycle', 'NoSuchLifecycleConfiguration',
                          'The lifecycle configuration does not exist')
        return {'Rules': rules}

    def DeleteBucketLifecycle(self, ctx, p):
        self._bucket(p['Bucket']).pop('Lifecycle', None)
        return {}
