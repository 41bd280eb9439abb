using System.Net;

namespace Ipam.Cli.Client;

/// <summary>The server answered with an error; <see cref="Code"/> is the problem's stable <c>code</c>.</summary>
internal sealed class ApiException(string message, HttpStatusCode status, string? code, JsonElement? problem)
    : CliException(message, ExitCodes.Failed)
{
    public HttpStatusCode Status { get; } = status;

    public string? Code { get; } = code;

    /// <summary>The problem details body, when the server sent JSON.</summary>
    public JsonElement? Problem { get; } = problem;

    /// <summary>How long the server asked to wait before asking again (its Retry-After), if it said.</summary>
    public TimeSpan? RetryAfter { get; private set; }

    public static ApiException FromResponse(HttpResponseMessage response, string body)
    {
        var retryAfter = response.Headers.RetryAfter is { } header
            ? header.Delta ?? (header.Date is { } date ? date - DateTimeOffset.UtcNow : null)
            : null;
        var failure = FromResponse(response.StatusCode, response.ReasonPhrase, body);
        failure.RetryAfter = retryAfter;
        return failure;
    }

    public static ApiException FromResponse(HttpStatusCode status, string? reason, string body)
    {
        var problem = TryParse(body);
        var message = problem is { ValueKind: JsonValueKind.Object } json
            ? ProblemMessage.Format(json, status, reason)
            : ProblemMessage.FormatNonProblem(status, reason, body);
        var code = problem is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String
            ? c.GetString()
            : null;
        return new ApiException(message, status, code, problem);
    }

    private static JsonElement? TryParse(string body)
    {
        try
        {
            return JsonSerializer.Deserialize<JsonElement>(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
