-- Revisions of subnets and subnet pools come from one counter of the database instead of counting from 1 per
-- row: a subnet deleted and created again under the same id (ids may be the caller's) would otherwise repeat
-- the revisions of the one before, and another process's cached copy of that one would still match its
-- revision checks. One row, bumped in the writer's transaction; it starts above any revision counted per row
-- before.
CREATE TABLE revisions (
    last INTEGER NOT NULL
);

INSERT INTO revisions (last) VALUES (4294967295);
