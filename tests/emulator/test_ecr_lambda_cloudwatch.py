"""boto3 against the emulator: every ECR, Lambda, CloudWatch and EventBridge operation."""

import json
import unittest

from emutest import EmulatorTestCase, lambda_zip

LAMBDA_TRUST = json.dumps({'Version': '2012-10-17', 'Statement': [{
    'Effect': 'Allow', 'Principal': {'Service': 'lambda.amazonaws.com'},
    'Action': 'sts:AssumeRole'}]})


class EcrTest(EmulatorTestCase):
    SERVICES = ['ecr']

    def test_repositories_and_policies(self):
        ecr = self.client('ecr')
        repo = ecr.create_repository(repositoryName='cron/jobs', imageTagMutability='IMMUTABLE',
                                     tags=[{'Key': 'a', 'Value': '1'}])['repository']
        self.assertEqual(repo['repositoryUri'],
                         '123456789012.dkr.ecr.eu-west-1.amazonaws.com/cron/jobs')
        self.assertAwsError('RepositoryAlreadyExistsException', ecr.create_repository,
                            repositoryName='cron/jobs')
        self.assertAwsError('InvalidParameterException', ecr.create_repository,
                            repositoryName='Upper')
        got = ecr.describe_repositories(repositoryNames=['cron/jobs'])['repositories'][0]
        self.assertEqual(got['imageTagMutability'], 'IMMUTABLE')
        self.assertAwsError('RepositoryNotFoundException', ecr.describe_repositories,
                            repositoryNames=['nope'])
        ecr.put_image_tag_mutability(repositoryName='cron/jobs', imageTagMutability='MUTABLE')
        ecr.put_image_scanning_configuration(repositoryName='cron/jobs',
                                             imageScanningConfiguration={'scanOnPush': True})
        self.assertTrue(ecr.describe_repositories()['repositories'][0]
                        ['imageScanningConfiguration']['scanOnPush'])
        rule = json.dumps({'rules': [{'rulePriority': 1, 'selection': {
            'tagStatus': 'untagged', 'countType': 'imageCountMoreThan', 'countNumber': 5},
            'action': {'type': 'expire'}}]})
        self.assertAwsError('LifecyclePolicyNotFoundException', ecr.get_lifecycle_policy,
                            repositoryName='cron/jobs')
        ecr.put_lifecycle_policy(repositoryName='cron/jobs', lifecyclePolicyText=rule)
        self.assertEqual(ecr.get_lifecycle_policy(repositoryName='cron/jobs')
                         ['lifecyclePolicyText'], rule)
        ecr.delete_lifecycle_policy(repositoryName='cron/jobs')
        policy = json.dumps({'Version': '2012-10-17', 'Statement': [{
            'Sid': 'pull', 'Effect': 'Allow', 'Principal': {'AWS': '*'},
            'Action': ['ecr:BatchGetImage']}]})
        self.assertAwsError('RepositoryPolicyNotFoundException', ecr.get_repository_policy,
                            repositoryName='cron/jobs')
        ecr.set_repository_policy(repositoryName='cron/jobs', policyText=policy)
        self.assertEqual(ecr.get_repository_policy(repositoryName='cron/jobs')['policyText'],
                         policy)
        ecr.delete_repository_policy(repositoryName='cron/jobs')
        arn = repo['repositoryArn']
        ecr.tag_resource(resourceArn=arn, tags=[{'Key': 'b', 'Value': '2'}])
        ecr.untag_resource(resourceArn=arn, tagKeys=['a'])
        self.assertEqual(ecr.list_tags_for_resource(resourceArn=arn)['tags'],
                         [{'Key': 'b', 'Value': '2'}])
        self.assertTrue(ecr.get_authorization_token()['authorizationData'][0]
                        ['authorizationToken'])
        ecr.delete_repository(repositoryName='cron/jobs')
        self.assertAwsError('RepositoryNotFoundException', ecr.delete_repository,
                            repositoryName='cron/jobs')


class LambdaTest(EmulatorTestCase):
    SERVICES = ['lambda']

    def test_functions_permissions_tags(self):
        lam, iam = self.client('lambda'), self.client('iam')
        role = iam.create_role(RoleName='fn', AssumeRolePolicyDocument=LAMBDA_TRUST)['Role']
        bad_role = iam.create_role(RoleName='not-lambda', AssumeRolePolicyDocument='{}')['Role']
        self.assertAwsError('InvalidParameterValueException', lam.create_function,
                            FunctionName='f', Runtime='python3.11', Role=bad_role['Arn'],
                            Handler='main.handler', Code={'ZipFile': lambda_zip()})
        self.assertAwsError('InvalidParameterValueException', lam.create_function,
                            FunctionName='f', Runtime='python3.11', Role=role['Arn'],
                            Handler='main.handler', Code={'ZipFile': b'not a zip'})
        fn = lam.create_function(FunctionName='terminator', Runtime='python3.11',
                                 Role=role['Arn'], Handler='main.handler', Timeout=30,
                                 Code={'ZipFile': lambda_zip()}, Tags={'job': 'a'},
                                 Environment={'Variables': {'BUCKET': 'x'}})
        self.assertEqual(fn['FunctionArn'],
                         'arn:aws:lambda:eu-west-1:123456789012:function:terminator')
        self.assertEqual(fn['State'], 'Pending')
        self.assertEqual(fn['ResponseMetadata']['HTTPStatusCode'], 201)
        self.assertAwsError('ResourceConflictException', lam.create_function,
                            FunctionName='terminator', Runtime='python3.11', Role=role['Arn'],
                            Handler='main.handler', Code={'ZipFile': lambda_zip()})
        lam.get_function(FunctionName='terminator')
        got = lam.get_function(FunctionName='terminator')
        self.assertEqual(got['Configuration']['State'], 'Active')
        self.assertEqual(got['Tags'], {'job': 'a'})
        self.assertEqual(lam.get_function_configuration(FunctionName=fn['FunctionArn'])
                         ['Environment']['Variables'], {'BUCKET': 'x'})
        new_zip = lambda_zip('def handler(e, c):\n    return 2\n')
        upd = lam.update_function_code(FunctionName='terminator', ZipFile=new_zip)
        self.assertEqual(upd['LastUpdateStatus'], 'InProgress')
        self.assertNotEqual(upd['CodeSha256'], fn['CodeSha256'])
        self.assertAwsError('ResourceConflictException', lam.update_function_configuration,
                            FunctionName='terminator', Timeout=60)
        lam.get_function_configuration(FunctionName='terminator')
        lam.update_function_configuration(FunctionName='terminator', Timeout=60)
        lam.get_function_configuration(FunctionName='terminator')
        self.assertEqual(lam.get_function_configuration(FunctionName='terminator')['Timeout'], 60)
        self.assertEqual([f['FunctionName'] for f in lam.list_functions()['Functions']],
                         ['terminator'])

        self.assertAwsError('ResourceNotFoundException', lam.get_policy,
                            FunctionName='terminator')
        stmt = lam.add_permission(FunctionName='terminator', StatementId='s3invoke',
                                  Action='lambda:InvokeFunction', Principal='s3.amazonaws.com',
                                  SourceArn='arn:aws:s3:::data', SourceAccount='123456789012')
        self.assertEqual(json.loads(stmt['Statement'])['Sid'], 's3invoke')
        self.assertAwsError('ResourceConflictException', lam.add_permission,
                            FunctionName='terminator', StatementId='s3invoke',
                            Action='lambda:InvokeFunction', Principal='s3.amazonaws.com')
        policy = json.loads(lam.get_policy(FunctionName='terminator')['Policy'])
        self.assertEqual(policy['Statement'][0]['Condition']['ArnLike']['AWS:SourceArn'],
                         'arn:aws:s3:::data')
        lam.remove_permission(FunctionName='terminator', StatementId='s3invoke')
        self.assertAwsError('ResourceNotFoundException', lam.remove_permission,
                            FunctionName='terminator', StatementId='s3invoke')

        lam.put_function_concurrency(FunctionName='terminator', ReservedConcurrentExecutions=2)
        self.assertEqual(lam.get_function(FunctionName='terminator')['Concurrency']
                         ['ReservedConcurrentExecutions'], 2)
        lam.delete_function_concurrency(FunctionName='terminator')
        lam.tag_resource(Resource=fn['FunctionArn'], Tags={'b': '2'})
        lam.untag_resource(Resource=fn['FunctionArn'], TagKeys=['job'])
        self.assertEqual(lam.list_tags(Resource=fn['FunctionArn'])['Tags'], {'b': '2'})
        self.assertEqual(lam.invoke(FunctionName='terminator')['StatusCode'], 200)
        lam.delete_function(FunctionName='terminator')
        self.assertAwsError('ResourceNotFoundException', lam.get_function,
                            FunctionName='terminator')


class CloudWatchTest(EmulatorTestCase):
    SERVICES = ['cloudwatch']

    def test_alarms(self):
        cw = self.client('cloudwatch')
        action = 'arn:aws:automate:eu-west-1:ec2:stop'
        cw.put_metric_alarm(AlarmName='idle', Namespace='AWS/EC2', MetricName='CPUUtilization',
                            Dimensions=[{'Name': 'InstanceId', 'Value': 'i-0123456789abcdef0'}],
                            Statistic='Average', Period=300, EvaluationPeriods=12,
                            Threshold=1.0, ComparisonOperator='LessThanThreshold',
                            AlarmActions=[action], Tags=[{'Key': 'stack', 'Value': 'web'}])
        self.assertAwsError('ValidationError', cw.put_metric_alarm, AlarmName='bad',
                            Namespace='AWS/EC2', MetricName='CPUUtilization', Period=60,
                            EvaluationPeriods=1, Threshold=1.0, Statistic='Average',
                            ComparisonOperator='LessThanThreshold', AlarmActions=['nonsense'])
        alarm = cw.describe_alarms(AlarmNames=['idle'])['MetricAlarms'][0]
        self.assertEqual(alarm['StateValue'], 'INSUFFICIENT_DATA')
        self.assertEqual(alarm['AlarmActions'], [action])
        self.assertEqual(alarm['Threshold'], 1.0)
        self.assertEqual(alarm['Dimensions'][0]['Value'], 'i-0123456789abcdef0')
        self.assertEqual(len(cw.describe_alarms_for_metric(
            MetricName='CPUUtilization', Namespace='AWS/EC2')['MetricAlarms']), 1)
        cw.disable_alarm_actions(AlarmNames=['idle'])
        self.assertFalse(cw.describe_alarms(AlarmNamePrefix='id')['MetricAlarms'][0]
                         ['ActionsEnabled'])
        cw.enable_alarm_actions(AlarmNames=['idle'])
        cw.set_alarm_state(AlarmName='idle', StateValue='ALARM', StateReason='test')
        self.assertEqual(cw.describe_alarms(StateValue='ALARM')['MetricAlarms'][0]['AlarmName'],
                         'idle')
        arn = alarm['AlarmArn']
        cw.tag_resource(ResourceARN=arn, Tags=[{'Key': 'b', 'Value': '2'}])
        cw.untag_resource(ResourceARN=arn, TagKeys=['stack'])
        self.assertEqual(cw.list_tags_for_resource(ResourceARN=arn)['Tags'],
                         [{'Key': 'b', 'Value': '2'}])
        cw.delete_alarms(AlarmNames=['idle'])
        self.assertEqual(cw.describe_alarms()['MetricAlarms'], [])
        self.assertAwsError('ResourceNotFound', cw.delete_alarms, AlarmNames=['idle'])


class EventsTest(EmulatorTestCase):
    SERVICES = ['events']

    def test_rules_targets_and_tags(self):
        ev = self.client('events')
        self.assertAwsError('ValidationException', ev.put_rule, Name='r')
        self.assertAwsError('ValidationException', ev.put_rule, Name='r',
                            ScheduleExpression='every day')
        self.assertAwsError('InvalidEventPatternException', ev.put_rule, Name='r',
                            EventPattern='[1]')
        self.assertAwsError('ResourceNotFoundException', ev.put_rule, Name='r',
                            EventPattern='{}', EventBusName='orders')
        arn = ev.put_rule(Name='r', ScheduleExpression='rate(5 minutes)',
                          Tags=[{'Key': 'a', 'Value': '1'}])['RuleArn']
        self.assertTrue(arn.endswith(':rule/r'))
        got = ev.describe_rule(Name='r')
        self.assertEqual(got['State'], 'ENABLED')
        self.assertEqual([r['Name'] for r in ev.list_rules(NamePrefix='r')['Rules']], ['r'])
        ev.tag_resource(ResourceARN=arn, Tags=[{'Key': 'b', 'Value': '2'}])
        ev.untag_resource(ResourceARN=arn, TagKeys=['a'])
        self.assertEqual(ev.list_tags_for_resource(ResourceARN=arn)['Tags'],
                         [{'Key': 'b', 'Value': '2'}])
        queue = 'arn:aws:sqs:eu-west-1:123456789012:q'
        res = ev.put_targets(Rule='r', Targets=[{'Id': 't1', 'Arn': queue, 'Input': '{}'}])
        self.assertEqual(res['FailedEntryCount'], 0)
        res = ev.put_targets(Rule='r', Targets=[{
            'Id': 'k', 'Arn': 'arn:aws:kinesis:eu-west-1:123456789012:stream/s'}])
        self.assertEqual(res['FailedEntries'][0]['TargetId'], 'k')
        self.assertAwsError('ValidationException', ev.put_targets, Rule='r', Targets=[{
            'Id': 't2', 'Arn': queue, 'Input': '{}', 'InputPath': '$.a'}])
        self.assertAwsError('ValidationException', ev.put_targets, Rule='r', Targets=[{
            'Id': 't2', 'Arn': queue, 'Input': 'not json'}])
        self.assertAwsError('LimitExceededException', ev.put_targets, Rule='r', Targets=[
            {'Id': 'x%d' % i, 'Arn': queue} for i in range(5)])
        self.assertAwsError('ResourceNotFoundException', ev.put_targets, Rule='nope',
                            Targets=[{'Id': 't', 'Arn': queue}])
        self.assertEqual([t['Id'] for t in ev.list_targets_by_rule(Rule='r')['Targets']],
                         ['t1'])
        self.assertAwsError('ValidationException', ev.delete_rule, Name='r')
        ev.remove_targets(Rule='r', Ids=['t1'])
        ev.delete_rule(Name='r')
        self.assertAwsError('ResourceNotFoundException', ev.describe_rule, Name='r')


if __name__ == '__main__':
    unittest.main(verbosity=2)
