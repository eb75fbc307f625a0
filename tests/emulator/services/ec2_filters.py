"""EC2 Describe* filter names AWS accepts, per table: a filter AWS does not
know is refused (InvalidParameterValue "The filter 'x' is invalid") as AWS
refuses it, instead of silently matching nothing. Tables not listed here are
not checked. The old camelCase names (isDefault, cidrBlock, availabilityZone,
defaultForAz) are still accepted by AWS, and Terraform sends them."""

from store import AwsError

TAG_FILTERS = ('tag-key', 'tag-value')

NAMES = {
    'vpcs': {
        'cidr', 'cidr-block-association.cidr-block', 'cidr-block-association.association-id',
        'cidr-block-association.state', 'dhcp-options-id',
        'ipv6-cidr-block-association.ipv6-cidr-block', 'ipv6-cidr-block-association.ipv6-pool',
        'ipv6-cidr-block-association.association-id', 'ipv6-cidr-block-association.state',
        'is-default', 'isDefault', 'owner-id', 'state', 'vpc-id', 'cidrBlock'},
    'subnets': {
        'availability-zone', 'availabilityZone', 'availability-zone-id', 'availabilityZoneId',
        'available-ip-address-count', 'cidr-block', 'cidrBlock', 'cidr',
        'customer-owned-ipv4-pool', 'default-for-az', 'defaultForAz', 'enable-dns64',
        'enable-lni-at-device-index', 'ipv6-cidr-block-association.ipv6-cidr-block',
        'ipv6-cidr-block-association.association-id', 'ipv6-cidr-block-association.state',
        'ipv6-native', 'map-customer-owned-ip-on-launch', 'map-public-ip-on-launch',
        'outpost-arn', 'owner-id', 'state', 'subnet-arn', 'subnet-id', 'vpc-id'},
    'security_groups': {
        'description', 'egress.ip-permission.cidr', 'egress.ip-permission.from-port',
        'egress.ip-permission.group-id', 'egress.ip-permission.group-name',
        'egress.ip-permission.ipv6-cidr', 'egress.ip-permission.prefix-list-id',
        'egress.ip-permission.protocol', 'egress.ip-permission.to-port',
        'egress.ip-permission.user-id', 'group-id', 'group-name', 'ip-permission.cidr',
        'ip-permission.from-port', 'ip-permission.group-id', 'ip-permission.group-name',
        'ip-permission.ipv6-cidr', 'ip-permission.prefix-list-id', 'ip-permission.protocol',
        'ip-permission.to-port', 'ip-permission.user-id', 'owner-id', 'vpc-id'},
}


def check_filter_names(table, filters):
    known = NAMES.get(table)
    if known is None:
        return
    for f in filters or []:
        name = f.get('Name', '')
        if name.startswith('tag:') or name in TAG_FILTERS or name in known:
            continue
        raise AwsError('InvalidParameterValue', "The filter '%s' is invalid" % name)
