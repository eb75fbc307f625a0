"""SQS (the query protocol, as the emulator's botocore model says; error codes as
AWS gives them there): queues with their attributes,
tags, send / receive / delete of messages (enough for EventBridge targets and
smoke tests).

AWS's rules kept here beyond the model's constraints: queue names (1 to 80
letters, digits, - and _; a FIFO queue's end in .fifo and only FIFO queues'
do), the attributes a queue accepts and their ranges, FIFO-only attributes,
one kind of server-side encryption, a Policy that is JSON with a Statement
("" removes it, and an unset one is left out of GetQueueAttributes), redrive
policies naming an existing queue of the same kind, CreateQueue idempotent
only for equal attributes, and a name deleted less than 60 seconds ago
refused (QueueDeletedRecently).
"""

import json
import os
import re

from store import AwsError, md5_hex, new_uuid, now, Service

NAME_RE = re.compile(r'^[A-Za-z0-9_-]{1,80}$')
RANGES = {'VisibilityTimeout': (0, 43200), 'MessageRetentionPeriod': (60, 1209600),
          'MaximumMessageSize': (1024, 1048576), 'DelaySeconds': (0, 900),
          'ReceiveMessageWaitTimeSeconds': (0, 20), 'KmsDataKeyReusePeriodSeconds': (60, 86400)}
DEFAULTS = {'VisibilityTimeout': '30', 'MessageRetentionPeriod': '345600',
            'MaximumMessageSize': '1048576', 'DelaySeconds': '0',
            'ReceiveMessageWaitTimeSeconds': '0', 'SqsManagedSseEnabled': 'true'}
FIFO_ONLY = {'FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope',
             'FifoThroughputLimit'}
SETTABLE = set(RANGES) | FIFO_ONLY | {'Policy', 'RedrivePolicy', 'RedriveAllowPolicy',
                                      'KmsMasterKeyId', 'SqsManagedSseEnabled'}
READ_ONLY = {'QueueArn', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible',
             'ApproximateNumberOfMessagesDelayed', 'CreatedTimestamp', 'LastModifiedTimestamp'}
# AWS's 60 s; tests that delete and re-create a queue at once (crash_recovery.sh,
# with cpstack's waits scaled) shorten it with EMULATOR_SQS_DELETED_RECENTLY_SECONDS.
DELETED_RECENTLY_SECONDS = float(os.environ.get('EMULATOR_SQS_DELETED_RECENTLY_SECONDS', 60))


def _no_queue():
    return AwsError('AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.')


def _bad_value(name, why):
    return AwsError('InvalidAttributeValue', 'Invalid value for the parameter %s. Reason: %s'
                    % (name, why))


class Handler(Service):
    model = 'sqs'

    # ------------------------------------------------------------ helpers

    def _url(self, ctx, name):
        return 'https://sqs.%s.amazonaws.com/%s/%s' % (ctx.region, ctx.account, name)

    def _queue(self, ctx, url):
        name = (url or '').rstrip('/').rsplit('/', 1)[-1]
        q = self.table(ctx, 'queues').get(name)
        if q is None or q['QueueUrl'] != url:
            raise _no_queue()
        return q

    def _by_arn(self, ctx, arn):
        for q in self.table(ctx, 'queues').values():
            if q['Attributes']['QueueArn'] == arn:
                return q
        return None

    def _check_attributes(self, ctx, attrs, fifo):
        for k, v in attrs.items():
            if k in READ_ONLY or k not in SETTABLE:
                raise AwsError('InvalidAttributeName', 'Unknown Attribute %s.' % k)
            if k in FIFO_ONLY and not fifo:
                raise AwsError('InvalidAttributeName', 'Unknown Attribute %s.' % k)
            if k in RANGES:
                lo, hi = RANGES[k]
                if not re.match(r'^\d+$', v or '') or not lo <= int(v) <= hi:
                    raise _bad_value(k, 'must be an integer from %d to %d.' % (lo, hi))
            if k in ('FifoQueue', 'ContentBasedDeduplication', 'SqsManagedSseEnabled') \
                    and v not in ('true', 'false'):
                raise _bad_value(k, 'must be true or false.')
            if k == 'Policy' and v:
                try:
                    doc = json.loads(v)
                except ValueError:
                    raise _bad_value(k, 'the policy is not valid JSON.')
                if not isinstance(doc, dict) or 'Statement' not in doc:
                    raise _bad_value(k, 'the policy has no Statement.')
            if k == 'RedrivePolicy' and v:
                self._check_redrive(ctx, v, fifo)
        if attrs.get('KmsMasterKeyId') and attrs.get('SqsManagedSseEnabled') == 'true':
            raise _bad_value('SqsManagedSseEnabled', 'You can use one type of server-side '
                             'encryption (SSE) at one time. You can either enable KMS SSE or '
                             'SQS SSE.')

    def _check_redrive(self, ctx, text, fifo):
        try:
            doc = json.loads(text)
        except ValueError:
            raise _bad_value('RedrivePolicy', 'Redrive policy is not a valid JSON map.')
        if not isinstance(doc, dict) or 'deadLetterTargetArn' not in doc \
                or 'maxReceiveCount' not in doc:
            raise _bad_value('RedrivePolicy', 'Redrive policy does not contain mandatory '
                             'attribute: deadLetterTargetArn and maxReceiveCount.')
        try:
            count = int(doc['maxReceiveCount'])
        except (TypeError, ValueError):
            count = 0
        if not 1 <= count <= 1000:
            raise _bad_value('RedrivePolicy', 'Value %s for parameter maxReceiveCount is '
                             'invalid. Reason: must be between 1 and 1000.'
                             % doc['maxReceiveCount'])
        dlq = self._by_arn(ctx, doc['deadLetterTargetArn'])
        if dlq is None:
            raise _bad_value('RedrivePolicy', 'Dead letter target does not exist.')
        if (dlq['Attributes'].get('FifoQueue') == 'true') != fifo:
            raise _bad_value('RedrivePolicy', 'Dead-letter queue must be same type of queue '
                             'as the source.')

    @staticmethod
    def _apply(q, attrs):
        a = q['Attributes']
        for k, v in attrs.items():
            if k in ('Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId') and not v:
                a.pop(k, None)
            else:
                a[k] = v
        if a.get('KmsMasterKeyId'):
            a['SqsManagedSseEnabled'] = 'false'
            a.setdefault('KmsDataKeyReusePeriodSeconds', '300')
        else:
            a.pop('KmsDataKeyReusePeriodSeconds', None)
        a['LastModifiedTimestamp'] = str(int(now()))

    # ------------------------------------------------------------ queues

    def CreateQueue(self, ctx, p):
        name = p['QueueName']
        attrs = dict(p.get('Attributes') or {})
        fifo = attrs.get('FifoQueue') == 'true'
        body = name[:-5] if name.endswith('.fifo') else name
        if not NAME_RE.match(body) or len(name) > 80 or name.endswith('.fifo') != fifo:
            raise AwsError('InvalidParameterValue', 'Can only include alphanumeric characters, '
                           'hyphens, or underscores. 1 to 80 in length. A FIFO queue name must '
                           'end with the .fifo suffix.')
        self._check_attributes(ctx, attrs, fifo)
        tags = p.get('tags') or {}
        if len(tags) > 50:
            raise AwsError('InvalidParameterValue', 'Too many tags (at most 50).')
        queues = self.table(ctx, 'queues')
        if name in queues:
            have = queues[name]['Attributes']
            for k, v in attrs.items():
                if have.get(k, DEFAULTS.get(k, '')) != v:
                    raise AwsError('QueueAlreadyExists', 'A queue already exists with the same '
                                   'name and a different value for attribute %s' % k)
            return {'QueueUrl': queues[name]['QueueUrl']}
        deleted = self.table(ctx, 'deleted').get(name)
        if deleted and now() - deleted < DELETED_RECENTLY_SECONDS:
            raise AwsError('AWS.SimpleQueueService.QueueDeletedRecently', 'You must wait 60 seconds after deleting a '
                           'queue before you can create another with the same name.')
        t = str(int(now()))
        a = dict(DEFAULTS)
        a.update({'QueueArn': ctx.arn('sqs', name), 'CreatedTimestamp': t,
                  'ApproximateNumberOfMessages': '0',
                  'ApproximateNumberOfMessagesNotVisible': '0',
                  'ApproximateNumberOfMessagesDelayed': '0'})
        if fifo:
            a.update({'FifoQueue': 'true', 'ContentBasedDeduplication': 'false',
                      'DeduplicationScope': 'queue', 'FifoThroughputLimit': 'perQueue'})
        q = {'QueueUrl': self._url(ctx, name), 'Attributes': a, 'Tags': dict(tags),
             'Messages': []}
        self._apply(q, attrs)
        queues[name] = q
        return {'QueueUrl': q['QueueUrl']}

    def GetQueueUrl(self, ctx, p):
        q = self.table(ctx, 'queues').get(p['QueueName'])
        if q is None:
            raise _no_queue()
        return {'QueueUrl': q['QueueUrl']}

    def ListQueues(self, ctx, p):
        prefix = p.get('QueueNamePrefix') or ''
        urls = [q['QueueUrl'] for n, q in sorted(self.table(ctx, 'queues').items())
                if n.startswith(prefix)]
        return {'QueueUrls': urls[:int(p.get('MaxResults') or 1000)]}

    def GetQueueAttributes(self, ctx, p):
        q = self._queue(ctx, p['QueueUrl'])
        names = p.get('AttributeNames') or []
        a = dict(q['Attributes'])
        visible = [m for m in q['Messages'] if not m.get('_inflight')]
        a['ApproximateNumberOfMessages'] = str(len(visible))
        a['ApproximateNumberOfMessagesNotVisible'] = str(len(q['Messages']) - len(visible))
        if 'All' in names:
            return {'Attributes': a}
        for n in names:
            if n not in a and n not in SETTABLE and n not in READ_ONLY:
                raise AwsError('InvalidAttributeName', 'Unknown Attribute %s.' % n)
        return {'Attributes': {n: a[n] for n in names if n in a}}

    def SetQueueAttributes(self, ctx, p):
        q = self._queue(ctx, p['QueueUrl'])
        attrs = p['Attributes']
        if 'FifoQueue' in attrs:
            raise AwsError('InvalidAttributeName', 'Unknown Attribute FifoQueue.')
        fifo = q['Attributes'].get('FifoQueue') == 'true'
        merged = {k: v for k, v in q['Attributes'].items() if k in SETTABLE}
        merged.update(attrs)
        merged.pop('FifoQueue', None)
        if attrs.get('KmsMasterKeyId') and 'SqsManagedSseEnabled' not in attrs:
            merged.pop('SqsManagedSseEnabled', None)
        if attrs.get('SqsManagedSseEnabled') == 'true' and 'KmsMasterKeyId' not in attrs:
            merged.pop('KmsMasterKeyId', None)
        self._check_attributes(ctx, attrs, fifo)
        self._check_attributes(ctx, {k: v for k, v in merged.items()
                                     if k in ('KmsMasterKeyId', 'SqsManagedSseEnabled')}, fifo)
        self._apply(q, attrs)
        if attrs.get('SqsManagedSseEnabled') == 'true':
            q['Attributes'].pop('KmsMasterKeyId', None)
            q['Attributes'].pop('KmsDataKeyReusePeriodSeconds', None)
        return {}

    def DeleteQueue(self, ctx, p):
        q = self._queue(ctx, p['QueueUrl'])
        name = q['QueueUrl'].rsplit('/', 1)[-1]
        del self.table(ctx, 'queues')[name]
        self.table(ctx, 'deleted')[name] = now()
        return {}

    # ------------------------------------------------------------ tags

    def TagQueue(self, ctx, p):
        q = self._queue(ctx, p['QueueUrl'])
        tags = dict(q['Tags'])
        tags.update(p['Tags'])
        if len(tags) > 50:
            raise AwsError('InvalidParameterValue', 'Too many tags (at most 50).')
        q['Tags'] = tags
        return {}

    def UntagQueue(self, ctx, p):
        q = self._queue(ctx, p['QueueUrl'])
        for k in p['TagKeys']:
            q['Tags'].pop(k, None)
        return {}

    def ListQueueTags(self, ctx, p):
        return {'Tags': dict(self._queue(ctx, p['QueueUrl'])['Tags'])}

    # ------------------------------------------------------------ messages

    def deliver(self, ctx, arn, body):
        """A message from another service (an EventBridge target); False when no such queue."""
        q = self._by_arn(ctx, arn)
        if q is None:
            return False
        q['Messages'].append({'MessageId': new_uuid(), 'Body': body, 'MD5OfBody':
                              md5_hex(body.encode()), 'ReceiptHandle': new_uuid()})
        return True

    def SendMessage(self, ctx, p):
        q = self._queue(ctx, p['QueueUrl'])
        body = p['MessageBody']
        if len(body.encode()) > int(q['Attributes']['MaximumMessageSize']):
            raise AwsError('InvalidParameterValue', 'One or more parameters are invalid. '
                           'Reason: Message must be shorter than %s bytes.'
                           % q['Attributes']['MaximumMessageSize'])
        if q['Attributes'].get('FifoQueue') == 'true':
            if not p.get('MessageGroupId'):
                raise AwsError('MissingParameter', 'The request must contain the parameter '
                               'MessageGroupId.')
            if not p.get('MessageDeduplicationId') and \
                    q['Attributes'].get('ContentBasedDeduplication') != 'true':
                raise AwsError('InvalidParameterValue', 'The queue should either have '
                               'ContentBasedDeduplication enabled or MessageDeduplicationId '
                               'provided explicitly')
        m = {'MessageId': new_uuid(), 'Body': body, 'MD5OfBody': md5_hex(body.encode()),
             'ReceiptHandle': new_uuid()}
        q['Messages'].append(m)
        return {'MessageId': m['MessageId'], 'MD5OfMessageBody': m['MD5OfBody']}

    def ReceiveMessage(self, ctx, p):
        q = self._queue(ctx, p['QueueUrl'])
        n = int(p.get('MaxNumberOfMessages') or 1)
        out = []
        for m in q['Messages']:
            if len(out) >= n:
                break
            if not m.get('_inflight'):
                m['_inflight'] = True
                out.append({k: m[k] for k in ('MessageId', 'Body', 'MD5OfBody',
                                              'ReceiptHandle')})
        return {'Messages': out}

    def DeleteMessage(self, ctx, p):
        q = self._queue(ctx, p['QueueUrl'])
        q['Messages'] = [m for m in q['Messages'] if m['ReceiptHandle'] != p['ReceiptHandle']]
        return {}
