"""STS: GetCallerIdentity and AssumeRole (issues temporary credentials the
emulator then accepts for signing, with their session token)."""

from store import AwsError, Service, now, secret, upper_id


class Handler(Service):
    model = 'sts'

    def credentials_for(self, access_key):
        session = self.gtable('sessions').get(access_key)
        if not session:
            return None
        return {'access_key': access_key, 'secret': session['secret'],
                'token': session['token'], 'expiration': session['expiration'],
                'arn': session['arn'], 'user_id': session['user_id'], 'account': '123456789012'}

    def GetCallerIdentity(self, ctx, p):
        pr = ctx.principal
        return {'UserId': pr.get('user_id', 'AIDACPSTACKTESTUSER01'),
                'Account': ctx.account, 'Arn': pr.get('arn')}

    def AssumeRole(self, ctx, p):
        arn, session_name = p['RoleArn'], p['RoleSessionName']
        role_name = arn.rsplit('/', 1)[-1]
        role = self.server.services['iam'].gtable('roles').get(role_name)
        if role is None or role['Arn'] != arn:
            raise AwsError('AccessDenied', 'User: %s is not authorized to perform: '
                           'sts:AssumeRole on resource: %s' % (ctx.principal.get('arn'), arn),
                           403)
        duration = int(p.get('DurationSeconds') or 3600)
        if not 900 <= duration <= role.get('MaxSessionDuration', 3600):
            raise AwsError('ValidationError', 'The requested DurationSeconds exceeds the '
                           'MaxSessionDuration set for this role.')
        access_key = upper_id('ASIA')
        user_id = '%s:%s' % (role['RoleId'], session_name)
        assumed_arn = 'arn:aws:sts::%s:assumed-role/%s/%s' % (ctx.account, role_name,
                                                             session_name)
        session = {'secret': secret(), 'token': 'FwoG' + secret(200).replace('/', 'A'),
                   'expiration': now() + duration, 'arn': assumed_arn, 'user_id': user_id}
        self.gtable('sessions')[access_key] = session
        return {'Credentials': {'AccessKeyId': access_key, 'SecretAccessKey': session['secret'],
                                'SessionToken': session['token'],
                                'Expiration': session['expiration']},
                'AssumedRoleUser': {'AssumedRoleId': user_id, 'Arn': assumed_arn}}
