using System.Buffers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Ipam.Api;
using Ipam.Api.Allocations;
using Ipam.Api.Hosting;

namespace Ipam.Benchmarks.Micro;

/// <summary>
/// The allocation request and response bodies through System.Text.Json with the API's own serializer options
/// (snake_case, strict numbers, RFC 3339 UTC times). Responses are written to a reused buffer, as the server
/// writes them to its response pipe, so the figures are what serialization itself allocates.
/// </summary>
/// <remarks>Public and unsealed: BenchmarkDotNet derives its runner from a benchmark class.</remarks>
[MemoryDiagnoser]
public class JsonMappingBenchmarks
{
    private readonly JsonSerializerOptions _options = ApiOptions();
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _writer;
    private readonly byte[] _strategyBody = Encoding.UTF8.GetBytes(
        """{"strategy":"next","owner":"vm-42","description":"web server","expires_at":"2030-01-02T03:04:05Z"}""");
    private readonly byte[] _specificBody = Encoding.UTF8.GetBytes("""{"ip_address":"10.0.0.5","allow_gateway":true,"owner":"router"}""");
    private readonly AllocationDto _allocation = new(
        Guid.Parse("0a0b0c0d-0e0f-4011-8213-141516171819"), "10.0.0.5", "vm-42", "web server",
        new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero), null);
    private readonly ItemsList<AllocationDto> _created;

    public JsonMappingBenchmarks()
    {
        _writer = new Utf8JsonWriter(_buffer);
        _created = new ItemsList<AllocationDto>([_allocation]);
    }

    [Benchmark]
    [AllocationBudget(272, Why = "The body object (96 B), its three strings, and the record of the members read that refuses one given twice (64 B).")]
    public AllocateBody? ReadStrategyRequest() => JsonSerializer.Deserialize<AllocateBody>(_strategyBody, _options);

    [Benchmark]
    [AllocationBudget(240, Why = "The body object (96 B), its two strings, and the record of the members read that refuses one given twice (64 B).")]
    public AllocateBody? ReadSpecificRequest() => JsonSerializer.Deserialize<AllocateBody>(_specificBody, _options);

    [Benchmark]
    [AllocationBudget(72, Why = "The 24-character time string the API's UTC time converter formats.")]
    public int WriteAllocation() => Write(_allocation);

    /// <summary>The body of a 201 answer to an allocation request: the list of allocations made.</summary>
    [Benchmark]
    [AllocationBudget(416, Why = "System.Text.Json's frame stack for a nested value, and the 72 B time string.")]
    public int WriteCreatedResponse() => Write(_created);

    private int Write<T>(T value)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset();
        JsonSerializer.Serialize(_writer, value, _options);
        return _buffer.WrittenCount;
    }

    private static JsonSerializerOptions ApiOptions()
    {
        // The options the API's HTTP JSON starts from (ASP.NET Core's web defaults), then the API's own settings.
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        IpamHost.Configure(options);
        return options;
    }
}
