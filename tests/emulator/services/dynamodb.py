"""DynamoDB (JSON 1.0): tables (no items), their time to live, continuous
backups (point-in-time recovery) and tags.

Tables go CREATING -> ACTIVE, UPDATING -> ACTIVE and DELETING -> gone after
`pending_polls` DescribeTable calls.  AWS's rules kept here beyond the
model's constraints: one table per name (ResourceInUseException), a key
schema of one HASH and at most one RANGE key, every key attribute declared
and every declared attribute used by a key or index (ValidationException),
capacity given with PROVISIONED and refused with PAY_PER_REQUEST, a stream
view type with an enabled stream, no second stream while one is on, no
UpdateTable that changes nothing or of a table that is not ACTIVE, TTL not
enabled (or disabled) twice, DeleteTable refused under deletion protection.
"""

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
        used = {k['AttributeName'] for k in keys}
        for idx in (p.get('GlobalSecondaryIndexes') or []) + (p.get('LocalSecondaryIndexes') or []):
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
        self._set_stream(ctx, t, p.get('StreamSpecification'))
        self._set_sse(t, p.get('SSESpecification'))
        self._tables(ctx)[name] = t
        return {'TableDescription': self._describe(t)}

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
        return {k: v for k, v in t.items() if not k.startswith('_')}

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
            t['BillingModeSummary'] = {'BillingMode': mode}
            t['ProvisionedThroughput'].update(ReadCapacityUnits=new[1],
                                              WriteCapacityUnits=new[2])
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
        if p.get('GlobalSecondaryIndexUpdates') or p.get('ReplicaUpdates'):
            raise AwsError('ValidationException', 'The emulator does not serve secondary index '
                           'or replica updates')
        if not changed:
            raise AwsError('ValidationException', 'At least one of ProvisionedThroughput, '
                           'BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or '
                           'SSESpecification or ReplicaUpdates is required')
        if set(p) - {'TableName', 'DeletionProtectionEnabled'}:
            t['TableStatus'] = 'UPDATING'   # deletion protection alone is immediate
        return {'TableDescription': self._describe(t)}

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
