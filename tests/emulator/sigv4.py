"""SigV4 verification for the emulator, using botocore's own signer.

For each request we rebuild a botocore AWSRequest from what came over the
wire (method, raw path and query, exactly the headers the client listed in
SignedHeaders, body) and let botocore.auth.SigV4Auth (S3SigV4Auth for S3,
the *QueryAuth variants for presigned URLs) compute the signature with the
secret of the access key the client named.  A mismatch is answered with the
error AWS itself returns for that service (see ERRORS).
"""

import datetime
import hashlib
import hmac
import re
from urllib.parse import urlsplit

from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth, SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest, HTTPHeaders
from botocore.credentials import Credentials

from store import AwsError

# Per protocol: (bad signature, unknown access key, HTTP status of those)
ERRORS = {
    'query': ('SignatureDoesNotMatch', 'InvalidClientTokenId', 403),
    'ec2': ('SignatureDoesNotMatch', 'AuthFailure', 403),
    'json': ('InvalidSignatureException', 'UnrecognizedClientException', 400),
    'rest-json': ('InvalidSignatureException', 'UnrecognizedClientException', 403),
    'rest-xml': ('SignatureDoesNotMatch', 'InvalidAccessKeyId', 403),
}
UNKNOWN_KEY_STATUS = {'ec2': 401}
SKEW_ERRORS = {'rest-xml': ('RequestTimeTooSkewed', 403), 'ec2': ('RequestExpired', 400),
               'json': ('InvalidSignatureException', 400)}
MAX_SKEW = datetime.timedelta(minutes=15)

_AUTH_RE = re.compile(r'AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),'
                      r'\s*Signature=([0-9a-f]+)')


class Credential:
    """What the client claims: parsed from Authorization or the query."""

    def __init__(self, access_key, date, region, service, signed_headers, signature,
                 timestamp, presigned):
        self.access_key = access_key
        self.date = date
        self.region = region
        self.service = service
        self.signed_headers = signed_headers
        self.signature = signature
        self.timestamp = timestamp
        self.presigned = presigned


def parse_credential(headers, query):
    """Credential from the Authorization header or presigned query, or None."""
    auth = headers.get('Authorization')
    if auth:
        m = _AUTH_RE.match(auth.strip())
        if not m:
            raise AwsError('IncompleteSignature', 'Authorization header requires '
                           'Credential, SignedHeaders and Signature parameters.', 400)
        scope, signed, sig = m.groups()
        ts = headers.get('X-Amz-Date') or ''
        presigned = False
    elif 'X-Amz-Credential' in query:
        scope = query['X-Amz-Credential'][0]
        signed = query.get('X-Amz-SignedHeaders', ['host'])[0]
        sig = query.get('X-Amz-Signature', [''])[0]
        ts = query.get('X-Amz-Date', [''])[0]
        presigned = True
    else:
        return None
    parts = scope.split('/')
    if len(parts) != 5 or parts[4] != 'aws4_request':
        raise AwsError('IncompleteSignature', 'Credential should be scoped to a valid '
                       'region, service and aws4_request terminator.', 400)
    return Credential(parts[0], parts[1], parts[2], parts[3], signed.split(';'), sig, ts,
                      presigned)


class _ExactHeaders:
    """Mixin: sign exactly the headers the client listed, nothing more."""

    signed_names = ()

    def headers_to_sign(self, request):
        out = HTTPHeaders()
        for name in self.signed_names:
            for value in request.headers.get_all(name) or ['']:
                out[name] = value
        return out


def _signer(service, region, creds, names, s3, presigned):
    if presigned:
        base = S3SigV4QueryAuth if s3 else SigV4QueryAuth
    else:
        base = S3SigV4Auth if s3 else SigV4Auth
    cls = type('Verify' + base.__name__, (_ExactHeaders, base), {'signed_names': names})
    return cls(Credentials(creds['access_key'], creds['secret']), service, region)


def expected_signature(cred, creds, method, raw_path, raw_query, header_items, body, s3):
    """Signature botocore computes for this request with these credentials."""
    query = raw_query
    if cred.presigned:
        query = '&'.join(p for p in raw_query.split('&')
                         if not p.startswith('X-Amz-Signature='))
    headers = HTTPHeaders()
    wanted = set(cred.signed_headers)
    for name, value in header_items:
        if name.lower() in wanted or (name.lower() == 'x-amz-content-sha256' and s3):
            headers.add_header(name.lower(), value)
    url = 'http://placeholder' + raw_path + ('?' + query if query else '')
    request = AWSRequest(method=method, url=url, headers=headers, data=body)
    request.context['timestamp'] = cred.timestamp
    signer = _signer(cred.service, cred.region, creds, cred.signed_headers, s3, cred.presigned)
    if cred.presigned and 'x-amz-content-sha256' in request.headers and not s3:
        del request.headers['x-amz-content-sha256']
    canonical = signer.canonical_request(request)
    return signer.signature(signer.string_to_sign(request, canonical), request)


def check_time(cred, protocol, clock):
    try:
        ts = datetime.datetime.strptime(cred.timestamp, '%Y%m%dT%H%M%SZ')
    except ValueError:
        raise AwsError('IncompleteSignature', 'Request must contain a valid X-Amz-Date '
                       '(yyyyMMddTHHmmssZ) header.', 400)
    if cred.presigned:
        return
    skew = abs(clock.replace(tzinfo=None) - ts)
    if skew > MAX_SKEW:
        code, status = SKEW_ERRORS.get(protocol, ('SignatureDoesNotMatch', 403))
        raise AwsError(code, 'Signature expired: %s is now earlier or later than %s '
                       '(server time +/- 15 min.)' % (cred.timestamp,
                                                     clock.strftime('%Y%m%dT%H%M%SZ')),
                       status)


def verify(cred, creds, protocol, method, raw_path, raw_query, header_items, body):
    """Raise the service's AwsError unless the signature is right."""
    bad_sig, _, status = ERRORS[protocol]
    s3 = protocol == 'rest-xml' and cred.service == 's3'
    want = expected_signature(cred, creds, method, raw_path, raw_query, header_items, body, s3)
    if not hmac.compare_digest(want, cred.signature):
        raise AwsError(bad_sig, 'The request signature we calculated does not match the '
                       'signature you provided. Check your AWS Secret Access Key and '
                       'signing method. Consult the service documentation for details.',
                       status)
    if s3 and not cred.presigned:
        declared = dict((k.lower(), v) for k, v in header_items).get('x-amz-content-sha256')
        if declared is None:
            raise AwsError('InvalidRequest', 'Missing required header for this request: '
                           'x-amz-content-sha256', 400)
        if re.fullmatch(r'[0-9a-f]{64}', declared) and \
                declared != hashlib.sha256(body).hexdigest():
            raise AwsError('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' "
                           "header does not match what was computed.", 400)


def unknown_key(protocol):
    _, code, status = ERRORS[protocol]
    status = UNKNOWN_KEY_STATUS.get(protocol, status)
    if protocol == 'rest-xml':
        msg = 'The AWS Access Key Id you provided does not exist in our records.'
    elif protocol == 'ec2':
        msg = 'AWS was not able to validate the provided access credentials'
    else:
        msg = 'The security token included in the request is invalid.'
    return AwsError(code, msg, status)


def host_of(url):
    return urlsplit(url).netloc
