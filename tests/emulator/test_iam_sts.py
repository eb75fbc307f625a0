"""boto3 against the emulator: every STS and IAM operation."""

import json
import unittest

from emutest import EmulatorTestCase

TRUST = json.dumps({'Version': '2012-10-17', 'Statement': [{
    'Effect': 'Allow', 'Principal': {'Service': 'ec2.amazonaws.com'},
    'Action': 'sts:AssumeRole'}]})
DOC = json.dumps({'Version': '2012-10-17', 'Statement': [{
    'Effect': 'Allow', 'Action': 's3:*', 'Resource': '*'}]})


class IamStsTest(EmulatorTestCase):
    SERVICES = ['iam', 'sts']

    def setUp(self):
        self.iam = self.client('iam')
        self.sts = self.client('sts')

    def test_users_keys_inline_and_attached_policies(self):
        iam = self.iam
        user = iam.create_user(UserName='cron', Tags=[{'Key': 'team', 'Value': 'a'}])['User']
        self.assertEqual(user['Arn'], 'arn:aws:iam::123456789012:user/cron')
        self.assertTrue(user['UserId'].startswith('AIDA'))
        self.assertAwsError('EntityAlreadyExists', iam.create_user, UserName='cron')
        self.assertEqual(iam.get_user(UserName='cron')['User']['UserName'], 'cron')
        self.assertIn('cpstack-test', iam.get_user()['User']['Arn'])
        self.assertEqual([u['UserName'] for u in iam.list_users()['Users']], ['cron'])
        iam.tag_user(UserName='cron', Tags=[{'Key': 'env', 'Value': 'dev'}])
        iam.untag_user(UserName='cron', TagKeys=['team'])
        self.assertEqual(iam.list_user_tags(UserName='cron')['Tags'],
                         [{'Key': 'env', 'Value': 'dev'}])
        iam.put_user_policy(UserName='cron', PolicyName='s3', PolicyDocument=DOC)
        got = iam.get_user_policy(UserName='cron', PolicyName='s3')
        self.assertEqual(got['PolicyDocument'], json.loads(DOC))
        self.assertEqual(iam.list_user_policies(UserName='cron')['PolicyNames'], ['s3'])
        self.assertAwsError('MalformedPolicyDocument', iam.put_user_policy, UserName='cron',
                            PolicyName='bad', PolicyDocument='{not json')
        arn = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly'
        iam.attach_user_policy(UserName='cron', PolicyArn=arn)
        self.assertEqual(iam.list_attached_user_policies(UserName='cron')['AttachedPolicies'],
                         [{'PolicyName': 'AmazonEC2ContainerRegistryReadOnly', 'PolicyArn': arn}])
        self.assertAwsError('NoSuchEntity', iam.attach_user_policy, UserName='cron',
                            PolicyArn='arn:aws:iam::aws:policy/NoSuchPolicy')
        key = iam.create_access_key(UserName='cron')['AccessKey']
        self.assertTrue(key['AccessKeyId'].startswith('AKIA'))
        self.assertEqual(len(key['SecretAccessKey']), 40)
        # the emulator accepts the new key for signing
        as_user = self.client('sts', key=key['AccessKeyId'], secret=key['SecretAccessKey'])
        self.assertEqual(as_user.get_caller_identity()['Arn'], user['Arn'])
        listed = iam.list_access_keys(UserName='cron')['AccessKeyMetadata']
        self.assertEqual([k['Status'] for k in listed], ['Active'])
        iam.update_access_key(UserName='cron', AccessKeyId=key['AccessKeyId'], Status='Inactive')
        self.assertEqual(iam.get_access_key_last_used(AccessKeyId=key['AccessKeyId'])['UserName'],
                         'cron')
        self.assertAwsError('DeleteConflict', iam.delete_user, UserName='cron')
        iam.delete_access_key(UserName='cron', AccessKeyId=key['AccessKeyId'])
        iam.detach_user_policy(UserName='cron', PolicyArn=arn)
        iam.delete_user_policy(UserName='cron', PolicyName='s3')
        iam.update_user(UserName='cron', NewUserName='cron2')
        iam.delete_user(UserName='cron2')
        self.assertAwsError('NoSuchEntity', iam.get_user, UserName='cron2')

    def test_managed_policies(self):
        iam = self.iam
        pol = iam.create_policy(PolicyName='jobs', PolicyDocument=DOC, Description='d',
                                Tags=[{'Key': 'a', 'Value': '1'}])['Policy']
        arn = pol['Arn']
        self.assertEqual(arn, 'arn:aws:iam::123456789012:policy/jobs')
        self.assertAwsError('EntityAlreadyExists', iam.create_policy, PolicyName='jobs',
                            PolicyDocument=DOC)
        self.assertEqual(iam.get_policy(PolicyArn=arn)['Policy']['DefaultVersionId'], 'v1')
        version = iam.get_policy_version(PolicyArn=arn, VersionId='v1')['PolicyVersion']
        self.assertEqual(version['Document'], json.loads(DOC))
        v2 = iam.create_policy_version(PolicyArn=arn, PolicyDocument=DOC, SetAsDefault=True)
        self.assertEqual(v2['PolicyVersion']['VersionId'], 'v2')
        self.assertEqual(len(iam.list_policy_versions(PolicyArn=arn)['Versions']), 2)
        iam.set_default_policy_version(PolicyArn=arn, VersionId='v1')
        iam.delete_policy_version(PolicyArn=arn, VersionId='v2')
        local = iam.list_policies(Scope='Local')['Policies']
        self.assertEqual([p['PolicyName'] for p in local], ['jobs'])
        self.assertGreater(len(iam.list_policies(Scope='AWS', MaxItems=5)['Policies']), 0)
        iam.tag_policy(PolicyArn=arn, Tags=[{'Key': 'b', 'Value': '2'}])
        iam.untag_policy(PolicyArn=arn, TagKeys=['a'])
        self.assertEqual(iam.list_policy_tags(PolicyArn=arn)['Tags'], [{'Key': 'b', 'Value': '2'}])
        iam.create_role(RoleName='r-pol', AssumeRolePolicyDocument=TRUST)
        iam.attach_role_policy(RoleName='r-pol', PolicyArn=arn)
        ents = iam.list_entities_for_policy(PolicyArn=arn)
        self.assertEqual([r['RoleName'] for r in ents['PolicyRoles']], ['r-pol'])
        self.assertAwsError('DeleteConflict', iam.delete_policy, PolicyArn=arn)
        iam.detach_role_policy(RoleName='r-pol', PolicyArn=arn)
        iam.delete_policy(PolicyArn=arn)
        self.assertAwsError('NoSuchEntity', iam.get_policy, PolicyArn=arn)

    def test_roles_instance_profiles_and_assume_role(self):
        iam = self.iam
        role = iam.create_role(RoleName='home', AssumeRolePolicyDocument=TRUST,
                               Description='x', Tags=[{'Key': 'k', 'Value': 'v'}])['Role']
        self.assertEqual(role['Arn'], 'arn:aws:iam::123456789012:role/home')
        self.assertEqual(role['AssumeRolePolicyDocument'], json.loads(TRUST))
        self.assertEqual(iam.get_role(RoleName='home')['Role']['RoleId'], role['RoleId'])
        self.assertIn('home', [r['RoleName'] for r in iam.list_roles()['Roles']])
        self.assertIn('home', [r['RoleName'] for r in iam.get_account_authorization_details(
            Filter=['Role'])['RoleDetailList']])
        iam.update_role(RoleName='home', Description='y', MaxSessionDuration=7200)
        self.assertEqual(iam.update_role_description(RoleName='home', Description='z')
                         ['Role']['Description'], 'z')
        iam.update_assume_role_policy(RoleName='home', PolicyDocument=TRUST)
        iam.tag_role(RoleName='home', Tags=[{'Key': 'n', 'Value': '1'}])
        iam.untag_role(RoleName='home', TagKeys=['k'])
        self.assertEqual(iam.list_role_tags(RoleName='home')['Tags'], [{'Key': 'n', 'Value': '1'}])
        iam.put_role_policy(RoleName='home', PolicyName='inline', PolicyDocument=DOC)
        self.assertEqual(iam.get_role_policy(RoleName='home', PolicyName='inline')
                         ['PolicyDocument'], json.loads(DOC))
        self.assertEqual(iam.list_role_policies(RoleName='home')['PolicyNames'], ['inline'])
        aws_arn = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore'
        iam.attach_role_policy(RoleName='home', PolicyArn=aws_arn)
        self.assertEqual(len(iam.list_attached_role_policies(RoleName='home')
                             ['AttachedPolicies']), 1)

        prof = iam.create_instance_profile(InstanceProfileName='home-prof',
                                           Tags=[{'Key': 't', 'Value': '1'}])['InstanceProfile']
        self.assertEqual(prof['Arn'], 'arn:aws:iam::123456789012:instance-profile/home-prof')
        iam.add_role_to_instance_profile(InstanceProfileName='home-prof', RoleName='home')
        self.assertAwsError('LimitExceeded', iam.add_role_to_instance_profile,
                            InstanceProfileName='home-prof', RoleName='home')
        got = iam.get_instance_profile(InstanceProfileName='home-prof')['InstanceProfile']
        self.assertEqual([r['RoleName'] for r in got['Roles']], ['home'])
        self.assertEqual(len(iam.list_instance_profiles()['InstanceProfiles']), 1)
        self.assertEqual(len(iam.list_instance_profiles_for_role(RoleName='home')
                             ['InstanceProfiles']), 1)
        iam.tag_instance_profile(InstanceProfileName='home-prof', Tags=[{'Key': 'u', 'Value': '2'}])
        iam.untag_instance_profile(InstanceProfileName='home-prof', TagKeys=['t'])
        self.assertEqual(iam.list_instance_profile_tags(InstanceProfileName='home-prof')['Tags'],
                         [{'Key': 'u', 'Value': '2'}])
        self.assertAwsError('DeleteConflict', iam.delete_instance_profile,
                            InstanceProfileName='home-prof')

        creds = self.sts.assume_role(RoleArn=role['Arn'], RoleSessionName='job')
        c = creds['Credentials']
        self.assertTrue(c['AccessKeyId'].startswith('ASIA'))
        self.assertEqual(creds['AssumedRoleUser']['Arn'],
                         'arn:aws:sts::123456789012:assumed-role/home/job')
        assumed = self.client('sts', key=c['AccessKeyId'], secret=c['SecretAccessKey'],
                              token=c['SessionToken'])
        self.assertEqual(assumed.get_caller_identity()['Arn'],
                         'arn:aws:sts::123456789012:assumed-role/home/job')
        no_token = self.client('sts', key=c['AccessKeyId'], secret=c['SecretAccessKey'])
        self.assertAwsError('InvalidClientTokenId', no_token.get_caller_identity)
        self.assertAwsError('AccessDenied', self.sts.assume_role,
                            RoleArn='arn:aws:iam::123456789012:role/nope', RoleSessionName='xy')

        iam.remove_role_from_instance_profile(InstanceProfileName='home-prof', RoleName='home')
        iam.delete_instance_profile(InstanceProfileName='home-prof')
        self.assertAwsError('DeleteConflict', iam.delete_role, RoleName='home')
        iam.detach_role_policy(RoleName='home', PolicyArn=aws_arn)
        iam.delete_role_policy(RoleName='home', PolicyName='inline')
        iam.delete_role(RoleName='home')
        self.assertAwsError('NoSuchEntity', iam.get_role, RoleName='home')

    def test_caller_identity(self):
        ident = self.sts.get_caller_identity()
        self.assertEqual(ident['Account'], '123456789012')
        self.assertEqual(ident['Arn'], 'arn:aws:iam::123456789012:user/cpstack-test')


if __name__ == '__main__':
    unittest.main(verbosity=2)
