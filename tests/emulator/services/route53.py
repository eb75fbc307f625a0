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
"""

import copy

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

    def UpdateHostedZoneComment(self, ctx, p):
        z = self._zone(p['Id'])
        z['Comment'] = p.get('Comment') or ''
        return {'HostedZone': self._public(z)}

    def _sorted_zones(self):
        return sorted(self.gtable('zones').values(),
                      key=lambda z: ('.'.join(reversed(z['Name'][:-1].split('.'))), z['Id']))

    def _max(self, p):
        try:
            n = int(p.get('MaxItems') or 100)
        except ValueError:
            raise AwsError('InvalidInput', 'MaxItems must be a number.')
        return max(1, min(n, 100))

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

    def _check_record(self, z, rr):
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
            self._check_record(z, rr)
            if action == 'CREATE' and found:
                raise _bad_batch('Tried to create resource record set [name=\'%s\', '
                                 'type=\'%s\'] but it already exists' % (rr['Name'],
                                                                        rr['Type']))
            if found:
                records.remove(found[0])
            records.append(rr)
        z['Records'] = records
        return {'ChangeInfo': self._change()}

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
        n = self._max(p)
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

