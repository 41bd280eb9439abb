using Microsoft.Extensions.Options;

namespace Ipam.Storage.Sql;

/// <summary>Collects every unusable value of a store's options, so that one start reports them all.</summary>
internal abstract class StoreOptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        Check(options, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    protected abstract void Check(TOptions options, List<string> errors);

    protected static void AtLeastOne(List<string> errors, string setting, long value)
    {
        if (value < 1)
        {
            errors.Add($"{typeof(TOptions).Name}.{setting} must be at least 1 (was {value}).");
        }
    }

    protected static void NotNegative(List<string> errors, string setting, TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            errors.Add($"{typeof(TOptions).Name}.{setting} must not be negative (was {value}).");
        }
    }

    protected static void Positive(List<string> errors, string setting, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{typeof(TOptions).Name}.{setting} must be positive (was {value}).");
        }
    }
}
