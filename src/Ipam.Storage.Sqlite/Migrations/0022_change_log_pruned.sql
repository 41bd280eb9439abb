-- How far retention has pruned the change log, so that the events feed can tell a follower whose cursor lies before
-- it that changes after its cursor are gone (410 cursor-expired), instead of going on from the oldest change kept as
-- if nothing had been missed. The pruner moves them in the transaction of its delete (ChangeLogPruner.cs).
--
-- * change_log_pruned.position: the highest position deleted from the log (0: nothing yet);
-- * tenant_changes_pruned.position: the same among one tenant's changes, for a reader of that tenant's changes only:
--   a tenant whose own changes are few is not told of others' changes pruned after its last one, which it never
--   missed, and learns nothing of them;
-- * change_log_pruned.untracked_through: every tenant's changes at or below it may be gone, pruned before this
--   migration. A log that does not start at 1 was pruned up to its first position (a transaction that rolls back
--   takes no position here). Which tenants lost changes is not known, so each is taken to have lost some.
CREATE TABLE change_log_pruned (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    position          INTEGER NOT NULL,
    untracked_through INTEGER NOT NULL
);

CREATE TABLE tenant_changes_pruned (
    tenant_id TEXT    NOT NULL PRIMARY KEY,
    position  INTEGER NOT NULL
);

INSERT INTO change_log_pruned (id, position, untracked_through)
SELECT 1, pruned, pruned FROM (SELECT CASE WHEN min(seq) > 1 THEN min(seq) - 1 ELSE 0 END AS pruned FROM changes);
