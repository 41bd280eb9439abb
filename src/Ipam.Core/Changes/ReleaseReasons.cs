namespace Ipam.Changes;

/// <summary>Why an allocation ended, as its history tells.</summary>
public static class ReleaseReasons
{
    public const string Released = "released";
    public const string Expired = "expired";
    public const string SubnetDeleted = "subnet-deleted";
}
