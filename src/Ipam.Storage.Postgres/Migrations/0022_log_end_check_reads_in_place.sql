-- The log-end check reads other instances' allocations past the presumed end in its own body again, without the
-- function of migration 0016 and its SET clause: calling that function, switching the setting for it and copying its
-- rows out cost more than the two reads themselves. Their bounds are now subqueries, which the planner cannot see
-- into, so a plan made for one call's bounds is the plan made for any (a range scan of the primary key), costs the
-- same, and PL/pgSQL's plan cache keeps the one made for any after its first calls instead of planning every call.
CREATE OR REPLACE FUNCTION ipam_expect_log_end_reading(expected bigint, page integer)
RETURNS TABLE (log_end bigint, seq bigint, type text, at timestamptz, ip_address text, subnet_id uuid)
LANGUAGE plpgsql AS $$
DECLARE
    last bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(30390193029121);
    SELECT max(c.seq) INTO last FROM changes c;
    IF last > expected THEN
        IF EXISTS (
            SELECT 1 FROM changes c
            WHERE c.seq > (SELECT expected) AND c.seq <= (SELECT last) AND c.ip_address IS NOT NULL
              AND c.type <> 'allocation.created') THEN
            RAISE EXCEPTION 'the change log frees addresses past %', expected USING ERRCODE = 'IP002';
        END IF;
        RETURN QUERY
            SELECT last, c.seq, c.type, c.at, c.ip_address, c.subnet_id FROM changes c
            WHERE c.seq > (SELECT expected) AND c.seq <= (SELECT last) AND c.ip_address IS NOT NULL
            ORDER BY c.seq LIMIT (SELECT page);
        IF FOUND THEN
            RETURN;
        END IF;
    END IF;
    RETURN QUERY SELECT greatest(expected, coalesce(last, 0)), NULL::bigint, NULL::text, NULL::timestamptz, NULL::text, NULL::uuid;
END
$$;

DROP FUNCTION ipam_log_allocations_past(bigint, bigint, integer);
