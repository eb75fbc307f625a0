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


# Runs several AWS CLI commands in ONE interpreter (the `aws` script's own
# Python and awscli package): starting the CLI costs ~1 s each time, the calls
# themselves milliseconds.  Prints one JSON list of {rc, out, err}.
DRIVER = r"""
import contextlib, io, json, sys
from awscli.clidriver import create_clidriver
results = []
for args in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = create_clidriver().main(args)
        except SystemExit as exc:
            rc = exc.code
    results.append({'rc': rc, 'out': out.getvalue(), 'err': err.getvalue()})
sys.__stdout__.write(json.dumps(results))
"""


def _interpreter():
    """The Python the `aws` script runs on (through a pyenv shim if it is one)."""
    script = AWS
    if '/shims/' in script:
        found = subprocess.run(['pyenv', 'which', 'aws'], text=True, capture_output=True)
        script = found.stdout.strip() or script
    with open(script, 'rb') as f:
        first = f.readline().decode(errors='replace')
    words = first[2:].split() if first.startswith('#!') else []
    if words and words[0].endswith('/env'):
        words = words[1:]
    return words[0] if words else None


@unittest.skipUnless(os.path.exists(AWS), 'AWS CLI not installed')
class AwsCliTest(EmulatorTestCase):

    def aws_batch(self, *commands):
        """Run every command (a list of CLI args) in one CLI process, in order;
        return their outputs (parsed JSON, or text for `aws s3`)."""
        env = {'PATH': os.environ.get('PATH', '/usr/bin:/bin'), 'HOME': self.home,
               'AWS_ENDPOINT_URL': self.url, 'AWS_ACCESS_KEY_ID': KEY,
               'AWS_SECRET_ACCESS_KEY': SECRET, 'AWS_REGION': 'eu-west-1',
               'AWS_DEFAULT_REGION': 'eu-west-1', 'AWS_PAGER': ''}
        # --endpoint-url too: Debian's AWS CLI v2.9 ignores AWS_ENDPOINT_URL.
        argv = [['--output', 'json', '--endpoint-url', self.url] + list(c) for c in commands]
        out = subprocess.run([_interpreter() or 'python3', '-c', DRIVER, json.dumps(argv)],
                             env=env, text=True, capture_output=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stderr)
        outputs = []
        for args, res in zip(commands, json.loads(out.stdout)):
            self.assertEqual(res['rc'], 0, '%s: %s' % (' '.join(args), res['err']))
            if args[0] == 's3':        # the high-level commands print text
                outputs.append(res['out'])
            else:
                outputs.append(json.loads(res['out']) if res['out'].strip() else None)
        return outputs

    def setUp(self):
        super().setUp()
        self.home = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.home)

    def test_smoke(self):
        path = os.path.join(self.home, 'page.html')
        with open(path, 'w') as f:
            f.write('<h1>hello</h1>\n')
        ident, _, _, listed, vpc, repo = self.aws_batch(
            ['sts', 'get-caller-identity'],
            ['s3api', 'create-bucket', '--bucket', 'cli-bucket',
             '--create-bucket-configuration', 'LocationConstraint=eu-west-1'],
            ['s3', 'cp', path, 's3://cli-bucket/site/index.html'],
            ['s3api', 'list-objects-v2', '--bucket', 'cli-bucket'],
            ['ec2', 'create-vpc', '--cidr-block', '10.9.0.0/16'],
            ['ecr', 'create-repository', '--repository-name', 'cli-repo'])
        self.assertEqual(ident['Account'], '123456789012')
        self.assertEqual([o['Key'] for o in listed['Contents']], ['site/index.html'])
        self.assertEqual(listed['Contents'][0]['Size'], 15)       # aws-chunked body decoded
        self.assertRegex(vpc['Vpc']['VpcId'], r'^vpc-[0-9a-f]{17}$')
        self.assertTrue(repo['repository']['repositoryUri'].endswith('/cli-repo'))
        calls = self.emulator.faults.counters()['calls']
        self.assertEqual(calls.get('s3:PutObject'), 1)


if __name__ == '__main__':
    unittest.main(verbosity=2)
