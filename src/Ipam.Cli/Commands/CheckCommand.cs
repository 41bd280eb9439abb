using Ipam.Api.Subnets;

namespace Ipam.Cli.Commands;

/// <summary>
/// <c>ipam check [--repair]</c>: compares the subnets' usage counters with their allocation rows, and lists the rows of
/// subnets, allocation pools and allocations the server cannot read.
/// </summary>
internal static class CheckCommand
{
    public const string UsageCheck = "v1/usage-check";

    public static Command Create(ClientOptions client)
    {
        var repair = new Option<bool>("--repair")
        {
            Description = "Recount the usage counters of the subnets that differ, all in one transaction (exit 0 once repaired).",
        };
        var command = new Command("check",
            "Check that every subnet's usage counters (the allocated and outside-pools numbers of 'ipam usage') equal a count of its " +
            "allocations, and that the server can read every subnet, allocation pool and allocation row (one edited by hand may hold " +
            "what it never writes). Reads every allocation; needs an admin token when the server requires tokens. Prints one line " +
            "per subnet that differs and per row that cannot be read (its table, key and what is wrong), which a repair leaves as " +
            $"they are. Exit codes: 0 consistent (or repaired), {ExitCodes.Inconsistent} mismatches or unreadable rows found, 1 the server refused.")
        {
            repair,
        }.WithExamples("ipam check", "ipam check --repair");
        client.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            var repairing = parseResult.GetValue(repair);
            var response = repairing
                ? await context.Api.PostAsync($"{UsageCheck}/repair", [], idempotencyKey: null, cancellationToken)
                : await context.Api.GetAsync(UsageCheck, cancellationToken);
            var check = ApiClient.Read<UsageCheckDto>(response);
            if (context.Json)
            {
                context.Terminal.WriteJson(response);
            }
            else
            {
                Print(context, check);
            }

            var differences = Differences(check);
            if (check.UnreadableRowCount > 0)
            {
                throw new CliException(
                    $"{check.UnreadableRowCount} row(s) cannot be read, and the server refuses what needs them (unreadable-row); " +
                    "mend or delete them in the database (a repair does not)" +
                    (differences.Count > 0 && !repairing ? $"; besides, {string.Join(", and ", differences)}, which 'ipam check --repair' sets again" : ""),
                    ExitCodes.Inconsistent);
            }

            if (differences.Count > 0 && !repairing)
            {
                throw new CliException($"{string.Join(", and ", differences)}; 'ipam check --repair' sets them again", ExitCodes.Inconsistent);
            }
        });
        return command;
    }

    /// <summary>What a repair would set again, one phrase each.</summary>
    private static List<string> Differences(UsageCheckDto check)
    {
        var differences = new List<string>();
        if (check.Mismatches.Count > 0)
        {
            differences.Add($"{check.Mismatches.Count} subnet(s) have usage counters that differ from their allocations");
        }

        if (check.OwnerEntryMismatches > 0)
        {
            differences.Add($"{check.OwnerEntryMismatches} owner entr(ies) differ from the allocations");
        }

        return differences;
    }

    private static void Print(CommandContext context, UsageCheckDto check)
    {
        context.Terminal.WriteLine($"Checked the usage counters of {check.SubnetsChecked} subnet(s) against a count of their allocations.");
        foreach (var mismatch in check.Mismatches)
        {
            var stored = mismatch.Stored is { } s ? Describe(s) : "missing";
            context.Terminal.WriteLine(
                $"{(check.Repaired ? "repaired" : "mismatch")}: subnet {mismatch.SubnetId}: counters {stored}, rows {Describe(mismatch.Counted)}");
        }

        if (check.Mismatches.Count == 0)
        {
            context.Terminal.WriteLine("Every subnet's counters match its allocations.");
        }

        if (check.OwnerEntryMismatches > 0)
        {
            context.Terminal.WriteLine(
                $"{(check.Repaired ? "repaired" : "mismatch")}: {check.OwnerEntryMismatches} owner entr(ies) differ from the allocations (lists by owner read them)");
        }

        foreach (var row in check.UnreadableRows ?? [])
        {
            context.Terminal.WriteLine($"unreadable: {row.Table} row {row.Key}: {row.Problem}");
        }

        if (check.UnreadableRowCount > (check.UnreadableRows?.Count ?? 0))
        {
            context.Terminal.WriteLine($"unreadable: {check.UnreadableRowCount - (check.UnreadableRows?.Count ?? 0)} more row(s) not listed");
        }
    }

    private static string Describe(UsageCountDto count) =>
        $"{count.Allocated} allocated ({count.InPools} in pools, {count.Allocated - count.InPools} outside)";
}
