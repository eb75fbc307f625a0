"""ECR: repositories, lifecycle policies, repository policies, tags.
(Image pushes are out of scope: stacks take the image tag as a variable.)"""

import json
import re

from store import AwsError, Service, now, paginate

NAME_RE = re.compile(r'^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$')


def _not_found(name):
    return AwsError('RepositoryNotFoundException', "The repository with name '%s' does not "
                    "exist in the registry with id '123456789012'" % name)


class Handler(Service):
    model = 'ecr'

    def _repo(self, ctx, name):
        repo = self.table(ctx, 'repositories').get(name)
        if repo is None:
            raise _not_found(name)
        return repo

    def _by_arn(self, ctx, arn):
        return self._repo(ctx, arn.split(':repository/', 1)[-1])

    def CreateRepository(self, ctx, p):
        name = p['repositoryName']
        if not 2 <= len(name) <= 256 or not NAME_RE.match(name):
            raise AwsError('InvalidParameterException', "Invalid parameter at 'repositoryName' "
                           "failed to satisfy constraint: 'must satisfy regular expression "
                           "'(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''")
        repos = self.table(ctx, 'repositories')
        if name in repos:
            raise AwsError('RepositoryAlreadyExistsException', "The repository with name '%s' "
                           "already exists in the registry with id '123456789012'" % name)
        repos[name] = {
            'repositoryName': name, 'registryId': ctx.account, 'createdAt': now(),
            'repositoryArn': ctx.arn('ecr', 'repository/' + name),
            'repositoryUri': '%s.dkr.ecr.%s.amazonaws.com/%s' % (ctx.account, ctx.region, name),
            'imageTagMutability': p.get('imageTagMutability') or 'MUTABLE',
            'imageScanningConfiguration': p.get('imageScanningConfiguration') or
            {'scanOnPush': False},
            'encryptionConfiguration': p.get('encryptionConfiguration') or
            {'encryptionType': 'AES256'}, 'tags': p.get('tags') or [], 'images': []}
        return {'repository': repos[name]}

    def DescribeRepositories(self, ctx, p):
        repos = self.table(ctx, 'repositories')
        names = p.get('repositoryNames')
        items = [self._repo(ctx, n) for n in names] if names else list(repos.values())
        page, token = paginate(items, p.get('nextToken'), p.get('maxResults'))
        return {'repositories': page, 'nextToken': token}

    def DeleteRepository(self, ctx, p):
        repo = self._repo(ctx, p['repositoryName'])
        if repo['images'] and not p.get('force'):
            raise AwsError('RepositoryNotEmptyException', "The repository with name '%s' in "
                           "registry with id '123456789012' cannot be deleted because it still "
                           "contains images" % p['repositoryName'])
        del self.table(ctx, 'repositories')[p['repositoryName']]
        return {'repository': repo}

    def PutImageTagMutability(self, ctx, p):
        repo = self._repo(ctx, p['repositoryName'])
        repo['imageTagMutability'] = p['imageTagMutability']
        return {'registryId': ctx.account, 'repositoryName': repo['repositoryName'],
                'imageTagMutability': p['imageTagMutability']}

    def PutImageScanningConfiguration(self, ctx, p):
        repo = self._repo(ctx, p['repositoryName'])
        repo['imageScanningConfiguration'] = p['imageScanningConfiguration']
        return {'registryId': ctx.account, 'repositoryName': repo['repositoryName'],
                'imageScanningConfiguration': p['imageScanningConfiguration']}

    @staticmethod
    def _json(text, what):
        try:
            json.loads(text)
        except ValueError:
            raise AwsError('InvalidParameterException', 'Invalid parameter at \'%s\' failed to '
                           'satisfy constraint: \'Invalid JSON syntax\'' % what)
        return text

    def PutLifecyclePolicy(self, ctx, p):
        repo = self._repo(ctx, p['repositoryName'])
        repo['lifecyclePolicyText'] = self._json(p['lifecyclePolicyText'], 'LifecyclePolicyText')
        repo['lifecyclePolicyUpdated'] = now()
        return {'registryId': ctx.account, 'repositoryName': repo['repositoryName'],
                'lifecyclePolicyText': repo['lifecyclePolicyText']}

    def GetLifecyclePolicy(self, ctx, p):
        repo = self._repo(ctx, p['repositoryName'])
        if not repo.get('lifecyclePolicyText'):
            raise AwsError('LifecyclePolicyNotFoundException', "Lifecycle policy does not exist "
                           "for the repository with name '%s' in the registry with id "
                           "'123456789012'" % p['repositoryName'])
        return {'registryId': ctx.account, 'repositoryName': repo['repositoryName'],
                'lifecyclePolicyText': repo['lifecyclePolicyText'],
                'lastEvaluatedAt': repo['lifecyclePolicyUpdated']}

    def DeleteLifecyclePolicy(self, ctx, p):
        out = self.GetLifecyclePolicy(ctx, p)
        self._repo(ctx, p['repositoryName']).pop('lifecyclePolicyText')
        return out

    def SetRepositoryPolicy(self, ctx, p):
        repo = self._repo(ctx, p['repositoryName'])
        repo['policyText'] = self._json(p['policyText'], 'PolicyText')
        return {'registryId': ctx.account, 'repositoryName': repo['repositoryName'],
                'policyText': repo['policyText']}

    def GetRepositoryPolicy(self, ctx, p):
        repo = self._repo(ctx, p['repositoryName'])
        if not repo.get('policyText'):
            raise AwsError('RepositoryPolicyNotFoundException', "Repository policy does not "
                           "exist for the repository with name '%s' in the registry with id "
                           "'123456789012'" % p['repositoryName'])
        return {'registryId': ctx.account, 'repositoryName': repo['repositoryName'],
                'policyText': repo['policyText']}

    def DeleteRepositoryPolicy(self, ctx, p):
        out = self.GetRepositoryPolicy(ctx, p)
        self._repo(ctx, p['repositoryName']).pop('policyText')
        return out

    def TagResource(self, ctx, p):
        repo = self._by_arn(ctx, p['resourceArn'])
        tags = {t['Key']: t['Value'] for t in repo['tags']}
        tags.update({t['Key']: t['Value'] for t in p['tags']})
        repo['tags'] = [{'Key': k, 'Value': v} for k, v in sorted(tags.items())]
        return {}

    def UntagResource(self, ctx, p):
        repo = self._by_arn(ctx, p['resourceArn'])
        repo['tags'] = [t for t in repo['tags'] if t['Key'] not in p['tagKeys']]
        return {}

    def ListTagsForResource(self, ctx, p):
        return {'tags': self._by_arn(ctx, p['resourceArn'])['tags']}

    def GetAuthorizationToken(self, ctx, p):
        import base64
        return {'authorizationData': [{
            'authorizationToken': base64.b64encode(b'AWS:emulated-token').decode(),
            'expiresAt': now() + 43200,
            'proxyEndpoint': 'https://%s.dkr.ecr.%s.amazonaws.com' % (ctx.account, ctx.region)}]}
