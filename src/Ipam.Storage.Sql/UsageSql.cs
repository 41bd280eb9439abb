namespace Ipam.Storage.Sql;

/// <summary>The recount of a subnet's usage from its rows, the same in every dialect, for the statements that set or check the counters.</summary>
internal static class UsageSql
{
    /// <summary>The number of allocations of the subnet named by <paramref name="subnet"/> (a parameter or a column).</summary>
    public static string Allocated(string subnet) => $"(SELECT count(*) FROM allocations a WHERE a.subnet_id = {subnet})";

    /// <summary>The number of those inside the subnet's allocation pools (disjoint, so no address is counted twice).</summary>
    public static string InPools(string subnet) => $"""
        (SELECT count(*) FROM allocation_pools p
         JOIN allocations a ON a.subnet_id = p.subnet_id AND a.ip BETWEEN p.first_ip AND p.last_ip
         WHERE p.subnet_id = {subnet})
        """;

    /// <summary>
    /// Every subnet whose counters differ from the count of its rows. <paramref name="storedAllocated"/> and
    /// <paramref name="storedInPools"/> read the counters of subnet <c>s</c>; NULL (no counter row where the
    /// dialect needs one) differs from every count.
    /// </summary>
    public static string Mismatches(string storedAllocated, string storedInPools) => $"""
        SELECT subnet_id, allocated, in_pools, counted_allocated, counted_in_pools FROM (
            SELECT s.id AS subnet_id, {storedAllocated} AS allocated, {storedInPools} AS in_pools,
                   {Allocated("s.id")} AS counted_allocated, {InPools("s.id")} AS counted_in_pools
            FROM subnets s) checked
        WHERE coalesce(allocated, -1) <> counted_allocated OR coalesce(in_pools, -1) <> counted_in_pools
        ORDER BY subnet_id
        """;
}
