namespace Ipam.Api.Observability;

/// <summary>How the server writes its log to the console (<c>ipam serve --log-format</c>).</summary>
public enum LogFormat
{
    /// <summary>Lines for people.</summary>
    Text,

    /// <summary>One JSON object per line (the built-in JSON console formatter), scopes with the trace id included.</summary>
    Json,
}
