import os
import time

import netaddr
from neutron_lib.plugins import directory
from oslo_log import log as logging
from oslo_utils import uuidutils

from neutron.ipam import driver
from neutron.ipam import exceptions as ipam_exc
from neutron.ipam import requests as ipam_req
from neutron.ipam import subnet_alloc
from neutron.ipam import utils as ipam_utils
from ipam_neutron import transaction
from ipam_neutron.client import Client
from ipam_neutron.client import IpamServiceError

# The naive variant calls Ipam at once and leaves every undo to Neutron's
# own rollback calls; it exists to show what that leaks.
NAIVE = os.environ.get('IPAM_NEUTRON_NAIVE') == '1'
_GONE = ('allocation-not-found', 'subnet-not-found')
LOG = logging.getLogger(__name__)
# A release whose outcome is unknown is sent again under its Idempotency-Key,
# which Ipam answers as it answered the first: it never releases the address
# of whoever was given it since. Backoff in seconds, doubling.
RELEASE_ATTEMPTS = 3
RELEASE_BACKOFF = 0.2
# What a repeated allocation may meet when the first one was never made.
_REFUSED = ('subnet-not-found', 'address-in-use', 'pool-exhausted',
            'address-outside-subnet', 'address-reserved',
            'address-mode-conflict')


def _ranges(pools, version):
    return [{'start': str(netaddr.IPAddress(p.first, version)),
             'end': str(netaddr.IPAddress(p.last, version))} for p in pools]


def _port_id(port):
    try:
        return port['id']
    except (KeyError, TypeError):
        return getattr(port, 'id', None)


class OwnerAddressRequestFactory(ipam_req.AddressRequestFactory):
    """Tags each request with its port, so Ipam shows who holds an address."""

    @classmethod
    def get_request(cls, context, port, ip_dict):
        request = super(OwnerAddressRequestFactory, cls).get_request(
            context, port, ip_dict)
        request.owner = _port_id(port)
        return request


class _Bound(object):
    """Runs an Ipam change now and its undo or completion with Neutron's
    transaction (see transaction.py)."""

    def __init__(self, context):
        self._context = context
        self._client = Client.shared()

    def _undo_on_rollback(self, action):
        if not NAIVE:
            transaction.pending(self._context).on_rollback(action)

    def _call(self, undo_if_lost, *args, **kwargs):
        """Client.call. A change whose answer was lost (a timeout, Ipam's own
        `outcome: unknown`) may have been made all the same: undo_if_lost,
        which finds out and undoes it, then runs if the transaction does not
        commit."""
        try:
            return self._client.call(*args, **kwargs)
        except IpamServiceError as e:
            if e.outcome_unknown:
                self._undo_on_rollback(undo_if_lost)
            raise

    def _after_commit(self, key, action):
        if NAIVE:
            action()
        else:
            transaction.pending(self._context).on_commit(key, action)

    def _release(self, subnet_id, ip):
        path = '/subnets/%s/allocations/%s' % (subnet_id, ip)
        key = uuidutils.generate_uuid()
        for attempt in range(1, RELEASE_ATTEMPTS + 1):
            try:
                self._client.call('DELETE', path, subnet_id, tolerate=_GONE,
                                  idempotency_key=key)
                return
            except IpamServiceError as e:
                if not e.outcome_unknown or attempt == RELEASE_ATTEMPTS:
                    raise
                LOG.warning("Ipam: release of %s in subnet %s, attempt %d "
                            "of %d, has no known outcome (%s); sending it "
                            "again under its key", ip, subnet_id, attempt,
                            RELEASE_ATTEMPTS, e)
                time.sleep(RELEASE_BACKOFF * 2 ** (attempt - 1))

    def _remove(self, subnet_id):
        self._client.call('DELETE', '/subnets/%s' % subnet_id, subnet_id,
                          params={'force': 'true'}, tolerate=_GONE)


class IpamSubnet(_Bound, driver.Subnet):

    def __init__(self, context, subnet_id, details=None):
        super(IpamSubnet, self).__init__(context)
        self._subnet_id = subnet_id
        self._details = details

    def allocate(self, address_request):
        sid = self._subnet_id
        body = {'owner': getattr(address_request, 'owner', None)}
        if isinstance(address_request, ipam_req.SpecificAddressRequest):
            ip = str(address_request.address)
            # Released and taken again in one transaction: it never left.
            if not NAIVE and transaction.pending(
                    self._context).cancel_commit((sid, ip)):
                return ip
            # Neutron, not Ipam, decides who may hold the gateway.
            body.update(ip_address=ip, allow_gateway=True)
        elif isinstance(address_request, ipam_req.PreferNextAddressRequest):
            body['strategy'] = 'next'
        # The key lets an undo find an allocation whose answer was lost.
        key = uuidutils.generate_uuid()
        allocation = self._call(
            lambda: self._release_if_made(sid, body, key),
            'POST', '/subnets/%s/allocations' % sid, sid, json=body,
            idempotency_key=key)
        ip = allocation['ip_address']
        if 'ip_address' in body:
            ip = body['ip_address']
        self._undo_on_rollback(lambda: self._release(sid, ip))
        return ip

    def _release_if_made(self, sid, body, key):
        # Repeated under its key, the request answers with the address it
        # allocated; if it allocated none, it does now, released as well.
        made = self._client.call(
            'POST', '/subnets/%s/allocations' % sid, sid, json=body,
            idempotency_key=key, tolerate=_REFUSED)
        if made is not None:
            self._release(sid, made['ip_address'])

    def deallocate(self, address):
        sid, ip = self._subnet_id, str(netaddr.IPAddress(address))
        self._after_commit((sid, ip), lambda: self._release(sid, ip))

    def get_details(self):
        if self._details is None:
            found = self._client.call('GET', '/subnets/%s' % self._subnet_id,
                                      self._subnet_id)
            cidr = netaddr.IPNetwork(found['cidr'])
            pools = [netaddr.IPRange(p['start'], p['end'])
                     for p in found['allocation_pools']]
            # Neutron owns the gateway and the tenant, as for its own driver.
            neutron_subnet = directory.get_plugin()._get_subnet_object(
                self._context, self._subnet_id)
            self._details = ipam_req.SpecificSubnetRequest(
                neutron_subnet.tenant_id, self._subnet_id, cidr,
                neutron_subnet.gateway_ip, pools)
        return self._details


class IpamPool(_Bound, subnet_alloc.SubnetAllocator):
    """Addresses live in Ipam; subnet pools stay in Neutron's database."""

    def __init__(self, subnetpool, context):
        subnet_alloc.SubnetAllocator.__init__(self, subnetpool, context)
        _Bound.__init__(self, context)

    def needs_rollback(self):
        return NAIVE

    def get_address_request_factory(self):
        return OwnerAddressRequestFactory

    def get_subnet(self, subnet_id):
        return IpamSubnet(self._context, subnet_id)

    def allocate_subnet(self, request):
        if self._subnetpool:
            request = super(IpamPool, self).allocate_subnet(
                request).get_details()
        if not isinstance(request, ipam_req.SpecificSubnetRequest):
            raise ipam_exc.InvalidSubnetRequestType(subnet_type=type(request))
        sid, cidr = request.subnet_id, request.subnet_cidr
        pools = request.allocation_pools or ipam_utils.generate_pools(
            cidr, request.gateway_ip)
        body = self._subnet_body(sid, cidr, _ranges(pools, cidr.version))
        self._call(lambda: self._remove_if_made(body),
                   'POST', '/subnets', sid, json=body)
        self._undo_on_rollback(lambda: self._remove(sid))
        return IpamSubnet(self._context, sid, ipam_req.SpecificSubnetRequest(
            request.tenant_id, sid, cidr, request.gateway_ip, pools))

    def update_subnet(self, request):
        if not request.subnet_id:
            raise ipam_exc.InvalidSubnetRequest(
                reason="An identifier must be specified when updating a "
                       "subnet")
        if request.allocation_pools is None:
            return None
        sid, cidr = request.subnet_id, request.subnet_cidr
        path = '/subnets/%s' % sid
        before = self._client.call('GET', path, sid)
        pools = _ranges(request.allocation_pools, cidr.version)
        if before['cidr'] != str(cidr):
            # Prefix delegation: a ::/64 placeholder gets its real prefix.
            self._replace(before, self._subnet_body(sid, cidr, pools))
        elif before['allocation_pools'] != pools:
            def restore():
                self._client.call('PATCH', path, sid, tolerate=_GONE, json={
                    'allocation_pools': before['allocation_pools']})
            self._call(restore, 'PATCH', path, sid,
                       json={'allocation_pools': pools})
            self._undo_on_rollback(restore)
        return IpamSubnet(self._context, sid)

    @staticmethod
    def _subnet_body(sid, cidr, pools):
        # No gateway in Ipam: Neutron validates it, and router ports claim
        # it with a specific request like any other address.
        return {'id': sid, 'cidr': str(cidr), 'gateway_ip': None,
                'allocation_pools': pools}

    def _replace(self, before, body):
        sid = body['id']
        held = self._client.call('GET', '/subnets/%s/allocations' % sid, sid,
                                 params={'limit': 1000})['items']
        self._remove(sid)
        self._client.call('POST', '/subnets', sid, json=body)

        def restore():
            self._remove(sid)
            self._client.call('POST', '/subnets', sid, json=self._subnet_body(
                sid, before['cidr'], before['allocation_pools']))
            for a in held:
                self._client.call(
                    'POST', '/subnets/%s/allocations' % sid, sid, json={
                        'ip_address': a['ip_address'], 'owner': a['owner'],
                        'allow_gateway': True})
        self._undo_on_rollback(restore)

    def _remove_if_made(self, body):
        # Created again first: a creation still under way has then finished
        # (or it is made now), so it cannot land after the removal.
        self._client.call('POST', '/subnets', body['id'], json=body,
                          tolerate=('already-exists',))
        self._remove(body['id'])

    def remove_subnet(self, subnet_id):
        self._after_commit(('subnet', subnet_id),
                           lambda: self._remove(subnet_id))
