"""The reconcile command finds and repairs what the transaction binding
cannot prevent. Runs in the rig (`run-suites rig.test_reconcile`), whose
audit then checks that Ipam matches Neutron after the test.

Each difference is made the way it happens in production: a Neutron server
killed between its commit and the deferred release (of a port's address, of
a subnet), Ipam unreachable while a failed port creation is undone, and
Ipam changed behind Neutron's back (an address released, a subnet deleted).
"""
import os
import tempfile
from unittest import mock

from oslo_config import cfg

from neutron.tests.unit.db import test_db_base_plugin_v2 as base
from ipam_neutron import driver
from ipam_neutron import reconcile
from ipam_neutron import transaction
from ipam_neutron.client import Client

_run = transaction._run


def _killed_after_commit(actions, when):
    """The server dies right after Neutron's commit: no deferred release."""
    if when != 'after commit':
        _run(actions, when)


def _ipam_unreachable(actions, when):
    client = Client.shared()
    reachable, client._base = client._base, 'http://127.0.0.1:9/v1'
    try:
        _run(actions, when)
    finally:
        client._base = reachable


class TestReconcile(base.NeutronDbPluginV2TestCase):

    def setUp(self):
        super(TestReconcile, self).setUp()
        if cfg.CONF.ipam_driver != 'ipam' or driver.NAIVE:
            self.skipTest('needs the Ipam driver with its transaction '
                          'binding (run-suites)')
        self.ipam = Client.shared()
        handle, self.conf_file = tempfile.mkstemp(suffix='.conf')
        self.addCleanup(os.remove, self.conf_file)
        with os.fdopen(handle, 'w') as f:
            f.write('[ipam]\nurl = %s\n' % cfg.CONF.ipam.url)

    def _reconcile(self, *extra):
        lines = []
        code = reconcile.main(
            ['--config-file', self.conf_file, '--grace', '0'] + list(extra),
            read_neutron=reconcile.read_in_process, out=lines.append)
        return code, lines

    def _port_ip(self, port):
        return port['port']['fixed_ips'][0]['ip_address']

    def test_reconcile_lists_then_repairs_every_kind_of_difference(self):
        with self.network() as net, self.network() as net2:
            net_id = net['network']['id']
            with self.subnet(network=net, cidr='10.0.0.0/24') as sub, \
                    self.subnet(network=net2, cidr='10.2.0.0/24') as sub2:
                sid = sub['subnet']['id']
                sid2 = sub2['subnet']['id']
                kept = self._make_port(self.fmt, net_id)
                port2 = self._make_port(self.fmt, net2['network']['id'])

                # A port deleted by a server killed before the release.
                deleted = self._make_port(self.fmt, net_id)
                with mock.patch.object(transaction, '_run',
                                       _killed_after_commit):
                    self._delete('ports', deleted['port']['id'])

                # A failed port creation whose undo cannot reach Ipam.
                with mock.patch.object(transaction, '_run',
                                       _ipam_unreachable), \
                        mock.patch('neutron.db.ipam_pluggable_backend.'
                                   'IpamPluggableBackend._store_ip_allocation',
                                   side_effect=RuntimeError('injected')):
                    res = self._create_port(self.fmt, net_id)
                    self.assertEqual(500, res.status_int)
                undone = [a for a in self.ipam.pages(
                    '/subnets/%s/allocations' % sid)
                    if a['ip_address'] not in (self._port_ip(kept),
                                               self._port_ip(deleted))]
                self.assertEqual(1, len(undone))

                # A subnet deleted by a server killed before the removal.
                with self.subnet(network=net, cidr='10.1.0.0/24') as gone:
                    gone_id = gone['subnet']['id']
                    with mock.patch.object(transaction, '_run',
                                           _killed_after_commit):
                        self._delete('subnets', gone_id)

                # Ipam changed behind Neutron's back.
                self.ipam.call('DELETE', '/subnets/%s/allocations/%s' % (
                    sid, self._port_ip(kept)))
                self.ipam.call('DELETE', '/subnets/%s' % sid2,
                               params={'force': 'true'})

                code, lines = self._reconcile()
                self.assertEqual(1, code, lines)
                expected = [
                    'leaked allocation %s in subnet %s: owner %s' % (
                        self._port_ip(deleted), sid, deleted['port']['id']),
                    'leaked allocation %s in subnet %s: owner %s' % (
                        undone[0]['ip_address'], sid, undone[0]['owner']),
                    'leaked subnet %s (10.1.0.0/24)' % gone_id,
                    'missing subnet %s (10.2.0.0/24)' % sid2,
                    'missing allocation %s in subnet %s: port %s' % (
                        self._port_ip(kept), sid, kept['port']['id']),
                    'missing allocation %s in subnet %s: port %s' % (
                        self._port_ip(port2), sid2, port2['port']['id']),
                ]
                for line in expected:
                    self.assertEqual(1, sum(1 for x in lines
                                            if x.startswith(line)),
                                     (line, lines))
                self.assertEqual(len(expected) + 1, len(lines), lines)
                self.assertIn('would', lines[0])

                code, lines = self._reconcile('--apply')
                self.assertEqual(0, code, lines)
                self.assertIn('6 repaired, 0 failed', lines[-1])
                self.assertEqual(self._reconcile(),
                                 (0, ['reconcile: Ipam matches Neutron']))
                # Repaired, not just quiet: the repaired port's address is
                # Ipam's again (taken), and the leaked one is free.
                self.assertEqual(kept['port']['id'], self.ipam.call(
                    'GET', '/subnets/%s/allocations/%s' % (
                        sid, self._port_ip(kept)))['owner'])
                self._delete('ports', kept['port']['id'])
                self._delete('ports', port2['port']['id'])

    def test_reconcile_refuses_a_token_that_is_not_an_admins(self):
        with self.network() as net, self.subnet(network=net):
            # A reader sees only its tenant's subnets: Neutron's would all
            # look missing.
            made = self.ipam.call('POST', '/tokens', json={
                'role': 'reader', 'tenant_id': 'rig', 'name': 'rig reader'})
            self.addCleanup(self.ipam.call, 'DELETE',
                            '/tokens/%s' % made['id'])
            code, lines = self._reconcile('--token', made['token'])
            self.assertEqual(2, code, lines)
            self.assertEqual(1, len(lines), lines)
            self.assertIn('This needs a token with the admin role', lines[0])

    def test_reconcile_refuses_a_url_that_is_not_one(self):
        code, lines = self._reconcile('--url', '127.0.0.1:9')
        self.assertEqual(2, code, lines)
        self.assertEqual(1, len(lines), lines)
        self.assertIn("reconcile: bad configuration: Ipam's URL", lines[0])
