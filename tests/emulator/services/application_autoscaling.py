"""Application Auto Scaling: scalable targets and scaling policies (target
tracking and step).  ECS targets must name an existing service, and a
policy needs a registered target, as on AWS.  A target tracking policy
reports the two CloudWatch alarms AWS would create for it."""

from store import AwsError, Service, new_uuid, now, paginate


def _page(p, items, key, most):
    """One page of items as AWS pages them: MaxResults 1..most (default most)."""
    size = p.get('MaxResults')
    if size is not None and not 1 <= size <= most:
        raise AwsError('ValidationException', 'MaxResults must be between 1 and %d' % most)
    page, nxt = paginate(items, p.get('NextToken'), size, most)
    out = {key: page}
    if nxt:
        out['NextToken'] = nxt
    return out


def _key(p):
    return '%s|%s|%s' % (p['ServiceNamespace'], p['ResourceId'], p['ScalableDimension'])


class Handler(Service):
    model = 'application-autoscaling'

    def _check_resource(self, ctx, p):
        if p['ServiceNamespace'] != 'ecs':
            return
        parts = p['ResourceId'].split('/')
        ecs = self.server.services['ecs']
        svc = ecs.table(ctx, 'services').get('/'.join(parts[1:3])) if len(parts) == 3 else None
        if svc is None or svc['status'] != 'ACTIVE':
            raise AwsError('ValidationException', 'ECS service doesn\'t exist: %s'
                           % p['ResourceId'])

    def RegisterScalableTarget(self, ctx, p):
        targets = self.table(ctx, 'targets')
        old = targets.get(_key(p))
        if old is None:
            self._check_resource(ctx, p)
            if p.get('MinCapacity') is None or p.get('MaxCapacity') is None:
                raise AwsError('ValidationException', 'MinCapacity and MaxCapacity are required '
                               'to register a new scalable target')
        target = dict(old or {'CreationTime': now(), 'RoleARN': p.get('RoleARN') or
                              'arn:aws:iam::123456789012:role/aws-service-role/ecs.application-'
                              'autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling'
                              '_ECSService', 'SuspendedState': {
                                  'DynamicScalingInSuspended': False,
                                  'DynamicScalingOutSuspended': False,
                                  'ScheduledScalingSuspended': False}})
        for k in ('ServiceNamespace', 'ResourceId', 'ScalableDimension', 'MinCapacity',
                  'MaxCapacity', 'SuspendedState'):
            if p.get(k) is not None:
                target[k] = p[k]
        if target['MinCapacity'] > target['MaxCapacity']:
            raise AwsError('ValidationException', 'Minimum capacity cannot be greater than '
                           'maximum capacity')
        target['ScalableTargetARN'] = ctx.arn('application-autoscaling',
                                              'scalable-target/' + new_uuid()[:12])
        targets[_key(p)] = target
        return {'ScalableTargetARN': target['ScalableTargetARN']}

    def DescribeScalableTargets(self, ctx, p):
        items = [t for t in self.table(ctx, 'targets').values()
                 if t['ServiceNamespace'] == p['ServiceNamespace']
                 and (not p.get('ResourceIds') or t['ResourceId'] in p['ResourceIds'])
                 and (not p.get('ScalableDimension') or
                      t['ScalableDimension'] == p['ScalableDimension'])]
        return _page(p, items, 'ScalableTargets', 50)

    def DeregisterScalableTarget(self, ctx, p):
        if self.table(ctx, 'targets').pop(_key(p), None) is None:
            raise AwsError('ObjectNotFoundException', 'No scalable target found for service '
                           'namespace: %s, resource ID: %s, scalable dimension: %s'
                           % (p['ServiceNamespace'], p['ResourceId'], p['ScalableDimension']))
        for k, pol in list(self.table(ctx, 'policies').items()):
            if k.startswith(_key(p) + '|'):
                del self.table(ctx, 'policies')[k]
        return {}

    def PutScalingPolicy(self, ctx, p):
        if _key(p) not in self.table(ctx, 'targets'):
            raise AwsError('ObjectNotFoundException', 'No scalable target registered for service '
                           'namespace: %s, resource ID: %s, scalable dimension: %s'
                           % (p['ServiceNamespace'], p['ResourceId'], p['ScalableDimension']))
        ptype = p.get('PolicyType') or 'StepScaling'
        if ptype == 'TargetTrackingScaling' and not p.get('TargetTrackingScalingPolicyConfiguration'):
            raise AwsError('ValidationException', 'TargetTrackingScalingPolicyConfiguration is '
                           'required for a TargetTrackingScaling policy')
        key = _key(p) + '|' + p['PolicyName']
        old = self.table(ctx, 'policies').get(key)
        arn = old['PolicyARN'] if old else ctx.arn(
            'autoscaling', 'scalingPolicy:%s:resource/%s/%s:policyName/%s' % (
                new_uuid(), p['ServiceNamespace'], p['ResourceId'], p['PolicyName']))
        alarms = []
        if ptype == 'TargetTrackingScaling':
            base = 'TargetTracking-%s' % p['ResourceId']
            alarms = [{'AlarmName': '%s-%s-%s' % (base, kind, new_uuid()),
                       'AlarmARN': ctx.arn('cloudwatch', 'alarm:%s-%s' % (base, kind))}
                      for kind in ('AlarmHigh', 'AlarmLow')]
        policy = {k: v for k, v in p.items() if v is not None}
        policy.update({'PolicyARN': arn, 'PolicyType': ptype, 'Alarms': alarms,
                       'CreationTime': old['CreationTime'] if old else now()})
        self.table(ctx, 'policies')[key] = policy
        return {'PolicyARN': arn, 'Alarms': alarms}

    def DescribeScalingPolicies(self, ctx, p):
        items = [x for x in self.table(ctx, 'policies').values()
                 if x['ServiceNamespace'] == p['ServiceNamespace']
                 and (not p.get('PolicyNames') or x['PolicyName'] in p['PolicyNames'])
                 and (not p.get('ResourceId') or x['ResourceId'] == p['ResourceId'])
                 and (not p.get('ScalableDimension') or
                      x['ScalableDimension'] == p['ScalableDimension'])]
        return _page(p, items, 'ScalingPolicies', 10)

    def DeleteScalingPolicy(self, ctx, p):
        key = _key(p) + '|' + p['PolicyName']
        if self.table(ctx, 'policies').pop(key, None) is None:
            raise AwsError('ObjectNotFoundException', 'No scaling policy found for service '
                           'namespace: %s, resource ID: %s, scalable dimension: %s, policy name: '
                           '%s' % (p['ServiceNamespace'], p['ResourceId'],
                                   p['ScalableDimension'], p['PolicyName']))
        return {}
