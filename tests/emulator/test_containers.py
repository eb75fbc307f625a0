"""boto3 against the emulator: every ECS, ELBv2, Application Auto Scaling,
RDS, CloudWatch Logs, Auto Scaling and SNS operation, wired together the
way the container stacks (hello-world-fargate, calibrate, time-app) use them."""

import unittest

from emutest import EmulatorTestCase


class ContainerStackTest(EmulatorTestCase):
    SERVICES = ['ecs', 'elbv2', 'application-autoscaling', 'rds', 'logs', 'autoscaling', 'sns']

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        self = cls('network')
        ec2 = self.client('ec2')
        cls.vpc = ec2.create_vpc(CidrBlock='10.20.0.0/16')['Vpc']['VpcId']
        cls.subnets = [ec2.create_subnet(VpcId=cls.vpc, CidrBlock='10.20.%d.0/24' % i,
                                         AvailabilityZone='eu-west-1' + az)['Subnet']['SubnetId']
                       for i, az in ((1, 'a'), (2, 'b'))]
        cls.sg = ec2.create_security_group(GroupName='alb', Description='alb',
                                           VpcId=cls.vpc)['GroupId']

    def network(self):
        """unittest needs a method to build the helper instance above."""

    def load_balancer(self, name):
        elb = self.client('elbv2')
        lb = elb.create_load_balancer(Name=name, Subnets=self.subnets, SecurityGroups=[self.sg],
                                      Tags=[{'Key': 'stack', 'Value': name}])['LoadBalancers'][0]
        tg = elb.create_target_group(Name=name + '-tg', Protocol='HTTP', Port=8080,
                                     VpcId=self.vpc, TargetType='ip', HealthCheckPath='/now',
                                     Matcher={'HttpCode': '200-299'})['TargetGroups'][0]
        return elb, lb, tg

    def test_load_balancing(self):
        elb, lb, tg = self.load_balancer('web')
        self.assertIn(':loadbalancer/app/web/', lb['LoadBalancerArn'])
        self.assertTrue(lb['DNSName'].endswith('.eu-west-1.elb.amazonaws.com'))
        self.assertEqual(lb['State']['Code'], 'provisioning')
        self.assertAwsError('DuplicateLoadBalancerName', elb.create_load_balancer, Name='web',
                            Subnets=self.subnets[:1])
        self.assertAwsError('ValidationError', elb.create_load_balancer, Name='one-az',
                            Subnets=self.subnets[:1])
        elb.describe_load_balancers(Names=['web'])
        self.assertEqual(elb.describe_load_balancers(LoadBalancerArns=[lb['LoadBalancerArn']])
                         ['LoadBalancers'][0]['State']['Code'], 'active')
        self.assertAwsError('LoadBalancerNotFound', elb.describe_load_balancers, Names=['zz'])
        attrs = elb.modify_load_balancer_attributes(
            LoadBalancerArn=lb['LoadBalancerArn'],
            Attributes=[{'Key': 'idle_timeout.timeout_seconds', 'Value': '120'}])['Attributes']
        self.assertIn({'Key': 'idle_timeout.timeout_seconds', 'Value': '120'}, attrs)
        self.assertIn({'Key': 'idle_timeout.timeout_seconds', 'Value': '120'},
                      elb.describe_load_balancer_attributes(
                          LoadBalancerArn=lb['LoadBalancerArn'])['Attributes'])
        elb.set_security_groups(LoadBalancerArn=lb['LoadBalancerArn'], SecurityGroups=[self.sg])
        elb.set_subnets(LoadBalancerArn=lb['LoadBalancerArn'], Subnets=self.subnets)

        self.assertAwsError('CertificateNotFound', elb.create_listener,
                            LoadBalancerArn=lb['LoadBalancerArn'], Protocol='HTTPS', Port=443,
                            DefaultActions=[{'Type': 'forward',
                                             'TargetGroupArn': tg['TargetGroupArn']}])
        self.assertAwsError('CertificateNotFound', elb.create_listener,
                            LoadBalancerArn=lb['LoadBalancerArn'], Protocol='HTTPS', Port=443,
                            Certificates=[{'CertificateArn':
                                           'arn:aws:acm:eu-west-1:123456789012:certificate/x'}],
                            DefaultActions=[{'Type': 'forward',
                                             'TargetGroupArn': tg['TargetGroupArn']}])
        https = elb.create_listener(
            LoadBalancerArn=lb['LoadBalancerArn'], Protocol='HTTPS', Port=443,
            Certificates=[{'CertificateArn': self.import_certificate()}],
            DefaultActions=[{'Type': 'forward', 'TargetGroupArn': tg['TargetGroupArn']}])
        https = https['Listeners'][0]
        http = elb.create_listener(LoadBalancerArn=lb['LoadBalancerArn'], Protocol='HTTP',
                                   Port=80, DefaultActions=[{
                                       'Type': 'fixed-response', 'FixedResponseConfig': {
                                           'StatusCode': '403', 'ContentType': 'text/plain',
                                           'MessageBody': 'HTTPS only'}}])['Listeners'][0]
        self.assertAwsError('DuplicateListener', elb.create_listener,
                            LoadBalancerArn=lb['LoadBalancerArn'], Protocol='HTTP', Port=80,
                            DefaultActions=[{'Type': 'forward',
                                             'TargetGroupArn': tg['TargetGroupArn']}])
        elb.modify_listener(ListenerArn=http['ListenerArn'], DefaultActions=[{
            'Type': 'redirect', 'RedirectConfig': {'Protocol': 'HTTPS', 'Port': '443',
                                                   'StatusCode': 'HTTP_301'}}])
        listeners = elb.describe_listeners(LoadBalancerArn=lb['LoadBalancerArn'])['Listeners']
        self.assertEqual(sorted(x['Port'] for x in listeners), [80, 443])
        self.assertEqual(elb.describe_listeners(ListenerArns=[http['ListenerArn']])['Listeners']
                         [0]['DefaultActions'][0]['RedirectConfig']['StatusCode'], 'HTTP_301')
        self.assertEqual(elb.describe_target_groups(Names=['web-tg'])['TargetGroups'][0]
                         ['LoadBalancerArns'], [lb['LoadBalancerArn']])
        rule = elb.create_rule(ListenerArn=https['ListenerArn'], Priority=10, Conditions=[
            {'Field': 'path-pattern', 'PathPatternConfig': {'Values': ['/api/*']}}],
            Actions=[{'Type': 'forward', 'TargetGroupArn': tg['TargetGroupArn']}])['Rules'][0]
        self.assertAwsError('PriorityInUse', elb.create_rule, ListenerArn=https['ListenerArn'],
                            Priority=10, Conditions=[{'Field': 'path-pattern', 'Values': ['/x']}],
                            Actions=[{'Type': 'forward', 'TargetGroupArn': tg['TargetGroupArn']}])
        elb.modify_rule(RuleArn=rule['RuleArn'], Conditions=[
            {'Field': 'path-pattern', 'PathPatternConfig': {'Values': ['/v2/*']}}])
        elb.set_rule_priorities(RulePriorities=[{'RuleArn': rule['RuleArn'], 'Priority': 20}])
        rules = elb.describe_rules(ListenerArn=https['ListenerArn'])['Rules']
        self.assertEqual([r['Priority'] for r in rules], ['20', 'default'])
        self.assertEqual(elb.describe_rules(RuleArns=[rule['RuleArn']])['Rules'][0]
                         ['Conditions'][0]['PathPatternConfig']['Values'], ['/v2/*'])

        elb.modify_target_group(TargetGroupArn=tg['TargetGroupArn'], HealthCheckPath='/health')
        self.assertEqual(elb.describe_target_groups(TargetGroupArns=[tg['TargetGroupArn']])
                         ['TargetGroups'][0]['HealthCheckPath'], '/health')
        elb.modify_target_group_attributes(TargetGroupArn=tg['TargetGroupArn'], Attributes=[
            {'Key': 'deregistration_delay.timeout_seconds', 'Value': '30'}])
        self.assertIn({'Key': 'deregistration_delay.timeout_seconds', 'Value': '30'},
                      elb.describe_target_group_attributes(
                          TargetGroupArn=tg['TargetGroupArn'])['Attributes'])
        elb.register_targets(TargetGroupArn=tg['TargetGroupArn'],
                             Targets=[{'Id': '10.20.1.10', 'Port': 8080}])
        self.assertEqual(elb.describe_target_health(TargetGroupArn=tg['TargetGroupArn'])
                         ['TargetHealthDescriptions'][0]['TargetHealth']['State'], 'healthy')
        elb.deregister_targets(TargetGroupArn=tg['TargetGroupArn'], Targets=[{'Id': '10.20.1.10'}])
        elb.add_tags(ResourceArns=[tg['TargetGroupArn']], Tags=[{'Key': 'a', 'Value': '1'}])
        elb.remove_tags(ResourceArns=[lb['LoadBalancerArn']], TagKeys=['stack'])
        tags = elb.describe_tags(ResourceArns=[lb['LoadBalancerArn'], tg['TargetGroupArn']])
        self.assertEqual([t['Tags'] for t in tags['TagDescriptions']],
                         [[], [{'Key': 'a', 'Value': '1'}]])

        self.assertAwsError('ResourceInUse', elb.delete_target_group,
                            TargetGroupArn=tg['TargetGroupArn'])
        elb.delete_rule(RuleArn=rule['RuleArn'])
        elb.delete_listener(ListenerArn=https['ListenerArn'])
        elb.delete_load_balancer(LoadBalancerArn=lb['LoadBalancerArn'])
        elb.delete_target_group(TargetGroupArn=tg['TargetGroupArn'])
        self.assertAwsError('ListenerNotFound', elb.describe_listeners,
                            ListenerArns=[http['ListenerArn']])
        self.assertAwsError('TargetGroupNotFound', elb.describe_target_groups,
                            TargetGroupArns=[tg['TargetGroupArn']])

    def test_ecs_service_with_autoscaling(self):
        ecs, aas = self.client('ecs'), self.client('application-autoscaling')
        elb, lb, tg = self.load_balancer('app')
        cluster = ecs.create_cluster(clusterName='app', tags=[{'key': 'a', 'value': '1'}])
        self.assertEqual(cluster['cluster']['status'], 'ACTIVE')
        ecs.update_cluster(cluster='app', settings=[{'name': 'containerInsights',
                                                      'value': 'enabled'}])
        self.assertIn(cluster['cluster']['clusterArn'], ecs.list_clusters()['clusterArns'])
        self.assertAwsError('ClientException', ecs.register_task_definition, family='web',
                            requiresCompatibilities=['FARGATE'], networkMode='bridge',
                            containerDefinitions=[{'name': 'web', 'image': 'nginx'}])
        td = ecs.register_task_definition(
            family='web', requiresCompatibilities=['FARGATE'], networkMode='awsvpc',
            cpu='256', memory='512',
            executionRoleArn='arn:aws:iam::123456789012:role/exec',
            containerDefinitions=[{'name': 'web', 'image': 'repo/web:1', 'essential': True,
                                   'portMappings': [{'containerPort': 8080}],
                                   'environment': [{'name': 'DB', 'value': 'x'}],
                                   'logConfiguration': {'logDriver': 'awslogs', 'options': {
                                       'awslogs-group': '/ecs/web'}}}],
            tags=[{'key': 't', 'value': '1'}])['taskDefinition']
        self.assertEqual(td['revision'], 1)
        self.assertTrue(td['taskDefinitionArn'].endswith(':task-definition/web:1'))
        got = ecs.describe_task_definition(taskDefinition='web', include=['TAGS'])
        self.assertEqual(got['taskDefinition']['containerDefinitions'][0]['portMappings'][0]
                         ['containerPort'], 8080)
        self.assertEqual(got['tags'], [{'key': 't', 'value': '1'}])
        network = {'awsvpcConfiguration': {'subnets': self.subnets, 'securityGroups': [self.sg],
                                           'assignPublicIp': 'ENABLED'}}
        lbs = [{'targetGroupArn': tg['TargetGroupArn'], 'containerName': 'web',
                'containerPort': 8080}]
        self.assertAwsError('InvalidParameterException', ecs.create_service, cluster='app',
                            serviceName='web', taskDefinition='web', desiredCount=2,
                            launchType='FARGATE', networkConfiguration=network,
                            loadBalancers=lbs)
        elb.create_listener(LoadBalancerArn=lb['LoadBalancerArn'], Protocol='HTTP', Port=80,
                            DefaultActions=[{'Type': 'forward',
                                             'TargetGroupArn': tg['TargetGroupArn']}])
        svc = ecs.create_service(cluster='app', serviceName='web', taskDefinition='web:1',
                                 desiredCount=2, launchType='FARGATE', loadBalancers=lbs,
                                 networkConfiguration=network)['service']
        self.assertEqual((svc['runningCount'], svc['deployments'][0]['rolloutState']),
                         (0, 'IN_PROGRESS'))
        ecs.describe_services(cluster='app', services=['web'])
        steady = ecs.describe_services(cluster='app', services=['web'])['services'][0]
        self.assertEqual((steady['runningCount'], len(steady['deployments'])), (2, 1))
        self.assertIn('has reached a steady state', steady['events'][0]['message'])
        missing = ecs.describe_services(cluster='app', services=['nope'])
        self.assertEqual(missing['failures'][0]['reason'], 'MISSING')
        self.assertEqual(len(ecs.list_services(cluster='app')['serviceArns']), 1)

        resource = 'service/app/web'
        self.assertAwsError('ObjectNotFoundException', aas.put_scaling_policy,
                            PolicyName='cpu', ServiceNamespace='ecs', ResourceId=resource,
                            ScalableDimension='ecs:service:DesiredCount',
                            PolicyType='TargetTrackingScaling',
                            TargetTrackingScalingPolicyConfiguration={'TargetValue': 70.0})
        self.assertAwsError('ValidationException', aas.register_scalable_target,
                            ServiceNamespace='ecs', ResourceId='service/app/nope',
                            ScalableDimension='ecs:service:DesiredCount', MinCapacity=1,
                            MaxCapacity=4)
        aas.register_scalable_target(ServiceNamespace='ecs', ResourceId=resource,
                                     ScalableDimension='ecs:service:DesiredCount',
                                     MinCapacity=1, MaxCapacity=4)
        pol = aas.put_scaling_policy(
            PolicyName='cpu', ServiceNamespace='ecs', ResourceId=resource,
            ScalableDimension='ecs:service:DesiredCount', PolicyType='TargetTrackingScaling',
            TargetTrackingScalingPolicyConfiguration={
                'TargetValue': 70.0, 'PredefinedMetricSpecification': {
                    'PredefinedMetricType': 'ECSServiceAverageCPUUtilization'}})
        self.assertEqual(len(pol['Alarms']), 2)
        self.assertEqual(aas.describe_scalable_targets(ServiceNamespace='ecs', ResourceIds=[
            resource])['ScalableTargets'][0]['MaxCapacity'], 4)
        got = aas.describe_scaling_policies(ServiceNamespace='ecs', ResourceId=resource)
        self.assertEqual(got['ScalingPolicies'][0]['TargetTrackingScalingPolicyConfiguration']
                         ['TargetValue'], 70.0)
        aas.delete_scaling_policy(PolicyName='cpu', ServiceNamespace='ecs', ResourceId=resource,
                                  ScalableDimension='ecs:service:DesiredCount')
        aas.deregister_scalable_target(ServiceNamespace='ecs', ResourceId=resource,
                                       ScalableDimension='ecs:service:DesiredCount')
        self.assertAwsError('ObjectNotFoundException', aas.deregister_scalable_target,
                            ServiceNamespace='ecs', ResourceId=resource,
                            ScalableDimension='ecs:service:DesiredCount')

        td2 = ecs.register_task_definition(family='web', requiresCompatibilities=['FARGATE'],
                                           networkMode='awsvpc', cpu='256', memory='512',
                                           containerDefinitions=[{'name': 'web',
                                                                  'image': 'repo/web:2'}])
        upd = ecs.update_service(cluster='app', service='web', desiredCount=3,
                                 taskDefinition=td2['taskDefinition']['taskDefinitionArn'])
        self.assertEqual(len(upd['service']['deployments']), 2)
        self.assertEqual(ecs.list_task_definitions(familyPrefix='web')['taskDefinitionArns'][-1],
                         td2['taskDefinition']['taskDefinitionArn'])
        self.assertEqual(ecs.list_task_definition_families()['families'], ['web'])
        ecs.deregister_task_definition(taskDefinition='web:1')
        self.assertEqual(ecs.describe_task_definition(taskDefinition='web:1')['taskDefinition']
                         ['status'], 'INACTIVE')
        arn = svc['serviceArn']
        ecs.tag_resource(resourceArn=arn, tags=[{'key': 'b', 'value': '2'}])
        ecs.untag_resource(resourceArn=arn, tagKeys=['nothing'])
        self.assertEqual(ecs.list_tags_for_resource(resourceArn=arn)['tags'],
                         [{'key': 'b', 'value': '2'}])
        self.assertAwsError('ClusterContainsServicesException', ecs.delete_cluster, cluster='app')
        self.assertAwsError('InvalidParameterException', ecs.delete_service, cluster='app',
                            service='web')
        ecs.delete_service(cluster='app', service='web', force=True)
        ecs.describe_services(cluster='app', services=['web'])
        self.assertEqual(ecs.describe_services(cluster='app', services=['web'])['services'][0]
                         ['status'], 'INACTIVE')
        self.assertEqual(ecs.delete_cluster(cluster='app')['cluster']['status'], 'INACTIVE')
        self.assertEqual(ecs.describe_clusters(clusters=['app', 'gone'])['failures'][0]['reason'],
                         'MISSING')

    def test_autoscaling_describe_many(self):
        """Many targets / policies in one Describe: ResourceIds and PolicyNames name up to 50,
        pages of 50 targets and 10 policies by default, NextToken to follow."""
        aas = self.client('application-autoscaling')
        dim = 'dynamodb:table:ReadCapacityUnits'
        ids = ['table/many-%02d' % i for i in range(12)]
        conf = {'TargetValue': 70.0, 'PredefinedMetricSpecification': {
            'PredefinedMetricType': 'DynamoDBReadCapacityUtilization'}}
        for rid in ids:
            aas.register_scalable_target(ServiceNamespace='dynamodb', ResourceId=rid,
                                         ScalableDimension=dim, MinCapacity=1, MaxCapacity=2)
            aas.put_scaling_policy(PolicyName='p-' + rid[-2:], ServiceNamespace='dynamodb',
                                   ResourceId=rid, ScalableDimension=dim,
                                   PolicyType='TargetTrackingScaling',
                                   TargetTrackingScalingPolicyConfiguration=conf)
        got = aas.describe_scalable_targets(ServiceNamespace='dynamodb',
                                            ResourceIds=ids[:5] + ['table/none'], MaxResults=3)
        self.assertEqual(len(got['ScalableTargets']), 3)
        rest = aas.describe_scalable_targets(ServiceNamespace='dynamodb',
                                             ResourceIds=ids[:5] + ['table/none'],
                                             NextToken=got['NextToken'], MaxResults=3)
        self.assertNotIn('NextToken', rest)
        self.assertEqual(sorted(t['ResourceId'] for t in got['ScalableTargets'] +
                                rest['ScalableTargets']), ids[:5])
        names = ['p-%02d' % i for i in range(12)]
        first = aas.describe_scaling_policies(ServiceNamespace='dynamodb', PolicyNames=names)
        self.assertEqual(len(first['ScalingPolicies']), 10)
        second = aas.describe_scaling_policies(ServiceNamespace='dynamodb', PolicyNames=names,
                                               NextToken=first['NextToken'])
        self.assertEqual(sorted(p['PolicyName'] for p in first['ScalingPolicies'] +
                                second['ScalingPolicies']), names)
        self.assertAwsError('ValidationException', aas.describe_scaling_policies,
                            ServiceNamespace='dynamodb', MaxResults=11)
        self.assertAwsError('ValidationException', aas.describe_scalable_targets,
                            ServiceNamespace='dynamodb', ResourceIds=['t/%d' % i
                                                                      for i in range(51)])

    def test_rds(self):
        rds = self.client('rds')
        self.assertAwsError('DBSubnetGroupDoesNotCoverEnoughAZs', rds.create_db_subnet_group,
                            DBSubnetGroupName='one', DBSubnetGroupDescription='x',
                            SubnetIds=self.subnets[:1])
        group = rds.create_db_subnet_group(DBSubnetGroupName='db', DBSubnetGroupDescription='db',
                                           SubnetIds=self.subnets)['DBSubnetGroup']
        self.assertEqual(group['VpcId'], self.vpc)
        rds.modify_db_subnet_group(DBSubnetGroupName='db', DBSubnetGroupDescription='db2',
                                   SubnetIds=self.subnets)
        self.assertEqual(rds.describe_db_subnet_groups(DBSubnetGroupName='db')['DBSubnetGroups']
                         [0]['DBSubnetGroupDescription'], 'db2')
        self.assertAwsError('InvalidParameterValue', rds.create_db_instance,
                            DBInstanceIdentifier='x', DBInstanceClass='db.t3.micro',
                            Engine='postgres', MasterUsername='app', MasterUserPassword='short',
                            AllocatedStorage=20)
        inst = rds.create_db_instance(DBInstanceIdentifier='calibrate', Engine='postgres',
                                      DBInstanceClass='db.t3.micro', AllocatedStorage=20,
                                      MasterUsername='app', MasterUserPassword='s3cret-pass',
                                      DBName='app', DBSubnetGroupName='db',
                                      VpcSecurityGroupIds=[self.sg],
                                      Tags=[{'Key': 'a', 'Value': '1'}])['DBInstance']
        self.assertEqual(inst['DBInstanceStatus'], 'creating')
        self.assertNotIn('Endpoint', inst)
        self.assertAwsError('DBInstanceAlreadyExists', rds.create_db_instance,
                            DBInstanceIdentifier='calibrate', Engine='postgres',
                            DBInstanceClass='db.t3.micro', MasterUsername='app',
                            MasterUserPassword='s3cret-pass', AllocatedStorage=20)
        rds.describe_db_instances(DBInstanceIdentifier='calibrate')
        ready = rds.describe_db_instances(DBInstanceIdentifier='calibrate')['DBInstances'][0]
        self.assertEqual(ready['DBInstanceStatus'], 'available')
        self.assertEqual(ready['Endpoint']['Port'], 5432)
        self.assertAwsError('InvalidDBSubnetGroupStateFault', rds.delete_db_subnet_group,
                            DBSubnetGroupName='db')
        rds.modify_db_instance(DBInstanceIdentifier='calibrate', AllocatedStorage=30,
                               ApplyImmediately=True)
        rds.add_tags_to_resource(ResourceName=ready['DBInstanceArn'],
                                 Tags=[{'Key': 'b', 'Value': '2'}])
        rds.remove_tags_from_resource(ResourceName=ready['DBInstanceArn'], TagKeys=['a'])
        self.assertEqual(rds.list_tags_for_resource(ResourceName=ready['DBInstanceArn'])
                         ['TagList'], [{'Key': 'b', 'Value': '2'}])
        rds.describe_db_instances()
        self.assertEqual([d['DBInstanceIdentifier'] for d in rds.describe_db_instances(
            Filters=[{'Name': 'db-instance-id', 'Values': ['calibrate', 'nope']}])['DBInstances']],
            ['calibrate'])
        self.assertAwsError('InvalidParameterCombination', rds.delete_db_instance,
                            DBInstanceIdentifier='calibrate')
        rds.delete_db_instance(DBInstanceIdentifier='calibrate',
                               FinalDBSnapshotIdentifier='calibrate-final')
        self.assertEqual(rds.describe_db_snapshots(DBSnapshotIdentifier='calibrate-final')
                         ['DBSnapshots'][0]['Status'], 'available')
        rds.describe_db_instances(DBInstanceIdentifier='calibrate')
        self.assertAwsError('DBInstanceNotFound', rds.describe_db_instances,
                            DBInstanceIdentifier='calibrate')
        rds.delete_db_snapshot(DBSnapshotIdentifier='calibrate-final')
        rds.delete_db_subnet_group(DBSubnetGroupName='db')
        self.assertAwsError('DBSubnetGroupNotFoundFault', rds.describe_db_subnet_groups,
                            DBSubnetGroupName='db')

    def test_logs(self):
        logs = self.client('logs')
        logs.create_log_group(logGroupName='/ecs/web', tags={'a': '1'})
        self.assertAwsError('ResourceAlreadyExistsException', logs.create_log_group,
                            logGroupName='/ecs/web')
        logs.put_retention_policy(logGroupName='/ecs/web', retentionInDays=14)
        self.assertAwsError('InvalidParameterException', logs.put_retention_policy,
                            logGroupName='/ecs/web', retentionInDays=13)
        group = logs.describe_log_groups(logGroupNamePrefix='/ecs/')['logGroups'][0]
        self.assertEqual(group['retentionInDays'], 14)
        self.assertEqual(group['arn'], 'arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/web:*')
        logs.delete_retention_policy(logGroupName='/ecs/web')
        logs.tag_log_group(logGroupName='/ecs/web', tags={'b': '2'})
        logs.untag_log_group(logGroupName='/ecs/web', tags=['a'])
        self.assertEqual(logs.list_tags_log_group(logGroupName='/ecs/web')['tags'], {'b': '2'})
        arn = group['arn'][:-2]
        logs.tag_resource(resourceArn=arn, tags={'c': '3'})
        logs.untag_resource(resourceArn=arn, tagKeys=['b'])
        self.assertEqual(logs.list_tags_for_resource(resourceArn=arn)['tags'], {'c': '3'})
        logs.delete_log_group(logGroupName='/ecs/web')
        self.assertAwsError('ResourceNotFoundException', logs.delete_log_group,
                            logGroupName='/ecs/web')

    def test_autoscaling_groups(self):
        ec2, asg = self.client('ec2'), self.client('autoscaling')
        ami = ec2.describe_images(Owners=['amazon'])['Images'][0]['ImageId']
        lt = ec2.create_launch_template(LaunchTemplateName='hosts', LaunchTemplateData={
            'ImageId': ami, 'InstanceType': 't3.small'})['LaunchTemplate']
        self.assertAwsError('ValidationError', asg.create_auto_scaling_group,
                            AutoScalingGroupName='bad', MinSize=1, MaxSize=2,
                            LaunchTemplate={'LaunchTemplateName': 'missing'},
                            VPCZoneIdentifier=','.join(self.subnets))
        asg.create_auto_scaling_group(
            AutoScalingGroupName='hosts', MinSize=1, MaxSize=3, DesiredCapacity=2,
            LaunchTemplate={'LaunchTemplateId': lt['LaunchTemplateId'], 'Version': '$Latest'},
            VPCZoneIdentifier=','.join(self.subnets),
            Tags=[{'Key': 'Name', 'Value': 'ecs-host', 'PropagateAtLaunch': True}])
        self.assertAwsError('AlreadyExists', asg.create_auto_scaling_group,
                            AutoScalingGroupName='hosts', MinSize=1, MaxSize=3,
                            LaunchTemplate={'LaunchTemplateId': lt['LaunchTemplateId']})
        group = asg.describe_auto_scaling_groups(AutoScalingGroupNames=['hosts'])[
            'AutoScalingGroups'][0]
        self.assertEqual(len(group['Instances']), 2)
        self.assertEqual(group['AvailabilityZones'], ['eu-west-1a', 'eu-west-1b'])
        asg.update_auto_scaling_group(AutoScalingGroupName='hosts', MaxSize=5)
        asg.set_desired_capacity(AutoScalingGroupName='hosts', DesiredCapacity=4)
        self.assertAwsError('ValidationError', asg.set_desired_capacity,
                            AutoScalingGroupName='hosts', DesiredCapacity=9)
        tg = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/x/0123456789abcdef'
        asg.attach_load_balancer_target_groups(AutoScalingGroupName='hosts', TargetGroupARNs=[tg])
        asg.detach_load_balancer_target_groups(AutoScalingGroupName='hosts', TargetGroupARNs=[tg])
        asg.create_or_update_tags(Tags=[{'ResourceId': 'hosts', 'ResourceType':
                                         'auto-scaling-group', 'Key': 'env', 'Value': 'x',
                                         'PropagateAtLaunch': False}])
        asg.delete_tags(Tags=[{'ResourceId': 'hosts', 'ResourceType': 'auto-scaling-group',
                               'Key': 'Name'}])
        tags = asg.describe_tags(Filters=[{'Name': 'auto-scaling-group', 'Values': ['hosts']}])
        self.assertEqual([t['Key'] for t in tags['Tags']], ['env'])
        self.assertAwsError('ResourceInUse', asg.delete_auto_scaling_group,
                            AutoScalingGroupName='hosts')
        asg.delete_auto_scaling_group(AutoScalingGroupName='hosts', ForceDelete=True)
        self.assertEqual(asg.describe_auto_scaling_groups()['AutoScalingGroups'], [])

    def test_sns(self):
        sns = self.client('sns')
        arn = sns.create_topic(Name='alarms', Tags=[{'Key': 'a', 'Value': '1'}])['TopicArn']
        self.assertEqual(arn, 'arn:aws:sns:eu-west-1:123456789012:alarms')
        self.assertEqual(sns.create_topic(Name='alarms')['TopicArn'], arn)   # idempotent
        sns.set_topic_attributes(TopicArn=arn, AttributeName='DisplayName', AttributeValue='AL')
        self.assertEqual(sns.get_topic_attributes(TopicArn=arn)['Attributes']['DisplayName'], 'AL')
        self.assertAwsError('NotFound', sns.get_topic_attributes,
                            TopicArn='arn:aws:sns:eu-west-1:123456789012:nope')
        self.assertEqual(sns.list_topics()['Topics'], [{'TopicArn': arn}])
        self.assertEqual(sns.subscribe(TopicArn=arn, Protocol='email',
                                       Endpoint='ops@example.com')['SubscriptionArn'],
                         'pending confirmation')
        sub = sns.subscribe(TopicArn=arn, Protocol='email', Endpoint='ops@example.com',
                            ReturnSubscriptionArn=True)['SubscriptionArn']
        self.assertTrue(sub.startswith(arn + ':'))
        attrs = sns.get_subscription_attributes(SubscriptionArn=sub)['Attributes']
        self.assertEqual((attrs['Protocol'], attrs['PendingConfirmation']), ('email', 'true'))
        sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName='FilterPolicy',
                                        AttributeValue='{}')
        self.assertEqual(sns.list_subscriptions_by_topic(TopicArn=arn)['Subscriptions'][0]
                         ['SubscriptionArn'], 'PendingConfirmation')
        self.assertEqual(len(sns.list_subscriptions()['Subscriptions']), 1)
        self.assertTrue(sns.publish(TopicArn=arn, Message='hi')['MessageId'])
        sns.tag_resource(ResourceArn=arn, Tags=[{'Key': 'b', 'Value': '2'}])
        sns.untag_resource(ResourceArn=arn, TagKeys=['a'])
        self.assertEqual(sns.list_tags_for_resource(ResourceArn=arn)['Tags'],
                         [{'Key': 'b', 'Value': '2'}])
        sns.unsubscribe(SubscriptionArn=sub)
        sns.delete_topic(TopicArn=arn)
        self.assertEqual(sns.list_topics()['Topics'], [])


if __name__ == '__main__':
    unittest.main(verbosity=2)
