using System.Net;
using Ipam.Cli.Client;

namespace Ipam.Cli.Tests.Client;

public sealed class ProblemMessageTests
{
    [Fact]
    public void Code_detail_and_context_fields_make_one_line()
    {
        const string body = """
            {"type":"x","title":"Allocation pool exhausted.","status":409,
             "detail":"1 address was requested,\nbut all 13 addresses are allocated.",
             "code":"pool-exhausted","subnet_id":"s1","requested":1,"free":0,"pool_size":13,"trace_id":"00-abc"}
            """;

        var e = ApiException.FromResponse(HttpStatusCode.Conflict, "Conflict", body);

        Assert.Equal(
            "pool-exhausted: 1 address was requested, but all 13 addresses are allocated. (subnet_id=s1 requested=1 free=0 pool_size=13)",
            e.Message);
        Assert.Equal("pool-exhausted", e.Code);
        Assert.Equal(ExitCodes.Failed, e.ExitCode);
    }

    [Fact]
    public void Field_errors_that_add_to_the_detail_are_listed()
    {
        const string body = """
            {"title":"Invalid pools.","status":400,"detail":"The allocation pools are invalid.","code":"invalid-allocation-pools",
             "errors":{"allocation_pools[0]":["Pool 10.0.0.9-10.0.0.2 starts after it ends."],"x":["The allocation pools are invalid."]}}
            """;

        var e = ApiException.FromResponse(HttpStatusCode.BadRequest, "Bad Request", body);

        Assert.Equal("invalid-allocation-pools: The allocation pools are invalid.; allocation_pools[0]: Pool 10.0.0.9-10.0.0.2 starts after it ends.", e.Message);
    }

    [Fact]
    public void A_response_without_problem_details_names_the_status()
    {
        var html = ApiException.FromResponse(HttpStatusCode.BadGateway, "Bad Gateway", "<html>\n<body>proxy error</body></html>");
        var empty = ApiException.FromResponse(HttpStatusCode.NotFound, "Not Found", "");

        Assert.Equal("HTTP 502 Bad Gateway: <html> <body>proxy error</body></html>", html.Message);
        Assert.Equal("HTTP 404 Not Found (no problem details in the response)", empty.Message);
        Assert.Null(empty.Code);
    }
}
