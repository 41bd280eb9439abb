-- A stream or long-poll of one tenant's changes ends at the revocation of its own token, a change of no tenant that
-- the tenant's read (changes_tenant) does not see: it is read apart, from this index, whose entries are one per
-- revoked token, so that the look costs the same however many changes others make after the reader's position.
CREATE INDEX changes_token_revocations ON changes (resource_id, seq) WHERE type = 'token.revoked';
