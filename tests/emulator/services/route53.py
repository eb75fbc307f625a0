"""Route 53 (REST-XML, global; signed for us-east-1): hosted zones, their
record sets, changes and tags.

AWS's rules kept here: names are stored lower-case with a final dot; a new
zone holds its SOA and NS records; a CallerReference is used once
(HostedZoneAlreadyExists); a zone with records beyond SOA/NS is not deleted
(HostedZoneNotEmpty); a change batch is checked whole before any change is
made: CREATE of an existing name/type/set identifier and DELETE of a
missing or different record are InvalidChangeBatch, a record outside its
zone or without TTL/ResourceRecords (nor AliasTarget) is InvalidInput, and
the zone's own SOA/NS cannot be deleted.  A change is PENDING for
`pending_polls` GetChange reads, then INSYNC.

Private zones: a zone made with a VPC (which must exist in this emulator's
EC2, in its VPCRegion: InvalidVPCId) is private; AssociateVPCWithHostedZone
adds VPCs (PublicZoneVPCAssociation on a public zone, ConflictingDomainExists
when the VPC is in a private zone of that name already) and
DisassociateVPCFromHostedZone removes them (VPCAssociationNotFound,
LastVPCAssociation for the last one).  Routing policies: SetIdentifier and
exactly one of Weight, Region, GeoLocation, Failover or MultiValueAnswer
go together (InvalidInput), a GeoLocation names a continent or a country
(a subdivision only with a country), the record sets of one name and type
share one routing policy and hold one PRIMARY and one SECONDARY at most
(InvalidChangeBatch), and a HealthCheckId names a health check
(NoSuchHealthCheck; CreateHealthCheck / GetHealthCheck / DeleteHealthCheck
keep them).
"""

import copy
import uuid

from store import AwsError, Service, now, upper_id

NAME_SERVERS = ['ns-1.awsdns-01.org', 'ns-2.awsdns-02.co.uk', 'ns-3.awsdns-03.com',
                'ns-4.awsdns-04.net']


def _fqdn(name):
    name = (name or '').lower()
    return name if name.endswith('.') else name + '.'


def _zone_id(text):
    text = text or ''
    for prefix in ('/hostedzone/', 'hostedzone/'):
        if text.startswith(prefix):
            return text[len(prefix):]
    return text


def _no_zone(zid):
    return AwsError('NoSuchHostedZone', 'No hosted zone found with ID: %s' % zid, 404)


def _bad_batch(msg):
    return AwsError('InvalidChangeBatch', '[%s]' % msg, 400)


POLICY_FIELDS = ('Weight', 'Region', 'GeoLocation', 'Failover', 'MultiValueAnswer')


def _policy(rr):
    """The routing policy of a record set: 'Simple' or the field naming it."""
    for f in POLICY_FIELDS:
        if rr.get(f) is not None:
            return f
    return 'Simple'


def _key(rr):
    return (_fqdn(rr['Name']), rr['Type'], rr.get('SetIdentifier'))


def _same(a, b):
    def norm(rr):
        r = dict(rr)
        r['Name'] = _fqdn(r['Name'])
        r['ResourceRecords'] = sorted(x['Value'] for x in r.get('ResourceRecords') or [])
        r.pop('_', None)
        return r
    return norm(a) == norm(b)


class Handler(Service):
    model = 'route53'
    global_service = True

    # ------------------------------------------------------------ helpers

    def _zone(self, zid):
        zid = _zone_id(zid)
        z = self.gtable('zones').get(zid)
        if z is None:
            raise _no_zone(zid)
        return z

    def _public(self, z):
        return {'Id': '/hostedzone/' + z['Id'], 'Name': z['Name'],
                'CallerReference': z['CallerReference'],
                'Config': {'Comment': z.get('Comment') or '', 'PrivateZone': z['Private']},
                'ResourceRecordSetCount': len(z['Records'])}

    def _change(self):
        cid = upper_id('C', 20)
        self.gtable('changes')[cid] = {'Id': cid, 'Status': 'PENDING', 'SubmittedAt': now()}
        return self._change_info(self.gtable('changes')[cid])

    def _change_info(self, ch):
        return {'Id': '/change/' + ch['Id'], 'Status': ch['Status'],
                'SubmittedAt': ch['SubmittedAt']}

    # ------------------------------------------------------------ zones

    def CreateHostedZone(self, ctx, p):
        name = _fqdn(p['Name'])
        labels = name[:-1].split('.')
        if not name[:-1] or any(not lab or len(lab) > 63 for lab in labels) or len(name) > 255:
            raise AwsError('InvalidDomainName', '%s is not a valid domain name.' % p['Name'])
        for z in self.gtable('zones').values():
            if z['CallerReference'] == p['CallerReference']:
                raise AwsError('HostedZoneAlreadyExists', 'A hosted zone has already been '
                               'created with the specified caller reference.', 409)
        config = p.get('HostedZoneConfig') or {}
        vpc = p.get('VPC')
        private = bool(vpc) or bool(config.get('PrivateZone'))
        if config.get('PrivateZone') and not vpc:
            raise AwsError('InvalidInput', 'When you\'re creating a private hosted zone, you '
                           'must specify a VPC.')
        if vpc and p.get('DelegationSetId'):
            raise AwsError('ConflictingDomainExists', 'A private hosted zone cannot use a '
                           'reusable delegation set.')
        if vpc:
            self._check_vpc(ctx, vpc)
            for other in self.gtable('zones').values():
                if (other['Private'] and other['Name'] == name and
                        any(v['VPCId'] == vpc['VPCId'] for v in other['VPCs'])):
                    raise AwsError('ConflictingDomainExists', 'The VPC %s is already associated '
                                   'with a private hosted zone named %s.' % (vpc['VPCId'], name))
        zid = upper_id('Z', 20)
        ns = list(NAME_SERVERS)
        records = [
            {'Name': name, 'Type': 'NS', 'TTL': 172800,
             'ResourceRecords': [{'Value': n + '.'} for n in ns]},
            {'Name': name, 'Type': 'SOA', 'TTL': 900,
             'ResourceRecords': [{'Value': '%s. awsdns-hostmaster.amazon.com. 1 7200 900 '
                                           '1209600 86400' % ns[0]}]},
        ]
        z = {'Id': zid, 'Name': name, 'CallerReference': p['CallerReference'],
             'Comment': config.get('Comment'), 'Private': private, 'Records': records,
             'NameServers': ns, 'VPCs': [vpc] if vpc else [], 'Tags': {},
             'DelegationSetId': p.get('DelegationSetId')}
        self.gtable('zones')[zid] = z
        out = {'HostedZone': self._public(z), 'ChangeInfo': self._change(),
               'Location': 'https://route53.amazonaws.com/2013-04-01/hostedzone/' + zid}
        if private:
            out['VPC'] = vpc
        else:
            out['DelegationSet'] = {'NameServers': ns}
            if z['DelegationSetId']:
                out['DelegationSet']['Id'] = z['DelegationSetId']
        return out

    def GetHostedZone(self, ctx, p):
        z = self._zone(p['Id'])
        out = {'HostedZone': self._public(z)}
        if z['Private']:
            out['VPCs'] = z['VPCs']
        else:
            out['DelegationSet'] = {'NameServers': z['NameServers']}
            if z.get('DelegationSetId'):
                out['DelegationSet']['Id'] = z['DelegationSetId']
        return out

    def _check_vpc(self, ctx, vpc):
        if not vpc.get('VPCId'):
            raise AwsError('InvalidVPCId', 'A VPC ID is required.')
        if not vpc.get('VPCRegion'):
            raise AwsError('InvalidInput', 'Invalid request: VPCRegion is required with VPCId.')
        ec2 = self.server.services['ec2']
        there = copy.copy(ctx)
        there.region = vpc['VPCRegion']
        if vpc['VPCId'] not in ec2.t(there, 'vpcs'):
            raise AwsError('InvalidVPCId', 'The VPC ID \'%s\' is not valid or you are not '
                           'authorized to access it in region %s.'
                           % (vpc['VPCId'], vpc['VPCRegion']))

    def AssociateVPCWithHostedZone(self, ctx, p):
        z = self._zone(p['HostedZoneId'])
        vpc = {'VPCRegion': p['VPC'].get('VPCRegion'), 'VPCId': p['VPC'].get('VPCId')}
        if not z['Private']:
            raise AwsError('PublicZoneVPCAssociation', 'Amazon Route 53 doesn\'t support '
                           'associating a VPC with a public hosted zone.')
        self._check_vpc(ctx, vpc)
        for other in self.gtable('zones').values():
            if (other['Private'] and other['Name'] == z['Name'] and
                    any(v['VPCId'] == vpc['VPCId'] for v in other['VPCs'])):
                raise AwsError('ConflictingDomainExists', 'The VPC %s is already associated '
                               'with a hosted zone named %s.' % (vpc['VPCId'], z['Name']))
        z['VPCs'].append(vpc)
        return {'ChangeInfo': self._change()}

    def DisassociateVPCFromHostedZone(self, ctx, p):
        z = self._zone(p['HostedZoneId'])
        vid = p['VPC'].get('VPCId')
        found = [v for v in z['VPCs'] if v['VPCId'] == vid and
                 (not p['VPC'].get('VPCRegion') or v['VPCRegion'] == p['VPC']['VPCRegion'])]
        if not found:
            raise AwsError('VPCAssociationNotFound', 'The VPC %s is not associated with the '
                           'hosted zone %s.' % (vid, z['Id']), 404)
        if len(z['VPCs']) == 1:
            raise AwsError('LastVPCAssociation', 'The VPC %s is the last VPC of the private '
                           'hosted zone %s: it cannot be disassociated.' % (vid, z['Id']))
        z['VPCs'].remove(found[0])
        return {'ChangeInfo': self._change()}

    # ------------------------------------------------------------ health checks

    def CreateHealthCheck(self, ctx, p):
        for hc in self.gtable('health_checks').values():
            if hc['CallerReference'] == p['CallerReference']:
                if hc['HealthCheckConfig'] != p['HealthCheckConfig']:
                    raise AwsError('HealthCheckAlreadyExists', 'A health check with this '
                                   'caller reference and another configuration exists.', 409)
                return {'HealthCheck': hc,
                        'Location': 'https://route53.amazonaws.com/2013-04-01/healthcheck/' +
                        hc['Id']}
        hid = str(uuid.uuid4())
        hc = {'Id': hid, 'CallerReference': p['CallerReference'],
              'HealthCheckConfig': p['HealthCheckConfig'], 'HealthCheckVersion': 1}
        self.gtable('health_checks')[hid] = hc
        return {'HealthCheck': hc,
                'Location': 'https://route53.amazonaws.com/2013-04-01/healthcheck/' + hid}

    def _health_check(self, hid):
        hc = self.gtable('health_checks').get(hid)
        if hc is None:
            raise AwsError('NoSuchHealthCheck', 'A health check with id %s does not exist.'
                           % hid, 404)
        return hc

    def GetHealthCheck(self, ctx, p):
        return {'HealthCheck': self._health_check(p['HealthCheckId'])}

    def DeleteHealthCheck(self, ctx, p):
        self._health_check(p['HealthCheckId'])
        del self.gtable('health_checks')[p['HealthCheckId']]
        return {}

    def UpdateHostedZoneComment(self, ctx, p):
        z = self._zone(p['Id'])
        z['Comment'] = p.get('Comment') or ''
        return {'HostedZone': self._public(z)}

    def _sorted_zones(self):
        return sorted(self.gtable('zones').values(),
                      key=lambda z: ('.'.join(reversed(z['Name'][:-1].split('.'))), z['Id']))

    def _max(self, p, cap=100):
        """MaxItems, at most cap (100 for zones, 300 for record sets, as AWS)."""
        try:
            n = int(p.get('MaxItems') or cap)
        except ValueError:
            raise AwsError('InvalidInput', 'MaxItems must be a number.')
        return max(1, min(n, cap))

    def ListHostedZones(self, ctx, p):
        zones = sorted(self.gtable('zones').values(), key=lambda z: z['Id'])
        marker = p.get('Marker')
        if marker:
            zones = [z for z in zones if z['Id'] >= marker]
        n = self._max(p)
        out = {'HostedZones': [self._public(z) for z in zones[:n]],
               'IsTruncated': len(zones) > n, 'MaxItems': str(n), 'Marker': marker or ''}
        if len(zones) > n:
            out['NextMarker'] = zones[n]['Id']
        return out

    def ListHostedZonesByName(self, ctx, p):
        zones = self._sorted_zones()
        if p.get('HostedZoneId') and not p.get('DNSName'):
            raise AwsError('InvalidInput', 'HostedZoneId requires DNSName.')
        if p.get('DNSName'):
            start = '.'.join(reversed(_fqdn(p['DNSName'])[:-1].split('.')))
            zones = [z for z in zones
                     if '.'.join(reversed(z['Name'][:-1].split('.'))) >= start]
            if p.get('HostedZoneId'):
                hz = _zone_id(p['HostedZoneId'])
                zones = [z for z in zones if not (z['Name'] == _fqdn(p['DNSName']) and
                                                  z['Id'] < hz)]
        n = self._max(p)
        out = {'HostedZones': [self._public(z) for z in zones[:n]],
               'IsTruncated': len(zones) > n, 'MaxItems': str(n)}
        if p.get('DNSName'):
            out['DNSName'] = p['DNSName']
        if len(zones) > n:
            out['NextDNSName'] = zones[n]['Name']
            out['NextHostedZoneId'] = zones[n]['Id']
        return out

    def DeleteHostedZone(self, ctx, p):
        z = self._zone(p['Id'])
        if any(not (r['Name'] == z['Name'] and r['Type'] in ('SOA', 'NS'))
               for r in z['Records']):
            raise AwsError('HostedZoneNotEmpty', 'The specified hosted zone contains non-'
                           'required resource record sets and so cannot be deleted.')
        del self.gtable('zones')[z['Id']]
        return {'ChangeInfo': self._change()}

    # ------------------------------------------------------------ records

    def _check_record(self, z, rr, action='CREATE'):
        name = _fqdn(rr['Name'])
        if not (name == z['Name'] or name.endswith('.' + z['Name'])):
            raise _bad_batch('RRSet with DNS name %s is not permitted in zone %s'
                             % (name, z['Name']))
        alias = rr.get('AliasTarget')
        values = rr.get('ResourceRecords')
        if alias and (values or rr.get('TTL') is not None):
            raise AwsError('InvalidInput', 'Invalid request: Expected exactly one of '
                           '[AliasTarget, all of [TTL, and ResourceRecords]], but found more '
                           'than one in Change with [Action=%s, Name=%s, Type=%s, '
                           'SetIdentifier=%s]' % ('CREATE', name, rr['Type'],
                                                  rr.get('SetIdentifier')))
        if not alias and (not values or rr.get('TTL') is None):
            raise AwsError('InvalidInput', 'Invalid request: Expected exactly one of '
                           '[AliasTarget, all of [TTL, and ResourceRecords]], but found none '
                           'in Change with [Name=%s, Type=%s]' % (name, rr['Type']))
        where = ('in Change with [Action=%s, Name=%s, Type=%s, SetIdentifier=%s]'
                 % (action, name, rr['Type'], rr.get('SetIdentifier')))
        policies = [f for f in POLICY_FIELDS if rr.get(f) is not None]
        if rr.get('SetIdentifier') and len(policies) != 1:
            raise AwsError('InvalidInput', 'Invalid request: Expected exactly one of [Weight, '
                           'Region, Failover, GeoLocation, or MultiValueAnswer], but found %s %s'
                           % ('none' if not policies else 'more than one', where))
        if policies and not rr.get('SetIdentifier'):
            raise AwsError('InvalidInput', 'Invalid request: Missing field \'SetIdentifier\' %s'
                           % where)
        geo = rr.get('GeoLocation')
        if geo is not None:
            ct, co = geo.get('ContinentCode'), geo.get('CountryCode')
            if bool(ct) == bool(co) or (geo.get('SubdivisionCode') and not co):
                raise AwsError('InvalidInput', 'Invalid request: a GeoLocation names a '
                               'ContinentCode or a CountryCode (a SubdivisionCode only with a '
                               'CountryCode) %s' % where)
        if rr.get('HealthCheckId'):
            self._health_check(rr['HealthCheckId'])
        if rr['Type'] == 'CNAME' and values and len(values) > 1:
            raise _bad_batch('RRSet of type CNAME with DNS name %s is not permitted because '
                             'it has more than one value' % name)
        if rr['Type'] in ('A',) and values:
            for v in values:
                parts = v['Value'].split('.')
                if len(parts) != 4 or not all(x.isdigit() and int(x) < 256 for x in parts):
                    raise AwsError('InvalidChangeBatch', '[Invalid Resource Record: '
                                   'FATAL problem: ARRDATAIllegalIPv4Address (Value is not a '
                                   'valid IPv4 address) encountered with \'%s\']' % v['Value'])

    def ChangeResourceRecordSets(self, ctx, p):
        z = self._zone(p['HostedZoneId'])
        records = copy.deepcopy(z['Records'])
        for ch in p['ChangeBatch']['Changes']:
            rr = copy.deepcopy(ch['ResourceRecordSet'])
            rr['Name'] = _fqdn(rr['Name'])
            key = _key(rr)
            found = [r for r in records if _key(r) == key]
            action = ch['Action']
            if action == 'DELETE':
                if not found or not _same(found[0], rr):
                    raise _bad_batch('Tried to delete resource record set [name=\'%s\', '
                                     'type=\'%s\'] but it was not found' % (rr['Name'],
                                                                           rr['Type']))
                if rr['Name'] == z['Name'] and rr['Type'] in ('SOA', 'NS'):
                    raise _bad_batch('A HostedZone must contain at least one NS record for '
                                     'the zone itself.')
                records.remove(found[0])
                continue
            self._check_record(z, rr, action)
            if action == 'CREATE' and found:
                raise _bad_batch('Tried to create resource record set [name=\'%s\', '
                                 'type=\'%s\'] but it already exists' % (rr['Name'],
                                                                        rr['Type']))
            if found:
                records.remove(found[0])
            records.append(rr)
        self._check_groups(records)
        z['Records'] = records
        return {'ChangeInfo': self._change()}

    @staticmethod
    def _check_groups(records):
        """The record sets of one name and type: one routing policy, one PRIMARY and one
        SECONDARY at most."""
        groups = {}
        for r in records:
            groups.setdefault((r['Name'], r['Type']), []).append(r)
        for (name, rtype), rs in groups.items():
            kinds = sorted({_policy(r) for r in rs})
            if len(kinds) > 1:
                raise _bad_batch('RRSet with DNS name %s, type %s cannot be created because '
                                 'record sets of another routing policy (%s) exist with the same '
                                 'name and type' % (name, rtype, ' and '.join(kinds)))
            for role in ('PRIMARY', 'SECONDARY'):
                if sum(1 for r in rs if r.get('Failover') == role) > 1:
                    raise _bad_batch('RRSet with DNS name %s, type %s: only one %s failover '
                                     'record set is allowed' % (name, rtype, role))

    def ListResourceRecordSets(self, ctx, p):
        z = self._zone(p['HostedZoneId'])

        def order(r):
            return ('.'.join(reversed(r['Name'][:-1].split('.'))), r['Type'],
                    r.get('SetIdentifier') or '')
        records = sorted(z['Records'], key=order)
        if p.get('StartRecordType') and not p.get('StartRecordName'):
            raise AwsError('InvalidInput', 'The input is not valid: StartRecordType requires '
                           'StartRecordName.')
        if p.get('StartRecordName'):
            start = ('.'.join(reversed(_fqdn(p['StartRecordName'])[:-1].split('.'))),
                     p.get('StartRecordType') or '', p.get('StartRecordIdentifier') or '')
            records = [r for r in records if order(r) >= start]
        n = self._max(p, 300)
        out = {'ResourceRecordSets': records[:n], 'IsTruncated': len(records) > n,
               'MaxItems': str(n)}
        if len(records) > n:
            out['NextRecordName'] = records[n]['Name']
            out['NextRecordType'] = records[n]['Type']
            if records[n].get('SetIdentifier'):
                out['NextRecordIdentifier'] = records[n]['SetIdentifier']
        return out

    def GetChange(self, ctx, p):
        cid = p['Id'].rsplit('/', 1)[-1]
        ch = self.gtable('changes').get(cid)
        if ch is None:
            raise AwsError('NoSuchChange', 'A change with the specified change ID does not '
                           'exist.', 404)
        self.advance(ch, 'Status', {'PENDING': 'INSYNC'})
        return {'ChangeInfo': self._change_info(ch)}

    # ------------------------------------------------------------ tags

    def _tagged(self, p):
        if p['ResourceType'] != 'hostedzone':
            raise AwsError('InvalidInput', 'Only hostedzone resources are tagged here.')
        return self._zone(p['ResourceId'])

    def ChangeTagsForResource(self, ctx, p):
        z = self._tagged(p)
        tags = dict(z['Tags'])
        for k in p.get('RemoveTagKeys') or []:
            tags.pop(k, None)
        for t in p.get('AddTags') or []:
            if not t.get('Key') or len(t['Key']) > 128 or len(t.get('Value') or '') > 256:
                raise AwsError('InvalidInput', 'Invalid tag: %r' % t.get('Key'))
            tags[t['Key']] = t.get('Value') or ''
        if len(tags) > 50:
            raise AwsError('InvalidTagInput', 'A resource has at most 50 tags.')
        z['Tags'] = tags
        return {}

    def ListTagsForResource(self, ctx, p):
        z = self._tagged(p)
        return {'ResourceTagSet': {'ResourceType': 'hostedzone', 'ResourceId': z['Id'],
                                   'Tags': [{'Key': k, 'Value': v}
                                            for k, v in sorted(z['Tags'].items())]}}

