using System.Diagnostics;
using System.Text.Json;
using CsCheck;

namespace Ipam.Api.Tests.Fuzz;

/// <summary>
/// Sends generated requests one at a time and checks each answer: never a 5xx; a 4xx is a problem document
/// (<c>application/problem+json</c> with the status, a title and a code) and leaves every row as it was.
/// </summary>
internal sealed class FuzzRun(HttpClient client, FuzzWorld world, StateProbe probe)
{
    /// <summary>How many requests run between resets of the world.</summary>
    private const int ResetEvery = 100;

    private const int MaxReported = 25;

    private readonly List<string> _failures = [];
    private readonly HashSet<string> _kinds = [];
    private readonly SortedDictionary<int, int> _statuses = [];

    public IReadOnlyList<string> Failures => _failures;

    public int ServerErrors { get; private set; }

    public async Task<TimeSpan> RunAsync(int requests, ulong seed)
    {
        var random = new PCG(1, seed);
        var watch = Stopwatch.StartNew();
        var before = "";
        for (var i = 0; i < requests; i++)
        {
            if (i % ResetEvery == 0 || world.Broken)
            {
                await world.ResetAsync();
                before = await probe.CaptureAsync();
            }

            var request = FuzzEndpoints.Request.Generate(random, null, out _);
            var (status, problem) = await SendAsync(request);
            var after = await probe.CaptureAsync();
            _statuses[status] = _statuses.GetValueOrDefault(status) + 1;
            if (status >= 500)
            {
                ServerErrors++;
                Fail(request, status, "server error", problem);
            }
            else if (status >= 400)
            {
                if (request.Method != "HEAD" && ProblemDefect(status, problem) is { } defect)
                {
                    Fail(request, status, defect, problem);
                }

                if (!Unchanged(before, after, RemembersItsKey(request, status, problem)))
                {
                    Fail(request, status, "state changed", Difference(before, after));
                }
            }
            else if (request.Method == "DELETE")
            {
                world.Broken = true;
            }

            before = after;
        }

        return watch.Elapsed;
    }

    public string Summary(int requests, ulong seed, TimeSpan elapsed) =>
        $"{requests} requests (seed {seed}) in {elapsed.TotalSeconds:F0} s; 5xx: {ServerErrors}; statuses: " +
        string.Join(", ", _statuses.Select(s => $"{s.Key}×{s.Value}"));

    private async Task<(int Status, string? Body)> SendAsync(FuzzRequest request)
    {
        using var message = request.ToMessage(world);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await client.SendAsync(message, timeout.Token);
        var type = response.Content.Headers.ContentType;
        var body = await response.Content.ReadAsStringAsync(timeout.Token);
        return ((int)response.StatusCode, type?.MediaType == "application/problem+json" ? body : $"[{type}] {body}");
    }

    /// <summary>What is wrong with a 4xx answer's body, or null when it is a proper problem document.</summary>
    private static string? ProblemDefect(int status, string? body)
    {
        if (body is null || body.StartsWith('['))
        {
            return "not a problem document";
        }

        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        return root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number && s.GetInt32() == status
            && root.TryGetProperty("title", out var t) && !string.IsNullOrWhiteSpace(t.GetString())
            && root.TryGetProperty("code", out var c) && !string.IsNullOrWhiteSpace(c.GetString())
            ? null
            : "problem document without status, title or code";
    }

    private void Fail(FuzzRequest request, int status, string what, string? detail)
    {
        // One report per kind of failure and request shape, so that a recurring defect does not hide the others.
        var kind = $"{status} {what} {request.Method} {string.Join('/', request.Path.Split('?')[0].Split('/').Take(4))}";
        if (_kinds.Add(kind) && _failures.Count < MaxReported)
        {
            var shown = detail is { Length: > 600 } ? detail[..600] + "..." : detail;
            _failures.Add($"{kind}\n  request: {request}\n  answer: {shown}");
        }
    }

    /// <summary>
    /// A release refused as allocation-not-found under an Idempotency-Key is remembered (docs/api.md, "Idempotency
    /// keys"), so that a retry answers 404 again instead of releasing whoever holds the address by then: the one
    /// refusal that writes, and only its key.
    /// </summary>
    private static bool RemembersItsKey(FuzzRequest request, int status, string? problem) =>
        request.Method == "DELETE" && status == 404
        && request.Headers.Any(h => h.Name.Equals("Idempotency-Key", StringComparison.OrdinalIgnoreCase))
        && problem is not null && problem.Contains("\"code\":\"allocation-not-found\"", StringComparison.Ordinal);

    private static bool Unchanged(string before, string after, bool keysMayChange) =>
        keysMayChange ? WithoutKeys(before) == WithoutKeys(after) : before == after;

    private static string WithoutKeys(string state) =>
        string.Join('\n', state.Split('\n').Where(line => !line.StartsWith("idempotency_keys:", StringComparison.Ordinal)));

    private static string Difference(string before, string after)
    {
        var old = before.Split('\n');
        var now = after.Split('\n');
        return string.Join("\n", now.Where((line, i) => i >= old.Length || old[i] != line).Select(l => l.Length > 300 ? l[..300] : l));
    }
}
