"""Elastic Load Balancing v2: application/network load balancers, target
groups, listeners (forward, fixed-response, redirect), listener rules,
attributes, targets, tags.  Load balancers go provisioning -> active after
`pending_polls` describes.  Names keep ELB's rules (32 alphanumerics or
hyphens, no hyphen first or last).  HTTPS/TLS listeners need a certificate imported
into ACM (services/acm.py) in the same region."""

import re

from store import AwsError, Service, hex_id, now

LB_ATTRIBUTES = {'deletion_protection.enabled': 'false', 'idle_timeout.timeout_seconds': '60',
                 'routing.http2.enabled': 'true', 'access_logs.s3.enabled': 'false',
                 'access_logs.s3.bucket': '', 'access_logs.s3.prefix': '',
                 'routing.http.drop_invalid_header_fields.enabled': 'false'}
TG_ATTRIBUTES = {'deregistration_delay.timeout_seconds': '300', 'stickiness.enabled': 'false',
                 'stickiness.type': 'lb_cookie', 'slow_start.duration_seconds': '0',
                 'load_balancing.algorithm.type': 'round_robin'}


def _err(code, msg, status=400):
    return AwsError(code, msg, status)


def _check_name(name, what):
    """Load balancer and target group names: 1-32 alphanumerics or hyphens,
    no hyphen first or last (and no internal- prefix for load balancers)."""
    if len(name) > 32:
        raise _err('ValidationError', "%s name '%s' cannot be longer than '32' characters"
                   % (what, name))
    if not re.match(r'^[a-zA-Z0-9-]+$', name):
        raise _err('ValidationError', "%s name '%s' can only contain characters that are "
                   "alphanumeric characters or hyphens(-)" % (what, name))
    if name.startswith('-') or name.endswith('-'):
        raise _err('ValidationError', "%s name '%s' cannot begin or end with '-'"
                   % (what, name))
    if what == 'Load balancer' and name.startswith('internal-'):
        raise _err('ValidationError', "Load balancer name '%s' cannot begin with 'internal-'"
                   % name)


class Handler(Service):
    model = 'elbv2'

    def _t(self, ctx, name):
        return self.table(ctx, name)

    def _get(self, ctx, table, arn, code, what):
        rec = self._t(ctx, table).get(arn)
        if rec is None:
            raise _err(code, "%s '%s' not found" % (what, arn))
        return rec

    # ---------------------------------------------------------------- load balancers

    def CreateLoadBalancer(self, ctx, p):
        name = p['Name']
        _check_name(name, 'Load balancer')
        if any(lb['LoadBalancerName'] == name for lb in self._t(ctx, 'lbs').values()):
            raise _err('DuplicateLoadBalancerName', 'A load balancer with the same name '
                       "'%s' exists, but with different settings" % name)
        ec2 = self.server.services['ec2']
        subnet_ids = p.get('Subnets') or [m['SubnetId'] for m in p.get('SubnetMappings') or []]
        subnets = []
        for sid in subnet_ids:
            try:
                subnets.append(ec2.get(ctx, 'subnets', sid))
            except AwsError:
                raise _err('SubnetNotFound', "The subnet ID '%s' is not valid" % sid)
        lb_type = p.get('Type') or 'application'
        if lb_type == 'application' and len({s['AvailabilityZone'] for s in subnets}) < 2:
            raise _err('ValidationError', 'At least two subnets in two different Availability '
                       'Zones must be specified')
        for gid in p.get('SecurityGroups') or []:
            try:
                ec2.get(ctx, 'security_groups', gid)
            except AwsError:
                raise _err('InvalidSecurityGroup', "Security group '%s' does not exist" % gid)
        kind = {'application': 'app', 'network': 'net', 'gateway': 'gwy'}[lb_type]
        arn = ctx.arn('elasticloadbalancing', 'loadbalancer/%s/%s/%s' % (kind, name, hex_id(16)))
        scheme = p.get('Scheme') or 'internet-facing'
        dns = '%s%s-%s.%s.elb.amazonaws.com' % ('internal-' if scheme == 'internal' else '',
                                                name, hex_id(10)[:9].replace('a', '1'),
                                                ctx.region)
        lb = {'LoadBalancerArn': arn, 'DNSName': dns, 'CanonicalHostedZoneId': 'Z32O12XQLNTSW2',
              'CreatedTime': now(), 'LoadBalancerName': name, 'Scheme': scheme,
              'VpcId': subnets[0]['VpcId'] if subnets else None,
              'State': {'Code': 'provisioning'}, 'Type': lb_type,
              'AvailabilityZones': [{'ZoneName': s['AvailabilityZone'],
                                     'SubnetId': s['SubnetId']} for s in subnets],
              'SecurityGroups': p.get('SecurityGroups') or [],
              'IpAddressType': p.get('IpAddressType') or 'ipv4',
              '_attributes': dict(LB_ATTRIBUTES), '_tags': p.get('Tags') or []}
        self._t(ctx, 'lbs')[arn] = lb
        return {'LoadBalancers': [lb]}

    def DescribeLoadBalancers(self, ctx, p):
        lbs = list(self._t(ctx, 'lbs').values())
        if p.get('LoadBalancerArns'):
            lbs = [self._get(ctx, 'lbs', a, 'LoadBalancerNotFound', 'Load balancer')
                   for a in p['LoadBalancerArns']]
        if p.get('Names'):
            by_name = {lb['LoadBalancerName']: lb for lb in lbs}
            for n in p['Names']:
                if n not in by_name:
                    raise _err('LoadBalancerNotFound', "Load balancers '[%s]' not found" % n)
            lbs = [by_name[n] for n in p['Names']]
        for lb in lbs:
            self.advance(lb, 'State.Code', {'provisioning': 'active'})
        return {'LoadBalancers': lbs}

    def DeleteLoadBalancer(self, ctx, p):
        lb = self._t(ctx, 'lbs').pop(p['LoadBalancerArn'], None)
        if lb is not None:
            for arn, lst in list(self._t(ctx, 'listeners').items()):
                if lst['LoadBalancerArn'] == lb['LoadBalancerArn']:
                    self._delete_listener(ctx, arn)
        return {}

    def SetSecurityGroups(self, ctx, p):
        lb = self._get(ctx, 'lbs', p['LoadBalancerArn'], 'LoadBalancerNotFound', 'Load balancer')
        lb['SecurityGroups'] = p['SecurityGroups']
        return {'SecurityGroupIds': lb['SecurityGroups']}

    def SetSubnets(self, ctx, p):
        lb = self._get(ctx, 'lbs', p['LoadBalancerArn'], 'LoadBalancerNotFound', 'Load balancer')
        ec2 = self.server.services['ec2']
        subnets = [ec2.get(ctx, 'subnets', s) for s in p.get('Subnets') or []]
        lb['AvailabilityZones'] = [{'ZoneName': s['AvailabilityZone'],
                                    'SubnetId': s['SubnetId']} for s in subnets]
        return {'AvailabilityZones': lb['AvailabilityZones']}

    def _attributes(self, rec, p):
        for a in p.get('Attributes') or []:
            rec['_attributes'][a['Key']] = a['Value']
        return {'Attributes': [{'Key': k, 'Value': v}
                               for k, v in sorted(rec['_attributes'].items())]}

    def DescribeLoadBalancerAttributes(self, ctx, p):
        return self._attributes(self._get(ctx, 'lbs', p['LoadBalancerArn'],
                                          'LoadBalancerNotFound', 'Load balancer'), {})

    def ModifyLoadBalancerAttributes(self, ctx, p):
        lb = self._get(ctx, 'lbs', p['LoadBalancerArn'], 'LoadBalancerNotFound', 'Load balancer')
        for a in p['Attributes']:
            if a['Key'] not in LB_ATTRIBUTES:
                raise _err('InvalidConfigurationRequest', "Load balancer attribute key '%s' "
                           "is not recognized" % a['Key'])
        return self._attributes(lb, p)

    # ---------------------------------------------------------------- target groups

    def CreateTargetGroup(self, ctx, p):
        name = p['Name']
        _check_name(name, 'Target group')
        for tg in self._t(ctx, 'tgs').values():
            if tg['TargetGroupName'] == name:
                if tg['Port'] == p.get('Port') and tg['Protocol'] == p.get('Protocol'):
                    return {'TargetGroups': [tg]}
                raise _err('DuplicateTargetGroupName', 'A target group with the same name '
                           "'%s' exists, but with different settings" % name)
        ttype = p.get('TargetType') or 'instance'
        if ttype in ('instance', 'ip', 'alb'):
            for key, what in (('Protocol', 'protocol'), ('Port', 'port'), ('VpcId', 'VPC ID')):
                if not p.get(key):
                    raise _err('ValidationError', 'A %s must be specified' % what)
        elif ttype == 'lambda':
            for key, what in (('Protocol', 'Protocol'), ('Port', 'Port'), ('VpcId', 'VPC ID')):
                if p.get(key) is not None:
                    raise _err('ValidationError', "%s cannot be specified for target groups "
                               "with target type 'lambda'" % what)
        if p.get('VpcId'):
            self.server.services['ec2'].get(ctx, 'vpcs', p['VpcId'])
        proto = p.get('Protocol')
        arn = ctx.arn('elasticloadbalancing', 'targetgroup/%s/%s' % (name, hex_id(16)))
        tg = {'TargetGroupArn': arn, 'TargetGroupName': name, 'Protocol': proto,
              'Port': p.get('Port'), 'VpcId': p.get('VpcId'),
              'HealthCheckProtocol': p.get('HealthCheckProtocol') or proto or 'HTTP',
              'HealthCheckPort': p.get('HealthCheckPort') or 'traffic-port',
              'HealthCheckEnabled': p.get('HealthCheckEnabled', True),
              'HealthCheckIntervalSeconds': p.get('HealthCheckIntervalSeconds') or 30,
              'HealthCheckTimeoutSeconds': p.get('HealthCheckTimeoutSeconds') or 5,
              'HealthyThresholdCount': p.get('HealthyThresholdCount') or 5,
              'UnhealthyThresholdCount': p.get('UnhealthyThresholdCount') or 2,
              'HealthCheckPath': p.get('HealthCheckPath') or '/',
              'Matcher': p.get('Matcher') or {'HttpCode': '200'},
              'TargetType': p.get('TargetType') or 'instance',
              'ProtocolVersion': p.get('ProtocolVersion') or 'HTTP1',
              'IpAddressType': 'ipv4', 'LoadBalancerArns': [],
              '_attributes': dict(TG_ATTRIBUTES), '_tags': p.get('Tags') or [], '_targets': []}
        self._t(ctx, 'tgs')[arn] = tg
        return {'TargetGroups': [tg]}

    def _tg_out(self, ctx, tg):
        return dict(tg, LoadBalancerArns=sorted(self._lbs_of_tg(ctx, tg['TargetGroupArn'])))

    def _lbs_of_tg(self, ctx, arn):
        lbs = set()
        for lst in self._t(ctx, 'listeners').values():
            actions = list(lst['DefaultActions'])
            for rule in self._t(ctx, 'rules').values():
                if rule.get('_listener') == lst['ListenerArn']:
                    actions += rule['Actions']
            if any(self._forwards_to(a, arn) for a in actions):
                lbs.add(lst['LoadBalancerArn'])
        return lbs

    @staticmethod
    def _forwards_to(action, arn):
        if action.get('TargetGroupArn') == arn:
            return True
        groups = (action.get('ForwardConfig') or {}).get('TargetGroups') or []
        return any(g.get('TargetGroupArn') == arn for g in groups)

    def target_group_has_load_balancer(self, arn):
        """Used by ECS: is this target group behind a listener or rule?"""
        region = arn.split(':')[3]
        ctx = type('Ctx', (), {'region': region})()
        return bool(self._lbs_of_tg(ctx, arn))

    def DescribeTargetGroups(self, ctx, p):
        tgs = list(self._t(ctx, 'tgs').values())
        if p.get('TargetGroupArns'):
            tgs = [self._get(ctx, 'tgs', a, 'TargetGroupNotFound', 'Target groups')
                   for a in p['TargetGroupArns']]
        if p.get('Names'):
            by_name = {t['TargetGroupName']: t for t in tgs}
            for n in p['Names']:
                if n not in by_name:
                    raise _err('TargetGroupNotFound', "One or more target groups not found")
            tgs = [by_name[n] for n in p['Names']]
        tgs = [self._tg_out(ctx, t) for t in tgs]
        if p.get('LoadBalancerArn'):
            tgs = [t for t in tgs if p['LoadBalancerArn'] in t['LoadBalancerArns']]
        return {'TargetGroups': tgs}

    def ModifyTargetGroup(self, ctx, p):
        tg = self._get(ctx, 'tgs', p['TargetGroupArn'], 'TargetGroupNotFound', 'Target group')
        for k, v in p.items():
            if k != 'TargetGroupArn' and v is not None:
                tg[k] = v
        return {'TargetGroups': [self._tg_out(ctx, tg)]}

    def DeleteTargetGroup(self, ctx, p):
        arn = p['TargetGroupArn']
        if arn in self._t(ctx, 'tgs'):
            if self._lbs_of_tg(ctx, arn):
                raise _err('ResourceInUse', "Target group '%s' is currently in use by a "
                           "listener or a rule" % arn)
            del self._t(ctx, 'tgs')[arn]
        return {}

    def DescribeTargetGroupAttributes(self, ctx, p):
        return self._attributes(self._get(ctx, 'tgs', p['TargetGroupArn'],
                                          'TargetGroupNotFound', 'Target group'), {})

    def ModifyTargetGroupAttributes(self, ctx, p):
        return self._attributes(self._get(ctx, 'tgs', p['TargetGroupArn'],
                                          'TargetGroupNotFound', 'Target group'), p)

    def RegisterTargets(self, ctx, p):
        tg = self._get(ctx, 'tgs', p['TargetGroupArn'], 'TargetGroupNotFound', 'Target group')
        for t in p['Targets']:
            if t not in tg['_targets']:
                tg['_targets'].append(t)
        return {}

    def DeregisterTargets(self, ctx, p):
        tg = self._get(ctx, 'tgs', p['TargetGroupArn'], 'TargetGroupNotFound', 'Target group')
        ids = {t['Id'] for t in p['Targets']}
        tg['_targets'] = [t for t in tg['_targets'] if t['Id'] not in ids]
        return {}

    def DescribeTargetHealth(self, ctx, p):
        tg = self._get(ctx, 'tgs', p['TargetGroupArn'], 'TargetGroupNotFound', 'Target group')
        return {'TargetHealthDescriptions': [
            {'Target': t, 'HealthCheckPort': str(t.get('Port') or tg['Port']),
             'TargetHealth': {'State': 'healthy'}} for t in tg['_targets']]}

    # ---------------------------------------------------------------- listeners and rules

    def _check_actions(self, ctx, actions):
        if not actions:
            raise _err('ValidationError', 'At least one action must be specified')
        for a in actions:
            arns = [a['TargetGroupArn']] if a.get('TargetGroupArn') else []
            arns += [g['TargetGroupArn'] for g in
                     (a.get('ForwardConfig') or {}).get('TargetGroups') or []]
            for arn in arns:
                self._get(ctx, 'tgs', arn, 'TargetGroupNotFound', 'Target group')
            if a['Type'] == 'fixed-response' and not a.get('FixedResponseConfig'):
                raise _err('ValidationError', 'A fixed response config must be specified')
            if a['Type'] == 'redirect' and not a.get('RedirectConfig'):
                raise _err('ValidationError', 'A redirect config must be specified')
        for i, a in enumerate(actions, 1):
            a.setdefault('Order', i)
        return actions

    def CreateListener(self, ctx, p):
        lb = self._get(ctx, 'lbs', p['LoadBalancerArn'], 'LoadBalancerNotFound', 'Load balancer')
        port = p.get('Port')
        if any(lst['LoadBalancerArn'] == lb['LoadBalancerArn'] and lst['Port'] == port
               for lst in self._t(ctx, 'listeners').values()):
            raise _err('DuplicateListener', 'A listener already exists on this port for this '
                       'load balancer')
        self._check_certificates(ctx, p.get('Protocol'), p.get('Certificates'))
        arn = lb['LoadBalancerArn'].replace(':loadbalancer/', ':listener/') + '/' + hex_id(16)
        lst = {'ListenerArn': arn, 'LoadBalancerArn': lb['LoadBalancerArn'], 'Port': port,
               'Protocol': p.get('Protocol'), 'Certificates': p.get('Certificates'),
               'SslPolicy': p.get('SslPolicy') or ('ELBSecurityPolicy-2016-08'
                                                   if p.get('Protocol') == 'HTTPS' else None),
               'DefaultActions': self._check_actions(ctx, p.get('DefaultActions')),
               '_tags': p.get('Tags') or []}
        self._t(ctx, 'listeners')[arn] = lst
        return {'Listeners': [lst]}

    def _check_certificates(self, ctx, protocol, certificates):
        """HTTPS and TLS listeners need a certificate, and it must exist in ACM
        in the load balancer's region (CertificateNotFound otherwise, like AWS)."""
        if protocol not in ('HTTPS', 'TLS'):
            return
        if not certificates:
            raise _err('CertificateNotFound', 'A certificate must be specified for %s '
                       'listeners' % protocol)
        acm = self.server.services['acm']
        for cert in certificates:
            arn = cert.get('CertificateArn')
            if not arn or acm.certificate(ctx, arn) is None:
                raise _err('CertificateNotFound', "Certificate '%s' not found" % arn)

    def listeners_using_certificate(self, ctx, cert_arn):
        """ARNs of the load balancers whose listeners present a certificate."""
        return sorted({lst['LoadBalancerArn'] for lst in self._t(ctx, 'listeners').values()
                       if any(c.get('CertificateArn') == cert_arn
                              for c in lst.get('Certificates') or [])})

    def DescribeListeners(self, ctx, p):
        if p.get('ListenerArns'):
            return {'Listeners': [self._get(ctx, 'listeners', a, 'ListenerNotFound', 'Listener')
                                  for a in p['ListenerArns']]}
        self._get(ctx, 'lbs', p.get('LoadBalancerArn'), 'LoadBalancerNotFound', 'Load balancer')
        return {'Listeners': [lst for lst in self._t(ctx, 'listeners').values()
                              if lst['LoadBalancerArn'] == p['LoadBalancerArn']]}

    def ModifyListener(self, ctx, p):
        lst = self._get(ctx, 'listeners', p['ListenerArn'], 'ListenerNotFound', 'Listener')
        if p.get('DefaultActions'):
            lst['DefaultActions'] = self._check_actions(ctx, p['DefaultActions'])
        self._check_certificates(ctx, p.get('Protocol') or lst['Protocol'],
                                 p.get('Certificates') or lst.get('Certificates'))
        for k in ('Port', 'Protocol', 'SslPolicy', 'Certificates'):
            if p.get(k) is not None:
                lst[k] = p[k]
        return {'Listeners': [lst]}

    def _delete_listener(self, ctx, arn):
        self._t(ctx, 'listeners').pop(arn, None)
        for rarn, rule in list(self._t(ctx, 'rules').items()):
            if rule['_listener'] == arn:
                del self._t(ctx, 'rules')[rarn]

    def DeleteListener(self, ctx, p):
        self._get(ctx, 'listeners', p['ListenerArn'], 'ListenerNotFound', 'Listener')
        self._delete_listener(ctx, p['ListenerArn'])
        return {}

    def CreateRule(self, ctx, p):
        lst = self._get(ctx, 'listeners', p['ListenerArn'], 'ListenerNotFound', 'Listener')
        prio = str(p['Priority'])
        if any(r['_listener'] == lst['ListenerArn'] and r['Priority'] == prio
               for r in self._t(ctx, 'rules').values()):
            raise _err('PriorityInUse', "Priority '%s' is currently in use" % prio)
        if not p.get('Conditions'):
            raise _err('ValidationError', 'A condition must be specified')
        arn = lst['ListenerArn'].replace(':listener/', ':listener-rule/') + '/' + hex_id(16)
        rule = {'RuleArn': arn, 'Priority': prio, 'Conditions': p['Conditions'],
                'Actions': self._check_actions(ctx, p['Actions']), 'IsDefault': False,
                '_listener': lst['ListenerArn'], '_tags': p.get('Tags') or []}
        self._t(ctx, 'rules')[arn] = rule
        return {'Rules': [rule]}

    def DescribeRules(self, ctx, p):
        if p.get('RuleArns'):
            return {'Rules': [self._get(ctx, 'rules', a, 'RuleNotFound', 'Rule')
                              for a in p['RuleArns']]}
        lst = self._get(ctx, 'listeners', p.get('ListenerArn'), 'ListenerNotFound', 'Listener')
        rules = sorted((r for r in self._t(ctx, 'rules').values()
                        if r['_listener'] == lst['ListenerArn']), key=lambda r: int(r['Priority']))
        default = {'RuleArn': lst['ListenerArn'].replace(':listener/', ':listener-rule/') +
                   '/default', 'Priority': 'default', 'Conditions': [],
                   'Actions': lst['DefaultActions'], 'IsDefault': True}
        return {'Rules': rules + [default]}

    def ModifyRule(self, ctx, p):
        rule = self._get(ctx, 'rules', p['RuleArn'], 'RuleNotFound', 'Rule')
        if p.get('Conditions'):
            rule['Conditions'] = p['Conditions']
        if p.get('Actions'):
            rule['Actions'] = self._check_actions(ctx, p['Actions'])
        return {'Rules': [rule]}

    def SetRulePriorities(self, ctx, p):
        out = []
        for rp in p['RulePriorities']:
            rule = self._get(ctx, 'rules', rp['RuleArn'], 'RuleNotFound', 'Rule')
            rule['Priority'] = str(rp['Priority'])
            out.append(rule)
        return {'Rules': out}

    def DeleteRule(self, ctx, p):
        self._get(ctx, 'rules', p['RuleArn'], 'RuleNotFound', 'Rule')
        del self._t(ctx, 'rules')[p['RuleArn']]
        return {}

    # ---------------------------------------------------------------- tags

    def _tagged(self, ctx, arn):
        for table, code in (('lbs', 'LoadBalancerNotFound'), ('tgs', 'TargetGroupNotFound'),
                            ('listeners', 'ListenerNotFound'), ('rules', 'RuleNotFound')):
            if arn in self._t(ctx, table):
                return self._t(ctx, table)[arn]
        raise _err('LoadBalancerNotFound', "Resource '%s' not found" % arn)

    def AddTags(self, ctx, p):
        for arn in p['ResourceArns']:
            rec = self._tagged(ctx, arn)
            tags = {t['Key']: t.get('Value', '') for t in rec['_tags']}
            tags.update({t['Key']: t.get('Value', '') for t in p['Tags']})
            rec['_tags'] = [{'Key': k, 'Value': v} for k, v in sorted(tags.items())]
        return {}

    def RemoveTags(self, ctx, p):
        for arn in p['ResourceArns']:
            rec = self._tagged(ctx, arn)
            rec['_tags'] = [t for t in rec['_tags'] if t['Key'] not in p['TagKeys']]
        return {}

    def DescribeTags(self, ctx, p):
        return {'TagDescriptions': [{'ResourceArn': arn, 'Tags': self._tagged(ctx, arn)['_tags']}
                                    for arn in p['ResourceArns']]}
