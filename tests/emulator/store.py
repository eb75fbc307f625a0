"""Shared building blocks of the emulator's services: errors, ids, state.

  * AwsError  - raised by handlers; protocol.py turns it into the service's
                error format (code, message, HTTP status, extra fields).
  * Context   - what a handler knows about the call: region, account, caller.
  * Service   - base class of every services/<name>.py handler class.  Its
                operations are methods named exactly like the AWS operation
                (CreateUser, DescribeVpcs ...) taking (ctx, params) and returning
                a dict shaped like the operation's output shape.
  * State     - all resources, as plain JSON-able dicts, per service (and per
                region for regional services); saved to / loaded from a JSON file.

Every service keeps its data in self.data (global) or self.regional(ctx)
(per region); both live inside State so reset/dump/persist see everything.
"""

import base64
import fnmatch
import hashlib
import json
import os
import random
import threading
import time
import uuid

ACCOUNT_ID = '123456789012'


class AwsError(Exception):
    """An AWS error response: code, message, HTTP status, extra body fields."""

    def __init__(self, code, message, status=400, **extra):
        super().__init__('%s: %s' % (code, message))
        self.code = code
        self.message = message
        self.status = status
        self.extra = extra


class Context:
    """Per-call facts handed to handlers."""

    def __init__(self, region, service, operation, principal, request_id, host='', port=0):
        self.region = region
        self.service = service
        self.operation = operation
        self.principal = principal or {}
        self.request_id = request_id
        self.host = host
        self.port = port
        self.account = ACCOUNT_ID

    def arn(self, service, resource, region=True):
        return 'arn:aws:%s:%s:%s:%s' % (service, self.region if region else '',
                                        self.account, resource)


# ---------------------------------------------------------------- ids and helpers

_rng = random.Random(os.environ.get('EMULATOR_SEED'))
_rng_lock = threading.Lock()


def hex_id(n=17):
    with _rng_lock:
        return ''.join(_rng.choice('0123456789abcdef') for _ in range(n))


def ec2_id(prefix, n=17):
    """vpc-0a1b2c3d4e5f67890 style ids."""
    return '%s-%s' % (prefix, hex_id(n))


def upper_id(prefix, n=16):
    """AIDA/AROA/ANPA style IAM ids and access key ids."""
    with _rng_lock:
        return prefix + ''.join(_rng.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567') for _ in range(n))


def secret(n=40):
    with _rng_lock:
        alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/'
        return ''.join(_rng.choice(alphabet) for _ in range(n))


def new_uuid():
    return str(uuid.uuid4())


def now():
    return time.time()


def md5_hex(data):
    return hashlib.md5(data).hexdigest()


def sha256_b64(data):
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def tags_to_dict(tags, key='Key', value='Value'):
    return {t[key]: t.get(value, '') for t in (tags or [])}


def dict_to_tags(d, key='Key', value='Value'):
    return [{key: k, value: v} for k, v in sorted((d or {}).items())]


def paginate(items, token, max_items, default_max=1000):
    """Slice items for one page; tokens are opaque stringified offsets."""
    start = 0
    if token:
        try:
            start = int(base64.b64decode(token).decode())
        except ValueError:
            raise AwsError('InvalidNextToken', 'The specified token is invalid.')
    size = int(max_items or default_max)
    page = items[start:start + size]
    nxt = None
    if start + size < len(items):
        nxt = base64.b64encode(str(start + size).encode()).decode()
    return page, nxt


def match_value(pattern, value):
    """AWS filter value matching: * and ? wildcards, case-sensitive."""
    if value is None:
        return False
    if isinstance(value, bool):
        value = 'true' if value else 'false'
    return fnmatch.fnmatchcase(str(value), str(pattern))


# ---------------------------------------------------------------- state

class State:
    """All emulated resources.  data[service] is a JSON-able dict."""

    def __init__(self, path=None):
        self.path = path
        self.lock = threading.RLock()
        self.data = {}
        if path and os.path.exists(path):
            self.load()

    def service(self, name):
        return self.data.setdefault(name, {})

    def reset(self):
        with self.lock:
            self.data = {}

    def load(self):
        with open(self.path) as f:
            self.data = json.load(f, object_hook=_decode_bytes)

    def save(self):
        if not self.path:
            return
        with self.lock:
            text = json.dumps(self.data, default=_encode_bytes, sort_keys=True)
        tmp = self.path + '.tmp'
        with open(tmp, 'w') as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)

    def dump(self):
        """Every resource, bytes replaced by their size and md5 (for tests)."""
        with self.lock:
            return json.loads(json.dumps(self.data, default=_summarize_bytes, sort_keys=True))


def _encode_bytes(value):
    if isinstance(value, (bytes, bytearray)):
        return {'__bytes_b64__': base64.b64encode(value).decode()}
    raise TypeError('not JSON-able: %r' % type(value))


def _decode_bytes(obj):
    if len(obj) == 1 and '__bytes_b64__' in obj:
        return base64.b64decode(obj['__bytes_b64__'])
    return obj


def _summarize_bytes(value):
    if isinstance(value, (bytes, bytearray)):
        return {'bytes': len(value), 'md5': md5_hex(bytes(value))}
    raise TypeError('not JSON-able: %r' % type(value))


class Service:
    """Base class for service handlers.

    Subclasses set `model` (botocore service name) and define one method per
    implemented operation.  `xml_roots` names REST-XML response root elements
    where AWS's differ from the output shape name.
    """

    model = None
    xml_roots = {}
    global_service = False

    def __init__(self, server):
        self.server = server
        self.state = server.state

    @property
    def data(self):
        return self.state.service(self.model)

    def regional(self, ctx):
        return self.data.setdefault(ctx.region, {})

    def table(self, ctx, name):
        """A regional collection (dict id -> record)."""
        return self.regional(ctx).setdefault(name, {})

    def gtable(self, name):
        """A global collection (dict id -> record)."""
        return self.data.setdefault(name, {})

    def setting(self, name):
        return self.server.settings.get(name)

    def operations(self):
        return [n for n in dir(self) if n[:1].isupper() and callable(getattr(self, n))]

    def advance(self, record, state_key, transitions, polls_key='_polls'):
        """Move a record through transitional states on successive reads.

        transitions maps a transitional state to the state it reaches after
        `pending_polls` reads (setting, default 1).  Returns the record.
        """
        state = _get_path(record, state_key)
        if state in transitions:
            left = record.get(polls_key)
            if left is None:
                left = self.setting('pending_polls')
            if left <= 0:
                _set_path(record, state_key, transitions[state])
                record.pop(polls_key, None)
                hook = getattr(self, 'on_transition', None)
                if hook:
                    hook(record, state, transitions[state])
            else:
                record[polls_key] = left - 1
        return record


def _get_path(record, path):
    for part in path.split('.'):
        record = record.get(part) if isinstance(record, dict) else None
    return record


def _set_path(record, path, value):
    parts = path.split('.')
    for part in parts[:-1]:
        record = record.setdefault(part, {})
    record[parts[-1]] = value
