using System.Globalization;
using System.Reflection;

namespace Ipam.Storage;

/// <summary>
/// A store's schema migrations: SQL files embedded as <c>Migrations.NNNN_name.sql</c>, returned in version order.
/// </summary>
public static class EmbeddedMigrations
{
    public static IEnumerable<(int Version, string Name, string Sql)> Load(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Migrations.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var name = resource["Migrations.".Length..^".sql".Length];
            var version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return (version, name, reader.ReadToEnd());
        }
    }
}
