namespace Ipam.Subnets;

/// <summary>The bounds of a subnet's reuse cooldown.</summary>
public static class ReuseCooldown
{
    /// <summary>Thirty days: longer would keep addresses out of use for longer than history is usually kept.</summary>
    public const int MaxSeconds = 30 * 24 * 3600;

    internal static void Check(int seconds)
    {
        if (seconds is < 0 or > MaxSeconds)
        {
            throw ValidationException.InvalidRequest("reuse_cooldown_seconds",
                $"reuse_cooldown_seconds must be an integer from 0 to {MaxSeconds} (30 days); got {seconds}.");
        }
    }
}
