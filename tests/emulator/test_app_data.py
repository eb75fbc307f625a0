"""The emulator's SQS, SSM Parameter Store and Secrets Manager
(services/sqs.py, ssm.py, secretsmanager.py),
through boto3: every implemented operation, and the AWS rules they keep."""

import json
import unittest

import boto3
import botocore.session

import protocol
from emutest import KEY, SECRET, EmulatorTestCase


class SqsTest(EmulatorTestCase):
    SERVICES = ['sqs']

    def test_queues(self):
        sqs = self.client('sqs')
        url = sqs.create_queue(QueueName='jobs', Attributes={'VisibilityTimeout': '60'},
                               tags={'app': 'jobs'})['QueueUrl']
        self.assertTrue(url.endswith('/123456789012/jobs'))
        self.assertEqual(sqs.create_queue(QueueName='jobs', Attributes={
            'VisibilityTimeout': '60'})['QueueUrl'], url)
        self.assertAwsError('QueueAlreadyExists', sqs.create_queue, QueueName='jobs',
                            Attributes={'VisibilityTimeout': '61'})
        self.assertEqual(sqs.get_queue_url(QueueName='jobs')['QueueUrl'], url)
        self.assertEqual(sqs.list_queues(QueueNamePrefix='jo')['QueueUrls'], [url])
        a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=['All'])['Attributes']
        self.assertEqual(a['VisibilityTimeout'], '60')
        self.assertEqual(a['MessageRetentionPeriod'], '345600')
        self.assertEqual(a['QueueArn'], 'arn:aws:sqs:eu-west-1:123456789012:jobs')
        self.assertAwsError('InvalidAttributeValue', sqs.set_queue_attributes, QueueUrl=url,
                            Attributes={'DelaySeconds': '901'})
        self.assertAwsError('InvalidAttributeName', sqs.set_queue_attributes, QueueUrl=url,
                            Attributes={'ContentBasedDeduplication': 'true'})
        sqs.set_queue_attributes(QueueUrl=url, Attributes={'DelaySeconds': '5'})
        self.assertEqual(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
            'DelaySeconds'])['Attributes'], {'DelaySeconds': '5'})
        sqs.tag_queue(QueueUrl=url, Tags={'env': 'x'})
        sqs.untag_queue(QueueUrl=url, TagKeys=['app'])
        self.assertEqual(sqs.list_queue_tags(QueueUrl=url)['Tags'], {'env': 'x'})

        self.assertAwsError('InvalidParameterValue', sqs.create_queue, QueueName='f',
                            Attributes={'FifoQueue': 'true'})
        self.assertAwsError('InvalidParameterValue', sqs.create_queue, QueueName='f.fifo')
        fifo = sqs.create_queue(QueueName='f.fifo', Attributes={'FifoQueue': 'true'})['QueueUrl']
        dlq_arn = 'arn:aws:sqs:eu-west-1:123456789012:f.fifo'
        self.assertAwsError('InvalidAttributeValue', sqs.set_queue_attributes, QueueUrl=url,
                            Attributes={'RedrivePolicy': json.dumps({
                                'deadLetterTargetArn': dlq_arn, 'maxReceiveCount': 3})})
        self.assertAwsError('MissingParameter', sqs.send_message, QueueUrl=fifo, MessageBody='x')

        sqs.send_message(QueueUrl=url, MessageBody='hello')
        msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=5)['Messages']
        self.assertEqual([m['Body'] for m in msgs], ['hello'])
        sqs.delete_message(QueueUrl=url, ReceiptHandle=msgs[0]['ReceiptHandle'])
        sqs.delete_queue(QueueUrl=url)
        self.assertAwsError('AWS.SimpleQueueService.NonExistentQueue', sqs.get_queue_url,
                            QueueName='jobs')
        self.assertAwsError('AWS.SimpleQueueService.QueueDeletedRecently', sqs.create_queue,
                            QueueName='jobs')


    def test_queue_policy(self):
        """Policy through Set/GetQueueAttributes as AWS keeps it: valid JSON with a
        Statement, left out of every answer while unset, removed by "" (what
        aws_sqs_queue_policy relies on)."""
        sqs = self.client('sqs')
        url = sqs.create_queue(QueueName='inbox')['QueueUrl']
        self.assertNotIn('Policy', sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=['All'])['Attributes'])
        self.assertEqual(sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=['Policy']).get('Attributes', {}), {})
        policy = json.dumps({'Version': '2012-10-17', 'Statement': [{
            'Effect': 'Allow', 'Principal': {'Service': 'events.amazonaws.com'},
            'Action': 'sqs:SendMessage', 'Resource': 'arn:aws:sqs:eu-west-1:123456789012:inbox',
            'Condition': {'ArnEquals': {
                'aws:SourceArn': 'arn:aws:events:eu-west-1:123456789012:rule/nightly'}}}]})
        err = self.assertAwsError('InvalidAttributeValue', sqs.set_queue_attributes,
                                  QueueUrl=url, Attributes={'Policy': '{"Statement": ['})
        self.assertIn('Policy', str(err))
        self.assertAwsError('InvalidAttributeValue', sqs.set_queue_attributes, QueueUrl=url,
                            Attributes={'Policy': '{"Version": "2012-10-17"}'})
        self.assertNotIn('Policy', sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=['All'])['Attributes'])
        sqs.set_queue_attributes(QueueUrl=url, Attributes={'Policy': policy})
        got = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=['Policy'])['Attributes']
        self.assertEqual(list(got), ['Policy'])
        self.assertEqual(json.loads(got['Policy']), json.loads(policy))
        # another attribute leaves the policy alone
        sqs.set_queue_attributes(QueueUrl=url, Attributes={'DelaySeconds': '3'})
        self.assertEqual(json.loads(sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=['All'])['Attributes']['Policy']), json.loads(policy))
        sqs.set_queue_attributes(QueueUrl=url, Attributes={'Policy': ''})
        self.assertEqual(sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=['Policy']).get('Attributes', {}), {})
        self.assertNotIn('Policy', sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=['All'])['Attributes'])
        sqs.set_queue_attributes(QueueUrl=url, Attributes={'Policy': ''})  # none: still fine
        sqs.delete_queue(QueueUrl=url)
        self.assertAwsError('AWS.SimpleQueueService.NonExistentQueue', sqs.set_queue_attributes,
                            QueueUrl=url, Attributes={'Policy': policy})
        self.assertAwsError('AWS.SimpleQueueService.NonExistentQueue', sqs.get_queue_attributes,
                            QueueUrl=url, AttributeNames=['Policy'])


class SsmTest(EmulatorTestCase):
    SERVICES = ['ssm']

    def test_parameters(self):
        ssm = self.client('ssm')
        self.assertEqual(ssm.put_parameter(Name='/app/pw', Value='s3cret', Type='SecureString',
                                           Tags=[{'Key': 'a', 'Value': 'b'}])['Version'], 1)
        self.assertAwsError('ParameterAlreadyExists', ssm.put_parameter, Name='/app/pw',
                            Value='x', Type='SecureString')
        self.assertAwsError('ValidationException', ssm.put_parameter, Name='/app/pw', Value='x',
                            Overwrite=True, Tags=[{'Key': 'a', 'Value': 'b'}])
        self.assertAwsError('ValidationException', ssm.put_parameter, Name='/aws/x', Value='x',
                            Type='String')
        self.assertAwsError('ValidationException', ssm.put_parameter, Name='app/x', Value='x',
                            Type='String')
        self.assertAwsError('ValidationException', ssm.put_parameter, Name='big', Value='x' * 4097,
                            Type='String')
        self.assertAwsError('ValidationException', ssm.put_parameter, Name='k', Value='x',
                            Type='String', KeyId='alias/x')
        self.assertEqual(ssm.put_parameter(Name='/app/pw', Value='new', Overwrite=True)['Version'],
                         2)
        p = ssm.get_parameter(Name='/app/pw', WithDecryption=True)['Parameter']
        self.assertEqual((p['Value'], p['Type'], p['Version']), ('new', 'SecureString', 2))
        self.assertNotEqual(ssm.get_parameter(Name='/app/pw')['Parameter']['Value'], 'new')
        got = ssm.get_parameters(Names=['/app/pw', '/nope'], WithDecryption=True)
        self.assertEqual(got['InvalidParameters'], ['/nope'])
        d = ssm.describe_parameters(ParameterFilters=[{'Key': 'Name', 'Values': ['/app/pw']}])
        self.assertEqual(d['Parameters'][0]['KeyId'], 'alias/aws/ssm')
        ssm.add_tags_to_resource(ResourceType='Parameter', ResourceId='/app/pw',
                                 Tags=[{'Key': 'c', 'Value': 'd'}])
        ssm.remove_tags_from_resource(ResourceType='Parameter', ResourceId='/app/pw',
                                      TagKeys=['a'])
        self.assertEqual(ssm.list_tags_for_resource(ResourceType='Parameter',
                                                    ResourceId='/app/pw')['TagList'],
                         [{'Key': 'c', 'Value': 'd'}])
        tagged = self.client('resourcegroupstaggingapi').get_resources(
            ResourceTypeFilters=['ssm:parameter'])['ResourceTagMappingList']
        self.assertEqual([(m['ResourceARN'], m['Tags']) for m in tagged],
                         [('arn:aws:ssm:eu-west-1:123456789012:parameter/app/pw',
                           [{'Key': 'c', 'Value': 'd'}])])
        ssm.delete_parameter(Name='/app/pw')
        self.assertAwsError('ParameterNotFound', ssm.get_parameter, Name='/app/pw')

    def test_describe_parameters_pages(self):
        ssm = self.client('ssm')
        for i in range(12):
            ssm.put_parameter(Name='/p/%02d' % i, Value='v', Type='String')
        names = ['/p/%02d' % i for i in range(12)]
        first = ssm.describe_parameters(ParameterFilters=[{'Key': 'Name', 'Values': names}])
        self.assertEqual(len(first['Parameters']), 10)      # AWS's default page
        rest = ssm.describe_parameters(ParameterFilters=[{'Key': 'Name', 'Values': names}],
                                       NextToken=first['NextToken'])
        self.assertEqual([p['Name'] for p in first['Parameters'] + rest['Parameters']], names)
        self.assertNotIn('NextToken', rest)
        self.assertEqual(len(ssm.describe_parameters(MaxResults=50)['Parameters']), 12)
        self.assertAwsError('ValidationException', ssm.get_parameters, Names=names)  # max 10


class SecretsTest(EmulatorTestCase):
    SERVICES = ['secretsmanager']

    def test_secrets(self):
        sm = self.client('secretsmanager')
        arn = sm.create_secret(Name='prod/db', Tags=[{'Key': 'a', 'Value': 'b'}])['ARN']
        self.assertIn(':secret:prod/db-', arn)
        self.assertAwsError('ResourceExistsException', sm.create_secret, Name='prod/db')
        token = 'a' * 32
        v = sm.put_secret_value(SecretId=arn, SecretString='one', ClientRequestToken=token)
        self.assertEqual((v['VersionId'], v['VersionStages']), (token, ['AWSCURRENT']))
        self.assertEqual(sm.put_secret_value(SecretId=arn, SecretString='one',
                                             ClientRequestToken=token)['VersionId'], token)
        self.assertAwsError('ResourceExistsException', sm.put_secret_value, SecretId=arn,
                            SecretString='two', ClientRequestToken=token)
        v2 = sm.update_secret(SecretId='prod/db', Description='d', SecretString='two')
        self.assertEqual(sm.get_secret_value(SecretId=arn)['SecretString'], 'two')
        self.assertEqual(sm.get_secret_value(SecretId=arn, VersionStage='AWSPREVIOUS')[
            'VersionId'], token)
        self.assertAwsError('InvalidParameterException', sm.update_secret_version_stage,
                            SecretId=arn, VersionStage='AWSCURRENT',
                            RemoveFromVersionId=v2['VersionId'])
        sm.update_secret_version_stage(SecretId=arn, VersionStage='blue', MoveToVersionId=token)
        versions = {x['VersionId']: x['VersionStages'] for x in
                    sm.list_secret_version_ids(SecretId=arn)['Versions']}
        self.assertEqual(sorted(versions[token]), ['AWSPREVIOUS', 'blue'])
        self.assertAwsError('MalformedPolicyDocumentException', sm.put_resource_policy,
                            SecretId=arn, ResourcePolicy='{not json')
        sm.put_resource_policy(SecretId=arn, ResourcePolicy='{"Version": "2012-10-17", '
                               '"Statement": []}')
        self.assertIn('Statement', sm.get_resource_policy(SecretId=arn)['ResourcePolicy'])
        sm.delete_resource_policy(SecretId=arn)
        self.assertNotIn('ResourcePolicy', sm.get_resource_policy(SecretId=arn))
        sm.tag_resource(SecretId=arn, Tags=[{'Key': 'c', 'Value': 'd'}])
        sm.untag_resource(SecretId=arn, TagKeys=['a'])
        self.assertEqual(sm.describe_secret(SecretId=arn)['Tags'], [{'Key': 'c', 'Value': 'd'}])
        self.assertEqual([x['Name'] for x in sm.list_secrets()['SecretList']], ['prod/db'])
        self.assertAwsError('InvalidParameterException', sm.delete_secret, SecretId=arn,
                            RecoveryWindowInDays=3)
        sm.delete_secret(SecretId=arn, RecoveryWindowInDays=7)
        self.assertIn('DeletedDate', sm.describe_secret(SecretId=arn))
        self.assertEqual(sm.list_secrets()['SecretList'], [])
        self.assertAwsError('InvalidRequestException', sm.get_secret_value, SecretId=arn)
        self.assertAwsError('InvalidRequestException', sm.create_secret, Name='prod/db')
        sm.restore_secret(SecretId=arn)
        self.assertEqual(sm.get_secret_value(SecretId=arn)['SecretString'], 'two')
        sm.delete_secret(SecretId=arn, ForceDeleteWithoutRecovery=True)
        self.assertAwsError('ResourceNotFoundException', sm.describe_secret, SecretId=arn)

    def test_list_filters_and_batch_get(self):
        sm = self.client('secretsmanager', region='us-west-2')    # apart from test_secrets
        arns = {}
        for name in ('app/a', 'app/a2', 'app/b', 'other'):
            arns[name] = sm.create_secret(Name=name, SecretString='v-' + name,
                                          Description='D ' + name,
                                          Tags=[{'Key': 'k', 'Value': name}])['ARN']
        sm.create_secret(Name='bare')

        def names(**kw):
            return [x['Name'] for x in sm.list_secrets(**kw)['SecretList']]
        self.assertEqual(names(Filters=[{'Key': 'name', 'Values': ['app/a', 'other']}]),
                         ['app/a', 'app/a2', 'other'])             # prefixes, any of them
        self.assertEqual(names(Filters=[{'Key': 'name', 'Values': ['App']}]), [])
        self.assertEqual(names(Filters=[{'Key': 'description', 'Values': ['d app/b']}]),
                         ['app/b'])                                 # not case-sensitive
        self.assertEqual(names(Filters=[{'Key': 'name', 'Values': ['app', '!app/a']}]),
                         ['app/b'])
        self.assertEqual(names(Filters=[{'Key': 'name', 'Values': ['app']},
                                        {'Key': 'tag-value', 'Values': ['app/b']}]), ['app/b'])
        page = sm.list_secrets(MaxResults=2)
        self.assertEqual(len(page['SecretList']), 2)
        self.assertEqual(len(sm.list_secrets(NextToken=page['NextToken'])['SecretList']), 3)

        # BatchGetSecretValue: botocore 1.29 lacks it; a client on the emulator's model
        bs = botocore.session.Session()
        bs.register_component('data_loader', protocol._LOADER)
        batch = boto3.Session(botocore_session=bs).client(
            'secretsmanager', endpoint_url=self.url, region_name='us-west-2',
            aws_access_key_id=KEY, aws_secret_access_key=SECRET)
        sm.delete_secret(SecretId='other', RecoveryWindowInDays=7)
        got = batch.batch_get_secret_value(SecretIdList=[arns['app/a'], 'app/b', 'other',
                                                         'bare', 'nope'])
        self.assertEqual([(v['Name'], v['SecretString'], v['VersionStages'])
                          for v in got['SecretValues']],
                         [('app/a', 'v-app/a', ['AWSCURRENT']),
                          ('app/b', 'v-app/b', ['AWSCURRENT'])])
        self.assertEqual([(x['SecretId'], x['ErrorCode']) for x in got['Errors']],
                         [('other', 'InvalidRequestException'),
                          ('bare', 'ResourceNotFoundException'),
                          ('nope', 'ResourceNotFoundException')])
        got = batch.batch_get_secret_value(Filters=[{'Key': 'name', 'Values': ['app']}],
                                           MaxResults=2)
        self.assertEqual([v['Name'] for v in got['SecretValues']], ['app/a', 'app/a2'])
        got = batch.batch_get_secret_value(Filters=[{'Key': 'name', 'Values': ['app']}],
                                           NextToken=got['NextToken'])
        self.assertEqual([v['Name'] for v in got['SecretValues']], ['app/b'])
        self.assertAwsError('InvalidParameterException', batch.batch_get_secret_value,
                            SecretIdList=['app/a'], MaxResults=2)
        self.assertAwsError('InvalidParameterException', batch.batch_get_secret_value,
                            SecretIdList=['app/a'], Filters=[{'Key': 'name', 'Values': ['a']}])
        self.assertAwsError('ValidationException', batch.batch_get_secret_value,
                            SecretIdList=['s%d' % i for i in range(21)])      # max 20


if __name__ == '__main__':
    unittest.main()
