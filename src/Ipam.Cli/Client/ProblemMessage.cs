using System.Net;
using System.Text;

namespace Ipam.Cli.Client;

/// <summary>
/// Turns RFC 9457 problem details into one line:
/// <c>pool-exhausted: 1 address was requested, ... (subnet_id=... requested=1 free=0 pool_size=13)</c>.
/// </summary>
internal static class ProblemMessage
{
    /// <summary>Standard members, or members shown another way, that are not context fields.</summary>
    private static readonly HashSet<string> NotContext = new(StringComparer.Ordinal)
    {
        "type", "title", "status", "detail", "instance", "code", "errors", "traceId", "trace_id",
    };

    public static string Format(JsonElement problem, HttpStatusCode status, string? reason)
    {
        var code = Text(problem, "code");
        var detail = Text(problem, "detail") ?? Text(problem, "title") ?? reason ?? "the request failed";
        var message = new StringBuilder(code ?? $"HTTP {(int)status} {reason}".TrimEnd());
        var errors = FieldErrors(problem).ToList();
        // A detail that repeats its one field's error without naming the field ("'zzz' is not a valid IP address.")
        // would not say which input was wrong. Only a plain name (a query parameter such as cursor): a path into a
        // document (allocations[3].ip_address) means nothing to a command that built the document itself.
        if (errors is [var only] && only.Message == detail && only.Field.All(c => char.IsAsciiLetterLower(c) || c == '_')
            && !detail.Contains(only.Field, StringComparison.Ordinal))
        {
            message.Append(": ").Append(only.Field);
        }

        message.Append(": ").Append(Messages.OneLine(detail));

        foreach (var (field, error) in errors.Where(e => e.Message != detail))
        {
            message.Append("; ").Append(field).Append(": ").Append(Messages.OneLine(error));
        }

        var context = problem.EnumerateObject()
            .Where(p => !NotContext.Contains(p.Name) && p.Value.ValueKind != JsonValueKind.Null)
            .Select(p => $"{p.Name}={Value(p.Value)}")
            .ToList();
        if (context.Count > 0)
        {
            message.Append(" (").AppendJoin(' ', context).Append(')');
        }

        return message.ToString();
    }

    public static string FormatNonProblem(HttpStatusCode status, string? reason, string body)
    {
        var line = Messages.OneLine(body);
        if (line.Length > 200)
        {
            line = line[..200] + "...";
        }

        var head = $"HTTP {(int)status} {reason}".TrimEnd();
        return line.Length == 0 ? $"{head} (no problem details in the response)" : $"{head}: {line}";
    }

    private static IEnumerable<(string Field, string Message)> FieldErrors(JsonElement problem)
    {
        if (!problem.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        foreach (var field in errors.EnumerateObject())
        {
            var messages = field.Value.ValueKind == JsonValueKind.Array ? field.Value.EnumerateArray() : default;
            foreach (var message in messages.Where(m => m.ValueKind == JsonValueKind.String))
            {
                yield return (field.Name, message.GetString()!);
            }
        }
    }

    private static string? Text(JsonElement problem, string name) =>
        problem.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Messages.OneLine(value.GetString()!),
        JsonValueKind.Array => string.Join(',', value.EnumerateArray().Select(Value)),
        _ => value.GetRawText(),
    };
}
