namespace Ipam.Errors;

/// <summary>
/// What a subnet's reuse cooldown holds back at a refusal: <paramref name="Count"/> free addresses, the first of
/// them due back at <paramref name="FirstEndsAt"/> (null when none is cooling).
/// </summary>
public sealed record CooldownHold(int Count, DateTimeOffset? FirstEndsAt);
