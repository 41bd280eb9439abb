namespace Ipam.Changes;

/// <summary>The caller context of a service without identities: every change is anonymous.</summary>
internal sealed class AnonymousCaller : ICallerContext
{
    public string Actor => Actors.Anonymous;
}
