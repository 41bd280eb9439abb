-- Usage counters are added to once per transaction, at its commit, by the statement that also appends its changes
-- (SqlText.AddUsage), instead of by a statement trigger on every INSERT and DELETE of allocations: with group commit
-- a transaction carries many single-row inserts, and each of them ran the trigger's function and its upsert.
DROP TRIGGER allocations_counted_insert ON allocations;
DROP TRIGGER allocations_counted_delete ON allocations;
DROP FUNCTION count_allocations();
