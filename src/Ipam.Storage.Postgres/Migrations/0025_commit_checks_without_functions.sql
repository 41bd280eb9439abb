-- The checks a commit sends (the subnet held at its revision, the log's end) become plain statements that call a
-- function only to fail or, for the log, only when other instances appended past the end presumed: a PL/pgSQL call
-- costs more than the lookups it wraps, and every allocation made them. This one only fails, as ipam_hold_subnet did
-- when the subnet was at another revision or gone. ipam_hold_subnet and ipam_expect_log_end_reading stay for
-- instances of the previous version still running on the database.
CREATE FUNCTION ipam_refuse_hold(subnet uuid, expected bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'subnet % is no longer at revision %', subnet, expected USING ERRCODE = 'IP001';
END
$$;
