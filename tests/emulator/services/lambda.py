"""Lambda: functions from a zip (create, get, list, update code and
configuration, delete), resource policy permissions (add, remove, get
policy), tags, reserved concurrency.

Functions start in State Pending and become Active after `pending_polls`
reads; updates set LastUpdateStatus InProgress the same way, and another
update while one is in progress fails with ResourceConflictException, as on
AWS.  The role must exist and trust lambda.amazonaws.com, else
InvalidParameterValueException "cannot be assumed by Lambda".  S3 bucket
notifications that fire are recorded per function (see record_invocation).
"""

import datetime
import io
import json
import zipfile

from store import AwsError, Service, new_uuid, sha256_b64, paginate

RUNTIMES = {'python3.8', 'python3.9', 'python3.10', 'python3.11', 'python3.12', 'nodejs16.x',
            'nodejs18.x', 'nodejs20.x', 'java17', 'java21', 'go1.x', 'provided.al2',
            'provided.al2023', 'ruby3.2', 'dotnet8'}


def _stamp():
    return datetime.datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3] + '+0000'


def _name(ref):
    """Function name from a name, partial ARN or full ARN (qualifier dropped)."""
    parts = ref.split(':')
    if ref.startswith('arn:'):
        return parts[6]
    if len(parts) >= 3:       # 123456789012:function:name
        return parts[2]
    return parts[0]


class Handler(Service):
    model = 'lambda'

    def _functions(self, region):
        return self.data.setdefault(region, {}).setdefault('functions', {})

    def _fn(self, ctx, ref):
        name = _name(ref)
        fn = self._functions(ctx.region).get(name)
        if fn is None:
            raise AwsError('ResourceNotFoundException', 'Function not found: %s'
                           % ctx.arn('lambda', 'function:' + name), 404)
        return fn

    def _settle(self, fn):
        self.advance(fn, 'State', {'Pending': 'Active'})
        self.advance(fn, 'LastUpdateStatus', {'InProgress': 'Successful'}, '_update_polls')
        return fn

    def _check_role(self, role_arn):
        role = self.server.services['iam'].gtable('roles').get(role_arn.rsplit('/', 1)[-1])
        if role is None or role['Arn'] != role_arn or \
                'lambda.amazonaws.com' not in role['AssumeRolePolicyDocument']:
            raise AwsError('InvalidParameterValueException', 'The role defined for the function '
                           'cannot be assumed by Lambda.')

    @staticmethod
    def _zip(code):
        data = code.get('ZipFile')
        if data is None:
            if code.get('S3Bucket'):
                raise AwsError('InvalidParameterValueException', 'Code from S3 is not emulated; '
                               'send ZipFile')
            raise AwsError('InvalidParameterValueException', 'Please provide a source for '
                           'function code.')
        try:
            zipfile.ZipFile(io.BytesIO(data)).testzip()
        except zipfile.BadZipFile:
            raise AwsError('InvalidParameterValueException', 'Could not unzip uploaded file. '
                           'Please check your file, then try to upload again.')
        return data

    def _set_code(self, fn, data):
        fn['_zip'] = data
        fn['CodeSha256'] = sha256_b64(data)
        fn['CodeSize'] = len(data)

    def _begin_update(self, fn):
        self._settle(fn)
        if fn.get('LastUpdateStatus') == 'InProgress' or fn.get('State') == 'Pending':
            raise AwsError('ResourceConflictException', 'The operation cannot be performed at '
                           'this time. An update is in progress for resource: %s'
                           % fn['FunctionArn'], 409, Type='User')
        fn['LastUpdateStatus'] = 'InProgress'
        fn.pop('_update_polls', None)
        fn['LastModified'] = _stamp()
        fn['RevisionId'] = new_uuid()

    def CreateFunction(self, ctx, p):
        name = p['FunctionName']
        if name in self._functions(ctx.region):
            raise AwsError('ResourceConflictException', 'Function already exist: %s' % name, 409)
        if p.get('Runtime') and p['Runtime'] not in RUNTIMES:
            raise AwsError('InvalidParameterValueException', 'The runtime parameter of %s is no '
                           'longer supported for creating or updating AWS Lambda functions.'
                           % p['Runtime'])
        self._check_role(p['Role'])
        data = self._zip(p['Code'])
        fn = {'FunctionName': name, 'FunctionArn': ctx.arn('lambda', 'function:' + name),
              'Runtime': p.get('Runtime'), 'Role': p['Role'], 'Handler': p.get('Handler'),
              'Description': p.get('Description') or '', 'Timeout': p.get('Timeout') or 3,
              'MemorySize': p.get('MemorySize') or 128, 'LastModified': _stamp(),
              'Version': '$LATEST', 'Environment': p.get('Environment'),
              'TracingConfig': {'Mode': 'PassThrough'}, 'RevisionId': new_uuid(),
              'State': 'Pending', 'StateReason': 'The function is being created.',
              'StateReasonCode': 'Creating', 'PackageType': 'Zip',
              'Architectures': p.get('Architectures') or ['x86_64'],
              'EphemeralStorage': {'Size': 512}, 'Layers': [],
              'VpcConfig': p.get('VpcConfig'), '_tags': p.get('Tags') or {},
              '_policy': [], '_invocations': []}
        self._set_code(fn, data)
        self._functions(ctx.region)[name] = fn
        return fn

    def GetFunction(self, ctx, p):
        fn = self._settle(self._fn(ctx, p['FunctionName']))
        out = {'Configuration': fn, 'Tags': fn['_tags'],
               'Code': {'RepositoryType': 'S3', 'Location': 'https://awslambda-%s-tasks.s3.%s.'
                        'amazonaws.com/snapshots/%s/%s' % (ctx.region, ctx.region, ctx.account,
                                                         fn['FunctionName'])}}
        if '_concurrency' in fn:
            out['Concurrency'] = {'ReservedConcurrentExecutions': fn['_concurrency']}
        return out

    def GetFunctionConfiguration(self, ctx, p):
        return self._settle(self._fn(ctx, p['FunctionName']))

    def ListFunctions(self, ctx, p):
        fns = [self._settle(f) for f in self._functions(ctx.region).values()]
        page, marker = paginate(sorted(fns, key=lambda f: f['FunctionName']), p.get('Marker'),
                                p.get('MaxItems'), 50)   # AWS: at most 50 a page
        return {'Functions': page, 'NextMarker': marker}

    def UpdateFunctionCode(self, ctx, p):
        fn = self._fn(ctx, p['FunctionName'])
        data = self._zip(p)
        self._begin_update(fn)
        self._set_code(fn, data)
        return fn

    def UpdateFunctionConfiguration(self, ctx, p):
        fn = self._fn(ctx, p['FunctionName'])
        if p.get('Role'):
            self._check_role(p['Role'])
        self._begin_update(fn)
        for key in ('Role', 'Handler', 'Description', 'Timeout', 'MemorySize', 'Runtime',
                    'Environment', 'VpcConfig'):
            if key in p:
                fn[key] = p[key]
        return fn

    def DeleteFunction(self, ctx, p):
        fn = self._fn(ctx, p['FunctionName'])
        del self._functions(ctx.region)[fn['FunctionName']]
        return {}

    def AddPermission(self, ctx, p):
        fn = self._fn(ctx, p['FunctionName'])
        if any(s['Sid'] == p['StatementId'] for s in fn['_policy']):
            raise AwsError('ResourceConflictException', 'The statement id (%s) provided already '
                           'exists. Please provide a new statement id, or remove the existing '
                           'statement.' % p['StatementId'], 409)
        principal = p['Principal']
        st = {'Sid': p['StatementId'], 'Effect': 'Allow', 'Action': p['Action'],
              'Resource': fn['FunctionArn'],
              'Principal': {'Service': principal} if principal.endswith('.amazonaws.com')
              else {'AWS': principal if principal.startswith('arn:') else
                    'arn:aws:iam::%s:root' % principal}}
        cond = {}
        if p.get('SourceArn'):
            cond['ArnLike'] = {'AWS:SourceArn': p['SourceArn']}
        if p.get('SourceAccount'):
            cond['StringEquals'] = {'AWS:SourceAccount': p['SourceAccount']}
        if cond:
            st['Condition'] = cond
        fn['_policy'].append(st)
        fn['RevisionId'] = new_uuid()
        return {'Statement': json.dumps(st)}

    def RemovePermission(self, ctx, p):
        fn = self._fn(ctx, p['FunctionName'])
        if not any(s['Sid'] == p['StatementId'] for s in fn['_policy']):
            raise AwsError('ResourceNotFoundException', 'Statement %s is not found in resource '
                           'policy.' % p['StatementId'], 404)
        fn['_policy'] = [s for s in fn['_policy'] if s['Sid'] != p['StatementId']]
        return {}

    def GetPolicy(self, ctx, p):
        fn = self._fn(ctx, p['FunctionName'])
        if not fn['_policy']:
            raise AwsError('ResourceNotFoundException', 'The resource you requested does not '
                           'exist.', 404)
        doc = {'Version': '2012-10-17', 'Id': 'default', 'Statement': fn['_policy']}
        return {'Policy': json.dumps(doc), 'RevisionId': fn['RevisionId']}

    def PutFunctionConcurrency(self, ctx, p):
        fn = self._fn(ctx, p['FunctionName'])
        fn['_concurrency'] = p['ReservedConcurrentExecutions']
        return {'ReservedConcurrentExecutions': fn['_concurrency']}

    def DeleteFunctionConcurrency(self, ctx, p):
        self._fn(ctx, p['FunctionName']).pop('_concurrency', None)
        return {}

    def TagResource(self, ctx, p):
        self._fn(ctx, p['Resource'])['_tags'].update(p['Tags'])
        return {}

    def UntagResource(self, ctx, p):
        tags = self._fn(ctx, p['Resource'])['_tags']
        for k in p['TagKeys']:
            tags.pop(k, None)
        return {}

    def ListTags(self, ctx, p):
        return {'Tags': self._fn(ctx, p['Resource'])['_tags']}

    def Invoke(self, ctx, p):
        fn = self._settle(self._fn(ctx, p['FunctionName']))
        fn['_invocations'].append({'source': 'Invoke'})
        return {'StatusCode': 200, 'ExecutedVersion': '$LATEST', 'Payload': b'null'}

    # ---------------------------------------------------------------- used by S3

    def _by_arn(self, arn):
        parts = arn.split(':')
        if len(parts) < 7:
            return None
        return self._functions(parts[3]).get(parts[6])

    def s3_may_invoke(self, arn, bucket):
        fn = self._by_arn(arn)
        if fn is None:
            return False
        for st in fn['_policy']:
            if st['Principal'].get('Service') != 's3.amazonaws.com' or \
                    st['Action'] not in ('lambda:InvokeFunction', 'lambda:*'):
                continue
            source = st.get('Condition', {}).get('ArnLike', {}).get('AWS:SourceArn')
            if source in (None, 'arn:aws:s3:::' + bucket):
                return True
        return False

    def record_invocation(self, arn, event):
        fn = self._by_arn(arn)
        if fn is not None:
            fn['_invocations'] = (fn['_invocations'] + [event])[-100:]
