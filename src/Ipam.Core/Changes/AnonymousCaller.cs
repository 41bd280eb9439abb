namespace Ipam.Changes;

/// <summary>The caller context of a service without identities: every change is anonymous and every caller may do everything.</summary>
internal sealed class AnonymousCaller : ICallerContext
{
    public string Actor => Actors.Anonymous;

    public CallerRole Role => CallerRole.Admin;

    public string? TenantId => null;
}
