-- Secrets the database keeps for every process that serves it. The first: the key that seals the events feed's
-- cursors for callers limited to one tenant, so that the gaps between their events' ids do not tell them how
-- many changes other tenants made. Made here, once, so that every process that opens the file reads the same one.
CREATE TABLE secrets (
    name  TEXT NOT NULL PRIMARY KEY,
    value BLOB NOT NULL
);

INSERT INTO secrets (name, value) VALUES ('event-cursor', randomblob(32));
