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

    /// <summary>
    /// Refuses a database that a newer Ipam has migrated: this one would write rows the newer schema no longer
    /// expects (a dropped table, a new constraint or counter it does not keep), so it must not serve it.
    /// </summary>
    public static void ThrowIfNewer(IEnumerable<int> applied, Assembly assembly, string database)
    {
        ArgumentNullException.ThrowIfNull(applied);
        var newest = applied.DefaultIfEmpty(0).Max();
        var known = Load(assembly).Select(m => m.Version).DefaultIfEmpty(0).Max();
        if (newest > known)
        {
            throw new StoreUnavailableException(
                $"the database {database} has schema version {newest}, newer than this Ipam's {known}: a newer Ipam migrated it; " +
                "run that version (or newer), or restore a backup taken before the upgrade.");
        }
    }
}
