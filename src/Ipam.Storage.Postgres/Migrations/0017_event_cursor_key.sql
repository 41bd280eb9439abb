-- Secrets the database keeps for every instance. The first: the key that seals the events feed's cursors for
-- callers limited to one tenant, so that the gaps between their events' ids do not tell them how many changes
-- other tenants made. Made here, once, so that every instance reads the same one (gen_random_uuid draws from
-- the server's strong random source; two give 244 random bits).
CREATE TABLE secrets (
    name  text  NOT NULL PRIMARY KEY,
    value bytea NOT NULL
);

INSERT INTO secrets (name, value) VALUES ('event-cursor', uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()));
