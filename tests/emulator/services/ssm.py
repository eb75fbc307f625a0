"""SSM Parameter Store (JSON 1.1): parameters with versions, tiers, KMS keys for
SecureString values (encrypted at rest: GetParameter without WithDecryption
gives ciphertext), descriptions and tags.

AWS's rules kept here beyond the model's constraints: names (letters, digits,
_ . - /; not starting with aws or ssm; a path starts with /; at most 15
levels), ParameterAlreadyExists without Overwrite, tags and Overwrite not
together, value size by tier (4 KB Standard, 8 KB Advanced), no downgrade
from Advanced to Standard, KeyId only for SecureString.
"""

import base64
import re

from store import AwsError, Service, now, paginate

NAME_RE = re.compile(r'^[A-Za-z0-9_./-]+$')
DEFAULT_KEY = 'alias/aws/ssm'


def _not_found(name):
    return AwsError('ParameterNotFound', 'Parameter %s not found.' % name)


def _invalid(msg):
    return AwsError('ValidationException', msg)


def _check_name(name):
    leaf = name[1:] if name.startswith('/') else name
    if not NAME_RE.match(name):
        raise _invalid('Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive)'
                       '. If formed as a path, it can consist of sub-paths divided by slash '
                       'symbol; each sub-path can be formed as a mix of letters, numbers and the '
                       'following 3 symbols .-_')
    if leaf.lower().startswith(('aws', 'ssm')):
        raise _invalid('Parameter name: can\'t be prefixed with "aws" or "ssm" '
                       '(case-insensitive).')
    if '/' in name and not name.startswith('/'):
        raise _invalid('Parameter name must be a fully qualified name.')
    if name.count('/') > 15:
        raise AwsError('HierarchyLevelLimitExceededException', 'A hierarchy can have a maximum '
                       'of 15 levels.')


class Handler(Service):
    model = 'ssm'

    def _params(self, ctx):
        return self.table(ctx, 'parameters')

    def _param(self, ctx, name):
        p = self._params(ctx).get(name)
        if p is None:
            raise _not_found(name)
        return p

    def _arn(self, ctx, name):
        return ctx.arn('ssm', 'parameter' + (name if name.startswith('/') else '/' + name))

    def PutParameter(self, ctx, p):
        name, value, overwrite = p['Name'], p['Value'], p.get('Overwrite', False)
        _check_name(name)
        params = self._params(ctx)
        old = params.get(name)
        if old is not None and not overwrite:
            raise AwsError('ParameterAlreadyExists', 'The parameter already exists. To '
                           'overwrite this value, set the overwrite option in the request to '
                           'true.')
        if p.get('Tags') and overwrite:
            raise _invalid('Invalid request: tags and overwrite can\'t be used together. To '
                           'create a parameter with tags, please remove overwrite flag. To '
                           'update tags for an existing parameter, please use AddTagsToResource '
                           'or RemoveTagsFromResource.')
        ptype = p.get('Type') or (old or {}).get('Type')
        if ptype is None:
            raise _invalid('A parameter type is required when you create a parameter.')
        tier = p.get('Tier') or (old or {}).get('Tier') or 'Standard'
        if tier == 'Intelligent-Tiering':
            tier = 'Advanced' if len(value) > 4096 else (old or {}).get('Tier', 'Standard')
        if old is not None and old['Tier'] == 'Advanced' and tier == 'Standard':
            raise _invalid('This parameter uses the advanced-parameter tier. You can\'t downgrade '
                           'a parameter from the advanced-parameter tier to the standard-parameter '
                           'tier. If necessary, you can delete the advanced parameter and '
                           'recreate it as a standard parameter.')
        limit = 8192 if tier == 'Advanced' else 4096
        if len(value.encode()) > limit:
            raise _invalid('Standard tier parameters support a maximum parameter value of 4096 '
                           'characters. To create a larger parameter value, upgrade the parameter '
                           'to use the advanced-parameter tier.' if limit == 4096 else
                           'Parameter value exceeds the maximum of 8192 characters.')
        if p.get('KeyId') and ptype != 'SecureString':
            raise _invalid('KeyId is required for SecureString type parameter only.')
        key = (p.get('KeyId') or (old or {}).get('KeyId') or DEFAULT_KEY) \
            if ptype == 'SecureString' else None
        version = (old['Version'] + 1) if old else 1
        rec = {'Name': name, 'Type': ptype, 'Value': value, 'Version': version,
               'ARN': self._arn(ctx, name), 'DataType': p.get('DataType') or 'text',
               'Tier': tier, 'LastModifiedDate': now(), 'KeyId': key,
               'Description': p['Description'] if 'Description' in p
               else (old or {}).get('Description', ''),
               'Tags': (old or {}).get('Tags') or {t['Key']: t['Value'] for t in p.get('Tags') or []}}
        if key is None:
            rec.pop('KeyId')
        params[name] = rec
        return {'Version': version, 'Tier': tier}

    @staticmethod
    def _shown(rec, decrypt):
        value = rec['Value']
        if rec['Type'] == 'SecureString' and not decrypt:
            value = base64.b64encode(('kms:%s:' % rec['KeyId']).encode() +
                                     value.encode()).decode()
        return {'Name': rec['Name'], 'Type': rec['Type'], 'Value': value,
                'Version': rec['Version'], 'ARN': rec['ARN'], 'DataType': rec['DataType'],
                'LastModifiedDate': rec['LastModifiedDate']}

    def GetParameter(self, ctx, p):
        name = p['Name']
        return {'Parameter': self._shown(self._param(ctx, name), p.get('WithDecryption', False))}

    def GetParameters(self, ctx, p):
        found, missing = [], []
        for name in p['Names']:
            rec = self._params(ctx).get(name)
            if rec is None:
                missing.append(name)
            else:
                found.append(self._shown(rec, p.get('WithDecryption', False)))
        return {'Parameters': found, 'InvalidParameters': missing}

    def DescribeParameters(self, ctx, p):
        recs = sorted(self._params(ctx).values(), key=lambda r: r['Name'])
        for f in p.get('ParameterFilters') or []:
            values = f.get('Values') or []
            if f['Key'] == 'Name':
                if f.get('Option', 'Equals') == 'BeginsWith':
                    recs = [r for r in recs if any(r['Name'].startswith(v) for v in values)]
                else:
                    recs = [r for r in recs if r['Name'] in values]
            elif f['Key'] == 'Type':
                recs = [r for r in recs if r['Type'] in values]
        out = []
        for r in recs:
            d = {k: r[k] for k in ('Name', 'Type', 'Version', 'ARN', 'DataType', 'Tier',
                                   'LastModifiedDate', 'Description') if k in r}
            if 'KeyId' in r:
                d['KeyId'] = r['KeyId']
            d['LastModifiedUser'] = 'arn:aws:iam::%s:user/cpstack-test' % ctx.account
            d['Policies'] = []
            out.append(d)
        page, token = paginate(out, p.get('NextToken'), p.get('MaxResults'), 10)
        res = {'Parameters': page}
        if token:
            res['NextToken'] = token
        return res

    def DeleteParameter(self, ctx, p):
        self._param(ctx, p['Name'])
        del self._params(ctx)[p['Name']]
        return {}

    def _tagged(self, ctx, p):
        if p['ResourceType'] != 'Parameter':
            raise AwsError('InvalidResourceType', 'The resource type is not valid (only '
                           'Parameter is emulated).')
        rec = self._params(ctx).get(p['ResourceId'])
        if rec is None:
            raise AwsError('InvalidResourceId', 'The resource ID is not valid. Verify that you '
                           'entered the correct ID and try again.')
        return rec

    def AddTagsToResource(self, ctx, p):
        rec = self._tagged(ctx, p)
        tags = dict(rec['Tags'])
        tags.update({t['Key']: t['Value'] for t in p['Tags']})
        if len(tags) > 50:
            raise AwsError('TooManyTagsError', 'The Targets parameter includes too many tags.')
        rec['Tags'] = tags
        return {}

    def RemoveTagsFromResource(self, ctx, p):
        rec = self._tagged(ctx, p)
        for k in p['TagKeys']:
            rec['Tags'].pop(k, None)
        return {}

    def ListTagsForResource(self, ctx, p):
        rec = self._tagged(ctx, p)
        return {'TagList': [{'Key': k, 'Value': v} for k, v in sorted(rec['Tags'].items())]}
