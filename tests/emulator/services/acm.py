"""ACM (AWS Certificate Manager), the minimum load balancer tests need:
ImportCertificate (new or re-import), DescribeCertificate, ListCertificates,
DeleteCertificate.

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

from store import AwsError, Service, new_uuid, now, paginate

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

    def DescribeCertificate(self, ctx, p):
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
