"""The driver's own paths that Neutron's suites do not reach: a full subnet
sends a port on to the network's next subnet and says why it refused,
requests the driver cannot serve are refused with Neutron's exceptions, and
a change whose answer was lost (Ipam made it, the driver timed out) is undone
with Neutron's transaction all the same.
Runs in the rig (`run-suites rig.test_driver`), whose audit then checks that
Ipam matches Neutron after each test.
"""
import contextlib
from unittest import mock

import netaddr
import requests
from neutron_lib import constants
from neutron_lib import context as n_context

from oslo_config import cfg

from neutron.ipam import exceptions as ipam_exc
from neutron.ipam import requests as ipam_req
from neutron.tests.unit.db import test_db_base_plugin_v2 as base
from ipam_neutron import client
from ipam_neutron import driver
from ipam_neutron import transaction


def _answer_lost(method, path_end):
    """Ipam gets and makes the first such request, but its answer never
    arrives (as when Ipam commits after the driver's read timeout)."""
    http = client.Client.shared()._http
    send = http.request
    lost = []

    def request(m, url, **kwargs):
        response = send(m, url, **kwargs)
        if not lost and m == method and url.endswith(path_end):
            lost.append(response.status_code)
            raise requests.ReadTimeout('Read timed out. (injected)')
        return response
    return mock.patch.object(http, 'request', side_effect=request), lost


def _releases_answered(path_end, answers):
    """Ipam's answers to the driver's DELETE requests ending in path_end, in
    turn: 'lost' (Ipam makes the release, the answer never arrives),
    'dropped' (the driver times out and Ipam never makes it, as when Ipam
    drops a request whose client went away before its turn), 'unknown' (Ipam
    answers 503 with outcome unknown and makes nothing), then the real answer.
    Records each request's Idempotency-Key and what the driver saw."""
    http = client.Client.shared()._http
    send = http.request
    seen = []

    def request(m, url, **kwargs):
        if m != 'DELETE' or not url.endswith(path_end):
            return send(m, url, **kwargs)
        key = (kwargs.get('headers') or {}).get('Idempotency-Key')
        answer = answers[len(seen)] if len(seen) < len(answers) else 'real'
        if answer == 'dropped':
            seen.append((key, 'timeout'))
            raise requests.ReadTimeout('Read timed out. (injected)')
        if answer == 'unknown':
            response = requests.Response()
            response.status_code = 503
            response._content = (b'{"code": "store-unavailable", '
                                 b'"outcome": "unknown"}')
            seen.append((key, 503))
            return response
        response = send(m, url, **kwargs)
        if answer == 'lost':
            seen.append((key, 'timeout'))
            raise requests.ReadTimeout('Read timed out. (injected)')
        seen.append((key, response.status_code))
        return response
    return mock.patch.object(http, 'request', side_effect=request), seen


class TestDriver(base.NeutronDbPluginV2TestCase):

    def setUp(self):
        super(TestDriver, self).setUp()
        if cfg.CONF.ipam_driver != 'ipam':
            self.skipTest('needs the Ipam driver (run-suites)')

    def _spy_allocations(self):
        """Records each subnet's answer to the driver's allocate calls."""
        answers = []
        allocate = driver.IpamSubnet.allocate

        def spy(subnet, request):
            try:
                ip = allocate(subnet, request)
            except Exception as e:
                answers.append((subnet._subnet_id, e))
                raise
            answers.append((subnet._subnet_id, ip))
            return ip
        patcher = mock.patch.object(driver.IpamSubnet, 'allocate', spy)
        patcher.start()
        self.addCleanup(patcher.stop)
        return answers

    def _port(self, net_id, **kwargs):
        res = self._create_port(self.fmt, net_id, **kwargs)
        return res.status_int, self.deserialize(self.fmt, res)

    def test_full_subnet_moves_a_port_on_and_says_why(self):
        with self.network() as net:
            net_id = net['network']['id']
            with self.subnet(network=net, cidr='10.0.0.0/29',
                             allocation_pools=[{'start': '10.0.0.2',
                                                'end': '10.0.0.2'}]) as a, \
                    self.subnet(network=net, cidr='10.0.1.0/29',
                                allocation_pools=[{'start': '10.0.1.2',
                                                   'end': '10.0.1.3'}]) as b:
                sid_a, sid_b = a['subnet']['id'], b['subnet']['id']
                status, first = self._port(
                    net_id, fixed_ips=[{'subnet_id': sid_a}])
                self.assertEqual(201, status, first)
                answers = self._spy_allocations()

                ports = [first]
                for _ in range(2):
                    status, port = self._port(net_id)
                    self.assertEqual(201, status, port)
                    self.assertEqual(sid_b, port['port']['fixed_ips'][0][
                        'subnet_id'])
                    ports.append(port)
                self.assertEqual(
                    {'10.0.1.2', '10.0.1.3'},
                    {p['port']['fixed_ips'][0]['ip_address']
                     for p in ports[1:]})

                # Both full: each subnet refused with Ipam's numbers, which
                # the log keeps, since Neutron tells the caller only that
                # the network has no address left.
                del answers[:]
                with mock.patch.object(client.LOG, 'warning') as warning:
                    status, refused = self._port(net_id)
                self.assertEqual(409, status, refused)
                self.assertEqual('IpAddressGenerationFailure',
                                 refused['NeutronError']['type'])
                self.assertEqual({sid_a, sid_b}, {s for s, _ in answers})
                for sid, answer in answers:
                    self.assertIsInstance(answer, client.IpamPoolExhausted)
                    self.assertIn(sid, str(answer))
                    self.assertIn(
                        'the one address of the allocation pools is allocated'
                        if sid == sid_a else
                        'all 2 addresses of the allocation pools are allocated',
                        str(answer))
                self.assertEqual(
                    {(sid_a, 'all-allocated'), (sid_b, 'all-allocated')},
                    {call.args[1:3] for call in warning.call_args_list})

                for port in ports:
                    self._delete('ports', port['port']['id'])

    def test_requests_the_driver_cannot_serve_are_refused(self):
        pool = driver.IpamPool(None, n_context.get_admin_context())
        # Without a subnet pool, only a request for a given CIDR can be met.
        any_subnet = ipam_req.AnySubnetRequest(
            'tenant', None, constants.IPv4, 24)
        self.assertRaises(ipam_exc.InvalidSubnetRequestType,
                          pool.allocate_subnet, any_subnet)
        nameless = ipam_req.SpecificSubnetRequest(
            'tenant', None, netaddr.IPNetwork('10.9.0.0/24'))
        error = self.assertRaises(ipam_exc.InvalidSubnetRequest,
                                  pool.update_subnet, nameless)
        self.assertIn('An identifier must be specified', str(error))

    def _ipam_allocations(self, sid):
        return [a['ip_address'] for a in client.Client.shared().pages(
            '/subnets/%s/allocations' % sid)]

    def _needs_binding(self):
        if driver.NAIVE:
            self.skipTest('needs the transaction binding')

    def test_allocation_whose_answer_was_lost_is_undone(self):
        self._needs_binding()
        with self.network() as net, \
                self.subnet(network=net, cidr='10.0.0.0/29') as sub:
            net_id, sid = net['network']['id'], sub['subnet']['id']
            for fixed_ips in (None, [{'subnet_id': sid,
                                      'ip_address': '10.0.0.4'}]):
                kwargs = {'fixed_ips': fixed_ips} if fixed_ips else {}
                patcher, lost = _answer_lost('POST', '/allocations')
                with patcher:
                    status, refused = self._port(net_id, **kwargs)
                self.assertEqual([201], lost)
                self.assertEqual([], self._ipam_allocations(sid))
                self.assertEqual(503, status, refused)
                self.assertEqual('IpamUnreachable',
                                 refused['NeutronError']['type'])
                self.assertIn('No answer from Ipam to POST',
                              refused['NeutronError']['message'])
            # Nothing held on behalf of the failed ports.
            status, port = self._port(net_id, fixed_ips=[
                {'subnet_id': sid, 'ip_address': '10.0.0.4'}])
            self.assertEqual(201, status, port)
            self._delete('ports', port['port']['id'])

    @contextlib.contextmanager
    def _port_deleted_while(self, answers):
        """Creates a port and deletes it while its release meets answers;
        yields the subnet, the port's address, what each release request
        carried and saw, and the errors the driver logged."""
        with self.network() as net, \
                self.subnet(network=net, cidr='10.0.0.0/29') as sub, \
                mock.patch.object(driver, 'RELEASE_BACKOFF', 0):
            sid = sub['subnet']['id']
            status, port = self._port(net['network']['id'])
            self.assertEqual(201, status, port)
            ip = port['port']['fixed_ips'][0]['ip_address']
            patcher, seen = _releases_answered('/allocations/' + ip, answers)
            with patcher, mock.patch.object(transaction.LOG,
                                            'error') as error:
                self._delete('ports', port['port']['id'])
            yield sid, ip, seen, error

    def test_release_whose_answer_was_lost_is_sent_again_under_its_key(self):
        self._needs_binding()
        with self._port_deleted_while(['dropped', 'unknown']) as (
                sid, _, seen, error):
            self.assertEqual(['timeout', 503, 204], [s for _, s in seen])
            self.assertEqual(1, len({k for k, _ in seen}), seen)
            self.assertIsNotNone(seen[0][0])
            error.assert_not_called()
            self.assertEqual([], self._ipam_allocations(sid))

    def test_release_made_but_answer_lost_is_answered_by_its_key(self):
        self._needs_binding()
        # The repeat finds the address released by its first request: Ipam
        # answers as it did then (204, not 404), and the driver is done.
        with self._port_deleted_while(['lost']) as (sid, _, seen, error):
            self.assertEqual(['timeout', 204], [s for _, s in seen])
            self.assertEqual(1, len({k for k, _ in seen}), seen)
            error.assert_not_called()
            self.assertEqual([], self._ipam_allocations(sid))

    def test_release_is_sent_again_a_bounded_number_of_times(self):
        self._needs_binding()
        attempts = driver.RELEASE_ATTEMPTS
        with self._port_deleted_while(['dropped'] * attempts) as (
                sid, ip, seen, error):
            self.assertEqual(['timeout'] * attempts, [s for _, s in seen])
            error.assert_called_once()
            self.assertIn('No answer from Ipam to DELETE',
                          str(error.call_args))
            # Logged as before: the address stays allocated until the
            # reconcile command releases it, as here.
            self.assertEqual([ip], self._ipam_allocations(sid))
            client.Client.shared().call(
                'DELETE', '/subnets/%s/allocations/%s' % (sid, ip), sid)

    def test_subnet_whose_answer_was_lost_is_removed(self):
        self._needs_binding()
        with self.network() as net:
            patcher, lost = _answer_lost('POST', '/v1/subnets')
            with patcher:
                res = self._create_subnet(self.fmt, net['network']['id'],
                                          '10.3.0.0/24')
            self.assertEqual([201], lost)
            self.assertEqual(503, res.status_int)
            self.assertEqual([], list(client.Client.shared().pages(
                '/subnets')))

    def test_refused_connection_needs_no_undo(self):
        with self.network() as net, \
                self.subnet(network=net, cidr='10.0.0.0/29') as sub:
            ipam = client.Client.shared()
            with mock.patch.object(ipam, '_base',
                                   'http://127.0.0.1:9/v1'), \
                    mock.patch.object(transaction.LOG, 'error') as error:
                status, refused = self._port(net['network']['id'])
            self.assertEqual(503, status, refused)
            self.assertIn('No answer from Ipam',
                          refused['NeutronError']['message'])
            # Nothing can have been made, so no undo was tried (and failed).
            error.assert_not_called()
            self.assertEqual([], self._ipam_allocations(sub['subnet']['id']))

    def test_ipam_answers_that_leave_the_outcome_open(self):
        def outcome_unknown(problem, status):
            return getattr(client._to_neutron(problem, status, 'sid'),
                           'outcome_unknown', False)
        self.assertTrue(outcome_unknown(
            {'code': 'store-unavailable', 'outcome': 'unknown'}, 503))
        self.assertTrue(outcome_unknown({'detail': 'Bad Gateway'}, 502))
        self.assertFalse(outcome_unknown({'code': 'store-unavailable'}, 503))
        self.assertFalse(outcome_unknown({'code': 'address-in-use'}, 409))
        error = client._to_neutron({'code': 'unauthenticated', 'detail':
                                    'The token is unknown.'}, 401, 'sid')
        self.assertIn('Check the Ipam token ([ipam] token)', str(error))
