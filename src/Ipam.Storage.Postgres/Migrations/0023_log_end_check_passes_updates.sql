-- The commit's log-end check lets pass every allocation change that frees no address: since allocation.updated
-- (a description or a reservation's end changed), "not a creation" no longer means "an end". An update past the
-- presumed end leaves every index exact, so it must not make the transaction run again.
CREATE OR REPLACE FUNCTION ipam_log_allocations_past(expected bigint, last bigint, page integer)
RETURNS TABLE (log_end bigint, seq bigint, type text, at timestamptz, ip_address text, subnet_id uuid)
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM changes c
        WHERE c.seq > expected AND c.seq <= last AND c.ip_address IS NOT NULL
          AND c.type IN ('allocation.released', 'allocation.expired')) THEN
        RAISE EXCEPTION 'the change log frees addresses past %', expected USING ERRCODE = 'IP002';
    END IF;
    RETURN QUERY
        SELECT last, c.seq, c.type, c.at, c.ip_address, c.subnet_id FROM changes c
        WHERE c.seq > expected AND c.seq <= last AND c.ip_address IS NOT NULL
        ORDER BY c.seq LIMIT page;
END
$$;
