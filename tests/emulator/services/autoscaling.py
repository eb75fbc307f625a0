"""EC2 Auto Scaling: groups built from launch templates (create, describe,
update, delete, desired capacity, target groups), tags.  Group members are
reported in the group (InService) but not started as EC2 instances."""

from store import AwsError, Service, ec2_id, new_uuid, now, paginate


def _err(code, msg, status=400):
    return AwsError(code, msg, status)


class Handler(Service):
    model = 'autoscaling'

    def _group(self, ctx, name):
        g = self.table(ctx, 'groups').get(name)
        if g is None:
            raise _err('ValidationError', 'AutoScalingGroup name not found - AutoScalingGroup '
                       '%s not found' % name)
        return g

    def _check_template(self, ctx, spec):
        if not spec:
            raise _err('ValidationError', 'Valid requests must contain either LaunchTemplate, '
                       'LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.')
        try:
            lt = self.server.services['ec2']._template(ctx, spec)
        except AwsError:
            raise _err('ValidationError', 'You must use a valid fully-formed launch template. '
                       'The specified launch template, with template %s, does not exist.'
                       % (spec.get('LaunchTemplateId') or spec.get('LaunchTemplateName')))
        return {'LaunchTemplateId': lt['LaunchTemplateId'],
                'LaunchTemplateName': lt['LaunchTemplateName'],
                'Version': spec.get('Version') or '$Default'}

    def _resize(self, ctx, g):
        """Keep one InService member per desired unit."""
        zones = g['AvailabilityZones'] or [ctx.region + 'a']
        while len(g['Instances']) < g['DesiredCapacity']:
            g['Instances'].append({'InstanceId': ec2_id('i'), 'InstanceType': 't3.micro',
                                   'AvailabilityZone': zones[len(g['Instances']) % len(zones)],
                                   'LifecycleState': 'InService', 'HealthStatus': 'Healthy',
                                   'LaunchTemplate': g['LaunchTemplate'],
                                   'ProtectedFromScaleIn': False})
        del g['Instances'][g['DesiredCapacity']:]

    def _check_sizes(self, g):
        if not g['MinSize'] <= g['DesiredCapacity'] <= g['MaxSize']:
            raise _err('ValidationError', 'Desired capacity:%d must be between the specified min '
                       'size:%d and max size:%d' % (g['DesiredCapacity'], g['MinSize'],
                                                    g['MaxSize']))

    def CreateAutoScalingGroup(self, ctx, p):
        name = p['AutoScalingGroupName']
        if name in self.table(ctx, 'groups'):
            raise _err('AlreadyExists', 'AutoScalingGroup by this name already exists - A group '
                       'with the name %s already exists' % name)
        subnet_ids = [s.strip() for s in (p.get('VPCZoneIdentifier') or '').split(',') if s]
        zones = list(p.get('AvailabilityZones') or [])
        if not zones and not subnet_ids:
            raise _err('ValidationError', 'At least one Availability Zone or VPC Subnet is '
                       'required.')
        template = self._check_template(ctx, p.get('LaunchTemplate'))
        ec2 = self.server.services['ec2']
        for sid in subnet_ids:
            try:
                zones.append(ec2.get(ctx, 'subnets', sid)['AvailabilityZone'])
            except AwsError:
                raise _err('ValidationError', 'The subnet ID \'%s\' does not exist' % sid)
        g = {'AutoScalingGroupName': name, 'LaunchTemplate': template,
             'AutoScalingGroupARN': ctx.arn('autoscaling', 'autoScalingGroup:%s:'
                                            'autoScalingGroupName/%s' % (new_uuid(), name)),
             'MinSize': p['MinSize'], 'MaxSize': p['MaxSize'],
             'DesiredCapacity': p.get('DesiredCapacity', p['MinSize']),
             'DefaultCooldown': p.get('DefaultCooldown') or 300,
             'AvailabilityZones': sorted(set(zones)), 'LoadBalancerNames': [],
             'TargetGroupARNs': p.get('TargetGroupARNs') or [],
             'HealthCheckType': p.get('HealthCheckType') or 'EC2',
             'HealthCheckGracePeriod': p.get('HealthCheckGracePeriod', 300), 'Instances': [],
             'CreatedTime': now(), 'VPCZoneIdentifier': ','.join(subnet_ids),
             'SuspendedProcesses': [], 'EnabledMetrics': [],
             'TerminationPolicies': p.get('TerminationPolicies') or ['Default'],
             'NewInstancesProtectedFromScaleIn': bool(p.get('NewInstancesProtectedFromScaleIn')),
             'ServiceLinkedRoleARN': 'arn:aws:iam::123456789012:role/aws-service-role/'
             'autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling', 'Tags': []}
        self._check_sizes(g)
        self._set_tags(g, p.get('Tags') or [])
        self._resize(ctx, g)
        self.table(ctx, 'groups')[name] = g
        return {}

    @staticmethod
    def _set_tags(g, tags):
        current = {t['Key']: t for t in g['Tags']}
        for t in tags:
            current[t['Key']] = {'Key': t['Key'], 'Value': t.get('Value', ''),
                                 'PropagateAtLaunch': bool(t.get('PropagateAtLaunch')),
                                 'ResourceId': g['AutoScalingGroupName'],
                                 'ResourceType': 'auto-scaling-group'}
        g['Tags'] = [current[k] for k in sorted(current)]

    def DescribeAutoScalingGroups(self, ctx, p):
        groups = list(self.table(ctx, 'groups').values())
        if p.get('AutoScalingGroupNames'):
            groups = [g for g in groups if g['AutoScalingGroupName'] in p['AutoScalingGroupNames']]
        for f in p.get('Filters') or []:
            if f['Name'].startswith('tag:'):
                groups = [g for g in groups if any(t['Key'] == f['Name'][4:] and
                                                   t['Value'] in f['Values'] for t in g['Tags'])]
        page, token = paginate(groups, p.get('NextToken'), p.get('MaxRecords'), 50)
        return {'AutoScalingGroups': page, 'NextToken': token}

    def UpdateAutoScalingGroup(self, ctx, p):
        g = self._group(ctx, p['AutoScalingGroupName'])
        if p.get('LaunchTemplate'):
            g['LaunchTemplate'] = self._check_template(ctx, p['LaunchTemplate'])
        for key in ('MinSize', 'MaxSize', 'DesiredCapacity', 'DefaultCooldown',
                    'HealthCheckType', 'HealthCheckGracePeriod', 'TerminationPolicies',
                    'NewInstancesProtectedFromScaleIn'):
            if p.get(key) is not None:
                g[key] = p[key]
        if p.get('VPCZoneIdentifier'):
            g['VPCZoneIdentifier'] = p['VPCZoneIdentifier']
        g['DesiredCapacity'] = min(max(g['DesiredCapacity'], g['MinSize']), g['MaxSize'])
        self._check_sizes(g)
        self._resize(ctx, g)
        return {}

    def SetDesiredCapacity(self, ctx, p):
        g = self._group(ctx, p['AutoScalingGroupName'])
        old = g['DesiredCapacity']
        g['DesiredCapacity'] = p['DesiredCapacity']
        try:
            self._check_sizes(g)
        except AwsError:
            g['DesiredCapacity'] = old
            raise
        self._resize(ctx, g)
        return {}

    def DeleteAutoScalingGroup(self, ctx, p):
        g = self._group(ctx, p['AutoScalingGroupName'])
        if g['Instances'] and not p.get('ForceDelete'):
            raise _err('ResourceInUse', 'You cannot delete an AutoScalingGroup while there are '
                       'instances or pending Spot instance request(s) still in the group.')
        del self.table(ctx, 'groups')[p['AutoScalingGroupName']]
        return {}

    def AttachLoadBalancerTargetGroups(self, ctx, p):
        g = self._group(ctx, p['AutoScalingGroupName'])
        g['TargetGroupARNs'] = sorted(set(g['TargetGroupARNs']) | set(p['TargetGroupARNs']))
        return {}

    def DetachLoadBalancerTargetGroups(self, ctx, p):
        g = self._group(ctx, p['AutoScalingGroupName'])
        g['TargetGroupARNs'] = [a for a in g['TargetGroupARNs'] if a not in p['TargetGroupARNs']]
        return {}

    def CreateOrUpdateTags(self, ctx, p):
        for t in p['Tags']:
            self._set_tags(self._group(ctx, t['ResourceId']), [t])
        return {}

    def DeleteTags(self, ctx, p):
        for t in p['Tags']:
            g = self._group(ctx, t['ResourceId'])
            g['Tags'] = [x for x in g['Tags'] if x['Key'] != t['Key']]
        return {}

    def DescribeTags(self, ctx, p):
        tags = [t for g in self.table(ctx, 'groups').values() for t in g['Tags']]
        for f in p.get('Filters') or []:
            field = {'auto-scaling-group': 'ResourceId', 'key': 'Key', 'value': 'Value',
                     'propagate-at-launch': 'PropagateAtLaunch'}.get(f['Name'])
            if field:
                tags = [t for t in tags if str(t[field]).lower() in
                        [v.lower() for v in f['Values']]]
        return {'Tags': tags}
