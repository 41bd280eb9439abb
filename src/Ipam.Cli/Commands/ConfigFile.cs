namespace Ipam.Cli.Commands;

/// <summary>
/// The settings file of <c>ipam serve --config</c>: one JSON object whose keys are option names without the dashes and
/// whose values are strings, numbers, or (for lists such as <c>urls</c>) arrays of strings, joined with ';'.
/// </summary>
internal static class ConfigFile
{
    public static Dictionary<string, string> Read(string path, IEnumerable<string> keys)
    {
        var known = keys.ToHashSet(StringComparer.Ordinal);
        if (Directory.Exists(path))
        {
            throw new UsageException($"cannot read the config file {path}: it is a directory");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the config file {path}: {e.Message}");
        }
        catch (JsonException e)
        {
            throw new UsageException($"cannot read the config file {path}: it is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new UsageException($"the config file {path} must hold one JSON object, e.g. {{\"database\": \"sqlite:./ipam.db\"}}.");
            }

            var settings = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!known.Contains(property.Name))
                {
                    throw new UsageException($"{path}: unknown setting \"{property.Name}\"; the settings are {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
                }

                if (settings.ContainsKey(property.Name))
                {
                    throw new UsageException($"{path}: \"{property.Name}\" is given more than once; give each setting once.");
                }

                settings[property.Name] = TextOf(property.Value) ?? throw new UsageException(
                    $"{path}: \"{property.Name}\" must be a string, a number or an array of strings.");
            }

            return settings;
        }
    }

    private static string? TextOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Array when value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) =>
            string.Join(';', value.EnumerateArray().Select(e => e.GetString())),
        _ => null,
    };
}
