"""Binds Ipam changes to the Neutron transaction that asked for them.

Neutron's own driver writes its IPAM rows in Neutron's transaction, so they commit or roll back with the
port or subnet. Ipam commits on its own, so each change is registered on the SQLAlchemy session: what was
allocated is released again when the transaction does not commit (rollback, deadlock and duplicate-record
retries, a failing bulk item, a closed session), and what was released or removed is only released in
Ipam once the transaction has committed (a rolled-back delete keeps its addresses).
"""
from oslo_log import log
from sqlalchemy import event

LOG = log.getLogger(__name__)
_PENDING = 'ipam_neutron.pending'
_HOOKED = 'ipam_neutron.hooked'


class Pending(object):
    def __init__(self):
        self.undo = []
        self.after_commit = {}

    def on_rollback(self, action):
        self.undo.append(action)

    def on_commit(self, key, action):
        self.after_commit[key] = action

    def cancel_commit(self, key):
        """True when the transaction had deferred this release itself."""
        return self.after_commit.pop(key, None) is not None


def pending(context):
    session = context.session
    work = session.info.get(_PENDING)
    if work is None:
        work = session.info[_PENDING] = Pending()
        if not session.info.get(_HOOKED):
            event.listen(session, 'after_commit', _committed)
            event.listen(session, 'after_transaction_end', _ended)
            session.info[_HOOKED] = True
    return work


def _committed(session):
    work = session.info.pop(_PENDING, None)
    if work is not None:
        _run(work.after_commit.values(), 'after commit')


def _ended(session, transaction):
    # after_commit has taken the work of a committed transaction; what is left at the end of the outermost
    # transaction was not committed.
    if transaction.parent is not None:
        return
    work = session.info.pop(_PENDING, None)
    if work is not None:
        _run(reversed(work.undo), 'undoing')


def _run(actions, when):
    for action in list(actions):
        try:
            action()
        except Exception as e:  # one failed call must not stop the others
            LOG.error("Ipam call %s failed: %s", when, e)
