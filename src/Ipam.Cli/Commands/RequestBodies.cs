namespace Ipam.Cli.Commands;

/// <summary>Building request bodies from options: an option not given leaves its field out.</summary>
internal static class RequestBodies
{
    /// <summary>A time as a request sends it: UTC, to the 100 ns the option was given with.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public static void SetIfGiven(this JsonObject body, string name, JsonNode? value)
    {
        if (value is not null)
        {
            body[name] = value;
        }
    }
}
