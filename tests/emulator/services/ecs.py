"""ECS: clusters, task definitions (register/describe/deregister/list),
services (create/describe/update/delete/list), tags.

Services reach a steady state the way the AWS waiter sees it: after
`pending_polls` DescribeServices calls the primary deployment's runningCount
equals desiredCount, rolloutState is COMPLETED and an event "has reached a
steady state." is added.  Deleted services go DRAINING -> INACTIVE and stay
describable; deregistered task definitions stay describable as INACTIVE.
A service's target group must already be attached to a load balancer
(through a listener or rule), as ECS requires.  RegisterTaskDefinition keeps
ECS's rules: Fargate needs awsvpc and one of the documented task cpu/memory
combinations; without task-level memory every container needs memory or
memoryReservation (memory >= memoryReservation); awsvpc port mappings need
hostPort == containerPort; container names are unique.
"""

from store import AwsError, Service, new_uuid, now


def _client(msg):
    return AwsError('ClientException', msg)


def _invalid(msg):
    return AwsError('InvalidParameterException', msg)


def _short(ref):
    return ref.rsplit('/', 1)[-1]


# Fargate task sizes: CPU units -> (lowest MiB, highest MiB, step MiB)
FARGATE_SIZES = {256: [(512, 512, 1), (1024, 2048, 1024)], 512: [(1024, 4096, 1024)],
                 1024: [(2048, 8192, 1024)], 2048: [(4096, 16384, 1024)],
                 4096: [(8192, 30720, 1024)], 8192: [(16384, 61440, 4096)],
                 16384: [(32768, 122880, 8192)]}


def _units(text, unit_word, per_unit):
    """Task cpu/memory as ECS reads them: '1024', '1 vCPU', '0.5 vcpu', '2 GB'."""
    text = str(text).strip()
    parts = text.split()
    try:
        if len(parts) == 2 and parts[1].lower() == unit_word:
            return int(float(parts[0]) * per_unit)
        return int(text)
    except ValueError:
        raise _client('Invalid task %s value: %s' % ('cpu' if unit_word == 'vcpu' else
                                                     'memory', text))


def _check_fargate_size(cpu, memory):
    """Fargate runs only the documented task cpu/memory combinations."""
    c, m = _units(cpu, 'vcpu', 1024), _units(memory, 'gb', 1024)
    if not any(lo <= m <= hi and (m - lo) % step == 0
               for lo, hi, step in FARGATE_SIZES.get(c, [])):
        raise _client('No Fargate configuration exists for given values: %s CPU, %s memory. '
                      'See the Amazon ECS documentation for the valid values.' % (cpu, memory))


def _check_containers(p):
    """ECS's container rules: without task-level memory (EC2 launch type) each
    container needs memory or memoryReservation; memory >= memoryReservation;
    awsvpc port mappings have hostPort == containerPort; unique names."""
    task_memory = p.get('memory')
    names = set()
    for cd in p['containerDefinitions']:
        name = cd['name']
        if name in names:
            raise _client('Duplicate container name: %s. Container names must be unique '
                          'within a task definition.' % name)
        names.add(name)
        memory, reservation = cd.get('memory'), cd.get('memoryReservation')
        if not task_memory and memory is None and reservation is None:
            raise _client("Invalid setting for container '%s'. At least one of 'memory' or "
                          "'memoryReservation' must be specified." % name)
        if memory is not None and reservation is not None and memory < reservation:
            raise _client("Invalid setting for container '%s'. 'memory' must be greater than "
                          "or equal to 'memoryReservation'." % name)
        if memory is not None and memory < 6:
            raise _client("Invalid 'memory' setting for container '%s'. The minimum is 6 MiB."
                          % name)
        if p.get('networkMode') == 'awsvpc':
            for pm in cd.get('portMappings') or []:
                if pm.get('hostPort') not in (None, pm.get('containerPort')):
                    raise _client('When networkMode=awsvpc, the host ports and container ports '
                                  'in port mappings must match.')


class Handler(Service):
    model = 'ecs'

    # ---------------------------------------------------------------- clusters

    def _clusters(self, ctx):
        return self.table(ctx, 'clusters')

    def _cluster(self, ctx, ref, active=True):
        c = self._clusters(ctx).get(_short(ref or 'default'))
        if c is None or (active and c['status'] != 'ACTIVE'):
            raise AwsError('ClusterNotFoundException', 'Cluster not found.')
        return c

    def _cluster_out(self, ctx, c):
        services = [s for s in self.table(ctx, 'services').values()
                    if s['clusterArn'] == c['clusterArn'] and s['status'] == 'ACTIVE']
        return dict(c, activeServicesCount=len(services),
                    runningTasksCount=sum(s['runningCount'] for s in services))

    def CreateCluster(self, ctx, p):
        name = p.get('clusterName') or 'default'
        old = self._clusters(ctx).get(name)
        if old and old['status'] == 'ACTIVE':
            return {'cluster': self._cluster_out(ctx, old)}
        c = {'clusterName': name, 'clusterArn': ctx.arn('ecs', 'cluster/' + name),
             'status': 'ACTIVE', 'registeredContainerInstancesCount': 0,
             'pendingTasksCount': 0, 'tags': p.get('tags') or [],
             'settings': p.get('settings') or [{'name': 'containerInsights',
                                                'value': 'disabled'}],
             'capacityProviders': p.get('capacityProviders') or [],
             'defaultCapacityProviderStrategy': p.get('defaultCapacityProviderStrategy') or []}
        self._clusters(ctx)[name] = c
        return {'cluster': self._cluster_out(ctx, c)}

    def DescribeClusters(self, ctx, p):
        out, failures = [], []
        for ref in p.get('clusters') or ['default']:
            c = self._clusters(ctx).get(_short(ref))
            if c is None:
                failures.append({'arn': ctx.arn('ecs', 'cluster/' + _short(ref)),
                                 'reason': 'MISSING'})
            else:
                c = self._cluster_out(ctx, c)
                if 'TAGS' not in (p.get('include') or []):
                    c = {k: v for k, v in c.items() if k != 'tags'}
                out.append(c)
        return {'clusters': out, 'failures': failures}

    def ListClusters(self, ctx, p):
        return {'clusterArns': [c['clusterArn'] for c in self._clusters(ctx).values()
                                if c['status'] == 'ACTIVE']}

    def UpdateCluster(self, ctx, p):
        c = self._cluster(ctx, p['cluster'])
        if p.get('settings'):
            c['settings'] = p['settings']
        return {'cluster': self._cluster_out(ctx, c)}

    def DeleteCluster(self, ctx, p):
        c = self._cluster(ctx, p['cluster'])
        if any(s['clusterArn'] == c['clusterArn'] and s['status'] != 'INACTIVE'
               for s in self.table(ctx, 'services').values()):
            raise AwsError('ClusterContainsServicesException', 'The Cluster cannot be deleted '
                           'while Services are active.')
        c['status'] = 'INACTIVE'
        return {'cluster': self._cluster_out(ctx, c)}

    # ---------------------------------------------------------------- task definitions

    def _families(self, ctx):
        return self.table(ctx, 'task_definitions')

    def RegisterTaskDefinition(self, ctx, p):
        if not p.get('containerDefinitions'):
            raise _client('Container list cannot be empty.')
        if 'FARGATE' in (p.get('requiresCompatibilities') or []):
            if p.get('networkMode') != 'awsvpc':
                raise _client('Fargate only supports network mode \u2018awsvpc\u2019.')
            if not p.get('cpu') or not p.get('memory'):
                raise _client('Fargate requires that \'cpu\' and \'memory\' be defined at '
                              'the task level.')
            _check_fargate_size(p['cpu'], p['memory'])
        for cd in p['containerDefinitions']:
            if not cd.get('name') or not cd.get('image'):
                raise _client('Container.name and Container.image should not be null or '
                              'empty.')
        _check_containers(p)
        family = p['family']
        revisions = self._families(ctx).setdefault(family, [])
        rev = len(revisions) + 1
        td = {k: v for k, v in p.items() if k != 'tags'}
        td.update({'taskDefinitionArn': ctx.arn('ecs', 'task-definition/%s:%d' % (family, rev)),
                   'revision': rev, 'status': 'ACTIVE', 'registeredAt': now(),
                   'registeredBy': 'arn:aws:iam::123456789012:user/cpstack-test',
                   'networkMode': p.get('networkMode') or 'bridge',
                   'compatibilities': ['EC2'] + (['FARGATE'] if p.get('networkMode') == 'awsvpc'
                                                 else []),
                   'volumes': p.get('volumes') or [], 'placementConstraints': [],
                   'requiresAttributes': [], '_tags': p.get('tags') or []})
        revisions.append(td)
        return {'taskDefinition': td, 'tags': td['_tags']}

    def _task_def(self, ctx, ref):
        name = _short(ref)
        family, _, rev = name.partition(':')
        revisions = self._families(ctx).get(family) or []
        if rev:
            found = [t for t in revisions if t['revision'] == int(rev)]
        else:
            found = [t for t in revisions if t['status'] == 'ACTIVE'][-1:]
        if not found:
            raise _client('Unable to describe task definition.')
        return found[0]

    def DescribeTaskDefinition(self, ctx, p):
        td = self._task_def(ctx, p['taskDefinition'])
        out = {'taskDefinition': td}
        if 'TAGS' in (p.get('include') or []):
            out['tags'] = td['_tags']
        return out

    def DeregisterTaskDefinition(self, ctx, p):
        if ':' not in _short(p['taskDefinition']):
            raise _invalid('Invalid revision number. Number: ' + p['taskDefinition'])
        td = self._task_def(ctx, p['taskDefinition'])
        td['status'] = 'INACTIVE'
        td['deregisteredAt'] = now()
        return {'taskDefinition': td}

    def ListTaskDefinitions(self, ctx, p):
        status = p.get('status') or 'ACTIVE'
        arns = [t['taskDefinitionArn'] for revs in self._families(ctx).values() for t in revs
                if t['status'] == status and (not p.get('familyPrefix') or
                                              t['family'].startswith(p['familyPrefix']))]
        return {'taskDefinitionArns': arns}

    def ListTaskDefinitionFamilies(self, ctx, p):
        return {'families': sorted(self._families(ctx))}

    # ---------------------------------------------------------------- services

    def _check_load_balancers(self, lbs):
        elb = self.server.services['elbv2']
        for lb in lbs or []:
            arn = lb.get('targetGroupArn')
            if arn and not elb.target_group_has_load_balancer(arn):
                raise _invalid('The target group with targetGroupArn %s does not have an '
                               'associated load balancer.' % arn)

    def CreateService(self, ctx, p):
        cluster = self._cluster(ctx, p.get('cluster'))
        td = self._task_def(ctx, p['taskDefinition'])
        key = '%s/%s' % (cluster['clusterName'], p['serviceName'])
        old = self.table(ctx, 'services').get(key)
        if old and old['status'] != 'INACTIVE':
            if p.get('clientToken') and old.get('_clientToken') == p['clientToken']:
                return {'service': old}  # a retry of the same call
            raise _invalid('Creation of service was not idempotent.')
        launch = p.get('launchType') or 'EC2'
        if launch == 'FARGATE' and 'FARGATE' not in td['compatibilities']:
            raise _invalid('Task definition does not support launch_type FARGATE.')
        if td['networkMode'] == 'awsvpc' and not p.get('networkConfiguration'):
            raise _invalid('Network Configuration must be provided when networkMode '
                           '\'awsvpc\' is specified.')
        self._check_load_balancers(p.get('loadBalancers'))
        svc = {'serviceName': p['serviceName'], 'clusterArn': cluster['clusterArn'],
               'serviceArn': ctx.arn('ecs', 'service/' + key), 'status': 'ACTIVE',
               'taskDefinition': td['taskDefinitionArn'], 'desiredCount':
               p.get('desiredCount', 1), 'runningCount': 0, 'pendingCount': 0,
               'launchType': launch, 'loadBalancers': p.get('loadBalancers') or [],
               'networkConfiguration': p.get('networkConfiguration'),
               'deploymentConfiguration': p.get('deploymentConfiguration') or
               {'maximumPercent': 200, 'minimumHealthyPercent': 100,
                'deploymentCircuitBreaker': {'enable': False, 'rollback': False}},
               'healthCheckGracePeriodSeconds': p.get('healthCheckGracePeriodSeconds'),
               'schedulingStrategy': p.get('schedulingStrategy') or 'REPLICA',
               'platformVersion': 'LATEST' if launch == 'FARGATE' else None,
               'createdAt': now(), 'createdBy': 'arn:aws:iam::123456789012:user/cpstack-test',
               'deploymentController': {'type': 'ECS'}, 'events': [], 'serviceRegistries': [],
               'placementConstraints': [], 'placementStrategy': [],
               'enableECSManagedTags': bool(p.get('enableECSManagedTags')),
               'propagateTags': p.get('propagateTags') or 'NONE',
               'enableExecuteCommand': bool(p.get('enableExecuteCommand')),
               'tags': p.get('tags') or [], 'deployments': [],
               '_clientToken': p.get('clientToken')}
        self._deploy(svc)
        self.table(ctx, 'services')[key] = svc
        return {'service': svc}

    def _deploy(self, svc):
        """Start a new PRIMARY deployment; older ones become ACTIVE until steady."""
        for d in svc['deployments']:
            d['status'] = 'ACTIVE'
        svc['deployments'].insert(0, {
            'id': 'ecs-svc/' + new_uuid().replace('-', '')[:19], 'status': 'PRIMARY',
            'taskDefinition': svc['taskDefinition'], 'desiredCount': svc['desiredCount'],
            'pendingCount': 0, 'runningCount': svc['runningCount'] if not svc['deployments']
            else 0, 'failedTasks': 0, 'createdAt': now(), 'updatedAt': now(),
            'launchType': svc['launchType'], 'rolloutState': 'IN_PROGRESS',
            'rolloutStateReason': 'ECS deployment is in progress.',
            'networkConfiguration': svc['networkConfiguration']})
        svc['_polls'] = self.setting('pending_polls')

    def _progress(self, svc):
        if svc['status'] == 'DRAINING':
            left = svc.get('_polls', 0)
            if left <= 0:
                svc['status'] = 'INACTIVE'
                svc['runningCount'] = 0
            else:
                svc['_polls'] = left - 1
            return svc
        if svc['status'] != 'ACTIVE' or '_polls' not in svc:
            return svc
        if svc['_polls'] > 0:
            svc['_polls'] -= 1
            svc['pendingCount'] = svc['desiredCount']
            return svc
        del svc['_polls']
        primary = svc['deployments'][0]
        primary.update({'runningCount': svc['desiredCount'], 'desiredCount':
                        svc['desiredCount'], 'pendingCount': 0, 'rolloutState': 'COMPLETED',
                        'rolloutStateReason': 'ECS deployment %s completed.' % primary['id'],
                        'updatedAt': now()})
        svc['deployments'] = [primary]
        svc['runningCount'], svc['pendingCount'] = svc['desiredCount'], 0
        svc['events'].insert(0, {'id': new_uuid(), 'createdAt': now(), 'message':
                                 '(service %s) has reached a steady state.'
                                 % svc['serviceName']})
        return svc

    def _service(self, ctx, cluster_ref, ref):
        cluster = self._cluster(ctx, cluster_ref)
        svc = self.table(ctx, 'services').get('%s/%s' % (cluster['clusterName'], _short(ref)))
        if svc is None:
            raise AwsError('ServiceNotFoundException', 'Service not found.')
        return svc

    def DescribeServices(self, ctx, p):
        cluster = self._cluster(ctx, p.get('cluster'))
        out, failures = [], []
        for ref in p['services']:
            svc = self.table(ctx, 'services').get('%s/%s' % (cluster['clusterName'],
                                                             _short(ref)))
            if svc is None:
                failures.append({'arn': ctx.arn('ecs', 'service/%s/%s' % (
                    cluster['clusterName'], _short(ref))), 'reason': 'MISSING'})
            else:
                out.append(self._progress(svc))
        return {'services': out, 'failures': failures}

    def ListServices(self, ctx, p):
        cluster = self._cluster(ctx, p.get('cluster'))
        return {'serviceArns': [s['serviceArn'] for s in self.table(ctx, 'services').values()
                                if s['clusterArn'] == cluster['clusterArn']
                                and s['status'] == 'ACTIVE']}

    def UpdateService(self, ctx, p):
        svc = self._service(ctx, p.get('cluster'), p['service'])
        if svc['status'] != 'ACTIVE':
            raise AwsError('ServiceNotActiveException', 'Service was not ACTIVE.')
        redeploy = bool(p.get('forceNewDeployment'))
        if p.get('taskDefinition'):
            td = self._task_def(ctx, p['taskDefinition'])
            redeploy = redeploy or td['taskDefinitionArn'] != svc['taskDefinition']
            svc['taskDefinition'] = td['taskDefinitionArn']
        if 'loadBalancers' in p:
            self._check_load_balancers(p['loadBalancers'])
            svc['loadBalancers'] = p['loadBalancers']
        for key in ('networkConfiguration', 'deploymentConfiguration',
                    'healthCheckGracePeriodSeconds', 'enableExecuteCommand', 'platformVersion'):
            if key in p:
                svc[key] = p[key]
                redeploy = redeploy or key == 'networkConfiguration'
        if 'desiredCount' in p:
            svc['desiredCount'] = p['desiredCount']
            svc['deployments'][0]['desiredCount'] = p['desiredCount']
            svc['_polls'] = self.setting('pending_polls')
        if redeploy:
            self._deploy(svc)
        return {'service': svc}

    def DeleteService(self, ctx, p):
        svc = self._service(ctx, p.get('cluster'), p['service'])
        if svc['status'] != 'ACTIVE':
            raise AwsError('ServiceNotActiveException', 'Service was not ACTIVE.')
        if svc['desiredCount'] > 0 and not p.get('force'):
            raise _invalid('The service cannot be stopped while it is scaled above 0.')
        svc.update({'status': 'DRAINING', 'desiredCount': 0,
                    '_polls': self.setting('pending_polls')})
        return {'service': svc}

    # ---------------------------------------------------------------- tags

    def _by_arn(self, ctx, arn):
        kind = arn.split(':', 5)[-1].split('/', 1)[0]
        name = arn.split('/', 1)[-1]
        if kind == 'cluster':
            return self._cluster(ctx, name, active=False)
        if kind == 'service':
            svc = self.table(ctx, 'services').get(name)
            if svc:
                return svc
        if kind == 'task-definition':
            td = self._task_def(ctx, name)
            td.setdefault('tags', td['_tags'])
            return td
        raise AwsError('ResourceNotFoundException', 'The specified resource could not be found.')

    def TagResource(self, ctx, p):
        rec = self._by_arn(ctx, p['resourceArn'])
        tags = {t['key']: t['value'] for t in rec.get('tags', [])}
        tags.update({t['key']: t['value'] for t in p['tags']})
        rec['tags'] = [{'key': k, 'value': v} for k, v in sorted(tags.items())]
        if '_tags' in rec:
            rec['_tags'] = rec['tags']
        return {}

    def UntagResource(self, ctx, p):
        rec = self._by_arn(ctx, p['resourceArn'])
        rec['tags'] = [t for t in rec.get('tags', []) if t['key'] not in p['tagKeys']]
        if '_tags' in rec:
            rec['_tags'] = rec['tags']
        return {}

    def ListTagsForResource(self, ctx, p):
        return {'tags': self._by_arn(ctx, p['resourceArn']).get('tags', [])}
