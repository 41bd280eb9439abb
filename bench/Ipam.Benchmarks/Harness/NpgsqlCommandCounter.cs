using System.Diagnostics.Metrics;

namespace Ipam.Benchmarks.Harness;

/// <summary>
/// Counts the commands Npgsql executes in this process (every instance's, from its metrics: one
/// <c>db.client.operation.duration</c> measurement per command, a batch being one) and the bytes it writes and reads:
/// each command is one round trip to the server. Transaction control (BEGIN travels with the first command; COMMIT and
/// ROLLBACK are one more round trip each) is not counted.
/// </summary>
internal sealed class NpgsqlCommandCounter : IDisposable
{
    private const string Duration = "db.client.operation.duration";
    private const string Written = "db.client.operation.npgsql.bytes_written";
    private const string Read = "db.client.operation.npgsql.bytes_read";

    private readonly MeterListener _listener = new();
    private long _commands;
    private long _commandMicroseconds;
    private long _written;
    private long _read;
    private long _observedWritten;
    private long _observedRead;

    public NpgsqlCommandCounter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Npgsql" && instrument.Name is Duration or Written or Read)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, seconds, _, _) =>
        {
            Count(instrument, 1);
            Interlocked.Add(ref _commandMicroseconds, (long)(seconds * 1e6));
        });
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Count(instrument, value));
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Count(instrument, value));
        _listener.Start();
    }

    /// <summary>Commands executed, bytes written and bytes read so far.</summary>
    public NpgsqlTraffic Totals()
    {
        lock (_listener)
        {
            // Observable counters report each data source's running total whenever asked: sum this asking's reports.
            (_observedWritten, _observedRead) = (0, 0);
            _listener.RecordObservableInstruments();
            return new NpgsqlTraffic(Interlocked.Read(ref _commands), Interlocked.Read(ref _written) + _observedWritten, Interlocked.Read(ref _read) + _observedRead,
                Interlocked.Read(ref _commandMicroseconds) / 1e6);
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Count(Instrument instrument, long value)
    {
        switch (instrument.Name)
        {
            case Duration:
                Interlocked.Increment(ref _commands);
                break;
            case Written when instrument.IsObservable:
                _observedWritten += value;
                break;
            case Read when instrument.IsObservable:
                _observedRead += value;
                break;
            case Written:
                Interlocked.Add(ref _written, value);
                break;
            case Read:
                Interlocked.Add(ref _read, value);
                break;
        }
    }
}
