"""CloudWatch: metric alarms (put/describe/delete, enable/disable actions,
set state) and their tags.  New alarms start in INSUFFICIENT_DATA."""

from store import AwsError, Service, now, paginate

EC2_ACTION_PREFIX = 'arn:aws:automate:'


class Handler(Service):
    model = 'cloudwatch'

    def _alarms(self, ctx):
        return self.table(ctx, 'alarms')

    def PutMetricAlarm(self, ctx, p):
        for action in (p.get('AlarmActions') or []) + (p.get('OKActions') or []):
            if not action.startswith(('arn:aws:sns:', EC2_ACTION_PREFIX, 'arn:aws:autoscaling:',
                                      'arn:aws:swf:', 'arn:aws:ssm:')):
                raise AwsError('ValidationError', 'Invalid arn syntax: %s' % action)
        period = p.get('Period')
        if period is not None and period not in (10, 20, 30) and period % 60:
            raise AwsError('ValidationError', 'Period must be 10, 20, 30 or a multiple of 60')
        if not p.get('Metrics') and not (p.get('MetricName') and p.get('Namespace')):
            raise AwsError('ValidationError', 'Metrics list must not be empty or MetricName and '
                           'Namespace must be set')
        alarms = self._alarms(ctx)
        old = alarms.get(p['AlarmName'], {})
        alarm = {k: v for k, v in p.items() if k != 'Tags'}
        alarm.update({'AlarmArn': ctx.arn('cloudwatch', 'alarm:' + p['AlarmName']),
                      'AlarmConfigurationUpdatedTimestamp': now(),
                      'ActionsEnabled': p.get('ActionsEnabled', True),
                      'StateValue': old.get('StateValue', 'INSUFFICIENT_DATA'),
                      'StateReason': old.get('StateReason', 'Unchecked: Initial alarm creation'),
                      'StateUpdatedTimestamp': old.get('StateUpdatedTimestamp', now()),
                      'Tags': old.get('Tags', [])})
        for key in ('OKActions', 'AlarmActions', 'InsufficientDataActions', 'Dimensions'):
            alarm.setdefault(key, [])
        if p.get('Tags'):
            alarm['Tags'] = self._merge(alarm['Tags'], p['Tags'])
        alarms[p['AlarmName']] = alarm
        return {}

    @staticmethod
    def _merge(tags, new):
        merged = {t['Key']: t['Value'] for t in tags}
        merged.update({t['Key']: t['Value'] for t in new})
        return [{'Key': k, 'Value': v} for k, v in sorted(merged.items())]

    def DescribeAlarms(self, ctx, p):
        items = list(self._alarms(ctx).values())
        if p.get('AlarmNames'):
            items = [a for a in items if a['AlarmName'] in p['AlarmNames']]
        if p.get('AlarmNamePrefix'):
            items = [a for a in items if a['AlarmName'].startswith(p['AlarmNamePrefix'])]
        if p.get('StateValue'):
            items = [a for a in items if a['StateValue'] == p['StateValue']]
        if p.get('ActionPrefix'):
            items = [a for a in items if any(x.startswith(p['ActionPrefix'])
                                             for x in a['AlarmActions'])]
        page, token = paginate(sorted(items, key=lambda a: a['AlarmName']), p.get('NextToken'),
                               p.get('MaxRecords'), 50)
        return {'MetricAlarms': page, 'CompositeAlarms': [], 'NextToken': token}

    def DescribeAlarmsForMetric(self, ctx, p):
        items = [a for a in self._alarms(ctx).values() if a.get('MetricName') == p['MetricName']
                 and a.get('Namespace') == p['Namespace']]
        return {'MetricAlarms': items}

    def DeleteAlarms(self, ctx, p):
        alarms = self._alarms(ctx)
        missing = [n for n in p['AlarmNames'] if n not in alarms]
        if missing:
            raise AwsError('ResourceNotFound', 'Alarm %s not found' % missing[0], 404)
        for name in p['AlarmNames']:
            del alarms[name]
        return {}

    def _set_actions(self, p, value, ctx):
        for name in p['AlarmNames']:
            if name in self._alarms(ctx):
                self._alarms(ctx)[name]['ActionsEnabled'] = value
        return {}

    def EnableAlarmActions(self, ctx, p):
        return self._set_actions(p, True, ctx)

    def DisableAlarmActions(self, ctx, p):
        return self._set_actions(p, False, ctx)

    def SetAlarmState(self, ctx, p):
        alarm = self._alarms(ctx).get(p['AlarmName'])
        if alarm is None:
            raise AwsError('ResourceNotFound', 'Alarm %s not found' % p['AlarmName'], 404)
        alarm.update({'StateValue': p['StateValue'], 'StateReason': p['StateReason'],
                      'StateUpdatedTimestamp': now()})
        return {}

    def _by_arn(self, ctx, arn):
        name = arn.split(':alarm:', 1)[-1]
        alarm = self._alarms(ctx).get(name)
        if alarm is None:
            raise AwsError('ResourceNotFoundException', 'The specified resource does not '
                           'exist.', 404)
        return alarm

    def TagResource(self, ctx, p):
        alarm = self._by_arn(ctx, p['ResourceARN'])
        alarm['Tags'] = self._merge(alarm['Tags'], p['Tags'])
        return {}

    def UntagResource(self, ctx, p):
        alarm = self._by_arn(ctx, p['ResourceARN'])
        alarm['Tags'] = [t for t in alarm['Tags'] if t['Key'] not in p['TagKeys']]
        return {}

    def ListTagsForResource(self, ctx, p):
        return {'Tags': self._by_arn(ctx, p['ResourceARN'])['Tags']}
