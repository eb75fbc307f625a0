"""Secrets Manager (JSON 1.1): secrets with versions and staging labels
(AWSCURRENT / AWSPREVIOUS / AWSPENDING), resource policies, tags, deletion
with a recovery window (the secret stays, marked deleted, until restored or
its window ends) or forced; ListSecrets with Filters (name, description,
tag-key, tag-value) and pages, BatchGetSecretValue by SecretIdList or Filters.

AWS's rules kept here beyond the model's constraints: names unique while a
secret of that name is scheduled for deletion, a recovery window of 7 to 30
days, ForceDeleteWithoutRecovery not with a window, ClientRequestToken
idempotent (the same token and value: the same version; another value:
ResourceExistsException), AWSCURRENT never left without a version, and no
calls but Restore/Describe on a secret scheduled for deletion.
"""

import json
import random
import string

import botocore.model

import protocol
from store import AwsError, Service, now, paginate


def _model_with_batch_get():
    """botocore 1.29 (Debian 12) predates BatchGetSecretValue (November 2023):
    the operation and its shapes, as botocore 1.43's model has them, are added
    to the model the emulator parses with."""
    data = protocol._LOADER.load_service_model('secretsmanager', 'service-2')
    ops, shapes = data['operations'], data['shapes']
    if 'BatchGetSecretValue' in ops:
        return
    ops['BatchGetSecretValue'] = {
        'name': 'BatchGetSecretValue', 'http': {'method': 'POST', 'requestUri': '/'},
        'input': {'shape': 'BatchGetSecretValueRequest'},
        'output': {'shape': 'BatchGetSecretValueResponse'},
        'errors': [{'shape': e} for e in ('ResourceNotFoundException',
                                           'InvalidParameterException',
                                           'InvalidRequestException', 'DecryptionFailure',
                                           'InternalServiceError',
                                           'InvalidNextTokenException')]}
    shapes.update({
        'ErrorCode': {'type': 'string'},
        'SecretIdListType': {'type': 'list', 'member': {'shape': 'SecretIdType'},
                             'min': 1, 'max': 20},
        'MaxResultsBatchType': {'type': 'integer', 'box': True, 'min': 1, 'max': 20},
        'SecretValueEntry': {'type': 'structure', 'members': {
            'ARN': {'shape': 'SecretARNType'}, 'Name': {'shape': 'SecretNameType'},
            'VersionId': {'shape': 'SecretVersionIdType'},
            'SecretBinary': {'shape': 'SecretBinaryType'},
            'SecretString': {'shape': 'SecretStringType'},
            'VersionStages': {'shape': 'SecretVersionStagesType'},
            'CreatedDate': {'shape': 'CreatedDateType', 'box': True}}},
        'SecretValuesType': {'type': 'list', 'member': {'shape': 'SecretValueEntry'}},
        'APIErrorType': {'type': 'structure', 'members': {
            'SecretId': {'shape': 'SecretIdType'}, 'ErrorCode': {'shape': 'ErrorCode'},
            'Message': {'shape': 'ErrorMessage'}}},
        'APIErrorListType': {'type': 'list', 'member': {'shape': 'APIErrorType'}},
        'BatchGetSecretValueRequest': {'type': 'structure', 'members': {
            'SecretIdList': {'shape': 'SecretIdListType'},
            'Filters': {'shape': 'FiltersListType'},
            'MaxResults': {'shape': 'MaxResultsBatchType', 'box': True},
            'NextToken': {'shape': 'NextTokenType'}}},
        'BatchGetSecretValueResponse': {'type': 'structure', 'members': {
            'SecretValues': {'shape': 'SecretValuesType'},
            'NextToken': {'shape': 'NextTokenType'},
            'Errors': {'shape': 'APIErrorListType'}}},
    })
    protocol._MODELS['secretsmanager'] = botocore.model.ServiceModel(
        data, service_name='secretsmanager')


_model_with_batch_get()

_rng = random.Random(7)


def _not_found():
    return AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified "
                    'secret.')


def _invalid_request(msg):
    return AwsError('InvalidRequestException', msg)


class Handler(Service):
    model = 'secretsmanager'

    def _secrets(self, ctx):
        return self.table(ctx, 'secrets')

    def _find(self, ctx, secret_id, deleted_ok=False):
        for s in self._secrets(ctx).values():
            if secret_id in (s['ARN'], s['Name']):
                if s.get('DeletedDate') and not deleted_ok:
                    raise _invalid_request('You can\'t perform this operation on the secret '
                                           'because it was marked for deletion.')
                return s
        raise _not_found()

    def CreateSecret(self, ctx, p):
        name = p['Name']
        for s in self._secrets(ctx).values():
            if s['Name'] == name:
                if s.get('DeletedDate'):
                    raise _invalid_request('You can\'t create this secret because a secret with '
                                           'this name is already scheduled for deletion.')
                raise AwsError('ResourceExistsException', 'The operation failed because the '
                               'secret %s already exists.' % name)
        suffix = ''.join(_rng.choice(string.ascii_letters + string.digits) for _ in range(6))
        arn = ctx.arn('secretsmanager', 'secret:%s-%s' % (name, suffix))
        s = {'ARN': arn, 'Name': name, 'Description': p.get('Description', ''),
             'KmsKeyId': p.get('KmsKeyId'), 'Tags': p.get('Tags') or [], 'CreatedDate': now(),
             'Versions': {}}
        if s['KmsKeyId'] is None:
            s.pop('KmsKeyId')
        self._secrets(ctx)[arn] = s
        out = {'ARN': arn, 'Name': name}
        if 'SecretString' in p or 'SecretBinary' in p:
            out['VersionId'] = self._put_value(s, p)['VersionId']
        return out

    def DescribeSecret(self, ctx, p):
        s = self._find(ctx, p['SecretId'], deleted_ok=True)
        out = {k: v for k, v in s.items() if k not in ('Versions', 'State', '_policy')}
        out['VersionIdsToStages'] = {vid: v['Stages'] for vid, v in s['Versions'].items()
                                     if v['Stages']}
        return out

    @staticmethod
    def _matches(s, filters):
        """ListSecrets / BatchGetSecretValue Filters: every filter holds; within one, any
        plain value matches (a prefix: case-sensitive, but not for description) and no
        !value does."""
        for f in filters or []:
            key = f['Key']
            if key == 'name':
                fields, fold = [s['Name']], False
            elif key == 'description':
                fields, fold = [s.get('Description') or ''], True
            elif key == 'tag-key':
                fields, fold = [t['Key'] for t in s['Tags']], False
            elif key == 'tag-value':
                fields, fold = [t['Value'] for t in s['Tags']], False
            else:
                raise AwsError('InvalidParameterException', 'The filter key %s is not '
                               'emulated (name, description, tag-key and tag-value are).' % key)

            def hit(v, fields=fields, fold=fold):
                return any((x.lower().startswith(v.lower()) if fold else x.startswith(v))
                           for x in fields)
            values = f.get('Values') or []
            plain = [v for v in values if not v.startswith('!')]
            if any(hit(v[1:]) for v in values if v.startswith('!')):
                return False
            if plain and not any(hit(v) for v in plain):
                return False
        return True

    def ListSecrets(self, ctx, p):
        found = [{k: v for k, v in s.items() if k not in ('Versions', 'State', '_policy')}
                 for s in sorted(self._secrets(ctx).values(), key=lambda s: s['Name'])
                 if (p.get('IncludePlannedDeletion') or not s.get('DeletedDate'))
                 and self._matches(s, p.get('Filters'))]
        page, token = paginate(found, p.get('NextToken'), p.get('MaxResults'), 100)
        out = {'SecretList': page}
        if token:
            out['NextToken'] = token
        return out

    def UpdateSecret(self, ctx, p):
        s = self._find(ctx, p['SecretId'])
        if 'Description' in p:
            s['Description'] = p['Description']
        if p.get('KmsKeyId'):
            s['KmsKeyId'] = p['KmsKeyId']
        out = {'ARN': s['ARN'], 'Name': s['Name']}
        if 'SecretString' in p or 'SecretBinary' in p:
            out['VersionId'] = self._put_value(s, p)['VersionId']
        return out

    def DeleteSecret(self, ctx, p):
        s = self._find(ctx, p['SecretId'], deleted_ok=True)
        force = p.get('ForceDeleteWithoutRecovery')
        window = p.get('RecoveryWindowInDays')
        if force and window is not None:
            raise AwsError('InvalidParameterException', 'You can\'t use '
                           'ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.')
        if window is not None and not 7 <= window <= 30:
            raise AwsError('InvalidParameterException', 'The RecoveryWindowInDays value must be '
                           'between 7 and 30 days (inclusive).')
        when = now()
        if force:
            del self._secrets(ctx)[s['ARN']]
        else:
            s['DeletedDate'] = when
            s['State'] = 'deleted'      # kept (restorable) as on AWS: not a leftover
        return {'ARN': s['ARN'], 'Name': s['Name'],
                'DeletionDate': when + 86400 * (0 if force else (window or 30))}

    def RestoreSecret(self, ctx, p):
        s = self._find(ctx, p['SecretId'], deleted_ok=True)
        s.pop('DeletedDate', None)
        s.pop('State', None)
        return {'ARN': s['ARN'], 'Name': s['Name']}

    # ------------------------------------------------------------ values

    def _put_value(self, s, p):
        token = p.get('ClientRequestToken') or ''.join(
            _rng.choice('0123456789abcdef') for _ in range(32))
        value = {k: p[k] for k in ('SecretString', 'SecretBinary') if k in p}
        if len(value) != 1:
            raise AwsError('InvalidParameterException', 'You must provide either SecretString '
                           'or SecretBinary.')
        old = s['Versions'].get(token)
        if old is not None:
            if old['Value'] != value:
                raise AwsError('ResourceExistsException', 'You can\'t modify an existing version, '
                               'you can only create new versions.')
            return {'ARN': s['ARN'], 'Name': s['Name'], 'VersionId': token,
                    'VersionStages': old['Stages']}
        stages = p.get('VersionStages') or ['AWSCURRENT']
        for stage in stages:
            self._take_stage(s, stage, token)
        s['Versions'][token] = {'Value': value, 'Stages': list(stages), 'CreatedDate': now()}
        return {'ARN': s['ARN'], 'Name': s['Name'], 'VersionId': token, 'VersionStages': stages}

    @staticmethod
    def _take_stage(s, stage, to_version):
        for vid, v in s['Versions'].items():
            if stage in v['Stages'] and vid != to_version:
                v['Stages'].remove(stage)
                if stage == 'AWSCURRENT':
                    for other in s['Versions'].values():
                        if 'AWSPREVIOUS' in other['Stages']:
                            other['Stages'].remove('AWSPREVIOUS')
                    v['Stages'].append('AWSPREVIOUS')

    def PutSecretValue(self, ctx, p):
        return self._put_value(self._find(ctx, p['SecretId']), p)

    def GetSecretValue(self, ctx, p):
        s = self._find(ctx, p['SecretId'])
        vid, stage = p.get('VersionId'), p.get('VersionStage')
        if vid is None:
            stage = stage or 'AWSCURRENT'
            vid = next((k for k, v in s['Versions'].items() if stage in v['Stages']), None)
        v = s['Versions'].get(vid) if vid else None
        if v is None or (stage and stage not in v['Stages']):
            raise AwsError('ResourceNotFoundException', "Secrets Manager can't find the "
                           'specified secret value for %s' % ('VersionId: %s' % vid if vid else
                                                               'staging label: %s' % stage))
        out = {'ARN': s['ARN'], 'Name': s['Name'], 'VersionId': vid,
               'VersionStages': v['Stages'], 'CreatedDate': v['CreatedDate']}
        out.update(v['Value'])
        return out

    def BatchGetSecretValue(self, ctx, p):
        ids, filters = p.get('SecretIdList'), p.get('Filters')
        if (ids is None) == (filters is None):
            raise AwsError('InvalidParameterException', 'Either \'SecretIdList\' or '
                           '\'Filters\' must be provided, but not both.')
        if p.get('MaxResults') is not None and filters is None:
            raise AwsError('InvalidParameterException', '\'Filters\' not specified. '
                           '\'Filters\' must also be specified when \'MaxResults\' is '
                           'provided.')
        values, errors, token = [], [], None
        if ids is not None:
            for secret_id in ids:
                try:
                    values.append(self.GetSecretValue(ctx, {'SecretId': secret_id}))
                except AwsError as e:
                    errors.append({'SecretId': secret_id, 'ErrorCode': e.code,
                                   'Message': e.message})
        else:
            found = [s for s in sorted(self._secrets(ctx).values(), key=lambda s: s['Name'])
                     if not s.get('DeletedDate') and self._matches(s, filters)]
            page, token = paginate(found, p.get('NextToken'), p.get('MaxResults'), 20)
            for s in page:
                try:
                    values.append(self.GetSecretValue(ctx, {'SecretId': s['ARN']}))
                except AwsError as e:
                    errors.append({'SecretId': s['ARN'], 'ErrorCode': e.code,
                                   'Message': e.message})
        out = {'SecretValues': values, 'Errors': errors}
        if token:
            out['NextToken'] = token
        return out

    def ListSecretVersionIds(self, ctx, p):
        s = self._find(ctx, p['SecretId'])
        return {'ARN': s['ARN'], 'Name': s['Name'],
                'Versions': [{'VersionId': k, 'VersionStages': v['Stages'],
                              'CreatedDate': v['CreatedDate']}
                             for k, v in s['Versions'].items()
                             if v['Stages'] or p.get('IncludeDeprecated')]}

    def UpdateSecretVersionStage(self, ctx, p):
        s = self._find(ctx, p['SecretId'])
        stage, move, remove = p['VersionStage'], p.get('MoveToVersionId'), \
            p.get('RemoveFromVersionId')
        for vid in (move, remove):
            if vid and vid not in s['Versions']:
                raise _not_found()
        if remove:
            if stage not in s['Versions'][remove]['Stages']:
                raise AwsError('InvalidParameterException', 'The staging label %s is not '
                               'attached to version %s.' % (stage, remove))
            if stage == 'AWSCURRENT' and not move:
                raise AwsError('InvalidParameterException', 'You can only move staging label '
                               'AWSCURRENT to a different secret version. It can\'t be '
                               'completely removed.')
            s['Versions'][remove]['Stages'].remove(stage)
        if move:
            self._take_stage(s, stage, move)
            if stage not in s['Versions'][move]['Stages']:
                s['Versions'][move]['Stages'].append(stage)
        return {'ARN': s['ARN'], 'Name': s['Name']}

    # ------------------------------------------------------------ policy and tags

    def PutResourcePolicy(self, ctx, p):
        s = self._find(ctx, p['SecretId'])
        try:
            doc = json.loads(p['ResourcePolicy'])
        except ValueError:
            raise AwsError('MalformedPolicyDocumentException', 'This resource policy contains '
                           'a syntax error.')
        if not isinstance(doc, dict) or 'Statement' not in doc:
            raise AwsError('MalformedPolicyDocumentException', 'This resource policy contains '
                           'an unsupported element.')
        s['_policy'] = p['ResourcePolicy']
        return {'ARN': s['ARN'], 'Name': s['Name']}

    def GetResourcePolicy(self, ctx, p):
        s = self._find(ctx, p['SecretId'])
        out = {'ARN': s['ARN'], 'Name': s['Name']}
        if s.get('_policy'):
            out['ResourcePolicy'] = s['_policy']
        return out

    def DeleteResourcePolicy(self, ctx, p):
        s = self._find(ctx, p['SecretId'])
        s.pop('_policy', None)
        return {'ARN': s['ARN'], 'Name': s['Name']}

    def TagResource(self, ctx, p):
        s = self._find(ctx, p['SecretId'])
        tags = {t['Key']: t['Value'] for t in s['Tags']}
        tags.update({t['Key']: t['Value'] for t in p['Tags']})
        if len(tags) > 50:
            raise AwsError('InvalidParameterException', 'Too many tags (at most 50).')
        s['Tags'] = [{'Key': k, 'Value': v} for k, v in sorted(tags.items())]
        return {}

    def UntagResource(self, ctx, p):
        s = self._find(ctx, p['SecretId'])
        s['Tags'] = [t for t in s['Tags'] if t['Key'] not in p['TagKeys']]
        return {}
