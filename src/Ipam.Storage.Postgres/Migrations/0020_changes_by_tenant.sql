-- The events feed of a caller limited to one tenant, and of an admin who names one, reads that tenant's changes
-- after a position. Without an index by tenant it read every change after the position and kept the tenant's: a
-- reader whose own changes are few stays at its last one while other tenants' changes pile up after it, and its
-- long-poll or stream reads again at every commit and every quarter of a second, each time through all of them.
-- With it, a read costs the tenant's own changes after the position, however many the others make. Partial: a change
-- without a tenant (tokens; subnets, pools and scopes of no tenant, and their allocations) writes no entry.
CREATE INDEX changes_tenant ON changes (tenant_id, seq) WHERE tenant_id IS NOT NULL;
