namespace Ipam.Storage.Sql;

/// <summary>
/// Subnet usage in SQL, the same in every dialect. A subnet's usage is its counters (subnet_usage) plus the net
/// of the change log's allocation changes that the counters do not count yet: those past the fold's position
/// (usage_fold) and past the subnet's own counted_through (see migration 0012 and <see cref="IIpamSession.FoldUsageAsync"/>).
/// </summary>
internal static class UsageSql
{
    /// <summary>The last change folded into the counters.</summary>
    public const string FoldPosition = "(SELECT position FROM usage_fold)";

    /// <summary>+1 for an allocation created, −1 for one released or expired (change row <c>c</c>).</summary>
    private const string Sign = "CASE c.type WHEN 'allocation.created' THEN 1 ELSE -1 END";

    /// <summary>The number of allocations of the subnet named by <paramref name="subnet"/> (a parameter or a column).</summary>
    public static string Allocated(string subnet) => $"(SELECT count(*) FROM allocations a WHERE a.subnet_id = {subnet})";

    /// <summary>The number of those inside the subnet's allocation pools (disjoint, so no address is counted twice).</summary>
    public static string InPools(string subnet) => $"""
        (SELECT count(*) FROM allocation_pools p
         JOIN allocations a ON a.subnet_id = p.subnet_id AND a.ip BETWEEN p.first_ip AND p.last_ip
         WHERE p.subnet_id = {subnet})
        """;

    /// <summary>
    /// Whether address <paramref name="ip"/> lies inside the pools of <paramref name="subnet"/>; NULL when no pool
    /// starts at or below it. Pools are disjoint: it is inside when the last pool starting at or below it reaches it.
    /// </summary>
    public static string InsidePools(string subnet, string ip) => $"""
        (SELECT p.last_ip >= {ip} FROM allocation_pools p
         WHERE p.subnet_id = {subnet} AND p.first_ip <= {ip}
         ORDER BY p.first_ip DESC LIMIT 1)
        """;

    /// <summary>
    /// Per subnet, the net of the allocation changes after <paramref name="after"/> (and at or below
    /// <paramref name="upTo"/>, when given; of subnet <paramref name="subnet"/> alone, when given) that its counters
    /// do not count yet, against its pools as they are: columns subnet_id, last_seq, allocated, in_pools. A change
    /// past a subnet's counted_through came after its last recount, so after its last pool change: the pools are
    /// the ones it was made under. Reads the log by position from <paramref name="after"/>.
    /// </summary>
    public static string Net(string after, string? upTo = null, string? subnet = null) => $"""
        SELECT c.subnet_id, max(c.seq) AS last_seq, CAST(sum({Sign}) AS bigint) AS allocated,
               CAST(coalesce(sum({Sign}) FILTER (WHERE {InsidePools("c.subnet_id", "c.ip")}), 0) AS bigint) AS in_pools
        FROM changes c JOIN subnet_usage cu ON cu.subnet_id = c.subnet_id
        WHERE c.seq > {after}{(upTo is null ? "" : $" AND c.seq <= {upTo}")}{(subnet is null ? "" : $" AND c.subnet_id = {subnet}")}
          AND c.seq > cu.counted_through
          AND c.type IN ('allocation.created', 'allocation.released', 'allocation.expired')
        GROUP BY c.subnet_id
        """;

    /// <summary>The usage of subnet <paramref name="subnet"/>: its counters plus the net of the log past them; one row, zeros for a subnet without counters.</summary>
    public static string Usage(string subnet) => $"""
        SELECT CAST(coalesce(u.allocated, 0) + coalesce(t.allocated, 0) AS bigint),
               CAST(coalesce(u.in_pools, 0) + coalesce(t.in_pools, 0) AS bigint)
        FROM usage_fold f
        LEFT JOIN subnet_usage u ON u.subnet_id = {subnet}
        LEFT JOIN ({Net(FoldPosition, subnet: subnet)}) t ON t.subnet_id = u.subnet_id
        """;

    /// <summary>
    /// The usage of each subnet whose id <paramref name="ids"/> (a query of one column) returns, as <see cref="Usage"/>
    /// gives it, the log past the fold read once for all of them: columns subnet_id, allocated, in_pools. A subnet
    /// without counters has no row.
    /// </summary>
    public static string UsageOfSubnets(string ids) => $"""
        SELECT u.subnet_id, CAST(u.allocated + coalesce(t.allocated, 0) AS bigint) AS allocated,
               CAST(u.in_pools + coalesce(t.in_pools, 0) AS bigint) AS in_pools
        FROM subnet_usage u
        LEFT JOIN ({Net(FoldPosition)}) t ON t.subnet_id = u.subnet_id
        WHERE u.subnet_id IN ({ids})
        """;

    /// <summary>
    /// Every subnet whose usage (counters plus the log past them) differs from the count of its rows; a subnet
    /// without a counter row differs from every count.
    /// </summary>
    public static string Mismatches => $"""
        SELECT subnet_id, allocated, in_pools, counted_allocated, counted_in_pools FROM (
            SELECT s.id AS subnet_id, u.allocated + coalesce(t.allocated, 0) AS allocated, u.in_pools + coalesce(t.in_pools, 0) AS in_pools,
                   {Allocated("s.id")} AS counted_allocated, {InPools("s.id")} AS counted_in_pools
            FROM subnets s
            LEFT JOIN subnet_usage u ON u.subnet_id = s.id
            LEFT JOIN ({Net(FoldPosition)}) t ON t.subnet_id = s.id) checked
        WHERE coalesce(allocated, -1) <> counted_allocated OR coalesce(in_pools, -1) <> counted_in_pools
        ORDER BY subnet_id
        """;

    /// <summary>The first <paramref name="limit"/> changes after <paramref name="after"/>: the batch one fold takes.</summary>
    public static string FoldBatch(string after, string limit) => $"(SELECT seq FROM changes WHERE seq > {after} ORDER BY seq LIMIT {limit})";

    /// <summary>How far the log runs past the fold (an upper bound of the changes not folded yet).</summary>
    public const string FoldLag = $"SELECT CAST(coalesce((SELECT max(seq) FROM changes), 0) - {FoldPosition} AS bigint)";
}
