using Microsoft.AspNetCore.Http.Metadata;

namespace Ipam.Api.Import;

/// <summary>A whole address plan is far larger than any other request, so its route alone takes up to 64 MiB.</summary>
internal sealed class ImportBodyLimit : IRequestSizeLimitMetadata
{
    public const long MaxBytes = 64L * 1024 * 1024;

    public long? MaxRequestBodySize => MaxBytes;
}
