"""The emulator is at least as strict as AWS: botocore's model constraints on
every request (lengths, patterns, enums, ranges, list and map sizes) and the
service rules models cannot express (S3 tags, ACM certificates behind HTTPS
listeners, ECS task definition sizes), each answered with AWS's error code.
boto3 clients with parameter_validation off send what they are given, as
cpstack does; every rejected request has a passing twin."""

import json
import unittest
import urllib.request

from emutest import EmulatorTestCase, lambda_zip, self_signed_pem

import constraints

TRUST = json.dumps({'Version': '2012-10-17', 'Statement': [{
    'Effect': 'Allow', 'Principal': {'Service': 'lambda.amazonaws.com'},
    'Action': 'sts:AssumeRole'}]})
AMI = 'ami-0c1bea58988a989155'


class StrictCase(EmulatorTestCase):

    def raw(self, service, **kw):
        return self.client(service, parameter_validation=False, **kw)

    def rejected(self, code, fn, *fragments, **kwargs):
        err = self.assertAwsError(code, fn, **kwargs)
        self.assertEqual(err.response['ResponseMetadata']['HTTPStatusCode'], 400, str(err))
        for fragment in fragments:
            self.assertIn(fragment, err.response['Error']['Message'])
        return err


class JavaRegexTest(unittest.TestCase):
    """botocore's patterns are Java regexes; Python gets an equivalent."""

    def test_unicode_classes_and_surrogates(self):
        tag = constraints.java_regex(r'^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$')
        self.assertIsNotNone(tag.fullmatch('Équipe 7 日本 a_b.c:d/e=f+g-h@i'))
        self.assertIsNone(tag.fullmatch('30 2 * * 0'))
        text = constraints.java_regex(
            r'[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*')
        self.assertIsNotNone(text.fullmatch('emoji \U0001F600 ok\n'))
        self.assertIsNone(text.fullmatch('bell \x07'))
        self.assertIsNotNone(constraints.java_regex(r'\p{Print}+').fullmatch('a b~'))

    def test_java_only_syntax(self):
        self.assertIsNone(constraints.java_regex(r'[\w+=,.@-]+').fullmatch('é'))  # \w is ASCII
        self.assertIsNotNone(constraints.java_regex(r'\Qa.b\E\z').fullmatch('a.b'))
        self.assertIsNone(constraints.java_regex(r'\Qa.b\E').fullmatch('axb'))
        self.assertIsNotNone(constraints.java_regex(r'(?<year>\d{4})').fullmatch('2026'))
        self.assertIsNone(constraints.java_regex(r'[a-z&&[^b]]'))      # counted, not guessed
        self.assertIn(r'[a-z&&[^b]]', constraints.SKIPPED_PATTERNS)


class ModelConstraintTest(StrictCase):
    """Generic checks from the input shapes, one case per protocol and kind."""

    def test_query_lengths_patterns_lists_ranges(self):
        iam = self.raw('iam')
        self.rejected('ValidationError', iam.create_role,
                      "Value '%s' at 'roleName' failed to satisfy constraint: Member must have "
                      "length less than or equal to 64" % ('r' * 65),
                      RoleName='r' * 65, AssumeRolePolicyDocument=TRUST)
        self.rejected('ValidationError', iam.create_role,
                      "at 'roleName' failed to satisfy constraint: Member must satisfy regular "
                      "expression pattern: [\\w+=,.@-]+",
                      RoleName='bad name!', AssumeRolePolicyDocument=TRUST)
        self.rejected('ValidationError', iam.create_role,
                      "Value '30 2 * * 0' at 'tags.1.member.value' failed to satisfy constraint",
                      RoleName='cron', AssumeRolePolicyDocument=TRUST,
                      Tags=[{'Key': 'schedule', 'Value': '30 2 * * 0'}])
        self.rejected('ValidationError', iam.create_role,
                      "at 'tags' failed to satisfy constraint: Member must have length less "
                      "than or equal to 50", RoleName='many', AssumeRolePolicyDocument=TRUST,
                      Tags=[{'Key': 'k%d' % i, 'Value': 'v'} for i in range(51)])
        self.rejected('ValidationError', iam.create_role, '2 validation errors detected',
                      "'roleName'", "'path'", RoleName='x' * 65, Path='no-slashes',
                      AssumeRolePolicyDocument=TRUST)
        iam.create_role(RoleName='cron', AssumeRolePolicyDocument=TRUST, Path='/svc/',
                        Tags=[{'Key': 'schedule', 'Value': '30 2 : 0'}])
        self.rejected('ValidationError', self.raw('sts').assume_role,
                      "at 'durationSeconds' failed to satisfy constraint: Member must have "
                      "value greater than or equal to 900",
                      RoleArn='arn:aws:iam::123456789012:role/cron', RoleSessionName='s',
                      DurationSeconds=60)
        self.rejected('ValidationError', self.raw('elbv2').describe_load_balancers,
                      "at 'pageSize'", PageSize=0)

    def test_json_services(self):
        self.rejected('InvalidParameterException', self.raw('logs').create_log_group,
                      "Value 'bad name!' at 'logGroupName' failed to satisfy constraint: Member "
                      "must satisfy regular expression pattern", logGroupName='bad name!')
        self.rejected('InvalidParameterException', self.raw('logs').create_log_group,
                      "at 'tags' failed to satisfy constraint: Map keys must satisfy "
                      "constraint: [Member must have length less than or equal to 128",
                      logGroupName='/app/ok-2', tags={'k' * 129: 'v'})
        self.rejected('InvalidParameterException', self.raw('logs').create_log_group,
                      "at 'tags' failed to satisfy constraint: Map value must satisfy "
                      "constraint: [Member must satisfy regular expression pattern",
                      logGroupName='/app/ok-2', tags={'cron': '0 * * * *'})
        self.raw('logs').create_log_group(logGroupName='/app/ok-1', tags={'cron': '0 : 5'})
        self.rejected('InvalidParameterException', self.raw('logs').put_retention_policy,
                      "at 'retentionInDays'", logGroupName='/app/ok-1', retentionInDays=0)
        self.rejected('InvalidParameterException', self.raw('ecr').create_repository,
                      "at 'repositoryName'", repositoryName='Upper/Case')
        self.rejected('InvalidParameterException', self.raw('ecs').tag_resource,
                      "at 'tags.1.member.value'",
                      resourceArn='arn:aws:ecs:eu-west-1:123456789012:cluster/c',
                      tags=[{'key': 'cron', 'value': '*/5 * * * *'}])
        self.rejected('ValidationException',
                      self.raw('application-autoscaling').describe_scalable_targets,
                      "Value 'nope' at 'serviceNamespace' failed to satisfy constraint: Member "
                      "must satisfy enum value set: [", ServiceNamespace='nope')

    def test_rest_json_lambda(self):
        role = self.raw('iam').create_role(RoleName='fn', AssumeRolePolicyDocument=TRUST)
        lam = self.raw('lambda')
        base = dict(FunctionName='f', Role=role['Role']['Arn'], Handler='main.handler',
                    Code={'ZipFile': lambda_zip()})
        self.rejected('ValidationException', lam.create_function,
                      "Value 'python2.1' at 'runtime' failed to satisfy constraint: Member must "
                      "satisfy enum value set", Runtime='python2.1', **base)
        self.rejected('ValidationException', lam.create_function,
                      "Value '0' at 'timeout' failed to satisfy constraint: Member must have "
                      "value greater than or equal to 1", Runtime='python3.12', Timeout=0, **base)
        # newer than botocore 1.29's enum, accepted by AWS: accepted here
        lam.create_function(Runtime='python3.12', **base)

    def test_ec2(self):
        ec2 = self.raw('ec2')
        self.rejected('InvalidParameterValue', ec2.run_instances,
                      "Invalid value 't9.huge' for InstanceType.", ImageId=AMI,
                      InstanceType='t9.huge', MinCount=1, MaxCount=1)
        self.rejected('InvalidParameterValue', ec2.describe_vpcs,
                      'Value (1) for parameter MaxResults is invalid. Member must have value '
                      'greater than or equal to 5', MaxResults=1)
        self.rejected('InvalidParameterValue', ec2.create_launch_template,
                      'parameter LaunchTemplateName is invalid', LaunchTemplateName='a b',
                      LaunchTemplateData={})
        ec2.describe_vpcs(MaxResults=5)

    def test_s3(self):
        s3 = self.raw('s3')
        s3.create_bucket(Bucket='strict-s3',
                         CreateBucketConfiguration={'LocationConstraint': 'eu-west-1'})
        self.rejected('InvalidStorageClass', s3.put_object, Bucket='strict-s3', Key='k',
                      Body=b'x', StorageClass='CHEAP')
        err = self.rejected('InvalidArgument', s3.put_object, Bucket='strict-s3', Key='k',
                            Body=b'x', ACL='everyone')
        self.assertEqual(err.response['Error']['ArgumentName'], 'x-amz-acl')
        self.rejected('MalformedXML', s3.put_bucket_versioning, Bucket='strict-s3',
                      VersioningConfiguration={'Status': 'On'})
        s3.put_object(Bucket='strict-s3', Key='k', Body=b'x', ACL='private',
                      StorageClass='STANDARD_IA')

    def test_admin_counts_what_is_checked(self):
        with urllib.request.urlopen(self.url + '/_emulator/constraints') as r:
            doc = json.loads(r.read())
        self.assertGreater(doc['operations'], 300)
        for kind in ('required', 'length', 'pattern', 'enum', 'range'):
            self.assertGreater(doc['constraints'].get(kind, 0), 100, kind)
        self.assertNotIn('pattern_skipped', doc['constraints'])
        self.assertEqual(doc['checked'], sum(doc['constraints'].values()))


class S3TagRulesTest(StrictCase):
    """S3's tag rules on x-amz-tagging, PutObjectTagging and PutBucketTagging."""

    def setUp(self):
        super().setUp()
        self.s3 = self.raw('s3')
        if 'tags' not in [b['Name'] for b in self.s3.list_buckets()['Buckets']]:
            self.s3.create_bucket(Bucket='tags',
                                  CreateBucketConfiguration={'LocationConstraint': 'eu-west-1'})
            self.s3.put_object(Bucket='tags', Key='o', Body=b'x')

    def test_charset(self):
        self.rejected('InvalidTag', self.s3.put_object, 'The TagValue you have provided is '
                      'invalid', Bucket='tags', Key='job', Body=b'x',
                      Tagging='schedule=30%202%20%2A%20%2A%200')
        self.rejected('InvalidTag', self.s3.put_object_tagging, 'The TagKey you have provided '
                      'is invalid', Bucket='tags', Key='o',
                      Tagging={'TagSet': [{'Key': 'a!', 'Value': 'v'}]})
        self.rejected('InvalidTag', self.s3.put_bucket_tagging, Bucket='tags',
                      Tagging={'TagSet': [{'Key': 'k', 'Value': 'a&b'}]})
        self.s3.put_object(Bucket='tags', Key='job', Body=b'x',
                           Tagging='schedule=30%202%20%3A%200&Team%20%C3%89=a_b.c%2Fd%3De%2Bf-%40')
        self.assertEqual(self.s3.get_object_tagging(Bucket='tags', Key='job')['TagSet'],
                         [{'Key': 'schedule', 'Value': '30 2 : 0'},
                          {'Key': 'Team É', 'Value': 'a_b.c/d=e+f-@'}])

    def test_lengths_prefix_and_counts(self):
        put = self.s3.put_object_tagging
        put(Bucket='tags', Key='o', Tagging={'TagSet': [{'Key': 'k' * 128, 'Value': 'v' * 256}]})
        self.rejected('InvalidTag', put, Bucket='tags', Key='o',
                      Tagging={'TagSet': [{'Key': 'k' * 129, 'Value': ''}]})
        self.rejected('InvalidTag', put, Bucket='tags', Key='o',
                      Tagging={'TagSet': [{'Key': 'k', 'Value': 'v' * 257}]})
        self.rejected('InvalidTag', put, 'aws:', Bucket='tags', Key='o',
                      Tagging={'TagSet': [{'Key': 'aws:owner', 'Value': 'me'}]})
        self.rejected('BadRequest', put, 'Object tags cannot be greater than 10', Bucket='tags',
                      Key='o', Tagging={'TagSet': [{'Key': 'k%d' % i, 'Value': ''}
                                                   for i in range(11)]})
        self.rejected('BadRequest', self.s3.put_object, Bucket='tags', Key='p', Body=b'',
                      Tagging='&'.join('k%d=v' % i for i in range(11)))
        bucket_tags = [{'Key': 'k%d' % i, 'Value': 'v'} for i in range(51)]
        self.rejected('BadRequest', self.s3.put_bucket_tagging,
                      'Bucket tags cannot be greater than 50', Bucket='tags',
                      Tagging={'TagSet': bucket_tags})
        self.s3.put_bucket_tagging(Bucket='tags', Tagging={'TagSet': bucket_tags[:50]})
        self.assertEqual(len(self.s3.get_bucket_tagging(Bucket='tags')['TagSet']), 50)


class CertificateTest(StrictCase):
    """ACM ImportCertificate & co., and HTTPS/TLS listeners that need them."""

    SERVICES = ['acm']

    def lb(self):
        ec2, elb = self.client('ec2'), self.client('elbv2')
        vpc = ec2.create_vpc(CidrBlock='10.9.0.0/16')['Vpc']['VpcId']
        subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock='10.9.%d.0/24' % i,
                                     AvailabilityZone='eu-west-1' + az)['Subnet']['SubnetId']
                   for i, az in ((1, 'a'), (2, 'b'))]
        lb = elb.create_load_balancer(Name='tls', Subnets=subnets)['LoadBalancers'][0]
        return elb, lb['LoadBalancerArn']

    def test_request_validate_tags(self):
        """A requested certificate: DNS records to make, PENDING_VALIDATION then
        ISSUED on a later read, the idempotency token, tags."""
        acm = self.client('acm')
        req = dict(DomainName='shop.example.com', SubjectAlternativeNames=['www.shop.example.com'],
                   ValidationMethod='DNS', IdempotencyToken='abc123',
                   Tags=[{'Key': 'app', 'Value': 'shop'}])
        arn = acm.request_certificate(**req)['CertificateArn']
        self.assertEqual(acm.request_certificate(**req)['CertificateArn'], arn)
        self.rejected('InvalidParameterException', acm.request_certificate,
                      **dict(req, DomainName='other.example.com'))
        detail = acm.describe_certificate(CertificateArn=arn)['Certificate']
        self.assertEqual((detail['Type'], detail['Status']), ('AMAZON_ISSUED',
                                                             'PENDING_VALIDATION'))
        records = [o['ResourceRecord'] for o in detail['DomainValidationOptions']]
        self.assertEqual([r['Type'] for r in records], ['CNAME', 'CNAME'])
        self.assertTrue(records[1]['Name'].endswith('.www.shop.example.com.'))
        self.assertEqual(acm.describe_certificate(CertificateArn=arn)['Certificate']['Status'],
                         'ISSUED')
        acm.add_tags_to_certificate(CertificateArn=arn, Tags=[{'Key': 'team', 'Value': 'web'}])
        acm.remove_tags_from_certificate(CertificateArn=arn, Tags=[{'Key': 'app'}])
        self.assertEqual(acm.list_tags_for_certificate(CertificateArn=arn)['Tags'],
                         [{'Key': 'team', 'Value': 'web'}])
        self.rejected('InvalidTagException', acm.add_tags_to_certificate, CertificateArn=arn,
                      Tags=[{'Key': 'aws:x', 'Value': 'y'}])
        self.rejected('ValidationException', acm.request_certificate, DomainName='bad_name.com')
        acm.delete_certificate(CertificateArn=arn)

    def test_import_describe_list_delete(self):
        acm = self.client('acm')
        cert, key = self_signed_pem('shop.example.com')
        arn = acm.import_certificate(Certificate=cert, PrivateKey=key,
                                     Tags=[{'Key': 'app', 'Value': 'shop'}])['CertificateArn']
        self.assertRegex(arn, r'^arn:aws:acm:eu-west-1:123456789012:certificate/[0-9a-f-]{36}$')
        detail = acm.describe_certificate(CertificateArn=arn)['Certificate']
        self.assertEqual(detail['DomainName'], 'shop.example.com')
        self.assertEqual(detail['SubjectAlternativeNames'], ['shop.example.com'])
        self.assertEqual((detail['Type'], detail['Status'], detail['KeyAlgorithm']),
                         ('IMPORTED', 'ISSUED', 'RSA-2048'))
        self.assertEqual(detail['InUseBy'], [])
        listed = acm.list_certificates()['CertificateSummaryList']
        self.assertEqual([c['CertificateArn'] for c in listed], [arn])
        self.assertEqual(acm.list_certificates(CertificateStatuses=['EXPIRED'])
                         ['CertificateSummaryList'], [])
        # re-import keeps the ARN
        cert2, key2 = self_signed_pem('shop2.example.com')
        self.assertEqual(acm.import_certificate(CertificateArn=arn, Certificate=cert2,
                                                PrivateKey=key2)['CertificateArn'], arn)
        self.assertEqual(acm.describe_certificate(CertificateArn=arn)['Certificate']
                         ['DomainName'], 'shop2.example.com')
        self.rejected('ValidationException', acm.import_certificate, Certificate=cert,
                      PrivateKey=key2)                  # key of another certificate
        self.rejected('ValidationException', acm.import_certificate, Certificate=b'not a pem',
                      PrivateKey=key)
        self.rejected('ValidationException', self.raw('acm').describe_certificate,
                      "at 'certificateArn' failed to satisfy constraint",
                      CertificateArn='arn:aws:s3:::bucket')
        self.rejected('InvalidArnException', acm.describe_certificate,
                      CertificateArn='arn:aws:acm:eu-west-1:123456789012:certificate/NOT-HEX')
        self.rejected('ResourceNotFoundException', self.client('acm', region='us-east-1')
                      .describe_certificate, CertificateArn=arn)
        acm.delete_certificate(CertificateArn=arn)
        self.rejected('ResourceNotFoundException', acm.delete_certificate, CertificateArn=arn)

    def test_listener_needs_an_existing_certificate(self):
        elb, lb = self.lb()
        fixed = [{'Type': 'fixed-response', 'FixedResponseConfig': {'StatusCode': '200'}}]
        made_up = 'arn:aws:acm:eu-west-1:123456789012:certificate/0e2e0e2e-0000-4000-8000-0001'
        self.rejected('CertificateNotFound', elb.create_listener, made_up, LoadBalancerArn=lb,
                      Protocol='HTTPS', Port=443, DefaultActions=fixed,
                      Certificates=[{'CertificateArn': made_up}])
        elsewhere = self.import_certificate(region='us-east-1')     # ACM is regional
        self.rejected('CertificateNotFound', elb.create_listener, LoadBalancerArn=lb,
                      Protocol='HTTPS', Port=443, DefaultActions=fixed,
                      Certificates=[{'CertificateArn': elsewhere}])
        arn = self.import_certificate()
        https = elb.create_listener(LoadBalancerArn=lb, Protocol='HTTPS', Port=443,
                                    DefaultActions=fixed,
                                    Certificates=[{'CertificateArn': arn}])['Listeners'][0]
        acm = self.client('acm')
        self.assertEqual(acm.describe_certificate(CertificateArn=arn)['Certificate']['InUseBy'],
                         [lb])
        self.assertEqual([c['InUse'] for c in acm.list_certificates()['CertificateSummaryList']
                          if c['CertificateArn'] == arn], [True])
        self.rejected('ResourceInUseException', acm.delete_certificate, CertificateArn=arn)
        http = elb.create_listener(LoadBalancerArn=lb, Protocol='HTTP', Port=80,
                                   DefaultActions=fixed)['Listeners'][0]
        self.rejected('CertificateNotFound', elb.modify_listener,
                      ListenerArn=http['ListenerArn'], Protocol='HTTPS', Port=8443,
                      Certificates=[{'CertificateArn': made_up}])
        elb.delete_listener(ListenerArn=https['ListenerArn'])
        acm.delete_certificate(CertificateArn=arn)


class EcsTaskDefinitionTest(StrictCase):
    """ECS RegisterTaskDefinition rules (ClientException, as ECS answers)."""

    def register(self, **kw):
        kw.setdefault('family', 'app')
        return self.raw('ecs').register_task_definition(**kw)

    def container(self, **kw):
        c = {'name': 'app', 'image': 'repo/app:1'}
        c.update(kw)
        return c

    def test_ec2_containers_need_memory(self):
        self.rejected('ClientException', self.register,
                      "Invalid setting for container 'app'. At least one of 'memory' or "
                      "'memoryReservation' must be specified.",
                      containerDefinitions=[self.container()])
        self.register(containerDefinitions=[self.container(memoryReservation=128)])
        self.register(containerDefinitions=[self.container()], memory='512')
        self.rejected('ClientException', self.register, "'memoryReservation'",
                      containerDefinitions=[self.container(memory=128, memoryReservation=256)])
        self.rejected('ClientException', self.register, 'Duplicate container name',
                      containerDefinitions=[self.container(memory=64), self.container(memory=64)])

    def test_fargate_sizes_and_network(self):
        fargate = dict(requiresCompatibilities=['FARGATE'], networkMode='awsvpc',
                       containerDefinitions=[self.container()])
        for cpu, memory in (('256', '512'), ('256', '2048'), ('1 vCPU', '2 GB'),
                            ('4096', '30720'), ('8192', '20480')):
            self.register(cpu=cpu, memory=memory, **fargate)
        for cpu, memory in (('256', '4096'), ('512', '512'), ('1024', '2500'),
                            ('8192', '17408'), ('300', '1024')):
            self.rejected('ClientException', self.register,
                          'No Fargate configuration exists for given values', cpu=cpu,
                          memory=memory, **fargate)
        self.rejected('ClientException', self.register, 'awsvpc', cpu='256', memory='512',
                      requiresCompatibilities=['FARGATE'], networkMode='bridge',
                      containerDefinitions=[self.container()])
        self.rejected('ClientException', self.register, "'cpu' and 'memory'",
                      requiresCompatibilities=['FARGATE'], networkMode='awsvpc',
                      containerDefinitions=[self.container(memory=512)])
        self.rejected('ClientException', self.register, 'host ports and container ports',
                      cpu='256', memory='512', requiresCompatibilities=['FARGATE'],
                      networkMode='awsvpc', containerDefinitions=[self.container(
                          portMappings=[{'containerPort': 8080, 'hostPort': 80}])])


class ServiceRulesTest(StrictCase):
    """Documented rules of EC2, ELBv2, RDS and CloudWatch that botocore's
    models do not carry."""

    def test_ec2_tags(self):
        ec2 = self.raw('ec2')
        spec = lambda tags: [{'ResourceType': 'vpc', 'Tags': tags}]  # noqa: E731
        self.rejected('InvalidParameterValue', ec2.create_vpc, '127', CidrBlock='10.1.0.0/16',
                      TagSpecifications=spec([{'Key': 'k' * 128, 'Value': ''}]))
        self.rejected('InvalidParameterValue', ec2.create_vpc, '255', CidrBlock='10.1.0.0/16',
                      TagSpecifications=spec([{'Key': 'k', 'Value': 'v' * 256}]))
        self.rejected('InvalidParameterValue', ec2.create_vpc, "'aws:'",
                      CidrBlock='10.1.0.0/16', TagSpecifications=spec([{'Key': 'aws:x',
                                                                       'Value': ''}]))
        vpc = ec2.create_vpc(CidrBlock='10.1.0.0/16', TagSpecifications=spec(
            [{'Key': 'k' * 127, 'Value': '30 2 * * 0 ' + 'v' * 244}]))['Vpc']['VpcId']
        ec2.create_tags(Resources=[vpc], Tags=[{'Key': 'k%d' % i, 'Value': ''}
                                               for i in range(49)])
        ec2.create_tags(Resources=[vpc], Tags=[{'Key': 'k0', 'Value': 'same key, no new tag'}])
        self.rejected('TagLimitExceeded', ec2.create_tags, Resources=[vpc],
                      Tags=[{'Key': 'one-too-many', 'Value': ''}])

    def test_security_group_text(self):
        ec2 = self.raw('ec2')
        self.rejected('InvalidParameterValue', ec2.create_security_group,
                      'Character sets beyond ASCII', GroupName='web', Description='Café')
        self.rejected('InvalidParameterValue', ec2.create_security_group, 'GroupName',
                      GroupName='web%', Description='web')
        sg = ec2.create_security_group(GroupName='web', Description='web: 80/443 (#1) [ok]')
        perm = lambda desc: [{'IpProtocol': 'tcp', 'FromPort': 80, 'ToPort': 80,  # noqa: E731
                              'IpRanges': [{'CidrIp': '0.0.0.0/0', 'Description': desc}]}]
        self.rejected('InvalidParameterValue', ec2.authorize_security_group_ingress,
                      'Invalid rule description', GroupId=sg['GroupId'],
                      IpPermissions=perm('it\'s public'))
        ec2.authorize_security_group_ingress(GroupId=sg['GroupId'],
                                             IpPermissions=perm('public http'))

    def test_elbv2_names(self):
        elb = self.raw('elbv2')
        for name, fragment in (('t' * 33, "cannot be longer than '32'"),
                               ('web_tg', 'alphanumeric characters or hyphens'),
                               ('-web', "cannot begin or end with '-'")):
            self.rejected('ValidationError', elb.create_target_group, fragment, Name=name,
                          Protocol='HTTP', Port=80, TargetType='ip')
        self.rejected('ValidationError', elb.create_load_balancer, "'internal-'",
                      Name='internal-web', Subnets=['subnet-1'])
        elb.create_target_group(Name='t' * 32, TargetType='lambda')

    def test_elbv2_target_group_needs_vpc(self):
        # AWS (and moto): instance and ip targets need protocol, port and VPC;
        # lambda targets take none of them
        elb = self.raw('elbv2')
        self.rejected('ValidationError', elb.create_target_group, 'A VPC ID must be specified',
                      Name='novpc', Protocol='HTTP', Port=80)
        self.rejected('ValidationError', elb.create_target_group, 'A port must be specified',
                      Name='noport', Protocol='HTTP', TargetType='ip')
        self.rejected('ValidationError', elb.create_target_group,
                      "Port cannot be specified for target groups with target type 'lambda'",
                      Name='lam', Port=80, TargetType='lambda')

    def test_autoscaling_group_needs_a_place(self):
        asg = self.raw('autoscaling')
        self.rejected('ValidationError', asg.create_auto_scaling_group,
                      'At least one Availability Zone or VPC Subnet is required',
                      AutoScalingGroupName='nowhere', MinSize=0, MaxSize=1,
                      LaunchConfigurationName='x')

    def test_rds_identifier_and_password(self):
        rds = self.raw('rds')
        base = dict(DBInstanceClass='db.t3.micro', Engine='postgres', MasterUsername='app',
                    AllocatedStorage=20)
        for ident in ('1db', 'db--x', 'db-', 'd' * 64, 'db_x'):
            self.rejected('InvalidParameterValue', rds.create_db_instance, 'not a valid '
                          'identifier', DBInstanceIdentifier=ident,
                          MasterUserPassword='s3cret-pass', **base)
        for password in ('has space', 'p@ssword', 'slash/word', 'quote"word'):
            self.rejected('InvalidParameterValue', rds.create_db_instance,
                          'Only printable ASCII', DBInstanceIdentifier='db',
                          MasterUserPassword=password, **base)
        rds.create_db_instance(DBInstanceIdentifier='D' + 'b-1' * 20 + 'x',
                               MasterUserPassword='s3cret-Pass!#%', **base)

    def test_cloudwatch_period(self):
        cw = self.raw('cloudwatch')
        alarm = dict(AlarmName='cpu', MetricName='CPUUtilization', Namespace='AWS/EC2',
                     Statistic='Average', EvaluationPeriods=1, Threshold=80.0,
                     ComparisonOperator='GreaterThanThreshold')
        self.rejected('ValidationError', cw.put_metric_alarm, 'multiple of 60', Period=90,
                      **alarm)
        for period in (10, 30, 60, 300):
            cw.put_metric_alarm(Period=period, **alarm)


if __name__ == '__main__':
    unittest.main(verbosity=2)
