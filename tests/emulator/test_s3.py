"""boto3 against the emulator: every S3 operation, conditional writes,
virtual-host style, anonymous public reads, presigned URLs."""

import hashlib
import json
import unittest
import urllib.error
import urllib.request

import boto3
from botocore.config import Config

from emutest import EmulatorTestCase, lambda_zip


def with_header(client, operation, name, value):
    """Make the next calls of `operation` carry one extra (signed) header."""
    def add(request, **_):
        request.headers[name] = value
    client.meta.events.register('before-sign.s3.%s' % operation, add)
    return add


class S3Test(EmulatorTestCase):
    SERVICES = ['s3']

    def setUp(self):
        super().setUp()
        self.s3 = self.client('s3')

    def make(self, name):
        self.s3.create_bucket(Bucket=name,
                              CreateBucketConfiguration={'LocationConstraint': 'eu-west-1'})

    def test_split_bucket_configurations(self):
        """Encryption, ownership controls and website (services/s3_config.py)."""
        s3 = self.s3
        self.make('split-cfg')
        rule = s3.get_bucket_encryption(Bucket='split-cfg')[
            'ServerSideEncryptionConfiguration']['Rules'][0]
        self.assertEqual(rule['ApplyServerSideEncryptionByDefault']['SSEAlgorithm'], 'AES256')
        kms = {'Rules': [{'ApplyServerSideEncryptionByDefault': {
            'SSEAlgorithm': 'aws:kms', 'KMSMasterKeyID': 'alias/app'}, 'BucketKeyEnabled': True}]}
        s3.put_bucket_encryption(Bucket='split-cfg', ServerSideEncryptionConfiguration=kms)
        got = s3.get_bucket_encryption(Bucket='split-cfg')['ServerSideEncryptionConfiguration']
        self.assertEqual(got['Rules'][0]['ApplyServerSideEncryptionByDefault']['KMSMasterKeyID'],
                         'alias/app')
        self.assertAwsError('InvalidArgument', s3.put_bucket_encryption, Bucket='split-cfg',
                            ServerSideEncryptionConfiguration={'Rules': [{
                                'ApplyServerSideEncryptionByDefault': {
                                    'SSEAlgorithm': 'AES256', 'KMSMasterKeyID': 'k'}}]})
        s3.delete_bucket_encryption(Bucket='split-cfg')
        rule = s3.get_bucket_encryption(Bucket='split-cfg')[
            'ServerSideEncryptionConfiguration']['Rules'][0]
        self.assertEqual(rule['ApplyServerSideEncryptionByDefault']['SSEAlgorithm'], 'AES256')

        own = s3.get_bucket_ownership_controls(Bucket='split-cfg')['OwnershipControls']
        self.assertEqual(own['Rules'][0]['ObjectOwnership'], 'BucketOwnerEnforced')
        s3.put_bucket_ownership_controls(Bucket='split-cfg', OwnershipControls={
            'Rules': [{'ObjectOwnership': 'ObjectWriter'}]})
        own = s3.get_bucket_ownership_controls(Bucket='split-cfg')['OwnershipControls']
        self.assertEqual(own['Rules'][0]['ObjectOwnership'], 'ObjectWriter')
        s3.delete_bucket_ownership_controls(Bucket='split-cfg')
        self.assertAwsError('OwnershipControlsNotFoundError', s3.get_bucket_ownership_controls,
                            Bucket='split-cfg')

        self.assertAwsError('NoSuchWebsiteConfiguration', s3.get_bucket_website,
                            Bucket='split-cfg')
        s3.put_bucket_website(Bucket='split-cfg', WebsiteConfiguration={
            'IndexDocument': {'Suffix': 'index.html'}, 'ErrorDocument': {'Key': '404.html'}})
        web = s3.get_bucket_website(Bucket='split-cfg')
        self.assertEqual(web['IndexDocument']['Suffix'], 'index.html')
        self.assertEqual(web['ErrorDocument']['Key'], '404.html')
        self.assertAwsError('InvalidArgument', s3.put_bucket_website, Bucket='split-cfg',
                            WebsiteConfiguration={'IndexDocument': {'Suffix': 'i.html'},
                                                  'RedirectAllRequestsTo': {'HostName': 'x'}})
        self.assertAwsError('InvalidArgument', s3.put_bucket_website, Bucket='split-cfg',
                            WebsiteConfiguration={'ErrorDocument': {'Key': 'e.html'}})
        s3.delete_bucket_website(Bucket='split-cfg')
        self.assertAwsError('NoSuchWebsiteConfiguration', s3.get_bucket_website,
                            Bucket='split-cfg')

    def test_lifecycle_rules(self):
        """Lifecycle rules: put replaces them all, AWS's rules on ids, days and actions."""
        s3 = self.s3
        self.make('lc-cfg')
        self.assertAwsError('NoSuchLifecycleConfiguration',
                            s3.get_bucket_lifecycle_configuration, Bucket='lc-cfg')
        rule = {'ID': 'logs', 'Status': 'Enabled', 'Filter': {'Prefix': 'logs/'},
                'Expiration': {'Days': 30}}
        s3.put_bucket_lifecycle_configuration(Bucket='lc-cfg',
                                              LifecycleConfiguration={'Rules': [rule]})
        got = s3.get_bucket_lifecycle_configuration(Bucket='lc-cfg')['Rules']
        self.assertEqual(got[0]['ID'], 'logs')
        self.assertEqual(got[0]['Expiration']['Days'], 30)
        put = s3.put_bucket_lifecycle_configuration
        for code, bad in [('InvalidArgument', dict(rule, ID='x' * 256)),
                          ('InvalidArgument', dict(rule, Expiration={'Days': 0})),
                          ('InvalidRequest', {'ID': 'a', 'Status': 'Enabled',
                                              'Filter': {'Prefix': ''}}),
                          ('MalformedXML', dict(rule, Expiration={
                              'Days': 1, 'ExpiredObjectDeleteMarker': True})),
                          ('MalformedXML', dict(rule, Filter={'Prefix': 'a',
                                                               'Tag': {'Key': 'k', 'Value': 'v'}}))]:
            self.assertAwsError(code, put, Bucket='lc-cfg',
                                LifecycleConfiguration={'Rules': [bad]})
        self.assertAwsError('InvalidArgument', put, Bucket='lc-cfg',
                            LifecycleConfiguration={'Rules': [rule, rule]})
        many = [dict(rule, ID='r%d' % i) for i in range(1001)]
        self.assertAwsError('MalformedXML', put, Bucket='lc-cfg',
                            LifecycleConfiguration={'Rules': many})
        s3.delete_bucket_lifecycle(Bucket='lc-cfg')
        self.assertAwsError('NoSuchLifecycleConfiguration',
                            s3.get_bucket_lifecycle_configuration, Bucket='lc-cfg')

    def test_buckets_and_configuration(self):
        s3 = self.s3
        self.make('cfg-bucket')
        self.assertAwsError('BucketAlreadyOwnedByYou', self.make, 'cfg-bucket')
        self.assertAwsError('InvalidBucketName', self.make, 'Bad_Name')
        self.assertAwsError('IllegalLocationConstraintException', s3.create_bucket,
                            Bucket='no-constraint')
        self.assertEqual(s3.get_bucket_location(Bucket='cfg-bucket')['LocationConstraint'],
                         'eu-west-1')
        head = s3.head_bucket(Bucket='cfg-bucket')
        self.assertEqual(head['ResponseMetadata']['HTTPHeaders']['x-amz-bucket-region'],
                         'eu-west-1')
        self.assertIn('cfg-bucket', [b['Name'] for b in s3.list_buckets()['Buckets']])

        policy = json.dumps({'Version': '2012-10-17', 'Statement': [{
            'Effect': 'Allow', 'Principal': '*', 'Action': 's3:GetObject',
            'Resource': 'arn:aws:s3:::cfg-bucket/*'}]})
        self.assertAwsError('NoSuchBucketPolicy', s3.get_bucket_policy, Bucket='cfg-bucket')
        s3.put_public_access_block(Bucket='cfg-bucket', PublicAccessBlockConfiguration={
            'BlockPublicAcls': True, 'IgnorePublicAcls': True, 'BlockPublicPolicy': True,
            'RestrictPublicBuckets': True})
        self.assertTrue(s3.get_public_access_block(Bucket='cfg-bucket')
                        ['PublicAccessBlockConfiguration']['BlockPublicPolicy'])
        self.assertAwsError('AccessDenied', s3.put_bucket_policy, Bucket='cfg-bucket',
                            Policy=policy)
        s3.delete_public_access_block(Bucket='cfg-bucket')
        self.assertAwsError('NoSuchPublicAccessBlockConfiguration', s3.get_public_access_block,
                            Bucket='cfg-bucket')
        s3.put_bucket_policy(Bucket='cfg-bucket', Policy=policy)
        self.assertEqual(json.loads(s3.get_bucket_policy(Bucket='cfg-bucket')['Policy']),
                         json.loads(policy))
        s3.delete_bucket_policy(Bucket='cfg-bucket')

        self.assertNotIn('Status', s3.get_bucket_versioning(Bucket='cfg-bucket'))
        s3.put_bucket_versioning(Bucket='cfg-bucket',
                                 VersioningConfiguration={'Status': 'Enabled'})
        self.assertEqual(s3.get_bucket_versioning(Bucket='cfg-bucket')['Status'], 'Enabled')

        self.assertAwsError('NoSuchTagSet', s3.get_bucket_tagging, Bucket='cfg-bucket')
        s3.put_bucket_tagging(Bucket='cfg-bucket',
                              Tagging={'TagSet': [{'Key': 'stack', 'Value': 'web'}]})
        self.assertEqual(s3.get_bucket_tagging(Bucket='cfg-bucket')['TagSet'],
                         [{'Key': 'stack', 'Value': 'web'}])
        s3.delete_bucket_tagging(Bucket='cfg-bucket')
        s3.delete_bucket(Bucket='cfg-bucket')
        self.assertAwsError('404', s3.head_bucket, Bucket='cfg-bucket')
        self.assertAwsError('NoSuchBucket', s3.get_bucket_location, Bucket='cfg-bucket')

    def test_notification_needs_lambda_permission(self):
        s3, lam, iam = self.s3, self.client('lambda'), self.client('iam')
        self.make('data-bucket')
        trust = json.dumps({'Statement': [{'Effect': 'Allow', 'Action': 'sts:AssumeRole',
                                           'Principal': {'Service': 'lambda.amazonaws.com'}}]})
        role = iam.create_role(RoleName='fn-role', AssumeRolePolicyDocument=trust)['Role']
        fn = lam.create_function(FunctionName='on-put', Runtime='python3.11', Role=role['Arn'],
                                 Handler='main.handler', Code={'ZipFile': lambda_zip()})
        conf = {'LambdaFunctionConfigurations': [{
            'LambdaFunctionArn': fn['FunctionArn'], 'Events': ['s3:ObjectCreated:*'],
            'Filter': {'Key': {'FilterRules': [{'Name': 'prefix', 'Value': 'in/'}]}}}]}
        self.assertAwsError('InvalidArgument', s3.put_bucket_notification_configuration,
                            Bucket='data-bucket', NotificationConfiguration=conf)
        lam.add_permission(FunctionName='on-put', StatementId='s3', Action='lambda:InvokeFunction',
                           Principal='s3.amazonaws.com', SourceArn='arn:aws:s3:::data-bucket')
        s3.put_bucket_notification_configuration(Bucket='data-bucket',
                                                 NotificationConfiguration=conf)
        got = s3.get_bucket_notification_configuration(Bucket='data-bucket')
        self.assertEqual(got['LambdaFunctionConfigurations'][0]['LambdaFunctionArn'],
                         fn['FunctionArn'])
        self.assertEqual(got['LambdaFunctionConfigurations'][0]['Events'], ['s3:ObjectCreated:*'])
        s3.put_object(Bucket='data-bucket', Key='in/x', Body=b'1')
        s3.put_object(Bucket='data-bucket', Key='out/y', Body=b'2')
        dump = self.emulator.state.dump()
        calls = dump['lambda']['eu-west-1']['functions']['on-put']['_invocations']
        self.assertEqual(calls, [{'bucket': 'data-bucket', 'key': 'in/x',
                                  'event': 's3:ObjectCreated:Put'}])

    def test_objects(self):
        s3 = self.s3
        self.make('obj-bucket')
        put = s3.put_object(Bucket='obj-bucket', Key='jobs/a/run.py', Body=b'print(1)\n',
                            ContentType='text/x-python', Metadata={'job': 'a'})
        self.assertEqual(put['ETag'], '"%s"' % hashlib.md5(b'print(1)\n').hexdigest())
        got = s3.get_object(Bucket='obj-bucket', Key='jobs/a/run.py')
        self.assertEqual(got['Body'].read(), b'print(1)\n')
        self.assertEqual(got['ContentType'], 'text/x-python')
        self.assertEqual(got['Metadata'], {'job': 'a'})
        head = s3.head_object(Bucket='obj-bucket', Key='jobs/a/run.py')
        self.assertEqual(head['ContentLength'], 9)
        self.assertEqual(head['ETag'], put['ETag'])
        self.assertAwsError('NoSuchKey', s3.get_object, Bucket='obj-bucket', Key='missing')
        self.assertAwsError('404', s3.head_object, Bucket='obj-bucket', Key='missing')
        for i in range(5):
            s3.put_object(Bucket='obj-bucket', Key='jobs/b/%d' % i, Body=b'x')
        listing = s3.list_objects_v2(Bucket='obj-bucket', Prefix='jobs/', Delimiter='/')
        self.assertEqual([p['Prefix'] for p in listing['CommonPrefixes']], ['jobs/a/', 'jobs/b/'])
        page = s3.list_objects_v2(Bucket='obj-bucket', Prefix='jobs/b/', MaxKeys=2)
        self.assertTrue(page['IsTruncated'])
        rest = s3.list_objects_v2(Bucket='obj-bucket', Prefix='jobs/b/',
                                  ContinuationToken=page['NextContinuationToken'])
        self.assertEqual(len(page['Contents']) + len(rest['Contents']), 5)
        v1 = s3.list_objects(Bucket='obj-bucket', Prefix='jobs/b/', MaxKeys=10)
        self.assertEqual(len(v1['Contents']), 5)
        self.assertAwsError('BucketNotEmpty', s3.delete_bucket, Bucket='obj-bucket')
        deleted = s3.delete_objects(Bucket='obj-bucket', Delete={
            'Objects': [{'Key': 'jobs/b/%d' % i} for i in range(5)]})
        self.assertEqual(len(deleted['Deleted']), 5)
        s3.delete_object(Bucket='obj-bucket', Key='jobs/a/run.py')
        self.assertEqual(s3.list_objects_v2(Bucket='obj-bucket')['KeyCount'], 0)
        s3.delete_bucket(Bucket='obj-bucket')

    def test_object_versions(self):
        s3 = self.s3
        self.make('ver-bucket')
        s3.put_bucket_versioning(Bucket='ver-bucket',
                                 VersioningConfiguration={'Status': 'Enabled'})
        v1 = s3.put_object(Bucket='ver-bucket', Key='k', Body=b'1')['VersionId']
        s3.put_object(Bucket='ver-bucket', Key='k', Body=b'2')
        s3.delete_object(Bucket='ver-bucket', Key='k')
        listed = s3.list_object_versions(Bucket='ver-bucket')
        self.assertEqual(len(listed['Versions']), 2)
        self.assertEqual(len(listed['DeleteMarkers']), 1)
        self.assertTrue(listed['DeleteMarkers'][0]['IsLatest'])
        with self.assertRaises(s3.exceptions.ClientError) as cm:
            s3.delete_bucket(Bucket='ver-bucket')
        self.assertEqual(cm.exception.response['Error']['Code'], 'BucketNotEmpty')
        everything = listed['Versions'] + listed['DeleteMarkers']
        s3.delete_objects(Bucket='ver-bucket', Delete={'Objects': [
            {'Key': v['Key'], 'VersionId': v['VersionId']} for v in everything]})
        self.assertNotIn(v1, str(s3.list_object_versions(Bucket='ver-bucket')))
        s3.delete_bucket(Bucket='ver-bucket')

    def test_object_tagging(self):
        s3 = self.s3
        self.make('tag-bucket')
        s3.put_object(Bucket='tag-bucket', Key='img/logo.png', Body=b'png',
                      Tagging='team=web&cost%20center=a%2Bb%40c&empty=')
        want = [{'Key': 'team', 'Value': 'web'}, {'Key': 'cost center', 'Value': 'a+b@c'},
                {'Key': 'empty', 'Value': ''}]
        self.assertEqual(s3.get_object_tagging(Bucket='tag-bucket', Key='img/logo.png')['TagSet'],
                         want)
        self.assertEqual(s3.get_object(Bucket='tag-bucket', Key='img/logo.png')['TagCount'], 3)
        s3.put_object_tagging(Bucket='tag-bucket', Key='img/logo.png',
                              Tagging={'TagSet': [{'Key': 'team', 'Value': 'ops'}]})
        self.assertEqual(s3.get_object_tagging(Bucket='tag-bucket', Key='img/logo.png')['TagSet'],
                         [{'Key': 'team', 'Value': 'ops'}])
        self.assertEqual(s3.list_objects_v2(Bucket='tag-bucket')['KeyCount'], 1)
        self.assertAwsError('InvalidTag', s3.put_object_tagging, Bucket='tag-bucket',
                            Key='img/logo.png', Tagging={'TagSet': [
                                {'Key': 'a', 'Value': '1'}, {'Key': 'a', 'Value': '2'}]})
        self.assertAwsError('BadRequest', s3.put_object_tagging, Bucket='tag-bucket',
                            Key='img/logo.png', Tagging={'TagSet': [
                                {'Key': 'k%d' % i, 'Value': ''} for i in range(11)]})
        self.assertAwsError('InvalidArgument', s3.put_object, Bucket='tag-bucket', Key='x',
                            Body=b'', Tagging='a=1&a=2')
        s3.delete_object_tagging(Bucket='tag-bucket', Key='img/logo.png')
        self.assertEqual(s3.get_object_tagging(Bucket='tag-bucket', Key='img/logo.png')['TagSet'],
                         [])
        self.assertNotIn('TagCount', s3.get_object(Bucket='tag-bucket', Key='img/logo.png'))
        self.assertAwsError('NoSuchKey', s3.get_object_tagging, Bucket='tag-bucket', Key='nope')
        self.assertAwsError('NoSuchKey', s3.put_object_tagging, Bucket='tag-bucket', Key='nope',
                            Tagging={'TagSet': []})
        # a re-upload without the header drops the tags, as on S3
        s3.put_object(Bucket='tag-bucket', Key='img/logo.png', Body=b'png', Tagging='a=1')
        s3.put_object(Bucket='tag-bucket', Key='img/logo.png', Body=b'png2')
        self.assertEqual(s3.get_object_tagging(Bucket='tag-bucket', Key='img/logo.png')['TagSet'],
                         [])

    def test_conditional_writes_for_locking(self):
        s3 = self.client('s3')
        self.make('lock-bucket')
        with_header(s3, 'PutObject', 'If-None-Match', '*')
        s3.put_object(Bucket='lock-bucket', Key='st/main.lock', Body=b'holder=a')
        err = self.assertAwsError('PreconditionFailed', s3.put_object, Bucket='lock-bucket',
                                  Key='st/main.lock', Body=b'holder=b')
        self.assertEqual(err.response['ResponseMetadata']['HTTPStatusCode'], 412)

        plain = self.s3
        etag = plain.put_object(Bucket='lock-bucket', Key='st/main.cpstate', Body=b'v1')['ETag']
        s3b = self.client('s3')
        with_header(s3b, 'PutObject', 'If-Match', etag)
        s3b.put_object(Bucket='lock-bucket', Key='st/main.cpstate', Body=b'v2')
        self.assertAwsError('PreconditionFailed', s3b.put_object, Bucket='lock-bucket',
                            Key='st/main.cpstate', Body=b'v3')
        self.assertEqual(plain.get_object(Bucket='lock-bucket', Key='st/main.cpstate')
                         ['Body'].read(), b'v2')

    def test_virtual_host_anonymous_and_presigned(self):
        self.make('pub-bucket')
        self.s3.put_object(Bucket='pub-bucket', Key='img.png', Body=b'PNG')
        vh = boto3.client('s3', endpoint_url=self.url.replace('127.0.0.1', 'localhost'),
                          region_name='eu-west-1', aws_access_key_id='AKIDCPSTACKTEST',
                          aws_secret_access_key='cpstack-test-secret',
                          config=Config(s3={'addressing_style': 'virtual'}))
        self.assertEqual(vh.get_object(Bucket='pub-bucket', Key='img.png')['Body'].read(), b'PNG')
        url = self.url + '/pub-bucket/img.png'
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(url)
        self.assertEqual(cm.exception.code, 403)
        self.s3.put_bucket_policy(Bucket='pub-bucket', Policy=json.dumps({'Statement': [{
            'Effect': 'Allow', 'Principal': '*', 'Action': ['s3:GetObject'],
            'Resource': 'arn:aws:s3:::pub-bucket/*'}]}))
        self.assertEqual(urllib.request.urlopen(url).read(), b'PNG')
        v2 = self.s3.generate_presigned_url('get_object', Params={
            'Bucket': 'pub-bucket', 'Key': 'img.png'}, ExpiresIn=60)
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(v2)      # SigV2 is refused, as in v4-only regions
        self.assertEqual(cm.exception.code, 400)
        signed = self.client('s3', signature_version='s3v4').generate_presigned_url('get_object', Params={
            'Bucket': 'pub-bucket', 'Key': 'img.png'}, ExpiresIn=60)
        self.assertEqual(urllib.request.urlopen(signed).read(), b'PNG')
        bad = signed.replace('X-Amz-Signature=', 'X-Amz-Signature=0')
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(bad)
        self.assertEqual(cm.exception.code, 403)


if __name__ == '__main__':
    unittest.main(verbosity=2)
