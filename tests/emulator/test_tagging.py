"""boto3 against the emulator: the Resource Groups Tagging API's
GetResources over S3, SNS and Logs tags, and IAM's
GetAccountAuthorizationDetails and ListRoles (no tags, as AWS)."""

import json
import unittest

from emutest import EmulatorTestCase

TRUST = json.dumps({'Version': '2012-10-17', 'Statement': [{
    'Effect': 'Allow', 'Principal': {'Service': 'ec2.amazonaws.com'},
    'Action': 'sts:AssumeRole'}]})


class TaggingTest(EmulatorTestCase):
    SERVICES = ['resourcegroupstaggingapi']

    def test_get_resources(self):
        s3, sns, logs = self.client('s3'), self.client('sns'), self.client('logs')
        tagging = self.client('resourcegroupstaggingapi')
        loc = {'LocationConstraint': 'eu-west-1'}
        s3.create_bucket(Bucket='tagged-b', CreateBucketConfiguration=loc)
        s3.create_bucket(Bucket='plain-b', CreateBucketConfiguration=loc)
        s3.put_bucket_tagging(Bucket='tagged-b', Tagging={'TagSet': [{'Key': 'k', 'Value': 'b'}]})
        topic = sns.create_topic(Name='t1', Tags=[{'Key': 'k', 'Value': 't'}])['TopicArn']
        logs.create_log_group(logGroupName='/g/1', tags={'k': 'g'})
        arns = ['arn:aws:s3:::tagged-b', 'arn:aws:s3:::plain-b', topic,
                'arn:aws:logs:eu-west-1:123456789012:log-group:/g/1']
        got = tagging.get_resources(ResourceARNList=arns)['ResourceTagMappingList']
        self.assertEqual({g['ResourceARN']: g['Tags'][0]['Value'] for g in got},
                         {arns[0]: 'b', topic: 't', arns[3]: 'g'})   # plain-b: never tagged
        cw, ecr = self.client('cloudwatch'), self.client('ecr')
        cw.put_metric_alarm(AlarmName='a1', MetricName='CPU', Namespace='AWS/EC2', Statistic='Average',
                            Period=60, EvaluationPeriods=1, Threshold=1,
                            ComparisonOperator='GreaterThanThreshold',
                            Tags=[{'Key': 'k', 'Value': 'a'}])
        repo = ecr.create_repository(repositoryName='r1', tags=[{'Key': 'k', 'Value': 'r'}])
        more = ['arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a1',
                repo['repository']['repositoryArn']]
        got = tagging.get_resources(ResourceARNList=more)['ResourceTagMappingList']
        self.assertEqual([g['Tags'][0]['Value'] for g in got], ['a', 'r'])
        got = tagging.get_resources(ResourceTypeFilters=['sns'])['ResourceTagMappingList']
        self.assertEqual([g['ResourceARN'] for g in got], [topic])
        page = tagging.get_resources(ResourcesPerPage=4)
        self.assertEqual(len(page['ResourceTagMappingList']), 4)
        rest = tagging.get_resources(PaginationToken=page['PaginationToken'])
        self.assertEqual(len(rest['ResourceTagMappingList']), 1)
        self.assertEqual(rest['PaginationToken'], '')
        self.assertAwsError('InvalidParameterException', tagging.get_resources,
                            ResourceARNList=[topic], ResourceTypeFilters=['sns'])

    def test_iam_authorization_details(self):
        iam = self.client('iam')
        iam.create_role(RoleName='r1', AssumeRolePolicyDocument=TRUST, Description='d',
                        Tags=[{'Key': 'k', 'Value': 'v'}])
        iam.put_role_policy(RoleName='r1', PolicyName='p', PolicyDocument=TRUST)
        listed = iam.list_roles()['Roles'][0]
        self.assertEqual(listed['Description'], 'd')
        self.assertNotIn('Tags', listed)                   # ListRoles leaves tags out
        detail = iam.get_account_authorization_details(Filter=['Role'])['RoleDetailList'][0]
        self.assertEqual(detail['Tags'], [{'Key': 'k', 'Value': 'v'}])
        self.assertEqual(detail['RolePolicyList'][0]['PolicyName'], 'p')
        self.assertEqual(detail['RolePolicyList'][0]['PolicyDocument']['Statement'][0]['Action'],
                         'sts:AssumeRole')
        self.assertNotIn('Description', detail)


if __name__ == '__main__':
    unittest.main()
