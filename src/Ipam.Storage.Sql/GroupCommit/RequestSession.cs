namespace Ipam.Storage.Sql.GroupCommit;

/// <summary>The session one request runs on, and what the engine reads of its unit of work afterwards.</summary>
internal readonly record struct RequestSession(IIpamSession Session, IUnitOfWork Unit);
