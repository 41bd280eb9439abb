-- The log-end check of 0014 and the read of other instances' allocations that followed it in the commit batch
-- become one statement: a commit that presumed the log's end runs one statement fewer, and on one instance, where
-- nothing lies past the presumed end, it reads no rows of the log at all. Returns one row (log_end and nulls) when
-- no allocation change lies past expected; otherwise one row per such change, at most page of them, in commit
-- order, each carrying log_end. SQLSTATE IP002 when a release or expiry lies past expected.
-- The one-argument function stays for instances of the previous version during a rolling upgrade.
CREATE FUNCTION ipam_expect_log_end_reading(expected bigint, page integer)
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
            WHERE c.seq > expected AND c.seq <= last AND c.ip_address IS NOT NULL AND c.type <> 'allocation.created') THEN
            RAISE EXCEPTION 'the change log frees addresses past %', expected USING ERRCODE = 'IP002';
        END IF;
        RETURN QUERY
            SELECT last, c.seq, c.type, c.at, c.ip_address, c.subnet_id FROM changes c
            WHERE c.seq > expected AND c.seq <= last AND c.ip_address IS NOT NULL
            ORDER BY c.seq LIMIT page;
        IF FOUND THEN
            RETURN;
        END IF;
    END IF;
    RETURN QUERY SELECT greatest(expected, coalesce(last, 0)), NULL::bigint, NULL::text, NULL::timestamptz, NULL::text, NULL::uuid;
END
$$;
