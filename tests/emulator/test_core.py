"""The emulator's machinery: signatures, routing, fault injection, call
counters, admin API, persistence, keep-alive parallelism, the launcher."""

import email.utils
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

from emutest import HERE, EmulatorTestCase

import server


def admin(url, path, body=None, method=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url + '/_emulator/' + path, data=data,
                                 method=method or ('POST' if data else 'GET'))
    with urllib.request.urlopen(req) as resp:
        return json.loads(resp.read())


class SignatureTest(EmulatorTestCase):

    def test_bad_secret_per_protocol(self):
        cases = [('iam', 'list_users', {}, 'SignatureDoesNotMatch', 403),
                 ('ec2', 'describe_vpcs', {}, 'SignatureDoesNotMatch', 403),
                 ('ecr', 'describe_repositories', {}, 'InvalidSignatureException', 400),
                 ('lambda', 'list_functions', {}, 'InvalidSignatureException', 403),
                 ('s3', 'list_buckets', {}, 'SignatureDoesNotMatch', 403)]
        for service, op, args, code, status in cases:
            client = self.client(service, secret='wrong-secret')
            err = self.assertAwsError(code, getattr(client, op), **args)
            self.assertEqual(err.response['ResponseMetadata']['HTTPStatusCode'], status, service)

    def test_unknown_access_key(self):
        for service, op, code in (('sts', 'get_caller_identity', 'InvalidClientTokenId'),
                                  ('s3', 'list_buckets', 'InvalidAccessKeyId'),
                                  ('ecs', 'list_clusters', 'UnrecognizedClientException'),
                                  ('ec2', 'describe_vpcs', 'AuthFailure')):
            client = self.client(service, key='AKIDUNKNOWN', secret='x')
            self.assertAwsError(code, getattr(client, op))

    def test_tampered_body_and_clock_skew(self):
        sts = self.client('sts')

        def tamper(request, **_):      # change the body after signing
            body = request.body if isinstance(request.body, bytes) else request.body.encode()
            request.body = body + b'&Extra=1'
            request.headers['Content-Length'] = str(len(request.body))
        sts.meta.events.register('before-send.sts.GetCallerIdentity', tamper)
        self.assertAwsError('SignatureDoesNotMatch', sts.get_caller_identity)
        try:
            admin(self.url, 'settings', {'clock_skew_seconds': 3600})
            with urllib.request.urlopen(self.url + '/_emulator/health') as resp:
                server_time = email.utils.parsedate_to_datetime(resp.headers['Date'])
            self.assertGreater(server_time.timestamp() - time.time(), 3500)
            self.assertAwsError('SignatureDoesNotMatch', self.client('sts').get_caller_identity)
            self.assertAwsError('RequestTimeTooSkewed', self.client('s3').list_buckets)
        finally:
            admin(self.url, 'settings', {'clock_skew_seconds': 0})

    def test_unsigned_and_unknown_operation(self):
        req = urllib.request.Request(self.url + '/', data=b'Action=ListUsers&Version=2010-05-08',
                                     method='POST')
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(req)
        self.assertEqual(cm.exception.code, 403)
        self.assertIn(b'MissingAuthenticationToken', cm.exception.read())
        self.assertAwsError('InvalidAction', self.client('iam').list_groups)


class ExtraKeysTest(EmulatorTestCase):
    EMULATOR_ARGS = {'keys': {'AKIDOTHER': 'other-secret'}}

    def test_configured_keys_replace_default(self):
        other = self.client('sts', key='AKIDOTHER', secret='other-secret')
        self.assertEqual(other.get_caller_identity()['Account'], '123456789012')
        self.assertAwsError('InvalidClientTokenId', self.client('sts').get_caller_identity)


class FaultTest(EmulatorTestCase):

    def tearDown(self):
        admin(self.url, 'faults', method='DELETE')

    def test_scripted_faults_per_protocol(self):
        admin(self.url, 'faults', {'next': [
            {'kind': 'throttle', 'service': 's3', 'operation': 'ListBuckets', 'count': 1},
            {'kind': 'throttle', 'operation': 'ec2:DescribeVpcs', 'count': 1},
            {'kind': 'throttle', 'operation': 'DescribeRepositories', 'count': 1},
            {'kind': 'throttle', 'operation': 'ListUsers', 'count': 1},
            {'kind': 'throttle', 'operation': 'ListFunctions', 'count': 1},
            {'kind': 'error', 'operation': 'GetCallerIdentity', 'count': 2}]})
        self.assertAwsError('SlowDown', self.client('s3').list_buckets)
        self.assertAwsError('RequestLimitExceeded', self.client('ec2').describe_vpcs)
        self.assertAwsError('ThrottlingException', self.client('ecr').describe_repositories)
        self.assertAwsError('Throttling', self.client('iam').list_users)
        self.assertAwsError('TooManyRequestsException', self.client('lambda').list_functions)
        sts = self.client('sts')
        self.assertAwsError('InternalFailure', sts.get_caller_identity)
        self.assertAwsError('InternalFailure', sts.get_caller_identity)
        sts.get_caller_identity()             # the script is used up
        self.client('s3').list_buckets()
        self.assertEqual(admin(self.url, 'faults')['next'], [])

    def test_scripted_aws_errors_per_protocol(self):
        admin(self.url, 'faults', {'next': [
            {'kind': 'error', 'service': 'iam', 'operation': 'AddRoleToInstanceProfile',
             'code': 'NoSuchEntity', 'status': 404, 'count': 2},
            {'kind': 'error', 'operation': 'iam:GetRole', 'code': 'NoSuchEntityException'},
            {'kind': 'error', 'operation': 'ec2:DescribeVpcs', 'code': 'InvalidVpcID.NotFound',
             'message': 'The vpc ID vpc-1 does not exist'},
            {'kind': 'error', 'operation': 'DescribeRepositories',
             'code': 'RepositoryNotFoundException'},
            {'kind': 'error', 'operation': 'ListFunctions', 'code': 'ResourceConflictException',
             'status': 409},
            {'kind': 'error', 'operation': 's3:ListBuckets', 'code': 'AccessDenied',
             'status': 403},
            {'kind': 'error', 'operation': 'GetCallerIdentity', 'status': 502}]})
        iam = self.client('iam')
        for _ in range(2):
            err = self.assertAwsError('NoSuchEntity', iam.add_role_to_instance_profile,
                                      InstanceProfileName='p', RoleName='r')
            self.assertEqual(err.response['ResponseMetadata']['HTTPStatusCode'], 404)
            self.assertIsInstance(err, iam.exceptions.NoSuchEntityException)
        # the model's error shape name is accepted and its HTTP status used
        err = self.assertAwsError('NoSuchEntity', iam.get_role, RoleName='r')
        self.assertEqual(err.response['ResponseMetadata']['HTTPStatusCode'], 404)
        err = self.assertAwsError('InvalidVpcID.NotFound', self.client('ec2').describe_vpcs)
        self.assertEqual(err.response['Error']['Message'], 'The vpc ID vpc-1 does not exist')
        self.assertEqual(err.response['ResponseMetadata']['HTTPStatusCode'], 400)
        ecr = self.client('ecr')
        err = self.assertAwsError('RepositoryNotFoundException', ecr.describe_repositories)
        self.assertIsInstance(err, ecr.exceptions.RepositoryNotFoundException)
        lam = self.client('lambda')
        err = self.assertAwsError('ResourceConflictException', lam.list_functions)
        self.assertEqual(err.response['ResponseMetadata']['HTTPStatusCode'], 409)
        err = self.assertAwsError('AccessDenied', self.client('s3').list_buckets)
        self.assertEqual(err.response['ResponseMetadata']['HTTPStatusCode'], 403)
        err = self.assertAwsError('InternalFailure', self.client('sts').get_caller_identity)
        self.assertEqual(err.response['ResponseMetadata']['HTTPStatusCode'], 502)
        self.client('sts').get_caller_identity()      # the scripts are used up
        self.assertEqual(admin(self.url, 'faults')['next'], [])
        with self.assertRaises(urllib.error.HTTPError) as cm:
            admin(self.url, 'faults', {'next': [{'kind': 'error', 'status': 200}]})
        self.assertEqual(cm.exception.code, 400)

    def test_env_error_with_code(self):
        from faults import from_env
        cfg = from_env({'EMULATOR_FAIL_NEXT':
                        'error:ec2:RunInstances:1:InvalidParameterValue:400,'
                        'error:iam:GetRole:2:NoSuchEntity::Role r: not found,'
                        'error:::1::503'})
        self.assertEqual(cfg['next'], [
            {'kind': 'error', 'service': 'ec2', 'operation': 'RunInstances', 'count': 1,
             'code': 'InvalidParameterValue', 'status': 400},
            {'kind': 'error', 'service': 'iam', 'operation': 'GetRole', 'count': 2,
             'code': 'NoSuchEntity', 'message': 'Role r: not found'},
            {'kind': 'error', 'service': None, 'operation': None, 'count': 1, 'status': 503}])
        emu = server.Emulator()
        emu.faults.configure({'clear': True})
        emu.faults.configure(cfg)
        self.assertEqual([s['code'] for s in emu.faults.describe()['next']],
                         ['InvalidParameterValue', 'NoSuchEntity', None])

    def test_retrying_client_succeeds_and_calls_are_counted(self):
        admin(self.url, 'calls', method='DELETE')
        admin(self.url, 'faults', {'next': [{'kind': 'throttle', 'operation': 'CreateRepository',
                                             'count': 2}]})
        ecr = self.client('ecr', retries={'total_max_attempts': 5, 'mode': 'standard'})
        ecr.create_repository(repositoryName='retried')
        counters = admin(self.url, 'calls')
        self.assertEqual(counters['calls']['ecr:CreateRepository'], 3)
        self.assertEqual(counters['faults']['ecr:CreateRepository'], 2)
        self.assertEqual(counters['errors']['ecr:CreateRepository'], {'ThrottlingException': 2})
        self.assertEqual(len(ecr.describe_repositories()['repositories']), 1)

    def test_dropped_connection_and_latency(self):
        admin(self.url, 'faults', {'next': [{'kind': 'drop', 'operation': 'ListBuckets'}]})
        with self.assertRaises(Exception) as cm:
            self.client('s3').list_buckets()
        self.assertNotIsInstance(getattr(cm.exception, 'response', None), dict)
        admin(self.url, 'faults', {'latency_ms': 300, 'operation': 'GetCallerIdentity'})
        start = time.time()
        self.client('sts').get_caller_identity()
        self.assertGreaterEqual(time.time() - start, 0.3)
        start = time.time()
        self.client('s3').list_buckets()
        self.assertLess(time.time() - start, 0.3)

    def test_rates_with_seed(self):
        admin(self.url, 'faults', {'error_rate': 0.5, 'seed': 7, 'service': 'sts'})
        sts = self.client('sts')
        failures = 0
        for _ in range(40):
            try:
                sts.get_caller_identity()
            except Exception:
                failures += 1
        self.assertTrue(5 < failures < 35, failures)
        admin(self.url, 'faults', {'error_rate': 1.0, 'service': 'sts'})
        self.client('s3').list_buckets()      # other services untouched

    def test_env_faults(self):
        from faults import from_env
        cfg = from_env({'EMULATOR_THROTTLE_RATE': '0.25', 'EMULATOR_LATENCY_MS': '10',
                        'EMULATOR_FAIL_NEXT': 'throttle:s3:PutObject:2,drop::ListUsers:1'})
        self.assertEqual(cfg['throttle_rate'], '0.25')
        self.assertEqual(cfg['next'][1], {'kind': 'drop', 'service': None,
                                          'operation': 'ListUsers', 'count': 1})
        self.assertEqual(admin(self.url, 'health'), {'ok': True})
        self.assertIn('CreateBucket', admin(self.url, 'operations')['s3'])


class ValidationTest(EmulatorTestCase):
    """Missing required members answer each service's validation error (400),
    generically from the botocore input shapes, never a 500."""

    def raw(self, service):       # a client that sends what it is given, like cpstack's
        return self.client(service, parameter_validation=False)

    def check(self, code, fn, where=None, **kwargs):
        err = self.assertAwsError(code, fn, **kwargs)
        self.assertEqual(err.response['ResponseMetadata']['HTTPStatusCode'], 400, str(err))
        if where:
            self.assertIn(where, err.response['Error']['Message'])
        return err

    def test_missing_required_members_per_protocol(self):
        self.check('InvalidParameterException', self.raw('ecr').list_tags_for_resource,
                   "Value null at 'resourceArn' failed to satisfy constraint: "
                   "Member must not be null")
        self.check('InvalidParameterException', self.raw('ecs').describe_services,
                   "'services'", cluster='c')
        self.check('InvalidParameterException', self.raw('logs').create_log_group,
                   "'logGroupName'")
        self.check('ValidationException',
                   self.raw('application-autoscaling').register_scalable_target,
                   '2 validation errors detected', ServiceNamespace='ecs')
        self.check('ValidationError', self.raw('iam').get_role, "'roleName'")
        self.check('ValidationError', self.raw('elbv2').create_listener,
                   "'defaultActions.1.member.type'", LoadBalancerArn='arn:lb',
                   DefaultActions=[{'TargetGroupArn': 'arn:tg'}])
        self.check('MissingParameter', self.raw('cloudwatch').put_metric_alarm,
                   'AlarmName', EvaluationPeriods=1, ComparisonOperator='GreaterThanThreshold')
        self.check('MissingParameter', self.raw('ec2').delete_vpc,
                   'The request must contain the parameter VpcId')
        self.check('ValidationException', self.raw('lambda').create_function, "'role'",
                   FunctionName='f', Runtime='python3.12', Handler='main.handler',
                   Code={'ZipFile': b'x'})
        s3 = self.raw('s3')
        s3.create_bucket(Bucket='validation-bucket',
                         CreateBucketConfiguration={'LocationConstraint': 'eu-west-1'})
        self.check('MalformedXML', s3.put_bucket_tagging, Bucket='validation-bucket')
        counters = admin(self.url, 'calls')
        self.assertEqual(counters['errors']['ecr:ListTagsForResource'],
                         {'InvalidParameterException': 1})


class KeepAliveTest(EmulatorTestCase):

    def test_parallel_requests_on_kept_alive_connections(self):
        s3 = self.client('s3', max_pool_connections=8)
        s3.create_bucket(Bucket='par-bucket',
                         CreateBucketConfiguration={'LocationConstraint': 'eu-west-1'})
        admin(self.url, 'faults', {'latency_ms': 50})
        errors = []

        def work(i):
            try:
                for j in range(5):
                    s3.put_object(Bucket='par-bucket', Key='k%d-%d' % (i, j), Body=b'x')
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)
        start = time.time()
        threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        admin(self.url, 'faults', method='DELETE')
        self.assertEqual(errors, [])
        self.assertLess(time.time() - start, 40 * 0.05)   # calls overlapped
        self.assertEqual(s3.list_objects_v2(Bucket='par-bucket')['KeyCount'], 40)
        conn = http.client.HTTPConnection(*self.server.server_address)
        for _ in range(2):    # two requests, one connection
            conn.request('GET', '/_emulator/health')
            self.assertEqual(conn.getresponse().read(), b'{\n "ok": true\n}')
        self.assertIsNotNone(conn.sock)
        conn.close()


class PersistenceTest(unittest.TestCase):

    def test_state_survives_restart_and_reset(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, 'state.json')
            srv, emu, url = server.start_in_thread(state_file=path)
            try:
                import boto3
                kw = dict(endpoint_url=url, region_name='eu-west-1',
                          aws_access_key_id='AKIDCPSTACKTEST',
                          aws_secret_access_key='cpstack-test-secret')
                s3 = boto3.client('s3', **kw)
                s3.create_bucket(Bucket='kept', CreateBucketConfiguration={
                    'LocationConstraint': 'eu-west-1'})
                s3.put_object(Bucket='kept', Key='bin', Body=bytes(range(256)))
                boto3.client('iam', **kw).create_user(UserName='kept-user')
            finally:
                srv.shutdown()
                srv.server_close()
            srv, emu, url = server.start_in_thread(state_file=path)
            try:
                kw['endpoint_url'] = url
                s3 = boto3.client('s3', **kw)
                self.assertEqual(s3.get_object(Bucket='kept', Key='bin')['Body'].read(),
                                 bytes(range(256)))
                dump = admin(url, 'state')
                self.assertEqual(dump['s3']['buckets']['kept']['Objects']['bin']['Body']['bytes'],
                                 256)
                self.assertIn('kept-user', dump['iam']['users'])
                self.assertEqual(admin(url, 'save', {})['saved'], path)
                admin(url, 'reset', {})
                self.assertEqual(admin(url, 'state'), {})
                self.assertEqual(s3.list_buckets()['Buckets'], [])
            finally:
                srv.shutdown()
                srv.server_close()


class LauncherTest(unittest.TestCase):

    def test_run_sh_port_file_and_sigterm(self):
        with tempfile.TemporaryDirectory() as tmp:
            port_file = os.path.join(tmp, 'port')
            proc = subprocess.Popen([os.path.join(HERE, 'run.sh'), '--port-file', port_file],
                                    stdout=subprocess.PIPE, text=True)
            try:
                line = proc.stdout.readline()
                port = int(open(port_file).read())
                self.assertEqual(line.strip(), 'listening on http://127.0.0.1:%d' % port)
                self.assertEqual(admin('http://127.0.0.1:%d' % port, 'health'), {'ok': True})
            finally:
                proc.send_signal(signal.SIGTERM)
                self.assertEqual(proc.wait(10), 0)

    def test_exits_when_parent_dies(self):
        script = ('import subprocess,sys; p=subprocess.Popen([sys.argv[1], "%s/server.py"],'
                  'stdout=subprocess.PIPE, text=True); print(p.pid, flush=True); '
                  'print(p.stdout.readline(), flush=True)' % HERE)
        out = subprocess.run([sys.executable, '-c', script, '/usr/bin/python3'],
                             capture_output=True, text=True, timeout=30).stdout.split('\n')
        pid = int(out[0])
        self.assertIn('listening on http://127.0.0.1:', out[1])
        for _ in range(50):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        os.kill(pid, signal.SIGTERM)
        self.fail('emulator outlived its parent')


if __name__ == '__main__':
    unittest.main(verbosity=2)
