"""The emulator's DynamoDB (services/dynamodb.py) through boto3: tables with
global and local secondary indexes (CreateTable, UpdateTable's
GlobalSecondaryIndexUpdates, DescribeTable), the index states and the rules
AWS keeps for them; and the table operations around them."""

import unittest

from emutest import EmulatorTestCase

S = 'S'


def attrs(*names):
    return [{'AttributeName': n, 'AttributeType': S} for n in names]


def keys(hash_key, range_key=None):
    k = [{'AttributeName': hash_key, 'KeyType': 'HASH'}]
    if range_key:
        k.append({'AttributeName': range_key, 'KeyType': 'RANGE'})
    return k


TP = {'ReadCapacityUnits': 1, 'WriteCapacityUnits': 1}


class DynamoDbIndexTest(EmulatorTestCase):
    SERVICES = ['dynamodb']

    def wait_settled(self, ddb, name):
        for _ in range(20):
            t = ddb.describe_table(TableName=name)['Table']
            if t['TableStatus'] == 'ACTIVE' and all(
                    g['IndexStatus'] == 'ACTIVE' for g in t.get('GlobalSecondaryIndexes', [])):
                return t
        self.fail('table %s never settled' % name)

    def test_create_with_indexes(self):
        ddb = self.client('dynamodb')
        t = ddb.create_table(
            TableName='orders', AttributeDefinitions=attrs('pk', 'sk', 'email', 'at'),
            KeySchema=keys('pk', 'sk'), BillingMode='PROVISIONED', ProvisionedThroughput=TP,
            GlobalSecondaryIndexes=[{'IndexName': 'by_email', 'KeySchema': keys('email'),
                                     'Projection': {'ProjectionType': 'INCLUDE',
                                                    'NonKeyAttributes': ['total']},
                                     'ProvisionedThroughput': TP}],
            LocalSecondaryIndexes=[{'IndexName': 'by_at', 'KeySchema': keys('pk', 'at'),
                                    'Projection': {'ProjectionType': 'KEYS_ONLY'}}],
        )['TableDescription']
        self.assertEqual(t['GlobalSecondaryIndexes'][0]['IndexStatus'], 'CREATING')
        t = self.wait_settled(ddb, 'orders')
        g = t['GlobalSecondaryIndexes'][0]
        self.assertEqual(g['Projection'], {'ProjectionType': 'INCLUDE',
                                           'NonKeyAttributes': ['total']})
        self.assertEqual(g['ProvisionedThroughput']['ReadCapacityUnits'], 1)
        self.assertTrue(g['IndexArn'].endswith('table/orders/index/by_email'))
        l = t['LocalSecondaryIndexes'][0]
        self.assertEqual(l['KeySchema'][1]['AttributeName'], 'at')
        self.assertNotIn('IndexStatus', l)

        # the rules AWS keeps at CreateTable
        bad = dict(TableName='bad', AttributeDefinitions=attrs('pk', 'sk', 'x'),
                   KeySchema=keys('pk', 'sk'), BillingMode='PAY_PER_REQUEST')
        self.assertAwsError('ValidationException', ddb.create_table, **dict(
            bad, AttributeDefinitions=attrs('pk', 'sk'), GlobalSecondaryIndexes=[{
                'IndexName': 'gsi_x', 'KeySchema': keys('x'), 'Projection': {
                    'ProjectionType': 'ALL'}}]))                      # key not defined
        self.assertAwsError('ValidationException', ddb.create_table, **bad)   # x unused
        gx = {'IndexName': 'gsi_x', 'KeySchema': keys('x'), 'Projection': {'ProjectionType': 'ALL'}}
        self.assertAwsError('ValidationException', ddb.create_table, **dict(
            bad, GlobalSecondaryIndexes=[dict(gx, ProvisionedThroughput=TP)]))  # PPR + capacity
        self.assertAwsError('ValidationException', ddb.create_table, **dict(
            bad, BillingMode='PROVISIONED', ProvisionedThroughput=TP,
            GlobalSecondaryIndexes=[gx]))                              # capacity missing
        self.assertAwsError('ValidationException', ddb.create_table, **dict(
            bad, GlobalSecondaryIndexes=[dict(gx, Projection={'ProjectionType': 'INCLUDE'})]))
        self.assertAwsError('ValidationException', ddb.create_table, **dict(
            bad, GlobalSecondaryIndexes=[dict(gx, Projection={
                'ProjectionType': 'ALL', 'NonKeyAttributes': ['a']})]))
        self.assertAwsError('ValidationException', ddb.create_table, **dict(
            bad, GlobalSecondaryIndexes=[gx, gx]))                     # duplicate name
        lx = {'IndexName': 'lsi_x', 'KeySchema': keys('pk', 'x'),
              'Projection': {'ProjectionType': 'ALL'}}
        self.assertAwsError('ValidationException', ddb.create_table, **dict(
            bad, LocalSecondaryIndexes=[dict(lx, KeySchema=keys('sk', 'x'))]))   # other hash
        self.assertAwsError('ValidationException', ddb.create_table, **dict(
            bad, AttributeDefinitions=attrs('pk', 'x'), KeySchema=keys('pk'),
            LocalSecondaryIndexes=[lx]))                               # table without range key
        ddb.create_table(**dict(bad, TableName='okay', LocalSecondaryIndexes=[lx]))
        self.assertEqual(ddb.list_tables()['TableNames'], ['okay', 'orders'])

    def test_index_updates(self):
        ddb = self.client('dynamodb')
        ddb.create_table(TableName='users', AttributeDefinitions=attrs('id'),
                         KeySchema=keys('id'), BillingMode='PROVISIONED',
                         ProvisionedThroughput=TP)
        self.assertAwsError('ResourceInUseException', ddb.update_table, TableName='users',
                            AttributeDefinitions=attrs('id', 'email'),
                            GlobalSecondaryIndexUpdates=[{'Create': {
                                'IndexName': 'by_email', 'KeySchema': keys('email'),
                                'Projection': {'ProjectionType': 'ALL'},
                                'ProvisionedThroughput': TP}}])       # still CREATING
        self.wait_settled(ddb, 'users')
        create = {'IndexName': 'by_email', 'KeySchema': keys('email'),
                  'Projection': {'ProjectionType': 'ALL'}, 'ProvisionedThroughput': TP}
        self.assertAwsError('ValidationException', ddb.update_table, TableName='users',
                            GlobalSecondaryIndexUpdates=[{'Create': create}])   # email undefined
        other = dict(create, IndexName='by_name', KeySchema=keys('name'))
        self.assertAwsError('LimitExceededException', ddb.update_table, TableName='users',
                            AttributeDefinitions=attrs('id', 'email', 'name'),
                            GlobalSecondaryIndexUpdates=[{'Create': create},
                                                         {'Create': other}])
        t = ddb.update_table(TableName='users', AttributeDefinitions=attrs('id', 'email', 'name'),
                             GlobalSecondaryIndexUpdates=[{'Create': create}])['TableDescription']
        self.assertEqual(t['GlobalSecondaryIndexes'][0]['IndexStatus'], 'CREATING')
        # only the attribute a key uses is kept
        self.assertEqual(sorted(a['AttributeName'] for a in t['AttributeDefinitions']),
                         ['email', 'id'])
        for _ in range(3):
            t = ddb.describe_table(TableName='users')['Table']
            if t['TableStatus'] == 'ACTIVE':
                break
        self.assertEqual(t['GlobalSecondaryIndexes'][0]['IndexStatus'], 'CREATING')
        self.assertAwsError('LimitExceededException', ddb.update_table, TableName='users',
                            AttributeDefinitions=attrs('id', 'name'),
                            GlobalSecondaryIndexUpdates=[{'Create': other}])  # one at a time
        self.wait_settled(ddb, 'users')
        self.assertAwsError('ValidationException', ddb.update_table, TableName='users',
                            AttributeDefinitions=attrs('id', 'email'),
                            GlobalSecondaryIndexUpdates=[{'Create': create}])   # exists

        # capacity of an index
        ddb.update_table(TableName='users', GlobalSecondaryIndexUpdates=[{'Update': {
            'IndexName': 'by_email', 'ProvisionedThroughput': {
                'ReadCapacityUnits': 4, 'WriteCapacityUnits': 2}}}])
        t = ddb.describe_table(TableName='users')['Table']
        self.assertIn(t['GlobalSecondaryIndexes'][0]['IndexStatus'], ('UPDATING', 'ACTIVE'))
        t = self.wait_settled(ddb, 'users')
        self.assertEqual(t['GlobalSecondaryIndexes'][0]['ProvisionedThroughput']
                         ['ReadCapacityUnits'], 4)

        # to on-demand and back: the index capacity is needed in the same call
        ddb.update_table(TableName='users', BillingMode='PAY_PER_REQUEST')
        t = self.wait_settled(ddb, 'users')
        self.assertEqual(t['GlobalSecondaryIndexes'][0]['ProvisionedThroughput']
                         ['ReadCapacityUnits'], 0)
        self.assertAwsError('ValidationException', ddb.update_table, TableName='users',
                            GlobalSecondaryIndexUpdates=[{'Update': {
                                'IndexName': 'by_email', 'ProvisionedThroughput': TP}}])
        self.assertAwsError('ValidationException', ddb.update_table, TableName='users',
                            BillingMode='PROVISIONED', ProvisionedThroughput=TP)
        ddb.update_table(TableName='users', BillingMode='PROVISIONED', ProvisionedThroughput=TP,
                         GlobalSecondaryIndexUpdates=[{'Update': {
                             'IndexName': 'by_email', 'ProvisionedThroughput': TP}}])
        self.wait_settled(ddb, 'users')

        # delete: DELETING, then gone with its attribute definition
        self.assertAwsError('ResourceNotFoundException', ddb.update_table, TableName='users',
                            GlobalSecondaryIndexUpdates=[{'Delete': {'IndexName': 'nope'}}])
        t = ddb.update_table(TableName='users', GlobalSecondaryIndexUpdates=[{'Delete': {
            'IndexName': 'by_email'}}])['TableDescription']
        self.assertEqual(t['GlobalSecondaryIndexes'][0]['IndexStatus'], 'DELETING')
        t = self.wait_settled(ddb, 'users')
        self.assertNotIn('GlobalSecondaryIndexes', t)
        self.assertEqual(t['AttributeDefinitions'], attrs('id'))

    def test_table_operations(self):
        ddb = self.client('dynamodb')
        arn = ddb.create_table(TableName='ttt', AttributeDefinitions=attrs('id'),
                               KeySchema=keys('id'), BillingMode='PAY_PER_REQUEST',
                               Tags=[{'Key': 'a', 'Value': '1'}])['TableDescription']['TableArn']
        self.wait_settled(ddb, 'ttt')
        ddb.update_time_to_live(TableName='ttt', TimeToLiveSpecification={
            'Enabled': True, 'AttributeName': 'exp'})
        self.assertEqual(ddb.describe_time_to_live(TableName='ttt')['TimeToLiveDescription'],
                         {'TimeToLiveStatus': 'ENABLED', 'AttributeName': 'exp'})
        ddb.update_continuous_backups(TableName='ttt', PointInTimeRecoverySpecification={
            'PointInTimeRecoveryEnabled': True})
        self.assertEqual(ddb.describe_continuous_backups(TableName='ttt')[
            'ContinuousBackupsDescription']['PointInTimeRecoveryDescription'][
            'PointInTimeRecoveryStatus'], 'ENABLED')
        ddb.tag_resource(ResourceArn=arn, Tags=[{'Key': 'b', 'Value': '2'}])
        ddb.untag_resource(ResourceArn=arn, TagKeys=['a'])
        self.assertEqual(ddb.list_tags_of_resource(ResourceArn=arn)['Tags'],
                         [{'Key': 'b', 'Value': '2'}])
        ddb.delete_table(TableName='ttt')
        self.assertAwsError('ResourceNotFoundException', self.wait_settled, ddb, 'ttt')


if __name__ == '__main__':
    unittest.main()
