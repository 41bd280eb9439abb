namespace Ipam.Cli.Commands;

/// <summary>Building request bodies from options: an option not given leaves its field out.</summary>
internal static class RequestBodies
{
    public static void SetIfGiven(this JsonObject body, string name, JsonNode? value)
    {
        if (value is not null)
        {
            body[name] = value;
        }
    }
}
