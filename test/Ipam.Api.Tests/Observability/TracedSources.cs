using Ipam.Storage.Sql;

namespace Ipam.Api.Tests.Observability;

/// <summary>The spans between a client's request and the database commands it causes.</summary>
internal static class TracedSources
{
    public static readonly string[] RequestToStore = [StoreTelemetry.Name, "Microsoft.AspNetCore", "System.Net.Http"];
}
