namespace Ipam.Storage.Sql;

/// <summary>
/// The statements of one SQL store. Statements run through Dapper take named parameters; the hot ones (run
/// on prepared commands, see <see cref="SqlDialect.NamesParameters"/>) take the parameters documented here,
/// in that order. The statements written here are the same in every dialect (both PostgreSQL and SQLite take
/// <c>@name</c> parameters); a dialect supplies the rest.
/// </summary>
internal sealed record SqlText
{
    /// <summary>Appended to a single-row SELECT to hold the row until the transaction ends ("" where the store needs no row locks).</summary>
    public required string ForUpdate { get; init; }

    public string SelectSubnet { get; init; } = $"SELECT {SqlColumns.Subnet} FROM subnets WHERE id = @id";

    public string SelectAllocationPools { get; init; } = "SELECT first_ip, last_ip FROM allocation_pools WHERE subnet_id = @subnet ORDER BY first_ip";

    /// <summary>Hot: (id). Share-locks the row where transactions run concurrently.</summary>
    public required string SelectSubnetRevision { get; init; }

    public required string SelectSubnets { get; init; }

    public required string InsertSubnet { get; init; }

    /// <summary>
    /// Prepared: (subnet, first, last): stores a subnet's allocation pools, in one round trip where the dialect binds
    /// arrays (as <see cref="InsertSubnetPoolPrefixes"/>), so that a subnet of many ranges is written as fast as one of one.
    /// </summary>
    public required string InsertAllocationPools { get; init; }

    public string UpdateSubnet { get; init; } =
        "UPDATE subnets SET name = @name, gateway = @gateway, revision = @revision, reuse_cooldown_seconds = @cooldown WHERE id = @id";

    public string DeleteAllocationPools { get; init; } = "DELETE FROM allocation_pools WHERE subnet_id = @subnet";

    public string DeleteSubnet { get; init; } = "DELETE FROM subnets WHERE id = @id";

    /// <summary>Hot: (subnet, ip, owner, description, created, expires, by); inserts nothing when the address is taken.</summary>
    public required string InsertAllocation { get; init; }

    /// <summary>
    /// Hot: (subnet, ip, owner, description, created, expires, by, revision): the same insert, made only while the
    /// subnet is at that revision (share-locking it, as <see cref="SelectSubnetRevision"/> does, where transactions
    /// run concurrently). Returns one row: whether the subnet is at that revision (0 or 1), then the rows inserted.
    /// </summary>
    public required string InsertAllocationAtRevision { get; init; }

    /// <summary>
    /// (subnet, ip, owner, description, created, expires, by): the insert of <see cref="InsertAllocation"/>, failing
    /// when the address is taken, for a store whose shared transactions hold inserts back (<see cref="DeferredInserts"/>).
    /// </summary>
    public string? InsertHeldAllocation { get; init; }

    /// <summary>
    /// (subnet, actor, key, fingerprint, response, created): <see cref="InsertIdempotencyRecord"/> as a held-back
    /// statement (<see cref="DeferredInserts"/>) binds its parameters, for a store that holds inserts back.
    /// </summary>
    public string? InsertHeldIdempotencyRecord { get; init; }

    /// <summary>(subnet, actor, key): <see cref="SelectIdempotencyRecord"/> as a statement of a batch binds its parameters.</summary>
    public string? SelectHeldIdempotencyRecord { get; init; }

    /// <summary>
    /// (subnet, ip, owner, description, created, expires, by, actor, key): <see cref="InsertAllocation"/>, unless the
    /// key has a record, for a store that sends a key's look-up in one batch with the insert.
    /// </summary>
    public string? InsertAllocationUnlessKeyed { get; init; }

    /// <summary>(…, revision, actor, key): <see cref="InsertAllocationAtRevision"/>, unless the key has a record.</summary>
    public string? InsertAllocationAtRevisionUnlessKeyed { get; init; }

    /// <summary>
    /// (subnet, revision): share-locks the subnet at that revision, failing (<see cref="SqlDialect.IsRefutedCheck"/>)
    /// when it is at another or gone; sent before a held-back insert whose revision the transaction did not hold.
    /// </summary>
    public string? HoldSubnet { get; init; }

    /// <summary>
    /// Takes the lock of <see cref="AppendChanges"/>, held until the transaction ends, in a statement of its own right
    /// before <see cref="ExpectLogEnd"/>: a statement reads what had committed when it began, so the check reads
    /// every append committed before the lock was taken, and none can commit before this transaction's own.
    /// </summary>
    public string? CommitOrderLock { get; init; }

    /// <summary>
    /// (position, page): after <see cref="CommitOrderLock"/>, fails (<see cref="SqlDialect.IsRefutedCheck"/>) if a
    /// change after the position that freed an address (a release, an expiry) has committed; sent with the commit of
    /// a transaction that presumed the log ended there (<see cref="DeferredInserts.TryPresumeLogEnd"/>). Otherwise
    /// returns rows of <c>log_end</c> (where the log ended before this transaction's own changes) and the columns of
    /// <see cref="SelectAllocationChanges"/>: one row per allocation change after the position, at most page of them,
    /// and a row of nulls past <c>log_end</c>.
    /// </summary>
    public string? ExpectLogEnd { get; init; }

    /// <summary>As <see cref="AppendChanges"/>, returning the position (seq) of each change appended; where arrays bind.</summary>
    public string? AppendChangesReturning { get; init; }

    /// <summary>
    /// As <see cref="AppendChanges"/> for a transaction's only change, each parameter one value, where arrays bind
    /// (where they do not, <see cref="AppendChanges"/> is already this).
    /// </summary>
    public string? AppendChange { get; init; }

    /// <summary>As <see cref="AppendChange"/>, returning the change's position (seq).</summary>
    public string? AppendChangeReturning { get; init; }

    public string SelectAllocation { get; init; } = $"SELECT {SqlColumns.Allocation} FROM allocations WHERE subnet_id = @subnet AND ip = @ip";

    /// <summary>Hot: (subnet), every allocated address ascending.</summary>
    public required string SelectAllocatedAddresses { get; init; }

    /// <summary>Prepared: (subnet, after, limit); a page in address order.</summary>
    public required string ListAllocations { get; init; }

    /// <summary>Prepared: (subnet, after, limit, owner); a page of one owner's allocations in address order.</summary>
    public required string ListAllocationsByOwner { get; init; }

    /// <summary>Prepared: (subnet, ip); returns the deleted row.</summary>
    public required string DeleteAllocation { get; init; }

    /// <summary>(subnet, ip, created, was_description, was_expires, description, expires); returns the updated row, none when it was not as read.</summary>
    public required string UpdateAllocation { get; init; }

    /// <summary>(subnet, ip, created): sets the time the allocation of an address was made.</summary>
    public required string RedateAllocation { get; init; }

    /// <summary>Prepared: (subnet, ip, at); 1 if the log holds an end of an allocation of the address in the subnet later than at, else 0.</summary>
    public required string SelectAllocationEndedAfter { get; init; }

    /// <summary>Prepared: (subnet); returns the deleted rows.</summary>
    public required string DeleteSubnetAllocations { get; init; }

    /// <summary>Prepared: (now, subnet); returns each deleted row with its subnet_id and ip_version.</summary>
    public required string DeleteExpiredAllocations { get; init; }

    /// <summary>Prepared: (limit, now); as <see cref="DeleteExpiredAllocations"/>, at most limit rows.</summary>
    public required string SweepExpiredAllocations { get; init; }

    public required string CountAllocations { get; init; }

    /// <summary>(subnet); returns its usage: the count of all its allocations, then of those inside its allocation pools (<see cref="UsageSql.Usage"/>).</summary>
    public required string CountSubnetAllocations { get; init; }

    /// <summary>(ids: the subnets, see <see cref="SqlArguments.Ids"/>); the usage of each (<see cref="UsageSql.UsageOfSubnets"/>).</summary>
    public required string CountAllocationsOfSubnets { get; init; }

    /// <summary>(subnet); the same as <see cref="CountSubnetAllocations"/>, counted from the subnet's rows.</summary>
    public string CountSubnetRows { get; init; } = $"SELECT {UsageSql.Allocated("@subnet")}, {UsageSql.InPools("@subnet")}";

    /// <summary>
    /// (subnet): sets the counters of the subnets to a count of their rows against their stored pools, counted through
    /// the last change in the log; runs at the commit, after the append, so the transaction's own changes are in both.
    /// Arrays where the dialect binds them (<see cref="SqlDialect.BindsArrays"/>), otherwise one subnet. Skips a subnet deleted meanwhile.
    /// </summary>
    public required string RecountSubnetUsage { get; init; }

    /// <summary>
    /// Returns the fold's position, holding it until the commit where another instance could fold at the same time;
    /// no row while another transaction holds it.
    /// </summary>
    public required string LockUsageFold { get; init; }

    /// <summary>
    /// (position, limit): adds the net of the next limit changes after position to the counters and moves the
    /// position past them (<see cref="IIpamSession.FoldUsageAsync"/>); returns how many changes it took (0 or no row: none).
    /// </summary>
    public required string FoldUsage { get; init; }

    /// <summary>
    /// How many owners' entries differ from the allocations, where a dialect keeps owners in entries the fold writes
    /// (SQLite, migration 0024): allocations with an owner and no entry, and entries without such an allocation, among
    /// the addresses the log past the fold leaves alone. Where an index keeps them (PostgreSQL), none can differ.
    /// </summary>
    public string CountOwnerEntryMismatches { get; init; } = "SELECT CAST(0 AS bigint)";

    /// <summary>Sets the owners' entries from the allocations as they are (a repair); null where an index keeps them.</summary>
    public string? RebuildOwnerEntries { get; init; }

    /// <summary>How far the log runs past the fold (<see cref="UsageSql.FoldLag"/>).</summary>
    public string FindUsageFoldLag { get; init; } = UsageSql.FoldLag;

    /// <summary>
    /// Returns subnet_id, allocated, in_pools (counters plus the log past them) and counted_allocated,
    /// counted_in_pools (a count of the rows) of every subnet whose usage differs from the count, by id.
    /// </summary>
    public string SelectUsageMismatches { get; init; } = UsageSql.Mismatches;

    public string CountSubnets { get; init; } = "SELECT count(*) FROM subnets";

    /// <summary>Every subnet row, by id, for the check of unreadable rows (<see cref="SqlSession.FindUnreadableRowsAsync"/>).</summary>
    public string SelectSubnetsToCheck { get; init; } = $"SELECT {SqlColumns.Subnet} FROM subnets ORDER BY id";

    /// <summary>Every allocation pool row (subnet_id, first_ip, last_ip), by subnet and start, for the same check.</summary>
    public string SelectAllocationPoolsToCheck { get; init; } = "SELECT subnet_id, first_ip, last_ip FROM allocation_pools ORDER BY subnet_id, first_ip";

    /// <summary>
    /// The columns of every allocation row that the service converts (subnet_id, ip, created_at, expires_at), for the same
    /// check; in no particular order, which spares PostgreSQL a sort of the whole table.
    /// </summary>
    public string SelectAllocationsToCheck { get; init; } = "SELECT subnet_id, ip, created_at, expires_at FROM allocations";

    public string CountPoolSubnets { get; init; } = "SELECT count(*) FROM subnets WHERE subnet_pool_id = @pool";

    public string CountScopeSubnetPools { get; init; } = "SELECT count(*) FROM subnet_pools WHERE address_scope_id = @scope";

    public string SelectIdempotencyRecord { get; init; } =
        "SELECT fingerprint, response, created_at FROM idempotency_keys WHERE subnet_id = @subnet AND actor = @actor AND key = @key";

    public string InsertIdempotencyRecord { get; init; } = """
        INSERT INTO idempotency_keys (subnet_id, actor, key, fingerprint, response, created_at)
        VALUES (@subnet, @actor, @key, @fingerprint, @response, @created)
        """;

    public string DeleteIdempotencyRecordsBefore { get; init; } = "DELETE FROM idempotency_keys WHERE created_at < @cutoff";

    public string SelectAddressScope { get; init; } = $"SELECT {SqlColumns.Scope} FROM address_scopes WHERE id = @id";

    public required string SelectAddressScopes { get; init; }

    public string InsertAddressScope { get; init; } =
        "INSERT INTO address_scopes (id, name, ip_version, tenant_id, created_at) VALUES (@id, @name, @version, @tenant, @created)";

    public string DeleteAddressScope { get; init; } = "DELETE FROM address_scopes WHERE id = @id";

    /// <summary>Returns subnet_pool_id, network (the prefix's first address), prefix_length.</summary>
    public string SelectScopePrefixOverlap { get; init; } = """
        SELECT p.subnet_pool_id, p.first_ip AS network, p.prefix_length
        FROM subnet_pool_prefixes p JOIN subnet_pools sp ON sp.id = p.subnet_pool_id
        WHERE sp.address_scope_id = @scope AND p.subnet_pool_id <> @pool
          AND p.first_ip <= @last AND p.last_ip >= @first
        ORDER BY p.first_ip LIMIT 1
        """;

    public string SelectSubnetPool { get; init; } = $"SELECT {SqlColumns.Pool} FROM subnet_pools WHERE id = @id";

    /// <summary>Returns network (the prefix's first address), prefix_length, ascending.</summary>
    public string SelectSubnetPoolPrefixes { get; init; } =
        "SELECT first_ip AS network, prefix_length FROM subnet_pool_prefixes WHERE subnet_pool_id = @pool ORDER BY first_ip";

    public required string SelectSubnetPools { get; init; }

    public string InsertSubnetPool { get; init; } = """
        INSERT INTO subnet_pools (id, name, ip_version, default_prefixlen, min_prefixlen, max_prefixlen, default_quota, address_scope_id, tenant_id, created_at, revision)
        VALUES (@id, @name, @version, @default, @min, @max, @quota, @scope, @tenant, @created, @revision)
        """;

    /// <summary>
    /// Prepared: (pool, cidr, first, last, length): stores a pool's prefixes. Where the dialect binds arrays
    /// (<see cref="SqlDialect.BindsArrays"/>) each parameter is an array with one element per prefix, all stored in one
    /// round trip however many prefixes the pool has; otherwise it is one prefix's value.
    /// </summary>
    public required string InsertSubnetPoolPrefixes { get; init; }

    public string UpdateSubnetPool { get; init; } = """
        UPDATE subnet_pools
        SET name = @name, default_prefixlen = @default, min_prefixlen = @min, max_prefixlen = @max,
            default_quota = @quota, address_scope_id = @scope, revision = @revision
        WHERE id = @id
        """;

    public string DeleteSubnetPoolPrefixes { get; init; } = "DELETE FROM subnet_pool_prefixes WHERE subnet_pool_id = @pool";

    public string DeleteSubnetPool { get; init; } = "DELETE FROM subnet_pools WHERE id = @id";

    public string AdvancePoolSubnets { get; init; } =
        "UPDATE subnet_pools SET subnets_version = subnets_version + 1 WHERE id = @pool RETURNING revision + subnets_version";

    public string SelectPoolSubnetCidrs { get; init; } = "SELECT network, prefix_length FROM subnets WHERE subnet_pool_id = @pool ORDER BY network";

    /// <summary>The pool's subnets whose network is at or after first, ascending, at most limit.</summary>
    public string SelectPoolSubnetCidrsFrom { get; init; } = """
        SELECT network, prefix_length FROM subnets
        WHERE subnet_pool_id = @pool AND network >= @first
        ORDER BY network LIMIT @limit
        """;

    /// <summary>The first subnet of the pool whose network lies in [first, last].</summary>
    public string SelectPoolSubnetStartingInside { get; init; } = """
        SELECT network, prefix_length FROM subnets
        WHERE subnet_pool_id = @pool AND network >= @first AND network <= @last
        ORDER BY network LIMIT 1
        """;

    /// <summary>The last subnet of the pool whose network lies before first.</summary>
    public string SelectPoolSubnetStartingBefore { get; init; } = """
        SELECT network, prefix_length FROM subnets
        WHERE subnet_pool_id = @pool AND network < @first
        ORDER BY network DESC LIMIT 1
        """;

    /// <summary>Returns prefix_length, count for one tenant's subnets of a pool.</summary>
    public string CountPoolSubnetsByPrefixLength { get; init; } =
        "SELECT prefix_length, count(*) AS count FROM subnets WHERE subnet_pool_id = @pool AND tenant_id = @tenant GROUP BY prefix_length";

    /// <summary>The same for the subnets without a tenant.</summary>
    public string CountPoolSubnetsByPrefixLengthWithoutTenant { get; init; } =
        "SELECT prefix_length, count(*) AS count FROM subnets WHERE subnet_pool_id = @pool AND tenant_id IS NULL GROUP BY prefix_length";

    /// <summary>
    /// Prepared: (at, type, actor, tenant, subnet, resource, ip, cidr, reason, held, before, after, key): appends changes of a
    /// committing transaction. Where the dialect binds arrays (<see cref="SqlDialect.BindsArrays"/>) each parameter is
    /// an array with one element per change, appended in array order; otherwise it is one change's value. Where
    /// transactions commit concurrently it first takes a lock held until the commit, so that positions are
    /// handed out in commit order.
    /// </summary>
    public required string AppendChanges { get; init; }

    /// <summary>(after, limit): a page of the log in commit order, every tenant's changes.</summary>
    public required string SelectChanges { get; init; }

    /// <summary>
    /// (after, limit, tenant): a page of one tenant's changes in commit order, read from <c>changes_tenant</c> (migration
    /// 0020): it costs the tenant's changes after the position, however many other tenants made between them.
    /// </summary>
    public required string SelectTenantChanges { get; init; }

    /// <summary>
    /// (after, token): the revocation of the token, if logged after the position (<see cref="ChangeQuery.RevocationOf"/>),
    /// read from <c>changes_token_revocations</c> (migration 0021): a change of no tenant, which a tenant's page does not hold.
    /// </summary>
    public required string SelectTokenRevocation { get; init; }

    /// <summary>Hot: (after, limit); seq, type, at, ip_address, subnet_id of allocation changes in commit order, every subnet's.</summary>
    public required string SelectAllocationChanges { get; init; }

    /// <summary>
    /// Prepared: (subnet, since): the same columns, of the subnet's releases and expiries made at or after since, logged
    /// after the last delete of its id (as <see cref="SelectAllocationEnds"/>).
    /// </summary>
    public required string SelectRecentSubnetAllocationEnds { get; init; }

    public string SelectLastChangeSequence { get; init; } = "SELECT coalesce(max(seq), 0) FROM changes";

    /// <summary>
    /// (count): where the last count changes start: the position of the change before them, read backwards on the key;
    /// no row when the log holds no more than count.
    /// </summary>
    public string SelectTailStart { get; init; } = "SELECT seq FROM changes ORDER BY seq DESC LIMIT 1 OFFSET @count";

    /// <summary>(tenant, count): the same among one tenant's changes, read backwards from <c>changes_tenant</c> (migration 0020).</summary>
    public required string SelectTenantTailStart { get; init; }

    public string SelectSecret { get; init; } = "SELECT value FROM secrets WHERE name = @name";

    /// <summary>A revision the database has never handed out before (see migration 0010).</summary>
    public required string NextRevision { get; init; }

    /// <summary>The server's clock, now (not the transaction's start); null for a database without a clock of its own.</summary>
    public required string? SelectDatabaseTime { get; init; }

    /// <summary>
    /// (cutoff, limit): deletes the oldest changes, up to limit of them, up to the first made at or after cutoff, the
    /// usage fold's position and the last change (kept, so that positions are never handed out twice), and moves
    /// how far the log and each tenant's changes were pruned (migration 0022) to the last it deleted; returns how
    /// many it deleted. Always a run from the start of the log, so every change kept lies after every one deleted.
    /// </summary>
    public required string PruneChangesBefore { get; init; }

    /// <summary>
    /// (tenant): one row, how far the log was pruned (migration 0022: the highest position deleted, or with tenant the
    /// highest of that tenant's changes, at least as far as the pruning before the positions were kept; 0 when none
    /// was) and the position of the last change (as <see cref="SelectLastChangeSequence"/>), from one snapshot.
    /// </summary>
    public required string SelectChangeLogBounds { get; init; }

    /// <summary>
    /// (subnet, ip, before, limit): the address's allocation ends in the subnet logged before seq before, newest first;
    /// only those logged after the last delete of the subnet's id (the log's <c>subnet.deleted</c> changes, indexed by
    /// <c>changes_subnet_deletes</c>, migration 0019). Ids can be chosen by callers, so a subnet may have the id of a
    /// deleted one, of any tenant: none of that one's changes follows its delete, and none of this one's precedes it.
    /// The log's retention drops the oldest changes first, so a delete it has dropped took the earlier subnet's changes
    /// with it.
    /// </summary>
    public required string SelectAllocationEnds { get; init; }

    /// <summary>(ip, at, tenant): the address's allocation ends, in any subnet, of allocations made at or before at and ended after it.</summary>
    public required string SelectAllocationEndsSpanning { get; init; }

    /// <summary>
    /// (networks, version, ip, tenant): the current allocations of ip in the subnets that contain it, by subnet id. networks is a
    /// JSON array of [network key as hex, prefix length] pairs, one per prefix length of the family; returns the allocation
    /// columns with subnet_id and ip_version, then the subnet's network and prefix_length.
    /// </summary>
    public required string SelectAddressHolders { get; init; }

    public string SelectToken { get; init; } = $"SELECT {SqlColumns.Token} FROM tokens WHERE id = @id";

    /// <summary>(after, limit): a page of tokens by id.</summary>
    public required string SelectTokens { get; init; }

    public string InsertToken { get; init; } =
        $"INSERT INTO tokens ({SqlColumns.Token}) VALUES (@id, @name, @role, @tenant, @hash, @created, @expires, NULL, @by)";

    /// <summary>(id, at): sets revoked_at of a token not revoked yet.</summary>
    public string RevokeToken { get; init; } = "UPDATE tokens SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL";

    /// <summary>(owner, subnet, after, limit, tenant): a page of one owner's allocations after (subnet, after), by subnet id and address.</summary>
    public required string ListOwnerAllocations { get; init; }
}
