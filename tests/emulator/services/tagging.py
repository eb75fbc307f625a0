"""Resource Groups Tagging API: GetResources over the tags the other
services hold (S3 buckets, SNS topics, CloudWatch Logs log groups, SSM parameters and more).

As on AWS, only resources that carry tags are listed (a resource never
tagged is absent), ResourceARNList (at most 100) cannot be combined with
ResourceTypeFilters or TagFilters, and pages hold at most 100 resources.
Reads only; it changes nothing."""

from store import AwsError, Service, paginate


def _pairs(tags):
    if isinstance(tags, dict):
        return [{'Key': k, 'Value': v} for k, v in sorted(tags.items())]
    return [{'Key': t['Key'], 'Value': t['Value']} for t in tags or []]


class Handler(Service):
    model = 'resourcegroupstaggingapi'

    def _tagged(self, ctx):
        """(resource type, arn, tag pairs) of every tagged resource in ctx's region."""
        services = self.server.services
        for b in services['s3'].gtable('buckets').values():
            if b.get('Region') == ctx.region and b.get('Tags'):
                yield 's3:bucket', 'arn:aws:s3:::' + b['Name'], _pairs(b['Tags'])
        for t in services['sns'].table(ctx, 'topics').values():
            if t.get('Tags'):
                yield 'sns:topic', t['TopicArn'], _pairs(t['Tags'])
        for g in services['logs'].table(ctx, 'groups').values():
            if g.get('_tags'):
                arn = g['arn'][:-2] if g['arn'].endswith(':*') else g['arn']
                yield 'logs:log-group', arn, _pairs(g['_tags'])
        for a in services['cloudwatch'].table(ctx, 'alarms').values():
            if a.get('Tags'):
                yield 'cloudwatch:alarm', a['AlarmArn'], _pairs(a['Tags'])
        for r in services['ecr'].table(ctx, 'repositories').values():
            if r.get('tags'):
                yield 'ecr:repository', r['repositoryArn'], _pairs(r['tags'])
        for f in services['lambda']._functions(ctx.region).values():
            if f.get('_tags'):
                yield 'lambda:function', f['FunctionArn'], _pairs(f['_tags'])
        for r in services['ssm'].table(ctx, 'parameters').values():
            if r.get('Tags'):
                yield 'ssm:parameter', r['ARN'], _pairs(r['Tags'])

    def GetResources(self, ctx, p):
        arns = p.get('ResourceARNList')
        types = p.get('ResourceTypeFilters')
        if arns and (types or p.get('TagFilters')):
            raise AwsError('InvalidParameterException', 'ResourceARNList cannot be combined '
                           'with ResourceTypeFilters or TagFilters.')
        if arns and len(arns) > 100:
            raise AwsError('InvalidParameterException', 'ResourceARNList holds at most 100 '
                           'ARNs.')
        out = []
        for kind, arn, tags in self._tagged(ctx):
            if arns is not None and arn not in arns:
                continue
            if types and not any(kind == t or kind.split(':')[0] == t for t in types):
                continue
            if not all(any(t['Key'] == f['Key'] and (not f.get('Values') or
                                                     t['Value'] in f['Values']) for t in tags)
                       for f in p.get('TagFilters') or []):
                continue
            out.append({'ResourceARN': arn, 'Tags': tags})
        page, token = paginate(out, p.get('PaginationToken'), p.get('ResourcesPerPage'), 100)
        return {'ResourceTagMappingList': page, 'PaginationToken': token or ''}
