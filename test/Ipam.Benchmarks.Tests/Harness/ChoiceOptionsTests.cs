using Ipam.Benchmarks.Harness;

namespace Ipam.Benchmarks.Tests.Harness;

public sealed class ChoiceOptionsTests
{
    [Theory]
    [InlineData("scale", "--store", "mysql", "--store takes sqlite, postgres, not 'mysql'.")]
    [InlineData("pool", "--store", "postgresql", "--store takes sqlite, postgres, not 'postgresql'.")]
    [InlineData("concurrent", "--store", "oracle", "--store takes sqlite, postgres, postgresql, both, not 'oracle'.")]
    [InlineData("fill", "--strategy", "first", "--strategy takes random, next, both, not 'first'.")]
    [InlineData("http-fill", "--strategy", "Random", "--strategy takes random, next, both, not 'Random'.")]
    [InlineData("all", "--store", "sqlite3", "--store takes sqlite, postgres, postgresql, both, not 'sqlite3'.")]
    [InlineData("all", "--strategy", "", "--strategy takes random, next, both, not ''.")]
    public void Check_ValueOutsideTheChoices_NamesTheOptionAndWhatItTakes(string workload, string option, string value, string expected)
    {
        var error = ChoiceOptions.Check(workload, [workload, "--quick", option, value, "--samples", "5"]);

        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("scale", "--store", "postgres")]
    [InlineData("scale", "--store", "sqlite")]
    [InlineData("concurrent", "--store", "postgresql")]
    [InlineData("concurrent", "--store", "both")]
    [InlineData("fill", "--strategy", "next")]
    [InlineData("latency", "--store", "anything")]
    public void Check_ValueTheWorkloadTakesOrAnOptionItDoesNotCheck_PassesWithTheOtherArguments(string workload, string option, string value)
    {
        Assert.Null(ChoiceOptions.Check(workload, [workload, option, value, "--allocations", "2000", "--cache-mbs", "16,64", "--every"]));
    }

    [Fact]
    public void Check_NoOptionGiven_Passes()
    {
        Assert.Null(ChoiceOptions.Check("scale", ["scale"]));
    }

    [Fact]
    public void Check_OptionWithoutItsValue_NamesTheOption()
    {
        var error = ChoiceOptions.Check("fill", ["fill", "--strategy"]);

        Assert.NotNull(error);
        Assert.Contains("--strategy", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }
}
