using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ipam.Api.Tests.Faults;

/// <summary>
/// A TCP proxy in front of PostgreSQL that, once armed, lets the next COMMIT through to the server and then
/// loses the server's answer: it closes the connection instead of passing the reply on. The transaction commits;
/// the client cannot know.
/// </summary>
internal sealed class CommitReplyDropper : IAsyncDisposable
{
    private static readonly byte[] Commit = Encoding.ASCII.GetBytes("COMMIT\0");

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

    /// <summary>Loses the answer to the next COMMIT that any connection sends.</summary>
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
            var commitSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var up = PumpAsync(client.GetStream(), server.GetStream(), chunk =>
            {
                if (chunk.AsSpan().IndexOf(Commit) >= 0 && Interlocked.Exchange(ref _armed, 0) == 1)
                {
                    commitSent.TrySetResult();
                }

                return true;
            });
            var down = PumpAsync(server.GetStream(), client.GetStream(), _ =>
            {
                if (!commitSent.Task.IsCompleted)
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
}
