using Ipam.Changes;
using Ipam.Tokens;

namespace Ipam.Storage.Tests.Contract;

public abstract class TokenStoreTests(StoreKind kind) : StoreTests(kind)
{
    private static readonly DateTimeOffset Created = new(2026, 5, 1, 12, 0, 0, 123, TimeSpan.Zero);

    [Fact]
    public async Task InsertToken_ThenFindAndList_RoundTripsEveryColumn()
    {
        var admin = Sample(CallerRole.Admin, tenant: null, expires: null);
        var member = Sample(CallerRole.Member, tenant: "acme", expires: Created.AddDays(90)) with { Name = "ci" };
        await WriteAsync(async (s, ct) =>
        {
            await s.InsertTokenAsync(admin, ct);
            await s.InsertTokenAsync(member, ct);
        });

        Assert.Equal(admin, await ReadAsync((s, ct) => s.FindTokenAsync(admin.Id, ct)));
        Assert.Equal(member, await ReadAsync((s, ct) => s.FindTokenAsync(member.Id, ct)));
        Assert.Null(await ReadAsync((s, ct) => s.FindTokenAsync(Guid.NewGuid(), ct)));

        var first = await ReadAsync((s, ct) => s.ListTokensAsync(new TokenQuery { Limit = 1 }, ct));
        var rest = await ReadAsync((s, ct) => s.ListTokensAsync(new TokenQuery { After = first[0].Id }, ct));
        Assert.Equal(Samples.InStoreOrder([admin.Id, member.Id]), first.Concat(rest).Select(t => t.Id));
    }

    [Fact]
    public async Task RevokeToken_OnlyOnce_AndNeverAnUnknownOne()
    {
        var token = Sample(CallerRole.Reader, tenant: "acme", expires: null);
        await WriteAsync((s, ct) => s.InsertTokenAsync(token, ct));
        var at = Created.AddHours(1);

        Assert.True(await WriteAsync((s, ct) => s.RevokeTokenAsync(token.Id, at, ct)));
        Assert.False(await WriteAsync((s, ct) => s.RevokeTokenAsync(token.Id, at.AddHours(1), ct)));
        Assert.False(await WriteAsync((s, ct) => s.RevokeTokenAsync(Guid.NewGuid(), at, ct)));
        Assert.Equal(token with { RevokedAt = at }, await ReadAsync((s, ct) => s.FindTokenAsync(token.Id, ct)));
    }

    private static Token Sample(CallerRole role, string? tenant, DateTimeOffset? expires) => new()
    {
        Id = Guid.CreateVersion7(),
        Role = role,
        TenantId = tenant,
        SecretHash = TokenSecret.Create(Guid.Empty).Hash,
        CreatedAt = Created,
        ExpiresAt = expires,
        CreatedBy = Actors.Anonymous,
    };
}

public sealed class TokenStoreTestsOnSqlite() : TokenStoreTests(StoreKind.Sqlite);

public sealed class TokenStoreTestsOnPostgres() : TokenStoreTests(StoreKind.Postgres);
