"""EC2: availability zones, AMIs, VPCs, subnets, internet gateways, route
tables, security groups and rules, key pairs, instances, Elastic IPs, NAT
gateways, launch templates, tags, IAM instance profile associations.
RunInstances honours NetworkInterfaces.N (subnet, groups, public IP, private
IP) as AWS does; every instance shows its network interfaces (eni-...).

Each region gets, on first use, a default VPC (one default subnet per AZ,
an attached internet gateway, main route table, default security group),
as a real account has; their records carry `IsDefault`/`_default` so tests
can tell them from what a stack created.  Instances go pending -> running,
stopping -> stopped, shutting-down -> terminated and NAT gateways
pending -> available, deleting -> deleted after `pending_polls` describes.
Terminated instances stay visible (like AWS) with state "terminated".
Records are stored shaped like EC2's output shapes (PascalCase members).
EC2's own input rules are kept: tags (key 1-127, value 0-255, no aws:, 50 a
resource), security group names/descriptions and rule descriptions (ASCII
letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*, 255 at most).
"""

import base64
import hashlib
import ipaddress
import re

from services.ec2_filters import check_filter_names
from store import (AwsError, Service, ec2_id, hex_id, match_value, new_uuid, now, paginate)

OWNER = '123456789012'
AMAZON_OWNER = '137112412989'
STATE_CODES = {'pending': 0, 'running': 16, 'shutting-down': 32, 'terminated': 48,
               'stopping': 64, 'stopped': 80}
INSTANCE_TYPES = {'t2.nano', 't2.micro', 't2.small', 't2.medium', 't3.nano', 't3.micro',
                  't3.small', 't3.medium', 't3.large', 't3a.nano', 't3a.micro', 't3a.small',
                  't4g.nano', 't4g.micro', 't4g.small', 'm5.large', 'm5.xlarge', 'm6i.large',
                  'c5.large', 'c6i.large', 'r5.large'}
AMIS = [  # (id, name, arch, creation date)
    ('ami-0a1b2c3d4e5f60001', 'amzn2-ami-hvm-2.0.20231218.0-x86_64-gp2', 'x86_64',
     '2023-12-19T04:20:41.000Z'),
    ('ami-0a1b2c3d4e5f60002', 'amzn2-ami-hvm-2.0.20240131.0-x86_64-gp2', 'x86_64',
     '2024-02-01T05:11:27.000Z'),
    ('ami-0a1b2c3d4e5f60003', 'amzn2-ami-hvm-2.0.20240131.0-arm64-gp2', 'arm64',
     '2024-02-01T05:12:03.000Z'),
    ('ami-0a1b2c3d4e5f60004', 'al2023-ami-2023.3.20240122.0-kernel-6.1-x86_64', 'x86_64',
     '2024-01-23T22:08:15.000Z'),
    ('ami-0a1b2c3d4e5f60005', 'al2023-ami-2023.3.20240205.2-kernel-6.1-x86_64', 'x86_64',
     '2024-02-06T19:35:52.000Z'),
    ('ami-0a1b2c3d4e5f60006', 'al2023-ami-2023.3.20240205.2-kernel-6.1-arm64', 'arm64',
     '2024-02-06T19:36:31.000Z'),
    ('ami-0a1b2c3d4e5f60007', 'amzn2-ami-ecs-hvm-2.0.20240201-x86_64-ebs', 'x86_64',
     '2024-02-02T00:31:10.000Z'),
]
TABLES = {'vpc': 'vpcs', 'subnet': 'subnets', 'igw': 'igws', 'rtb': 'route_tables',
          'sg': 'security_groups', 'i': 'instances', 'key': 'key_pairs', 'eipalloc': 'addresses',
          'nat': 'nat_gateways', 'lt': 'launch_templates', 'ami': 'images'}
RESOURCE_TYPES = {'vpcs': 'vpc', 'subnets': 'subnet', 'igws': 'internet-gateway',
                  'route_tables': 'route-table', 'security_groups': 'security-group',
                  'instances': 'instance', 'key_pairs': 'key-pair', 'addresses': 'elastic-ip',
                  'nat_gateways': 'natgateway', 'launch_templates': 'launch-template',
                  'images': 'image'}
NOT_FOUND = {'vpcs': ('InvalidVpcID.NotFound', "The vpc ID '%s' does not exist"),
             'subnets': ('InvalidSubnetID.NotFound', "The subnet ID '%s' does not exist"),
             'igws': ('InvalidInternetGatewayID.NotFound',
                      "The internetGateway ID '%s' does not exist"),
             'route_tables': ('InvalidRouteTableID.NotFound',
                              "The routeTable ID '%s' does not exist"),
             'security_groups': ('InvalidGroup.NotFound',
                                 "The security group '%s' does not exist"),
             'instances': ('InvalidInstanceID.NotFound', "The instance ID '%s' does not exist"),
             'key_pairs': ('InvalidKeyPair.NotFound', "The key pair '%s' does not exist"),
             'addresses': ('InvalidAllocationID.NotFound',
                           "The allocation ID '%s' does not exist"),
             'nat_gateways': ('NatGatewayNotFound', 'The Nat Gateway %s was not found'),
             'launch_templates': ('InvalidLaunchTemplateId.NotFound',
                                  'The specified launch template, with template ID %s, does '
                                  'not exist.'),
             'images': ('InvalidAMIID.NotFound', "The image id '[%s]' does not exist")}
FILTER_ALIASES = {'instance-state-name': 'State.Name', 'instance-state-code': 'State.Code',
                  'owner-alias': 'ImageOwnerAlias', 'cidr': 'CidrBlock',
                  'instance.group-id': 'SecurityGroups.GroupId',
                  'instance.group-name': 'SecurityGroups.GroupName',
                  'association.main': 'Associations.Main',
                  'association.subnet-id': 'Associations.SubnetId',
                  'association.route-table-id': 'Associations.RouteTableId',
                  'association.route-table-association-id':
                      'Associations.RouteTableAssociationId',
                  'attachment.vpc-id': 'Attachments.VpcId',
                  'attachment.state': 'Attachments.State', 'group-name': 'GroupName',
                  'iam-instance-profile.arn': 'IamInstanceProfile.Arn',
                  'availability-zone': 'AvailabilityZone', 'zone-name': 'ZoneName',
                  'ip-address': 'PublicIpAddress', 'private-ip-address': 'PrivateIpAddress',
                  'network-interface.subnet-id': 'NetworkInterfaces.SubnetId',
                  'network-interface.network-interface-id':
                      'NetworkInterfaces.NetworkInterfaceId',
                  'network-interface.group-id': 'NetworkInterfaces.Groups.GroupId',
                  'network-interface.addresses.association.public-ip':
                      'NetworkInterfaces.Association.PublicIp'}


def zone_id_prefix(region):
    """AWS's zone-id prefix of a region: us-east-1 -> use1, eu-west-1 -> euw1,
    ap-southeast-2 -> apse2, eu-central-1 -> euc1, us-gov-west-1 -> usgw1."""
    parts = region.split('-')
    out = parts[0]
    for word in parts[1:-1]:
        for compound in ('north', 'south'):
            if word.startswith(compound) and word != compound:
                out += compound[0] + word[len(compound)]
                break
        else:
            out += word[0]
    return out + parts[-1]


def _err(code, msg):
    return AwsError(code, msg, 400)


SG_TEXT = re.compile(r'^[a-zA-Z0-9. _\-:/()#,@\[\]+=&;{}!$*]*$')


def _check_tags(tags, existing=0):
    """EC2's tag rules: key 1-127 characters, value 0-255, no aws: prefix,
    at most 50 tags on a resource."""
    for t in tags or []:
        key, value = t.get('Key') or '', t.get('Value') or ''
        if not key:
            raise _err('InvalidParameterValue', 'Tag key cannot be empty')
        if len(key) > 127:
            raise _err('InvalidParameterValue', 'Tag key exceeds the maximum length of 127 '
                       'characters')
        if len(value) > 255:
            raise _err('InvalidParameterValue', 'Tag value exceeds the maximum length of 255 '
                       'characters')
        if key.lower().startswith('aws:'):
            raise _err('InvalidParameterValue', "Tag keys starting with 'aws:' are reserved for "
                       'internal use')
    if existing + len(tags or []) > 50:
        raise _err('TagLimitExceeded', 'The maximum number of Tags for a resource has been '
                   'reached.')


def _check_sg_text(value, what, rule=False):
    """Security group names, descriptions and rule descriptions: up to 255
    characters from a-zA-Z0-9, spaces and ._-:/()#,@[]+=&;{}!$*."""
    if value is None:
        return
    if len(value) > 255 or not SG_TEXT.match(value):
        if rule:
            raise _err('InvalidParameterValue', 'Invalid rule description. Valid descriptions '
                       'are strings less than 256 characters from the following set:  '
                       'a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*')
        if any(ord(c) > 127 for c in value):
            raise _err('InvalidParameterValue', 'Value (%s) for parameter %s is invalid. '
                       'Character sets beyond ASCII are not supported.' % (value, what))
        raise _err('InvalidParameterValue', 'Value (%s) for parameter %s is invalid. Valid '
                   'values are up to 255 characters from a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*'
                   % (value, what))


def _dependency(resource):
    return _err('DependencyViolation', "The %s has dependencies and cannot be deleted." % resource)


def _pascal(kebab):
    return ''.join(part[:1].upper() + part[1:] for part in kebab.split('-'))


def _values(rec, name):
    """Candidate values of a filter name in a record (walks lists)."""
    if name.startswith('tag:'):
        return [t['Value'] for t in rec.get('Tags', []) if t['Key'] == name[4:]]
    if name == 'tag-key':
        return [t['Key'] for t in rec.get('Tags', [])]
    if name == 'tag-value':
        return [t['Value'] for t in rec.get('Tags', [])]
    path = FILTER_ALIASES.get(name) or '.'.join(_pascal(p) for p in name.split('.'))
    values = [rec]
    for part in path.split('.'):
        nxt = []
        for v in values:
            v = v.get(part) if isinstance(v, dict) else None
            if isinstance(v, list):
                nxt.extend(v)
            elif v is not None:
                nxt.append(v)
        values = nxt
    return values


def apply_filters(records, filters):
    out = []
    for rec in records:
        if all(any(match_value(want, have) for want in f.get('Values', [])
                   for have in _values(rec, f['Name'])) for f in filters or []):
            out.append(rec)
    return out


class Handler(Service):
    model = 'ec2'

    # ---------------------------------------------------------------- plumbing

    def t(self, ctx, name):
        self._seed(ctx)
        return self.table(ctx, name)

    def _seed(self, ctx):
        """Default VPC and AMIs of a region, created on first use."""
        region = self.regional(ctx)
        if region.get('_seeded'):
            return
        region['_seeded'] = True
        images = self.table(ctx, 'images')
        for ami, name, arch, created in AMIS:
            images[ami] = {'ImageId': ami, 'Name': name, 'Architecture': arch,
                           'CreationDate': created, 'OwnerId': AMAZON_OWNER,
                           'ImageOwnerAlias': 'amazon', 'Public': True, 'State': 'available',
                           'ImageType': 'machine', 'RootDeviceType': 'ebs',
                           'RootDeviceName': '/dev/xvda', 'VirtualizationType': 'hvm',
                           'Hypervisor': 'xen', 'EnaSupport': True, 'PlatformDetails':
                           'Linux/UNIX', 'UsageOperation': 'RunInstances',
                           'ImageLocation': 'amazon/' + name, 'Description': name,
                           'BlockDeviceMappings': [{'DeviceName': '/dev/xvda', 'Ebs': {
                               'SnapshotId': ec2_id('snap'), 'VolumeSize': 8,
                               'VolumeType': 'gp2', 'DeleteOnTermination': True}}]}
        vpc = self._create_vpc(ctx, '172.31.0.0/16', [], default=True)
        for i, az in enumerate(self._zones(ctx)):
            self._create_subnet(ctx, vpc, '172.31.%d.0/20' % (16 * i), az['ZoneName'], [],
                                default=True)
        igw = self._new(ctx, 'igws', 'igw', {'Attachments': [{'VpcId': vpc['VpcId'],
                                                              'State': 'available'}],
                                             'OwnerId': OWNER, '_default': True}, [])
        main = self._main_table(ctx, vpc['VpcId'])
        main['Routes'].append({'DestinationCidrBlock': '0.0.0.0/0',
                               'GatewayId': igw['InternetGatewayId'], 'State': 'active',
                               'Origin': 'CreateRoute'})

    def _zones(self, ctx):
        short = zone_id_prefix(ctx.region)
        return [{'ZoneName': ctx.region + s, 'ZoneId': '%s-az%d' % (short, i + 1),
                 'State': 'available', 'OptInStatus': 'opt-in-not-required',
                 'RegionName': ctx.region, 'GroupName': ctx.region,
                 'NetworkBorderGroup': ctx.region, 'ZoneType': 'availability-zone',
                 'Messages': []} for i, s in enumerate('abc')]

    def _new(self, ctx, table, prefix, rec, tag_specs, id_key=None):
        """Store a new record with a fresh id and the tags meant for it."""
        rid = ec2_id(prefix)
        key = id_key or self._id_key(table)
        rec[key] = rid
        rec.setdefault('Tags', [])
        rtype = RESOURCE_TYPES[table]
        for spec in tag_specs or []:
            _check_tags(spec.get('Tags'))
            if spec.get('ResourceType') in (rtype, None):
                rec['Tags'].extend(spec.get('Tags', []))
        self.table(ctx, table)[rid] = rec
        return rec

    @staticmethod
    def _id_key(table):
        return {'vpcs': 'VpcId', 'subnets': 'SubnetId', 'igws': 'InternetGatewayId',
                'route_tables': 'RouteTableId', 'security_groups': 'GroupId',
                'instances': 'InstanceId', 'key_pairs': 'KeyPairId',
                'addresses': 'AllocationId', 'nat_gateways': 'NatGatewayId',
                'launch_templates': 'LaunchTemplateId', 'images': 'ImageId'}[table]

    def get(self, ctx, table, rid):
        rec = self.t(ctx, table).get(rid)
        if rec is None:
            code, msg = NOT_FOUND[table]
            raise _err(code, msg % rid)
        return rec

    def describe(self, ctx, table, p, ids_key, out_key, records=None):
        """Generic Describe*: ids (must all exist), filters, pagination."""
        self._seed(ctx)
        if records is None:
            records = list(self.t(ctx, table).values())
        ids = p.get(ids_key) or []
        if ids:
            missing = [i for i in ids if i not in self.t(ctx, table)]
            if missing:
                code, msg = NOT_FOUND[table]
                raise _err(code, msg % missing[0])
            key = self._id_key(table)
            records = [r for r in records if r[key] in ids]
        check_filter_names(table, p.get('Filters'))
        records = apply_filters(records, p.get('Filters'))
        out = {}
        if p.get('MaxResults') or p.get('NextToken'):
            records, token = paginate(records, p.get('NextToken'), p.get('MaxResults'))
            if token:
                out['NextToken'] = token
        out[out_key] = records
        return out

    def find_any(self, ctx, rid):
        """(table, record) for any taggable id."""
        if rid.startswith('sgr-'):   # rules live inside their group
            return 'security_group_rules', self._rule(ctx, rid)
        table = TABLES.get(rid.split('-', 1)[0])
        rec = self.t(ctx, table).get(rid) if table else None
        if rec is None:
            if table:
                code, msg = NOT_FOUND[table]
                raise _err(code, msg % rid)
            raise _err('InvalidID', "The ID '%s' is not valid" % rid)
        return table, rec

    def on_transition(self, rec, old, new):
        if 'InstanceId' in rec and isinstance(rec.get('State'), dict):
            rec['State']['Code'] = STATE_CODES[new]

    # ---------------------------------------------------------------- regions, AMIs

    def DescribeAvailabilityZones(self, ctx, p):
        zones = self._zones(ctx)
        if p.get('ZoneNames'):
            zones = [z for z in zones if z['ZoneName'] in p['ZoneNames']]
        return {'AvailabilityZones': apply_filters(zones, p.get('Filters'))}

    def DescribeRegions(self, ctx, p):
        regions = [{'RegionName': r, 'Endpoint': 'ec2.%s.amazonaws.com' % r,
                    'OptInStatus': 'opt-in-not-required'}
                   for r in ('us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1')]
        if p.get('RegionNames'):
            regions = [r for r in regions if r['RegionName'] in p['RegionNames']]
        return {'Regions': apply_filters(regions, p.get('Filters'))}

    def DescribeImages(self, ctx, p):
        images = list(self.t(ctx, 'images').values())
        owners = p.get('Owners')
        if owners:
            images = [i for i in images if i['OwnerId'] in owners or
                      ('amazon' in owners and i.get('ImageOwnerAlias') == 'amazon') or
                      ('self' in owners and i['OwnerId'] == OWNER)]
        return self.describe(ctx, 'images', p, 'ImageIds', 'Images', images)

    # ---------------------------------------------------------------- VPCs

    def _create_vpc(self, ctx, cidr, tag_specs, default=False):
        try:
            net = ipaddress.ip_network(cidr)
        except ValueError:
            raise _err('InvalidParameterValue', "Value (%s) for parameter cidrBlock is invalid. "
                       "This is not a valid CIDR block." % cidr)
        if not 16 <= net.prefixlen <= 28:
            raise _err('InvalidVpc.Range', 'The CIDR \'%s\' is invalid.' % cidr)
        vpc = self._new(ctx, 'vpcs', 'vpc', {
            'CidrBlock': cidr, 'State': 'available', 'DhcpOptionsId': 'dopt-0a1b2c3d',
            'InstanceTenancy': 'default', 'IsDefault': default, 'OwnerId': OWNER,
            'CidrBlockAssociationSet': [{'AssociationId': ec2_id('vpc-cidr-assoc'),
                                         'CidrBlock': cidr,
                                         'CidrBlockState': {'State': 'associated'}}],
            '_dns_support': True, '_dns_hostnames': default}, tag_specs)
        rtb = self._new(ctx, 'route_tables', 'rtb', {
            'VpcId': vpc['VpcId'], 'OwnerId': OWNER, 'PropagatingVgws': [],
            'Routes': [{'DestinationCidrBlock': cidr, 'GatewayId': 'local', 'State': 'active',
                        'Origin': 'CreateRouteTable'}], 'Associations': [],
            '_default': default}, [])
        rtb['Associations'].append({'Main': True, 'RouteTableId': rtb['RouteTableId'],
                                    'RouteTableAssociationId': ec2_id('rtbassoc'),
                                    'AssociationState': {'State': 'associated'}})
        sg = self._new(ctx, 'security_groups', 'sg', {
            'GroupName': 'default', 'Description': 'default VPC security group',
            'VpcId': vpc['VpcId'], 'OwnerId': OWNER, '_rules': [], '_default': default}, [])
        self._add_rule(sg, True, {'IpProtocol': '-1', 'CidrIpv4': '0.0.0.0/0'})
        self._add_rule(sg, False, {'IpProtocol': '-1', 'ReferencedGroupInfo': {
            'GroupId': sg['GroupId'], 'UserId': OWNER}})
        return vpc

    def _main_table(self, ctx, vpc_id):
        for rtb in self.table(ctx, 'route_tables').values():
            if rtb['VpcId'] == vpc_id and any(a.get('Main') for a in rtb['Associations']):
                return rtb
        return None

    def CreateVpc(self, ctx, p):
        self._seed(ctx)
        return {'Vpc': self._create_vpc(ctx, p.get('CidrBlock', ''), p.get('TagSpecifications'))}

    def DescribeVpcs(self, ctx, p):
        return self.describe(ctx, 'vpcs', p, 'VpcIds', 'Vpcs')

    def DeleteVpc(self, ctx, p):
        vpc_id = p['VpcId']
        self.get(ctx, 'vpcs', vpc_id)
        busy = any(s['VpcId'] == vpc_id for s in self.t(ctx, 'subnets').values()) or \
            any(a['VpcId'] == vpc_id for g in self.t(ctx, 'igws').values()
                for a in g['Attachments']) or \
            any(r['VpcId'] == vpc_id and r is not self._main_table(ctx, vpc_id)
                for r in self.t(ctx, 'route_tables').values()) or \
            any(g['VpcId'] == vpc_id and g['GroupName'] != 'default'
                for g in self.t(ctx, 'security_groups').values())
        if busy:
            raise _dependency("vpc '%s'" % vpc_id)
        for table in ('route_tables', 'security_groups'):
            for rid, rec in list(self.t(ctx, table).items()):
                if rec.get('VpcId') == vpc_id:
                    del self.t(ctx, table)[rid]
        del self.t(ctx, 'vpcs')[vpc_id]
        return {}

    def ModifyVpcAttribute(self, ctx, p):
        vpc = self.get(ctx, 'vpcs', p['VpcId'])
        if 'EnableDnsSupport' in p:
            vpc['_dns_support'] = p['EnableDnsSupport']['Value']
        if 'EnableDnsHostnames' in p:
            vpc['_dns_hostnames'] = p['EnableDnsHostnames']['Value']
        return {}

    def DescribeVpcAttribute(self, ctx, p):
        vpc = self.get(ctx, 'vpcs', p['VpcId'])
        out = {'VpcId': vpc['VpcId']}
        if p['Attribute'] == 'enableDnsSupport':
            out['EnableDnsSupport'] = {'Value': vpc['_dns_support']}
        elif p['Attribute'] == 'enableDnsHostnames':
            out['EnableDnsHostnames'] = {'Value': vpc['_dns_hostnames']}
        else:
            raise _err('InvalidParameterValue', 'Value (%s) for parameter attribute is invalid.'
                       % p['Attribute'])
        return out

    # ---------------------------------------------------------------- subnets

    def _create_subnet(self, ctx, vpc, cidr, az, tag_specs, default=False):
        try:
            net = ipaddress.ip_network(cidr)
        except ValueError:
            raise _err('InvalidParameterValue', "Value (%s) for parameter cidrBlock is invalid."
                       % cidr)
        if not net.subnet_of(ipaddress.ip_network(vpc['CidrBlock'])):
            raise _err('InvalidSubnet.Range', "The CIDR '%s' is invalid." % cidr)
        for other in self.table(ctx, 'subnets').values():
            if other['VpcId'] == vpc['VpcId'] and \
                    net.overlaps(ipaddress.ip_network(other['CidrBlock'])):
                raise _err('InvalidSubnet.Conflict', "The CIDR '%s' conflicts with another "
                           "subnet" % cidr)
        zones = {z['ZoneName']: z for z in self._zones(ctx)}
        if az is None:
            az = sorted(zones)[0]
        if az not in zones:
            raise _err('InvalidParameterValue', 'Value (%s) for parameter availabilityZone is '
                       'invalid. Subnets can currently only be created in the following '
                       'availability zones: %s.' % (az, ', '.join(sorted(zones))))
        sub = self._new(ctx, 'subnets', 'subnet', {
            'VpcId': vpc['VpcId'], 'CidrBlock': cidr, 'AvailabilityZone': az,
            'AvailabilityZoneId': zones[az]['ZoneId'], 'State': 'available',
            'AvailableIpAddressCount': net.num_addresses - 5, 'DefaultForAz': default,
            'MapPublicIpOnLaunch': default, 'OwnerId': OWNER, 'AssignIpv6AddressOnCreation':
            False, 'Ipv6CidrBlockAssociationSet': []}, tag_specs)
        sub['SubnetArn'] = ctx.arn('ec2', 'subnet/' + sub['SubnetId'])
        return sub

    def CreateSubnet(self, ctx, p):
        vpc = self.get(ctx, 'vpcs', p['VpcId'])
        return {'Subnet': self._create_subnet(ctx, vpc, p.get('CidrBlock', ''),
                                              p.get('AvailabilityZone'),
                                              p.get('TagSpecifications'))}

    def DescribeSubnets(self, ctx, p):
        return self.describe(ctx, 'subnets', p, 'SubnetIds', 'Subnets')

    def ModifySubnetAttribute(self, ctx, p):
        sub = self.get(ctx, 'subnets', p['SubnetId'])
        if 'MapPublicIpOnLaunch' in p:
            sub['MapPublicIpOnLaunch'] = p['MapPublicIpOnLaunch']['Value']
        return {}

    def DeleteSubnet(self, ctx, p):
        sid = p['SubnetId']
        self.get(ctx, 'subnets', sid)
        if any(i['SubnetId'] == sid and i['State']['Name'] != 'terminated'
               for i in self.t(ctx, 'instances').values()) or \
                any(n['SubnetId'] == sid and n['State'] != 'deleted'
                    for n in self.t(ctx, 'nat_gateways').values()):
            raise _dependency("subnet '%s'" % sid)
        for rtb in self.t(ctx, 'route_tables').values():
            rtb['Associations'] = [a for a in rtb['Associations'] if a.get('SubnetId') != sid]
        del self.t(ctx, 'subnets')[sid]
        return {}

    # ---------------------------------------------------------------- internet gateways

    def CreateInternetGateway(self, ctx, p):
        self._seed(ctx)
        igw = self._new(ctx, 'igws', 'igw', {'Attachments': [], 'OwnerId': OWNER},
                        p.get('TagSpecifications'))
        return {'InternetGateway': igw}

    def DescribeInternetGateways(self, ctx, p):
        return self.describe(ctx, 'igws', p, 'InternetGatewayIds', 'InternetGateways')

    def AttachInternetGateway(self, ctx, p):
        igw = self.get(ctx, 'igws', p['InternetGatewayId'])
        self.get(ctx, 'vpcs', p['VpcId'])
        if igw['Attachments']:
            raise _err('Resource.AlreadyAssociated', 'resource %s is already attached to '
                       'network %s' % (igw['InternetGatewayId'], igw['Attachments'][0]['VpcId']))
        if any(a['VpcId'] == p['VpcId'] for g in self.t(ctx, 'igws').values()
               for a in g['Attachments']):
            raise _err('Resource.AlreadyAssociated', 'network %s already has an internet '
                       'gateway attached' % p['VpcId'])
        igw['Attachments'] = [{'VpcId': p['VpcId'], 'State': 'available'}]
        return {}

    def DetachInternetGateway(self, ctx, p):
        igw = self.get(ctx, 'igws', p['InternetGatewayId'])
        if not any(a['VpcId'] == p['VpcId'] for a in igw['Attachments']):
            raise _err('Gateway.NotAttached', 'resource %s is not attached to network %s'
                       % (p['InternetGatewayId'], p['VpcId']))
        igw['Attachments'] = []
        return {}

    def DeleteInternetGateway(self, ctx, p):
        igw = self.get(ctx, 'igws', p['InternetGatewayId'])
        if igw['Attachments']:
            raise _err('DependencyViolation', "The internetGateway '%s' has dependencies and "
                       "cannot be deleted." % p['InternetGatewayId'])
        del self.t(ctx, 'igws')[p['InternetGatewayId']]
        return {}

    # ---------------------------------------------------------------- route tables

    def CreateRouteTable(self, ctx, p):
        vpc = self.get(ctx, 'vpcs', p['VpcId'])
        rtb = self._new(ctx, 'route_tables', 'rtb', {
            'VpcId': vpc['VpcId'], 'OwnerId': OWNER, 'PropagatingVgws': [], 'Associations': [],
            'Routes': [{'DestinationCidrBlock': vpc['CidrBlock'], 'GatewayId': 'local',
                        'State': 'active', 'Origin': 'CreateRouteTable'}]},
            p.get('TagSpecifications'))
        return {'RouteTable': rtb}

    def DescribeRouteTables(self, ctx, p):
        return self.describe(ctx, 'route_tables', p, 'RouteTableIds', 'RouteTables')

    def DeleteRouteTable(self, ctx, p):
        rtb = self.get(ctx, 'route_tables', p['RouteTableId'])
        if rtb['Associations']:
            raise _err('DependencyViolation', "The routeTable '%s' has dependencies and cannot "
                       "be deleted." % p['RouteTableId'])
        del self.t(ctx, 'route_tables')[p['RouteTableId']]
        return {}

    def _route_target(self, ctx, rtb, p):
        if p.get('GatewayId'):
            igw = self.get(ctx, 'igws', p['GatewayId'])
            if not any(a['VpcId'] == rtb['VpcId'] for a in igw['Attachments']):
                raise _err('InvalidParameterValue', 'route table %s and network gateway %s '
                           'belong to different networks' % (rtb['RouteTableId'],
                                                             p['GatewayId']))
            return {'GatewayId': p['GatewayId']}
        if p.get('NatGatewayId'):
            self.get(ctx, 'nat_gateways', p['NatGatewayId'])
            return {'NatGatewayId': p['NatGatewayId']}
        if p.get('InstanceId'):
            self.get(ctx, 'instances', p['InstanceId'])
            return {'InstanceId': p['InstanceId'], 'InstanceOwnerId': OWNER}
        raise _err('MissingParameter', 'The request must contain exactly one of gatewayId, '
                   'natGatewayId, instanceId')

    def CreateRoute(self, ctx, p):
        rtb = self.get(ctx, 'route_tables', p['RouteTableId'])
        dest = p.get('DestinationCidrBlock')
        if any(r.get('DestinationCidrBlock') == dest for r in rtb['Routes']):
            raise _err('RouteAlreadyExists', 'The route identified by %s already exists.' % dest)
        route = {'DestinationCidrBlock': dest, 'State': 'active', 'Origin': 'CreateRoute'}
        route.update(self._route_target(ctx, rtb, p))
        rtb['Routes'].append(route)
        return {'Return': True}

    def _route(self, rtb, dest):
        for r in rtb['Routes']:
            if r.get('DestinationCidrBlock') == dest:
                return r
        raise _err('InvalidRoute.NotFound', 'no route with destination-cidr-block %s in route '
                   'table %s' % (dest, rtb['RouteTableId']))

    def ReplaceRoute(self, ctx, p):
        rtb = self.get(ctx, 'route_tables', p['RouteTableId'])
        route = self._route(rtb, p.get('DestinationCidrBlock'))
        for k in ('GatewayId', 'NatGatewayId', 'InstanceId', 'InstanceOwnerId'):
            route.pop(k, None)
        route.update(self._route_target(ctx, rtb, p))
        return {}

    def DeleteRoute(self, ctx, p):
        rtb = self.get(ctx, 'route_tables', p['RouteTableId'])
        route = self._route(rtb, p.get('DestinationCidrBlock'))
        if route.get('GatewayId') == 'local':
            raise _err('InvalidParameterValue', 'cannot remove local route %s in route table %s'
                       % (route['DestinationCidrBlock'], rtb['RouteTableId']))
        rtb['Routes'].remove(route)
        return {}

    def AssociateRouteTable(self, ctx, p):
        rtb = self.get(ctx, 'route_tables', p['RouteTableId'])
        sub = self.get(ctx, 'subnets', p['SubnetId'])
        if sub['VpcId'] != rtb['VpcId']:
            raise _err('InvalidParameterValue', 'Route table and subnet belong to different '
                       'networks')
        for other in self.t(ctx, 'route_tables').values():
            for a in other['Associations']:
                if a.get('SubnetId') == sub['SubnetId']:
                    raise _err('Resource.AlreadyAssociated', 'the specified association for '
                               'route table %s conflicts with an existing association'
                               % rtb['RouteTableId'])
        assoc = {'Main': False, 'RouteTableAssociationId': ec2_id('rtbassoc'),
                 'RouteTableId': rtb['RouteTableId'], 'SubnetId': sub['SubnetId'],
                 'AssociationState': {'State': 'associated'}}
        rtb['Associations'].append(assoc)
        return {'AssociationId': assoc['RouteTableAssociationId'],
                'AssociationState': assoc['AssociationState']}

    def ReplaceRouteTableAssociation(self, ctx, p):
        """Move a subnet's (or the VPC's main) association to another table."""
        new = self.get(ctx, 'route_tables', p['RouteTableId'])
        for rtb in self.t(ctx, 'route_tables').values():
            for a in rtb['Associations']:
                if a.get('RouteTableAssociationId') != p['AssociationId']:
                    continue
                if rtb['VpcId'] != new['VpcId']:
                    raise _err('InvalidParameterValue', 'Route table %s and association %s '
                               'belong to different networks'
                               % (new['RouteTableId'], p['AssociationId']))
                rtb['Associations'].remove(a)
                moved = dict(a, RouteTableAssociationId=ec2_id('rtbassoc'),
                             RouteTableId=new['RouteTableId'],
                             AssociationState={'State': 'associated'})
                new['Associations'].append(moved)
                return {'NewAssociationId': moved['RouteTableAssociationId'],
                        'AssociationState': moved['AssociationState']}
        raise _err('InvalidAssociationID.NotFound', "The association ID '%s' does not exist"
                   % p['AssociationId'])

    def DisassociateRouteTable(self, ctx, p):
        for rtb in self.t(ctx, 'route_tables').values():
            for a in rtb['Associations']:
                if a['RouteTableAssociationId'] == p['AssociationId'] and not a['Main']:
                    rtb['Associations'].remove(a)
                    return {}
        raise _err('InvalidAssociationID.NotFound', "The association ID '%s' does not exist"
                   % p['AssociationId'])

    # ---------------------------------------------------------------- security groups

    def _group(self, ctx, p):
        if p.get('GroupId'):
            return self.get(ctx, 'security_groups', p['GroupId'])
        default_vpc = self._default_vpc(ctx)
        for g in self.t(ctx, 'security_groups').values():
            if g['GroupName'] == p.get('GroupName') and g['VpcId'] == default_vpc:
                return g
        raise _err('InvalidGroup.NotFound', "The security group '%s' does not exist in default "
                   "VPC '%s'" % (p.get('GroupName'), default_vpc))

    def _default_vpc(self, ctx):
        for v in self.t(ctx, 'vpcs').values():
            if v['IsDefault']:
                return v['VpcId']
        return None

    def CreateSecurityGroup(self, ctx, p):
        vpc_id = p.get('VpcId') or self._default_vpc(ctx)
        self.get(ctx, 'vpcs', vpc_id)
        name = p['GroupName']
        _check_sg_text(name, 'GroupName')
        _check_sg_text(p['Description'], 'GroupDescription')
        if name.startswith('sg-') or name == 'default':
            raise _err('InvalidParameterValue', 'Group names may not be in the format sg-* '
                       'or be "default".')
        if any(g['GroupName'] == name and g['VpcId'] == vpc_id
               for g in self.t(ctx, 'security_groups').values()):
            raise _err('InvalidGroup.Duplicate', "The security group '%s' already exists for "
                       "VPC '%s'" % (name, vpc_id))
        sg = self._new(ctx, 'security_groups', 'sg', {
            'GroupName': name, 'Description': p['Description'], 'VpcId': vpc_id,
            'OwnerId': OWNER, '_rules': []}, p.get('TagSpecifications'))
        self._add_rule(sg, True, {'IpProtocol': '-1', 'CidrIpv4': '0.0.0.0/0'})
        return {'GroupId': sg['GroupId'], 'Tags': sg['Tags']}

    def _group_out(self, sg):
        """Group record with IpPermissions rebuilt from its atomic rules."""
        out = {k: v for k, v in sg.items() if k != '_rules'}
        for egress, key in ((False, 'IpPermissions'), (True, 'IpPermissionsEgress')):
            perms = {}
            for r in sg['_rules']:
                if r['IsEgress'] != egress:
                    continue
                k = (r['IpProtocol'], r.get('FromPort'), r.get('ToPort'))
                perm = perms.setdefault(k, {'IpProtocol': r['IpProtocol'], 'IpRanges': [],
                                            'Ipv6Ranges': [], 'UserIdGroupPairs': [],
                                            'PrefixListIds': []})
                if r['IpProtocol'] != '-1':
                    perm['FromPort'], perm['ToPort'] = r.get('FromPort'), r.get('ToPort')
                desc = {'Description': r['Description']} if r.get('Description') else {}
                if r.get('CidrIpv4'):
                    perm['IpRanges'].append(dict(desc, CidrIp=r['CidrIpv4']))
                elif r.get('CidrIpv6'):
                    perm['Ipv6Ranges'].append(dict(desc, CidrIpv6=r['CidrIpv6']))
                elif r.get('PrefixListId'):
                    perm['PrefixListIds'].append(dict(desc, PrefixListId=r['PrefixListId']))
                else:
                    perm['UserIdGroupPairs'].append(dict(
                        desc, GroupId=r['ReferencedGroupInfo']['GroupId'], UserId=OWNER))
            out[key] = list(perms.values())
        return out

    def DescribeSecurityGroups(self, ctx, p):
        records = list(self.t(ctx, 'security_groups').values())
        if p.get('GroupNames'):
            default_vpc = self._default_vpc(ctx)
            for name in p['GroupNames']:
                if not any(g['GroupName'] == name and g['VpcId'] == default_vpc
                           for g in records):
                    raise _err('InvalidGroup.NotFound', "The security group '%s' does not "
                               "exist in default VPC '%s'" % (name, default_vpc))
            records = [g for g in records if g['GroupName'] in p['GroupNames']
                       and g['VpcId'] == default_vpc]
        records = [self._group_out(g) for g in records]
        return self.describe(ctx, 'security_groups', p, 'GroupIds', 'SecurityGroups', records)

    def DeleteSecurityGroup(self, ctx, p):
        sg = self._group(ctx, p)
        gid = sg['GroupId']
        if sg['GroupName'] == 'default':
            raise _err('CannotDelete', 'the specified group: "%s" name: "default" cannot be '
                       'deleted by a user' % gid)
        in_use = any(gid in [g['GroupId'] for g in i['SecurityGroups']]
                     and i['State']['Name'] != 'terminated'
                     for i in self.t(ctx, 'instances').values())
        referenced = any(r.get('ReferencedGroupInfo', {}).get('GroupId') == gid
                         for other in self.t(ctx, 'security_groups').values() if other is not sg
                         for r in other['_rules'])
        if in_use or referenced:
            raise _err('DependencyViolation', 'resource %s has a dependent object' % gid)
        del self.t(ctx, 'security_groups')[gid]
        return {}

    @staticmethod
    def _add_rule(sg, egress, rule):
        rule = dict(rule, SecurityGroupRuleId=ec2_id('sgr'), GroupId=sg['GroupId'],
                    GroupOwnerId=OWNER, IsEgress=egress)
        rule.setdefault('Tags', [])
        sg['_rules'].append(rule)
        return rule

    def _atomic_rules(self, ctx, p):
        """Split IpPermissions (or the flat legacy form) into one rule per source."""
        perms = p.get('IpPermissions') or []
        if not perms and p.get('IpProtocol'):
            perms = [{'IpProtocol': p['IpProtocol'], 'FromPort': p.get('FromPort'),
                      'ToPort': p.get('ToPort'),
                      'IpRanges': [{'CidrIp': p['CidrIp']}] if p.get('CidrIp') else []}]
        rules = []
        for perm in perms:
            for key in ('IpRanges', 'Ipv6Ranges', 'PrefixListIds', 'UserIdGroupPairs'):
                for r in perm.get(key) or []:
                    _check_sg_text(r.get('Description'), 'Description', rule=True)
            proto = str(perm.get('IpProtocol', '-1')).lower()
            proto = {'all': '-1', '6': 'tcp', '17': 'udp', '1': 'icmp'}.get(proto, proto)
            if proto not in ('tcp', 'udp', 'icmp', 'icmpv6', '-1'):
                raise _err('InvalidParameterValue', 'Invalid value \'%s\' for IP protocol. '
                           'Unknown protocol.' % perm.get('IpProtocol'))
            base = {'IpProtocol': proto}
            if proto != '-1':
                if perm.get('FromPort') is None or perm.get('ToPort') is None:
                    raise _err('InvalidParameterValue', 'Invalid value for portRange. Must '
                               'specify both from and to ports with TCP/UDP.')
                base['FromPort'], base['ToPort'] = perm['FromPort'], perm['ToPort']
            for r in perm.get('IpRanges') or []:
                rules.append(dict(base, CidrIpv4=r['CidrIp'], Description=r.get('Description')))
            for r in perm.get('Ipv6Ranges') or []:
                rules.append(dict(base, CidrIpv6=r['CidrIpv6'],
                                  Description=r.get('Description')))
            for r in perm.get('PrefixListIds') or []:
                rules.append(dict(base, PrefixListId=r['PrefixListId'],
                                  Description=r.get('Description')))
            for r in perm.get('UserIdGroupPairs') or []:
                self.get(ctx, 'security_groups', r['GroupId'])
                rules.append(dict(base, ReferencedGroupInfo={'GroupId': r['GroupId'],
                                                             'UserId': OWNER},
                                  Description=r.get('Description')))
        return [{k: v for k, v in r.items() if v is not None} for r in rules]

    @staticmethod
    def _same(a, b):
        keys = ('IpProtocol', 'FromPort', 'ToPort', 'CidrIpv4', 'CidrIpv6', 'PrefixListId')
        return all(a.get(k) == b.get(k) for k in keys) and \
            a.get('ReferencedGroupInfo', {}).get('GroupId') == \
            b.get('ReferencedGroupInfo', {}).get('GroupId')

    def _authorize(self, ctx, p, egress):
        sg = self._group(ctx, p)
        added = []
        tags = []
        for spec in p.get('TagSpecifications') or []:
            if spec.get('ResourceType') != 'security-group-rule':
                raise _err('InvalidParameterValue', "'%s' is not a valid taggable resource "
                           "type for this operation." % spec.get('ResourceType'))
            _check_tags(spec.get('Tags'))
            tags.extend(spec.get('Tags') or [])
        for rule in self._atomic_rules(ctx, p):
            rule['Tags'] = [dict(t) for t in tags]
            if any(r['IsEgress'] == egress and self._same(r, rule) for r in sg['_rules']):
                raise _err('InvalidPermission.Duplicate', 'the specified rule "peer: %s, %s, '
                           'ALLOW" already exists' % (rule.get('CidrIpv4', 'sg'),
                                                      rule['IpProtocol'].upper()))
            added.append(self._add_rule(sg, egress, rule))
        return {'Return': True, 'SecurityGroupRules': added}

    def _revoke(self, ctx, p, egress):
        sg = self._group(ctx, p)
        if p.get('SecurityGroupRuleIds'):
            ids = set(p['SecurityGroupRuleIds'])
            sg['_rules'] = [r for r in sg['_rules'] if r['SecurityGroupRuleId'] not in ids]
            return {'Return': True}
        for rule in self._atomic_rules(ctx, p):
            match = [r for r in sg['_rules'] if r['IsEgress'] == egress and self._same(r, rule)]
            if not match:
                raise _err('InvalidPermission.NotFound', 'The specified rule does not exist in '
                           'this security group.')
            sg['_rules'].remove(match[0])
        return {'Return': True}

    def AuthorizeSecurityGroupIngress(self, ctx, p):
        return self._authorize(ctx, p, False)

    def AuthorizeSecurityGroupEgress(self, ctx, p):
        return self._authorize(ctx, p, True)

    def RevokeSecurityGroupIngress(self, ctx, p):
        return self._revoke(ctx, p, False)

    def RevokeSecurityGroupEgress(self, ctx, p):
        return self._revoke(ctx, p, True)

    # The filters the DescribeSecurityGroupRules API reference lists; AWS
    # rejects any other.
    RULE_FILTERS = ('group-id', 'security-group-rule-id', 'tag-key')

    def _rule(self, ctx, rule_id):
        for g in self.t(ctx, 'security_groups').values():
            for r in g['_rules']:
                if r['SecurityGroupRuleId'] == rule_id:
                    return r
        raise _err('InvalidSecurityGroupRuleId.NotFound', "The security group rule ID '%s' "
                   'does not exist' % rule_id)

    def DescribeSecurityGroupRules(self, ctx, p):
        for f in p.get('Filters') or []:
            name = f.get('Name', '')
            if name not in self.RULE_FILTERS and not name.startswith('tag:'):
                raise _err('InvalidParameterValue', "The filter '%s' is invalid" % name)
        rules = [r for g in self.t(ctx, 'security_groups').values() for r in g['_rules']]
        if p.get('SecurityGroupRuleIds'):
            for rid in p['SecurityGroupRuleIds']:
                self._rule(ctx, rid)
            rules = [r for r in rules if r['SecurityGroupRuleId'] in p['SecurityGroupRuleIds']]
        rules = [self._rule_out(ctx, r) for r in apply_filters(rules, p.get('Filters'))]
        page, token = paginate(rules, p.get('NextToken'), p.get('MaxResults'))
        return {'SecurityGroupRules': page, 'NextToken': token}

    @staticmethod
    def _rule_out(ctx, r):
        """A rule as DescribeSecurityGroupRules shows it: ports -1 for all
        protocols, and its ARN."""
        out = dict(r, SecurityGroupRuleArn='arn:aws:ec2:%s:%s:security-group-rule/%s' % (
            ctx.region, OWNER, r['SecurityGroupRuleId']))
        if out['IpProtocol'] == '-1':
            out['FromPort'], out['ToPort'] = -1, -1
        return out

    def ModifySecurityGroupRules(self, ctx, p):
        """Replaces each named rule of the group in place (its id, tags and
        direction kept), with AWS's checks: the rule must belong to the
        group, name exactly one peer, a protocol, and ports unless the
        protocol is -1; a change may not turn it into a duplicate."""
        sg = self._group(ctx, p)
        for item in p.get('SecurityGroupRules') or []:
            rid = item['SecurityGroupRuleId']
            old = self._rule(ctx, rid)
            if old['GroupId'] != sg['GroupId']:
                raise _err('InvalidSecurityGroupRuleId.NotFound', "The security group rule ID "
                           "'%s' does not exist in security group '%s'" % (rid, sg['GroupId']))
            new = dict(item.get('SecurityGroupRule') or {})
            peers = [k for k in ('CidrIpv4', 'CidrIpv6', 'PrefixListId', 'ReferencedGroupId')
                     if new.get(k)]
            if len(peers) != 1:
                raise _err('MissingParameter', 'The request must contain exactly one of: '
                           'cidrIp, cidrIpv6, prefixListId, or referencedGroupId')
            if not new.get('IpProtocol'):
                raise _err('InvalidParameterValue', "Invalid value 'null' for protocol. VPC "
                           'security group rules must specify protocols explicitly.')
            perm = {'IpProtocol': new['IpProtocol'], 'FromPort': new.get('FromPort'),
                    'ToPort': new.get('ToPort')}
            key = {'CidrIpv4': ('IpRanges', 'CidrIp'), 'CidrIpv6': ('Ipv6Ranges', 'CidrIpv6'),
                   'PrefixListId': ('PrefixListIds', 'PrefixListId'),
                   'ReferencedGroupId': ('UserIdGroupPairs', 'GroupId')}[peers[0]]
            perm[key[0]] = [{key[1]: new[peers[0]], 'Description': new.get('Description')}]
            rule = self._atomic_rules(ctx, {'IpPermissions': [perm]})[0]
            if any(r is not old and r['IsEgress'] == old['IsEgress'] and self._same(r, rule)
                   for r in sg['_rules']):
                raise _err('InvalidPermission.Duplicate', 'the specified rule already exists')
            for k in ('FromPort', 'ToPort', 'CidrIpv4', 'CidrIpv6', 'PrefixListId',
                      'ReferencedGroupInfo', 'Description'):
                old.pop(k, None)
            old.update(rule)
        return {'Return': True}

    # ---------------------------------------------------------------- key pairs

    def _key_exists(self, ctx, name):
        return any(k['KeyName'] == name for k in self.t(ctx, 'key_pairs').values())

    def ImportKeyPair(self, ctx, p):
        if self._key_exists(ctx, p['KeyName']):
            raise _err('InvalidKeyPair.Duplicate', "The keypair already exists")
        material = p['PublicKeyMaterial']
        text = material.decode() if isinstance(material, bytes) else material
        if not text.startswith(('ssh-rsa ', 'ssh-ed25519 ', 'ecdsa-')):
            raise _err('InvalidKey.Format', 'Key is not in valid OpenSSH public key format')
        digest = hashlib.md5(text.split()[1].encode()).hexdigest()
        key = self._new(ctx, 'key_pairs', 'key', {
            'KeyName': p['KeyName'], 'KeyType': 'ed25519' if 'ed25519' in text else 'rsa',
            'KeyFingerprint': ':'.join(digest[i:i + 2] for i in range(0, 32, 2)),
            'PublicKey': text.strip(), 'CreateTime': now()}, p.get('TagSpecifications'))
        return key

    def CreateKeyPair(self, ctx, p):
        if self._key_exists(ctx, p['KeyName']):
            raise _err('InvalidKeyPair.Duplicate', "The keypair already exists")
        digest = hashlib.sha1(p['KeyName'].encode()).hexdigest()
        key = self._new(ctx, 'key_pairs', 'key', {
            'KeyName': p['KeyName'], 'KeyType': p.get('KeyType') or 'rsa',
            'KeyFingerprint': ':'.join(digest[i:i + 2] for i in range(0, 40, 2)),
            'CreateTime': now()}, p.get('TagSpecifications'))
        material = '-----BEGIN RSA PRIVATE KEY-----\n%s\n-----END RSA PRIVATE KEY-----' % \
            base64.b64encode(hashlib.sha512(key['KeyPairId'].encode()).digest()).decode()
        return dict(key, KeyMaterial=material)

    def DescribeKeyPairs(self, ctx, p):
        records = list(self.t(ctx, 'key_pairs').values())
        for name in p.get('KeyNames') or []:
            if not self._key_exists(ctx, name):
                raise _err('InvalidKeyPair.NotFound', "The key pair '%s' does not exist" % name)
        if p.get('KeyNames'):
            records = [k for k in records if k['KeyName'] in p['KeyNames']]
        out = self.describe(ctx, 'key_pairs', p, 'KeyPairIds', 'KeyPairs', records)
        if not p.get('IncludePublicKey'):
            out['KeyPairs'] = [{k: v for k, v in r.items() if k != 'PublicKey'}
                               for r in out['KeyPairs']]
        return out

    def DeleteKeyPair(self, ctx, p):
        table = self.t(ctx, 'key_pairs')
        for kid, k in list(table.items()):
            if k['KeyName'] == p.get('KeyName') or kid == p.get('KeyPairId'):
                del table[kid]
        return {}

    # ---------------------------------------------------------------- instances

    def _instance_profile(self, ctx, spec):
        if not spec:
            return None
        iam = self.server.services['iam']
        name = spec.get('Name') or (spec.get('Arn') or '').rsplit('/', 1)[-1]
        prof = iam.gtable('profiles').get(name)
        if prof is None:
            which = 'name' if spec.get('Name') else 'arn'
            raise _err('InvalidParameterValue', "Value (%s) for parameter iamInstanceProfile.%s "
                       "is invalid. Invalid IAM Instance Profile %s"
                       % (spec.get('Name') or spec.get('Arn'), which, which))
        return {'Arn': prof['Arn'], 'Id': prof['InstanceProfileId']}

    def _launch_groups(self, ctx, p, subnet):
        ids = list(p.get('SecurityGroupIds') or [])
        for name in p.get('SecurityGroups') or []:
            ids.append(self._group(ctx, {'GroupName': name})['GroupId'])
        if not ids:
            ids = [g['GroupId'] for g in self.t(ctx, 'security_groups').values()
                   if g['VpcId'] == subnet['VpcId'] and g['GroupName'] == 'default']
        groups = []
        for gid in ids:
            g = self.get(ctx, 'security_groups', gid)
            if g['VpcId'] != subnet['VpcId']:
                raise _err('InvalidParameter', 'Security group %s and subnet %s belong to '
                           'different networks.' % (gid, subnet['SubnetId']))
            groups.append({'GroupId': gid, 'GroupName': g['GroupName']})
        return groups

    def _launch_subnet(self, ctx, p):
        if p.get('SubnetId'):
            return self.get(ctx, 'subnets', p['SubnetId'])
        az = (p.get('Placement') or {}).get('AvailabilityZone')
        default_vpc = self._default_vpc(ctx)
        for s in sorted(self.t(ctx, 'subnets').values(), key=lambda s: s['AvailabilityZone']):
            if s['VpcId'] == default_vpc and s['DefaultForAz'] and \
                    (az is None or s['AvailabilityZone'] == az):
                return s
        raise _err('VPCIdNotSpecified', 'No default VPC for this user')

    def _launch_interfaces(self, ctx, p):
        """The interfaces an instance is launched with, AWS's rules applied:
        NetworkInterfaces.N (then no instance-level SubnetId or security
        groups), else one from SubnetId / the default VPC."""
        specs = p.get('NetworkInterfaces') or []
        if not specs:
            subnet = self._launch_subnet(ctx, p)
            return [self._interface(ctx, {'DeviceIndex': 0, 'PrivateIpAddress':
                                          p.get('PrivateIpAddress')}, subnet,
                                    self._launch_groups(ctx, p, subnet), None)]
        if p.get('SubnetId'):
            raise _err('InvalidParameterCombination', 'Network interfaces and an instance-level '
                       'subnet ID may not be specified on the same request')
        if p.get('SecurityGroupIds') or p.get('SecurityGroups'):
            raise _err('InvalidParameterCombination', 'Network interfaces and an instance-level '
                       'security groups may not be specified on the same request')
        nics = []
        for spec in sorted(specs, key=lambda n: n.get('DeviceIndex', -1)):
            if spec.get('NetworkInterfaceId'):
                raise _err('InvalidNetworkInterfaceID.NotFound', "The networkInterface ID '%s' "
                           "does not exist" % spec['NetworkInterfaceId'])
            if spec.get('DeviceIndex') is None:
                raise _err('InvalidParameterValue', 'Each network interface requires a device '
                           'index.')
            public = spec.get('AssociatePublicIpAddress')
            if public is not None and len(specs) > 1:
                raise _err('InvalidParameterCombination', 'The associatePublicIPAddress '
                           'parameter cannot be specified when launching with multiple '
                           'network interfaces.')
            if public is not None and spec['DeviceIndex'] != 0:
                raise _err('InvalidParameterCombination', 'The associatePublicIPAddress '
                           'parameter can only be specified for the network interface with '
                           'DeviceIndex 0.')
            if not spec.get('SubnetId'):
                raise _err('InvalidParameterValue', 'A subnet ID must be specified for network '
                           'interface %d.' % spec['DeviceIndex'])
            subnet = self.get(ctx, 'subnets', spec['SubnetId'])
            if nics and subnet['AvailabilityZone'] != nics[0]['_az']:
                raise _err('InvalidParameterValue', 'All network interfaces must be in the same '
                           'availability zone.')
            groups = self._launch_groups(ctx, {'SecurityGroupIds': spec.get('Groups')}, subnet)
            nics.append(self._interface(ctx, spec, subnet, groups, public))
        if nics[0]['DeviceIndex'] != 0:
            raise _err('InvalidParameterValue', 'A network interface with device index 0 is '
                       'required.')
        return nics

    def _interface(self, ctx, spec, subnet, groups, public):
        """One interface to create at launch (internal form, see _sync_interfaces)."""
        ip = spec.get('PrivateIpAddress')
        if ip and ipaddress.ip_address(ip) not in ipaddress.ip_network(subnet['CidrBlock']):
            raise _err('InvalidParameterValue', "Address %s does not fall within the subnet's "
                       "address range" % ip)
        return {'DeviceIndex': spec['DeviceIndex'], 'SubnetId': subnet['SubnetId'],
                'VpcId': subnet['VpcId'], '_az': subnet['AvailabilityZone'],
                '_cidr': subnet['CidrBlock'], 'Groups': groups, 'PrivateIpAddress': ip,
                'Description': spec.get('Description') or '',
                'DeleteOnTermination': spec.get('DeleteOnTermination', True),
                '_public': public, '_map_public': subnet.get('MapPublicIpOnLaunch')}

    def RunInstances(self, ctx, p):
        tokens = self.regional(ctx).setdefault('client_tokens', {})
        if p.get('ClientToken') and p['ClientToken'] in tokens:
            return self._reservation(ctx, tokens[p['ClientToken']])
        template = self._template_data(ctx, p.get('LaunchTemplate'))
        p = dict(template, **{k: v for k, v in p.items() if v is not None})
        self.get(ctx, 'images', p.get('ImageId', ''))
        itype = p.get('InstanceType') or 'm1.small'
        if itype not in INSTANCE_TYPES:
            raise _err('InvalidParameterValue', "Invalid value '%s' for InstanceType." % itype)
        if p.get('KeyName') and not self._key_exists(ctx, p['KeyName']):
            raise _err('InvalidKeyPair.NotFound', "The key pair '%s' does not exist"
                       % p['KeyName'])
        if p.get('MinCount', 1) > p.get('MaxCount', 1):
            raise _err('InvalidParameterValue', 'MinCount must be less than or equal to '
                       'MaxCount')
        nics = self._launch_interfaces(ctx, p)
        profile = self._instance_profile(ctx, p.get('IamInstanceProfile'))
        reservation = ec2_id('r')
        for index in range(p.get('MaxCount', 1)):
            self._launch_one(ctx, p, itype, nics, profile, reservation, index)
        if p.get('ClientToken'):
            tokens[p['ClientToken']] = reservation
        return self._reservation(ctx, reservation)

    def _private_ip(self, ctx, cidr, index):
        octets = [int(x) for x in cidr.split('/')[0].split('.')]
        return '%d.%d.%d.%d' % (octets[0], octets[1], octets[2] + (index // 200),
                                10 + len(self.t(ctx, 'instances')) % 240)

    def _launch_one(self, ctx, p, itype, nics, profile, reservation, index):
        image = self.get(ctx, 'images', p['ImageId'])
        nics = [dict(n, NetworkInterfaceId=ec2_id('eni'), _attachment=ec2_id('eni-attach'),
                     MacAddress='02:%s' % ':'.join(hex_id(2) for _ in range(5)),
                     PrivateIpAddress=n['PrivateIpAddress'] or
                     self._private_ip(ctx, n['_cidr'], index + 7 * n['DeviceIndex']))
                for n in nics]
        primary = nics[0]
        private_ip = primary['PrivateIpAddress']
        inst = {'ImageId': p['ImageId'], 'InstanceType': itype, 'KeyName': p.get('KeyName'),
                'State': {'Code': 0, 'Name': 'pending'}, 'StateTransitionReason': '',
                'AmiLaunchIndex': index, 'LaunchTime': now(),
                'Placement': {'AvailabilityZone': primary['_az'], 'Tenancy':
                              'default', 'GroupName': ''},
                'Monitoring': {'State': 'enabled' if (p.get('Monitoring') or {}).get('Enabled')
                               else 'disabled'},
                'SubnetId': primary['SubnetId'], 'VpcId': primary['VpcId'],
                'PrivateIpAddress': private_ip,
                'PrivateDnsName': 'ip-%s.%s.compute.internal' % (private_ip.replace('.', '-'),
                                                                ctx.region),
                'PublicDnsName': '', 'Architecture': image['Architecture'],
                'RootDeviceType': 'ebs', 'RootDeviceName': '/dev/xvda',
                'VirtualizationType': 'hvm', 'Hypervisor': 'xen', 'EbsOptimized':
                bool(p.get('EbsOptimized')), 'EnaSupport': True, 'SourceDestCheck': True,
                'SecurityGroups': primary['Groups'],
                'ClientToken': p.get('ClientToken') or '', '_nics': nics,
                'BlockDeviceMappings': [{'DeviceName': '/dev/xvda', 'Ebs': {
                    'VolumeId': ec2_id('vol'), 'Status': 'attached', 'AttachTime': now(),
                    'DeleteOnTermination': True}}], '_root_volume': self._root_volume(p),
                'MetadataOptions': dict({'State': 'applied', 'HttpTokens': 'optional',
                                         'HttpPutResponseHopLimit': 1, 'HttpEndpoint': 'enabled'},
                                        **(p.get('MetadataOptions') or {})),
                'CpuOptions': {'CoreCount': 1, 'ThreadsPerCore': 2},
                '_reservation': reservation, '_user_data': p.get('UserData'),
                '_disable_api_termination': bool(p.get('DisableApiTermination')),
                '_shutdown_behavior': p.get('InstanceInitiatedShutdownBehavior') or 'stop'}
        public = primary['_public']
        if public is None:        # the subnet decides, for a single-interface launch only
            public = bool(primary['_map_public']) and len(nics) == 1
        if public:
            ip = '3.%d.%d.%d' % (len(self.t(ctx, 'instances')) % 250, 17, 10 + index)
            inst['PublicIpAddress'] = ip
            inst['PublicDnsName'] = 'ec2-%s.%s.compute.amazonaws.com' % (ip.replace('.', '-'),
                                                                        ctx.region)
        rec = self._new(ctx, 'instances', 'i', inst, p.get('TagSpecifications'))
        if profile:
            self._associate_profile(ctx, rec, profile, 'associated')
        self._sync_interfaces(rec)
        return rec

    @staticmethod
    def _root_volume(p):
        """Size/type of the root volume from RunInstances BlockDeviceMappings."""
        ebs = {}
        for bdm in p.get('BlockDeviceMappings') or []:
            if bdm.get('DeviceName') in ('/dev/xvda', '/dev/sda1') and bdm.get('Ebs'):
                ebs = bdm['Ebs']
        vtype = ebs.get('VolumeType') or 'gp2'
        size = ebs.get('VolumeSize') or 8
        iops = ebs.get('Iops') or (3000 if vtype == 'gp3' else max(100, 3 * size))
        return {'Size': size, 'VolumeType': vtype, 'Iops': iops,
                'Encrypted': bool(ebs.get('Encrypted'))}

    @staticmethod
    def _sync_interfaces(inst):
        """Instance.NetworkInterfaces from the instance's current facts."""
        if '_nics' not in inst:
            return
        if inst['State']['Name'] == 'terminated':
            inst['NetworkInterfaces'] = []
            return
        out = []
        for nic in inst['_nics']:
            primary = nic['DeviceIndex'] == 0
            ip = inst['PrivateIpAddress'] if primary else nic['PrivateIpAddress']
            dns = 'ip-%s.%s.compute.internal' % (ip.replace('.', '-'), nic['_az'][:-1])
            eni = {'NetworkInterfaceId': nic['NetworkInterfaceId'], 'SubnetId': nic['SubnetId'],
                   'VpcId': nic['VpcId'], 'Description': nic['Description'], 'OwnerId': OWNER,
                   'Status': 'in-use', 'MacAddress': nic['MacAddress'],
                   'PrivateIpAddress': ip, 'PrivateDnsName': dns,
                   'SourceDestCheck': inst['SourceDestCheck'], 'InterfaceType': 'interface',
                   'Groups': inst['SecurityGroups'] if primary else nic['Groups'],
                   'Ipv6Addresses': [],
                   'Attachment': {'AttachmentId': nic['_attachment'], 'AttachTime':
                                  inst['LaunchTime'], 'DeleteOnTermination':
                                  nic['DeleteOnTermination'], 'DeviceIndex': nic['DeviceIndex'],
                                  'NetworkCardIndex': 0, 'Status': 'attached'},
                   'PrivateIpAddresses': [{'Primary': True, 'PrivateIpAddress': ip,
                                           'PrivateDnsName': dns}]}
            if primary and inst.get('PublicIpAddress'):
                assoc = {'PublicIp': inst['PublicIpAddress'], 'IpOwnerId': 'amazon',
                         'PublicDnsName': inst.get('PublicDnsName') or ''}
                eni['Association'] = assoc
                eni['PrivateIpAddresses'][0]['Association'] = dict(assoc)
            out.append(eni)
        inst['NetworkInterfaces'] = out

    def _reservation(self, ctx, rid):
        insts = [i for i in self.t(ctx, 'instances').values() if i['_reservation'] == rid]
        groups = insts[0]['SecurityGroups'] if insts else []
        return {'ReservationId': rid, 'OwnerId': OWNER, 'Groups': groups, 'Instances': insts}

    def _advance_instance(self, inst):
        self.advance(inst, 'State.Name', {'pending': 'running', 'stopping': 'stopped',
                                          'shutting-down': 'terminated'})
        self._sync_interfaces(inst)
        return inst

    def DescribeInstances(self, ctx, p):
        records = list(self.t(ctx, 'instances').values())
        if p.get('InstanceIds'):
            missing = [i for i in p['InstanceIds'] if i not in self.t(ctx, 'instances')]
            if missing:
                raise _err('InvalidInstanceID.NotFound', "The instance IDs '%s' do not exist"
                           % ', '.join(missing))
            records = [r for r in records if r['InstanceId'] in p['InstanceIds']]
        records = [self._advance_instance(r) for r in records]
        records = apply_filters(records, p.get('Filters'))
        out = {}
        if p.get('MaxResults') or p.get('NextToken'):
            records, token = paginate(records, p.get('NextToken'), p.get('MaxResults'))
            if token:
                out['NextToken'] = token
        order = []
        for r in records:
            if r['_reservation'] not in order:
                order.append(r['_reservation'])
        out['Reservations'] = [dict(self._reservation(ctx, rid), Instances=[
            r for r in records if r['_reservation'] == rid]) for rid in order]
        return out

    def DescribeInstanceStatus(self, ctx, p):
        insts = [self._advance_instance(self.get(ctx, 'instances', i))
                 for i in p.get('InstanceIds') or list(self.t(ctx, 'instances'))]
        if not p.get('IncludeAllInstances'):
            insts = [i for i in insts if i['State']['Name'] == 'running']
        ok = {'Status': 'ok', 'Details': [{'Name': 'reachability', 'Status': 'passed'}]}
        return {'InstanceStatuses': [{'InstanceId': i['InstanceId'], 'InstanceState': i['State'],
                                      'AvailabilityZone': i['Placement']['AvailabilityZone'],
                                      'InstanceStatus': ok, 'SystemStatus': ok} for i in insts]}

    def _change_state(self, ctx, ids, allowed, target, idle, check=None):
        """Move instances to `target` from `allowed` states; `idle` states need nothing."""
        changes = []
        for iid in ids:
            inst = self.get(ctx, 'instances', iid)
            if check:
                check(inst)
            prev = dict(inst['State'])
            if prev['Name'] in allowed:
                inst['State'] = {'Name': target, 'Code': STATE_CODES[target]}
                inst.pop('_polls', None)
            elif prev['Name'] not in idle:
                raise _err('IncorrectInstanceState', "The instance '%s' is not in a state from "
                           "which it can be %s." % (iid, target))
            changes.append({'InstanceId': iid, 'PreviousState': prev,
                            'CurrentState': dict(inst['State'])})
        return changes

    def TerminateInstances(self, ctx, p):
        def check(inst):
            if inst['_disable_api_termination']:
                raise _err('OperationNotPermitted', "The instance '%s' may not be terminated. "
                           "Modify its 'disableApiTermination' instance attribute and try "
                           "again." % inst['InstanceId'])
        changes = self._change_state(ctx, p['InstanceIds'],
                                     ('pending', 'running', 'stopping', 'stopped'),
                                     'shutting-down', ('shutting-down', 'terminated'), check)
        for iid in p['InstanceIds']:
            inst = self.t(ctx, 'instances')[iid]
            for addr in self.t(ctx, 'addresses').values():
                if addr.get('InstanceId') == iid:
                    for k in ('InstanceId', 'AssociationId', 'PrivateIpAddress',
                              'NetworkInterfaceId'):
                        addr.pop(k, None)
            inst.pop('PublicIpAddress', None)
            inst['PublicDnsName'] = ''
            inst.pop('IamInstanceProfile', None)
            table = self.t(ctx, 'profile_associations')
            for aid in [a for a, rec in table.items() if rec['InstanceId'] == iid]:
                del table[aid]
            self._sync_interfaces(inst)
        return {'TerminatingInstances': changes}

    def StopInstances(self, ctx, p):
        changes = self._change_state(ctx, p['InstanceIds'], ('running', 'pending'), 'stopping',
                                     ('stopping', 'stopped'))
        return {'StoppingInstances': changes}

    def StartInstances(self, ctx, p):
        changes = self._change_state(ctx, p['InstanceIds'], ('stopped',), 'pending',
                                     ('pending', 'running'))
        return {'StartingInstances': changes}

    def RebootInstances(self, ctx, p):
        for iid in p['InstanceIds']:
            self.get(ctx, 'instances', iid)
        return {}

    def _monitor(self, ctx, p, state):
        out = []
        for iid in p['InstanceIds']:
            inst = self.get(ctx, 'instances', iid)
            inst['Monitoring'] = {'State': state}
            out.append({'InstanceId': iid, 'Monitoring': {'State': state}})
        return {'InstanceMonitorings': out}

    def MonitorInstances(self, ctx, p):
        return self._monitor(ctx, p, 'enabled')

    def UnmonitorInstances(self, ctx, p):
        return self._monitor(ctx, p, 'disabled')

    def ModifyInstanceAttribute(self, ctx, p):
        inst = self.get(ctx, 'instances', p['InstanceId'])
        stopped = inst['State']['Name'] == 'stopped'

        def need_stopped(attr):
            if not stopped:
                raise _err('IncorrectInstanceState', "The instance '%s' is not in the 'stopped' "
                           "state." % p['InstanceId'] if attr else '')
        if p.get('InstanceType'):
            need_stopped('instanceType')
            inst['InstanceType'] = p['InstanceType']['Value']
        if p.get('UserData'):
            need_stopped('userData')
            value = p['UserData']['Value']
            inst['_user_data'] = base64.b64encode(value).decode() \
                if isinstance(value, bytes) else value
        if p.get('Groups'):
            inst['SecurityGroups'] = [{'GroupId': g, 'GroupName': self.get(
                ctx, 'security_groups', g)['GroupName']} for g in p['Groups']]
        if p.get('DisableApiTermination'):
            inst['_disable_api_termination'] = p['DisableApiTermination']['Value']
        if p.get('SourceDestCheck'):
            inst['SourceDestCheck'] = p['SourceDestCheck']['Value']
        if p.get('EbsOptimized'):
            inst['EbsOptimized'] = p['EbsOptimized']['Value']
        if p.get('InstanceInitiatedShutdownBehavior'):
            inst['_shutdown_behavior'] = p['InstanceInitiatedShutdownBehavior']['Value']
        return {}

    def DescribeInstanceAttribute(self, ctx, p):
        inst = self.get(ctx, 'instances', p['InstanceId'])
        attr = p['Attribute']
        out = {'InstanceId': inst['InstanceId']}
        values = {'instanceType': ('InstanceType', {'Value': inst['InstanceType']}),
                  'userData': ('UserData', {'Value': inst['_user_data']}
                               if inst['_user_data'] else {}),
                  'disableApiTermination': ('DisableApiTermination',
                                            {'Value': inst['_disable_api_termination']}),
                  'instanceInitiatedShutdownBehavior': ('InstanceInitiatedShutdownBehavior',
                                                        {'Value': inst['_shutdown_behavior']}),
                  'groupSet': ('Groups', inst['SecurityGroups']),
                  'sourceDestCheck': ('SourceDestCheck', {'Value': inst['SourceDestCheck']}),
                  'ebsOptimized': ('EbsOptimized', {'Value': inst['EbsOptimized']}),
                  'rootDeviceName': ('RootDeviceName', {'Value': '/dev/xvda'})}
        if attr not in values:
            raise _err('InvalidParameterValue', 'Value (%s) for parameter attribute is invalid.'
                       % attr)
        key, value = values[attr]
        out[key] = value
        return out

    def _live_instances(self, ctx):
        return [i for i in (self._advance_instance(r) for r in self.t(ctx, 'instances').values())
                if i['State']['Name'] != 'terminated']

    @staticmethod
    def _renamed_filters(filters, names):
        return [dict(f, Name=names.get(f['Name'], f['Name'])) for f in filters or []]

    def _listing(self, ctx, records, p, ids_key, id_key, not_found, out_key):
        ids = p.get(ids_key) or []
        known = {r[id_key] for r in records}
        for rid in ids:
            if rid not in known:
                raise _err(not_found[0], not_found[1] % rid)
        records = [r for r in records if not ids or r[id_key] in ids]
        records = apply_filters(records, p.get('Filters'))
        out = {}
        if p.get('MaxResults') or p.get('NextToken'):
            records, token = paginate(records, p.get('NextToken'), p.get('MaxResults'))
            if token:
                out['NextToken'] = token
        out[out_key] = records
        return out

    def DescribeNetworkInterfaces(self, ctx, p):
        """The instances' interfaces (the only ENIs the emulator has)."""
        records = []
        for inst in self._live_instances(ctx):
            for eni in inst.get('NetworkInterfaces') or []:
                records.append(dict(eni, AvailabilityZone=inst['Placement']['AvailabilityZone'],
                                    RequesterManaged=False, TagSet=[],
                                    Attachment=dict(eni['Attachment'],
                                                    InstanceId=inst['InstanceId'],
                                                    InstanceOwnerId=OWNER)))
        p = dict(p, Filters=self._renamed_filters(p.get('Filters'), {
            'group-id': 'groups.group-id', 'group-name': 'groups.group-name',
            'addresses.private-ip-address': 'private-ip-addresses.private-ip-address'}))
        return self._listing(ctx, records, p, 'NetworkInterfaceIds', 'NetworkInterfaceId',
                             ('InvalidNetworkInterfaceID.NotFound',
                              "The networkInterface ID '%s' does not exist"),
                             'NetworkInterfaces')

    def DescribeVolumes(self, ctx, p):
        """The instances' root volumes (deleted with the instance)."""
        records = []
        for inst in self._live_instances(ctx):
            for bdm in inst['BlockDeviceMappings']:
                root = inst.get('_root_volume') or self._root_volume({})
                vid = bdm['Ebs']['VolumeId']
                records.append(dict(root, VolumeId=vid, State='in-use', CreateTime=
                                    inst['LaunchTime'], MultiAttachEnabled=False, Tags=[],
                                    AvailabilityZone=inst['Placement']['AvailabilityZone'],
                                    Attachments=[{'VolumeId': vid, 'State': 'attached',
                                                  'InstanceId': inst['InstanceId'],
                                                  'Device': bdm['DeviceName'],
                                                  'AttachTime': inst['LaunchTime'],
                                                  'DeleteOnTermination':
                                                      bdm['Ebs']['DeleteOnTermination']}]))
        p = dict(p, Filters=self._renamed_filters(p.get('Filters'), {
            'attachment.instance-id': 'attachments.instance-id',
            'attachment.device': 'attachments.device',
            'attachment.status': 'attachments.state'}))
        return self._listing(ctx, records, p, 'VolumeIds', 'VolumeId',
                             ('InvalidVolume.NotFound', "The volume '%s' does not exist."),
                             'Volumes')

    def ModifyInstanceMetadataOptions(self, ctx, p):
        inst = self.get(ctx, 'instances', p['InstanceId'])
        if p.get('HttpTokens') not in (None, 'optional', 'required'):
            raise _err('InvalidParameterValue', "Value (%s) for parameter HttpTokens is "
                       "invalid." % p['HttpTokens'])
        hops = p.get('HttpPutResponseHopLimit')
        if hops is not None and not 1 <= hops <= 64:
            raise _err('InvalidParameterValue', 'The HTTP PUT response hop limit must be '
                       'between 1 and 64.')
        opts = inst['MetadataOptions']
        for key in ('HttpTokens', 'HttpPutResponseHopLimit', 'HttpEndpoint',
                    'HttpProtocolIpv6', 'InstanceMetadataTags'):
            if p.get(key) is not None:
                opts[key] = p[key]
        return {'InstanceId': inst['InstanceId'],
                'InstanceMetadataOptions': dict(opts, State='pending')}

    # ---------------------------------------------------------------- instance profiles

    def _associate_profile(self, ctx, inst, profile, state):
        assoc = {'AssociationId': ec2_id('iip-assoc'), 'InstanceId': inst['InstanceId'],
                 'IamInstanceProfile': profile, 'State': state, 'Timestamp': now()}
        self.t(ctx, 'profile_associations')[assoc['AssociationId']] = assoc
        inst['IamInstanceProfile'] = profile
        return assoc

    def _profile_association(self, ctx, aid):
        assoc = self.t(ctx, 'profile_associations').get(aid)
        if assoc is None or assoc['State'] in ('disassociating', 'disassociated'):
            raise _err('InvalidAssociationID.NotFound', "An association with ID %s could not "
                       "be found." % aid)
        return assoc

    def AssociateIamInstanceProfile(self, ctx, p):
        inst = self.get(ctx, 'instances', p['InstanceId'])
        if inst['State']['Name'] in ('shutting-down', 'terminated'):
            raise _err('IncorrectInstanceState', "The instance '%s' is not in a valid state "
                       "for this operation." % inst['InstanceId'])
        for other in self.t(ctx, 'profile_associations').values():
            if other['InstanceId'] == inst['InstanceId'] and \
                    other['State'] in ('associating', 'associated'):
                raise _err('IncorrectState', 'There is an existing association for instance %s'
                           % inst['InstanceId'])
        profile = self._instance_profile(ctx, p['IamInstanceProfile'])
        return {'IamInstanceProfileAssociation':
                self._associate_profile(ctx, inst, profile, 'associating')}

    def ReplaceIamInstanceProfileAssociation(self, ctx, p):
        old = self._profile_association(ctx, p['AssociationId'])
        profile = self._instance_profile(ctx, p['IamInstanceProfile'])
        inst = self.get(ctx, 'instances', old['InstanceId'])
        del self.t(ctx, 'profile_associations')[old['AssociationId']]
        return {'IamInstanceProfileAssociation':
                self._associate_profile(ctx, inst, profile, 'associating')}

    def DisassociateIamInstanceProfile(self, ctx, p):
        assoc = self._profile_association(ctx, p['AssociationId'])
        assoc['State'] = 'disassociating'
        assoc.pop('_polls', None)
        inst = self.t(ctx, 'instances').get(assoc['InstanceId'])
        if inst is not None:
            inst.pop('IamInstanceProfile', None)
        return {'IamInstanceProfileAssociation': assoc}

    def DescribeIamInstanceProfileAssociations(self, ctx, p):
        table = self.t(ctx, 'profile_associations')
        for aid in p.get('AssociationIds') or []:
            if aid not in table:
                raise _err('InvalidAssociationID.NotFound', "An association with ID %s could "
                           "not be found." % aid)
        for assoc in list(table.values()):
            self.advance(assoc, 'State', {'associating': 'associated',
                                          'disassociating': 'disassociated'})
            if assoc['State'] == 'disassociated':
                del table[assoc['AssociationId']]
        records = [a for a in table.values()
                   if not p.get('AssociationIds') or a['AssociationId'] in p['AssociationIds']]
        records = apply_filters(records, p.get('Filters'))
        out = {}
        if p.get('MaxResults') or p.get('NextToken'):
            records, token = paginate(records, p.get('NextToken'), p.get('MaxResults'))
            if token:
                out['NextToken'] = token
        out['IamInstanceProfileAssociations'] = records
        return out

    # ---------------------------------------------------------------- Elastic IPs

    def AllocateAddress(self, ctx, p):
        self._seed(ctx)
        n = len(self.t(ctx, 'addresses'))
        addr = self._new(ctx, 'addresses', 'eipalloc', {
            'PublicIp': '52.%d.%d.%d' % (n // 250 % 250, n % 250, 7), 'Domain': 'vpc',
            'PublicIpv4Pool': 'amazon', 'NetworkBorderGroup': ctx.region},
            p.get('TagSpecifications'))
        return addr

    def DescribeAddresses(self, ctx, p):
        records = list(self.t(ctx, 'addresses').values())
        if p.get('PublicIps'):
            records = [a for a in records if a['PublicIp'] in p['PublicIps']]
        return self.describe(ctx, 'addresses', p, 'AllocationIds', 'Addresses', records)

    def AssociateAddress(self, ctx, p):
        addr = self.get(ctx, 'addresses', p['AllocationId'])
        if addr.get('AssociationId') and not p.get('AllowReassociation'):
            raise _err('Resource.AlreadyAssociated', 'resource %s is already associated with '
                       'associate-id %s' % (addr['AllocationId'], addr['AssociationId']))
        inst = self.get(ctx, 'instances', p['InstanceId'])
        addr.update({'InstanceId': inst['InstanceId'], 'AssociationId': ec2_id('eipassoc'),
                     'PrivateIpAddress': inst['PrivateIpAddress'],
                     'NetworkInterfaceOwnerId': OWNER})
        if inst.get('_nics'):
            addr['NetworkInterfaceId'] = inst['_nics'][0]['NetworkInterfaceId']
        inst['PublicIpAddress'] = addr['PublicIp']
        return {'AssociationId': addr['AssociationId']}

    def DisassociateAddress(self, ctx, p):
        for addr in self.t(ctx, 'addresses').values():
            if addr.get('AssociationId') == p.get('AssociationId'):
                inst = self.t(ctx, 'instances').get(addr.get('InstanceId'))
                if inst:
                    inst.pop('PublicIpAddress', None)
                for k in ('InstanceId', 'AssociationId', 'PrivateIpAddress',
                          'NetworkInterfaceId'):
                    addr.pop(k, None)
                return {}
        raise _err('InvalidAssociationID.NotFound', "The association ID '%s' does not exist"
                   % p.get('AssociationId'))

    def ReleaseAddress(self, ctx, p):
        addr = self.get(ctx, 'addresses', p['AllocationId'])
        if addr.get('AssociationId') or addr.get('_nat'):
            raise _err('InvalidIPAddress.InUse', 'Address %s is in use.' % addr['PublicIp'])
        del self.t(ctx, 'addresses')[p['AllocationId']]
        return {}

    # ---------------------------------------------------------------- NAT gateways

    def CreateNatGateway(self, ctx, p):
        tokens = self.regional(ctx).setdefault('nat_tokens', {})
        if p.get('ClientToken') in tokens:
            nat = self.t(ctx, 'nat_gateways')[tokens[p['ClientToken']]]
            return {'ClientToken': p['ClientToken'], 'NatGateway': nat}
        subnet = self.get(ctx, 'subnets', p['SubnetId'])
        addresses = []
        if p.get('ConnectivityType', 'public') == 'public':
            if not p.get('AllocationId'):
                raise _err('MissingParameter', 'The request must contain the parameter '
                           'AllocationId')
            addr = self.get(ctx, 'addresses', p['AllocationId'])
            if addr.get('AssociationId') or addr.get('_nat'):
                raise _err('Resource.AlreadyAssociated', 'Elastic IP address [%s] is already '
                           'associated' % addr['AllocationId'])
            addresses.append({'AllocationId': addr['AllocationId'], 'PublicIp': addr['PublicIp'],
                              'NetworkInterfaceId': ec2_id('eni'), 'PrivateIp': '10.0.0.5'})
        nat = self._new(ctx, 'nat_gateways', 'nat', {
            'SubnetId': subnet['SubnetId'], 'VpcId': subnet['VpcId'], 'State': 'pending',
            'CreateTime': now(), 'NatGatewayAddresses': addresses,
            'ConnectivityType': p.get('ConnectivityType', 'public')},
            p.get('TagSpecifications'))
        if addresses:
            addr['_nat'] = nat['NatGatewayId']
            addr['AssociationId'] = ec2_id('eipassoc')
            addr['NetworkInterfaceId'] = addresses[0]['NetworkInterfaceId']
        if p.get('ClientToken'):
            tokens[p['ClientToken']] = nat['NatGatewayId']
        return {'ClientToken': p.get('ClientToken'), 'NatGateway': nat}

    def DescribeNatGateways(self, ctx, p):
        for nat in self.t(ctx, 'nat_gateways').values():
            self.advance(nat, 'State', {'pending': 'available', 'deleting': 'deleted'})
        return self.describe(ctx, 'nat_gateways', dict(p, Filters=p.get('Filter')),
                             'NatGatewayIds', 'NatGateways')

    def DeleteNatGateway(self, ctx, p):
        nat = self.get(ctx, 'nat_gateways', p['NatGatewayId'])
        if nat['State'] not in ('deleting', 'deleted'):
            nat['State'] = 'deleting'
            nat['DeleteTime'] = now()
            nat.pop('_polls', None)
            for addr in self.t(ctx, 'addresses').values():
                if addr.get('_nat') == nat['NatGatewayId']:
                    for k in ('_nat', 'AssociationId', 'NetworkInterfaceId'):
                        addr.pop(k, None)
        return {'NatGatewayId': nat['NatGatewayId']}

    # ---------------------------------------------------------------- launch templates

    def _template(self, ctx, p):
        if p.get('LaunchTemplateId'):
            return self.get(ctx, 'launch_templates', p['LaunchTemplateId'])
        for lt in self.t(ctx, 'launch_templates').values():
            if lt['LaunchTemplateName'] == p.get('LaunchTemplateName'):
                return lt
        raise _err('InvalidLaunchTemplateName.NotFoundException', 'The specified launch '
                   'template, with template name %s, does not exist.'
                   % p.get('LaunchTemplateName'))

    def _template_data(self, ctx, spec):
        if not spec:
            return {}
        lt = self._template(ctx, spec)
        version = str(spec.get('Version') or '$Default')
        return dict(self._versions(lt, [version])[0]['LaunchTemplateData'])

    @staticmethod
    def _versions(lt, wanted):
        out = []
        for w in wanted or [str(v) for v in sorted(int(k) for k in lt['_versions'])]:
            number = {'$Latest': lt['LatestVersionNumber'],
                      '$Default': lt['DefaultVersionNumber']}.get(w, w)
            version = lt['_versions'].get(str(number))
            if version is None:
                raise _err('InvalidLaunchTemplateId.VersionNotFound', 'Could not find launch '
                           'template version %s' % w)
            out.append(dict(version, DefaultVersion=int(number) == lt['DefaultVersionNumber']))
        return out

    def _add_version(self, lt, data, description):
        number = lt.get('LatestVersionNumber', 0) + 1
        lt['LatestVersionNumber'] = number
        lt['_versions'][str(number)] = {
            'LaunchTemplateId': lt['LaunchTemplateId'],
            'LaunchTemplateName': lt['LaunchTemplateName'], 'VersionNumber': number,
            'VersionDescription': description, 'CreateTime': now(),
            'CreatedBy': 'arn:aws:iam::123456789012:user/cpstack-test',
            'LaunchTemplateData': data}
        return lt['_versions'][str(number)]

    def CreateLaunchTemplate(self, ctx, p):
        self._seed(ctx)
        name = p['LaunchTemplateName']
        if any(lt['LaunchTemplateName'] == name for lt in self.t(ctx, 'launch_templates').values()):
            raise _err('InvalidLaunchTemplateName.AlreadyExistsException', 'Launch template name '
                       'already in use.')
        lt = self._new(ctx, 'launch_templates', 'lt', {
            'LaunchTemplateName': name, 'CreateTime': now(), 'DefaultVersionNumber': 1,
            'CreatedBy': 'arn:aws:iam::123456789012:user/cpstack-test', '_versions': {}},
            p.get('TagSpecifications'))
        self._add_version(lt, p.get('LaunchTemplateData') or {}, p.get('VersionDescription'))
        return {'LaunchTemplate': lt}

    def CreateLaunchTemplateVersion(self, ctx, p):
        lt = self._template(ctx, p)
        tokens = lt.setdefault('_client_tokens', {})
        if p.get('ClientToken') in tokens:   # idempotent retry: the same version
            number = tokens[p['ClientToken']]
            return {'LaunchTemplateVersion': self._versions(lt, [str(number)])[0]}
        data = dict(p.get('LaunchTemplateData') or {})
        if p.get('SourceVersion'):
            base = dict(self._versions(lt, [str(p['SourceVersion'])])[0]['LaunchTemplateData'])
            base.update(data)
            data = base
        version = self._add_version(lt, data, p.get('VersionDescription'))
        if p.get('ClientToken'):
            tokens[p['ClientToken']] = version['VersionNumber']
        return {'LaunchTemplateVersion': dict(version, DefaultVersion=False)}

    def ModifyLaunchTemplate(self, ctx, p):
        lt = self._template(ctx, p)
        if p.get('DefaultVersion'):
            self._versions(lt, [p['DefaultVersion']])
            lt['DefaultVersionNumber'] = int(p['DefaultVersion'])
        return {'LaunchTemplate': lt}

    # The filters the DescribeLaunchTemplates API reference lists (ids go in
    # LaunchTemplateId.N); AWS rejects any other.
    LAUNCH_TEMPLATE_FILTERS = ('create-time', 'launch-template-name', 'tag-key')

    def DescribeLaunchTemplates(self, ctx, p):
        for f in p.get('Filters') or []:
            name = f.get('Name', '')
            if name not in self.LAUNCH_TEMPLATE_FILTERS and not name.startswith('tag:'):
                raise _err('InvalidParameterValue', "The filter '%s' is invalid" % name)
        records = list(self.t(ctx, 'launch_templates').values())
        if p.get('LaunchTemplateNames'):
            for name in p['LaunchTemplateNames']:
                self._template(ctx, {'LaunchTemplateName': name})
            records = [r for r in records if r['LaunchTemplateName'] in p['LaunchTemplateNames']]
        return self.describe(ctx, 'launch_templates', p, 'LaunchTemplateIds', 'LaunchTemplates',
                             records)

    def DescribeLaunchTemplateVersions(self, ctx, p):
        lt = self._template(ctx, p)
        return {'LaunchTemplateVersions': self._versions(lt, p.get('Versions'))}

    def DeleteLaunchTemplate(self, ctx, p):
        lt = self._template(ctx, p)
        del self.t(ctx, 'launch_templates')[lt['LaunchTemplateId']]
        return {'LaunchTemplate': lt}

    # ---------------------------------------------------------------- tags

    def CreateTags(self, ctx, p):
        _check_tags(p.get('Tags'))
        for rid in p['Resources']:
            _, rec = self.find_any(ctx, rid)
            tags = {t['Key']: t for t in rec.get('Tags', [])}
            _check_tags([t for t in p.get('Tags') or [] if t['Key'] not in tags], len(tags))
            for t in p.get('Tags') or []:
                tags[t['Key']] = {'Key': t['Key'], 'Value': t.get('Value', '')}
            rec['Tags'] = list(tags.values())
        return {}

    def DeleteTags(self, ctx, p):
        for rid in p['Resources']:
            _, rec = self.find_any(ctx, rid)
            for t in p.get('Tags') or []:
                rec['Tags'] = [x for x in rec.get('Tags', []) if not (
                    x['Key'] == t['Key'] and t.get('Value') in (None, x['Value']))]
        return {}

    def DescribeTags(self, ctx, p):
        out = []
        for table, rtype in RESOURCE_TYPES.items():
            for rid, rec in self.t(ctx, table).items():
                for t in rec.get('Tags', []):
                    out.append({'ResourceId': rid, 'ResourceType': rtype, 'Key': t['Key'],
                                'Value': t['Value']})
        out = apply_filters(out, p.get('Filters'))
        page, token = paginate(out, p.get('NextToken'), p.get('MaxResults'))
        return {'Tags': page, 'NextToken': token}
