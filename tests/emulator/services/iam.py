"""IAM: users, access keys, inline and managed policies, roles, instance
profiles, tags.  Global (not regional).  Policy documents are returned
URL-encoded, as IAM does.  Records are stored shaped like IAM's output
shapes, with private fields (_policies, _attached ...) that are not sent."""

import json
from urllib.parse import quote

from store import AwsError, Service, dict_to_tags, now, paginate, secret, tags_to_dict, upper_id

AWS_MANAGED = [
    'AdministratorAccess', 'ReadOnlyAccess', 'PowerUserAccess', 'AmazonS3FullAccess',
    'AmazonS3ReadOnlyAccess', 'AmazonEC2FullAccess', 'AmazonEC2ReadOnlyAccess',
    'AmazonEC2ContainerRegistryFullAccess', 'AmazonEC2ContainerRegistryPowerUser',
    'AmazonEC2ContainerRegistryReadOnly', 'AmazonECS_FullAccess', 'AWSLambda_FullAccess',
    'AmazonSSMManagedInstanceCore', 'CloudWatchAgentServerPolicy', 'CloudWatchLogsFullAccess',
    'AmazonSNSFullAccess', 'AmazonRDSFullAccess', 'AmazonVPCFullAccess',
    'service-role/AmazonECSTaskExecutionRolePolicy',
    'service-role/AmazonEC2ContainerServiceforEC2Role',
    'service-role/AmazonEC2ContainerServiceRole',
    'service-role/AWSLambdaBasicExecutionRole', 'service-role/AWSLambdaRole',
    'service-role/AmazonEC2RoleforSSM',
]
ACCOUNT_POLICY_PREFIX = 'arn:aws:iam::123456789012:policy'


def _doc(text):
    """Validate a policy document; IAM wants JSON."""
    try:
        json.loads(text)
    except (TypeError, ValueError):
        raise AwsError('MalformedPolicyDocument', 'Syntax errors in policy.')
    return text


def _no_such(kind, name):
    return AwsError('NoSuchEntity', 'The %s with name %s cannot be found.' % (kind, name), 404)


def _exists(kind, name):
    return AwsError('EntityAlreadyExists', '%s with name %s already exists.'
                    % (kind, name), 409)


def _conflict(msg):
    return AwsError('DeleteConflict', msg, 409)


def _page(p, items, key):
    page, marker = paginate(items, p.get('Marker'), p.get('MaxItems'), 100)
    out = {key: page, 'IsTruncated': marker is not None}
    if marker:
        out['Marker'] = marker
    return out


class Handler(Service):
    model = 'iam'

    # ---------------------------------------------------------------- helpers

    def credentials_for(self, access_key):
        for user in self.gtable('users').values():
            key = user.get('_keys', {}).get(access_key)
            if key and key['Status'] == 'Active':
                return {'access_key': access_key, 'secret': key['_secret'],
                        'arn': user['Arn'], 'user_id': user['UserId'],
                        'account': '123456789012'}
        return None

    def _get(self, table, kind, name):
        rec = self.gtable(table).get(name)
        if rec is None:
            raise _no_such(kind, name)
        return rec

    def _policy(self, arn):
        if arn.startswith('arn:aws:iam::aws:policy/'):
            name = arn[len('arn:aws:iam::aws:policy/'):]
            if name in AWS_MANAGED:
                return self._aws_policy(name)
        rec = self.gtable('policies').get(arn)
        if rec is None:
            raise AwsError('NoSuchEntity', 'Policy %s does not exist or is not attachable.'
                           % arn, 404)
        return rec

    def _aws_policy(self, name):
        table = self.gtable('aws_policies')
        if name not in table:
            path = '/' + name.rsplit('/', 1)[0] + '/' if '/' in name else '/'
            short = name.rsplit('/', 1)[-1]
            table[name] = {'PolicyName': short, 'PolicyId': upper_id('ANPA'), 'Path': path,
                           'Arn': 'arn:aws:iam::aws:policy/' + name, 'DefaultVersionId': 'v1',
                           'AttachmentCount': 0, 'IsAttachable': True,
                           'CreateDate': 1420070400.0, 'UpdateDate': 1420070400.0,
                           '_versions': {'v1': {'Document': '{"Version":"2012-10-17",'
                                                '"Statement":[{"Effect":"Allow","Action":"*",'
                                                '"Resource":"*"}]}', 'CreateDate': 1420070400.0}}}
        return table[name]

    def _new_entity(self, table, kind, name_key, name, id_prefix, p, extra):
        if name in self.gtable(table):
            raise _exists(kind, name)
        path = p.get('Path') or '/'
        rec = {'Path': path, name_key: name, id_prefix[1]: upper_id(id_prefix[0]),
               'Arn': 'arn:aws:iam::123456789012:%s%s%s' % (kind.lower().replace(' ', '-'),
                                                           path, name),
               'CreateDate': now(), 'Tags': p.get('Tags') or []}
        rec.update(extra)
        self.gtable(table)[name] = rec
        return rec

    @staticmethod
    def _tag(rec, tags):
        merged = tags_to_dict(rec.get('Tags'))
        merged.update(tags_to_dict(tags))
        rec['Tags'] = dict_to_tags(merged)

    @staticmethod
    def _untag(rec, keys):
        rec['Tags'] = [t for t in rec.get('Tags', []) if t['Key'] not in keys]

    def _attach(self, rec, arn):
        policy = self._policy(arn)
        if arn not in rec.setdefault('_attached', []):
            rec['_attached'].append(arn)
            policy['AttachmentCount'] = policy.get('AttachmentCount', 0) + 1

    def _detach(self, rec, arn, kind):
        if arn not in rec.get('_attached', []):
            raise AwsError('NoSuchEntity', 'Policy %s was not found.' % arn, 404)
        rec['_attached'].remove(arn)
        try:
            policy = self._policy(arn)
            policy['AttachmentCount'] = max(0, policy.get('AttachmentCount', 1) - 1)
        except AwsError:
            pass

    def _attached_list(self, rec, p):
        items = [{'PolicyArn': a, 'PolicyName': a.rsplit('/', 1)[-1]}
                 for a in rec.get('_attached', [])]
        return _page(p, items, 'AttachedPolicies')

    # ---------------------------------------------------------------- users

    def CreateUser(self, ctx, p):
        user = self._new_entity('users', 'User', 'UserName', p['UserName'],
                                ('AIDA', 'UserId'), p, {'_policies': {}, '_attached': [],
                                                        '_keys': {}})
        return {'User': user}

    def GetUser(self, ctx, p):
        if 'UserName' not in p:
            return {'User': {'UserName': 'cpstack-test', 'Path': '/',
                             'UserId': ctx.principal.get('user_id'),
                             'Arn': ctx.principal.get('arn'), 'CreateDate': 1420070400.0}}
        return {'User': self._get('users', 'user', p['UserName'])}

    def ListUsers(self, ctx, p):
        prefix = p.get('PathPrefix') or '/'
        users = [u for u in self.gtable('users').values() if u['Path'].startswith(prefix)]
        return _page(p, users, 'Users')

    def UpdateUser(self, ctx, p):
        user = self._get('users', 'user', p['UserName'])
        if p.get('NewPath'):
            user['Path'] = p['NewPath']
        if p.get('NewUserName'):
            new = p['NewUserName']
            if new in self.gtable('users'):
                raise _exists('User', new)
            del self.gtable('users')[user['UserName']]
            user['UserName'] = new
            self.gtable('users')[new] = user
        user['Arn'] = 'arn:aws:iam::123456789012:user%s%s' % (user['Path'], user['UserName'])
        return {}

    def DeleteUser(self, ctx, p):
        user = self._get('users', 'user', p['UserName'])
        if user.get('_keys') or user.get('_policies') or user.get('_attached'):
            raise _conflict('Cannot delete entity, must delete access keys, policies and '
                            'detach managed policies first.')
        del self.gtable('users')[p['UserName']]
        return {}

    def TagUser(self, ctx, p):
        self._tag(self._get('users', 'user', p['UserName']), p['Tags'])
        return {}

    def UntagUser(self, ctx, p):
        self._untag(self._get('users', 'user', p['UserName']), p['TagKeys'])
        return {}

    def ListUserTags(self, ctx, p):
        return {'Tags': self._get('users', 'user', p['UserName']).get('Tags', []),
                'IsTruncated': False}

    # ---------------------------------------------------------------- access keys

    def CreateAccessKey(self, ctx, p):
        user = self._get('users', 'user', p['UserName'])
        if len(user['_keys']) >= 2:
            raise AwsError('LimitExceeded', 'Cannot exceed quota for AccessKeysPerUser: 2', 409)
        key_id = upper_id('AKIA')
        key = {'UserName': user['UserName'], 'AccessKeyId': key_id, 'Status': 'Active',
               'CreateDate': now(), '_secret': secret()}
        user['_keys'][key_id] = key
        return {'AccessKey': dict(key, SecretAccessKey=key['_secret'])}

    def _key(self, p):
        user = self._get('users', 'user', p['UserName'])
        key = user['_keys'].get(p['AccessKeyId'])
        if key is None:
            raise AwsError('NoSuchEntity', 'The Access Key with id %s cannot be found.'
                           % p['AccessKeyId'], 404)
        return user, key

    def ListAccessKeys(self, ctx, p):
        user = self._get('users', 'user', p['UserName'])
        return _page(p, list(user['_keys'].values()), 'AccessKeyMetadata')

    def UpdateAccessKey(self, ctx, p):
        self._key(p)[1]['Status'] = p['Status']
        return {}

    def DeleteAccessKey(self, ctx, p):
        user, key = self._key(p)
        del user['_keys'][key['AccessKeyId']]
        return {}

    def GetAccessKeyLastUsed(self, ctx, p):
        for user in self.gtable('users').values():
            if p['AccessKeyId'] in user['_keys']:
                return {'UserName': user['UserName'],
                        'AccessKeyLastUsed': {'ServiceName': 'N/A', 'Region': 'N/A'}}
        raise AwsError('AccessDenied', 'Access key not found', 403)

    # ---------------------------------------------------------------- inline policies

    def _put_inline(self, rec, p):
        rec.setdefault('_policies', {})[p['PolicyName']] = _doc(p['PolicyDocument'])
        return {}

    def _get_inline(self, rec, p, name_key):
        doc = rec.get('_policies', {}).get(p['PolicyName'])
        if doc is None:
            raise AwsError('NoSuchEntity', 'The %s policy with name %s cannot be found.'
                           % (name_key[:-4].lower(), p['PolicyName']), 404)
        return {name_key: rec[name_key], 'PolicyName': p['PolicyName'],
                'PolicyDocument': quote(doc)}

    def _delete_inline(self, rec, p, name_key):
        self._get_inline(rec, p, name_key)
        del rec['_policies'][p['PolicyName']]
        return {}

    def PutUserPolicy(self, ctx, p):
        return self._put_inline(self._get('users', 'user', p['UserName']), p)

    def GetUserPolicy(self, ctx, p):
        return self._get_inline(self._get('users', 'user', p['UserName']), p, 'UserName')

    def DeleteUserPolicy(self, ctx, p):
        return self._delete_inline(self._get('users', 'user', p['UserName']), p, 'UserName')

    def ListUserPolicies(self, ctx, p):
        user = self._get('users', 'user', p['UserName'])
        return _page(p, sorted(user.get('_policies', {})), 'PolicyNames')

    def PutRolePolicy(self, ctx, p):
        return self._put_inline(self._get('roles', 'role', p['RoleName']), p)

    def GetRolePolicy(self, ctx, p):
        return self._get_inline(self._get('roles', 'role', p['RoleName']), p, 'RoleName')

    def DeleteRolePolicy(self, ctx, p):
        return self._delete_inline(self._get('roles', 'role', p['RoleName']), p, 'RoleName')

    def ListRolePolicies(self, ctx, p):
        role = self._get('roles', 'role', p['RoleName'])
        return _page(p, sorted(role.get('_policies', {})), 'PolicyNames')

    # ---------------------------------------------------------------- managed policies

    def CreatePolicy(self, ctx, p):
        path = p.get('Path') or '/'
        arn = '%s%s%s' % (ACCOUNT_POLICY_PREFIX, path, p['PolicyName'])
        if any(x['PolicyName'] == p['PolicyName'] for x in self.gtable('policies').values()):
            raise AwsError('EntityAlreadyExists', 'A policy called %s already exists. '
                           'Duplicate names are not allowed.' % p['PolicyName'], 409)
        t = now()
        rec = {'PolicyName': p['PolicyName'], 'PolicyId': upper_id('ANPA'), 'Arn': arn,
               'Path': path, 'DefaultVersionId': 'v1', 'AttachmentCount': 0,
               'PermissionsBoundaryUsageCount': 0, 'IsAttachable': True,
               'Description': p.get('Description'), 'CreateDate': t, 'UpdateDate': t,
               'Tags': p.get('Tags') or [],
               '_versions': {'v1': {'Document': _doc(p['PolicyDocument']), 'CreateDate': t}},
               '_next_version': 2}
        self.gtable('policies')[arn] = rec
        return {'Policy': rec}

    def GetPolicy(self, ctx, p):
        return {'Policy': self._policy(p['PolicyArn'])}

    def ListPolicies(self, ctx, p):
        scope = p.get('Scope') or 'All'
        items = []
        if scope in ('All', 'AWS'):
            items += [self._aws_policy(n) for n in AWS_MANAGED]
        if scope in ('All', 'Local'):
            items += list(self.gtable('policies').values())
        if p.get('OnlyAttached'):
            items = [x for x in items if x.get('AttachmentCount')]
        prefix = p.get('PathPrefix') or '/'
        items = [x for x in items if x['Path'].startswith(prefix)]
        return _page(p, items, 'Policies')

    def DeletePolicy(self, ctx, p):
        rec = self._policy(p['PolicyArn'])
        if rec.get('AttachmentCount'):
            raise _conflict('Cannot delete a policy attached to entities.')
        if len(rec['_versions']) > 1:
            raise _conflict('This policy has more than one version. Before you delete a '
                            'policy, you must delete the policy\'s versions. The default '
                            'version is deleted with the policy.')
        del self.gtable('policies')[p['PolicyArn']]
        return {}

    def _version(self, rec, vid):
        version = rec['_versions'].get(vid)
        if version is None:
            raise AwsError('NoSuchEntity', 'Policy %s version %s does not exist or is not '
                           'attachable.' % (rec['Arn'], vid), 404)
        return {'Document': quote(version['Document']), 'VersionId': vid,
                'IsDefaultVersion': vid == rec['DefaultVersionId'],
                'CreateDate': version['CreateDate']}

    def GetPolicyVersion(self, ctx, p):
        return {'PolicyVersion': self._version(self._policy(p['PolicyArn']), p['VersionId'])}

    def CreatePolicyVersion(self, ctx, p):
        rec = self._policy(p['PolicyArn'])
        if len(rec['_versions']) >= 5:
            raise AwsError('LimitExceeded', 'A managed policy can have up to 5 versions. '
                           'Before you create a new version, you must delete an existing '
                           'version.', 409)
        vid = 'v%d' % rec['_next_version']
        rec['_next_version'] += 1
        rec['_versions'][vid] = {'Document': _doc(p['PolicyDocument']), 'CreateDate': now()}
        if p.get('SetAsDefault'):
            rec['DefaultVersionId'] = vid
            rec['UpdateDate'] = now()
        return {'PolicyVersion': self._version(rec, vid)}

    def ListPolicyVersions(self, ctx, p):
        rec = self._policy(p['PolicyArn'])
        versions = [self._version(rec, v) for v in rec['_versions']]
        for v in versions:
            del v['Document']
        return _page(p, versions, 'Versions')

    def DeletePolicyVersion(self, ctx, p):
        rec = self._policy(p['PolicyArn'])
        self._version(rec, p['VersionId'])
        if p['VersionId'] == rec['DefaultVersionId']:
            raise _conflict('Cannot delete the default version of a policy.')
        del rec['_versions'][p['VersionId']]
        return {}

    def SetDefaultPolicyVersion(self, ctx, p):
        rec = self._policy(p['PolicyArn'])
        self._version(rec, p['VersionId'])
        rec['DefaultVersionId'] = p['VersionId']
        return {}

    def TagPolicy(self, ctx, p):
        self._tag(self._policy(p['PolicyArn']), p['Tags'])
        return {}

    def UntagPolicy(self, ctx, p):
        self._untag(self._policy(p['PolicyArn']), p['TagKeys'])
        return {}

    def ListPolicyTags(self, ctx, p):
        return {'Tags': self._policy(p['PolicyArn']).get('Tags', []), 'IsTruncated': False}

    def ListEntitiesForPolicy(self, ctx, p):
        arn = p['PolicyArn']
        self._policy(arn)
        users = [{'UserName': u['UserName'], 'UserId': u['UserId']}
                 for u in self.gtable('users').values() if arn in u.get('_attached', [])]
        roles = [{'RoleName': r['RoleName'], 'RoleId': r['RoleId']}
                 for r in self.gtable('roles').values() if arn in r.get('_attached', [])]
        return {'PolicyUsers': users, 'PolicyRoles': roles, 'PolicyGroups': [],
                'IsTruncated': False}

    def AttachUserPolicy(self, ctx, p):
        self._attach(self._get('users', 'user', p['UserName']), p['PolicyArn'])
        return {}

    def DetachUserPolicy(self, ctx, p):
        self._detach(self._get('users', 'user', p['UserName']), p['PolicyArn'], 'user')
        return {}

    def ListAttachedUserPolicies(self, ctx, p):
        return self._attached_list(self._get('users', 'user', p['UserName']), p)

    def AttachRolePolicy(self, ctx, p):
        self._attach(self._get('roles', 'role', p['RoleName']), p['PolicyArn'])
        return {}

    def DetachRolePolicy(self, ctx, p):
        self._detach(self._get('roles', 'role', p['RoleName']), p['PolicyArn'], 'role')
        return {}

    def ListAttachedRolePolicies(self, ctx, p):
        return self._attached_list(self._get('roles', 'role', p['RoleName']), p)

    # ---------------------------------------------------------------- roles

    def CreateRole(self, ctx, p):
        role = self._new_entity('roles', 'Role', 'RoleName', p['RoleName'], ('AROA', 'RoleId'),
                                p, {'AssumeRolePolicyDocument': _doc(p['AssumeRolePolicyDocument']),
                                    'Description': p.get('Description'),
                                    'MaxSessionDuration': p.get('MaxSessionDuration') or 3600,
                                    '_policies': {}, '_attached': []})
        return {'Role': self._role_out(role)}

    @staticmethod
    def _role_out(role):
        return dict(role, AssumeRolePolicyDocument=quote(role['AssumeRolePolicyDocument']))

    def GetRole(self, ctx, p):
        return {'Role': self._role_out(self._get('roles', 'role', p['RoleName']))}

    def ListRoles(self, ctx, p):
        # As AWS: listing leaves out PermissionsBoundary, RoleLastUsed and Tags.
        prefix = p.get('PathPrefix') or '/'
        roles = [{k: v for k, v in self._role_out(r).items()
                  if k not in ('Tags', 'PermissionsBoundary', 'RoleLastUsed')}
                 for r in self.gtable('roles').values() if r['Path'].startswith(prefix)]
        return _page(p, roles, 'Roles')

    def GetAccountAuthorizationDetails(self, ctx, p):
        # Roles only (Filter Role, or no filter): every role with its inline
        # policies, attached policies, instance profiles and tags; no
        # Description or MaxSessionDuration (RoleDetail has none), as AWS.
        wanted = p.get('Filter') or ['Role']
        roles = []
        if 'Role' in wanted:
            for r in sorted(self.gtable('roles').values(), key=lambda r: r['RoleName']):
                roles.append({
                    'Path': r['Path'], 'RoleName': r['RoleName'], 'RoleId': r['RoleId'],
                    'Arn': r['Arn'], 'CreateDate': r['CreateDate'],
                    'AssumeRolePolicyDocument': quote(r['AssumeRolePolicyDocument']),
                    'Tags': r.get('Tags') or [],
                    'RolePolicyList': [{'PolicyName': n, 'PolicyDocument': quote(d)}
                                       for n, d in sorted(r.get('_policies', {}).items())],
                    'AttachedManagedPolicies': [
                        {'PolicyArn': a, 'PolicyName': a.rsplit('/', 1)[-1]}
                        for a in r.get('_attached', [])],
                    'InstanceProfileList': [
                        dict(ip, Roles=[]) for ip in self.gtable('profiles').values()
                        if r['RoleName'] in ip.get('_roles', [])]})
        page, marker = paginate(roles, p.get('Marker'), p.get('MaxItems'), 100)
        out = {'RoleDetailList': page, 'UserDetailList': [], 'GroupDetailList': [],
               'Policies': [], 'IsTruncated': marker is not None}
        if marker:
            out['Marker'] = marker
        return out

    def UpdateRole(self, ctx, p):
        role = self._get('roles', 'role', p['RoleName'])
        if 'Description' in p:
            role['Description'] = p['Description']
        if p.get('MaxSessionDuration'):
            role['MaxSessionDuration'] = p['MaxSessionDuration']
        return {}

    def UpdateRoleDescription(self, ctx, p):
        role = self._get('roles', 'role', p['RoleName'])
        role['Description'] = p['Description']
        return {'Role': self._role_out(role)}

    def UpdateAssumeRolePolicy(self, ctx, p):
        role = self._get('roles', 'role', p['RoleName'])
        role['AssumeRolePolicyDocument'] = _doc(p['PolicyDocument'])
        return {}

    def DeleteRole(self, ctx, p):
        role = self._get('roles', 'role', p['RoleName'])
        if role.get('_policies') or role.get('_attached'):
            raise _conflict('Cannot delete entity, must delete policies first.')
        if any(p['RoleName'] in ip['_roles'] for ip in self.gtable('profiles').values()):
            raise _conflict('Cannot delete entity, must remove roles from instance '
                            'profile first.')
        del self.gtable('roles')[p['RoleName']]
        return {}

    def TagRole(self, ctx, p):
        self._tag(self._get('roles', 'role', p['RoleName']), p['Tags'])
        return {}

    def UntagRole(self, ctx, p):
        self._untag(self._get('roles', 'role', p['RoleName']), p['TagKeys'])
        return {}

    def ListRoleTags(self, ctx, p):
        return {'Tags': self._get('roles', 'role', p['RoleName']).get('Tags', []),
                'IsTruncated': False}

    # ---------------------------------------------------------------- instance profiles

    def _profile_out(self, prof):
        roles = [self._role_out(self.gtable('roles')[r]) for r in prof['_roles']
                 if r in self.gtable('roles')]
        return dict(prof, Roles=roles)

    def CreateInstanceProfile(self, ctx, p):
        prof = self._new_entity('profiles', 'Instance profile', 'InstanceProfileName',
                                p['InstanceProfileName'], ('AIPA', 'InstanceProfileId'), p,
                                {'_roles': []})
        prof['Arn'] = 'arn:aws:iam::123456789012:instance-profile%s%s' % (
            prof['Path'], prof['InstanceProfileName'])
        return {'InstanceProfile': self._profile_out(prof)}

    def GetInstanceProfile(self, ctx, p):
        prof = self._get('profiles', 'instance profile', p['InstanceProfileName'])
        return {'InstanceProfile': self._profile_out(prof)}

    def ListInstanceProfiles(self, ctx, p):
        prefix = p.get('PathPrefix') or '/'
        profs = [self._profile_out(x) for x in self.gtable('profiles').values()
                 if x['Path'].startswith(prefix)]
        return _page(p, profs, 'InstanceProfiles')

    def ListInstanceProfilesForRole(self, ctx, p):
        self._get('roles', 'role', p['RoleName'])
        profs = [self._profile_out(x) for x in self.gtable('profiles').values()
                 if p['RoleName'] in x['_roles']]
        return _page(p, profs, 'InstanceProfiles')

    def DeleteInstanceProfile(self, ctx, p):
        prof = self._get('profiles', 'instance profile', p['InstanceProfileName'])
        if prof['_roles']:
            raise _conflict('Cannot delete entity, must remove roles from instance '
                            'profile first.')
        del self.gtable('profiles')[p['InstanceProfileName']]
        return {}

    def AddRoleToInstanceProfile(self, ctx, p):
        prof = self._get('profiles', 'instance profile', p['InstanceProfileName'])
        self._get('roles', 'role', p['RoleName'])
        if prof['_roles']:
            raise AwsError('LimitExceeded', 'Cannot exceed quota for '
                           'InstanceSessionsPerInstanceProfile: 1', 409)
        prof['_roles'].append(p['RoleName'])
        return {}

    def RemoveRoleFromInstanceProfile(self, ctx, p):
        prof = self._get('profiles', 'instance profile', p['InstanceProfileName'])
        if p['RoleName'] not in prof['_roles']:
            raise _no_such('role', p['RoleName'])
        prof['_roles'].remove(p['RoleName'])
        return {}

    def TagInstanceProfile(self, ctx, p):
        self._tag(self._get('profiles', 'instance profile', p['InstanceProfileName']),
                  p['Tags'])
        return {}

    def UntagInstanceProfile(self, ctx, p):
        self._untag(self._get('profiles', 'instance profile', p['InstanceProfileName']),
                    p['TagKeys'])
        return {}

    def ListInstanceProfileTags(self, ctx, p):
        prof = self._get('profiles', 'instance profile', p['InstanceProfileName'])
        return {'Tags': prof.get('Tags', []), 'IsTruncated': False}
