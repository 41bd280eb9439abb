import threading

import requests
from urllib3 import exceptions as urllib3_exc
from neutron_lib import exceptions as n_exc
from oslo_config import cfg
from oslo_log import log as logging

from neutron.ipam import exceptions as ipam_exc
from ipam_neutron import config  # noqa: F401  registers [ipam]

LOG = logging.getLogger(__name__)


class IpamServiceError(n_exc.NeutronException):
    message = "Ipam answered %(status)s %(code)s: %(detail)s"
    # True when Ipam may have made the change although it did not say so
    # (the answer was lost, or Ipam could not tell): the caller must find
    # out before it may consider the change undone.
    outcome_unknown = False


class IpamUnreachable(IpamServiceError, n_exc.ServiceUnavailable):
    """Also Neutron's ServiceUnavailable, which its API answers with 503."""
    message = "No answer from Ipam to %(method)s %(url)s: %(reason)s"


class IpamPoolExhausted(ipam_exc.IpAddressGenerationFailure):
    """Neutron's own exception, so that IpamSubnetGroup moves on to the
    network's next subnet, with Ipam's reason and counts in its message
    (Neutron's says only that no address is left)."""
    message = ("No more IP addresses available for subnet %(subnet_id)s: "
               "%(detail)s")


# Ipam's 5xx answers that promise nothing was changed.
_NOTHING_CHANGED = ('store-unavailable', 'unreadable-row')


def _outcome_unknown(problem, status):
    if status < 500:
        return False
    return (problem.get('outcome') == 'unknown' or
            problem.get('code') not in _NOTHING_CHANGED)


def _maybe_sent(error):
    """False only when the request cannot have reached Ipam: no connection
    was made, or the URL is unusable."""
    if isinstance(error, (requests.exceptions.InvalidURL,
                          requests.exceptions.MissingSchema,
                          requests.exceptions.InvalidSchema)):
        return False
    reason = getattr(error.args[0] if error.args else None, 'reason', None)
    return not isinstance(error, requests.ConnectTimeout) and \
        not isinstance(reason, urllib3_exc.ConnectTimeoutError)


def _to_neutron(problem, status, subnet_id):
    """Maps an Ipam problem document onto the exception Neutron expects."""
    code = problem.get('code')
    ip = problem.get('ip_address')
    if code == 'subnet-not-found':
        return n_exc.SubnetNotFound(subnet_id=subnet_id)
    if code == 'address-in-use':
        return ipam_exc.IpAddressAlreadyAllocated(subnet_id=subnet_id, ip=ip)
    if code in ('address-outside-subnet', 'address-reserved',
                'address-mode-conflict'):
        return ipam_exc.InvalidIpForSubnet(subnet_id=subnet_id, ip=ip)
    if code == 'pool-exhausted':
        # A port on a network of several subnets is told only that none had
        # an address left (IpAddressGenerationFailureAllSubnets): the log
        # keeps why each one refused.
        LOG.warning("Ipam: no address in subnet %s (%s): %s", subnet_id,
                    problem.get('reason'), problem.get('detail'))
        return IpamPoolExhausted(subnet_id=subnet_id,
                                 detail=problem.get('detail'))
    if code in ('invalid-allocation-pools', 'invalid-gateway'):
        return ipam_exc.InvalidSubnetRequest(reason=problem.get('detail'))
    if code == 'already-exists':
        return n_exc.SubnetAllocationError(reason=problem.get('detail'))
    if status in (401, 403):
        return IpamServiceError(
            status=status, code=code,
            detail='%s Check the Ipam token ([ipam] token).' %
            problem.get('detail'))
    error = IpamServiceError(status=status, code=code,
                             detail=problem.get('detail'))
    error.outcome_unknown = _outcome_unknown(problem, status)
    return error


class Client(object):
    """One keep-alive HTTP session per process, shared by every driver."""

    _lock = threading.Lock()
    _shared = None

    @classmethod
    def shared(cls):
        with cls._lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    def __init__(self, conf=None):
        """conf: the [ipam] options (url, token, timeouts); Neutron's own by default."""
        conf = conf or cfg.CONF.ipam
        self._base = conf.url.rstrip('/') + '/v1'
        self._timeout = (conf.connect_timeout, conf.read_timeout)
        self._http = requests.Session()
        if conf.token:
            self._http.headers['Authorization'] = 'Bearer ' + conf.token

    def call(self, method, path, subnet_id=None, json=None, params=None,
             tolerate=(), idempotency_key=None):
        headers = {'Idempotency-Key': idempotency_key} \
            if idempotency_key else None
        try:
            response = self._http.request(
                method, self._base + path, json=json, params=params,
                headers=headers, timeout=self._timeout)
        except requests.RequestException as e:
            error = IpamUnreachable(method=method, url=self._base + path,
                                    reason='%s: %s' % (type(e).__name__, e))
            error.outcome_unknown = _maybe_sent(e)
            raise error
        if response.status_code < 300:
            return response.json() if response.content else None
        try:
            problem = response.json()
        except ValueError:
            problem = {'detail': response.text}
        if problem.get('code') in tolerate:
            return None
        raise _to_neutron(problem, response.status_code, subnet_id)

    def pages(self, path, params=None):
        """Every item of a collection, following its cursors."""
        params = dict(params or {}, limit=1000)
        while True:
            body = self.call('GET', path, params=params)
            yield from body['items']
            if not body.get('next'):
                return
            params['cursor'] = body['next']
