namespace Ipam.Changes;

/// <summary>The actors that are not a token.</summary>
public static class Actors
{
    /// <summary>A caller of a service that runs without authentication.</summary>
    public const string Anonymous = "anonymous";

    /// <summary>Ipam itself, for changes no caller asked for (reservations that ran out).</summary>
    public const string System = "system";
}
