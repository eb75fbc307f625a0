"""EventBridge (CloudWatch Events): rules on the default event bus, their
targets and tags.

AWS's rules kept: a rule needs a ScheduleExpression (rate(...) / cron(...))
or an EventPattern (a JSON object); names are 1-64 letters, digits and
. - _; a rule with targets cannot be deleted; at most 5 targets per rule;
a target takes one of Input (JSON), InputPath and InputTransformer (paths
starting with $, no reserved aws.events.* key); only the default bus
exists (another bus is ResourceNotFoundException).
"""

import json
import re

from store import AwsError, Service

NAME_RE = re.compile(r'^[\.\-_A-Za-z0-9]{1,64}$')
SCHEDULE_RE = re.compile(r'^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(.+\))$')
MAX_TARGETS = 5


def _validation(msg):
    return AwsError('ValidationException', msg)


class Handler(Service):
    model = 'events'

    def _bus(self, p):
        bus = p.get('EventBusName') or 'default'
        if bus.startswith('arn:'):
            bus = bus.rsplit('/', 1)[-1]
        if bus != 'default':
            raise AwsError('ResourceNotFoundException', 'Event bus %s does not exist.' % bus)
        return bus

    def _rule(self, ctx, name, bus='default'):
        r = self.table(ctx, 'rules').get(name)
        if r is None:
            raise AwsError('ResourceNotFoundException',
                           'Rule %s does not exist on EventBus %s.' % (name, bus))
        return r

    def PutRule(self, ctx, p):
        bus = self._bus(p)
        name = p['Name']
        if not NAME_RE.match(name):
            raise _validation("1 validation error detected: Value '%s' at 'name' failed to "
                              "satisfy constraint: Member must satisfy regular expression "
                              "pattern: [\\.\\-_A-Za-z0-9]+" % name)
        sched, pattern = p.get('ScheduleExpression'), p.get('EventPattern')
        if not sched and not pattern:
            raise _validation('Parameter(s) ScheduleExpression or EventPattern must be '
                              'specified.')
        if sched and not SCHEDULE_RE.match(sched):
            raise _validation('Parameter ScheduleExpression is not valid.')
        if pattern:
            try:
                parsed = json.loads(pattern)
            except ValueError:
                parsed = None
            if not isinstance(parsed, dict):
                raise AwsError('InvalidEventPatternException',
                               'Event pattern is not valid. Reason: Filter is not an object')
        rules = self.table(ctx, 'rules')
        old = rules.get(name) or {}
        arn = ctx.arn('events', 'rule/%s' % name)
        rules[name] = {'Name': name, 'Arn': arn, 'EventBusName': bus,
                       'State': p.get('State') or 'ENABLED',
                       'ScheduleExpression': sched, 'EventPattern': pattern,
                       'Description': p.get('Description'), 'RoleArn': p.get('RoleArn'),
                       '_tags': old.get('_tags', {}), '_targets': old.get('_targets', {})}
        for t in p.get('Tags') or []:
            rules[name]['_tags'][t['Key']] = t['Value']
        return {'RuleArn': arn}

    def _public(self, r):
        return {k: v for k, v in r.items() if not k.startswith('_') and v is not None}

    def DescribeRule(self, ctx, p):
        bus = self._bus(p)
        return dict(self._public(self._rule(ctx, p['Name'], bus)), CreatedBy=ctx.account)

    def ListRules(self, ctx, p):
        self._bus(p)
        rules = sorted(self.table(ctx, 'rules').values(), key=lambda r: r['Name'])
        prefix = p.get('NamePrefix')
        return {'Rules': [self._public(r) for r in rules
                          if not prefix or r['Name'].startswith(prefix)]}

    def DeleteRule(self, ctx, p):
        bus = self._bus(p)
        rules = self.table(ctx, 'rules')
        r = rules.get(p['Name'])
        if r is None:
            return {}
        if r['_targets']:
            raise _validation("Rule can't be deleted since it has targets.")
        del rules[p['Name']]
        return {}

    def PutTargets(self, ctx, p):
        bus = self._bus(p)
        r = self._rule(ctx, p['Rule'], bus)
        new = {t['Id']: t for t in p['Targets']}
        if len(set(r['_targets']) | set(new)) > MAX_TARGETS:
            raise AwsError('LimitExceededException', 'The requested resource exceeds the '
                           'maximum number allowed.')
        failed = []
        for tid, t in new.items():
            if not NAME_RE.match(tid):
                raise _validation("1 validation error detected: Value '%s' at 'targets.1.member"
                                  ".id' failed to satisfy constraint: Member must satisfy "
                                  "regular expression pattern: [\\.\\-_A-Za-z0-9]+" % tid)
            if sum(1 for k in ('Input', 'InputPath', 'InputTransformer') if k in t) > 1:
                raise _validation('Only one of Input, InputPath, or InputTransformer must be '
                                  'provided for target %s.' % tid)
            if 'Input' in t:
                try:
                    json.loads(t['Input'])
                except ValueError:
                    raise _validation('Target %s has invalid input: the input must be valid '
                                      'JSON text.' % tid)
            tr = t.get('InputTransformer')
            if tr is not None:
                paths = tr.get('InputPathsMap') or {}
                if len(paths) > 100:
                    raise _validation('InputPathsMap of target %s has more than 100 entries.'
                                      % tid)
                for k, v in paths.items():
                    if k.startswith('aws.events.'):
                        raise _validation('Input path key %s is reserved.' % k)
                    if not v.startswith('$'):
                        raise _validation('Target %s has an invalid InputPathsMap value: %s is '
                                          'not a valid JSON path.' % (tid, v))
            if not t['Arn'].startswith('arn:'):
                raise _validation('Parameter %s is not valid. Reason: Provided Arn is not in '
                                  'correct format.' % t['Arn'])
            if ':kinesis:' in t['Arn'] and not t.get('RoleArn'):
                failed.append({'TargetId': tid, 'ErrorCode': 'ValidationException',
                               'ErrorMessage': 'RoleArn is required for target %s.' % t['Arn']})
                continue
            r['_targets'][tid] = t
        return {'FailedEntryCount': len(failed), 'FailedEntries': failed}

    def ListTargetsByRule(self, ctx, p):
        bus = self._bus(p)
        r = self._rule(ctx, p['Rule'], bus)
        return {'Targets': [r['_targets'][k] for k in sorted(r['_targets'])]}

    def RemoveTargets(self, ctx, p):
        bus = self._bus(p)
        r = self._rule(ctx, p['Rule'], bus)
        for tid in p['Ids']:
            r['_targets'].pop(tid, None)
        return {'FailedEntryCount': 0, 'FailedEntries': []}

    def _by_arn(self, ctx, arn):
        name = arn.rsplit('/', 1)[-1]
        r = self.table(ctx, 'rules').get(name)
        if r is None or r['Arn'] != arn:
            raise AwsError('ResourceNotFoundException', 'Rule %s does not exist on EventBus '
                           'default.' % name)
        return r

    def TagResource(self, ctx, p):
        tags = self._by_arn(ctx, p['ResourceARN'])['_tags']
        for t in p['Tags']:
            tags[t['Key']] = t['Value']
        return {}

    def UntagResource(self, ctx, p):
        tags = self._by_arn(ctx, p['ResourceARN'])['_tags']
        for k in p['TagKeys']:
            tags.pop(k, None)
        return {}

    def ListTagsForResource(self, ctx, p):
        tags = self._by_arn(ctx, p['ResourceARN'])['_tags']
        return {'Tags': [{'Key': k, 'Value': v} for k, v in sorted(tags.items())]}
