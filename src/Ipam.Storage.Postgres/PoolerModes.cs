namespace Ipam.Storage.Postgres;

/// <summary>Reads the <c>pooler</c> URL parameter and sets the Npgsql settings that each <see cref="PoolerMode"/> needs.</summary>
internal static class PoolerModes
{
    public static bool TryParse(string value, out PoolerMode mode)
    {
        mode = PoolerMode.None;
        switch (value.ToLowerInvariant())
        {
            case "transaction":
                mode = PoolerMode.Transaction;
                return true;
            case "session" or "none" or "":
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Behind a transaction pooler, nothing may outlive a transaction on the server connection. Npgsql's automatic
    /// preparation keeps named statements on the server connection that prepared them, which the next transaction
    /// may not get ("prepared statement "_auto0" does not exist"), so it is off; and the DISCARD ALL that Npgsql
    /// sends when a pooled connection is reused would only cost a round trip (there is no session state to reset)
    /// and run on whichever server connection the pooler picks, so it is off too. Overrides what the URL said.
    /// </summary>
    public static void Apply(PoolerMode mode, NpgsqlConnectionStringBuilder builder)
    {
        if (mode == PoolerMode.Transaction)
        {
            builder.MaxAutoPrepare = 0;
            builder.NoResetOnClose = true;
        }
    }
}
