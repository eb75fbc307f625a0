"""Model-driven wire protocols of the cpstack AWS emulator.

AWS speaks five wire dialects: query (IAM, STS, ELBv2, RDS, CloudWatch, SNS,
Auto Scaling), ec2 (EC2's variant of query), json (ECR, ECS, Logs,
Application Auto Scaling), rest-json (Lambda) and rest-xml (S3).  Instead of
hand-writing each response, this module reads botocore's own service models
(the same JSON files every AWS SDK is generated from) and provides, per
protocol, one generic

  * request parser:   HTTP request  -> dict shaped like the input shape
  * response writer:  dict shaped like the output shape -> status, headers, body
  * error writer:     AwsError -> status, headers, body in the service's format

Service handlers are therefore plain Python on dicts.  Writers only emit the
members that the output shape declares, so handlers may keep private fields
(names starting with "_") or extra fields in the records they return.
Timestamps in handler dicts are epoch seconds (float) or datetime objects.
"""

import base64
import calendar
import datetime
import json
import re
import xml.etree.ElementTree as ET
from email.utils import formatdate
from urllib.parse import parse_qs, unquote

import botocore.loaders
import botocore.model
from botocore.utils import parse_timestamp

import constraints
from store import AwsError

_LOADER = botocore.loaders.Loader()
_MODELS = {}

S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/'


def service_model(name):
    """botocore ServiceModel for a service (cached; loading costs ~50 ms)."""
    if name not in _MODELS:
        data = _LOADER.load_service_model(name, 'service-2')
        _MODELS[name] = botocore.model.ServiceModel(data, service_name=name)
    return _MODELS[name]


# ---------------------------------------------------------------- scalars

def to_datetime(value):
    """Accept epoch seconds, ISO 8601 strings or datetimes; return aware UTC."""
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)
    if isinstance(value, (int, float)):
        return datetime.datetime.fromtimestamp(value, datetime.timezone.utc)
    return parse_timestamp(value).astimezone(datetime.timezone.utc)


def to_epoch(value):
    return to_datetime(value).timestamp()


def format_timestamp(value, fmt):
    dt = to_datetime(value)
    if fmt == 'unixTimestamp':
        return round(dt.timestamp(), 3)
    if fmt == 'rfc822':
        return formatdate(calendar.timegm(dt.timetuple()), usegmt=True)
    return dt.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (dt.microsecond // 1000)


def _scalar_from_text(shape, text):
    """Decode one textual scalar (query param, header, XML text, query string)."""
    t = shape.type_name
    if t in ('integer', 'long'):
        return int(text)
    if t in ('float', 'double'):
        return float(text)
    if t == 'boolean':
        return text.strip().lower() == 'true'
    if t == 'timestamp':
        return to_epoch(text)
    if t == 'blob':
        return base64.b64decode(text)
    return text


def _scalar_to_text(shape, value, ts_default='iso8601'):
    t = shape.type_name
    if t == 'boolean':
        return 'true' if value else 'false'
    if t == 'timestamp':
        return format_timestamp(value, shape.serialization.get('timestampFormat', ts_default))
    if t == 'blob':
        if isinstance(value, str):
            value = value.encode()
        return base64.b64encode(value).decode()
    return str(value)


# ---------------------------------------------------------------- query requests

def _has_prefix(params, key):
    if key in params:
        return True
    dotted = key + '.'
    return any(k.startswith(dotted) for k in params)


def _query_member_name(shape, default, ec2):
    ser = shape.serialization
    if ec2:
        if 'queryName' in ser:
            return ser['queryName']
        if 'name' in ser:
            return ser['name'][0].upper() + ser['name'][1:]
        return default
    return ser.get('name', default)


def _query_value(shape, params, key, ec2):
    t = shape.type_name
    if t == 'structure':
        if not _has_prefix(params, key):
            return None
        out = {}
        for name, member in shape.members.items():
            mkey = '%s.%s' % (key, _query_member_name(member, name, ec2))
            value = _query_value(member, params, mkey, ec2)
            if value is not None:
                out[name] = value
        return out
    if t == 'list':
        if params.get(key) == '':
            return []
        if ec2:
            base = key
        elif shape.serialization.get('flattened'):
            base = key
            if shape.member.serialization.get('name'):
                base = '.'.join(key.split('.')[:-1] + [shape.member.serialization['name']])
        else:
            base = '%s.%s' % (key, shape.member.serialization.get('name', 'member'))
        if not _has_prefix(params, base):
            return None
        indexes = set()
        plen = len(base) + 1
        for k in params:
            if k.startswith(base + '.'):
                head = k[plen:].split('.', 1)[0]
                if head.isdigit():
                    indexes.add(int(head))
        return [_query_value(shape.member, params, '%s.%d' % (base, i), ec2)
                for i in sorted(indexes)]
    if t == 'map':
        base = key if shape.serialization.get('flattened') else key + '.entry'
        kname = shape.key.serialization.get('name', 'key')
        vname = shape.value.serialization.get('name', 'value')
        out, i = {}, 1
        while '%s.%d.%s' % (base, i, kname) in params:
            k = params['%s.%d.%s' % (base, i, kname)]
            out[k] = _query_value(shape.value, params, '%s.%d.%s' % (base, i, vname), ec2)
            i += 1
        return out if out or _has_prefix(params, key) else None
    if key not in params:
        return None
    return _scalar_from_text(shape, params[key])


def parse_query_params(op, params, ec2):
    """Flat form parameters -> dict shaped like op.input_shape."""
    shape = op.input_shape
    if shape is None:
        return {}
    out = {}
    for name, member in shape.members.items():
        value = _query_value(member, params, _query_member_name(member, name, ec2), ec2)
        if value is not None:
            out[name] = value
    return out


def flat_form(text):
    return {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}


# ---------------------------------------------------------------- JSON values

def _json_in(shape, value):
    """Decode a JSON request value (blobs are base64, timestamps numbers)."""
    if value is None:
        return None
    t = shape.type_name
    if t == 'structure':
        if shape.is_document_type:
            return value
        out = {}
        for name, member in shape.members.items():
            wire = member.serialization.get('name', name)
            if wire in value:
                out[name] = _json_in(member, value[wire])
        return out
    if t == 'list':
        return [_json_in(shape.member, v) for v in value]
    if t == 'map':
        return {k: _json_in(shape.value, v) for k, v in value.items()}
    if t == 'blob':
        return base64.b64decode(value)
    if t == 'timestamp':
        return to_epoch(value)
    return value


def _json_out(shape, value):
    """Encode a handler value as JSON (only members the shape declares)."""
    t = shape.type_name
    if t == 'structure':
        if shape.is_document_type:
            return value
        out = {}
        for name, member in shape.members.items():
            if member.serialization.get('location'):
                continue
            v = value.get(name)
            if v is not None:
                out[member.serialization.get('name', name)] = _json_out(member, v)
        return out
    if t == 'list':
        return [_json_out(shape.member, v) for v in value]
    if t == 'map':
        return {k: _json_out(shape.value, v) for k, v in value.items()}
    if t == 'blob':
        if isinstance(value, str):
            value = value.encode()
        return base64.b64encode(value).decode()
    if t == 'timestamp':
        return format_timestamp(value, shape.serialization.get('timestampFormat', 'unixTimestamp'))
    if t == 'boolean':
        return bool(value)
    if t in ('integer', 'long'):
        return int(value)
    if t in ('float', 'double'):
        return float(value)
    return value


# ---------------------------------------------------------------- XML values

def _local(tag):
    return tag.rsplit('}', 1)[-1]


def _xml_key(shape, name):
    """Element name of a member, as botocore's XML parser looks it up."""
    if shape.type_name == 'list' and shape.serialization.get('flattened'):
        if shape.member.serialization.get('name'):
            return shape.member.serialization['name']
    return shape.serialization.get('name', name)


def _xml_in(shape, node_or_nodes):
    """Parse an XML element (or list of them for flattened lists) by shape."""
    t = shape.type_name
    if t == 'structure':
        node = node_or_nodes
        children = {}
        for child in node:
            children.setdefault(_local(child.tag), []).append(child)
        out = {}
        for name, member in shape.members.items():
            if member.serialization.get('xmlAttribute'):
                continue
            key = _xml_key(member, name)
            if key not in children:
                continue
            if member.type_name == 'list' and member.serialization.get('flattened'):
                out[name] = [_xml_in(member.member, c) for c in children[key]]
            else:
                out[name] = _xml_in(member, children[key][0])
        return out
    if t == 'list':
        return [_xml_in(shape.member, c) for c in node_or_nodes]
    if t == 'map':
        out = {}
        kname = shape.key.serialization.get('name', 'key')
        vname = shape.value.serialization.get('name', 'value')
        for entry in node_or_nodes:
            parts = {_local(c.tag): c for c in entry}
            if kname in parts:
                out[parts[kname].text or ''] = _xml_in(shape.value, parts.get(vname))
        return out
    if node_or_nodes is None:
        return None
    return _scalar_from_text(shape, node_or_nodes.text or '')


def _xml_out(parent, shape, value, name):
    """Append the element(s) for one value under parent."""
    t = shape.type_name
    if t == 'structure':
        node = ET.SubElement(parent, name)
        for mname, member in shape.members.items():
            if member.serialization.get('location'):
                continue
            v = value.get(mname)
            if v is None:
                continue
            if member.serialization.get('xmlAttribute'):
                node.set(member.serialization['name'], str(v))
                continue
            _xml_out(node, member, v, _xml_key(member, mname))
        return
    if t == 'list':
        if shape.serialization.get('flattened'):
            for item in value:
                _xml_out(parent, shape.member, item, name)
            return
        node = ET.SubElement(parent, name)
        item_name = shape.member.serialization.get('name', 'member')
        for item in value:
            _xml_out(node, shape.member, item, item_name)
        return
    if t == 'map':
        kname = shape.key.serialization.get('name', 'key')
        vname = shape.value.serialization.get('name', 'value')
        if shape.serialization.get('flattened'):     # SQS: <Attribute><Name/><Value/></Attribute>…
            for k, v in value.items():
                entry = ET.SubElement(parent, name)
                _xml_out(entry, shape.key, k, kname)
                _xml_out(entry, shape.value, v, vname)
            return
        node = ET.SubElement(parent, name)
        for k, v in value.items():
            entry = ET.SubElement(node, 'entry')
            _xml_out(entry, shape.key, k, kname)
            _xml_out(entry, shape.value, v, vname)
        return
    ET.SubElement(parent, name).text = _scalar_to_text(shape, value)


def rest_xml_namespace(model):
    """S3's documents are in S3_NS; the other REST-XML services' (Route 53) in
    https://<prefix>.amazonaws.com/doc/<version>/."""
    if model.metadata.get('serviceId') == 'S3':
        return S3_NS
    return 'https://%s.amazonaws.com/doc/%s/' % (model.metadata['endpointPrefix'],
                                                 model.metadata['apiVersion'])


def xml_document(shape, value, root_name, namespace=None):
    holder = ET.Element('holder')
    _xml_out(holder, shape, value, root_name)
    root = holder[0]
    if namespace:
        root.set('xmlns', namespace)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding='utf-8')


def parse_xml_body(shape, body):
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        raise AwsError('MalformedXML', 'The XML you provided was not well-formed '
                       'or did not validate against our published schema')
    # The model names the body's namespace (S3: http://s3.amazonaws.com/doc/2006-03-01/)
    # and every SDK sends it; moto fails on a body without it, so we do too.
    ns = (shape.serialization.get('xmlNamespace') or {}).get('uri')
    if ns and not root.tag.startswith('{%s}' % ns):
        raise AwsError('MalformedXML', 'The XML you provided was not well-formed or did not '
                       'validate against our published schema (its root element must be in '
                       'the namespace %s)' % ns)
    return _xml_in(shape, root)


# ---------------------------------------------------------------- REST routing

class RestRoute:
    """One operation's requestUri, compiled to a regex plus required query keys."""

    def __init__(self, op):
        self.op = op
        self.method = op.http['method']
        uri = op.http['requestUri']
        path, _, query = uri.partition('?')
        self.required_query = {}
        for part in filter(None, query.split('&')):
            k, _, v = part.partition('=')
            self.required_query[k] = v or None
        regex, self.labels = '', []
        for piece in re.split(r'(\{[^}]+\})', path):
            if piece.startswith('{'):
                label = piece[1:-1]
                greedy = label.endswith('+')
                label = label.rstrip('+')
                self.labels.append(label)
                regex += '(?P<%s>%s)' % (label, '.+' if greedy else '[^/]+')
            else:
                regex += re.escape(piece)
        if path.endswith('/') and len(path) > 1:
            regex = regex[:-1] + '/?'
        self.regex = re.compile('^' + regex + '$')
        self.literal_len = len(re.sub(r'\{[^}]+\}', '', path))
        # required header members tell apart e.g. CopyObject from PutObject
        shape = op.input_shape
        self.required_headers = [] if shape is None else [
            shape.members[m].serialization.get('name', m) for m in shape.required_members
            if shape.members[m].serialization.get('location') == 'header']
        # ... and required query members e.g. AbortMultipartUpload (uploadId) from DeleteObject
        for m in ([] if shape is None else shape.required_members):
            ser = shape.members[m].serialization
            if ser.get('location') == 'querystring':
                self.required_query.setdefault(ser.get('name', m), None)

    def match(self, method, path, query, headers=None):
        if method != self.method:
            return None
        if any(h not in (headers or {}) for h in self.required_headers):
            return None
        for k, v in self.required_query.items():
            if k not in query or (v is not None and query[k][0] != v):
                return None
        m = self.regex.match(path)
        if not m:
            return None
        return {k: unquote(v) for k, v in m.groupdict().items()}


def rest_routes(model):
    return [RestRoute(model.operation_model(n)) for n in model.operation_names]


def find_rest_operation(routes, method, path, query, headers=None):
    """Most specific matching route: most query keys and required headers,
    then longest literal path."""
    best, best_key, labels = None, None, None
    for route in routes:
        got = route.match(method, path, query, headers)
        if got is None:
            continue
        key = (len(route.required_query) + len(route.required_headers), route.literal_len,
               not route.op.deprecated)
        if best_key is None or key > best_key:
            best, best_key, labels = route, key, got
    return (best.op, labels) if best else (None, None)


def parse_rest_request(op, labels, query, headers, body, protocol):
    """URI labels, query string, headers and payload -> input dict."""
    shape = op.input_shape
    out = {}
    if shape is None:
        return out
    payload_name = shape.serialization.get('payload')
    for name, member in shape.members.items():
        loc = member.serialization.get('location')
        wire = member.serialization.get('name', name)
        if loc == 'uri' and wire in labels:
            out[name] = labels[wire]
        elif loc == 'querystring':
            if member.type_name == 'map':
                out[name] = {k: v[0] for k, v in query.items()}
            elif wire in query:
                vals = query[wire]
                if member.type_name == 'list':
                    out[name] = [_scalar_from_text(member.member, v) for v in vals]
                else:
                    out[name] = _scalar_from_text(member, vals[0])
        elif loc == 'header':
            if wire in headers:
                text = headers[wire]
                if member.type_name == 'list':
                    out[name] = [s.strip() for s in text.split(',')]
                elif member.type_name == 'timestamp':
                    out[name] = to_epoch(text)
                else:
                    out[name] = _scalar_from_text(member, text)
        elif loc == 'headers':
            prefix = wire.lower()
            out[name] = {k[len(prefix):]: v for k, v in headers.items()
                         if k.lower().startswith(prefix)}
    if payload_name:
        member = shape.members[payload_name]
        if member.type_name in ('blob', 'string'):
            if body:
                out[payload_name] = body if member.type_name == 'blob' else body.decode()
        elif body.strip():
            if protocol == 'rest-xml':
                out[payload_name] = parse_xml_body(member, body)
            else:
                out[payload_name] = _json_in(member, _load_json(body))
    elif body.strip():
        if protocol == 'rest-xml':
            out.update({k: v for k, v in parse_xml_body(shape, body).items() if v is not None})
        else:
            out.update(_json_in(shape, _load_json(body)))
    return out


def _load_json(body):
    try:
        return json.loads(body or b'{}')
    except ValueError:
        raise AwsError('SerializationException', 'Could not parse the request body as JSON')


def parse_json_request(op, body):
    if op.input_shape is None:
        return {}
    data = _load_json(body)
    if not isinstance(data, dict):
        raise AwsError('SerializationException', 'Request body must be a JSON object')
    return _json_in(op.input_shape, data)


# ---------------------------------------------------------------- responses

def _rest_headers(shape, value):
    """Header members (location header/headers/statusCode) of an output dict."""
    headers, status = {}, None
    for name, member in shape.members.items():
        loc = member.serialization.get('location')
        v = value.get(name)
        if v is None or not loc:
            continue
        wire = member.serialization.get('name', name)
        if loc == 'header':
            if member.type_name == 'timestamp':
                headers[wire] = format_timestamp(
                    v, member.serialization.get('timestampFormat', 'rfc822'))
            elif member.type_name == 'list':
                headers[wire] = ','.join(str(x) for x in v)
            else:
                headers[wire] = _scalar_to_text(member, v)
        elif loc == 'headers':
            for k, hv in v.items():
                headers[wire + k] = str(hv)
        elif loc == 'statusCode':
            status = int(v)
    return headers, status


def serialize_response(model, op, output, request_id, xml_root=None):
    """Handler output dict -> (status, headers, body bytes)."""
    protocol = model.metadata['protocol']
    shape = op.output_shape
    output = output or {}
    status = op.http.get('responseCode', 200)
    if protocol == 'query':
        ns = model.metadata.get('xmlNamespace', '')
        root = ET.Element(op.name + 'Response', xmlns=ns)
        if shape is not None:
            wrapper = shape.serialization.get('resultWrapper', op.name + 'Result')
            holder = ET.Element('holder')
            _xml_out(holder, shape, output, wrapper)
            root.append(holder[0])
        meta = ET.SubElement(root, 'ResponseMetadata')
        ET.SubElement(meta, 'RequestId').text = request_id
        return status, {'Content-Type': 'text/xml'}, ET.tostring(root, encoding='utf-8')
    if protocol == 'ec2':
        ns = 'http://ec2.amazonaws.com/doc/%s/' % model.metadata['apiVersion']
        root = ET.Element(op.name + 'Response', xmlns=ns)
        ET.SubElement(root, 'requestId').text = request_id
        if shape is not None:
            holder = ET.Element('holder')
            _xml_out(holder, shape, output, 'x')
            for child in list(holder[0]):
                root.append(child)
        else:
            ET.SubElement(root, 'return').text = 'true'
        body = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding='utf-8')
        return status, {'Content-Type': 'text/xml;charset=UTF-8'}, body
    if protocol == 'json':
        body = json.dumps(_json_out(shape, output) if shape is not None else {})
        ctype = 'application/x-amz-json-%s' % model.metadata.get('jsonVersion', '1.1')
        return status, {'Content-Type': ctype, 'x-amzn-RequestId': request_id}, body.encode()
    # rest-json and rest-xml
    headers, status_override = ({}, None) if shape is None else _rest_headers(shape, output)
    status = status_override or status
    headers.update(output.get('_headers', {}))
    body = b''
    if protocol == 'rest-json':
        headers.setdefault('Content-Type', 'application/json')
        headers['x-amzn-RequestId'] = request_id
    else:
        headers['x-amz-request-id'] = request_id
        headers['x-amz-id-2'] = base64.b64encode(request_id.encode()).decode()
    if '_raw_body' in output:      # a handler that must shape the body itself
        body = output['_raw_body']
        headers['Content-Type'] = output.get('_content_type', 'application/xml')
    elif shape is not None:
        payload = shape.serialization.get('payload')
        if payload:
            member = shape.members[payload]
            v = output.get(payload)
            if v is None:
                pass
            elif member.type_name in ('blob', 'string'):
                body = v if isinstance(v, bytes) else str(v).encode()
            elif protocol == 'rest-json':
                body = json.dumps(_json_out(member, v)).encode()
            else:
                root = member.serialization.get('name', member.name)
                body = xml_document(member, v, root, rest_xml_namespace(model))
                headers.setdefault('Content-Type', 'application/xml')
        elif protocol == 'rest-json':
            body = json.dumps(_json_out(shape, output)).encode()
        elif any(not m.serialization.get('location') for m in shape.members.values()):
            root = xml_root or shape.name.replace('Output', 'Result')
            body = xml_document(shape, output, root, rest_xml_namespace(model))
            headers.setdefault('Content-Type', 'application/xml')
    return status, headers, body


def serialize_error(model, err, request_id):
    """AwsError -> (status, headers, body) in the service's error format."""
    protocol = model.metadata['protocol'] if model else 'rest-xml'
    status = err.status
    if protocol == 'query':
        root = ET.Element('ErrorResponse', xmlns=model.metadata.get('xmlNamespace', ''))
        error = ET.SubElement(root, 'Error')
        ET.SubElement(error, 'Type').text = 'Sender' if status < 500 else 'Receiver'
        ET.SubElement(error, 'Code').text = err.code
        ET.SubElement(error, 'Message').text = err.message
        ET.SubElement(root, 'RequestId').text = request_id
        return status, {'Content-Type': 'text/xml'}, ET.tostring(root, encoding='utf-8')
    if protocol == 'ec2':
        root = ET.Element('Response')
        error = ET.SubElement(ET.SubElement(root, 'Errors'), 'Error')
        ET.SubElement(error, 'Code').text = err.code
        ET.SubElement(error, 'Message').text = err.message
        ET.SubElement(root, 'RequestID').text = request_id
        body = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding='utf-8')
        return status, {'Content-Type': 'text/xml;charset=UTF-8'}, body
    if protocol == 'json':
        doc = {'__type': err.code, 'message': err.message}
        doc.update(err.extra)
        ctype = 'application/x-amz-json-%s' % model.metadata.get('jsonVersion', '1.1')
        return status, {'Content-Type': ctype, 'x-amzn-RequestId': request_id}, \
            json.dumps(doc).encode()
    if protocol == 'rest-json':
        doc = {'Type': 'User' if status < 500 else 'Service', 'Message': err.message,
               'message': err.message}
        doc.update(err.extra)
        return status, {'Content-Type': 'application/json', 'x-amzn-RequestId': request_id,
                        'x-amzn-ErrorType': err.code}, json.dumps(doc).encode()
    if model is not None and model.metadata.get('serviceId') == 'Route 53':
        root = ET.Element('ErrorResponse', xmlns=rest_xml_namespace(model))
        error = ET.SubElement(root, 'Error')
        ET.SubElement(error, 'Type').text = 'Sender' if status < 500 else 'Receiver'
        ET.SubElement(error, 'Code').text = err.code
        ET.SubElement(error, 'Message').text = err.message
        ET.SubElement(root, 'RequestId').text = request_id
        body = b'<?xml version="1.0"?>\n' + ET.tostring(root, encoding='utf-8')
        return status, {'Content-Type': 'text/xml', 'x-amzn-RequestId': request_id}, body
    root = ET.Element('Error')
    ET.SubElement(root, 'Code').text = err.code
    ET.SubElement(root, 'Message').text = err.message
    for k, v in err.extra.items():
        ET.SubElement(root, k).text = str(v)
    ET.SubElement(root, 'RequestId').text = request_id
    ET.SubElement(root, 'HostId').text = base64.b64encode(request_id.encode()).decode()
    body = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding='utf-8')
    return status, {'Content-Type': 'application/xml', 'x-amz-request-id': request_id}, body


# ---------------------------------------------------------------- validation

def _missing_members(shape, value, path, out, empty_ok):
    """Paths of required members absent (or null) in value, depth first.
    Members of a type in empty_ok may be absent: the form-encoded protocols
    send nothing for an empty structure (and EC2 for an empty list)."""
    if value is None:
        return
    t = shape.type_name
    if t == 'structure' and not shape.is_document_type and isinstance(value, dict):
        for name in shape.required_members:
            member = shape.members[name]
            if value.get(name) is None and member.type_name not in empty_ok:
                out.append((path + [name], member))
        for name, member in shape.members.items():
            if value.get(name) is not None:
                _missing_members(member, value[name], path + [name], out, empty_ok)
    elif t == 'list' and isinstance(value, list):
        for i, item in enumerate(value):
            _missing_members(shape.member, item, path + [('item', i + 1)], out, empty_ok)
    elif t == 'map' and isinstance(value, dict):
        for k, item in value.items():
            _missing_members(shape.value, item, path + [('key', k)], out, empty_ok)


def _ec2_name(shape, path):
    return constraints.wire_name(shape, path, lambda m, n: _query_member_name(m, n, True))


def validation_error(model, op, params):
    """The AwsError AWS answers when the input breaks its model, or None.

    Missing required members first (missing_error), then the constraints
    of constraints.py (constraint_error)."""
    shape = op.input_shape
    if shape is None:
        return None
    protocol_name = model.metadata['protocol']
    empty_ok = {'query': ('structure', 'map'),
                'ec2': ('structure', 'list', 'map')}.get(protocol_name, ())
    missing = []
    _missing_members(shape, params, [], missing, empty_ok)
    if missing:
        return missing_error(model, shape, missing)
    broken = constraints.violations(op, params)
    if broken:
        return constraint_error(model, shape, broken)
    return None


def missing_error(model, shape, missing):
    """Required input members missing (botocore's `required` lists, nested ones
    included): query services ValidationError (MissingParameter where the model
    says so, e.g. CloudWatch), EC2 MissingParameter, JSON services
    InvalidParameterException (ECR, ECS, Logs) else
    ValidationException, Lambda ValidationException, S3 MalformedXML (body)
    or InvalidArgument (header / query string)."""
    protocol_name = model.metadata['protocol']
    path, member = missing[0]
    if protocol_name == 'ec2':
        name = _ec2_name(shape, path)
        return AwsError('MissingParameter', 'The request must contain the parameter %s'
                        % name, 400)
    if protocol_name == 'rest-xml':
        loc = member.serialization.get('location') if len(path) == 1 else None
        if loc in ('header', 'querystring'):
            wire = member.serialization.get('name', path[0])
            return AwsError('InvalidArgument', '%s must be specified' % wire, 400,
                            ArgumentName=wire)
        return AwsError('MalformedXML', 'The XML you provided was not well-formed or did not '
                        'validate against our published schema', 400)
    errors = {e.name for e in model.error_shapes}
    if protocol_name == 'query' and 'MissingRequiredParameterException' in errors:
        return AwsError('MissingParameter', 'The parameter %s is required.'
                        % '.'.join(str(p[1]) if isinstance(p, tuple) else p for p in path), 400)
    return _coral_error(model, ["Value null at '%s' failed to satisfy constraint: Member must "
                                "not be null" % constraints.coral_name(p) for p, _ in missing])


# JSON services whose front end answers InvalidParameterException, not
# ValidationException, for input that breaks the model
INVALID_PARAMETER_SERVICES = ('ecr', 'ecs', 'logs')


def _coral_error(model, problems):
    """AWS's '1 validation error detected: ...' in the service's error code."""
    protocol_name = model.metadata['protocol']
    count = len(problems)
    message = '%d validation error%s detected: %s' % (count, '' if count == 1 else 's',
                                                      '; '.join(problems))
    if protocol_name == 'query':
        if model.service_name == 'sns':         # SNS checks its input itself
            return AwsError('InvalidParameter', 'Invalid parameter: ' + message, 400)
        return AwsError('ValidationError', message, 400)
    if model.service_name in INVALID_PARAMETER_SERVICES:
        return AwsError('InvalidParameterException', message, 400)
    return AwsError('ValidationException', message, 400)


def constraint_error(model, shape, broken):
    """Constraints broken (lengths, patterns, enums, ranges): Coral's message
    listing each for query and JSON services, EC2 InvalidParameterValue naming
    the wire parameter, S3 InvalidArgument (header / query string; an unknown
    storage class InvalidStorageClass) or MalformedXML (body)."""
    protocol_name = model.metadata['protocol']
    first = broken[0]
    if protocol_name == 'ec2':
        name = _ec2_name(shape, first.path)
        if first.kind == 'enum':
            return AwsError('InvalidParameterValue', "Invalid value '%s' for %s."
                            % (constraints.java_text(first.value), name), 400)
        return AwsError('InvalidParameterValue', 'Value (%s) for parameter %s is invalid. %s'
                        % (constraints.java_text(first.value), name, first.rule), 400)
    if protocol_name == 'rest-xml':
        top = shape.members[first.path[0]]
        loc = top.serialization.get('location')
        if loc in ('header', 'querystring', 'uri', 'headers'):
            if first.shape.name == 'StorageClass':
                return AwsError('InvalidStorageClass', 'The storage class you specified is '
                                'not valid', 400, StorageClassRequested=first.value)
            wire = top.serialization.get('name', first.path[0])
            return AwsError('InvalidArgument', '%s: %s' % (wire, first.rule), 400,
                            ArgumentName=wire, ArgumentValue=constraints.java_text(first.value))
        return AwsError('MalformedXML', 'The XML you provided was not well-formed or did not '
                        'validate against our published schema', 400)
    return _coral_error(model, ["Value '%s' at '%s' failed to satisfy constraint: %s"
                                % (constraints.java_text(v.value), constraints.coral_name(v.path),
                                   v.rule) for v in broken])
