using System.Data.Common;
using System.Diagnostics;
using System.Net;
using Ipam.Api.Hosting;
using Ipam.Benchmarks.Harness;

namespace Ipam.Benchmarks.Workloads;

/// <summary>
/// Timed GETs against a running server: pairs of requests are interleaved (A, B, A, B, ...) so that both see
/// the same machine, and each side reports its median. Also finds the keyset cursors of deep pages, read from
/// the database before the server starts rather than walked page by page.
/// </summary>
internal sealed class ScaleReads(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress };

    /// <summary>Median seconds of <paramref name="first"/> and of <paramref name="second"/>, after a warm-up of each.</summary>
    public async Task<(double First, double Second)> MedianPairAsync(string first, string second, int samples)
    {
        for (var i = 0; i < Math.Max(20, samples / 10); i++)
        {
            await TimeAsync(first);
            await TimeAsync(second);
        }

        var a = new List<double>(samples);
        var b = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            a.Add(await TimeAsync(first));
            b.Add(await TimeAsync(second));
        }

        return (Stats.Median(a), Stats.Median(b));
    }

    /// <summary>One GET, read to the end; fails unless it answers 200.</summary>
    public async Task<double> TimeAsync(string path)
    {
        var start = Stopwatch.GetTimestamp();
        using var response = await _http.GetAsync(path);
        _ = await response.Content.ReadAsByteArrayAsync();
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}.");
        }

        return elapsed;
    }

    public async Task<string> GetStringAsync(string path) => await _http.GetStringAsync(path);

    /// <summary>
    /// The cursor that asks for page <paramref name="page"/> (from 1) of a list ordered by <paramref name="orderBy"/>:
    /// the key of the last item of the page before it. Null for page 1.
    /// </summary>
    public static string? Cursor(DatabaseLocation database, int page, int limit, string table, string orderBy, string where, Func<DbDataReader, string> key)
    {
        if (page <= 1)
        {
            return null;
        }

        using var connection = ScaleLoader.OpenReader(database);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {orderBy} FROM {table} WHERE {where} ORDER BY {orderBy} LIMIT 1 OFFSET @offset";
        var offset = command.CreateParameter();
        offset.ParameterName = "@offset";
        offset.Value = ((long)(page - 1) * limit) - 1;
        command.Parameters.Add(offset);
        using var reader = command.ExecuteReader();
        return reader.Read() ? key(reader) : throw new InvalidOperationException($"{table} has fewer than {(page - 1) * limit} rows.");
    }

    public void Dispose() => _http.Dispose();
}
