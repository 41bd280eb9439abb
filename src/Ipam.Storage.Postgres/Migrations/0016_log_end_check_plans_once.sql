-- The statements of the log-end check that read past the presumed end are planned once per connection instead of
-- at every call. Their bounds are the function's arguments, and PL/pgSQL's plan cache weighs a plan made for the
-- arguments of each call (a range of a few rows past the end) against one made for any arguments (a default share
-- of the whole log): on a large log the first always looks cheaper, so PostgreSQL planned both statements again at
-- every call where other instances had written, which cost more than running them. Their best plan is the same
-- for any bounds (a range scan of the primary key), so the reads move into a function of their own that always
-- uses the plan made for any arguments. The SET clause that says so costs a few microseconds a call, so the path
-- where nothing lies past the end, which every call on a lone instance takes, stays outside it.
CREATE FUNCTION ipam_log_allocations_past(expected bigint, last bigint, page integer)
RETURNS TABLE (log_end bigint, seq bigint, type text, at timestamptz, ip_address text, subnet_id uuid)
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM changes c
        WHERE c.seq > expected AND c.seq <= last AND c.ip_address IS NOT NULL AND c.type <> 'allocation.created') THEN
        RAISE EXCEPTION 'the change log frees addresses past %', expected USING ERRCODE = 'IP002';
    END IF;
    RETURN QUERY
        SELECT last, c.seq, c.type, c.at, c.ip_address, c.subnet_id FROM changes c
        WHERE c.seq > expected AND c.seq <= last AND c.ip_address IS NOT NULL
        ORDER BY c.seq LIMIT page;
END
$$;

CREATE OR REPLACE FUNCTION ipam_expect_log_end_reading(expected bigint, page integer)
RETURNS TABLE (log_end bigint, seq bigint, type text, at timestamptz, ip_address text, subnet_id uuid)
LANGUAGE plpgsql AS $$
DECLARE
    last bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(30390193029121);
    SELECT max(c.seq) INTO last FROM changes c;
    IF last > expected THEN
        RETURN QUERY SELECT * FROM ipam_log_allocations_past(expected, last, page);
        IF FOUND THEN
            RETURN;
        END IF;
    END IF;
    RETURN QUERY SELECT greatest(expected, coalesce(last, 0)), NULL::bigint, NULL::text, NULL::timestamptz, NULL::text, NULL::uuid;
END
$$;
