"""Compares Ipam with Neutron's tables and repairs the differences.

The transaction binding (transaction.py) keeps Ipam equal to what Neutron
committed, except when a Neutron server dies between its commit and a
deferred release, or Ipam cannot be reached while an undo runs. This finds
what that leaves:

- leaked allocations: Ipam holds an address that no `ipallocations` row
  holds (the owner names the port it was for); repaired by releasing it;
- missing allocations: an `ipallocations` row whose address Ipam does not
  hold; repaired by allocating it with the port id as owner;
- leaked subnets: Ipam subnets with no Neutron subnet; repaired by deleting
  them with whatever they hold;
- missing subnets: Neutron subnets Ipam does not know; repaired by creating
  them with Neutron's id, CIDR and allocation pools (their addresses are
  then missing allocations).

A difference is reported only when a second reading, `grace` seconds later,
still shows it: one gone by then was a transaction in flight. Each reading
takes Ipam before Neutron, so a port deleted in between (Neutron commits,
then the release reaches Ipam) looks leaked, never missing: its address is
never allocated again. A leaked address is released only while its owner
is still the one reported.
"""
import collections
import time

import netaddr
import sqlalchemy
from neutron_lib import exceptions as n_exc

from neutron.ipam import exceptions as ipam_exc

from ipam_neutron import driver
from ipam_neutron.client import Client

Difference = collections.namedtuple(
    'Difference', 'kind subnet_id ip_address owner cidr detail')

LEAKED_ALLOCATION = 'leaked allocation'
MISSING_ALLOCATION = 'missing allocation'
LEAKED_SUBNET = 'leaked subnet'
MISSING_SUBNET = 'missing subnet'
# Repair order: free what is leaked before creating what is missing.
KINDS = (LEAKED_ALLOCATION, LEAKED_SUBNET, MISSING_SUBNET,
         MISSING_ALLOCATION)


def _ip(text):
    return str(netaddr.IPAddress(text))


def ipam_state(client):
    """Ipam's subnets {id: subnet} and allocations {(subnet, ip): owner}."""
    subnets = {s['id']: s for s in client.pages('/subnets')}
    allocations = {}
    for sid in subnets:
        for a in client.pages('/subnets/%s/allocations' % sid):
            allocations[(sid, _ip(a['ip_address']))] = a.get('owner')
    return subnets, allocations


def neutron_state(connection):
    """Neutron's subnets {id: (cidr, pools)} and allocations
    {(subnet, ip): port id}, read with anything that executes SQL (an
    engine's connection or a session)."""
    run = connection.execute
    subnets = {r[0]: (r[1], []) for r in run(sqlalchemy.text(
        'SELECT id, cidr FROM subnets'))}
    for sid, first, last in run(sqlalchemy.text(
            'SELECT subnet_id, first_ip, last_ip FROM ipallocationpools')):
        if sid in subnets:
            subnets[sid][1].append(netaddr.IPRange(first, last))
    allocations = {(r[0], _ip(r[1])): r[2] for r in run(sqlalchemy.text(
        'SELECT subnet_id, ip_address, port_id FROM ipallocations'))}
    return subnets, allocations


def compare(ipam, neutron):
    """The differences between two readings, in repair order."""
    ipam_subnets, ipam_allocations = ipam
    neutron_subnets, neutron_allocations = neutron
    found = []
    for sid in sorted(set(ipam_subnets) - set(neutron_subnets)):
        held = sum(1 for s, _ in ipam_allocations if s == sid)
        found.append(Difference(
            LEAKED_SUBNET, sid, None, None, ipam_subnets[sid]['cidr'],
            'no Neutron subnet; holds %d addresses' % held))
    for (sid, ip), owner in sorted(ipam_allocations.items()):
        if sid in neutron_subnets and (sid, ip) not in neutron_allocations:
            found.append(Difference(
                LEAKED_ALLOCATION, sid, ip, owner, None,
                'owner %s has no ipallocations row' % (owner or '(none)')))
    for sid in sorted(set(neutron_subnets) - set(ipam_subnets)):
        found.append(Difference(
            MISSING_SUBNET, sid, None, None, neutron_subnets[sid][0],
            'not in Ipam'))
    for (sid, ip), port in sorted(neutron_allocations.items()):
        if (sid, ip) not in ipam_allocations:
            found.append(Difference(
                MISSING_ALLOCATION, sid, ip, port, None,
                'port %s holds it in ipallocations, Ipam does not' % port))
    return sorted(found, key=lambda d: KINDS.index(d.kind))


def differences(client, read_neutron, grace=0.0, sleep=time.sleep):
    """What differs now and still differs `grace` seconds later.

    read_neutron: a function returning neutron_state()."""
    def reading():
        ipam = ipam_state(client)  # before Neutron: see the module doc
        return compare(ipam, read_neutron())
    found = reading()
    if found and grace > 0:
        sleep(grace)
        again = {d[:4] for d in reading()}
        found = [d for d in found if d[:4] in again]
    return found


class Repairs(object):
    """Makes Ipam match Neutron, one difference at a time."""

    def __init__(self, client, neutron_subnets):
        self._client = client
        self._neutron_subnets = neutron_subnets

    def repair(self, d):
        """Returns what was done; raises when it could not be done."""
        path = '/subnets/%s' % d.subnet_id
        if d.kind == LEAKED_ALLOCATION:
            # Still the owner the reading saw: never release a reuse.
            current = self._client.call(
                'GET', '%s/allocations/%s' % (path, d.ip_address),
                d.subnet_id, tolerate=('allocation-not-found',))
            if current is None:
                return 'already released'
            if current.get('owner') != d.owner:
                raise RuntimeError('now held by %s' % current.get('owner'))
            self._client.call(
                'DELETE', '%s/allocations/%s' % (path, d.ip_address),
                d.subnet_id, tolerate=('allocation-not-found',))
            return 'released'
        if d.kind == LEAKED_SUBNET:
            self._client.call('DELETE', path, d.subnet_id,
                              params={'force': 'true'},
                              tolerate=('subnet-not-found',))
            return 'deleted'
        if d.kind == MISSING_SUBNET:
            cidr, pools = self._neutron_subnets[d.subnet_id]
            cidr = netaddr.IPNetwork(cidr)
            body = driver.IpamPool._subnet_body(
                d.subnet_id, cidr, driver._ranges(pools, cidr.version))
            self._client.call('POST', '/subnets', d.subnet_id, json=body)
            return 'created'
        try:
            self._client.call('POST', path + '/allocations', d.subnet_id,
                              json={'ip_address': d.ip_address,
                                    'owner': d.owner, 'allow_gateway': True})
        except ipam_exc.IpAddressAlreadyAllocated:
            held = self._client.call(
                'GET', '%s/allocations/%s' % (path, d.ip_address))
            if held.get('owner') != d.owner:
                raise RuntimeError('held by %s' % held.get('owner'))
            return 'already allocated'
        return 'allocated'


def describe(d):
    if d.ip_address is None:
        what = '%s (%s)' % (d.subnet_id, d.cidr)
    else:
        what = '%s in subnet %s' % (d.ip_address, d.subnet_id)
    return '%s %s: %s' % (d.kind, what, d.detail)


def run(client, read_neutron, apply=False, grace=0.0, out=print):
    """Reports (and with apply, repairs) every difference; returns the exit
    code: 0 when clean or all repaired, 1 otherwise."""
    found = differences(client, read_neutron, grace)
    failed = 0
    repairs = Repairs(client, read_neutron()[0]) if apply else None
    for d in found:
        line = describe(d)
        if repairs is None:
            out(line + ' -> would ' + _WOULD[d.kind])
            continue
        try:
            out(line + ' -> ' + repairs.repair(d))
        except Exception as e:  # one failed repair must not stop the others
            failed += 1
            out(line + ' -> FAILED: %s' % e)
    counts = collections.Counter(d.kind for d in found)
    summary = ', '.join('%d %s%s' % (counts[k], k, '' if counts[k] == 1
                                     else 's') for k in KINDS if counts[k])
    if not found:
        out('reconcile: Ipam matches Neutron')
        return 0
    if repairs is None:
        out('reconcile: %s (dry run: nothing changed; --apply repairs them)'
            % summary)
        return 1
    out('reconcile: %s; %d repaired, %d failed' % (
        summary, len(found) - failed, failed))
    return 1 if failed else 0


_WOULD = {LEAKED_ALLOCATION: 'release', MISSING_ALLOCATION: 'allocate',
          LEAKED_SUBNET: 'delete', MISSING_SUBNET: 'create'}



def read_in_process():
    """neutron_state() inside a Neutron process, through its own database
    configuration (the rig's tests use an in-memory database)."""
    from neutron_lib import context
    from neutron_lib.db import api as db_api
    ctx = context.get_admin_context()
    with db_api.CONTEXT_READER.using(ctx):
        return neutron_state(ctx.session)


def main(argv=None, read_neutron=None, out=print):
    """The reconcile command. read_neutron: a function returning
    neutron_state(), instead of opening --connection."""
    from oslo_config import cfg
    from oslo_db import options as db_options
    from ipam_neutron import config

    conf = cfg.ConfigOpts()
    conf.register_cli_opts([
        cfg.BoolOpt('apply', default=False,
                    help='Repair the differences (default: only list them).'),
        cfg.StrOpt('connection',
                   help="Neutron's database (SQLAlchemy URL); default: "
                        "[database] connection of the config files."),
        cfg.StrOpt('url', help="Ipam's base URL; default: [ipam] url."),
        cfg.StrOpt('token', secret=True,
                   help="An Ipam admin token; default: [ipam] token."),
        cfg.FloatOpt('grace', default=30.0, min=0.0,
                     help='Seconds between the two readings: a difference '
                          'gone in the second was a transaction in flight.'),
    ])
    conf.register_opts(db_options.database_opts, 'database')
    conf.register_opts(config.OPTS, 'ipam')
    conf(argv, project='neutron')
    try:
        for name in ('url', 'token'):
            if conf[name]:
                conf.set_override(name, conf[name], 'ipam')
        client = Client(conf.ipam)
    except ValueError as e:  # an unusable [ipam] url, or --url
        out("reconcile: bad configuration: Ipam's URL must look like "
            'http://ipam.example:5080: %s' % e)
        return 2
    try:
        if read_neutron is None:
            url = conf.connection or conf.database.connection
            if not url:
                out('reconcile: no Neutron database: --connection or '
                    '[database] connection in --config-file')
                return 2
            engine = sqlalchemy.create_engine(url)

            def read_neutron():
                with engine.connect() as connection:
                    return neutron_state(connection)
        # Another role sees only its tenant's subnets, so every other one
        # would look missing (and --apply would try to create it).
        client.call('GET', '/tokens', params={'limit': 1})
        return run(client, read_neutron, conf.apply, conf.grace, out)
    except (n_exc.NeutronException, sqlalchemy.exc.SQLAlchemyError) as e:
        out('reconcile: could not read Ipam or Neutron: %s' % e)
        return 2
