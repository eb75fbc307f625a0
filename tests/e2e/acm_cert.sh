# acm_cert.sh: sourced by the e2e drivers (stack_cycle.sh, crash_recovery.sh).
# import_certificate URL NAME DIR: makes a self-signed certificate for
# NAME.e2e.example.com in DIR (openssl) and imports it into the ACM of the
# endpoint at URL (boto3); prints its ARN. HTTPS listeners need a
# certificate that exists in ACM, on AWS, on moto and on our emulator alike.
# The openssl log goes to DIR/openssl.log.
import_certificate() {
    local url=$1 name=$2 dir=$3
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$name.e2e.example.com" \
        -keyout "$dir/cert.key" -out "$dir/cert.pem" >"$dir/openssl.log" 2>&1 || return 1
    python3 -c 'import boto3, sys
acm = boto3.client("acm", endpoint_url=sys.argv[1])
print(acm.import_certificate(Certificate=open(sys.argv[2], "rb").read(),
                             PrivateKey=open(sys.argv[3], "rb").read())["CertificateArn"])' \
        "$url" "$dir/cert.pem" "$dir/cert.key" 2>>"$dir/openssl.log"
}
