"""ACM (AWS Certificate Manager): ImportCertificate (new or re-import),
RequestCertificate (DNS or e-mail validated, with AWS's idempotency token),
DescribeCertificate, ListCertificates, DeleteCertificate and the
certificate tag calls.

A requested certificate is PENDING_VALIDATION and becomes ISSUED after
`pending_polls` DescribeCertificate calls (the emulator has no DNS to
look the validation record up in), so a validation wait is testable.

An imported certificate must be a PEM X.509 certificate with its matching
PEM private key, as ACM demands; its domain, names, validity and key
algorithm are read from it (with python3-cryptography when installed,
else only the PEM framing is checked and the names stay unknown).
ELBv2 listeners look certificates up here (certificate()); DeleteCertificate
refuses one a listener still uses (ResourceInUseException), as ACM does.
"""

import base64
import datetime
import re

from store import AwsError, Service, hex_id, new_uuid, now, paginate

try:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.x509.oid import NameOID
except ImportError:   # the PEM framing is still checked
    x509 = None

PEM_CERT = re.compile(rb'-----BEGIN CERTIFICATE-----\s+[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----')
PEM_KEY = re.compile(rb'-----BEGIN ((RSA|EC) )?PRIVATE KEY-----\s+[A-Za-z0-9+/=\s]+'
                     rb'-----END ((RSA|EC) )?PRIVATE KEY-----')
DOMAIN_RE = re.compile(r'^(\*\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])$')
ARN_RE = re.compile(r'^arn:aws[a-z-]*:acm:([a-z0-9-]+):(\d{12}):certificate/[0-9a-f-]+$')


def _invalid(message):
    return AwsError('ValidationException', message, 400)


def _pem(value):
    return value if isinstance(value, bytes) else str(value).encode()


def _key_algorithm(public_key):
    if isinstance(public_key, rsa.RSAPublicKey):
        return 'RSA-%d' % public_key.key_size
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        return {'secp256r1': 'EC_prime256v1', 'secp384r1': 'EC_secp384r1',
                'secp521r1': 'EC_secp521r1'}.get(public_key.curve.name, 'EC_prime256v1')
    raise _invalid('The certificate key algorithm is not supported')


def _describe_pem(cert_pem, key_pem):
    """Fields of CertificateDetail read from the certificate (and the key
    checked against it)."""
    if not PEM_CERT.search(cert_pem):
        raise _invalid('The certificate field must contain a PEM-encoded X.509 certificate')
    if not PEM_KEY.search(key_pem):
        raise _invalid('The private key is not supported or is not PEM-encoded')
    if x509 is None:
        return {'KeyAlgorithm': 'RSA-2048'}
    try:
        cert = x509.load_pem_x509_certificate(cert_pem)
    except ValueError:
        raise _invalid('Could not parse the certificate: it is not a valid X.509 certificate')
    try:
        key = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError):
        raise _invalid('The private key is not supported or is encrypted')
    der = serialization.PublicFormat.SubjectPublicKeyInfo
    enc = serialization.Encoding.DER
    if key.public_key().public_bytes(enc, der) != cert.public_key().public_bytes(enc, der):
        raise _invalid('The private key does not match the public key in the certificate')
    cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    domain = cn[0].value if cn else None
    try:
        sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        names = sans.value.get_values_for_type(x509.DNSName)
    except x509.ExtensionNotFound:
        names = []
    domain = domain or (names[0] if names else None)
    return {'DomainName': domain, 'SubjectAlternativeNames': names or ([domain] if domain
                                                                        else None),
            'Serial': ':'.join('%02x' % b for b in cert.serial_number.to_bytes(
                (cert.serial_number.bit_length() + 7) // 8 or 1, 'big')),
            'Subject': cert.subject.rfc4514_string(), 'Issuer': cert.issuer.rfc4514_string(),
            'NotBefore': cert.not_valid_before.replace(tzinfo=datetime.timezone.utc).timestamp(),
            'NotAfter': cert.not_valid_after.replace(tzinfo=datetime.timezone.utc).timestamp(),
            'KeyAlgorithm': _key_algorithm(cert.public_key()),
            'SignatureAlgorithm': (cert.signature_hash_algorithm.name.upper() + 'WITH' +
                                   ('RSA' if 'RSA' in _key_algorithm(cert.public_key())
                                    else 'ECDSA')) if cert.signature_hash_algorithm else None}


class Handler(Service):
    model = 'acm'

    def _cert(self, ctx, arn):
        m = ARN_RE.match(arn or '')
        if not m:
            raise AwsError('InvalidArnException', 'The ARN %s is not valid' % arn, 400)
        cert = self.table(ctx, 'certificates').get(arn)
        if cert is None or m.group(1) != ctx.region:
            raise AwsError('ResourceNotFoundException', 'Could not find certificate %s.' % arn,
                           400)
        return cert

    def certificate(self, ctx, arn):
        """The certificate record for an ARN in the caller's region, or None."""
        return self.table(ctx, 'certificates').get(arn)

    def _in_use_by(self, ctx, arn):
        return self.server.services['elbv2'].listeners_using_certificate(ctx, arn)

    def ImportCertificate(self, ctx, p):
        fields = _describe_pem(_pem(p['Certificate']), _pem(p['PrivateKey']))
        if p.get('CertificateChain') and not PEM_CERT.search(_pem(p['CertificateChain'])):
            raise _invalid('The certificate chain must contain PEM-encoded X.509 certificates')
        if fields.get('NotAfter') and fields['NotAfter'] < now():
            raise _invalid('The certificate is expired')
        arn = p.get('CertificateArn')
        certs = self.table(ctx, 'certificates')
        if arn:
            old = self._cert(ctx, arn)
            if p.get('Tags'):
                raise _invalid('Tags cannot be specified when re-importing a certificate')
            tags = old.get('_tags', [])
        else:
            arn = ctx.arn('acm', 'certificate/' + new_uuid())
            tags = p.get('Tags') or []
        cert = {'CertificateArn': arn, 'Type': 'IMPORTED', 'Status': 'ISSUED',
                'ImportedAt': now(), 'CreatedAt': now(), 'RenewalEligibility': 'INELIGIBLE',
                'KeyUsages': [{'Name': 'DIGITAL_SIGNATURE'}, {'Name': 'KEY_ENCIPHERMENT'}],
                'ExtendedKeyUsages': [{'Name': 'TLS_WEB_SERVER_AUTHENTICATION',
                                       'OID': '1.3.6.1.5.5.7.3.1'}],
                'Options': {'CertificateTransparencyLoggingPreference': 'DISABLED'},
                '_tags': tags,
                '_pem': base64.b64encode(_pem(p['Certificate'])).decode()}
        cert.update({k: v for k, v in fields.items() if v is not None})
        certs[arn] = cert
        return {'CertificateArn': arn}

    # One hour: a request with the same token and arguments within it
    # returns the same certificate.
    TOKEN_TTL = 3600

    def RequestCertificate(self, ctx, p):
        domain = p['DomainName']
        names = p.get('SubjectAlternativeNames') or []
        for name in [domain] + names:
            if len(name) > 253 or not DOMAIN_RE.match(name):
                raise _invalid("1 validation error detected: Value '%s' at 'domainName' failed "
                               'to satisfy constraint: Member must satisfy regular expression '
                               'pattern: %s' % (name, DOMAIN_RE.pattern))
        if len(set([domain] + names)) > 10:
            raise AwsError('LimitExceededException', 'Cannot request a certificate with more '
                           'than 10 domain names (the account quota)', 400)
        method = p.get('ValidationMethod') or 'EMAIL'
        key = (domain, tuple(names), method, p.get('KeyAlgorithm') or 'RSA_2048')
        tokens = self.table(ctx, 'client_tokens')
        token = p.get('IdempotencyToken')
        if token and token in tokens and tokens[token]['at'] > now() - self.TOKEN_TTL:
            if tokens[token]['key'] != list(key):
                raise AwsError('InvalidParameterException', 'The idempotency token is already '
                               'in use with different arguments', 400)
            return {'CertificateArn': tokens[token]['arn']}
        arn = ctx.arn('acm', 'certificate/' + new_uuid())
        options = []
        for name in dict.fromkeys([domain] + names):
            base = name[2:] if name.startswith('*.') else name
            opt = {'DomainName': name, 'ValidationDomain': base,
                   'ValidationStatus': 'PENDING_VALIDATION', 'ValidationMethod': method}
            if method == 'DNS':
                opt['ResourceRecord'] = {'Name': '_%s.%s.' % (hex_id(32), base), 'Type': 'CNAME',
                                         'Value': '_%s.acm-validations.aws.' % hex_id(32)}
            else:
                opt['ValidationEmails'] = ['admin@' + base]
            options.append(opt)
        cert = {'CertificateArn': arn, 'Type': 'AMAZON_ISSUED', 'Status': 'PENDING_VALIDATION',
                'DomainName': domain, 'SubjectAlternativeNames': list(dict.fromkeys(
                    [domain] + names)), 'CreatedAt': now(), 'KeyAlgorithm':
                key[3].replace('_', '-', 1) if key[3].startswith('RSA') else key[3],
                'DomainValidationOptions': options, 'RenewalEligibility': 'INELIGIBLE',
                'Options': p.get('Options') or {
                    'CertificateTransparencyLoggingPreference': 'ENABLED'},
                '_tags': p.get('Tags') or []}
        self.table(ctx, 'certificates')[arn] = cert
        if token:
            tokens[token] = {'arn': arn, 'key': list(key), 'at': now()}
        return {'CertificateArn': arn}

    def _issue(self, cert):
        self.advance(cert, 'Status', {'PENDING_VALIDATION': 'ISSUED'})
        if cert['Status'] == 'ISSUED' and 'IssuedAt' not in cert:
            cert['IssuedAt'] = now()
            for opt in cert.get('DomainValidationOptions', []):
                opt['ValidationStatus'] = 'SUCCESS'

    def AddTagsToCertificate(self, ctx, p):
        cert = self._cert(ctx, p['CertificateArn'])
        tags = {t['Key']: t for t in cert.get('_tags', [])}
        for t in p['Tags']:
            if t['Key'].lower().startswith('aws:'):
                raise AwsError('InvalidTagException', 'Tag keys starting with aws: are '
                               'reserved', 400)
            tags[t['Key']] = {'Key': t['Key'], 'Value': t.get('Value', '')}
        if len(tags) > 50:
            raise AwsError('TooManyTagsException', 'A certificate can have at most 50 tags',
                           400)
        cert['_tags'] = list(tags.values())
        return {}

    def RemoveTagsFromCertificate(self, ctx, p):
        cert = self._cert(ctx, p['CertificateArn'])
        for t in p['Tags']:
            cert['_tags'] = [x for x in cert.get('_tags', []) if not (
                x['Key'] == t['Key'] and t.get('Value') in (None, x.get('Value')))]
        return {}

    def ListTagsForCertificate(self, ctx, p):
        return {'Tags': self._cert(ctx, p['CertificateArn']).get('_tags', [])}

    def DescribeCertificate(self, ctx, p):
        self._issue(self._cert(ctx, p['CertificateArn']))
        cert = dict(self._cert(ctx, p['CertificateArn']))
        cert['InUseBy'] = self._in_use_by(ctx, cert['CertificateArn'])
        return {'Certificate': cert}

    def ListCertificates(self, ctx, p):
        statuses = p.get('CertificateStatuses')
        key_types = (p.get('Includes') or {}).get('keyTypes') or ['RSA_1024', 'RSA_2048']
        items = []
        for cert in self.table(ctx, 'certificates').values():
            if statuses and cert['Status'] not in statuses:
                continue
            if cert.get('KeyAlgorithm', 'RSA-2048').replace('-', '_') not in key_types:
                continue
            summary = dict(cert)
            summary['InUse'] = bool(self._in_use_by(ctx, cert['CertificateArn']))
            summary['SubjectAlternativeNameSummaries'] = cert.get('SubjectAlternativeNames')
            items.append(summary)
        page, token = paginate(items, p.get('NextToken'), p.get('MaxItems'))
        return {'CertificateSummaryList': page, 'NextToken': token}

    def DeleteCertificate(self, ctx, p):
        cert = self._cert(ctx, p['CertificateArn'])
        users = self._in_use_by(ctx, cert['CertificateArn'])
        if users:
            raise AwsError('ResourceInUseException', 'Certificate %s in account 123456789012 '
                           'is in use.' % cert['CertificateArn'], 400)
        del self.table(ctx, 'certificates')[cert['CertificateArn']]
        return {}
