namespace Ipam.Storage.Postgres;

/// <summary>
/// The statements of the PostgreSQL store beyond the shared ones in <see cref="SqlText"/>: named parameters (<c>@name</c>), except the hot statements,
/// which take positional ones (<c>$1</c>) in the order <see cref="SqlText"/> documents. Transactions run
/// concurrently here, so single-row reads can lock their row (FOR UPDATE): prefix allocations, quota checks
/// and changes of one pool, and pool changes within one scope, run one at a time and see committed rows.
/// </summary>
internal static class PostgresSql
{
    /// <summary>
    /// A page of a subnet's allocations in address order. <c>$2</c> is never NULL (an empty bytea sorts before
    /// every key), so the bound is a range on the primary key instead of a filter.
    /// </summary>
    public const string ListAllocationsSql = """
        SELECT a.ip, a.owner, a.description, a.created_at, a.expires_at, a.created_by, s.ip_version
        FROM allocations a JOIN subnets s ON s.id = a.subnet_id
        WHERE a.subnet_id = $1 AND a.ip > $2
        ORDER BY a.ip LIMIT $3
        """;

    /// <summary>
    /// The same, by owner: <c>a.owner = $4</c> implies the partial index's <c>owner IS NOT NULL</c>, so the
    /// page can be read from <c>allocations_owner</c> in address order.
    /// </summary>
    public const string ListAllocationsByOwnerSql = """
        SELECT a.ip, a.owner, a.description, a.created_at, a.expires_at, a.created_by, s.ip_version
        FROM allocations a JOIN subnets s ON s.id = a.subnet_id
        WHERE a.subnet_id = $1 AND a.owner = $4 AND a.ip > $2
        ORDER BY a.ip LIMIT $3
        """;

    /// <summary>The change log's columns, which its statements here (the append among them) name.</summary>
    private const string ChangeColumns = SqlColumns.Change;

    /// <summary>The advisory lock key that orders the change log's appends.</summary>
    private const long ChangeLogLock = 0x1BA3_C4A9_0001;

    // The filters of the lists by id, each left out by a null argument.
    private const string AfterId = "(@after::uuid IS NULL OR id > @after)";
    private const string TenantIs = "(@tenant::text IS NULL OR tenant_id = @tenant)";
    private const string VisibleTo = "(@visible::text IS NULL OR tenant_id = @visible OR tenant_id IS NULL)";
    private const string VersionIs = "(@version::smallint IS NULL OR ip_version = @version)";

    /// <summary>
    /// Where the log of the subnet named by <paramref name="subnet"/> (a parameter) starts: the last delete of its id (0
    /// when it was never deleted), one probe of the index of deletes. A subnet's history and cooldown read only past it
    /// (see <see cref="SqlText.SelectAllocationEnds"/>).
    /// </summary>
    private static string SubnetIdFreed(string subnet) =>
        $"(SELECT coalesce(max(d.seq), 0) FROM changes d WHERE d.subnet_id = {subnet} AND d.type = 'subnet.deleted')";

    // Before Text, which uses it. The lock key is also in migration 0013 (ipam_expect_log_end).
    private static readonly string AppendChangesSql = $"""
            WITH commit_order AS (SELECT pg_advisory_xact_lock({ChangeLogLock}))
            INSERT INTO changes ({ChangeColumns}, ip)
            SELECT c.at, c.type, c.actor, c.tenant_id, c.subnet_id, c.resource_id, c.ip_address, c.cidr, c.reason,
                   c.held_since, c.before, c.after, c.ip
            FROM commit_order,
                 unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::uuid[], $7::text[], $8::text[],
                        $9::text[], $10::timestamptz[], $11::text[], $12::text[], $13::bytea[])
                     WITH ORDINALITY AS c(at, type, actor, tenant_id, subnet_id, resource_id, ip_address, cidr, reason, held_since,
                                          before, after, ip, n)
            ORDER BY c.n
            """;

    // One change: each column a parameter of its own, not an array taken apart by unnest (which costs the server
    // more than the row). The lock's one-row subquery is read before the row is made, so its position is drawn
    // under the lock.
    private static readonly string AppendChangeSql = $"""
            INSERT INTO changes ({ChangeColumns}, ip)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13
            FROM (SELECT pg_advisory_xact_lock({ChangeLogLock})) AS commit_order
            """;

    public static SqlText Text { get; } = new()
    {
        ForUpdate = " FOR UPDATE",
        // Allocations never block each other, but a concurrent pool or gateway update (or a delete) waits
        // until this unit commits, so it validates against committed rows.
        SelectSubnetRevision = "SELECT revision FROM subnets WHERE id = $1 FOR SHARE",
        SelectSubnets = $"""
            SELECT {SqlColumns.Subnet} FROM subnets
            WHERE {AfterId} AND (@pool::uuid IS NULL OR subnet_pool_id = @pool) AND {TenantIs} AND {VersionIs}
            ORDER BY id LIMIT @limit
            """,
        InsertSubnet = """
            INSERT INTO subnets (id, cidr, ip_version, network, prefix_length, gateway, ipv6_address_mode, name, tenant_id, subnet_pool_id, created_at, revision, reuse_cooldown_seconds)
            VALUES (@id, @cidr::cidr, @version, @network, @prefix, @gateway, @mode, @name, @tenant, @pool, @created, @revision, @cooldown)
            """,

        InsertAllocation = """
            INSERT INTO allocations (subnet_id, ip, owner, description, created_at, expires_at, created_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (subnet_id, ip) DO NOTHING
            """,
        InsertHeldAllocation = """
            INSERT INTO allocations (subnet_id, ip, owner, description, created_at, expires_at, created_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """,
        InsertHeldIdempotencyRecord = """
            INSERT INTO idempotency_keys (subnet_id, actor, key, fingerprint, response, created_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            """,
        SelectHeldIdempotencyRecord = "SELECT fingerprint, response, created_at FROM idempotency_keys WHERE subnet_id = $1 AND actor = $2 AND key = $3",
        // The function is called only to fail (migration 0025).
        HoldSubnet = """
            WITH held AS (SELECT 1 FROM subnets WHERE id = $1 AND revision = $2 FOR SHARE)
            SELECT ipam_refuse_hold($1, $2) WHERE NOT EXISTS (SELECT 1 FROM held)
            """,
        CommitOrderLock = $"SELECT pg_advisory_xact_lock({ChangeLogLock})",
        // What lies past $1 is read by the log's key alone, and only when the log ends past it: no filter on the type
        // of a change that a partial index of releases could serve (a plan made once for every position would then read
        // every release in the log, migration 0026). The function is called only to fail, on a free: among the page of
        // rows returned, or, when more positions than a page lie past $1, among all of them. The last row, nulls past
        // log_end, is always there.
        ExpectLogEnd = """
            WITH last AS MATERIALIZED (SELECT coalesce(max(seq), 0) AS last FROM changes)
            SELECT greatest($1, last.last) AS log_end, p.seq, p.type, p.at, p.ip_address, p.subnet_id
            FROM last, LATERAL (
                SELECT c.seq, c.type, c.at, c.ip_address, c.subnet_id FROM changes c
                WHERE c.seq > $1 AND c.seq <= last.last AND c.ip_address IS NOT NULL
                  AND CASE WHEN c.type IN ('allocation.released', 'allocation.expired') THEN ipam_refuse_free($1) ELSE true END
                ORDER BY c.seq LIMIT $2) AS p
            WHERE last.last > $1
            UNION ALL
            SELECT greatest($1, last.last), NULL, NULL, NULL, NULL, NULL FROM last
            WHERE CASE WHEN last.last - $1 <= $2 THEN true ELSE NOT EXISTS (
                SELECT FROM changes c WHERE c.seq > $1 AND c.seq <= last.last
                  AND CASE WHEN c.type IN ('allocation.released', 'allocation.expired') THEN ipam_refuse_free($1) ELSE false END) END
            """,
        AppendChangesReturning = AppendChangesSql + " RETURNING seq",
        AppendChange = AppendChangeSql,
        AppendChangeReturning = AppendChangeSql + " RETURNING seq",
        // The subnet row is locked as SelectSubnetRevision locks it. When a pool or gateway update holds it, the
        // lock waits for that commit, then checks the row again: the new revision leaves it out.
        InsertAllocationAtRevision = """
            WITH subnet AS (SELECT id FROM subnets WHERE id = $1 AND revision = $8 FOR SHARE),
                 inserted AS (
                     INSERT INTO allocations (subnet_id, ip, owner, description, created_at, expires_at, created_by)
                     SELECT id, $2, $3, $4, $5, $6, $7 FROM subnet
                     ON CONFLICT (subnet_id, ip) DO NOTHING
                     RETURNING 1)
            SELECT (SELECT count(*) FROM subnet), (SELECT count(*) FROM inserted)
            """,
        InsertAllocationUnlessKeyed = """
            INSERT INTO allocations (subnet_id, ip, owner, description, created_at, expires_at, created_by)
            SELECT $1, $2, $3, $4, $5, $6, $7
            WHERE NOT EXISTS (SELECT 1 FROM idempotency_keys WHERE subnet_id = $1 AND actor = $8 AND key = $9)
            ON CONFLICT (subnet_id, ip) DO NOTHING
            """,
        InsertAllocationAtRevisionUnlessKeyed = """
            WITH subnet AS (SELECT id FROM subnets WHERE id = $1 AND revision = $8 FOR SHARE),
                 inserted AS (
                     INSERT INTO allocations (subnet_id, ip, owner, description, created_at, expires_at, created_by)
                     SELECT id, $2, $3, $4, $5, $6, $7 FROM subnet
                     WHERE NOT EXISTS (SELECT 1 FROM idempotency_keys WHERE subnet_id = $1 AND actor = $9 AND key = $10)
                     ON CONFLICT (subnet_id, ip) DO NOTHING
                     RETURNING 1)
            SELECT (SELECT count(*) FROM subnet), (SELECT count(*) FROM inserted)
            """,
        SelectAllocatedAddresses = "SELECT ip FROM allocations WHERE subnet_id = $1 ORDER BY ip",
        ListAllocations = ListAllocationsSql,
        ListAllocationsByOwner = ListAllocationsByOwnerSql,
        DeleteAllocation = $"DELETE FROM allocations WHERE subnet_id = $1 AND ip = $2 RETURNING {SqlColumns.Allocation}",
        UpdateAllocation = $"""
            UPDATE allocations SET description = @description, expires_at = @expires
            WHERE subnet_id = @subnet AND ip = @ip AND created_at = @created
              AND description IS NOT DISTINCT FROM @was_description::text AND expires_at IS NOT DISTINCT FROM @was_expires::timestamptz
            RETURNING {SqlColumns.Allocation}
            """,
        RedateAllocation = "UPDATE allocations SET created_at = @created WHERE subnet_id = @subnet AND ip = @ip",
        SelectAllocationEndedAfter = """
            SELECT (EXISTS (SELECT 1 FROM changes
                WHERE ip_address = $2 AND subnet_id = $1 AND type IN ('allocation.released', 'allocation.expired') AND at > $3))::int
            """,
        DeleteSubnetAllocations = $"DELETE FROM allocations WHERE subnet_id = $1 RETURNING {SqlColumns.Allocation}",
        DeleteExpiredAllocations = """
            DELETE FROM allocations a USING subnets s
            WHERE s.id = a.subnet_id AND a.expires_at IS NOT NULL AND a.expires_at <= $1 AND ($2::uuid IS NULL OR a.subnet_id = $2)
            RETURNING a.subnet_id, a.ip, a.owner, a.description, a.created_at, a.expires_at, a.created_by, s.ip_version
            """,

        // SKIP LOCKED: the sweepers of several instances take different rows instead of waiting for each other,
        // and leave the subnets alone that a pool change or delete holds (it recounts their usage meanwhile);
        // the share lock keeps such a change out until this one commits, as it does for an allocation.
        SweepExpiredAllocations = """
            WITH due AS (
                SELECT a.subnet_id, a.ip, s.ip_version FROM allocations a JOIN subnets s ON s.id = a.subnet_id
                WHERE a.expires_at IS NOT NULL AND a.expires_at <= $2
                LIMIT $1 FOR UPDATE OF a SKIP LOCKED FOR SHARE OF s SKIP LOCKED)
            DELETE FROM allocations a USING due d
            WHERE a.subnet_id = d.subnet_id AND a.ip = d.ip
            RETURNING a.subnet_id, a.ip, a.owner, a.description, a.created_at, a.expires_at, a.created_by, d.ip_version
            """,
        CountAllocations = """
            SELECT count(*) FROM allocations
            WHERE subnet_id = @subnet AND (@first::bytea IS NULL OR ip BETWEEN @first AND @last)
            """,
        CountSubnetAllocations = UsageSql.Usage("@subnet"),
        CountAllocationsOfSubnets = UsageSql.UsageOfSubnets("SELECT unnest(@ids::uuid[])"),
        // Counted after the transaction's append, under its lock: nothing commits a change between the count and
        // max(seq). A fold waiting for the row rechecks counted_through and skips it (see FoldUsage).
        RecountSubnetUsage = $"""
            INSERT INTO subnet_usage AS u (subnet_id, allocated, in_pools, counted_through)
            SELECT s.id, {UsageSql.Allocated("s.id")}, {UsageSql.InPools("s.id")}, coalesce((SELECT max(seq) FROM changes), 0)
            FROM subnets s WHERE s.id = ANY($1::uuid[])
            ORDER BY s.id
            ON CONFLICT (subnet_id) DO UPDATE
            SET allocated = excluded.allocated, in_pools = excluded.in_pools, counted_through = excluded.counted_through
            """,
        // Another instance folding now: no row, and this one leaves the round to it rather than wait in its writer.
        LockUsageFold = "SELECT position FROM usage_fold FOR UPDATE SKIP LOCKED",
        // The counters' update rechecks last_seq > counted_through on a row it waited for: a recount that
        // committed meanwhile counted every change of that subnet this fold read, and the row is left alone.
        FoldUsage = $"""
            WITH batch AS (SELECT max(seq) AS last, count(*) AS taken FROM {UsageSql.FoldBatch("$1", "$2")} b),
                 net AS ({UsageSql.Net("$1", "(SELECT last FROM batch)")}),
                 counted AS (
                     UPDATE subnet_usage u SET allocated = u.allocated + net.allocated, in_pools = u.in_pools + net.in_pools
                     FROM net WHERE u.subnet_id = net.subnet_id AND net.last_seq > u.counted_through)
            UPDATE usage_fold SET position = batch.last FROM batch WHERE batch.last IS NOT NULL
            RETURNING batch.taken
            """,

        SelectAddressScopes = $"""
            SELECT {SqlColumns.Scope} FROM address_scopes
            WHERE {AfterId} AND {VersionIs} AND {TenantIs} AND {VisibleTo}
            ORDER BY id LIMIT @limit
            """,

        SelectSubnetPools = $"""
            SELECT {SqlColumns.Pool} FROM subnet_pools
            WHERE {AfterId} AND (@scope::uuid IS NULL OR address_scope_id = @scope) AND {TenantIs} AND {VisibleTo} AND {VersionIs}
            ORDER BY id LIMIT @limit
            """,
        InsertAllocationPools = """
            INSERT INTO allocation_pools (subnet_id, first_ip, last_ip)
            SELECT p.subnet, p.first_ip, p.last_ip FROM unnest($1::uuid[], $2::bytea[], $3::bytea[]) AS p(subnet, first_ip, last_ip)
            """,
        InsertSubnetPoolPrefixes = """
            INSERT INTO subnet_pool_prefixes (subnet_pool_id, cidr, first_ip, last_ip, prefix_length)
            SELECT p.pool, p.cidr::cidr, p.first_ip, p.last_ip, p.prefix_length
            FROM unnest($1::uuid[], $2::text[], $3::bytea[], $4::bytea[], $5::smallint[]) AS p(pool, cidr, first_ip, last_ip, prefix_length)
            """,

        // The lock (see migration 0004) is taken before the first row gets its seq and held until commit.
        AppendChanges = AppendChangesSql,
        SelectChanges = $"""
            SELECT seq, {ChangeColumns} FROM changes
            WHERE seq > @after
            ORDER BY seq LIMIT @limit
            """,
        // A statement of its own rather than a filter left out by a null argument, which a prepared statement's generic
        // plan cannot leave out. The tenant is a range, not an equality, and the page is asked for in (tenant, position)
        // order, which only changes_tenant gives: with an equality the order would be the position's alone, which the log's
        // key gives too, and a plan made without the arguments (Npgsql prepares statements run often, and PostgreSQL may
        // then plan them once for any) could read the key from the position and keep this tenant's changes, through every
        // change the others made since, whenever few tenants share the log. The range starts at (tenant, position), so
        // that a reader at its last change reads one index entry, however many changes it or anyone else made before.
        SelectTokenRevocation = $"""
            SELECT seq, {ChangeColumns} FROM changes
            WHERE type = 'token.revoked' AND resource_id = @token AND seq > @after
            ORDER BY seq LIMIT 1
            """,
        SelectTenantChanges = $"""
            SELECT seq, {ChangeColumns} FROM changes
            WHERE (tenant_id, seq) > (@tenant, @after) AND tenant_id <= @tenant
            ORDER BY tenant_id, seq LIMIT @limit
            """,
        // Backwards from this tenant's last change, in (tenant, position) order for the same reason as SelectTenantChanges.
        SelectTenantTailStart = """
            SELECT seq FROM changes
            WHERE tenant_id >= @tenant AND tenant_id <= @tenant
            ORDER BY tenant_id DESC, seq DESC LIMIT 1 OFFSET @count
            """,
        // Bounded above by the log's end too (the same rows: one snapshot), so that a generic plan stays a range scan of
        // the key: an instance runs it whenever it reads before it picks, and mostly it finds nothing.
        SelectAllocationChanges = """
            SELECT seq, type, at, ip_address, subnet_id FROM changes
            WHERE seq > $1 AND seq <= (SELECT max(seq) FROM changes) AND ip_address IS NOT NULL
            ORDER BY seq LIMIT $2
            """,
        SelectRecentSubnetAllocationEnds = $"""
            SELECT seq, type, at, ip_address, subnet_id FROM changes
            WHERE subnet_id = $1 AND seq > {SubnetIdFreed("$1")} AND type IN ('allocation.released', 'allocation.expired') AND at >= $2
            ORDER BY seq
            """,
        NextRevision = "SELECT nextval('revisions')",
        SelectDatabaseTime = "SELECT clock_timestamp()",
        // One statement: the rows it deletes are the rows it counts, whatever other instances append meanwhile.
        PruneChangesBefore = """
            WITH oldest AS (SELECT seq, at FROM changes ORDER BY seq LIMIT @limit),
            gone AS (
                DELETE FROM changes WHERE seq IN (
                    SELECT seq FROM oldest
                    WHERE seq < coalesce((SELECT min(seq) FROM oldest WHERE at >= @cutoff), (SELECT max(seq) FROM changes))
                      AND seq <= (SELECT position FROM usage_fold))
                RETURNING seq, tenant_id),
            whole AS (
                UPDATE change_log_pruned SET position = greatest(position, (SELECT max(seq) FROM gone))
                WHERE EXISTS (SELECT FROM gone)),
            tenants AS (
                INSERT INTO tenant_changes_pruned (tenant_id, position)
                SELECT tenant_id, max(seq) FROM gone WHERE tenant_id IS NOT NULL GROUP BY tenant_id
                ON CONFLICT (tenant_id) DO UPDATE SET position = greatest(tenant_changes_pruned.position, excluded.position))
            SELECT count(*)::int FROM gone
            """,
        SelectChangeLogBounds = """
            SELECT coalesce((SELECT CASE WHEN @tenant::text IS NULL THEN position
                                    ELSE greatest(untracked_through, coalesce((SELECT position FROM tenant_changes_pruned WHERE tenant_id = @tenant), 0)) END
                             FROM change_log_pruned), 0),
                   (SELECT coalesce(max(seq), 0) FROM changes)
            """,

        SelectAllocationEnds = $"""
            SELECT seq, {ChangeColumns} FROM changes
            WHERE ip_address = @ip AND seq < @before AND seq > {SubnetIdFreed("@subnet")} AND subnet_id = @subnet
              AND type IN ('allocation.released', 'allocation.expired')
            ORDER BY seq DESC LIMIT @limit
            """,
        SelectAllocationEndsSpanning = $"""
            SELECT seq, {ChangeColumns} FROM changes
            WHERE ip_address = @ip AND type IN ('allocation.released', 'allocation.expired')
              AND held_since <= @at AND at > @at AND (@tenant::text IS NULL OR tenant_id = @tenant)
              AND (subnet_id, seq) > (@subnet, @seq)
            ORDER BY subnet_id, seq LIMIT @limit
            """,
        // One probe of subnets_network per prefix length, then the allocation's key.
        SelectAddressHolders = """
            SELECT a.ip, a.owner, a.description, a.created_at, a.expires_at, a.created_by, s.id AS subnet_id, s.ip_version,
                   s.network, s.prefix_length
            FROM jsonb_array_elements(@networks::jsonb) AS n(value)
            JOIN subnets s ON s.network = decode(n.value->>0, 'hex') AND s.prefix_length = (n.value->>1)::smallint
            JOIN allocations a ON a.subnet_id = s.id AND a.ip = @ip
            WHERE s.ip_version = @version AND (@tenant::text IS NULL OR s.tenant_id = @tenant)
              AND (@at::timestamptz IS NULL OR a.created_at <= @at) AND (s.id, 9223372036854775807) > (@subnet, @seq)
            ORDER BY s.id LIMIT @limit
            """,
        ListOwnerAllocations = """
            SELECT a.subnet_id, a.ip, a.owner, a.description, a.created_at, a.expires_at, a.created_by, s.ip_version
            FROM allocations a JOIN subnets s ON s.id = a.subnet_id
            WHERE a.owner = @owner AND (a.subnet_id, a.ip) > (@subnet, @after) AND (@tenant::text IS NULL OR s.tenant_id = @tenant)
            ORDER BY a.subnet_id, a.ip LIMIT @limit
            """,

        SelectTokens = $"SELECT {SqlColumns.Token} FROM tokens WHERE {AfterId} ORDER BY id LIMIT @limit",
    };
}
