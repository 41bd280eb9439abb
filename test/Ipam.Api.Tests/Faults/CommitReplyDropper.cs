using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Ipam.Api.Tests.Faults;

/// <summary>
/// A TCP proxy in front of PostgreSQL that, once armed, loses the server's answer to the next commit: it closes
/// the connection instead of passing that answer on. The transaction commits; the client cannot know. The
/// answer is told by the server's messages, not the client's (a prepared COMMIT is sent without its text):
/// the ReadyForQuery that follows a COMMIT's completion.
/// </summary>
internal sealed class CommitReplyDropper : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _armed;

    private CommitReplyDropper(int target)
    {
        _target = target;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many COMMIT answers were lost so far.</summary>
    public int Dropped { get; private set; }

    public static CommitReplyDropper Start(int targetPort) => new(targetPort);

    /// <summary>Loses the answer to the next commit on any connection.</summary>
    public void DropNextCommitReply() => Volatile.Write(ref _armed, 1);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var server = new TcpClient();
            await server.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
            _ = RelayAsync(client, server);
        }
    }

    private async Task RelayAsync(TcpClient client, TcpClient server)
    {
        using (client)
        using (server)
        {
            var replies = new ServerMessages();
            var up = PumpAsync(client.GetStream(), server.GetStream(), _ => true);
            var down = PumpAsync(server.GetStream(), client.GetStream(), chunk =>
            {
                if (!replies.EndsATransaction(chunk) || Interlocked.Exchange(ref _armed, 0) == 0)
                {
                    return true;
                }

                Dropped++;
                return false;
            });
            await Task.WhenAny(up, down);
        }
    }

    /// <summary>Copies chunks until either side closes or <paramref name="pass"/> refuses one (which closes both).</summary>
    private async Task PumpAsync(NetworkStream from, NetworkStream to, Func<byte[], bool> pass)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, _stop.Token);
                if (read == 0 || !pass(buffer[..read]))
                {
                    return;
                }

                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The other side closed.
        }
    }

    /// <summary>
    /// Follows the server's messages on one connection (a type byte, then a big-endian length that counts itself): a
    /// commit's answer is the ReadyForQuery (<c>Z</c>) after a CommandComplete (<c>C</c>) whose tag is <c>COMMIT</c>.
    /// The transaction status ReadyForQuery reports does not tell it: a transaction whose <c>BEGIN</c> and <c>COMMIT</c>
    /// go in one batch is reported idle before and after.
    /// </summary>
    private sealed class ServerMessages
    {
        private static readonly byte[] CommitTag = "COMMIT\0"u8.ToArray();

        private readonly byte[] _header = new byte[5];
        private readonly byte[] _tag = new byte[CommitTag.Length];
        private int _headerRead;
        private int _bodyLeft;
        private int _tagRead;
        private bool _started;
        private bool _committed;

        /// <summary>Whether <paramref name="chunk"/> holds the ReadyForQuery that follows a COMMIT's completion: the answer to a commit.</summary>
        public bool EndsATransaction(ReadOnlySpan<byte> chunk)
        {
            var ended = false;
            var i = 0;
            while (i < chunk.Length)
            {
                // Before the first message the server may answer an SSL or GSS encryption request with one byte, N.
                if (!_started)
                {
                    if (chunk[i] == (byte)'N')
                    {
                        i++;
                        continue;
                    }

                    _started = true;
                }

                if (_headerRead < _header.Length)
                {
                    _header[_headerRead++] = chunk[i++];
                    if (_headerRead == _header.Length)
                    {
                        _bodyLeft = BinaryPrimitives.ReadInt32BigEndian(_header.AsSpan(1)) - 4;
                        _tagRead = 0;
                        if (_header[0] == (byte)'Z')
                        {
                            ended |= _committed;
                            _committed = false;
                        }

                        _headerRead = _bodyLeft == 0 ? 0 : _headerRead;
                    }

                    continue;
                }

                var taken = Math.Min(_bodyLeft, chunk.Length - i);
                if (_header[0] == (byte)'C' && _bodyLeft == CommitTag.Length - _tagRead)
                {
                    var copied = Math.Min(taken, CommitTag.Length - _tagRead);
                    chunk.Slice(i, copied).CopyTo(_tag.AsSpan(_tagRead));
                    _tagRead += copied;
                    _committed |= _tagRead == CommitTag.Length && _tag.AsSpan().SequenceEqual(CommitTag);
                }

                i += taken;
                _bodyLeft -= taken;
                if (_bodyLeft == 0)
                {
                    _headerRead = 0;
                }
            }

            return ended;
        }
    }
}
