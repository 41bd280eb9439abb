using Ipam.Api.Subnets;

namespace Ipam.Cli.Commands;

/// <summary><c>ipam usage SUBNET_ID</c>.</summary>
internal static class UsageCommand
{
    public static Command Create(ClientOptions client) => ResourceKind.Subnet.ByIdCommand(
        client,
        "usage",
        "Show how full a subnet's allocation pools are: total, allocated, free, outside the pools, percent used.",
        ["ipam usage 0f8c2a3e-5b1d-4c6e-9a7f-2d3b4c5e6f70"],
        async (context, _, id, cancellationToken) =>
        {
            var response = await context.Api.GetAsync(Paths.Subnet(id), cancellationToken);
            if (context.Json)
            {
                context.Terminal.WriteJson(response.TryGetProperty("usage", out var usage) ? usage : response);
            }
            else
            {
                context.Terminal.Write(SubnetViews.Usage(ApiClient.Read<SubnetDto>(response).Usage));
            }
        },
        argumentName: "SUBNET_ID",
        jsonDescription: "Print the subnet's usage object, as in the API's subnet, instead of a table.");
}
