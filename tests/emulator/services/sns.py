"""SNS: topics (create is idempotent, attributes, delete, list),
subscriptions (e-mail ones stay "pending confirmation" as on AWS), publish
(recorded on the topic), tags."""

import json

from store import AwsError, Service, new_uuid, paginate

TOPIC_ATTRIBUTES = {'DisplayName', 'Policy', 'DeliveryPolicy', 'KmsMasterKeyId',
                    'FifoTopic', 'ContentBasedDeduplication', 'TracingConfig',
                    'SignatureVersion'}
CONFIRMED_PROTOCOLS = {'lambda', 'sqs', 'firehose', 'application'}


def _not_found(what):
    return AwsError('NotFound', '%s does not exist' % what, 404)


class Handler(Service):
    model = 'sns'

    def _topic(self, ctx, arn):
        topic = self.table(ctx, 'topics').get(arn)
        if topic is None:
            raise _not_found('Topic')
        return topic

    def CreateTopic(self, ctx, p):
        name = p['Name']
        arn = ctx.arn('sns', name)
        topics = self.table(ctx, 'topics')
        if arn not in topics:
            policy = {'Version': '2008-10-17', 'Id': '__default_policy_ID', 'Statement': [{
                'Sid': '__default_statement_ID', 'Effect': 'Allow', 'Principal': {'AWS': '*'},
                'Action': ['SNS:Publish', 'SNS:Subscribe', 'SNS:GetTopicAttributes'],
                'Resource': arn, 'Condition': {'StringEquals': {'AWS:SourceOwner': ctx.account}}}]}
            topics[arn] = {'TopicArn': arn, 'Name': name,
                           'Attributes': {'TopicArn': arn, 'Owner': ctx.account,
                                          'DisplayName': '', 'Policy': json.dumps(policy),
                                          'EffectiveDeliveryPolicy': '{"http":{}}'},
                           'Tags': [], 'Messages': []}
        for k, v in (p.get('Attributes') or {}).items():
            self._set_attribute(topics[arn], k, v)
        if p.get('Tags'):
            self._tag(topics[arn], p['Tags'])
        return {'TopicArn': arn}

    @staticmethod
    def _set_attribute(topic, name, value):
        if name not in TOPIC_ATTRIBUTES:
            raise AwsError('InvalidParameter', 'Invalid parameter: AttributeName')
        topic['Attributes'][name] = value

    def GetTopicAttributes(self, ctx, p):
        topic = self._topic(ctx, p['TopicArn'])
        subs = [s for s in self.table(ctx, 'subscriptions').values()
                if s['TopicArn'] == p['TopicArn']]
        attrs = dict(topic['Attributes'])
        attrs['SubscriptionsConfirmed'] = str(sum(1 for s in subs if not s['_pending']))
        attrs['SubscriptionsPending'] = str(sum(1 for s in subs if s['_pending']))
        attrs['SubscriptionsDeleted'] = '0'
        return {'Attributes': attrs}

    def SetTopicAttributes(self, ctx, p):
        self._set_attribute(self._topic(ctx, p['TopicArn']), p['AttributeName'],
                            p.get('AttributeValue') or '')
        return {}

    def DeleteTopic(self, ctx, p):
        self.table(ctx, 'topics').pop(p['TopicArn'], None)
        subs = self.table(ctx, 'subscriptions')
        for arn in [a for a, s in subs.items() if s['TopicArn'] == p['TopicArn']]:
            del subs[arn]
        return {}

    def ListTopics(self, ctx, p):
        arns = sorted(self.table(ctx, 'topics'))
        page, token = paginate([{'TopicArn': a} for a in arns], p.get('NextToken'), 100)
        return {'Topics': page, 'NextToken': token}

    def Subscribe(self, ctx, p):
        self._topic(ctx, p['TopicArn'])
        protocol = p['Protocol']
        if protocol not in ('email', 'email-json', 'http', 'https', 'sqs', 'lambda', 'sms',
                            'application', 'firehose'):
            raise AwsError('InvalidParameter', 'Invalid parameter: Amazon SNS does not support '
                           'this protocol string: %s' % protocol)
        endpoint = p.get('Endpoint') or ''
        if protocol.startswith('email') and '@' not in endpoint:
            raise AwsError('InvalidParameter', 'Invalid parameter: Email address')
        subs = self.table(ctx, 'subscriptions')
        for s in subs.values():
            if (s['TopicArn'], s['Protocol'], s['Endpoint']) == (p['TopicArn'], protocol,
                                                                 endpoint):
                return {'SubscriptionArn': self._visible_arn(s, p)}
        arn = '%s:%s' % (p['TopicArn'], new_uuid())
        sub = {'SubscriptionArn': arn, 'TopicArn': p['TopicArn'], 'Protocol': protocol,
               'Endpoint': endpoint, 'Owner': ctx.account,
               '_pending': protocol not in CONFIRMED_PROTOCOLS,
               'Attributes': dict(p.get('Attributes') or {})}
        subs[arn] = sub
        return {'SubscriptionArn': self._visible_arn(sub, p)}

    @staticmethod
    def _visible_arn(sub, p=None):
        if sub['_pending'] and not (p or {}).get('ReturnSubscriptionArn'):
            return 'pending confirmation'
        return sub['SubscriptionArn']

    def _sub(self, ctx, arn):
        sub = self.table(ctx, 'subscriptions').get(arn)
        if sub is None:
            raise _not_found('Subscription')
        return sub

    def GetSubscriptionAttributes(self, ctx, p):
        sub = self._sub(ctx, p['SubscriptionArn'])
        attrs = {'SubscriptionArn': sub['SubscriptionArn'], 'TopicArn': sub['TopicArn'],
                 'Protocol': sub['Protocol'], 'Endpoint': sub['Endpoint'],
                 'Owner': sub['Owner'], 'PendingConfirmation': str(sub['_pending']).lower(),
                 'ConfirmationWasAuthenticated': 'false', 'RawMessageDelivery': 'false'}
        attrs.update(sub['Attributes'])
        return {'Attributes': attrs}

    def SetSubscriptionAttributes(self, ctx, p):
        self._sub(ctx, p['SubscriptionArn'])['Attributes'][p['AttributeName']] = \
            p.get('AttributeValue') or ''
        return {}

    def Unsubscribe(self, ctx, p):
        self._sub(ctx, p['SubscriptionArn'])
        del self.table(ctx, 'subscriptions')[p['SubscriptionArn']]
        return {}

    def _list(self, subs):
        return [{'SubscriptionArn': 'PendingConfirmation' if s['_pending']
                 else s['SubscriptionArn'], 'Owner': s['Owner'], 'Protocol': s['Protocol'],
                 'Endpoint': s['Endpoint'], 'TopicArn': s['TopicArn']} for s in subs]

    def ListSubscriptions(self, ctx, p):
        return {'Subscriptions': self._list(self.table(ctx, 'subscriptions').values())}

    def ListSubscriptionsByTopic(self, ctx, p):
        self._topic(ctx, p['TopicArn'])
        return {'Subscriptions': self._list(s for s in self.table(ctx, 'subscriptions').values()
                                            if s['TopicArn'] == p['TopicArn'])}

    def Publish(self, ctx, p):
        arn = p.get('TopicArn') or p.get('TargetArn')
        topic = self._topic(ctx, arn)
        message_id = new_uuid()
        topic['Messages'] = (topic['Messages'] + [{'MessageId': message_id,
                                                   'Subject': p.get('Subject'),
                                                   'Message': p['Message']}])[-100:]
        return {'MessageId': message_id}

    @staticmethod
    def _tag(topic, tags):
        current = {t['Key']: t['Value'] for t in topic['Tags']}
        current.update({t['Key']: t['Value'] for t in tags})
        topic['Tags'] = [{'Key': k, 'Value': v} for k, v in sorted(current.items())]

    def TagResource(self, ctx, p):
        self._tag(self._topic(ctx, p['ResourceArn']), p['Tags'])
        return {}

    def UntagResource(self, ctx, p):
        topic = self._topic(ctx, p['ResourceArn'])
        topic['Tags'] = [t for t in topic['Tags'] if t['Key'] not in p['TagKeys']]
        return {}

    def ListTagsForResource(self, ctx, p):
        topic = self.table(ctx, 'topics').get(p['ResourceArn'])
        if topic is None:
            raise AwsError('ResourceNotFound', 'Resource does not exist', 404)
        return {'Tags': topic['Tags']}
