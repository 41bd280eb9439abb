"""The driver's own paths that Neutron's suites do not reach: a full subnet
sends a port on to the network's next subnet and says why it refused, and
requests the driver cannot serve are refused with Neutron's exceptions.
Runs in the rig (`run-suites rig.test_driver`), whose audit then checks that
Ipam matches Neutron after each test.
"""
from unittest import mock

import netaddr
from neutron_lib import constants
from neutron_lib import context as n_context

from oslo_config import cfg

from neutron.ipam import exceptions as ipam_exc
from neutron.ipam import requests as ipam_req
from neutron.tests.unit.db import test_db_base_plugin_v2 as base
from ipam_neutron import client
from ipam_neutron import driver


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
