-- The commit's log-end check reads what lies past the presumed end as a plain statement, once, by the log's key, and
-- calls a function only to fail, as the subnet hold does since 0025. ipam_log_allocations_past, which it called
-- whenever other instances had appended past the end, read those rows twice and cost a PL/pgSQL call on every
-- commit of an instance taking turns with others. And its look for frees, planned once for every value, could
-- take the partial index of releases and read all of them: in a log with few releases among many changes that plan
-- is the cheapest guess, and a commit then paid for every release in the log, not for the changes since its look.
-- The old function stays for instances of the previous version still running on the database.
CREATE FUNCTION ipam_refuse_free(expected bigint) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the change log frees addresses past %', expected USING ERRCODE = 'IP002';
END
$$;
