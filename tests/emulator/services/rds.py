"""RDS: DB subnet groups and DB instances (creating -> available,
modifying -> available, deleting -> gone after `pending_polls` describes),
final snapshots, tags.  No Endpoint is reported while an instance is
creating, as on AWS."""

import re

from store import AwsError, Service, hex_id, now, paginate

ENGINES = {'postgres': ('15.4', 5432), 'mysql': ('8.0.35', 3306), 'mariadb': ('10.11.6', 3306)}


def _err(code, msg, status=400):
    return AwsError(code, msg, status)


IDENTIFIER_RE = re.compile(r'^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-)$')


def _check_identifier(ident):
    """DB instance identifiers: 1-63 ASCII letters, digits and hyphens, a letter
    first, no hyphen last, no two hyphens in a row."""
    if not IDENTIFIER_RE.match(ident):
        raise _err('InvalidParameterValue', 'The parameter DBInstanceIdentifier is not a valid '
                   'identifier. Identifiers must begin with a letter; must contain only ASCII '
                   'letters, digits, and hyphens; and must not end with a hyphen or contain '
                   'two consecutive hyphens.')


def _check_password(password):
    """Master passwords: printable ASCII except / @ \" and space, 128 at most."""
    if len(password) > 128 or any(c in '/@" ' or not 32 <= ord(c) < 127 for c in password):
        raise _err('InvalidParameterValue', "The parameter MasterUserPassword is not a valid "
                   "password. Only printable ASCII characters besides '/', '@', '\"', ' ' "
                   "may be used.")


class Handler(Service):
    model = 'rds'

    # ---------------------------------------------------------------- subnet groups

    def _group(self, ctx, name):
        g = self.table(ctx, 'subnet_groups').get(name)
        if g is None:
            raise _err('DBSubnetGroupNotFoundFault', 'DB subnet group \'%s\' does not exist.'
                       % name, 404)
        return g

    def _subnets(self, ctx, ids):
        ec2 = self.server.services['ec2']
        subnets = []
        for sid in ids:
            try:
                subnets.append(ec2.get(ctx, 'subnets', sid))
            except AwsError:
                raise _err('InvalidSubnet', 'Some input subnets in :[%s] are invalid.' % sid)
        if len({s['AvailabilityZone'] for s in subnets}) < 2:
            raise _err('DBSubnetGroupDoesNotCoverEnoughAZs', 'The DB subnet group doesn\'t meet '
                       'Availability Zone (AZ) coverage requirement. Current AZ coverage: %s. '
                       'Add subnets to cover at least 2 AZs.'
                       % ', '.join(sorted({s['AvailabilityZone'] for s in subnets})))
        if len({s['VpcId'] for s in subnets}) > 1:
            raise _err('InvalidParameterValue', 'Subnets must be in the same VPC')
        return [{'SubnetIdentifier': s['SubnetId'], 'SubnetStatus': 'Active',
                 'SubnetAvailabilityZone': {'Name': s['AvailabilityZone']},
                 'SubnetOutpost': {}} for s in subnets], subnets[0]['VpcId']

    def CreateDBSubnetGroup(self, ctx, p):
        name = p['DBSubnetGroupName']
        if name in self.table(ctx, 'subnet_groups'):
            raise _err('DBSubnetGroupAlreadyExists', 'The DB subnet group \'%s\' already exists.'
                       % name)
        subnets, vpc = self._subnets(ctx, p['SubnetIds'])
        g = {'DBSubnetGroupName': name, 'DBSubnetGroupDescription': p['DBSubnetGroupDescription'],
             'VpcId': vpc, 'SubnetGroupStatus': 'Complete', 'Subnets': subnets,
             'DBSubnetGroupArn': ctx.arn('rds', 'subgrp:' + name),
             'SupportedNetworkTypes': ['IPV4'], '_tags': p.get('Tags') or []}
        self.table(ctx, 'subnet_groups')[name] = g
        return {'DBSubnetGroup': g}

    def DescribeDBSubnetGroups(self, ctx, p):
        if p.get('DBSubnetGroupName'):
            return {'DBSubnetGroups': [self._group(ctx, p['DBSubnetGroupName'])]}
        page, marker = paginate(list(self.table(ctx, 'subnet_groups').values()),
                                p.get('Marker'), p.get('MaxRecords'), 100)
        return {'DBSubnetGroups': page, 'Marker': marker}

    def ModifyDBSubnetGroup(self, ctx, p):
        g = self._group(ctx, p['DBSubnetGroupName'])
        g['Subnets'], g['VpcId'] = self._subnets(ctx, p['SubnetIds'])
        if p.get('DBSubnetGroupDescription'):
            g['DBSubnetGroupDescription'] = p['DBSubnetGroupDescription']
        return {'DBSubnetGroup': g}

    def DeleteDBSubnetGroup(self, ctx, p):
        self._group(ctx, p['DBSubnetGroupName'])
        if any(i['DBSubnetGroup']['DBSubnetGroupName'] == p['DBSubnetGroupName']
               for i in self.table(ctx, 'instances').values()):
            raise _err('InvalidDBSubnetGroupStateFault', 'Cannot delete the subnet group \'%s\' '
                       'because at least one database instance: is still using it.'
                       % p['DBSubnetGroupName'])
        del self.table(ctx, 'subnet_groups')[p['DBSubnetGroupName']]
        return {}

    # ---------------------------------------------------------------- instances

    def _instance(self, ctx, ident):
        inst = self.table(ctx, 'instances').get(ident)
        if inst is None:
            raise _err('DBInstanceNotFound', 'DBInstance %s not found.' % ident, 404)
        return inst

    def CreateDBInstance(self, ctx, p):
        ident = p['DBInstanceIdentifier']
        if ident in self.table(ctx, 'instances'):
            raise _err('DBInstanceAlreadyExists', 'DB instance already exists')
        engine = p['Engine']
        if engine not in ENGINES:
            raise _err('InvalidParameterValue', 'Invalid DB engine: %s' % engine)
        _check_identifier(ident)
        password = p.get('MasterUserPassword') or ''
        if len(password) < 8:
            raise _err('InvalidParameterValue', 'The parameter MasterUserPassword is not a valid '
                       'password because it is shorter than 8 characters.')
        _check_password(password)
        if not p.get('MasterUsername'):
            raise _err('InvalidParameterValue', 'The parameter MasterUsername must be provided '
                       'and must not be blank.')
        version, port = ENGINES[engine]
        group = self._group(ctx, p.get('DBSubnetGroupName') or 'default') \
            if p.get('DBSubnetGroupName') else {'DBSubnetGroupName': 'default',
                                                'SubnetGroupStatus': 'Complete', 'Subnets': []}
        ec2 = self.server.services['ec2']
        for gid in p.get('VpcSecurityGroupIds') or []:
            ec2.get(ctx, 'security_groups', gid)
        az = p.get('AvailabilityZone') or ctx.region + 'a'
        inst = {'DBInstanceIdentifier': ident, 'DBInstanceClass': p['DBInstanceClass'],
                'Engine': engine, 'EngineVersion': p.get('EngineVersion') or version,
                'DBInstanceStatus': 'creating', 'MasterUsername': p['MasterUsername'],
                'DBName': p.get('DBName'), 'AllocatedStorage': p.get('AllocatedStorage') or 20,
                'PreferredBackupWindow': '03:00-03:30',
                'PreferredMaintenanceWindow': 'sun:05:00-sun:05:30',
                'BackupRetentionPeriod': p.get('BackupRetentionPeriod', 1),
                'VpcSecurityGroups': [{'VpcSecurityGroupId': g, 'Status': 'active'}
                                      for g in p.get('VpcSecurityGroupIds') or []],
                'DBSubnetGroup': {k: v for k, v in group.items() if not k.startswith('_')},
                'AvailabilityZone': az, 'MultiAZ': bool(p.get('MultiAZ')),
                'PubliclyAccessible': bool(p.get('PubliclyAccessible')),
                'StorageType': p.get('StorageType') or 'gp2',
                'StorageEncrypted': bool(p.get('StorageEncrypted')),
                'DeletionProtection': bool(p.get('DeletionProtection')),
                'DbiResourceId': 'db-' + hex_id(26).upper(),
                'DBInstanceArn': ctx.arn('rds', 'db:' + ident), 'DbInstancePort': 0,
                'AutoMinorVersionUpgrade': p.get('AutoMinorVersionUpgrade', True),
                'LicenseModel': 'postgresql-license' if engine == 'postgres'
                else 'general-public-license', 'CopyTagsToSnapshot':
                bool(p.get('CopyTagsToSnapshot')), 'TagList': p.get('Tags') or [],
                'PendingModifiedValues': {'MasterUserPassword': '****'},
                '_port': p.get('Port') or port}
        self.table(ctx, 'instances')[ident] = inst
        return {'DBInstance': inst}

    def on_transition(self, inst, old, new):
        if new == 'available':
            inst['PendingModifiedValues'] = {}
            inst.setdefault('InstanceCreateTime', now())
            inst['Endpoint'] = {'Address': '%s.%s.%s.rds.amazonaws.com' % (
                inst['DBInstanceIdentifier'], hex_id(12), inst['DBInstanceArn'].split(':')[3]),
                'Port': inst['_port'], 'HostedZoneId': 'Z29XKXDKYMONMX'}
        if new == 'deleted':
            inst['_gone'] = True

    def DescribeDBInstances(self, ctx, p):
        table = self.table(ctx, 'instances')
        if p.get('DBInstanceIdentifier'):
            items = [self._instance(ctx, p['DBInstanceIdentifier'])]
        else:
            items = list(table.values())
        for f in p.get('Filters') or []:   # db-instance-id: identifiers or ARNs
            if f['Name'] == 'db-instance-id':
                items = [i for i in items if i['DBInstanceIdentifier'] in f['Values']
                         or i.get('DBInstanceArn') in f['Values']]
            else:
                raise _err('InvalidParameterValue', 'Unrecognized filter name: %s' % f['Name'])
        for inst in items:
            self.advance(inst, 'DBInstanceStatus', {'creating': 'available',
                                                    'modifying': 'available',
                                                    'deleting': 'deleted'})
        shown = [i for i in items if not i.get('_gone')]
        for inst in items:
            if inst.get('_gone'):
                del table[inst['DBInstanceIdentifier']]
        if p.get('DBInstanceIdentifier') and not shown:
            raise _err('DBInstanceNotFound', 'DBInstance %s not found.'
                       % p['DBInstanceIdentifier'], 404)
        page, marker = paginate(shown, p.get('Marker'), p.get('MaxRecords'), 100)
        return {'DBInstances': page, 'Marker': marker}

    def ModifyDBInstance(self, ctx, p):
        inst = self._instance(ctx, p['DBInstanceIdentifier'])
        if inst['DBInstanceStatus'] != 'available':
            raise _err('InvalidDBInstanceState', 'Database instance is not in available state.')
        for key in ('DBInstanceClass', 'AllocatedStorage', 'BackupRetentionPeriod', 'MultiAZ',
                    'EngineVersion', 'PubliclyAccessible', 'StorageType', 'DeletionProtection',
                    'CopyTagsToSnapshot', 'AutoMinorVersionUpgrade'):
            if key in p:
                inst[key] = p[key]
        if 'VpcSecurityGroupIds' in p:
            inst['VpcSecurityGroups'] = [{'VpcSecurityGroupId': g, 'Status': 'active'}
                                         for g in p['VpcSecurityGroupIds']]
        if 'MasterUserPassword' in p and len(p['MasterUserPassword']) < 8:
            raise _err('InvalidParameterValue', 'The parameter MasterUserPassword is not a valid '
                       'password because it is shorter than 8 characters.')
        if 'MasterUserPassword' in p:
            _check_password(p['MasterUserPassword'])
        inst['DBInstanceStatus'] = 'modifying'
        inst.pop('_polls', None)
        return {'DBInstance': inst}

    def DeleteDBInstance(self, ctx, p):
        inst = self._instance(ctx, p['DBInstanceIdentifier'])
        if inst['DeletionProtection']:
            raise _err('InvalidParameterCombination', 'Cannot delete protected DB Instance, '
                       'please disable deletion protection and try again.')
        if inst['DBInstanceStatus'] == 'deleting':
            raise _err('InvalidDBInstanceState', 'Instance %s is already being deleted.'
                       % inst['DBInstanceIdentifier'])
        if not p.get('SkipFinalSnapshot'):
            snap = p.get('FinalDBSnapshotIdentifier')
            if not snap:
                raise _err('InvalidParameterCombination', 'FinalDBSnapshotIdentifier is required '
                           'unless SkipFinalSnapshot is specified.')
            if snap in self.table(ctx, 'snapshots'):
                raise _err('DBSnapshotAlreadyExists', 'Cannot create the snapshot because a '
                           'snapshot with the identifier %s already exists.' % snap)
            self.table(ctx, 'snapshots')[snap] = {
                'DBSnapshotIdentifier': snap, 'DBInstanceIdentifier':
                inst['DBInstanceIdentifier'], 'SnapshotCreateTime': now(), 'Engine':
                inst['Engine'], 'Status': 'available', 'SnapshotType': 'manual',
                'DBSnapshotArn': ctx.arn('rds', 'snapshot:' + snap),
                'AllocatedStorage': inst['AllocatedStorage']}
        inst['DBInstanceStatus'] = 'deleting'
        inst.pop('_polls', None)
        return {'DBInstance': inst}

    def DescribeDBSnapshots(self, ctx, p):
        snaps = list(self.table(ctx, 'snapshots').values())
        if p.get('DBSnapshotIdentifier'):
            snaps = [s for s in snaps if s['DBSnapshotIdentifier'] == p['DBSnapshotIdentifier']]
            if not snaps:
                raise _err('DBSnapshotNotFound', 'DBSnapshot %s not found.'
                           % p['DBSnapshotIdentifier'], 404)
        if p.get('DBInstanceIdentifier'):
            snaps = [s for s in snaps if s['DBInstanceIdentifier'] == p['DBInstanceIdentifier']]
        return {'DBSnapshots': snaps}

    def DeleteDBSnapshot(self, ctx, p):
        snap = self.table(ctx, 'snapshots').pop(p['DBSnapshotIdentifier'], None)
        if snap is None:
            raise _err('DBSnapshotNotFound', 'DBSnapshot %s not found.'
                       % p['DBSnapshotIdentifier'], 404)
        return {'DBSnapshot': snap}

    # ---------------------------------------------------------------- tags

    def _tagged(self, ctx, arn):
        kind, _, name = arn.split(':', 5)[-1].partition(':')
        if kind == 'db':
            return self._instance(ctx, name), 'TagList'
        if kind == 'subgrp':
            return self._group(ctx, name), '_tags'
        raise _err('InvalidParameterValue', 'Unsupported resource %s' % arn)

    def AddTagsToResource(self, ctx, p):
        rec, key = self._tagged(ctx, p['ResourceName'])
        tags = {t['Key']: t['Value'] for t in rec[key]}
        tags.update({t['Key']: t['Value'] for t in p['Tags']})
        rec[key] = [{'Key': k, 'Value': v} for k, v in sorted(tags.items())]
        return {}

    def RemoveTagsFromResource(self, ctx, p):
        rec, key = self._tagged(ctx, p['ResourceName'])
        rec[key] = [t for t in rec[key] if t['Key'] not in p['TagKeys']]
        return {}

    def ListTagsForResource(self, ctx, p):
        rec, key = self._tagged(ctx, p['ResourceName'])
        return {'TagList': rec[key]}
