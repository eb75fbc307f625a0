"""The cpstack AWS emulator: one loopback HTTP port that stands in for AWS.

Routing is AWS's own: the service comes from the SigV4 credential scope
(Authorization header, or X-Amz-Credential for presigned URLs), the
operation from X-Amz-Target (json), the Action parameter (query, ec2) or
method + path (rest-json Lambda, rest-xml S3, path-style or virtual-host
style `bucket.localhost`).  Every call is signature-checked (sigv4.py),
may be hit by an injected fault (faults.py), is parsed and answered from
botocore's models (protocol.py) and handled by services/<service>.py.

Admin paths (never signed, never faulted) live under /_emulator/; see
README.md.  Run `/usr/bin/python3 tests/emulator/server.py --help`.
"""

import argparse
import datetime
import importlib
import json
import os
import signal
import socket
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import constraints  # noqa: E402
import faults as faults_mod  # noqa: E402
import protocol  # noqa: E402
import sigv4  # noqa: E402
from store import AwsError, Context, State, new_uuid  # noqa: E402

SERVICE_MODULES = ['sts', 'iam', 's3', 'ec2', 'ecr', 'lambda', 'cloudwatch', 'ecs', 'elbv2',
                   'rds', 'logs', 'application_autoscaling', 'autoscaling', 'sns', 'acm',
                   'tagging', 'sqs', 'ssm', 'secretsmanager', 'dynamodb', 'events',
                   'route53']
DEFAULT_KEYS = {'AKIDCPSTACKTEST': 'cpstack-test-secret'}
READ_PREFIXES = ('Get', 'Describe', 'List', 'Head')

THROTTLE = {'query': ('Throttling', 400, 'Rate exceeded'),
            'ec2': ('RequestLimitExceeded', 503, 'Request limit exceeded.'),
            'json': ('ThrottlingException', 400, 'Rate exceeded'),
            'rest-json': ('TooManyRequestsException', 429, 'Rate exceeded'),
            'rest-xml': ('SlowDown', 503, 'Please reduce your request rate.')}
INTERNAL = {'query': ('InternalFailure', 500), 'ec2': ('InternalError', 500),
            'json': ('InternalFailure', 500), 'rest-json': ('ServiceException', 500),
            'rest-xml': ('InternalError', 500)}


class Emulator:
    """Everything behind the port: services, credentials, state, faults."""

    def __init__(self, keys=None, state_file=None, pending_polls=1, log=False):
        self.state = State(state_file)
        self.faults = faults_mod.Faults()
        self.faults.configure(faults_mod.from_env())
        self.keys = dict(keys or DEFAULT_KEYS)
        self.settings = {'pending_polls': pending_polls, 'clock_skew_seconds': 0}
        self.log = log
        self.services = {}      # botocore name -> handler
        self.by_signing = {}    # signing name -> handler
        for mod_name in SERVICE_MODULES:
            module = importlib.import_module('services.' + mod_name)
            handler = module.Handler(self)
            model = protocol.service_model(handler.model)
            handler.service_model = model
            if model.metadata['protocol'].startswith('rest'):
                handler.routes = protocol.rest_routes(model)
            self.services[handler.model] = handler
            signing = model.metadata.get('signingName') or model.metadata['endpointPrefix']
            self.by_signing[signing] = handler

    # -------------------------------------------------------------- credentials

    def clock(self):
        skew = self.settings.get('clock_skew_seconds') or 0
        return datetime.datetime.utcnow() + datetime.timedelta(seconds=skew)

    def credentials(self, access_key):
        """Secret (+ token, identity) for an access key id, or None."""
        if access_key in self.keys:
            return {'access_key': access_key, 'secret': self.keys[access_key],
                    'arn': 'arn:aws:iam::123456789012:user/cpstack-test',
                    'user_id': 'AIDACPSTACKTESTUSER01', 'account': '123456789012'}
        for name in ('sts', 'iam'):
            found = self.services[name].credentials_for(access_key)
            if found:
                return found
        return None

    def authenticate(self, cred, protocol_name, req, headers_items):
        creds = self.credentials(cred.access_key)
        if creds is None:
            raise sigv4.unknown_key(protocol_name)
        if creds.get('token'):
            token = req.headers.get('X-Amz-Security-Token') or \
                req.query.get('X-Amz-Security-Token', [None])[0]
            if token != creds['token']:
                raise sigv4.unknown_key(protocol_name)
            if creds.get('expiration', 1e12) < time.time():
                raise AwsError('ExpiredToken', 'The security token included in the request '
                               'is expired', 403 if protocol_name != 'json' else 400)
        sigv4.check_time(cred, protocol_name, self.clock())
        sigv4.verify(cred, creds, protocol_name, req.method, req.raw_path, req.raw_query,
                     headers_items, req.body)
        return creds

    # -------------------------------------------------------------- routing

    def route(self, req, service):
        """(operation model, params-parser) for a request to a service."""
        model = service.service_model
        proto = model.metadata['protocol']
        if proto in ('query', 'ec2'):
            params = {k: v[0] for k, v in req.query.items() if not k.startswith('X-Amz-')}
            if req.body:
                params.update(protocol.flat_form(req.body.decode('utf-8', 'replace')))
            action = params.get('Action')
            if action not in model.operation_names:
                raise AwsError('InvalidAction', 'The action %s is not valid for this web '
                               'service.' % action, 400)
            op = model.operation_model(action)
            return op, lambda: protocol.parse_query_params(op, params, proto == 'ec2')
        if proto == 'json':
            target = req.headers.get('X-Amz-Target', '')
            name = target.rsplit('.', 1)[-1]
            if not target.startswith(model.metadata.get('targetPrefix', '') + '.') or \
                    name not in model.operation_names:
                raise AwsError('UnknownOperationException', 'Unknown operation %s' % target)
            op = model.operation_model(name)
            return op, lambda: protocol.parse_json_request(op, req.body)
        path = req.raw_path
        if proto == 'rest-xml':
            path = self.s3_path(req)
        op, labels = protocol.find_rest_operation(service.routes, req.method, path.split('?')[0],
                                                  req.query, req.headers)
        if op is None:
            if proto == 'rest-xml':
                raise AwsError('MethodNotAllowed', 'The specified method is not allowed '
                               'against this resource.', 405)
            raise AwsError('UnknownOperationException', 'Unknown operation %s %s'
                           % (req.method, req.raw_path), 404)
        return op, lambda: protocol.parse_rest_request(op, labels, req.query, req.headers,
                                                       req.body, proto)

    @staticmethod
    def s3_path(req):
        """Path-style equivalent of a virtual-host style request (bucket.localhost)."""
        host = (req.headers.get('Host') or '').rsplit(':', 1)[0]
        if host.endswith('.localhost'):
            bucket = host[:-len('.localhost')]
            if bucket.endswith('.s3'):
                bucket = bucket[:-3]
            return '/' + bucket + ('' if req.raw_path == '/' else req.raw_path)
        return req.raw_path

    # -------------------------------------------------------------- one call

    def handle(self, req):
        """Answer one AWS request: returns (status, headers, body) or 'drop'."""
        request_id = new_uuid()
        service, model = None, None
        op_name = '?'
        try:
            cred = sigv4.parse_credential(req.headers, req.query)
            if cred is None:
                service = self.anonymous_service(req)
                principal = {'anonymous': True}
                region = 'us-east-1'
            else:
                service = self.by_signing.get(cred.service)
                if service is None:
                    raise AwsError('UnrecognizedClientException',
                                   'Service %s is not emulated' % cred.service, 400)
                region = cred.region
            model = service.service_model
            proto = model.metadata['protocol']
            op, parse = self.route(req, service)
            op_name = op.name
            if cred is not None:
                principal = self.authenticate(cred, proto, req, req.header_items)
            kind, latency, script = self.faults.decide(service.model, op.name)
            if latency:
                time.sleep(latency / 1000.0)
                req.slept_ms = latency
            if kind == 'drop':
                return 'drop'
            if kind == 'throttle':
                code, status, msg = THROTTLE[proto]
                raise AwsError(code, msg, status)
            if kind == 'error':
                raise injected_error(model, script)
            method = getattr(service, op.name, None)
            if method is None:
                raise self.not_implemented(proto, op.name)
            params = parse()
            invalid = protocol.validation_error(model, op, params)
            if invalid is not None:
                log_rejection(service.model, op.name, invalid)
                raise invalid
            ctx = Context(region, service.model, op.name, principal, request_id,
                          req.headers.get('Host', ''))
            ctx.headers = req.headers
            with self.state.lock:
                output = method(ctx, params)
            if self.state.path and not op.name.startswith(READ_PREFIXES):
                self.state.save()
            if kind == 'lost':  # performed; the answer never arrives
                return 'drop'
            return protocol.serialize_response(model, op, output, request_id,
                                               service.xml_roots.get(op.name))
        except AwsError as err:
            if service is not None:
                self.faults.count_error(service.model, op_name, err.code)
            return protocol.serialize_error(model, err, request_id)
        except Exception as exc:  # a bug in a handler: answer 500 and say where
            traceback.print_exc()
            proto = model.metadata['protocol'] if model else 'rest-xml'
            code, status = INTERNAL[proto]
            return protocol.serialize_error(model, AwsError(code, 'emulator bug: %r' % exc,
                                                            status), request_id)

    def anonymous_service(self, req):
        """Unsigned requests: only public S3 reads are allowed through."""
        if 'AWSAccessKeyId' in req.query or \
                (req.headers.get('Authorization') or '').startswith('AWS '):
            raise AwsError('InvalidRequest', 'The authorization mechanism you have provided is '
                           'not supported. Please use AWS4-HMAC-SHA256.', 400)
        if 'X-Amz-Target' in req.headers or 'Action=' in req.raw_query or \
                (req.body and b'Action=' in req.body[:200]):
            raise AwsError('MissingAuthenticationToken', 'Request is missing Authentication '
                           'Token', 403)
        return self.services['s3']

    @staticmethod
    def not_implemented(proto, name):
        if proto in ('query', 'ec2'):
            return AwsError('InvalidAction', 'The action %s is not valid for this web '
                            'service (not emulated).' % name, 400)
        if proto == 'rest-xml':
            return AwsError('NotImplemented', 'A header you provided implies functionality '
                            'that is not implemented (%s)' % name, 501)
        return AwsError('UnknownOperationException', 'Operation %s is not emulated' % name,
                        400 if proto == 'json' else 404)

    # -------------------------------------------------------------- admin API

    def admin(self, method, path, query, body):
        """/_emulator/... -> (status, JSON-able)."""
        what = path[len('/_emulator/'):].strip('/')
        data = json.loads(body or b'{}') if body and body.strip() else {}
        if what == 'health':
            return 200, {'ok': True}
        if what in ('calls', 'calls/busy'):
            if method == 'DELETE':
                self.faults.reset_counters()
            return 200, self.faults.counters()
        if what == 'faults':
            if method == 'DELETE':
                self.faults.configure({'clear': True})
            elif method == 'POST':
                try:
                    self.faults.configure(data)
                except (ValueError, TypeError) as exc:
                    return 400, {'error': str(exc)}
            return 200, self.faults.describe()
        if what == 'reset' and method == 'POST':
            self.state.reset()
            self.faults.configure({'clear': True})
            self.faults.reset_counters()
            self.state.save()
            return 200, {'reset': True}
        if what == 'state':
            dump = self.state.dump()
            if 'service' in query:
                dump = {k: v for k, v in dump.items() if k in query['service']}
            return 200, dump
        if what == 'save' and method == 'POST':
            if not self.state.path:
                return 400, {'error': 'no state file: start with --state-file or '
                             'EMULATOR_STATE_FILE'}
            self.state.save()
            return 200, {'saved': self.state.path}
        if what == 'settings':
            if method == 'POST':
                for k, v in data.items():
                    if k not in self.settings:
                        return 400, {'error': 'unknown setting %s' % k}
                    self.settings[k] = v
            return 200, dict(self.settings)
        if what == 'constraints':
            return 200, constraints.summary(self.services)
        if what == 'operations':
            return 200, {name: sorted(h.operations()) for name, h in self.services.items()}
        return 404, {'error': 'unknown admin path %s' % path}


def log_rejection(service, op_name, err):
    """With EMULATOR_REJECT_LOG=FILE, append one line per request the model
    checks refused (to audit a test run for requests AWS would refuse)."""
    path = os.environ.get('EMULATOR_REJECT_LOG')
    if path:
        with open(path, 'a') as f:
            f.write('%s:%s %s %s\n' % (service, op_name, err.code, err.message))


def model_errors(model):
    """{code: (wire code, HTTP status)} for a service's modelled errors, keyed by
    both the wire code (IAM's NoSuchEntity) and the shape name (NoSuchEntityException)."""
    found = getattr(model, '_emulator_errors', None)
    if found is None:
        found = {}
        for shape in model.error_shapes:
            error = shape.metadata.get('error') or {}
            wire = error.get('code', shape.name)
            entry = (wire, error.get('httpStatusCode'))
            found.setdefault(shape.name, entry)
            found.setdefault(wire, entry)
        model._emulator_errors = found
    return found


def injected_error(model, script):
    """The AwsError a scripted or random `error` fault answers with."""
    proto = model.metadata['protocol']
    script = script or {}
    code, status, message = script.get('code'), script.get('status'), script.get('message')
    if code:
        wire, model_status = model_errors(model).get(code, (code, None))
        return AwsError(wire, message or 'Injected fault: %s' % wire,
                        status or model_status or 400)
    if status == 503:
        return AwsError('ServiceUnavailable', message or 'Service is unavailable. Please try '
                        'again.', 503)
    code, default_status = INTERNAL[proto]
    return AwsError(code, message or 'We encountered an internal error. Please try again.',
                    status or default_status)


class Request:
    """What a handler needs from the wire."""

    def __init__(self, method, target, headers, body):
        parts = urlsplit(target)
        self.method = method
        self.raw_path = parts.path or '/'
        self.raw_query = parts.query
        self.query = parse_qs(parts.query, keep_blank_values=True)
        self.headers = headers
        self.header_items = list(headers.items())
        self.body = body


def decode_aws_chunked(body):
    """Strip aws-chunked framing (STREAMING-* payloads) and trailers."""
    out, pos = bytearray(), 0
    while pos < len(body):
        eol = body.index(b'\r\n', pos)
        size = int(body[pos:eol].split(b';')[0], 16)
        pos = eol + 2
        if size == 0:
            break
        out += body[pos:pos + size]
        pos += size + 2
    return bytes(out)


class HTTPHandler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    # Headers and body go out as separate writes: without TCP_NODELAY the body waits for
    # the client's delayed ACK (40 ms on Linux), which the latency benchmarks would count.
    disable_nagle_algorithm = True
    server_version = 'cpstack-emulator'
    emulator = None  # set on the class by make_server

    def date_time_string(self, timestamp=None):
        """Date header from the emulator's clock (which tests may skew)."""
        if timestamp is None:
            clock = self.emulator.clock().replace(tzinfo=datetime.timezone.utc)
            timestamp = clock.timestamp()
        return super().date_time_string(timestamp)

    def log_message(self, fmt, *args):
        if self.emulator.log:
            sys.stderr.write('emulator: %s\n' % (fmt % args))

    def read_body(self):
        if 'chunked' in self.headers.get('Transfer-Encoding', '').lower():
            out = bytearray()
            while True:
                line = self.rfile.readline()
                size = int(line.split(b';')[0].strip() or b'0', 16)
                if size == 0:
                    while self.rfile.readline() not in (b'\r\n', b'\n', b''):
                        pass
                    return bytes(out)
                out += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(length) if length else b''

    def dispatch(self):
        started = time.perf_counter()
        body = self.read_body()
        req = Request(self.command, self.path, self.headers, body)
        if req.raw_path.startswith('/_emulator/'):
            status, doc = self.emulator.admin(self.command, req.raw_path, req.query, body)
            self.reply(status, {'Content-Type': 'application/json'},
                       json.dumps(doc, indent=1, sort_keys=True).encode())
            return
        sha = self.headers.get('x-amz-content-sha256', '')
        if sha.startswith('STREAMING-'):
            req.body = decode_aws_chunked(body)
            req.signed_body = body
        result = self.emulator.handle(req)
        if result == 'drop':
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        else:
            self.reply(*result)
        busy = (time.perf_counter() - started) * 1000.0 - getattr(req, 'slept_ms', 0)
        self.emulator.faults.add_busy(busy)

    def reply(self, status, headers, body):
        if status in (204, 304):
            body = b''
        self.send_response(status)
        length = str(len(body))
        for k, v in headers.items():
            if k.lower() == 'content-length':
                length = v          # HEAD: the size of the body not sent
            else:
                self.send_header(k, v)
        self.send_header('Content-Length', length)
        self.end_headers()
        if self.command != 'HEAD' and body:
            self.wfile.write(body)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = do_PATCH = dispatch


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def make_server(emulator, port=0):
    handler = type('BoundHTTPHandler', (HTTPHandler,), {'emulator': emulator})
    return Server(('127.0.0.1', port), handler)


def start_in_thread(**kwargs):
    """For tests: (server, emulator, url) running in a daemon thread."""
    port = kwargs.pop('port', 0)
    emulator = Emulator(**kwargs)
    server = make_server(emulator, port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, emulator, 'http://127.0.0.1:%d' % server.server_address[1]


def parse_keys(text):
    keys = {}
    for item in filter(None, (text or '').split(',')):
        ak, _, sk = item.partition(':')
        keys[ak.strip()] = sk.strip()
    return keys


def watch_parent(ppid, stop):
    """Stop when the process that started us goes away."""
    while not stop.wait(0.5):
        try:
            os.kill(ppid, 0)
        except ProcessLookupError:
            stop.set()
        if os.getppid() == 1 and ppid != 1:
            stop.set()


def main(argv=None):
    ap = argparse.ArgumentParser(description='Local AWS endpoint for cpstack tests.')
    ap.add_argument('--port', type=int, default=int(os.environ.get('EMULATOR_PORT', 0)),
                    help='port on 127.0.0.1 (0 = pick a free one)')
    ap.add_argument('--port-file', default=os.environ.get('EMULATOR_PORT_FILE'),
                    help='write the chosen port number to this file once listening')
    ap.add_argument('--state-file', default=os.environ.get('EMULATOR_STATE_FILE'),
                    help='load state from / save state to this JSON file')
    ap.add_argument('--keys', default=os.environ.get('EMULATOR_ACCESS_KEYS'),
                    help='accepted credentials, AKID:SECRET[,AKID:SECRET...]')
    ap.add_argument('--pending-polls', type=int,
                    default=int(os.environ.get('EMULATOR_PENDING_POLLS', 1)),
                    help='reads a resource stays in a transitional state (default 1)')
    ap.add_argument('--parent-pid', type=int, default=os.getppid(),
                    help='exit when this process dies (default: our parent)')
    ap.add_argument('--log', action='store_true', default=bool(os.environ.get('EMULATOR_LOG')),
                    help='log each request to stderr')
    args = ap.parse_args(argv)

    emulator = Emulator(parse_keys(args.keys) or None, args.state_file, args.pending_polls,
                        args.log)
    server = make_server(emulator, args.port)
    port = server.server_address[1]
    if args.port_file:
        tmp = args.port_file + '.tmp'
        with open(tmp, 'w') as f:
            f.write('%d\n' % port)
        os.replace(tmp, args.port_file)
    print('listening on http://127.0.0.1:%d' % port, flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    threading.Thread(target=watch_parent, args=(args.parent_pid, stop), daemon=True).start()
    while not stop.wait(1):
        pass
    server.shutdown()
    emulator.state.save()
    return 0


if __name__ == '__main__':
    sys.exit(main())
