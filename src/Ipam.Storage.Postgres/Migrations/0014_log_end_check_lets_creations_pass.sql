-- The check a write transaction sends with its commit when it presumed the change log's end (0013) now fails only
-- for a change past that end that frees an address (a release, an expiry). An allocation another instance created
-- meanwhile cannot make this transaction's answers wrong: its pick is refused by the primary key if it is the same
-- address, and otherwise is what a caught-up index would have given (the lowest free address is still the lowest; a
-- uniform pick, given that it is free, is uniform over the free). The transaction reads those creations in the same
-- batch, after this check, and its instance applies them: one round trip while other instances allocate too.
-- SQLSTATE IP002 when a release or expiry lies past expected.
CREATE OR REPLACE FUNCTION ipam_expect_log_end(expected bigint) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    last bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(30390193029121);
    SELECT max(seq) INTO last FROM changes;
    IF last > expected AND EXISTS (
        SELECT 1 FROM changes
        WHERE seq > expected AND seq <= last AND ip_address IS NOT NULL AND type <> 'allocation.created') THEN
        RAISE EXCEPTION 'the change log frees addresses past %', expected USING ERRCODE = 'IP002';
    END IF;
    RETURN greatest(expected, coalesce(last, 0));
END
$$;
