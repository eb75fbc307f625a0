"""Route 53 in the emulator through boto3: zones with their SOA/NS records,
CallerReference used once, record changes checked whole (InvalidChangeBatch),
changes PENDING then INSYNC, HostedZoneNotEmpty, tags, and the error shape."""

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
        self.assertEqual([h['Id'] for h in r.list_hosted_zones()['HostedZones']], [zid])
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


if __name__ == '__main__':
    unittest.main()
