namespace Ipam.Storage.Tests.Contract;

public abstract class IdempotencyStoreTests(StoreKind kind) : StoreTests(kind)
{
    [Fact]
    public async Task InsertIdempotencyRecord_ThenFind_UntilDeletedAsOld()
    {
        var old = new IdempotencyRecord("key-old", "fingerprint-1", new string('r', 10_000), Samples.Now.AddHours(-2));
        var recent = new IdempotencyRecord("key-recent", "fingerprint-2", "[]", Samples.Now);
        await WriteAsync(async (s, ct) =>
        {
            await s.InsertIdempotencyRecordAsync(old, ct);
            await s.InsertIdempotencyRecordAsync(recent, ct);
        });

        Assert.Equal(old, await WriteAsync((s, ct) => s.FindIdempotencyRecordAsync(old.Key, ct)));
        Assert.Null(await WriteAsync((s, ct) => s.FindIdempotencyRecordAsync("key-unknown", ct)));

        await WriteAsync((s, ct) => s.DeleteIdempotencyRecordsBeforeAsync(Samples.Now, ct));

        Assert.Null(await WriteAsync((s, ct) => s.FindIdempotencyRecordAsync(old.Key, ct)));
        Assert.Equal(recent, await WriteAsync((s, ct) => s.FindIdempotencyRecordAsync(recent.Key, ct)));
    }
}

public sealed class IdempotencyStoreTestsOnSqlite() : IdempotencyStoreTests(StoreKind.Sqlite);

public sealed class IdempotencyStoreTestsOnPostgres() : IdempotencyStoreTests(StoreKind.Postgres);
