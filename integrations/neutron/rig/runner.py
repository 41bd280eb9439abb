"""Runs Neutron's unit test suites with the Ipam driver and audits Ipam
against Neutron's tables after every test.

Usage: runner.py [--internal] TEST_NAME...   (dotted names, as unittest takes)

The audit is a cleanup added right after Neutron's database fixture, so it
runs after the test and all of its other cleanups and before the database is
dropped. It compares Ipam's subnets and allocations with Neutron's `subnets`
and `ipallocations` tables as the reconcile command does
(ipam_neutron/reconcile.py); any difference fails the test and is counted.
Then it deletes everything in Ipam, so each test starts from an empty Ipam.
"""
import functools
import os
import sys
import time
import types
import unittest

from oslo_config import cfg

from neutron.common import config as n_config

# Neutron test-order bug: ML2 and ipam backend modules need these first.
n_config.register_common_config_options()

from neutron.tests.unit import testlib_api  # noqa: E402

DRIVER = os.environ.get('OS_DEFAULT__IPAM_DRIVER', 'internal')
URL = os.environ.get('OS_IPAM__URL', 'http://127.0.0.1:5080')
TALLY = {'leaked': 0, 'missing': 0, 'audited': 0}
USED = {'driver': False}
# Tests whose Neutron tables legitimately differ from any driver's state.
AUDIT_EXEMPT = {
    'TestRollback.test_ipam_rollback_not_broken_on_session_rollback':
        'replaces _allocate_ips_for_port with a stub, so Neutron stores '
        'addresses that no IPAM driver allocated',
}


@functools.lru_cache(maxsize=1)
def _client():
    """The audit's own client (one session for the run), not the driver's."""
    from ipam_neutron.client import Client
    return Client(types.SimpleNamespace(
        url=URL, token=None, connect_timeout=3.0, read_timeout=30.0))


def _empty_ipam(client, subnets):
    for sid in subnets:
        client.call('DELETE', '/subnets/' + sid, params={'force': 'true'},
                    tolerate=('subnet-not-found',))


def audit(test):
    """The reconcile command's comparison, after every test."""
    from ipam_neutron import reconcile
    client = _client()
    ipam = reconcile.ipam_state(client)
    if any(test.id().endswith(name) for name in AUDIT_EXEMPT):
        _empty_ipam(client, ipam[0])
        return
    try:
        if not USED['driver']:
            # Neutron's own driver or a mock served this test: Ipam must be
            # untouched, whatever Neutron's tables hold.
            neutron = ({}, {})
        else:
            neutron = reconcile.read_in_process()
    finally:
        _empty_ipam(client, ipam[0])
    found = reconcile.compare(ipam, neutron)
    leaked = sum(1 for d in found if d.kind.startswith('leaked'))
    TALLY['audited'] += 1
    TALLY['leaked'] += leaked
    TALLY['missing'] += len(found) - leaked
    if found:
        raise AssertionError('Ipam audit: ' + '; '.join(
            reconcile.describe(d) for d in found))


def _install_audit():
    original = testlib_api.BaseSqlTestCase._setup_database_fixtures

    def with_audit(self):
        original(self)
        USED['driver'] = False
        self.addCleanup(audit, self)

    testlib_api.BaseSqlTestCase._setup_database_fixtures = with_audit


def _note_driver_use():
    from ipam_neutron import driver
    original = driver.IpamPool.__init__

    def noting(self, subnetpool, context):
        USED['driver'] = True
        original(self, subnetpool, context)

    driver.IpamPool.__init__ = noting


def _point_forced_internal_at_driver():
    """Some test classes set ipam_driver=internal in setUp; run them with
    the driver under test instead."""
    original = cfg.ConfigOpts.set_override

    def set_override(self, name, override, group=None):
        if name == 'ipam_driver' and override == 'internal':
            override = DRIVER
        return original(self, name, override, group)

    cfg.ConfigOpts.set_override = set_override


def main(argv):
    names = [a for a in argv if not a.startswith('--')]
    if DRIVER != 'internal':
        _install_audit()
        _note_driver_use()
        _point_forced_internal_at_driver()
    suite = unittest.defaultTestLoader.loadTestsFromNames(names)
    started = time.time()
    stream = open(os.environ.get('RIG_LOG', os.devnull), 'a')
    result = unittest.TextTestRunner(stream=stream, verbosity=2).run(suite)
    failed = len(result.failures) + len(result.errors) + len(
        result.unexpectedSuccesses)
    passed = result.testsRun - failed - len(result.skipped)
    for test, _ in result.failures + result.errors:
        print('FAILED', test.id())
    print('%d passed, %d failed, %d skipped in %.0f s; audit: %d leaked, '
          '%d missing over %d tests' % (
              passed, failed, len(result.skipped), time.time() - started,
              TALLY['leaked'], TALLY['missing'], TALLY['audited']))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
