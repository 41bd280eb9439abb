"""Runs Neutron's unit test suites with the Ipam driver and audits Ipam
against Neutron's tables after every test.

Usage: runner.py [--internal] TEST_NAME...   (dotted names, as unittest takes)

The audit is a cleanup added right after Neutron's database fixture, so it
runs after the test and all of its other cleanups and before the database is
dropped. It compares Ipam's subnets and allocations with Neutron's `subnets`
and `ipallocations` tables; any difference fails the test and is counted.
Then it deletes everything in Ipam, so each test starts from an empty Ipam.
"""
import os
import sys
import time
import unittest

import netaddr
import requests
import sqlalchemy
from oslo_config import cfg

from neutron.common import config as n_config

# Neutron test-order bug: ML2 and ipam backend modules need these first.
n_config.register_common_config_options()

from neutron_lib import context as n_context  # noqa: E402
from neutron_lib.db import api as db_api  # noqa: E402
from neutron.tests.unit import testlib_api  # noqa: E402

DRIVER = os.environ.get('OS_DEFAULT__IPAM_DRIVER', 'internal')
URL = os.environ.get('OS_IPAM__URL', 'http://127.0.0.1:5080') + '/v1'
HTTP = requests.Session()
TALLY = {'leaked': 0, 'missing': 0, 'audited': 0}
USED = {'driver': False}
# Tests whose Neutron tables legitimately differ from any driver's state.
AUDIT_EXEMPT = {
    'TestRollback.test_ipam_rollback_not_broken_on_session_rollback':
        'replaces _allocate_ips_for_port with a stub, so Neutron stores '
        'addresses that no IPAM driver allocated',
}


def _pages(path):
    cursor = None
    while True:
        params = {'limit': 1000}
        if cursor:
            params['cursor'] = cursor
        page = HTTP.get(URL + path, params=params, timeout=30)
        page.raise_for_status()
        body = page.json()
        yield from body['items']
        cursor = body.get('next')
        if not cursor:
            return


def _ipam_state():
    subnets = {s['id'] for s in _pages('/subnets')}
    allocations = {(sid, str(netaddr.IPAddress(a['ip_address'])))
                   for sid in subnets
                   for a in _pages('/subnets/%s/allocations' % sid)}
    return subnets, allocations


def _neutron_state():
    ctx = n_context.get_admin_context()
    with db_api.CONTEXT_READER.using(ctx):
        run = ctx.session.execute
        subnets = {r[0] for r in run(sqlalchemy.text('SELECT id FROM subnets'))}
        allocations = {(r[0], str(netaddr.IPAddress(r[1]))) for r in run(
            sqlalchemy.text('SELECT subnet_id, ip_address FROM ipallocations'))}
    return subnets, allocations


def _empty_ipam(subnets):
    for sid in subnets:
        HTTP.delete(URL + '/subnets/' + sid, params={'force': 'true'},
                    timeout=30)


def audit(test):
    ipam_subnets, ipam_allocations = _ipam_state()
    if any(test.id().endswith(name) for name in AUDIT_EXEMPT):
        _empty_ipam(ipam_subnets)
        return
    try:
        if not USED['driver']:
            # Neutron's own driver or a mock served this test: Ipam must be
            # untouched, whatever Neutron's tables hold.
            neutron_subnets, neutron_allocations = set(), set()
        else:
            neutron_subnets, neutron_allocations = _neutron_state()
    finally:
        _empty_ipam(ipam_subnets)
    leaked = (ipam_subnets - neutron_subnets,
              ipam_allocations - neutron_allocations)
    missing = (neutron_subnets - ipam_subnets,
               neutron_allocations - ipam_allocations)
    TALLY['audited'] += 1
    TALLY['leaked'] += sum(len(x) for x in leaked)
    TALLY['missing'] += sum(len(x) for x in missing)
    if any(leaked) or any(missing):
        raise AssertionError(
            'Ipam audit: leaked subnets %s allocations %s; missing subnets %s '
            'allocations %s' % (sorted(leaked[0]), sorted(leaked[1]),
                                sorted(missing[0]), sorted(missing[1])))


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
