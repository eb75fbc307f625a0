"""Test helpers for the emulator's own tests: start one emulator per test
class in a thread, hand out real boto3 clients pointed at it, and check at
the end that the tests called every operation the tested services implement.
"""

import io
import os
import socket
import subprocess
import sys
import tempfile
import unittest
import warnings
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402

import server  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REGION = 'eu-west-1'
KEY, SECRET = 'AKIDCPSTACKTEST', 'cpstack-test-secret'

# *.localhost resolves to loopback in curl and browsers; teach this process too.
_getaddrinfo = socket.getaddrinfo
socket.getaddrinfo = lambda host, *a, **k: _getaddrinfo(
    '127.0.0.1' if isinstance(host, str) and host.endswith('.localhost') else host, *a, **k)


def lambda_zip(source='def handler(event, context):\n    return "ok"\n'):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w') as z:
        z.writestr('main.py', source)
    return buf.getvalue()


def self_signed_pem(domain='app.example.com'):
    """(certificate PEM, private key PEM) of a fresh self-signed RSA-2048
    certificate for domain, as ACM ImportCertificate takes them."""
    with tempfile.TemporaryDirectory() as tmp:
        cert, key = os.path.join(tmp, 'c.pem'), os.path.join(tmp, 'k.pem')
        subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30',
                        '-subj', '/CN=' + domain, '-addext', 'subjectAltName=DNS:' + domain,
                        '-keyout', key, '-out', cert], check=True, capture_output=True)
        with open(cert, 'rb') as c, open(key, 'rb') as k:
            return c.read(), k.read()


class EmulatorTestCase(unittest.TestCase):
    """One emulator per class; SERVICES lists those whose ops must all be called."""

    SERVICES = []
    EMULATOR_ARGS = {}

    def setUp(self):
        warnings.simplefilter('ignore', ResourceWarning)   # boto3 clients keep sockets

    @classmethod
    def setUpClass(cls):
        warnings.simplefilter('ignore', ResourceWarning)
        cls.server, cls.emulator, cls.url = server.start_in_thread(**cls.EMULATOR_ARGS)

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.SERVICES and not os.environ.get('EMULATOR_SKIP_COVERAGE'):
                called = set(cls.emulator.faults.counters()['calls'])
                missing = ['%s:%s' % (s, op) for s in cls.SERVICES
                           for op in cls.emulator.services[s].operations()
                           if '%s:%s' % (s, op) not in called]
                if missing:
                    raise AssertionError('operations never called by %s: %s'
                                         % (cls.__name__, ', '.join(missing)))
        finally:
            cls.server.shutdown()
            cls.server.server_close()

    def client(self, service, key=KEY, secret=SECRET, token=None, region=REGION, **config):
        config.setdefault('retries', {'total_max_attempts': 1})
        return boto3.client(service, endpoint_url=self.url, region_name=region,
                            aws_access_key_id=key, aws_secret_access_key=secret,
                            aws_session_token=token, config=Config(**config))

    def import_certificate(self, domain='app.example.com', region=REGION):
        """ARN of a self-signed certificate imported into the emulator's ACM."""
        cert, key = self_signed_pem(domain)
        return self.client('acm', region=region).import_certificate(
            Certificate=cert, PrivateKey=key)['CertificateArn']

    def assertAwsError(self, code, fn, *args, **kwargs):
        with self.assertRaises(Exception) as cm:
            fn(*args, **kwargs)
        err = getattr(cm.exception, 'response', {}).get('Error', {})
        self.assertEqual(err.get('Code'), code, str(cm.exception))
        return cm.exception
