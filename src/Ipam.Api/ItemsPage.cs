namespace Ipam.Api;

/// <summary>One page of a collection; <see cref="Next"/> is the cursor of the following page, or null.</summary>
public sealed record ItemsPage<T>(IReadOnlyList<T> Items, string? Next);

/// <summary>The result of a bulk request.</summary>
public sealed record ItemsList<T>(IReadOnlyList<T> Items);
