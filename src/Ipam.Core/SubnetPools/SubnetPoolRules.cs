namespace Ipam.SubnetPools;

/// <summary>
/// Neutron's subnet pool rules, in one place: derived prefix lengths, their bounds, prefix merging and quota
/// units. Validation collects every problem, per wire field, before anything is refused.
/// </summary>
internal static class SubnetPoolRules
{
    /// <summary>The quota unit of IPv6 pools: quotas count /64s there, addresses in IPv4.</summary>
    public const int Ipv6QuotaUnitPrefixLength = 64;

    /// <summary>The minimum prefix length when none is given: /8 for IPv4, /64 for IPv6.</summary>
    public static int DefaultMinPrefixLength(IpVersion version) => version == IpVersion.V4 ? 8 : 64;

    /// <summary>
    /// What a prefix of <paramref name="prefixLength"/> counts against a quota: its addresses (IPv4) or its /64s
    /// (IPv6), at least one.
    /// </summary>
    public static UInt128 QuotaUnits(IpVersion version, int prefixLength)
    {
        var unit = version == IpVersion.V4 ? IpFamily.V4.Bits : Ipv6QuotaUnitPrefixLength;
        var shift = unit - prefixLength;
        return shift <= 0 ? UInt128.One : UInt128.One << shift;
    }

    /// <summary>The prefixes as the shortest list of CIDRs covering them (overlapping and adjacent ones compacted).</summary>
    public static IReadOnlyList<Cidr> Merge(IpVersion version, IEnumerable<Cidr> prefixes) =>
        RangeSet.Of(version, prefixes.Select(p => p.Range)).ToCidrs();

    /// <summary>
    /// The effective prefix lengths: min defaults to /8 (IPv4) or /64 (IPv6), max to the family width, default
    /// to min. Records an error unless each lies within the family and min ≤ default ≤ max.
    /// </summary>
    public static (int Min, int Max, int Default) PrefixLengths(
        IpVersion version, int? min, int? max, int? @default, IDictionary<string, List<string>> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var bits = IpFamily.Of(version).Bits;
        var effectiveMin = min ?? DefaultMinPrefixLength(version);
        var effectiveMax = max ?? bits;
        var effectiveDefault = @default ?? effectiveMin;
        var withinFamily = true;
        foreach (var (field, value) in new[] { ("min_prefixlen", min), ("max_prefixlen", max), ("default_prefixlen", @default) })
        {
            if (value is < 0 || value > bits)
            {
                Add(errors, field, $"{field} must be from 0 to {bits} for IPv{(int)version}, not {value}.");
                withinFamily = false;
            }
        }

        if (withinFamily)
        {
            if (effectiveMin > effectiveMax && min is null)
            {
                // The caller set only the maximum: name it, and the default minimum it fell below.
                Add(errors, "max_prefixlen",
                    $"Illegal prefix bounds: max_prefixlen {effectiveMax} is less than the default min_prefixlen {effectiveMin} for IPv{(int)version}; " +
                    $"give a max_prefixlen of at least {effectiveMin}, or set min_prefixlen too (at most {effectiveMax}).");
            }
            else if (effectiveMin > effectiveMax)
            {
                Add(errors, "min_prefixlen", $"Illegal prefix bounds: min_prefixlen {effectiveMin} is greater than max_prefixlen {effectiveMax}.");
            }
            else if (effectiveDefault < effectiveMin || effectiveDefault > effectiveMax)
            {
                Add(errors, "default_prefixlen",
                    $"Illegal prefix bounds: default_prefixlen {effectiveDefault} must lie between min_prefixlen {effectiveMin} and max_prefixlen {effectiveMax}.");
            }
        }

        return (effectiveMin, effectiveMax, effectiveDefault);
    }

    /// <summary>
    /// The IP version shared by <paramref name="prefixes"/> (at least one, one family) and their merged form,
    /// or null with errors recorded under <paramref name="field"/>.
    /// </summary>
    public static (IpVersion Version, IReadOnlyList<Cidr> Merged)? MergedPrefixes(
        IReadOnlyList<Cidr> prefixes, string field, IDictionary<string, List<string>> errors)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        ArgumentNullException.ThrowIfNull(errors);
        if (prefixes.Count == 0)
        {
            Add(errors, field, "A subnet pool needs at least one prefix.");
            return null;
        }

        var version = prefixes[0].Version;
        if (prefixes.Any(p => p.Version != version))
        {
            Add(errors, field, "Prefixes of one subnet pool must all be IPv4 or all IPv6, not a mix.");
            return null;
        }

        if (version == IpVersion.V6 && prefixes.Any(p => p.PrefixLength == 0))
        {
            Add(errors, field, "::/0 cannot be a subnet pool prefix; use ::/1 and 8000::/1 in separate pools.");
            return null;
        }

        try
        {
            return (version, Merge(version, prefixes));
        }
        catch (OverflowException)
        {
            Add(errors, field, "The prefixes cover the whole IPv6 address space, which a subnet pool cannot hold.");
            return null;
        }
    }

    /// <summary>Records an error unless the quota is null or not negative.</summary>
    public static void CheckQuota(long? quota, IDictionary<string, List<string>> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (quota is < 0)
        {
            Add(errors, "default_quota", $"default_quota must not be negative, not {quota}.");
        }
    }

    /// <summary>Throws one <c>invalid-request</c> carrying every recorded error, if any.</summary>
    public static void ThrowIfAny(IDictionary<string, List<string>> errors, string title = "The subnet pool is invalid.")
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count > 0)
        {
            throw new ValidationException(ErrorCodes.InvalidRequest, title, errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }
    }

    public static void Add(IDictionary<string, List<string>> errors, string field, string message)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }

        list.Add(message);
    }
}
