"""DynamoDB (JSON 1.0): tables (no items) with their global and local
secondary indexes, time to live, continuous backups (point-in-time
recovery) and tags.

Tables go CREATING -> ACTIVE, UPDATING -> ACTIVE and DELETING -> gone after
`pending_polls` DescribeTable calls.  AWS's rules kept here beyond the
model's constraints: one table per name (ResourceInUseException), a key
schema of one HASH and at most one RANGE key, every key attribute declared
and every declared attribute used by a key or index (ValidationException),
capacity given with PROVISIONED and refused with PAY_PER_REQUEST, a stream
view type with an enabled stream, no second stream while one is on, no
UpdateTable that changes nothing or of a table that is not ACTIVE, TTL not
enabled (or disabled) twice, DeleteTable refused under deletion protection.

Secondary indexes as AWS keeps them: index names unique in the table, key
schemas of one HASH and at most one RANGE key, a projection's
NonKeyAttributes with INCLUDE only (and required by it), index capacity
required with PROVISIONED and refused with PAY_PER_REQUEST (also when the
table changes to PROVISIONED: every index's capacity in the same call), at
most 20 global and 5 local indexes, local indexes only at CreateTable, on a
table with a RANGE key, sharing its HASH key.  Global indexes made with the
table turn ACTIVE with it; UpdateTable's GlobalSecondaryIndexUpdates takes
one Create or one Delete (or any Updates of capacity) while no other index
is CREATING, UPDATING or DELETING (LimitExceededException): the index goes
CREATING -> ACTIVE, UPDATING -> ACTIVE, DELETING -> gone after
`pending_polls` DescribeTable calls, and attribute definitions no index
uses any more are dropped with it.
"""

import copy

import botocore.model

import protocol
from store import AwsError, Service, now


def _model_with_deletion_protection():
    """botocore 1.29 (Debian 12) predates DeletionProtectionEnabled (2023):
    the member AWS takes in CreateTable / UpdateTable and answers in
    TableDescription is added to the model the emulator parses with."""
    data = protocol._LOADER.load_service_model('dynamodb', 'service-2')
    shapes = data['shapes']
    if 'DeletionProtectionEnabled' in shapes['CreateTableInput']['members']:
        return
    shapes.setdefault('DeletionProtectionEnabled', {'type': 'boolean'})
    for shape in ('CreateTableInput', 'UpdateTableInput', 'TableDescription'):
        shapes[shape]['members']['DeletionProtectionEnabled'] = {
            'shape': 'DeletionProtectionEnabled'}
    protocol._MODELS['dynamodb'] = botocore.model.ServiceModel(data, service_name='dynamodb')


_model_with_deletion_protection()

_PREFIX = 'One or more parameter values were invalid: '


def _not_found(name):
    return AwsError('ResourceNotFoundException',
                    'Requested resource not found: Table: %s not found' % name)


def _invalid(msg):
    return AwsError('ValidationException', _PREFIX + msg)


def _in_use(msg):
    return AwsError('ResourceInUseException', msg)


class Handler(Service):
    model = 'dynamodb'

    def _tables(self, ctx):
        return self.table(ctx, 'tables')

    def _get(self, ctx, name):
        t = self._tables(ctx).get(name)
        if t is None:
            raise _not_found(name)
        return t

    def _by_arn(self, ctx, arn):
        for t in self._tables(ctx).values():
            if t['TableArn'] == arn:
                return t
        raise AwsError('ResourceNotFoundException', 'Requested resource not found: '
                       'Resourcearn: %s not found' % arn)

    @staticmethod
    def _check_billing(mode, throughput):
        if mode == 'PROVISIONED' and not throughput:
            raise _invalid('ReadCapacityUnits and WriteCapacityUnits must both be specified '
                           'when BillingMode is PROVISIONED')
        if mode == 'PAY_PER_REQUEST' and throughput:
            raise _invalid('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified '
                           'when BillingMode is PAY_PER_REQUEST')
        for k in ('ReadCapacityUnits', 'WriteCapacityUnits'):
            if throughput and throughput.get(k, 0) < 1:
                raise AwsError('ValidationException', '1 validation error detected: Value '
                               "'%s' at 'provisionedThroughput.%s' failed to satisfy "
                               'constraint: Member must have value greater than or equal to 1'
                               % (throughput.get(k), k[0].lower() + k[1:]))

    @staticmethod
    def _check_stream(spec):
        if spec and spec.get('StreamEnabled') and not spec.get('StreamViewType'):
            raise AwsError('ValidationException', 'StreamSpecification: StreamViewType is '
                           'required when StreamEnabled is true')
        if spec and not spec.get('StreamEnabled') and spec.get('StreamViewType'):
            raise AwsError('ValidationException', 'StreamSpecification: StreamViewType must '
                           'not be set when StreamEnabled is false')

    def CreateTable(self, ctx, p):
        name = p['TableName']
        if name in self._tables(ctx):
            raise _in_use('Table already exists: %s' % name)
        keys = p['KeySchema']
        kinds = [k['KeyType'] for k in keys]
        if kinds not in (['HASH'], ['HASH', 'RANGE']):
            raise _invalid('Invalid KeySchema: the first key is the HASH key and at most one '
                           'RANGE key follows')
        defs = {a['AttributeName']: a['AttributeType'] for a in p['AttributeDefinitions']}
        if len(defs) != len(p['AttributeDefinitions']):
            raise _invalid('Duplicate AttributeName in AttributeDefinitions')
        gsis = p.get('GlobalSecondaryIndexes') or []
        lsis = p.get('LocalSecondaryIndexes') or []
        used = {k['AttributeName'] for k in keys}
        for idx in gsis + lsis:
            used |= {k['AttributeName'] for k in idx['KeySchema']}
        missing = sorted(used - set(defs))
        if missing:
            raise _invalid('Some index key attributes are not defined in AttributeDefinitions. '
                           'Keys: %s, AttributeDefinitions: %s' % (missing, sorted(defs)))
        if set(defs) - used:
            raise _invalid('Number of attributes in KeySchema does not exactly match number of '
                           'attributes defined in AttributeDefinitions')
        mode = p.get('BillingMode', 'PROVISIONED')
        self._check_billing(mode, p.get('ProvisionedThroughput'))
        self._check_stream(p.get('StreamSpecification'))
        names = [i['IndexName'] for i in gsis + lsis]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise _invalid('Duplicate index name: %s' % dup[0])
        if len(gsis) > 20:
            raise AwsError('LimitExceededException', 'GlobalSecondaryIndex count exceeds the '
                           'per-table limit of 20')
        if len(lsis) > 5:
            raise _invalid('Number of LocalSecondaryIndexes exceeds the per-table limit of 5')
        for g in gsis:
            self._check_index(g)
            self._check_index_billing(mode, g)
        for l in lsis:
            self._check_index(l)
            if kinds != ['HASH', 'RANGE']:
                raise _invalid('Table KeySchema does not have a range key, which is required '
                               'when specifying a LocalSecondaryIndex')
            if [k['KeyType'] for k in l['KeySchema']] != ['HASH', 'RANGE']:
                raise _invalid('Index KeySchema of a LocalSecondaryIndex must have a RANGE key: '
                               'IndexName: %s' % l['IndexName'])
            if l['KeySchema'][0]['AttributeName'] != keys[0]['AttributeName']:
                raise _invalid('Index KeySchema does not have the same leading hash key as '
                               'table KeySchema for index: %s. index hash key: %s, table hash '
                               'key: %s' % (l['IndexName'], l['KeySchema'][0]['AttributeName'],
                                            keys[0]['AttributeName']))
        arn = ctx.arn('dynamodb', 'table/%s' % name)
        t = {'TableName': name, 'TableArn': arn, 'TableId': '%08x-0000-4000-8000-%012x' % (
             len(self._tables(ctx)), int(now() * 1000)),
             'TableStatus': 'CREATING', 'CreationDateTime': now(),
             'AttributeDefinitions': p['AttributeDefinitions'], 'KeySchema': keys,
             'ProvisionedThroughput': dict(p.get('ProvisionedThroughput') or {
                 'ReadCapacityUnits': 0, 'WriteCapacityUnits': 0}, NumberOfDecreasesToday=0),
             'BillingModeSummary': {'BillingMode': mode}, 'TableSizeBytes': 0, 'ItemCount': 0,
             'DeletionProtectionEnabled': bool(p.get('DeletionProtectionEnabled')),
             'TableClassSummary': {'TableClass': p.get('TableClass', 'STANDARD')},
             '_tags': {t['Key']: t['Value'] for t in p.get('Tags') or []},
             '_ttl': {'TimeToLiveStatus': 'DISABLED'}, '_pitr': False}
        if gsis:
            t['GlobalSecondaryIndexes'] = [self._new_gsi(t, g, mode, with_table=True)
                                           for g in gsis]
        if lsis:
            t['LocalSecondaryIndexes'] = [{
                'IndexName': l['IndexName'], 'KeySchema': l['KeySchema'],
                'Projection': l['Projection'], 'IndexSizeBytes': 0, 'ItemCount': 0,
                'IndexArn': arn + '/index/' + l['IndexName']} for l in lsis]
        self._set_stream(ctx, t, p.get('StreamSpecification'))
        self._set_sse(t, p.get('SSESpecification'))
        self._tables(ctx)[name] = t
        return {'TableDescription': self._describe(t)}

    @staticmethod
    def _check_index(idx):
        kinds = [k['KeyType'] for k in idx['KeySchema']]
        if kinds not in (['HASH'], ['HASH', 'RANGE']):
            raise _invalid('Invalid KeySchema of index %s: the first key is the HASH key and at '
                           'most one RANGE key follows' % idx['IndexName'])
        proj = idx.get('Projection') or {}
        ptype = proj.get('ProjectionType')
        if not ptype:
            raise _invalid('Unknown ProjectionType: null')
        nka = proj.get('NonKeyAttributes')
        if ptype == 'INCLUDE' and not nka:
            raise _invalid('ProjectionType is INCLUDE, but NonKeyAttributes is not specified')
        if ptype != 'INCLUDE' and nka is not None:
            raise _invalid('ProjectionType is %s, but NonKeyAttributes is specified' % ptype)

    @staticmethod
    def _check_index_billing(mode, idx):
        tp = idx.get('ProvisionedThroughput')
        if mode == 'PROVISIONED' and not tp:
            raise _invalid('ProvisionedThroughput must be specified for index: %s'
                           % idx['IndexName'])
        if mode == 'PAY_PER_REQUEST' and tp:
            raise _invalid('ProvisionedThroughput should not be specified for index: %s when '
                           'BillingMode is PAY_PER_REQUEST' % idx['IndexName'])
        for k in ('ReadCapacityUnits', 'WriteCapacityUnits'):
            if tp and tp.get(k, 0) < 1:
                raise _invalid('%s of index %s must be at least 1' % (k, idx['IndexName']))

    @staticmethod
    def _new_gsi(t, g, mode, with_table=False):
        tp = g.get('ProvisionedThroughput') if mode == 'PROVISIONED' else None
        out = {'IndexName': g['IndexName'], 'KeySchema': g['KeySchema'],
               'Projection': g['Projection'], 'IndexStatus': 'CREATING',
               'ProvisionedThroughput': {
                   'ReadCapacityUnits': tp['ReadCapacityUnits'] if tp else 0,
                   'WriteCapacityUnits': tp['WriteCapacityUnits'] if tp else 0,
                   'NumberOfDecreasesToday': 0},
               'IndexSizeBytes': 0, 'ItemCount': 0,
               'IndexArn': t['TableArn'] + '/index/' + g['IndexName']}
        if with_table:
            out['_with_table'] = True
        else:
            out['Backfilling'] = False
        return out

    def _set_stream(self, ctx, t, spec):
        if not spec:
            return
        if spec.get('StreamEnabled'):
            label = '%.3f' % now()
            t['StreamSpecification'] = spec
            t['LatestStreamLabel'] = label
            t['LatestStreamArn'] = t['TableArn'] + '/stream/' + label
        else:
            t.pop('StreamSpecification', None)

    @staticmethod
    def _set_sse(t, spec):
        if spec and spec.get('Enabled'):
            key = spec.get('KMSMasterKeyId') or 'arn:aws:kms:%s:%s:key/aws-dynamodb' % (
                t['TableArn'].split(':')[3], t['TableArn'].split(':')[4])
            t['SSEDescription'] = {'Status': 'ENABLED', 'SSEType': 'KMS',
                                   'KMSMasterKeyArn': key}
        elif spec is not None:
            t.pop('SSEDescription', None)

    @staticmethod
    def _describe(t):
        out = {k: copy.deepcopy(v) for k, v in t.items() if not k.startswith('_')}
        for g in out.get('GlobalSecondaryIndexes', []):
            for k in [k for k in g if k.startswith('_')]:
                del g[k]
        return out

    def _advance_indexes(self, t):
        """Global indexes move on once the table is ACTIVE; a deleted one goes
        with the attribute definitions no key uses any more."""
        if t['TableStatus'] != 'ACTIVE':
            return
        keep = []
        for g in t.get('GlobalSecondaryIndexes', []):
            if g.pop('_with_table', False):
                g['IndexStatus'] = 'ACTIVE'
            elif g['IndexStatus'] == 'DELETING':
                left = g.get('_polls', self.setting('pending_polls'))
                if left <= 0:
                    continue
                g['_polls'] = left - 1
            else:
                self.advance(g, 'IndexStatus', {'CREATING': 'ACTIVE', 'UPDATING': 'ACTIVE'})
            keep.append(g)
        if 'GlobalSecondaryIndexes' in t and len(keep) != len(t['GlobalSecondaryIndexes']):
            if keep:
                t['GlobalSecondaryIndexes'] = keep
            else:
                del t['GlobalSecondaryIndexes']
            self._prune_definitions(t)

    @staticmethod
    def _prune_definitions(t):
        used = {k['AttributeName'] for k in t['KeySchema']}
        for idx in t.get('GlobalSecondaryIndexes', []) + t.get('LocalSecondaryIndexes', []):
            used |= {k['AttributeName'] for k in idx['KeySchema']}
        t['AttributeDefinitions'] = [a for a in t['AttributeDefinitions']
                                     if a['AttributeName'] in used]

    def DescribeTable(self, ctx, p):
        name = p['TableName']
        t = self._get(ctx, name)
        if t['TableStatus'] == 'DELETING':
            left = t.get('_polls', self.setting('pending_polls'))
            if left <= 0:
                del self._tables(ctx)[name]
                raise _not_found(name)
            t['_polls'] = left - 1
        else:
            self.advance(t, 'TableStatus', {'CREATING': 'ACTIVE', 'UPDATING': 'ACTIVE'})
            self._advance_indexes(t)
        return {'Table': self._describe(t)}

    def ListTables(self, ctx, p):
        names = sorted(self._tables(ctx))
        start = p.get('ExclusiveStartTableName')
        if start:
            names = [n for n in names if n > start]
        limit = p.get('Limit') or 100
        out = {'TableNames': names[:limit]}
        if len(names) > limit:
            out['LastEvaluatedTableName'] = names[limit - 1]
        return out

    def _active(self, ctx, name):
        t = self._get(ctx, name)
        if t['TableStatus'] != 'ACTIVE':
            raise _in_use('Attempt to change a resource which is still in use: Table is being '
                          '%s: %s' % ({'CREATING': 'created', 'UPDATING': 'updated',
                                       'DELETING': 'deleted'}.get(t['TableStatus'], 'changed'),
                                      t['TableArn']))
        return t

    def UpdateTable(self, ctx, p):
        t = self._active(ctx, p['TableName'])
        changed = False
        mode = p.get('BillingMode', t['BillingModeSummary']['BillingMode'])
        if 'BillingMode' in p or 'ProvisionedThroughput' in p:
            tp = p.get('ProvisionedThroughput')
            if mode == 'PROVISIONED' and not tp and \
                    t['BillingModeSummary']['BillingMode'] == 'PROVISIONED':
                tp = t['ProvisionedThroughput']
            self._check_billing(mode, tp)
            old = (t['BillingModeSummary']['BillingMode'],
                   t['ProvisionedThroughput']['ReadCapacityUnits'],
                   t['ProvisionedThroughput']['WriteCapacityUnits'])
            new = (mode, tp['ReadCapacityUnits'] if tp else 0,
                   tp['WriteCapacityUnits'] if tp else 0)
            if old == new and 'ProvisionedThroughput' in p:
                raise AwsError('ValidationException', 'The provisioned throughput for the table '
                               'will not change. The requested value equals the current value. '
                               'Current ReadCapacityUnits provisioned for the table: %s. '
                               'Requested ReadCapacityUnits: %s. Current WriteCapacityUnits '
                               'provisioned for the table: %s. Requested WriteCapacityUnits: %s. '
                               'Refer to the Amazon DynamoDB Developer Guide for current limits '
                               'and how to request higher limits.' % (old[1], new[1], old[2],
                                                                     new[2]))
            gsi_updates = {u['Update']['IndexName']: u['Update']
                           for u in p.get('GlobalSecondaryIndexUpdates') or [] if 'Update' in u}
            if mode == 'PROVISIONED' and old[0] == 'PAY_PER_REQUEST':
                for g in t.get('GlobalSecondaryIndexes', []):
                    if g['IndexName'] not in gsi_updates:
                        raise _invalid('ProvisionedThroughput must be specified for index: %s'
                                       % g['IndexName'])
            t['BillingModeSummary'] = {'BillingMode': mode}
            t['ProvisionedThroughput'].update(ReadCapacityUnits=new[1],
                                              WriteCapacityUnits=new[2])
            if mode == 'PAY_PER_REQUEST':
                for g in t.get('GlobalSecondaryIndexes', []):
                    g['ProvisionedThroughput'].update(ReadCapacityUnits=0, WriteCapacityUnits=0)
            changed = True
        spec = p.get('StreamSpecification')
        if spec is not None:
            self._check_stream(spec)
            on = bool(t.get('StreamSpecification', {}).get('StreamEnabled'))
            if spec.get('StreamEnabled') and on:
                raise AwsError('ValidationException', 'Table already has an enabled stream: '
                               'TableName: %s' % t['TableName'])
            if not spec.get('StreamEnabled') and not on:
                raise AwsError('ValidationException', 'Table already has no stream enabled: '
                               'TableName: %s' % t['TableName'])
            self._set_stream(ctx, t, spec)
            changed = True
        if 'SSESpecification' in p:
            self._set_sse(t, p['SSESpecification'])
            changed = True
        if 'TableClass' in p:
            t['TableClassSummary'] = {'TableClass': p['TableClass']}
            changed = True
        if 'DeletionProtectionEnabled' in p:
            t['DeletionProtectionEnabled'] = p['DeletionProtectionEnabled']
            changed = True
        if p.get('GlobalSecondaryIndexUpdates'):
            self._index_updates(t, p, mode)
            changed = True
        if p.get('ReplicaUpdates'):
            raise AwsError('ValidationException', 'The emulator does not serve replica updates')
        if not changed:
            raise AwsError('ValidationException', 'At least one of ProvisionedThroughput, '
                           'BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or '
                           'SSESpecification or ReplicaUpdates is required')
        if set(p) - {'TableName', 'DeletionProtectionEnabled'}:
            t['TableStatus'] = 'UPDATING'   # deletion protection alone is immediate
        return {'TableDescription': self._describe(t)}

    def _index_updates(self, t, p, mode):
        ups = p['GlobalSecondaryIndexUpdates']
        gsis = t.setdefault('GlobalSecondaryIndexes', [])
        by_name = {g['IndexName']: g for g in gsis}
        online = [u for u in ups if 'Create' in u or 'Delete' in u]
        busy = [g['IndexName'] for g in gsis if g['IndexStatus'] != 'ACTIVE']
        if len(online) > 1 or (online and busy):
            if not gsis:
                del t['GlobalSecondaryIndexes']
            raise AwsError('LimitExceededException', 'Subscriber limit exceeded: Only 1 online '
                           'index can be created or deleted simultaneously per table')
        seen = set()
        for u in ups:
            (action, body), = [(k, v) for k, v in u.items() if v is not None]
            name = body['IndexName']
            if name in seen:
                raise _invalid('Only one global secondary index update per index is allowed '
                               'simultaneously. Index: %s' % name)
            seen.add(name)
            if action == 'Create':
                if name in by_name or name in {l['IndexName']
                                               for l in t.get('LocalSecondaryIndexes', [])}:
                    raise _invalid('Attempting to create an index which already exists')
                if len(gsis) >= 20:
                    raise AwsError('LimitExceededException', 'GlobalSecondaryIndex count '
                                   'exceeds the per-table limit of 20')
                self._check_index(body)
                self._check_index_billing(mode, body)
                defs = {a['AttributeName']: a['AttributeType'] for a in t['AttributeDefinitions']}
                given = {a['AttributeName']: a['AttributeType']
                         for a in p.get('AttributeDefinitions') or []}
                for n, typ in given.items():
                    if n in defs and defs[n] != typ:
                        raise _invalid('Cannot change the type of attribute %s from %s to %s'
                                       % (n, defs[n], typ))
                for k in body['KeySchema']:
                    n = k['AttributeName']
                    if n not in defs and n not in given:
                        raise _invalid('Global Secondary Index key attribute %s is not defined '
                                       'in AttributeDefinitions' % n)
                    if n not in defs:
                        t['AttributeDefinitions'].append({'AttributeName': n,
                                                          'AttributeType': given[n]})
                        defs[n] = given[n]
                g = self._new_gsi(t, body, mode)
                gsis.append(g)
                by_name[name] = g
            elif action == 'Delete':
                g = by_name.get(name)
                if g is None:
                    raise AwsError('ResourceNotFoundException', 'Requested resource not found: '
                                   'Index: %s not found' % name)
                g['IndexStatus'] = 'DELETING'
                g.pop('_polls', None)
            elif action == 'Update':
                g = by_name.get(name)
                if g is None:
                    raise AwsError('ResourceNotFoundException', 'Requested resource not found: '
                                   'Index: %s not found' % name)
                if mode != 'PROVISIONED':
                    raise _invalid('ProvisionedThroughput cannot be updated for index %s of a '
                                   'table whose BillingMode is PAY_PER_REQUEST' % name)
                self._check_index_billing(mode, body)
                g['ProvisionedThroughput'].update(
                    ReadCapacityUnits=body['ProvisionedThroughput']['ReadCapacityUnits'],
                    WriteCapacityUnits=body['ProvisionedThroughput']['WriteCapacityUnits'])
                g['IndexStatus'] = 'UPDATING'
            else:
                raise _invalid('Unknown GlobalSecondaryIndexUpdate action: %s' % action)
        if not gsis:
            del t['GlobalSecondaryIndexes']

    def DeleteTable(self, ctx, p):
        t = self._active(ctx, p['TableName'])
        if t.get('DeletionProtectionEnabled'):
            raise AwsError('ValidationException', 'Resource cannot be deleted as it is currently '
                           'protected against deletion. Disable deletion protection first.')
        t['TableStatus'] = 'DELETING'
        t.pop('_polls', None)
        return {'TableDescription': self._describe(t)}

    # ------------------------------------------------------------ TTL and backups

    def UpdateTimeToLive(self, ctx, p):
        t = self._active(ctx, p['TableName'])
        spec = p['TimeToLiveSpecification']
        cur = t['_ttl']
        if spec['Enabled']:
            if cur['TimeToLiveStatus'] == 'ENABLED':
                raise AwsError('ValidationException', 'TimeToLive is already enabled')
            t['_ttl'] = {'TimeToLiveStatus': 'ENABLED', 'AttributeName': spec['AttributeName']}
        else:
            if cur['TimeToLiveStatus'] != 'ENABLED':
                raise AwsError('ValidationException', 'TimeToLive is already disabled')
            if cur.get('AttributeName') != spec['AttributeName']:
                raise AwsError('ValidationException', 'TimeToLive attribute name %s does not '
                               'match the enabled one (%s)' % (spec['AttributeName'],
                                                             cur.get('AttributeName')))
            t['_ttl'] = {'TimeToLiveStatus': 'DISABLED'}
        return {'TimeToLiveSpecification': spec}

    def DescribeTimeToLive(self, ctx, p):
        return {'TimeToLiveDescription': self._get(ctx, p['TableName'])['_ttl']}

    def _backups(self, ctx, name):
        t = self._tables(ctx).get(name)
        if t is None:
            raise AwsError('TableNotFoundException', 'Table not found: %s' % name)
        return {'ContinuousBackupsStatus': 'ENABLED', 'PointInTimeRecoveryDescription': {
            'PointInTimeRecoveryStatus': 'ENABLED' if t['_pitr'] else 'DISABLED'}}

    def UpdateContinuousBackups(self, ctx, p):
        t = self._tables(ctx).get(p['TableName'])
        if t is not None:
            t['_pitr'] = p['PointInTimeRecoverySpecification']['PointInTimeRecoveryEnabled']
        return {'ContinuousBackupsDescription': self._backups(ctx, p['TableName'])}

    def DescribeContinuousBackups(self, ctx, p):
        return {'ContinuousBackupsDescription': self._backups(ctx, p['TableName'])}

    # ------------------------------------------------------------ tags

    def TagResource(self, ctx, p):
        t = self._by_arn(ctx, p['ResourceArn'])
        tags = dict(t['_tags'])
        tags.update({x['Key']: x['Value'] for x in p['Tags']})
        if len(tags) > 50:
            raise AwsError('ValidationException', 'Too many tags: a table has at most 50')
        t['_tags'] = tags
        return {}

    def UntagResource(self, ctx, p):
        t = self._by_arn(ctx, p['ResourceArn'])
        for k in p['TagKeys']:
            t['_tags'].pop(k, None)
        return {}

    def ListTagsOfResource(self, ctx, p):
        t = self._by_arn(ctx, p['ResourceArn'])
        return {'Tags': [{'Key': k, 'Value': v} for k, v in sorted(t['_tags'].items())]}
