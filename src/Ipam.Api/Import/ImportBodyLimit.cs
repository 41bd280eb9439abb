using Ipam.Import;
using Microsoft.AspNetCore.Http.Metadata;

namespace Ipam.Api.Import;

/// <summary>A whole address plan is far larger than any other request, so its route alone takes up to 64 MiB.</summary>
internal sealed class ImportBodyLimit : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize => ImportDocument.MaxBytes;
}
