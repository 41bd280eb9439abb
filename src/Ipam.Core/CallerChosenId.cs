namespace Ipam;

/// <summary>
/// The rule for an id a caller chooses (a subnet's on create, every item's in an imported plan): any UUID but the nil
/// UUID, which clients and drivers commonly send for "no id" and which would otherwise name a real resource.
/// </summary>
public static class CallerChosenId
{
    /// <summary><paramref name="id"/> unless it is the nil UUID, then an <c>invalid-request</c> naming <paramref name="field"/>; null stays null.</summary>
    public static Guid? Check(string field, Guid? id) =>
        id == Guid.Empty
            ? throw ValidationException.InvalidRequest(field, $"{field} must not be the nil UUID {Guid.Empty}.")
            : id;
}
