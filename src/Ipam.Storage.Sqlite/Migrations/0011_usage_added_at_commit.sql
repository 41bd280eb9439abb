-- Usage counters are added to at each transaction's commit (SqlText.AddUsage), as on PostgreSQL, instead of by
-- a trigger on every INSERT and DELETE of allocations. The subnet's counter row is still made by its trigger.
DROP TRIGGER allocations_counted_insert;
DROP TRIGGER allocations_counted_delete;
