using System.Buffers;
using System.Text;
using Ipam.Import;

namespace Ipam.Cli.Commands;

/// <summary>Writes the export document as pages arrive: the buffer is handed to the output whenever it fills.</summary>
internal static class JsonExport
{
    private const int FlushBytes = 64 * 1024;

    public static async Task<int> WriteAsync(ApiClient api, TextWriter output, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(FlushBytes * 2);
        var items = 0;
        var run = new ExportRun();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("format", ImportDocument.FormatName);
            writer.WriteNumber("version", ImportDocument.CurrentVersion);
            foreach (var section in ExportSection.All)
            {
                writer.WriteStartArray(section.Name);
                await foreach (var item in section.Items(api, run, cancellationToken))
                {
                    WriteItem(writer, section.Fields, item);
                    items++;
                    if (writer.BytesPending + buffer.WrittenCount >= FlushBytes)
                    {
                        await FlushAsync(writer, buffer, output, cancellationToken);
                    }
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
            await FlushAsync(writer, buffer, output, cancellationToken);
        }

        await output.WriteLineAsync();
        await output.FlushAsync(cancellationToken);
        return items;
    }

    private static void WriteItem(Utf8JsonWriter writer, string[] fields, JsonElement item)
    {
        writer.WriteStartObject();
        foreach (var field in fields)
        {
            writer.WritePropertyName(field);
            var value = ExportSection.Field(item, field);
            if (value.ValueKind == JsonValueKind.Undefined)
            {
                writer.WriteNullValue();
            }
            else
            {
                value.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>The writer flushes whole tokens only, so a multi-byte character is never split between two writes.</summary>
    private static async Task FlushAsync(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer, TextWriter output, CancellationToken cancellationToken)
    {
        writer.Flush();
        await output.WriteAsync(Encoding.UTF8.GetString(buffer.WrittenSpan).AsMemory(), cancellationToken);
        buffer.ResetWrittenCount();
    }
}
