"""Route 53 in the emulator through boto3: zones with their SOA/NS records,
CallerReference used once, record changes checked whole (InvalidChangeBatch),
changes PENDING then INSYNC, HostedZoneNotEmpty, tags, and the error shape;
private zones with the VPCs of EC2 (associate, disassociate, the last VPC
kept); record sets with SetIdentifier and one routing policy, health checks."""

import unittest

import emutest


class Route53Test(emutest.EmulatorTestCase):
    SERVICES = ['route53']

    def test_zone_records_and_changes(self):
        r = self.client('route53', region='us-east-1')
        z = r.create_hosted_zone(Name='Example.com', CallerReference='ref-1',
                                 HostedZoneConfig={'Comment': 'c'})
        zid = z['HostedZone']['Id']
        self.assertTrue(zid.startswith('/hostedzone/Z'))
        self.assertEqual(z['HostedZone']['Name'], 'example.com.')
        self.assertEqual(len(z['DelegationSet']['NameServers']), 4)
        self.assertAwsError('HostedZoneAlreadyExists', r.create_hosted_zone, Name='x.com',
                            CallerReference='ref-1')
        self.assertAwsError('InvalidDomainName', r.create_hosted_zone, Name='a..b',
                            CallerReference='ref-2')
        self.assertEqual(r.get_hosted_zone(Id=zid)['HostedZone']['Config']['Comment'], 'c')
        r.update_hosted_zone_comment(Id=zid, Comment='d')
        self.assertEqual([h['Id'] for h in r.list_hosted_zones()['HostedZones']
                          if h['Name'] == 'example.com.'], [zid])
        byname = r.list_hosted_zones_by_name(DNSName='example.com')['HostedZones']
        self.assertEqual(byname[0]['Config']['Comment'], 'd')

        rr = {'Name': 'www.example.com', 'Type': 'A', 'TTL': 60,
              'ResourceRecords': [{'Value': '192.0.2.1'}]}
        c = r.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={
            'Changes': [{'Action': 'CREATE', 'ResourceRecordSet': rr}]})
        cid = c['ChangeInfo']['Id']
        self.assertEqual(c['ChangeInfo']['Status'], 'PENDING')
        self.assertEqual(r.get_change(Id=cid)['ChangeInfo']['Status'], 'PENDING')
        self.assertEqual(r.get_change(Id=cid)['ChangeInfo']['Status'], 'INSYNC')
        self.assertAwsError('NoSuchChange', r.get_change, Id='/change/CNOPE')
        self.assertAwsError('InvalidChangeBatch', r.change_resource_record_sets,
                            HostedZoneId=zid,
                            ChangeBatch={'Changes': [{'Action': 'CREATE',
                                                      'ResourceRecordSet': rr}]})
        outside = dict(rr, Name='www.example.org')
        self.assertAwsError('InvalidChangeBatch', r.change_resource_record_sets,
                            HostedZoneId=zid,
                            ChangeBatch={'Changes': [{'Action': 'UPSERT',
                                                      'ResourceRecordSet': outside}]})
        names = [(x['Name'], x['Type']) for x in
                 r.list_resource_record_sets(HostedZoneId=zid)['ResourceRecordSets']]
        self.assertEqual(names, [('example.com.', 'NS'), ('example.com.', 'SOA'),
                                 ('www.example.com.', 'A')])
        self.assertAwsError('HostedZoneNotEmpty', r.delete_hosted_zone, Id=zid)

        short = zid.split('/')[-1]
        r.change_tags_for_resource(ResourceType='hostedzone', ResourceId=short,
                                   AddTags=[{'Key': 'a', 'Value': 'b'}])
        tags = r.list_tags_for_resource(ResourceType='hostedzone', ResourceId=short)
        self.assertEqual(tags['ResourceTagSet']['Tags'], [{'Key': 'a', 'Value': 'b'}])

        r.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={
            'Changes': [{'Action': 'DELETE', 'ResourceRecordSet': rr}]})
        self.assertAwsError('InvalidChangeBatch', r.change_resource_record_sets,
                            HostedZoneId=zid,
                            ChangeBatch={'Changes': [{'Action': 'DELETE',
                                                      'ResourceRecordSet': rr}]})
        r.delete_hosted_zone(Id=zid)
        err = self.assertAwsError('NoSuchHostedZone', r.get_hosted_zone, Id=zid)
        self.assertEqual(err.response['ResponseMetadata']['HTTPStatusCode'], 404)

    def test_private_zone_vpcs(self):
        r = self.client('route53', region='us-east-1')
        ec2w = self.client('ec2', region='eu-west-1')
        ec2e = self.client('ec2', region='us-east-1')
        v1 = ec2w.create_vpc(CidrBlock='10.1.0.0/16')['Vpc']['VpcId']
        v2 = ec2e.create_vpc(CidrBlock='10.2.0.0/16')['Vpc']['VpcId']
        self.assertAwsError('InvalidVPCId', r.create_hosted_zone, Name='internal.example',
                            CallerReference='p0',
                            VPC={'VPCRegion': 'eu-west-1', 'VPCId': 'vpc-00000000'})
        # the VPC exists, in another region than the one named
        self.assertAwsError('InvalidVPCId', r.create_hosted_zone, Name='internal.example',
                            CallerReference='p0', VPC={'VPCRegion': 'us-east-1', 'VPCId': v1})
        self.assertAwsError('InvalidInput', r.create_hosted_zone, Name='internal.example',
                            CallerReference='p0', HostedZoneConfig={'PrivateZone': True})
        z = r.create_hosted_zone(Name='internal.example', CallerReference='p1',
                                 VPC={'VPCRegion': 'eu-west-1', 'VPCId': v1},
                                 HostedZoneConfig={'Comment': 'c', 'PrivateZone': True})
        zid = z['HostedZone']['Id']
        self.assertTrue(z['HostedZone']['Config']['PrivateZone'])
        self.assertEqual(z['VPC'], {'VPCRegion': 'eu-west-1', 'VPCId': v1})
        self.assertNotIn('DelegationSet', z)
        self.assertAwsError('ConflictingDomainExists', r.create_hosted_zone,
                            Name='internal.example', CallerReference='p2',
                            VPC={'VPCRegion': 'eu-west-1', 'VPCId': v1})
        c = r.associate_vpc_with_hosted_zone(HostedZoneId=zid,
                                             VPC={'VPCRegion': 'us-east-1', 'VPCId': v2})
        self.assertEqual(c['ChangeInfo']['Status'], 'PENDING')
        got = r.get_hosted_zone(Id=zid)
        self.assertEqual(sorted(v['VPCId'] for v in got['VPCs']), sorted([v1, v2]))
        self.assertAwsError('ConflictingDomainExists', r.associate_vpc_with_hosted_zone,
                            HostedZoneId=zid, VPC={'VPCRegion': 'us-east-1', 'VPCId': v2})
        self.assertAwsError('InvalidVPCId', r.associate_vpc_with_hosted_zone,
                            HostedZoneId=zid, VPC={'VPCRegion': 'us-east-1', 'VPCId': 'vpc-1'})
        pub = r.create_hosted_zone(Name='public.example', CallerReference='p3')
        self.assertAwsError('PublicZoneVPCAssociation', r.associate_vpc_with_hosted_zone,
                            HostedZoneId=pub['HostedZone']['Id'],
                            VPC={'VPCRegion': 'eu-west-1', 'VPCId': v1})
        r.disassociate_vpc_from_hosted_zone(HostedZoneId=zid,
                                            VPC={'VPCRegion': 'eu-west-1', 'VPCId': v1})
        self.assertAwsError('VPCAssociationNotFound', r.disassociate_vpc_from_hosted_zone,
                            HostedZoneId=zid, VPC={'VPCRegion': 'eu-west-1', 'VPCId': v1})
        self.assertAwsError('LastVPCAssociation', r.disassociate_vpc_from_hosted_zone,
                            HostedZoneId=zid, VPC={'VPCRegion': 'us-east-1', 'VPCId': v2})
        self.assertEqual(r.get_hosted_zone(Id=zid)['VPCs'],
                         [{'VPCRegion': 'us-east-1', 'VPCId': v2}])

    def test_routing_policies(self):
        r = self.client('route53', region='us-east-1')
        zid = r.create_hosted_zone(Name='example.net', CallerReference='r1')['HostedZone']['Id']

        def change(action, **rr):
            rec = {'Name': 'api.example.net', 'Type': 'A', 'TTL': 60,
                   'ResourceRecords': [{'Value': '192.0.2.1'}]}
            rec.update(rr)
            return r.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={
                'Changes': [{'Action': action, 'ResourceRecordSet': rec}]})

        def refused(code, action='CREATE', **rr):
            self.assertAwsError(code, change, action, **rr)

        refused('InvalidInput', Weight=10)                       # no SetIdentifier
        refused('InvalidInput', SetIdentifier='a')               # no routing policy
        refused('InvalidInput', SetIdentifier='a', Weight=1, Failover='PRIMARY')
        refused('InvalidInput', SetIdentifier='g', GeoLocation={'ContinentCode': 'EU',
                                                                'CountryCode': 'DE'})
        refused('InvalidInput', SetIdentifier='g', GeoLocation={'SubdivisionCode': 'WA'})
        change('CREATE', SetIdentifier='blue', Weight=90)
        change('CREATE', SetIdentifier='green', Weight=10,
               ResourceRecords=[{'Value': '192.0.2.2'}])
        refused('InvalidChangeBatch', SetIdentifier='blue', Weight=5)   # name+type+setid taken
        refused('InvalidChangeBatch')                            # simple beside weighted
        refused('InvalidChangeBatch', SetIdentifier='eu', Region='eu-west-1')
        sets = r.list_resource_record_sets(HostedZoneId=zid, StartRecordName='api.example.net',
                                           StartRecordType='A',
                                           StartRecordIdentifier='green')['ResourceRecordSets']
        self.assertEqual([(x['SetIdentifier'], x['Weight']) for x in sets], [('green', 10)])
        change('UPSERT', SetIdentifier='blue', Weight=50)
        sets = r.list_resource_record_sets(HostedZoneId=zid)['ResourceRecordSets']
        self.assertEqual(sorted((x.get('SetIdentifier'), x.get('Weight')) for x in sets
                                if x['Type'] == 'A'), [('blue', 50), ('green', 10)])

        hc = r.create_health_check(CallerReference='h1', HealthCheckConfig={
            'IPAddress': '192.0.2.1', 'Port': 80, 'Type': 'HTTP', 'ResourcePath': '/'})
        hid = hc['HealthCheck']['Id']
        self.assertEqual(r.get_health_check(HealthCheckId=hid)['HealthCheck']['Id'], hid)
        again = r.create_health_check(CallerReference='h1', HealthCheckConfig=hc[
            'HealthCheck']['HealthCheckConfig'])
        self.assertEqual(again['HealthCheck']['Id'], hid)
        fo = {'Name': 'www.example.net', 'Type': 'A', 'TTL': 60,
              'ResourceRecords': [{'Value': '192.0.2.3'}]}
        self.assertAwsError('NoSuchHealthCheck', r.change_resource_record_sets, HostedZoneId=zid,
                            ChangeBatch={'Changes': [{'Action': 'CREATE', 'ResourceRecordSet':
                                                      dict(fo, SetIdentifier='p',
                                                           Failover='PRIMARY',
                                                           HealthCheckId='nope')}]})
        r.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={'Changes': [
            {'Action': 'CREATE', 'ResourceRecordSet': dict(fo, SetIdentifier='p',
                                                           Failover='PRIMARY',
                                                           HealthCheckId=hid)},
            {'Action': 'CREATE', 'ResourceRecordSet': dict(fo, SetIdentifier='s',
                                                           Failover='SECONDARY')}]})
        self.assertAwsError('InvalidChangeBatch', r.change_resource_record_sets,
                            HostedZoneId=zid, ChangeBatch={'Changes': [
                                {'Action': 'CREATE', 'ResourceRecordSet':
                                 dict(fo, SetIdentifier='p2', Failover='PRIMARY')}]})
        www = [x for x in r.list_resource_record_sets(HostedZoneId=zid)['ResourceRecordSets']
               if x['Name'] == 'www.example.net.']
        self.assertEqual({x['SetIdentifier']: x.get('HealthCheckId') for x in www},
                         {'p': hid, 's': None})
        r.delete_health_check(HealthCheckId=hid)
        self.assertAwsError('NoSuchHealthCheck', r.get_health_check, HealthCheckId=hid)


if __name__ == '__main__':
    unittest.main()
