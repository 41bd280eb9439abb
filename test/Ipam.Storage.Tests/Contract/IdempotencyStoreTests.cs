namespace Ipam.Storage.Tests.Contract;

public abstract class IdempotencyStoreTests(StoreKind kind) : StoreTests(kind)
{
    [Fact]
    public async Task InsertIdempotencyRecord_ThenFind_UntilDeletedAsOld()
    {
        var subnet = Samples.Subnet("10.1.0.0/24");
        var old = new IdempotencyRecord(subnet.Id, "anonymous", "key-old", "fingerprint-1", new string('r', 10_000), Samples.Now.AddHours(-2));
        var recent = new IdempotencyRecord(subnet.Id, "anonymous", "key-recent", "fingerprint-2", "[]", Samples.Now);
        await WriteAsync(async (s, ct) =>
        {
            await s.InsertSubnetAsync(subnet, ct);
            await s.InsertIdempotencyRecordAsync(old, ct);
            await s.InsertIdempotencyRecordAsync(recent, ct);
        });

        Assert.Equal(old, await FindAsync(old));
        Assert.Null(await WriteAsync((s, ct) => s.FindIdempotencyRecordAsync(subnet.Id, "anonymous", "key-unknown", ct)));

        await WriteAsync((s, ct) => s.DeleteIdempotencyRecordsBeforeAsync(Samples.Now, ct));

        Assert.Null(await FindAsync(old));
        Assert.Equal(recent, await FindAsync(recent));
    }

    [Fact]
    public async Task InsertIdempotencyRecord_SameKeyForAnotherSubnetOrActor_IsASeparateRecord()
    {
        var first = Samples.Subnet("10.2.0.0/24");
        var second = Samples.Subnet("10.3.0.0/24");
        var records = new[]
        {
            new IdempotencyRecord(first.Id, "token-a", "key", "fingerprint-1", "[1]", Samples.Now),
            new IdempotencyRecord(first.Id, "token-b", "key", "fingerprint-2", "[2]", Samples.Now),
            new IdempotencyRecord(second.Id, "token-a", "key", "fingerprint-3", "[3]", Samples.Now),
        };
        await WriteAsync(async (s, ct) =>
        {
            await s.InsertSubnetAsync(first, ct);
            await s.InsertSubnetAsync(second, ct);
            foreach (var record in records)
            {
                await s.InsertIdempotencyRecordAsync(record, ct);
            }
        });

        foreach (var record in records)
        {
            Assert.Equal(record, await FindAsync(record));
        }

        Assert.Null(await WriteAsync((s, ct) => s.FindIdempotencyRecordAsync(second.Id, "token-b", "key", ct)));
    }

    [Fact]
    public async Task DeleteSubnet_WithIdempotencyRecords_DeletesThemInTheSameUnit()
    {
        var subnet = Samples.Subnet("10.4.0.0/24");
        var record = new IdempotencyRecord(subnet.Id, "anonymous", "key", "fingerprint", "[]", Samples.Now);
        await WriteAsync(async (s, ct) =>
        {
            await s.InsertSubnetAsync(subnet, ct);
            await s.InsertIdempotencyRecordAsync(record, ct);
        });

        await WriteAsync((s, ct) => s.DeleteSubnetAsync(subnet.Id, ct));
        await WriteAsync((s, ct) => s.InsertSubnetAsync(subnet, ct));

        // The subnet is back under the same id (ids may be chosen by callers), but the key belonged to the deleted one.
        Assert.Null(await FindAsync(record));
    }

    private Task<IdempotencyRecord?> FindAsync(IdempotencyRecord record) =>
        WriteAsync((s, ct) => s.FindIdempotencyRecordAsync(record.SubnetId, record.Actor, record.Key, ct));
}

public sealed class IdempotencyStoreTestsOnSqlite() : IdempotencyStoreTests(StoreKind.Sqlite);

public sealed class IdempotencyStoreTestsOnPostgres() : IdempotencyStoreTests(StoreKind.Postgres);
