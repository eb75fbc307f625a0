"""CloudWatch Logs: log groups, retention policies, tags (both the old
log-group-name calls and the ARN-based ones)."""

from store import AwsError, Service, now, paginate

RETENTION_DAYS = {1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
                  2192, 2557, 2922, 3288, 3653}


def _not_found():
    return AwsError('ResourceNotFoundException', 'The specified log group does not exist.')


class Handler(Service):
    model = 'logs'

    def _group(self, ctx, name):
        g = self.table(ctx, 'groups').get(name)
        if g is None:
            raise _not_found()
        return g

    def CreateLogGroup(self, ctx, p):
        name = p['logGroupName']
        if name in self.table(ctx, 'groups'):
            raise AwsError('ResourceAlreadyExistsException', 'The specified log group already '
                           'exists')
        self.table(ctx, 'groups')[name] = {
            'logGroupName': name, 'creationTime': int(now() * 1000), 'metricFilterCount': 0,
            'arn': ctx.arn('logs', 'log-group:%s:*' % name), 'storedBytes': 0,
            'kmsKeyId': p.get('kmsKeyId'), '_tags': p.get('tags') or {}}
        return {}

    def DescribeLogGroups(self, ctx, p):
        groups = sorted(self.table(ctx, 'groups').values(), key=lambda g: g['logGroupName'])
        if p.get('logGroupNamePrefix'):
            groups = [g for g in groups if g['logGroupName'].startswith(p['logGroupNamePrefix'])]
        if p.get('logGroupNamePattern'):
            groups = [g for g in groups if p['logGroupNamePattern'] in g['logGroupName']]
        page, token = paginate(groups, p.get('nextToken'), p.get('limit'), 50)
        return {'logGroups': page, 'nextToken': token}

    def DeleteLogGroup(self, ctx, p):
        self._group(ctx, p['logGroupName'])
        del self.table(ctx, 'groups')[p['logGroupName']]
        return {}

    def PutRetentionPolicy(self, ctx, p):
        if p['retentionInDays'] not in RETENTION_DAYS:
            raise AwsError('InvalidParameterException', "1 validation error detected: Value "
                           "'%s' at 'retentionInDays' failed to satisfy constraint: Member must "
                           "satisfy enum value set: %s" % (p['retentionInDays'],
                                                           sorted(RETENTION_DAYS)))
        self._group(ctx, p['logGroupName'])['retentionInDays'] = p['retentionInDays']
        return {}

    def DeleteRetentionPolicy(self, ctx, p):
        self._group(ctx, p['logGroupName']).pop('retentionInDays', None)
        return {}

    def TagLogGroup(self, ctx, p):
        self._group(ctx, p['logGroupName'])['_tags'].update(p['tags'])
        return {}

    def UntagLogGroup(self, ctx, p):
        tags = self._group(ctx, p['logGroupName'])['_tags']
        for k in p['tags']:
            tags.pop(k, None)
        return {}

    def ListTagsLogGroup(self, ctx, p):
        return {'tags': self._group(ctx, p['logGroupName'])['_tags']}

    def _by_arn(self, ctx, arn):
        name = arn.split(':log-group:', 1)[-1]
        if name.endswith(':*'):
            name = name[:-2]
        return self._group(ctx, name)

    def TagResource(self, ctx, p):
        self._by_arn(ctx, p['resourceArn'])['_tags'].update(p['tags'])
        return {}

    def UntagResource(self, ctx, p):
        tags = self._by_arn(ctx, p['resourceArn'])['_tags']
        for k in p['tagKeys']:
            tags.pop(k, None)
        return {}

    def ListTagsForResource(self, ctx, p):
        return {'tags': self._by_arn(ctx, p['resourceArn'])['_tags']}
