-- Nothing to do here: SQLite replaced its owner index with entries the background fold writes (its 0024), because
-- there every page a commit touches is one more WAL frame written and synced. PostgreSQL logs an index entry as one
-- more record in the same WAL flush, and keeps allocations_owner. The file keeps both stores' migrations in step.
SELECT 1;
