"""boto3 against the emulator: every EC2 operation (networking, security
groups, key pairs, instances and their state machine, AMIs, EIPs, NAT
gateways, launch templates, tags, instance profile associations)."""

import unittest

from emutest import EmulatorTestCase

PUBKEY = ('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx0Y3BzdGFjay10ZXN0LWtleS1tYXRlcmlhbA '
          'dev@example')


def tag_spec(rtype, name):
    return [{'ResourceType': rtype, 'Tags': [{'Key': 'Name', 'Value': name}]}]


class Ec2Test(EmulatorTestCase):
    SERVICES = ['ec2']

    def setUp(self):
        super().setUp()
        self.ec2 = self.client('ec2')

    def network(self, cidr='10.0.0.0/16'):
        ec2 = self.ec2
        vpc = ec2.create_vpc(CidrBlock=cidr, TagSpecifications=tag_spec('vpc', 'net-' + cidr))
        vpc = vpc['Vpc']
        base = cidr.split('.')[0] + '.' + cidr.split('.')[1]
        subnets = [ec2.create_subnet(VpcId=vpc['VpcId'], CidrBlock='%s.%d.0/24' % (base, i),
                                     AvailabilityZone='eu-west-1' + az)['Subnet']
                   for i, az in ((1, 'a'), (2, 'b'))]
        return vpc, subnets

    def test_zones_regions_images(self):
        ec2 = self.ec2
        zones = ec2.describe_availability_zones()['AvailabilityZones']
        self.assertEqual([z['ZoneName'] for z in zones], ['eu-west-1a', 'eu-west-1b',
                                                          'eu-west-1c'])
        self.assertEqual(ec2.describe_regions(RegionNames=['eu-west-1'])['Regions'][0]
                         ['RegionName'], 'eu-west-1')
        images = ec2.describe_images(Owners=['amazon'], Filters=[
            {'Name': 'name', 'Values': ['amzn2-ami-hvm-*-x86_64-gp2']},
            {'Name': 'state', 'Values': ['available']}])['Images']
        self.assertEqual(len(images), 2)
        newest = max(images, key=lambda i: i['CreationDate'])
        self.assertEqual(newest['Name'], 'amzn2-ami-hvm-2.0.20240131.0-x86_64-gp2')
        self.assertAwsError('InvalidAMIID.NotFound', ec2.describe_images,
                            ImageIds=['ami-00000000000000000'])
        self.assertEqual([z['ZoneId'] for z in zones], ['euw1-az1', 'euw1-az2', 'euw1-az3'])
        for region, prefix in (('us-east-1', 'use1'), ('ap-southeast-2', 'apse2'),
                               ('eu-central-1', 'euc1'), ('us-west-2', 'usw2')):
            got = self.client('ec2', region=region).describe_availability_zones(
                ZoneNames=[region + 'b'])['AvailabilityZones']
            self.assertEqual(got[0]['ZoneId'], prefix + '-az2')

    def test_vpc_subnets_gateways_routes(self):
        ec2 = self.ec2
        vpc, subnets = self.network()
        vpc_id = vpc['VpcId']
        self.assertRegex(vpc_id, r'^vpc-[0-9a-f]{17}$')
        self.assertEqual(ec2.describe_vpcs(Filters=[{'Name': 'tag:Name', 'Values': ['net-10.0.*']}])
                         ['Vpcs'][0]['VpcId'], vpc_id)
        self.assertAwsError('InvalidVpcID.NotFound', ec2.describe_vpcs,
                            VpcIds=['vpc-0123456789abcdef0'])
        ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={'Value': True})
        self.assertTrue(ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute='enableDnsHostnames')
                        ['EnableDnsHostnames']['Value'])
        self.assertAwsError('InvalidSubnet.Conflict', ec2.create_subnet, VpcId=vpc_id,
                            CidrBlock='10.0.1.0/25')
        self.assertAwsError('InvalidSubnet.Range', ec2.create_subnet, VpcId=vpc_id,
                            CidrBlock='10.9.0.0/24')
        ec2.modify_subnet_attribute(SubnetId=subnets[0]['SubnetId'],
                                    MapPublicIpOnLaunch={'Value': True})
        got = ec2.describe_subnets(Filters=[{'Name': 'vpc-id', 'Values': [vpc_id]}])['Subnets']
        self.assertEqual(sorted(s['AvailabilityZone'] for s in got), ['eu-west-1a', 'eu-west-1b'])
        self.assertTrue(ec2.describe_subnets(SubnetIds=[subnets[0]['SubnetId']])
                        ['Subnets'][0]['MapPublicIpOnLaunch'])

        igw = ec2.create_internet_gateway(TagSpecifications=tag_spec('internet-gateway', 'gw'))
        igw_id = igw['InternetGateway']['InternetGatewayId']
        ec2.attach_internet_gateway(InternetGatewayId=igw_id, VpcId=vpc_id)
        self.assertAwsError('Resource.AlreadyAssociated', ec2.attach_internet_gateway,
                            InternetGatewayId=igw_id, VpcId=vpc_id)
        self.assertEqual(ec2.describe_internet_gateways(Filters=[
            {'Name': 'attachment.vpc-id', 'Values': [vpc_id]}])['InternetGateways'][0]
            ['InternetGatewayId'], igw_id)
        rtb = ec2.create_route_table(VpcId=vpc_id)['RouteTable']['RouteTableId']
        ec2.create_route(RouteTableId=rtb, DestinationCidrBlock='0.0.0.0/0', GatewayId=igw_id)
        self.assertAwsError('RouteAlreadyExists', ec2.create_route, RouteTableId=rtb,
                            DestinationCidrBlock='0.0.0.0/0', GatewayId=igw_id)
        ec2.replace_route(RouteTableId=rtb, DestinationCidrBlock='0.0.0.0/0', GatewayId=igw_id)
        assoc = ec2.associate_route_table(RouteTableId=rtb, SubnetId=subnets[0]['SubnetId'])
        table = ec2.describe_route_tables(RouteTableIds=[rtb])['RouteTables'][0]
        self.assertEqual([r['DestinationCidrBlock'] for r in table['Routes']],
                         ['10.0.0.0/16', '0.0.0.0/0'])
        self.assertEqual(table['Associations'][0]['SubnetId'], subnets[0]['SubnetId'])
        main = ec2.describe_route_tables(Filters=[{'Name': 'association.main',
                                                   'Values': ['true']},
                                                  {'Name': 'vpc-id', 'Values': [vpc_id]}])
        self.assertEqual(len(main['RouteTables']), 1)
        self.assertAwsError('DependencyViolation', ec2.delete_route_table, RouteTableId=rtb)
        self.assertAwsError('DependencyViolation', ec2.delete_vpc, VpcId=vpc_id)

        ec2.disassociate_route_table(AssociationId=assoc['AssociationId'])
        ec2.delete_route(RouteTableId=rtb, DestinationCidrBlock='0.0.0.0/0')
        ec2.delete_route_table(RouteTableId=rtb)
        self.assertAwsError('DependencyViolation', ec2.delete_internet_gateway,
                            InternetGatewayId=igw_id)
        ec2.detach_internet_gateway(InternetGatewayId=igw_id, VpcId=vpc_id)
        ec2.delete_internet_gateway(InternetGatewayId=igw_id)
        for s in subnets:
            ec2.delete_subnet(SubnetId=s['SubnetId'])
        ec2.delete_vpc(VpcId=vpc_id)
        self.assertAwsError('InvalidVpcID.NotFound', ec2.delete_vpc, VpcId=vpc_id)

    def test_replace_route_table_association(self):
        ec2 = self.ec2
        vpc, subnets = self.network('10.6.0.0/16')
        vpc_id = vpc['VpcId']
        main_filter = [{'Name': 'association.main', 'Values': ['true']},
                       {'Name': 'vpc-id', 'Values': [vpc_id]}]
        main = ec2.describe_route_tables(Filters=main_filter)['RouteTables'][0]
        main_assoc = [a for a in main['Associations'] if a['Main']][0]
        one = ec2.create_route_table(VpcId=vpc_id)['RouteTable']['RouteTableId']
        two = ec2.create_route_table(VpcId=vpc_id)['RouteTable']['RouteTableId']
        assoc = ec2.associate_route_table(RouteTableId=one, SubnetId=subnets[0]['SubnetId'])
        moved = ec2.replace_route_table_association(AssociationId=assoc['AssociationId'],
                                                    RouteTableId=two)
        self.assertNotEqual(moved['NewAssociationId'], assoc['AssociationId'])
        self.assertEqual(moved['AssociationState']['State'], 'associated')
        got = ec2.describe_route_tables(Filters=[
            {'Name': 'association.subnet-id', 'Values': [subnets[0]['SubnetId']]}])
        self.assertEqual([t['RouteTableId'] for t in got['RouteTables']], [two])
        # several association ids in one filter (a batch refresh): the tables holding any of
        # them; an id that no longer exists matches nothing
        many = ec2.describe_route_tables(Filters=[
            {'Name': 'association.route-table-association-id',
             'Values': [moved['NewAssociationId'], main_assoc['RouteTableAssociationId'],
                        assoc['AssociationId']]}])
        self.assertEqual(sorted(t['RouteTableId'] for t in many['RouteTables']),
                         sorted([two, main['RouteTableId']]))
        self.assertAwsError('InvalidAssociationID.NotFound', ec2.replace_route_table_association,
                            AssociationId=assoc['AssociationId'], RouteTableId=one)
        other_vpc = ec2.create_vpc(CidrBlock='10.7.0.0/16')['Vpc']['VpcId']
        foreign = ec2.create_route_table(VpcId=other_vpc)['RouteTable']['RouteTableId']
        self.assertAwsError('InvalidParameterValue', ec2.replace_route_table_association,
                            AssociationId=moved['NewAssociationId'], RouteTableId=foreign)
        # the VPC's main association moves too (a stack taking over the main table)
        new_main = ec2.replace_route_table_association(
            AssociationId=main_assoc['RouteTableAssociationId'], RouteTableId=one)
        self.assertEqual([t['RouteTableId'] for t in ec2.describe_route_tables(
            Filters=main_filter)['RouteTables']], [one])
        ec2.replace_route_table_association(AssociationId=new_main['NewAssociationId'],
                                            RouteTableId=main['RouteTableId'])
        ec2.disassociate_route_table(AssociationId=moved['NewAssociationId'])
        for rtb in (one, two, foreign):
            ec2.delete_route_table(RouteTableId=rtb)

    def test_security_group_rules_one_by_one(self):
        """Rules as objects: tags at authorization, ModifySecurityGroupRules in
        place (id kept), strict filters and ids, revoke by id."""
        ec2 = self.ec2
        vpc, _ = self.network('10.2.0.0/16')
        gid = ec2.create_security_group(GroupName='one', Description='one',
                                        VpcId=vpc['VpcId'])['GroupId']
        rule = ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=[
            {'IpProtocol': 'tcp', 'FromPort': 443, 'ToPort': 443,
             'IpRanges': [{'CidrIp': '10.0.0.0/8'}]}],
            TagSpecifications=tag_spec('security-group-rule', 'https'))['SecurityGroupRules'][0]
        rid = rule['SecurityGroupRuleId']
        listed = ec2.describe_security_group_rules(Filters=[
            {'Name': 'tag:Name', 'Values': ['https']}])['SecurityGroupRules']
        self.assertEqual([r['SecurityGroupRuleId'] for r in listed], [rid])
        self.assertAwsError('InvalidParameterValue', ec2.describe_security_group_rules,
                            Filters=[{'Name': 'vpc-id', 'Values': [vpc['VpcId']]}])
        self.assertAwsError('InvalidSecurityGroupRuleId.NotFound',
                            ec2.describe_security_group_rules,
                            SecurityGroupRuleIds=['sgr-0123456789abcdef0'])
        ec2.modify_security_group_rules(GroupId=gid, SecurityGroupRules=[{
            'SecurityGroupRuleId': rid, 'SecurityGroupRule': {
                'IpProtocol': 'tcp', 'FromPort': 8443, 'ToPort': 8443, 'CidrIpv4': '10.0.0.0/8',
                'Description': 'alt'}}])
        got = ec2.describe_security_group_rules(SecurityGroupRuleIds=[rid])['SecurityGroupRules']
        self.assertEqual((got[0]['FromPort'], got[0]['Description'], got[0]['Tags']),
                         (8443, 'alt', [{'Key': 'Name', 'Value': 'https'}]))
        self.assertAwsError('MissingParameter', ec2.modify_security_group_rules, GroupId=gid,
                            SecurityGroupRules=[{'SecurityGroupRuleId': rid,
                                                 'SecurityGroupRule': {'IpProtocol': 'tcp',
                                                                       'FromPort': 1,
                                                                       'ToPort': 1}}])
        ec2.create_tags(Resources=[rid], Tags=[{'Key': 'Team', 'Value': 'web'}])
        ec2.revoke_security_group_ingress(GroupId=gid, SecurityGroupRuleIds=[rid])
        self.assertEqual(ec2.describe_security_group_rules(Filters=[
            {'Name': 'group-id', 'Values': [gid]}, {'Name': 'tag:Team', 'Values': ['web']}])
            ['SecurityGroupRules'], [])

    def test_security_groups_and_rules(self):
        ec2 = self.ec2
        vpc, _ = self.network('10.1.0.0/16')
        sg = ec2.create_security_group(GroupName='web', Description='web', VpcId=vpc['VpcId'],
                                       TagSpecifications=tag_spec('security-group', 'web'))
        gid = sg['GroupId']
        self.assertAwsError('InvalidGroup.Duplicate', ec2.create_security_group,
                            GroupName='web', Description='again', VpcId=vpc['VpcId'])
        rules = ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=[
            {'IpProtocol': 'tcp', 'FromPort': 22, 'ToPort': 22,
             'IpRanges': [{'CidrIp': '0.0.0.0/0', 'Description': 'ssh'}]},
            {'IpProtocol': 'tcp', 'FromPort': 80, 'ToPort': 80,
             'IpRanges': [{'CidrIp': '0.0.0.0/0'}]}])['SecurityGroupRules']
        self.assertEqual(len(rules), 2)
        self.assertAwsError('InvalidPermission.Duplicate', ec2.authorize_security_group_ingress,
                            GroupId=gid, IpPermissions=[{'IpProtocol': 'tcp', 'FromPort': 22,
                                                         'ToPort': 22, 'IpRanges': [
                                                             {'CidrIp': '0.0.0.0/0'}]}])
        other = ec2.create_security_group(GroupName='db', Description='db',
                                          VpcId=vpc['VpcId'])['GroupId']
        ec2.authorize_security_group_ingress(GroupId=other, IpPermissions=[
            {'IpProtocol': 'tcp', 'FromPort': 5432, 'ToPort': 5432,
             'UserIdGroupPairs': [{'GroupId': gid}]}])
        ec2.authorize_security_group_egress(GroupId=gid, IpPermissions=[
            {'IpProtocol': 'tcp', 'FromPort': 443, 'ToPort': 443,
             'IpRanges': [{'CidrIp': '10.0.0.0/8'}]}])
        desc = ec2.describe_security_groups(GroupIds=[gid])['SecurityGroups'][0]
        self.assertEqual(sorted(p['FromPort'] for p in desc['IpPermissions']), [22, 80])
        self.assertEqual(len(desc['IpPermissionsEgress']), 2)
        by_filter = ec2.describe_security_groups(Filters=[
            {'Name': 'group-name', 'Values': ['db']}, {'Name': 'vpc-id', 'Values': [vpc['VpcId']]}])
        self.assertEqual(by_filter['SecurityGroups'][0]['IpPermissions'][0]['UserIdGroupPairs']
                         [0]['GroupId'], gid)
        listed = ec2.describe_security_group_rules(Filters=[{'Name': 'group-id',
                                                             'Values': [gid]}])
        self.assertEqual(len(listed['SecurityGroupRules']), 4)
        ec2.revoke_security_group_ingress(GroupId=gid, IpPermissions=[
            {'IpProtocol': 'tcp', 'FromPort': 80, 'ToPort': 80,
             'IpRanges': [{'CidrIp': '0.0.0.0/0'}]}])
        self.assertAwsError('InvalidPermission.NotFound', ec2.revoke_security_group_ingress,
                            GroupId=gid, IpPermissions=[{'IpProtocol': 'tcp', 'FromPort': 80,
                                                         'ToPort': 80, 'IpRanges': [
                                                             {'CidrIp': '0.0.0.0/0'}]}])
        ec2.revoke_security_group_egress(GroupId=gid, IpPermissions=[
            {'IpProtocol': '-1', 'IpRanges': [{'CidrIp': '0.0.0.0/0'}]}])
        self.assertAwsError('DependencyViolation', ec2.delete_security_group, GroupId=gid)
        ec2.delete_security_group(GroupId=other)
        ec2.delete_security_group(GroupId=gid)
        self.assertAwsError('InvalidGroup.NotFound', ec2.describe_security_groups,
                            GroupIds=[gid])
        default = ec2.create_security_group(GroupName='in-default', Description='x')
        self.assertEqual(ec2.describe_security_groups(GroupNames=['in-default'])
                         ['SecurityGroups'][0]['GroupId'], default['GroupId'])
        ec2.delete_security_group(GroupName='in-default')

    def test_key_pairs(self):
        ec2 = self.ec2
        imported = ec2.import_key_pair(KeyName='dev', PublicKeyMaterial=PUBKEY.encode())
        self.assertRegex(imported['KeyPairId'], r'^key-[0-9a-f]{17}$')
        self.assertAwsError('InvalidKeyPair.Duplicate', ec2.import_key_pair, KeyName='dev',
                            PublicKeyMaterial=PUBKEY.encode())
        created = ec2.create_key_pair(KeyName='gen')
        self.assertIn('BEGIN RSA PRIVATE KEY', created['KeyMaterial'])
        got = ec2.describe_key_pairs(KeyNames=['dev'], IncludePublicKey=True)['KeyPairs'][0]
        self.assertEqual(got['PublicKey'], PUBKEY)
        self.assertAwsError('InvalidKeyPair.NotFound', ec2.describe_key_pairs, KeyNames=['zz'])
        ec2.delete_key_pair(KeyName='dev')
        ec2.delete_key_pair(KeyPairId=created['KeyPairId'])
        names = [k['KeyName'] for k in ec2.describe_key_pairs()['KeyPairs']]
        self.assertNotIn('dev', names)
        self.assertNotIn('gen', names)

    def run_one(self, **extra):
        ami = self.ec2.describe_images(Owners=['amazon'])['Images'][0]['ImageId']
        args = dict(ImageId=ami, InstanceType='t3.nano', MinCount=1, MaxCount=1)
        args.update(extra)
        return self.ec2.run_instances(**args)

    def state(self, iid):
        return self.ec2.describe_instances(InstanceIds=[iid])['Reservations'][0][
            'Instances'][0]['State']['Name']

    def test_instances_lifecycle(self):
        ec2, iam = self.ec2, self.client('iam')
        iam.create_role(RoleName='ec2-home', AssumeRolePolicyDocument='{}')
        iam.create_instance_profile(InstanceProfileName='home')
        iam.add_role_to_instance_profile(InstanceProfileName='home', RoleName='ec2-home')
        ec2.import_key_pair(KeyName='home-key', PublicKeyMaterial=PUBKEY.encode())
        self.assertAwsError('InvalidParameterValue', self.run_one,
                            IamInstanceProfile={'Name': 'missing'})
        self.assertAwsError('InvalidKeyPair.NotFound', self.run_one, KeyName='nope')
        res = self.run_one(KeyName='home-key', UserData='#!/bin/sh\necho hi\n',
                           IamInstanceProfile={'Name': 'home'}, Monitoring={'Enabled': True},
                           ClientToken='tok-1', TagSpecifications=tag_spec('instance', 'home'))
        inst = res['Instances'][0]
        iid = inst['InstanceId']
        self.assertRegex(iid, r'^i-[0-9a-f]{17}$')
        self.assertEqual(inst['State'], {'Code': 0, 'Name': 'pending'})
        self.assertEqual(inst['Monitoring']['State'], 'enabled')
        self.assertTrue(inst['IamInstanceProfile']['Arn'].endswith(':instance-profile/home'))
        again = self.run_one(KeyName='home-key', ClientToken='tok-1')   # idempotent retry
        self.assertEqual(again['Instances'][0]['InstanceId'], iid)
        self.assertEqual(self.state(iid), 'pending')
        self.assertEqual(self.state(iid), 'running')
        found = ec2.describe_instances(Filters=[{'Name': 'tag:Name', 'Values': ['home']},
                                                {'Name': 'instance-state-name',
                                                 'Values': ['running']}])
        self.assertEqual(found['Reservations'][0]['Instances'][0]['InstanceId'], iid)
        self.assertTrue(found['Reservations'][0]['Instances'][0]['PublicIpAddress'])
        status = ec2.describe_instance_status(InstanceIds=[iid])['InstanceStatuses']
        self.assertEqual(status[0]['InstanceState']['Name'], 'running')
        import base64
        ud = ec2.describe_instance_attribute(InstanceId=iid, Attribute='userData')
        self.assertEqual(base64.b64decode(ud['UserData']['Value']), b'#!/bin/sh\necho hi\n')
        self.assertAwsError('IncorrectInstanceState', ec2.modify_instance_attribute,
                            InstanceId=iid, InstanceType={'Value': 't3.micro'})
        ec2.unmonitor_instances(InstanceIds=[iid])
        ec2.monitor_instances(InstanceIds=[iid])
        ec2.reboot_instances(InstanceIds=[iid])
        stop = ec2.stop_instances(InstanceIds=[iid])['StoppingInstances'][0]
        self.assertEqual(stop['CurrentState']['Name'], 'stopping')
        self.state(iid)
        self.assertEqual(self.state(iid), 'stopped')
        ec2.modify_instance_attribute(InstanceId=iid, InstanceType={'Value': 't3.micro'})
        self.assertEqual(ec2.describe_instance_attribute(InstanceId=iid, Attribute='instanceType')
                         ['InstanceType']['Value'], 't3.micro')
        ec2.start_instances(InstanceIds=[iid])
        ec2.modify_instance_attribute(InstanceId=iid, DisableApiTermination={'Value': True})
        self.assertAwsError('OperationNotPermitted', ec2.terminate_instances, InstanceIds=[iid])
        ec2.modify_instance_attribute(InstanceId=iid, DisableApiTermination={'Value': False})
        term = ec2.terminate_instances(InstanceIds=[iid])['TerminatingInstances'][0]
        self.assertEqual(term['CurrentState']['Name'], 'shutting-down')
        self.state(iid)
        self.assertEqual(self.state(iid), 'terminated')
        self.assertAwsError('InvalidInstanceID.NotFound', ec2.describe_instances,
                            InstanceIds=['i-0000000000000000a'])

    def test_run_instances_network_interfaces(self):
        ec2 = self.ec2
        vpc, subnets = self.network('10.5.0.0/16')       # subnets do not map public IPs
        sg = ec2.create_security_group(GroupName='nic', Description='nic',
                                       VpcId=vpc['VpcId'])['GroupId']
        nic = {'DeviceIndex': 0, 'SubnetId': subnets[1]['SubnetId'],
               'AssociatePublicIpAddress': True, 'Groups': [sg], 'DeleteOnTermination': True}
        inst = self.run_one(NetworkInterfaces=[nic])['Instances'][0]
        self.assertEqual((inst['SubnetId'], inst['VpcId']),
                         (subnets[1]['SubnetId'], vpc['VpcId']))
        self.assertEqual(inst['Placement']['AvailabilityZone'], 'eu-west-1b')
        self.assertEqual([g['GroupId'] for g in inst['SecurityGroups']], [sg])
        self.assertTrue(inst['PrivateIpAddress'].startswith('10.5.2.'))
        self.assertTrue(inst['PublicIpAddress'])
        eni = inst['NetworkInterfaces'][0]
        self.assertRegex(eni['NetworkInterfaceId'], r'^eni-[0-9a-f]{17}$')
        self.assertEqual((eni['SubnetId'], eni['Attachment']['DeviceIndex'],
                          eni['Association']['PublicIp'], eni['Groups'][0]['GroupId']),
                         (subnets[1]['SubnetId'], 0, inst['PublicIpAddress'], sg))
        found = ec2.describe_instances(Filters=[
            {'Name': 'network-interface.subnet-id', 'Values': [subnets[1]['SubnetId']]}])
        self.assertEqual(found['Reservations'][0]['Instances'][0]['InstanceId'],
                         inst['InstanceId'])
        # no public IP when asked not to, even where the subnet maps them
        ec2.modify_subnet_attribute(SubnetId=subnets[0]['SubnetId'],
                                    MapPublicIpOnLaunch={'Value': True})
        private = self.run_one(NetworkInterfaces=[{
            'DeviceIndex': 0, 'SubnetId': subnets[0]['SubnetId'],
            'AssociatePublicIpAddress': False, 'PrivateIpAddress': '10.5.1.99'}])['Instances'][0]
        self.assertNotIn('PublicIpAddress', private)
        self.assertEqual(private['PrivateIpAddress'], '10.5.1.99')
        self.assertEqual(private['SecurityGroups'][0]['GroupName'], 'default')
        self.assertAwsError('InvalidParameterCombination', self.run_one,
                            SubnetId=subnets[0]['SubnetId'], NetworkInterfaces=[nic])
        self.assertAwsError('InvalidParameterCombination', self.run_one,
                            SecurityGroupIds=[sg], NetworkInterfaces=[nic])
        self.assertAwsError('InvalidParameterCombination', self.run_one, NetworkInterfaces=[
            nic, {'DeviceIndex': 1, 'SubnetId': subnets[1]['SubnetId']}])
        self.assertAwsError('InvalidParameterValue', self.run_one, NetworkInterfaces=[
            {'DeviceIndex': 0, 'SubnetId': subnets[0]['SubnetId'],
             'PrivateIpAddress': '10.9.9.9'}])
        self.assertAwsError('InvalidSubnetID.NotFound', self.run_one, NetworkInterfaces=[
            {'DeviceIndex': 0, 'SubnetId': 'subnet-00000000000000000'}])
        enis = ec2.describe_network_interfaces(Filters=[
            {'Name': 'subnet-id', 'Values': [subnets[1]['SubnetId']]},
            {'Name': 'group-id', 'Values': [sg]}])['NetworkInterfaces']
        self.assertEqual([(e['NetworkInterfaceId'], e['Attachment']['InstanceId'],
                           e['AvailabilityZone']) for e in enis],
                         [(eni['NetworkInterfaceId'], inst['InstanceId'], 'eu-west-1b')])
        self.assertAwsError('InvalidNetworkInterfaceID.NotFound',
                            ec2.describe_network_interfaces,
                            NetworkInterfaceIds=['eni-00000000000000000'])
        vols = ec2.describe_volumes(Filters=[
            {'Name': 'attachment.instance-id', 'Values': [private['InstanceId']]}])['Volumes']
        self.assertEqual([(v['Size'], v['VolumeType'], v['Attachments'][0]['Device'])
                          for v in vols], [(8, 'gp2', '/dev/xvda')])
        sized = self.run_one(SubnetId=subnets[0]['SubnetId'], BlockDeviceMappings=[
            {'DeviceName': '/dev/xvda', 'Ebs': {'VolumeSize': 30, 'VolumeType': 'gp3'}}]
        )['Instances'][0]
        vol_id = sized['BlockDeviceMappings'][0]['Ebs']['VolumeId']
        vol = ec2.describe_volumes(VolumeIds=[vol_id])['Volumes'][0]
        self.assertEqual((vol['Size'], vol['VolumeType'], vol['Iops'], vol['State']),
                         (30, 'gp3', 3000, 'in-use'))
        meta = ec2.modify_instance_metadata_options(InstanceId=sized['InstanceId'],
                                                    HttpTokens='required',
                                                    HttpPutResponseHopLimit=2)
        self.assertEqual(meta['InstanceMetadataOptions']['HttpTokens'], 'required')
        got = ec2.describe_instances(InstanceIds=[sized['InstanceId']])['Reservations'][0][
            'Instances'][0]['MetadataOptions']
        self.assertEqual((got['HttpTokens'], got['HttpPutResponseHopLimit']), ('required', 2))
        self.assertAwsError('InvalidParameterValue', ec2.modify_instance_metadata_options,
                            InstanceId=sized['InstanceId'], HttpPutResponseHopLimit=99)
        ec2.terminate_instances(InstanceIds=[inst['InstanceId'], private['InstanceId'],
                                             sized['InstanceId']])
        self.assertEqual(ec2.describe_volumes(VolumeIds=[vol_id])['Volumes'][0]['VolumeId'],
                         vol_id)                      # shutting-down: still attached
        self.assertAwsError('InvalidVolume.NotFound', ec2.describe_volumes, VolumeIds=[vol_id])
        self.state(inst['InstanceId'])
        got = ec2.describe_instances(InstanceIds=[inst['InstanceId']])['Reservations'][0][
            'Instances'][0]
        self.assertEqual((got['State']['Name'], got['NetworkInterfaces']), ('terminated', []))

    def test_instance_profile_associations(self):
        ec2, iam = self.ec2, self.client('iam')
        for name in ('assoc-a', 'assoc-b'):
            iam.create_instance_profile(InstanceProfileName=name)
        launched = self.run_one(IamInstanceProfile={'Name': 'assoc-a'})['Instances'][0]
        plain = self.run_one()['Instances'][0]
        got = ec2.describe_iam_instance_profile_associations(Filters=[
            {'Name': 'instance-id', 'Values': [launched['InstanceId']]}])
        first = got['IamInstanceProfileAssociations'][0]
        self.assertEqual(first['State'], 'associated')
        self.assertTrue(first['IamInstanceProfile']['Arn'].endswith('/assoc-a'))
        self.assertAwsError('InvalidParameterValue', ec2.associate_iam_instance_profile,
                            InstanceId=plain['InstanceId'], IamInstanceProfile={'Name': 'nope'})
        assoc = ec2.associate_iam_instance_profile(
            InstanceId=plain['InstanceId'],
            IamInstanceProfile={'Arn': 'arn:aws:iam::123456789012:instance-profile/assoc-b'}
        )['IamInstanceProfileAssociation']
        self.assertRegex(assoc['AssociationId'], r'^iip-assoc-[0-9a-f]{17}$')
        self.assertEqual(assoc['State'], 'associating')
        self.assertAwsError('IncorrectState', ec2.associate_iam_instance_profile,
                            InstanceId=plain['InstanceId'],
                            IamInstanceProfile={'Name': 'assoc-a'})
        ids = [assoc['AssociationId']]
        states = [ec2.describe_iam_instance_profile_associations(AssociationIds=ids)[
            'IamInstanceProfileAssociations'][0]['State'] for _ in range(2)]
        self.assertEqual(states, ['associating', 'associated'])
        inst = ec2.describe_instances(InstanceIds=[plain['InstanceId']])['Reservations'][0][
            'Instances'][0]
        self.assertTrue(inst['IamInstanceProfile']['Arn'].endswith('/assoc-b'))
        new = ec2.replace_iam_instance_profile_association(
            AssociationId=assoc['AssociationId'], IamInstanceProfile={'Name': 'assoc-a'}
        )['IamInstanceProfileAssociation']
        self.assertNotEqual(new['AssociationId'], assoc['AssociationId'])
        self.assertAwsError('InvalidAssociationID.NotFound',
                            ec2.replace_iam_instance_profile_association,
                            AssociationId=assoc['AssociationId'],
                            IamInstanceProfile={'Name': 'assoc-a'})
        gone = ec2.disassociate_iam_instance_profile(AssociationId=new['AssociationId'])
        self.assertEqual(gone['IamInstanceProfileAssociation']['State'], 'disassociating')
        inst = ec2.describe_instances(InstanceIds=[plain['InstanceId']])['Reservations'][0][
            'Instances'][0]
        self.assertNotIn('IamInstanceProfile', inst)
        for _ in range(2):
            left = ec2.describe_iam_instance_profile_associations(Filters=[
                {'Name': 'instance-id', 'Values': [plain['InstanceId']]}])
        self.assertEqual(left['IamInstanceProfileAssociations'], [])
        self.assertAwsError('InvalidAssociationID.NotFound',
                            ec2.disassociate_iam_instance_profile,
                            AssociationId=new['AssociationId'])
        ec2.terminate_instances(InstanceIds=[launched['InstanceId'], plain['InstanceId']])
        self.assertEqual(ec2.describe_iam_instance_profile_associations()[
            'IamInstanceProfileAssociations'], [])

    def test_addresses_nat_gateways(self):
        ec2 = self.ec2
        vpc, subnets = self.network('10.2.0.0/16')
        eip = ec2.allocate_address(Domain='vpc', TagSpecifications=tag_spec('elastic-ip', 'e'))
        nat = ec2.create_nat_gateway(SubnetId=subnets[0]['SubnetId'],
                                     AllocationId=eip['AllocationId'], ClientToken='nat-1',
                                     TagSpecifications=tag_spec('natgateway', 'n'))['NatGateway']
        self.assertEqual(nat['State'], 'pending')
        ids = [nat['NatGatewayId']]
        ec2.describe_nat_gateways(NatGatewayIds=ids)
        self.assertEqual(ec2.describe_nat_gateways(NatGatewayIds=ids)['NatGateways'][0]['State'],
                         'available')
        self.assertAwsError('InvalidIPAddress.InUse', ec2.release_address,
                            AllocationId=eip['AllocationId'])
        self.assertAwsError('DependencyViolation', ec2.delete_subnet,
                            SubnetId=subnets[0]['SubnetId'])
        ec2.delete_nat_gateway(NatGatewayId=ids[0])
        ec2.describe_nat_gateways(NatGatewayIds=ids)
        self.assertEqual(ec2.describe_nat_gateways(Filter=[{'Name': 'state', 'Values':
                                                            ['deleted']}])['NatGateways'][0]
                         ['NatGatewayId'], ids[0])
        ec2.release_address(AllocationId=eip['AllocationId'])

        eip = ec2.allocate_address(Domain='vpc')
        iid = self.run_one(SubnetId=subnets[1]['SubnetId'])['Instances'][0]['InstanceId']
        assoc = ec2.associate_address(AllocationId=eip['AllocationId'], InstanceId=iid)
        got = ec2.describe_addresses(AllocationIds=[eip['AllocationId']])['Addresses'][0]
        self.assertEqual(got['InstanceId'], iid)
        ec2.disassociate_address(AssociationId=assoc['AssociationId'])
        ec2.release_address(AllocationId=eip['AllocationId'])
        self.assertAwsError('InvalidAllocationID.NotFound', ec2.describe_addresses,
                            AllocationIds=[eip['AllocationId']])

    def test_launch_templates_and_tags(self):
        ec2 = self.ec2
        ami = ec2.describe_images(Owners=['amazon'])['Images'][0]['ImageId']
        lt = ec2.create_launch_template(LaunchTemplateName='ecs-hosts', LaunchTemplateData={
            'ImageId': ami, 'InstanceType': 't3.small', 'UserData': 'ZWNobw=='},
            TagSpecifications=tag_spec('launch-template', 'lt'))['LaunchTemplate']
        self.assertAwsError('InvalidLaunchTemplateName.AlreadyExistsException',
                            ec2.create_launch_template, LaunchTemplateName='ecs-hosts',
                            LaunchTemplateData={})
        v2 = ec2.create_launch_template_version(LaunchTemplateId=lt['LaunchTemplateId'],
                                                SourceVersion='1', LaunchTemplateData={
                                                    'InstanceType': 't3.medium'})
        self.assertEqual(v2['LaunchTemplateVersion']['VersionNumber'], 2)
        ec2.modify_launch_template(LaunchTemplateId=lt['LaunchTemplateId'], DefaultVersion='2')
        got = ec2.describe_launch_templates(LaunchTemplateNames=['ecs-hosts'])['LaunchTemplates']
        self.assertEqual((got[0]['DefaultVersionNumber'], got[0]['LatestVersionNumber']), (2, 2))
        versions = ec2.describe_launch_template_versions(
            LaunchTemplateId=lt['LaunchTemplateId'], Versions=['$Default'])
        data = versions['LaunchTemplateVersions'][0]['LaunchTemplateData']
        self.assertEqual((data['InstanceType'], data['ImageId']), ('t3.medium', ami))
        inst = self.run_one(LaunchTemplate={'LaunchTemplateName': 'ecs-hosts'})['Instances'][0]
        self.assertEqual(inst['InstanceType'], 't3.nano')   # explicit argument wins

        rid = lt['LaunchTemplateId']
        ec2.create_tags(Resources=[rid, inst['InstanceId']], Tags=[{'Key': 'env', 'Value': 'x'}])
        tags = ec2.describe_tags(Filters=[{'Name': 'key', 'Values': ['env']}])['Tags']
        self.assertEqual(sorted(t['ResourceType'] for t in tags), ['instance', 'launch-template'])
        ec2.delete_tags(Resources=[rid], Tags=[{'Key': 'env'}])
        self.assertEqual(len(ec2.describe_tags(Filters=[{'Name': 'key', 'Values': ['env']}])
                             ['Tags']), 1)
        self.assertAwsError('InvalidVpcID.NotFound', ec2.create_tags,
                            Resources=['vpc-0000000000000000a'], Tags=[{'Key': 'a',
                                                                        'Value': 'b'}])
        ec2.delete_launch_template(LaunchTemplateId=rid)
        self.assertAwsError('InvalidLaunchTemplateId.NotFound', ec2.describe_launch_templates,
                            LaunchTemplateIds=[rid])

    def test_pagination(self):
        ec2 = self.ec2
        for i in range(6):
            ec2.create_vpc(CidrBlock='10.%d.0.0/16' % (50 + i))
        pages = list(ec2.get_paginator('describe_vpcs').paginate(PaginationConfig={
            'PageSize': 5}))
        self.assertGreaterEqual(len(pages), 2)
        self.assertGreaterEqual(sum(len(p['Vpcs']) for p in pages), 7)   # + default VPC


if __name__ == '__main__':
    unittest.main(verbosity=2)
