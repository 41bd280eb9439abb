namespace Ipam.Cli.Client;

/// <summary>Query parameters of a request; parameters without a value are left out.</summary>
internal sealed class Query
{
    private readonly List<KeyValuePair<string, string>> parameters = [];

    public Query With(string name, object? value)
    {
        var copy = new Query();
        copy.parameters.AddRange(parameters.Where(p => p.Key != name));
        if (value is not null)
        {
            copy.parameters.Add(new(name, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!));
        }

        return copy;
    }

    public string AppendTo(string path) => parameters.Count == 0
        ? path
        : path + "?" + string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
}
