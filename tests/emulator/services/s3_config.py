"""S3 bucket configurations (a mixin of services/s3.py's Handler): default
encryption, ownership controls and static website hosting.

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
