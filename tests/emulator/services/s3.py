"""S3: buckets (location, policy, public access block, versioning,
notification configuration, tagging) and objects (put/get/head/delete,
DeleteObjects, ListObjects v1/v2, object tagging: the x-amz-tagging header
of PutObject and Get/Put/DeleteObjectTagging).

Objects keep their bytes in memory; ETag is the quoted MD5 of the body.
Conditional writes as cpstack's S3 state backend uses them for locking:
PUT with `If-None-Match: *` fails with 412 PreconditionFailed when the key
exists, PUT with `If-Match: "<etag>"` fails with 412 when the ETag differs
(404 NoSuchKey when there is no object).  Unsigned (anonymous) GET/HEAD of
an object succeeds only if a bucket policy or a public-read ACL allows it
and the public access block does not forbid it, like real S3.
"""

import json
import re
from urllib.parse import parse_qsl

from constraints import java_regex
from services.s3_config import S3ConfigMixin
from store import AwsError, Service, md5_hex, new_uuid, now, paginate

BUCKET_RE = re.compile(r'^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$')


def _no_bucket(name):
    return AwsError('NoSuchBucket', 'The specified bucket does not exist', 404,
                    BucketName=name)


def _precondition(condition):
    return AwsError('PreconditionFailed', 'At least one of the pre-conditions you specified '
                    'did not hold', 412, Condition=condition)


def _allows_public_read(policy_text):
    try:
        doc = json.loads(policy_text or '{}')
    except ValueError:
        return False
    statements = doc.get('Statement', [])
    if isinstance(statements, dict):
        statements = [statements]
    for st in statements:
        principal = st.get('Principal')
        public = principal == '*' or (isinstance(principal, dict) and
                                      principal.get('AWS') in ('*', ['*']))
        actions = st.get('Action', [])
        actions = [actions] if isinstance(actions, str) else actions
        if st.get('Effect') == 'Allow' and public and \
                any(a in ('s3:GetObject', 's3:*', '*') for a in actions):
            return True
    return False


TAG_CHARS = java_regex(r'[\p{L}\p{Z}\p{N}\s_.:/=+\-@]*')


def _check_tags(tags, limit, what):
    """S3's rules for a tag set (list of {Key, Value}), in the order S3 applies
    them: each tag (key 1-128 characters, value 0-256, letters, digits,
    whitespace and _ . : / = + - @ only, no aws: prefix, keys unique), then
    the count (10 per object, 50 per bucket)."""
    seen = set()
    for t in tags:
        key, value = t.get('Key') or '', t.get('Value') or ''
        if not 1 <= len(key) <= 128 or not TAG_CHARS.fullmatch(key):
            raise AwsError('InvalidTag', 'The TagKey you have provided is invalid', 400,
                           TagKey=key)
        if len(value) > 256 or not TAG_CHARS.fullmatch(value):
            raise AwsError('InvalidTag', 'The TagValue you have provided is invalid', 400,
                           TagKey=key, TagValue=value)
        if key.lower().startswith('aws:'):
            raise AwsError('InvalidTag', 'Your TagKey cannot be prefixed with aws:', 400,
                           TagKey=key)
        if key in seen:
            raise AwsError('InvalidTag', 'Cannot provide multiple Tags with the same key', 400,
                           TagKey=key)
        seen.add(key)
    if len(tags) > limit:
        raise AwsError('BadRequest', '%s tags cannot be greater than %d' % (what, limit), 400)
    return [{'Key': t['Key'], 'Value': t.get('Value') or ''} for t in tags]


def _check_object_tags(tags):
    return _check_tags(tags, 10, 'Object')


def _tagging_header(text):
    """x-amz-tagging: URL-encoded query string "k1=v1&k2=v2" -> tag list."""
    try:
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise AwsError('InvalidArgument', 'The header \'x-amz-tagging\' shall be encoded as '
                       'UTF-8 then URLEncoded URL query parameters without tag name '
                       'duplicates.', 400, ArgumentName='x-amz-tagging', ArgumentValue=text)
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise AwsError('InvalidArgument', 'The header \'x-amz-tagging\' shall be encoded as '
                       'UTF-8 then URLEncoded URL query parameters without tag name '
                       'duplicates.', 400, ArgumentName='x-amz-tagging', ArgumentValue=text)
    return _check_object_tags([{'Key': k, 'Value': v} for k, v in pairs])


class Handler(S3ConfigMixin, Service):
    model = 's3'
    xml_roots = {'ListObjectsV2': 'ListBucketResult', 'ListObjects': 'ListBucketResult',
                 'ListBuckets': 'ListAllMyBucketsResult', 'DeleteObjects': 'DeleteResult',
                 'GetBucketVersioning': 'VersioningConfiguration',
                 'GetBucketTagging': 'Tagging', 'GetObjectTagging': 'Tagging',
                 'GetBucketNotificationConfiguration': 'NotificationConfiguration',
                 'GetBucketWebsite': 'WebsiteConfiguration'}

    # ---------------------------------------------------------------- buckets

    def _bucket(self, name):
        bucket = self.gtable('buckets').get(name)
        if bucket is None:
            raise _no_bucket(name)
        return bucket

    def CreateBucket(self, ctx, p):
        name = p['Bucket']
        if not BUCKET_RE.match(name) or '..' in name or re.match(r'^\d+\.\d+\.\d+\.\d+$', name):
            raise AwsError('InvalidBucketName', 'The specified bucket is not valid.', 400,
                           BucketName=name)
        constraint = (p.get('CreateBucketConfiguration') or {}).get('LocationConstraint')
        if constraint is None and ctx.region != 'us-east-1':
            raise AwsError('IllegalLocationConstraintException', 'The unspecified location '
                           'constraint is incompatible for the region specific endpoint this '
                           'request was sent to.', 400)
        if constraint is not None and constraint != ctx.region:
            raise AwsError('IllegalLocationConstraintException', 'The %s location constraint '
                           'is incompatible for the region specific endpoint this request was '
                           'sent to.' % constraint, 400)
        if name in self.gtable('buckets'):
            raise AwsError('BucketAlreadyOwnedByYou', 'Your previous request to create the '
                           'named bucket succeeded and you already own it.', 409,
                           BucketName=name)
        self.gtable('buckets')[name] = {'Name': name, 'CreationDate': now(),
                                        'Region': ctx.region, 'Objects': {}}
        return {'Location': '/' + name}

    def HeadBucket(self, ctx, p):
        bucket = self._bucket(p['Bucket'])
        return {'_headers': {'x-amz-bucket-region': bucket['Region']}}

    def ListBuckets(self, ctx, p):
        buckets = sorted(self.gtable('buckets').values(), key=lambda b: b['Name'])
        return {'Buckets': buckets, 'Owner': {'ID': 'cpstack' * 8, 'DisplayName': 'cpstack'}}

    def DeleteBucket(self, ctx, p):
        bucket = self._bucket(p['Bucket'])
        if bucket['Objects'] or bucket.get('NoncurrentVersions'):
            raise AwsError('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409,
                           BucketName=p['Bucket'])
        del self.gtable('buckets')[p['Bucket']]
        return {}

    def GetBucketLocation(self, ctx, p):
        region = self._bucket(p['Bucket'])['Region']
        text = '' if region == 'us-east-1' else region
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns='
                '"http://s3.amazonaws.com/doc/2006-03-01/">%s</LocationConstraint>' % text)
        return {'_raw_body': body.encode()}

    def _sub(self, bucket_name, key, code, message):
        bucket = self._bucket(bucket_name)
        if bucket.get(key) is None:
            raise AwsError(code, message, 404, BucketName=bucket_name)
        return bucket[key]

    def PutBucketPolicy(self, ctx, p):
        bucket = self._bucket(p['Bucket'])
        try:
            json.loads(p['Policy'])
        except ValueError:
            raise AwsError('MalformedPolicy', 'Policies must be valid JSON and the first byte '
                           'must be \'{\'', 400)
        pab = bucket.get('PublicAccessBlock') or {}
        if pab.get('BlockPublicPolicy') and _allows_public_read(p['Policy']):
            raise AwsError('AccessDenied', 'Access Denied', 403)
        bucket['Policy'] = p['Policy']
        return {}

    def GetBucketPolicy(self, ctx, p):
        return {'Policy': self._sub(p['Bucket'], 'Policy', 'NoSuchBucketPolicy',
                                    'The bucket policy does not exist')}

    def DeleteBucketPolicy(self, ctx, p):
        self._bucket(p['Bucket']).pop('Policy', None)
        return {}

    def PutPublicAccessBlock(self, ctx, p):
        self._bucket(p['Bucket'])['PublicAccessBlock'] = p['PublicAccessBlockConfiguration']
        return {}

    def GetPublicAccessBlock(self, ctx, p):
        conf = self._sub(p['Bucket'], 'PublicAccessBlock', 'NoSuchPublicAccessBlockConfiguration',
                         'The public access block configuration was not found')
        return {'PublicAccessBlockConfiguration': conf}

    def DeletePublicAccessBlock(self, ctx, p):
        self._bucket(p['Bucket']).pop('PublicAccessBlock', None)
        return {}

    def PutBucketVersioning(self, ctx, p):
        status = p['VersioningConfiguration'].get('Status')
        if status not in ('Enabled', 'Suspended'):
            raise AwsError('MalformedXML', 'The XML you provided was not well-formed or did '
                           'not validate against our published schema', 400)
        self._bucket(p['Bucket'])['Versioning'] = status
        return {}

    def GetBucketVersioning(self, ctx, p):
        status = self._bucket(p['Bucket']).get('Versioning')
        return {'Status': status} if status else {}

    def PutBucketTagging(self, ctx, p):
        bucket = self._bucket(p['Bucket'])
        bucket['Tags'] = _check_tags(p['Tagging'].get('TagSet', []), 50, 'Bucket')
        return {}

    def GetBucketTagging(self, ctx, p):
        return {'TagSet': self._sub(p['Bucket'], 'Tags', 'NoSuchTagSet',
                                    'The TagSet does not exist')}

    def DeleteBucketTagging(self, ctx, p):
        self._bucket(p['Bucket']).pop('Tags', None)
        return {}

    def PutBucketNotificationConfiguration(self, ctx, p):
        bucket = self._bucket(p['Bucket'])
        conf = p.get('NotificationConfiguration') or {}
        for lc in conf.get('LambdaFunctionConfigurations', []):
            if not self._lambda_allows_s3(lc['LambdaFunctionArn'], p['Bucket']):
                raise AwsError('InvalidArgument', 'Unable to validate the following destination '
                               'configurations', 400, ArgumentName=lc['LambdaFunctionArn'],
                               ArgumentValue='Not authorized to invoke function [%s]'
                               % lc['LambdaFunctionArn'])
            lc.setdefault('Id', new_uuid())
        bucket['Notification'] = conf
        return {}

    def _lambda_allows_s3(self, arn, bucket_name):
        return self.server.services['lambda'].s3_may_invoke(arn, bucket_name)

    def GetBucketNotificationConfiguration(self, ctx, p):
        return dict(self._bucket(p['Bucket']).get('Notification') or {})

    # ---------------------------------------------------------------- objects

    def _object(self, bucket, key):
        obj = bucket['Objects'].get(key)
        if obj is None:
            raise AwsError('NoSuchKey', 'The specified key does not exist.', 404, Key=key)
        return obj

    def PutObject(self, ctx, p):
        bucket = self._bucket(p['Bucket'])
        key = p['Key']
        existing = bucket['Objects'].get(key)
        if_none = ctx.headers.get('If-None-Match')
        if_match = ctx.headers.get('If-Match')
        if if_none is not None:
            if if_none.strip() != '*':
                raise AwsError('NotImplemented', 'A header you provided implies functionality '
                               'that is not implemented', 501, Header='If-None-Match')
            if existing is not None:
                raise _precondition('If-None-Match')
        if if_match is not None:
            if existing is None:
                raise AwsError('NoSuchKey', 'The specified key does not exist.', 404, Key=key)
            if if_match.strip() not in (existing['ETag'], '*'):
                raise _precondition('If-Match')
        tags = _tagging_header(p['Tagging']) if p.get('Tagging') else []
        body = p.get('Body') or b''
        if isinstance(body, str):
            body = body.encode()
        obj = {'Key': key, 'Body': body, 'ETag': '"%s"' % md5_hex(body), 'Size': len(body),
               'LastModified': now(), 'StorageClass': 'STANDARD',
               'ContentType': p.get('ContentType') or 'binary/octet-stream',
               'Metadata': p.get('Metadata') or {}, 'ACL': p.get('ACL'), 'TagSet': tags}
        for k in ('CacheControl', 'ContentDisposition', 'ContentEncoding', 'ContentLanguage'):
            if p.get(k):
                obj[k] = p[k]
        if bucket.get('Versioning') == 'Enabled':
            obj['VersionId'] = new_uuid().replace('-', '')
            if existing is not None:
                self._keep_version(bucket, existing)
        bucket['Objects'][key] = obj
        self._notify(bucket, key, 's3:ObjectCreated:Put')
        out = {'ETag': obj['ETag']}
        if 'VersionId' in obj:
            out['VersionId'] = obj['VersionId']
        return out

    def _notify(self, bucket, key, event):
        """Record S3 -> Lambda notifications as invocations on the function."""
        for lc in (bucket.get('Notification') or {}).get('LambdaFunctionConfigurations', []):
            if not any(event.startswith(e.rstrip('*')) for e in lc.get('Events', [])):
                continue
            rules = lc.get('Filter', {}).get('Key', {}).get('FilterRules', [])
            ok = all(key.startswith(r['Value']) if r['Name'].lower() == 'prefix'
                     else key.endswith(r['Value']) for r in rules)
            if ok:
                self.server.services['lambda'].record_invocation(
                    lc['LambdaFunctionArn'], {'bucket': bucket['Name'], 'key': key,
                                              'event': event})

    def _check_public(self, ctx, bucket, obj):
        if not ctx.principal.get('anonymous'):
            return
        pab = bucket.get('PublicAccessBlock') or {}
        by_policy = _allows_public_read(bucket.get('Policy')) and \
            not pab.get('RestrictPublicBuckets')
        by_acl = obj is not None and obj.get('ACL') in ('public-read', 'public-read-write') \
            and not pab.get('IgnorePublicAcls')
        if not (by_policy or by_acl):
            raise AwsError('AccessDenied', 'Access Denied', 403)

    def _conditional_read(self, ctx, obj):
        if_match = ctx.headers.get('If-Match')
        if_none = ctx.headers.get('If-None-Match')
        if if_match and if_match.strip() not in (obj['ETag'], '*'):
            raise _precondition('If-Match')
        if if_none and if_none.strip() in (obj['ETag'], '*'):
            raise AwsError('NotModified', 'Not Modified', 304)

    def _read(self, ctx, p, with_body):
        bucket = self._bucket(p['Bucket'])
        obj = bucket['Objects'].get(p['Key'])
        self._check_public(ctx, bucket, obj)
        obj = self._object(bucket, p['Key'])
        self._conditional_read(ctx, obj)
        out = {k: obj.get(k) for k in ('ETag', 'ContentType', 'LastModified', 'Metadata',
                                       'VersionId', 'CacheControl', 'ContentDisposition',
                                       'ContentEncoding', 'ContentLanguage')}
        out['ContentLength'] = obj['Size']
        out['AcceptRanges'] = 'bytes'
        if with_body:
            out['Body'] = obj['Body']
            if obj.get('TagSet'):
                out['TagCount'] = len(obj['TagSet'])
        else:
            out['_headers'] = {'Content-Length': str(obj['Size'])}
        return out

    def GetObject(self, ctx, p):
        return self._read(ctx, p, True)

    def HeadObject(self, ctx, p):
        return self._read(ctx, p, False)

    def _tagged_object(self, p):
        obj = self._object(self._bucket(p['Bucket']), p['Key'])
        if p.get('VersionId') and p['VersionId'] != obj.get('VersionId'):
            raise AwsError('NoSuchVersion', 'The specified version does not exist.', 404,
                           Key=p['Key'], VersionId=p['VersionId'])
        return obj

    def GetObjectTagging(self, ctx, p):
        obj = self._tagged_object(p)
        return {'TagSet': obj.get('TagSet') or [], 'VersionId': obj.get('VersionId')}

    def PutObjectTagging(self, ctx, p):
        obj = self._tagged_object(p)
        obj['TagSet'] = _check_object_tags(p['Tagging'].get('TagSet') or [])
        return {'VersionId': obj.get('VersionId')}

    def DeleteObjectTagging(self, ctx, p):
        obj = self._tagged_object(p)
        obj['TagSet'] = []
        return {'VersionId': obj.get('VersionId')}

    # Versioning: bucket['Objects'] holds each key's current version;
    # bucket['NoncurrentVersions'] the older ones and the delete markers, as
    # AWS keeps them until deleted by VersionId.
    def _keep_version(self, bucket, obj):
        # a "null" version (put before versioning) is kept too while
        # versioning is Enabled; Suspended replaces it, as AWS does
        if obj.get('VersionId') or bucket.get('Versioning') == 'Enabled':
            bucket.setdefault('NoncurrentVersions', []).append(obj)

    def _delete_one(self, bucket, key, version_id):
        if version_id:
            cur = bucket['Objects'].get(key)
            if cur is not None and cur.get('VersionId', 'null') == version_id:
                del bucket['Objects'][key]
            bucket['NoncurrentVersions'] = [
                v for v in bucket.get('NoncurrentVersions', [])
                if not (v['Key'] == key and v.get('VersionId', 'null') == version_id)]
            return
        cur = bucket['Objects'].pop(key, None)
        if bucket.get('Versioning') in ('Enabled', 'Suspended'):
            if cur is not None:
                self._keep_version(bucket, cur)
            bucket.setdefault('NoncurrentVersions', []).append(
                {'Key': key, 'VersionId': new_uuid().replace('-', ''), 'IsDeleteMarker': True,
                 'LastModified': now()})

    def DeleteObject(self, ctx, p):
        bucket = self._bucket(p['Bucket'])
        self._delete_one(bucket, p['Key'], p.get('VersionId'))
        return {}

    def DeleteObjects(self, ctx, p):
        bucket = self._bucket(p['Bucket'])
        deleted = []
        for item in p['Delete'].get('Objects', []):
            self._delete_one(bucket, item['Key'], item.get('VersionId'))
            deleted.append({'Key': item['Key']})
        return {} if p['Delete'].get('Quiet') else {'Deleted': deleted}

    def ListObjectVersions(self, ctx, p):
        bucket = self._bucket(p['Bucket'])
        versions, markers = [], []
        older = bucket.get('NoncurrentVersions', [])
        last = {v['Key']: v for v in older}   # the newest noncurrent entry of each key
        for obj in list(bucket['Objects'].values()) + older:
            latest = bucket['Objects'].get(obj['Key'], last.get(obj['Key'])) is obj
            rec = {'Key': obj['Key'], 'VersionId': obj.get('VersionId', 'null'),
                   'IsLatest': latest, 'LastModified': obj['LastModified']}
            if obj.get('IsDeleteMarker'):
                markers.append(rec)
            else:
                rec.update({'ETag': obj['ETag'], 'Size': obj['Size'], 'StorageClass': 'STANDARD'})
                versions.append(rec)
        return {'Name': p['Bucket'], 'Versions': versions, 'DeleteMarkers': markers,
                'IsTruncated': False, 'MaxKeys': 1000}

    def _listing(self, bucket, p, start_after):
        prefix = p.get('Prefix') or ''
        delimiter = p.get('Delimiter')
        contents, prefixes = [], []
        for key in sorted(bucket['Objects']):
            if not key.startswith(prefix) or (start_after and key <= start_after):
                continue
            if delimiter:
                rest = key[len(prefix):]
                if delimiter in rest:
                    cp = prefix + rest.split(delimiter, 1)[0] + delimiter
                    if cp not in prefixes:
                        prefixes.append(cp)
                    continue
            contents.append(bucket['Objects'][key])
        return contents, prefixes

    def ListObjectsV2(self, ctx, p):
        bucket = self._bucket(p['Bucket'])
        contents, prefixes = self._listing(bucket, p, p.get('StartAfter'))
        entries = [('c', c) for c in contents] + [('p', x) for x in prefixes]
        entries.sort(key=lambda e: e[1]['Key'] if e[0] == 'c' else e[1])
        max_keys = p.get('MaxKeys', 1000)
        page, token = paginate(entries, p.get('ContinuationToken'), max_keys or 1000)
        out = {'Name': bucket['Name'], 'Prefix': p.get('Prefix') or '', 'MaxKeys': max_keys,
               'KeyCount': len(page), 'IsTruncated': token is not None,
               'Contents': [e[1] for e in page if e[0] == 'c'] or None,
               'CommonPrefixes': [{'Prefix': e[1]} for e in page if e[0] == 'p'] or None,
               'Delimiter': p.get('Delimiter'), 'StartAfter': p.get('StartAfter'),
               'ContinuationToken': p.get('ContinuationToken')}
        if token:
            out['NextContinuationToken'] = token
        return out

    def ListObjects(self, ctx, p):
        bucket = self._bucket(p['Bucket'])
        contents, prefixes = self._listing(bucket, p, p.get('Marker'))
        max_keys = p.get('MaxKeys', 1000)
        truncated = len(contents) > max_keys
        contents = contents[:max_keys]
        out = {'Name': bucket['Name'], 'Prefix': p.get('Prefix') or '', 'MaxKeys': max_keys,
               'IsTruncated': truncated, 'Contents': contents or None,
               'Marker': p.get('Marker') or '', 'Delimiter': p.get('Delimiter'),
               'CommonPrefixes': [{'Prefix': x} for x in prefixes] or None}
        if truncated and contents:
            out['NextMarker'] = contents[-1]['Key']
        return out
