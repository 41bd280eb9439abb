namespace Ipam.Tokens;

/// <summary>A token just created, with the text to present (<see cref="Secret"/>), which is shown this once and never stored.</summary>
public sealed record CreatedToken(Token Token, string Secret);
