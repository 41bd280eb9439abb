namespace Ipam.Api.Hosting;

/// <summary>
/// A time in a body that is a valid date and time whose offset takes it out of <see cref="TimeText.Range"/>; the
/// serializer adds the member's path, and <see cref="Problems.IpamExceptionHandler"/> says which range is accepted.
/// </summary>
internal sealed class TimeOutOfRangeException : JsonException;
