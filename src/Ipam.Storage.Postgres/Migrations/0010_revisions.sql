-- Revisions of subnets and subnet pools come from one counter of the database instead of counting from 1 per
-- row: a subnet deleted and created again under the same id (ids may be the caller's) would otherwise repeat
-- the revisions of the one before, and another instance's cached copy of that one would still match its
-- revision checks. A sequence never hands out a value twice, committed or not. It starts above any revision
-- counted per row before.
CREATE SEQUENCE revisions START WITH 4294967296;
