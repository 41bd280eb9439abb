using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Ipam.Testing;

/// <summary>
/// A loopback TCP proxy in front of a PostgreSQL server that counts the protocol messages each side sends, by their
/// type byte ('Q' a simple query, 'S' a Sync, 'Z' ReadyForQuery, ...), so that a test can tell what a piece of work
/// sent and how often the server answered it. Clients must connect without TLS or GSS encryption
/// (<see cref="ConnectionStringFor"/>), which would make the stream opaque.
/// </summary>
public sealed class PostgresWireCounter : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<char, int> _fromClients = new();
    private readonly ConcurrentDictionary<char, int> _fromServer = new();
    private readonly ConcurrentQueue<string> _sequence = new();
    private readonly ConcurrentBag<Task> _pumps = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly string _serverHost;
    private readonly int _serverPort;
    private readonly Task _accepting;
    private int _connections;

    private PostgresWireCounter(string serverHost, int serverPort)
    {
        _serverHost = serverHost;
        _serverPort = serverPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>Starts a proxy in front of the server of <paramref name="connectionString"/>.</summary>
    public static PostgresWireCounter Start(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        return new PostgresWireCounter(builder.Host ?? "127.0.0.1", builder.Port);
    }

    /// <summary><paramref name="connectionString"/> pointed at this proxy, in the clear.</summary>
    public string ConnectionStringFor(string connectionString) => new Npgsql.NpgsqlConnectionStringBuilder(connectionString)
    {
        Host = "127.0.0.1",
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port,
        SslMode = Npgsql.SslMode.Disable,
        GssEncryptionMode = Npgsql.GssEncryptionMode.Disable,
    }.ToString();

    /// <summary>Messages of <paramref name="type"/> the clients sent since the last <see cref="Reset"/>.</summary>
    public int FromClients(char type) => _fromClients.GetValueOrDefault(type);

    /// <summary>Messages of <paramref name="type"/> the server sent since the last <see cref="Reset"/>.</summary>
    public int FromServer(char type) => _fromServer.GetValueOrDefault(type);

    /// <summary>Every message the clients sent since the last <see cref="Reset"/>.</summary>
    public int AllFromClients => _fromClients.Values.Sum();

    /// <summary>The counts, and every message in order as connection and type ("c1:Q" the first connection's client sent a simple query, "s1:Z" its server answered ReadyForQuery).</summary>
    public override string ToString() =>
        $"client {string.Join(" ", _fromClients.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"))}; server {string.Join(" ", _fromServer.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"))} {string.Join(",", _sequence)}";



    public void Reset()
    {
        _sequence.Clear();
        _fromClients.Clear();
        _fromServer.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await Task.WhenAll([.. _pumps, _accepting]).ContinueWith(static _ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _pumps.Add(ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            client.NoDelay = true;
            server.NoDelay = true;
            await server.ConnectAsync(_serverHost, _serverPort, _stop.Token);
            var id = Interlocked.Increment(ref _connections);
            var toServer = PumpAsync(client.GetStream(), server.GetStream(), new MessageTally(_fromClients, _sequence, $"c{id}", startsWithUntypedMessage: true));
            var toClient = PumpAsync(server.GetStream(), client.GetStream(), new MessageTally(_fromServer, _sequence, $"s{id}", startsWithUntypedMessage: false));
            await Task.WhenAny(toServer, toClient);
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, MessageTally tally)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                tally.Feed(buffer.AsSpan(0, read));
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Either side went away.
        }
    }

    /// <summary>Splits one direction's bytes into messages: a type byte and a length that counts itself, after a startup message with no type byte.</summary>
    private sealed class MessageTally(ConcurrentDictionary<char, int> counts, ConcurrentQueue<string> sequence, string side, bool startsWithUntypedMessage)
    {
        private readonly byte[] _header = new byte[5];
        private bool _untyped = startsWithUntypedMessage;
        private int _headerFilled;
        private long _bodyLeft;

        public void Feed(ReadOnlySpan<byte> bytes)
        {
            while (!bytes.IsEmpty)
            {
                if (_bodyLeft > 0)
                {
                    var skipped = (int)Math.Min(_bodyLeft, bytes.Length);
                    _bodyLeft -= skipped;
                    bytes = bytes[skipped..];
                    continue;
                }

                var headerLength = _untyped ? 4 : 5;
                var taken = Math.Min(headerLength - _headerFilled, bytes.Length);
                bytes[..taken].CopyTo(_header.AsSpan(_headerFilled));
                _headerFilled += taken;
                bytes = bytes[taken..];
                if (_headerFilled < headerLength)
                {
                    return;
                }

                var length = BinaryPrimitives.ReadInt32BigEndian(_header.AsSpan(_untyped ? 0 : 1, 4));
                if (!_untyped)
                {
                    counts.AddOrUpdate((char)_header[0], 1, static (_, n) => n + 1);
                    sequence.Enqueue($"{side}:{(char)_header[0]}");
                }

                _untyped = false;
                _headerFilled = 0;
                _bodyLeft = length - 4;
            }
        }
    }
}
