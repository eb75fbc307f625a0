"""AWS CLI (a second real client, with its own newer botocore) against the
emulator, configured only through the environment like cpstack is."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

from emutest import KEY, SECRET, EmulatorTestCase

AWS = shutil.which('aws') or '/usr/bin/aws'


@unittest.skipUnless(os.path.exists(AWS), 'AWS CLI not installed')
class AwsCliTest(EmulatorTestCase):

    def aws(self, *args):
        env = {'PATH': os.environ.get('PATH', '/usr/bin:/bin'), 'HOME': self.home,
               'AWS_ENDPOINT_URL': self.url, 'AWS_ACCESS_KEY_ID': KEY,
               'AWS_SECRET_ACCESS_KEY': SECRET, 'AWS_REGION': 'eu-west-1',
               'AWS_DEFAULT_REGION': 'eu-west-1', 'AWS_PAGER': ''}
        out = subprocess.run([AWS, '--output', 'json'] + list(args), env=env, text=True,
                             capture_output=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        if args[0] == 's3':        # the high-level commands print text
            return out.stdout
        return json.loads(out.stdout) if out.stdout.strip() else None

    def setUp(self):
        super().setUp()
        self.home = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.home)

    def test_smoke(self):
        self.assertEqual(self.aws('sts', 'get-caller-identity')['Account'], '123456789012')
        self.aws('s3api', 'create-bucket', '--bucket', 'cli-bucket',
                 '--create-bucket-configuration', 'LocationConstraint=eu-west-1')
        path = os.path.join(self.home, 'page.html')
        with open(path, 'w') as f:
            f.write('<h1>hello</h1>\n')
        self.aws('s3', 'cp', path, 's3://cli-bucket/site/index.html')
        listed = self.aws('s3api', 'list-objects-v2', '--bucket', 'cli-bucket')
        self.assertEqual([o['Key'] for o in listed['Contents']], ['site/index.html'])
        self.assertEqual(listed['Contents'][0]['Size'], 15)       # aws-chunked body decoded
        vpc = self.aws('ec2', 'create-vpc', '--cidr-block', '10.9.0.0/16')['Vpc']
        self.assertRegex(vpc['VpcId'], r'^vpc-[0-9a-f]{17}$')
        repo = self.aws('ecr', 'create-repository', '--repository-name', 'cli-repo')
        self.assertTrue(repo['repository']['repositoryUri'].endswith('/cli-repo'))

if __name__ == '__main__':
    unittest.main(verbosity=2)
