using System.Text;

namespace Ipam.Api.Tests.Fuzz;

/// <summary>One generated request; <see cref="Body"/> is raw bytes, so it may be anything but valid JSON or UTF-8.</summary>
internal sealed record FuzzRequest(string Method, string Path, string? ContentType, byte[]? Body, IReadOnlyList<(string Name, string Value)> Headers)
{
    /// <summary>The request with the world's ids in place of the <c>{subnet}</c>, <c>{pool}</c> and <c>{scope}</c> placeholders.</summary>
    public HttpRequestMessage ToMessage(FuzzWorld world)
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), world.Fill(Path));
        if (Body is not null)
        {
            var body = world.Fill(Body);
            message.Content = new ByteArrayContent(body);

            // A server that refuses a large body answers before reading it: asked first, it answers instead of
            // resetting a connection the client is still writing to.
            message.Headers.ExpectContinue = body.Length > 65_536;
            message.Content.Headers.ContentType = null;
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return message;
    }

    /// <summary>What a failure report shows: the request line, headers and the start of the body.</summary>
    public override string ToString()
    {
        var body = Body is null ? "" : Encoding.UTF8.GetString(Body);
        var shown = body.Length > 400 ? body[..400] + $"... ({Body!.Length} bytes)" : body;
        return $"{Method} {(Path.Length > 300 ? Path[..300] + "..." : Path)} [{ContentType}] {string.Join(' ', Headers.Select(h => $"{h.Name}: {h.Value}"))} {shown}";
    }
}
