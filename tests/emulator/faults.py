"""Fault injection and call counters for the emulator.

Faults come from the environment at start (EMULATOR_* variables, see
from_env) and from POST /_emulator/faults.  Two kinds:

  * rates   - probabilistic: throttle_rate, error_rate, drop_rate, lost_rate (0..1) and
              latency_ms added to every call, optionally restricted to one
              service and/or operation; `seed` makes the dice repeatable.
  * scripts - deterministic: "fail the next N calls of operation X" with a
              given kind (throttle | error | drop | lost | latency), consumed in order.
              `drop` closes the connection without performing the call; `lost`
              performs the call, then closes the connection without its answer
              (the request succeeded, the response never came).
              An `error` script may name the AWS error to answer: `code`
              (e.g. NoSuchEntity), `status` (HTTP) and `message`; the server
              writes it in the service protocol's own error format.

decide() is called once per AWS call (never for /_emulator/ paths) and
returns the fault to apply, if any.  Counters record calls per
"service:Operation", and how many of them were answered with a fault.
"""

import os
import random
import threading

KINDS = ('throttle', 'error', 'drop', 'lost', 'latency')


class Faults:
    def __init__(self):
        self.lock = threading.Lock()
        self.rng = random.Random()
        self.clear()
        self.calls = {}
        self.injected = {}
        self.errors = {}

    def clear(self):
        self.throttle_rate = 0.0
        self.error_rate = 0.0
        self.drop_rate = 0.0
        self.lost_rate = 0.0
        self.latency_ms = 0
        self.busy_ms = 0.0
        self.service = None
        self.operation = None
        self.scripts = []

    def configure(self, cfg):
        """Apply a JSON fault config (missing keys keep their value)."""
        with self.lock:
            if cfg.get('clear'):
                self.clear()
            for key in ('throttle_rate', 'error_rate', 'drop_rate', 'lost_rate'):
                if key in cfg:
                    setattr(self, key, float(cfg[key]))
            if 'latency_ms' in cfg:
                self.latency_ms = int(cfg['latency_ms'])
            if 'service' in cfg:
                self.service = cfg['service'] or None
            if 'operation' in cfg:
                self.operation = cfg['operation'] or None
            if 'seed' in cfg:
                self.rng.seed(cfg['seed'])
            for script in cfg.get('next', []):
                kind = script.get('kind', 'error')
                if kind not in KINDS:
                    raise ValueError('fault kind must be one of %s' % ', '.join(KINDS))
                status = script.get('status')
                if status is not None:
                    status = int(status)
                    if not 400 <= status <= 599:
                        raise ValueError('fault status must be an HTTP error status (400-599)')
                code = script.get('code')
                if code is not None and (not isinstance(code, str) or not code):
                    raise ValueError('fault code must be a non-empty string')
                self.scripts.append({'kind': kind, 'count': int(script.get('count', 1)),
                                     'service': script.get('service'),
                                     'operation': script.get('operation'),
                                     'latency_ms': int(script.get('latency_ms', 0)),
                                     'status': status, 'code': code,
                                     'message': script.get('message')})

    def describe(self):
        with self.lock:
            return {'throttle_rate': self.throttle_rate, 'error_rate': self.error_rate,
                    'drop_rate': self.drop_rate, 'lost_rate': self.lost_rate,
                    'latency_ms': self.latency_ms,
                    'service': self.service, 'operation': self.operation,
                    'next': [dict(s) for s in self.scripts]}

    @staticmethod
    def _applies(service, operation, want_service, want_operation):
        if want_service and want_service != service:
            return False
        if want_operation and want_operation not in (operation, '%s:%s' % (service, operation)):
            return False
        return True

    def decide(self, service, operation):
        """Count the call; return (kind, latency_ms, extra) or (None, latency, None)."""
        key = '%s:%s' % (service, operation)
        with self.lock:
            self.calls[key] = self.calls.get(key, 0) + 1
            for script in self.scripts:
                if self._applies(service, operation, script['service'], script['operation']):
                    script['count'] -= 1
                    if script['count'] <= 0:
                        self.scripts.remove(script)
                    self.injected[key] = self.injected.get(key, 0) + 1
                    if script['kind'] == 'latency':
                        return None, script['latency_ms'], None
                    return script['kind'], 0, script
            if not self._applies(service, operation, self.service, self.operation):
                return None, 0, None
            latency = self.latency_ms
            roll = self.rng.random()
            for kind, rate in (('drop', self.drop_rate), ('lost', self.lost_rate),
                               ('throttle', self.throttle_rate), ('error', self.error_rate)):
                if roll < rate:
                    self.injected[key] = self.injected.get(key, 0) + 1
                    return kind, latency, None
                roll -= rate
            return None, latency, None

    def count_error(self, service, operation, code):
        with self.lock:
            key = '%s:%s' % (service, operation)
            self.errors.setdefault(key, {})
            self.errors[key][code] = self.errors[key].get(code, 0) + 1

    def counters(self):
        with self.lock:
            return {'calls': dict(self.calls), 'faults': dict(self.injected),
                    'errors': {k: dict(v) for k, v in self.errors.items()},
                    'total': sum(self.calls.values()), 'busy_ms': round(self.busy_ms, 3)}

    def add_busy(self, ms):
        """Time spent answering one call, the injected latency left out."""
        with self.lock:
            self.busy_ms += max(ms, 0.0)

    def reset_counters(self):
        with self.lock:
            self.calls, self.injected, self.errors = {}, {}, {}
            self.busy_ms = 0.0


def from_env(environ=os.environ):
    """Fault config from EMULATOR_* environment variables.

    EMULATOR_THROTTLE_RATE, EMULATOR_ERROR_RATE, EMULATOR_DROP_RATE, EMULATOR_LOST_RATE (0..1),
    EMULATOR_LATENCY_MS, EMULATOR_FAULT_SERVICE, EMULATOR_FAULT_OPERATION,
    EMULATOR_FAULT_SEED, and EMULATOR_FAIL_NEXT, a comma-separated list of
    kind:service:Operation:count[:code[:status[:message]]]
    (e.g. "throttle:s3:PutObject:2", "error:ec2:RunInstances:1:InvalidParameterValue:400").
    """
    cfg = {}
    for name, key in (('THROTTLE_RATE', 'throttle_rate'), ('ERROR_RATE', 'error_rate'),
                      ('DROP_RATE', 'drop_rate'), ('LOST_RATE', 'lost_rate'),
                      ('LATENCY_MS', 'latency_ms'),
                      ('FAULT_SERVICE', 'service'), ('FAULT_OPERATION', 'operation'),
                      ('FAULT_SEED', 'seed')):
        value = environ.get('EMULATOR_' + name)
        if value:
            cfg[key] = value
    scripts = []
    for item in filter(None, environ.get('EMULATOR_FAIL_NEXT', '').split(',')):
        parts = item.strip().split(':', 6)
        if len(parts) < 4:
            raise ValueError('EMULATOR_FAIL_NEXT item %r is not '
                             'kind:service:Operation:count[:code[:status[:message]]]' % item)
        kind, service, operation, count = parts[:4]
        script = {'kind': kind, 'service': service or None,
                  'operation': operation or None, 'count': int(count or 1)}
        for key, value in zip(('code', 'status', 'message'), parts[4:]):
            if value:
                script[key] = int(value) if key == 'status' else value
        scripts.append(script)
    if scripts:
        cfg['next'] = scripts
    return cfg
