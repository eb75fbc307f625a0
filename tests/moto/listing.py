"""Lists what an AWS endpoint (moto) still holds for one deployment, through
AWS's own List/Describe APIs (boto3), the way one would check a real account.

  python3 listing.py ENDPOINT_URL TOKEN [TOKEN...]   prints "TOKEN COUNT" lines
  python3 listing.py ENDPOINT_URL --list TOKEN        prints the matching records
  python3 listing.py ENDPOINT_URL --secrets [STATE...] prints every IAM secret key issued

Same interface as tests/e2e/leftovers.py (which reads our emulator's admin
dump); stack_cycle.sh uses this one on moto. A record counts when its JSON
mentions TOKEN (a branch-specific name part such as "cronproj-e2e-one").
Objects AWS keeps listing after a delete are not counted: terminated
instances, deleted NAT gateways, INACTIVE clusters, services and task
definitions, the default VPC
and its parts. moto's /moto-api/data.json cannot serve as the listing (it
keeps every object ever made, deleted or not), but it is where the issued IAM
secrets are read from (--secrets), as no AWS API returns them twice.
"""
import json
import sys
import urllib.error
import urllib.request

import boto3


def _pages(client, op, key, **kw):
    if client.can_paginate(op):
        for page in client.get_paginator(op).paginate(**kw):
            yield from page.get(key, [])
    else:
        yield from getattr(client, op)(**kw).get(key, [])


def _ec2(c):
    yield from (('vpc', v) for v in _pages(c, 'describe_vpcs', 'Vpcs') if not v.get('IsDefault'))
    yield from (('subnet', s) for s in _pages(c, 'describe_subnets', 'Subnets')
                if not s.get('DefaultForAz'))
    yield from (('security-group', g) for g in _pages(c, 'describe_security_groups', 'SecurityGroups')
                if g.get('GroupName') != 'default')
    yield from (('route-table', t) for t in _pages(c, 'describe_route_tables', 'RouteTables')
                if not any(a.get('Main') for a in t.get('Associations', [])))
    yield from (('internet-gateway', g) for g in _pages(c, 'describe_internet_gateways', 'InternetGateways'))
    yield from (('nat-gateway', g) for g in _pages(c, 'describe_nat_gateways', 'NatGateways')
                if g.get('State') not in ('deleted', 'deleting'))
    for r in _pages(c, 'describe_instances', 'Reservations'):
        yield from (('instance', i) for i in r['Instances']
                    if i['State']['Name'] not in ('terminated', 'shutting-down'))
    yield from (('launch-template', t) for t in _pages(c, 'describe_launch_templates', 'LaunchTemplates'))
    yield from (('key-pair', k) for k in c.describe_key_pairs().get('KeyPairs', []))
    yield from (('address', a) for a in c.describe_addresses().get('Addresses', []))


def _iam(c):
    yield from (('user', u) for u in _pages(c, 'list_users', 'Users'))
    for u in _pages(c, 'list_users', 'Users'):
        name = u['UserName']
        yield from (('user-policy', {'user': name, 'policy': p})
                    for p in _pages(c, 'list_user_policies', 'PolicyNames', UserName=name))
        yield from (('access-key', k) for k in _pages(c, 'list_access_keys', 'AccessKeyMetadata', UserName=name))
    yield from (('role', r) for r in _pages(c, 'list_roles', 'Roles')
                if not r.get('Path', '/').startswith('/aws-service-role/'))
    yield from (('policy', p) for p in _pages(c, 'list_policies', 'Policies', Scope='Local'))
    yield from (('instance-profile', p) for p in _pages(c, 'list_instance_profiles', 'InstanceProfiles'))
    yield from (('group', g) for g in _pages(c, 'list_groups', 'Groups'))


def _s3(c):
    for b in c.list_buckets().get('Buckets', []):
        yield 'bucket', b


def _ecs(c):
    """Clusters and services still ACTIVE (AWS, and moto, keep listing
    deleted ones as INACTIVE for a while)."""
    arns = list(_pages(c, 'list_clusters', 'clusterArns'))
    for cl in (c.describe_clusters(clusters=arns)['clusters'] if arns else []):
        if cl.get('status') == 'INACTIVE':
            continue
        yield 'cluster', cl
        svcs = list(_pages(c, 'list_services', 'serviceArns', cluster=cl['clusterArn']))
        for i in range(0, len(svcs), 10):
            for svc in c.describe_services(cluster=cl['clusterArn'], services=svcs[i:i + 10])['services']:
                if svc.get('status') != 'INACTIVE':
                    yield 'service', svc
    yield from (('task-definition', {'arn': t})
                for t in _pages(c, 'list_task_definitions', 'taskDefinitionArns', status='ACTIVE'))


def _elbv2(c):
    lbs = list(_pages(c, 'describe_load_balancers', 'LoadBalancers'))
    yield from (('load-balancer', lb) for lb in lbs)
    for lb in lbs:
        yield from (('listener', ls) for ls in
                    _pages(c, 'describe_listeners', 'Listeners', LoadBalancerArn=lb['LoadBalancerArn']))
    yield from (('target-group', t) for t in _pages(c, 'describe_target_groups', 'TargetGroups'))


def _rds(c):
    yield from (('db-instance', d) for d in _pages(c, 'describe_db_instances', 'DBInstances'))
    yield from (('db-subnet-group', g) for g in _pages(c, 'describe_db_subnet_groups', 'DBSubnetGroups'))


def _lambda(c):
    for f in _pages(c, 'list_functions', 'Functions'):
        yield 'function', f


def _autoscaling(c):
    yield from (('group', g) for g in _pages(c, 'describe_auto_scaling_groups', 'AutoScalingGroups'))


def _appautoscaling(c):
    for ns in ('ecs',):
        yield from (('target', t) for t in _pages(c, 'describe_scalable_targets', 'ScalableTargets',
                                                   ServiceNamespace=ns))
        yield from (('policy', p) for p in _pages(c, 'describe_scaling_policies', 'ScalingPolicies',
                                                   ServiceNamespace=ns))


LISTERS = {
    'ec2': _ec2, 'iam': _iam, 's3': _s3, 'ecs': _ecs, 'elbv2': _elbv2, 'rds': _rds,
    'lambda': _lambda, 'autoscaling': _autoscaling, 'application-autoscaling': _appautoscaling,
    'ecr': lambda c: (('repository', r) for r in _pages(c, 'describe_repositories', 'repositories')),
    'logs': lambda c: (('log-group', g) for g in _pages(c, 'describe_log_groups', 'logGroups')),
    'sns': lambda c: [('topic', t) for t in _pages(c, 'list_topics', 'Topics')] +
                     [('subscription', s) for s in _pages(c, 'list_subscriptions', 'Subscriptions')],
    'cloudwatch': lambda c: (('alarm', a) for a in _pages(c, 'describe_alarms', 'MetricAlarms')),
    'events': lambda c: (('rule', r) for r in _pages(c, 'list_rules', 'Rules')),
    'acm': lambda c: (('certificate', s) for s in _pages(c, 'list_certificates',
                                                          'CertificateSummaryList')),
    'sqs': lambda c: (('queue', {'QueueUrl': u}) for u in c.list_queues().get('QueueUrls', [])),
    'ssm': lambda c: (('parameter', p) for p in _pages(c, 'describe_parameters', 'Parameters')),
    'dynamodb': lambda c: (('table', {'TableName': t}) for t in _pages(c, 'list_tables', 'TableNames')),
    'route53': lambda c: (('hosted-zone', z) for z in _pages(c, 'list_hosted_zones', 'HostedZones')),
}


def records(url):
    """Yields (path, record) for every object the endpoint lists."""
    for service, lister in LISTERS.items():
        client = boto3.client(service, endpoint_url=url)
        for kind, rec in lister(client):
            yield service + '/' + kind, rec


def leftovers(recs, token):
    return [path + ' ' + json.dumps(rec, default=str)[:200]
            for path, rec in recs if token in json.dumps(rec, default=str)]


def state_secrets(paths):
    for path in paths:
        try:
            with open(path) as f:
                state = json.load(f)
        except (OSError, ValueError):
            continue
        for res in state.get('resources', []):
            if res.get('type') == 'aws_iam_access_key':
                for inst in res.get('instances', [res]):
                    secret = (inst.get('attributes') or {}).get('secret')
                    if secret:
                        yield secret


def secrets(url, state_paths):
    try:
        with urllib.request.urlopen(url.rstrip('/') + '/moto-api/data.json', timeout=60) as r:
            data = json.load(r)
    except urllib.error.HTTPError:
        yield from state_secrets(state_paths)
        return
    for key in data.get('iam', {}).get('AccessKey', []):
        if key.get('secret_access_key'):
            yield key['secret_access_key']


def main(argv):
    if len(argv) < 3:
        sys.exit('usage: listing.py ENDPOINT_URL [--list|--secrets] [TOKEN...]')
    url = argv[1]
    if argv[2] == '--secrets':
        for s in sorted(set(secrets(url, argv[3:]))):
            print(s)
        return
    recs = list(records(url))
    if argv[2] == '--list':
        for token in argv[3:]:
            for line in leftovers(recs, token):
                print(line)
    else:
        for token in argv[2:]:
            print(token, len(leftovers(recs, token)))


if __name__ == '__main__':
    main(sys.argv)
