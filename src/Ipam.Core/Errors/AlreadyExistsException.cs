namespace Ipam.Errors;

/// <summary>A caller chose an id that another resource already has.</summary>
public sealed class AlreadyExistsException(string resource, Guid id)
    : IpamException(ErrorCodes.AlreadyExists, "Already exists.", $"{("aeiou".Contains(resource[0], StringComparison.Ordinal) ? "An" : "A")} {resource} with id {id} already exists.",
        new Dictionary<string, object?> { ["id"] = id });
