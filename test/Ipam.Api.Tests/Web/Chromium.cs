using Microsoft.Playwright;

namespace Ipam.Api.Tests.Web;

/// <summary>
/// Headless Debian Chromium driven by Playwright, one per test class. Playwright's own browser download
/// is not used: the browser is <c>/usr/bin/chromium</c> (<c>apt-get install chromium</c>), or the file named
/// by <c>IPAM_TEST_CHROMIUM</c>. Without it the browser tests are skipped with the reason, except under CI
/// (<c>CI=true</c>), where a missing browser is a failure.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _unavailable;

    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("IPAM_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            _unavailable = $"Chromium unavailable: no browser at {ExecutablePath} (apt-get install chromium, or set IPAM_TEST_CHROMIUM)";
            return;
        }

        // Never download browsers; a broken installation fails the tests rather than skipping them.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ExecutablePath,
            Headless = true,

            // Root in a container needs --no-sandbox; the rest keeps Chromium off the (closed) network.
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
    }

    /// <summary>A fresh browser context (no shared storage) with one page on <paramref name="baseUrl"/>.</summary>
    public async Task<ConsolePage> OpenAsync(Uri baseUrl, int width = 1280, int height = 900)
    {
        if (_browser is null)
        {
            var reason = _unavailable ?? "Chromium did not start.";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(reason);
            }

            Assert.Skip(reason);
        }

        var context = await _browser.NewContextAsync(new()
        {
            BaseURL = baseUrl.ToString(),
            ViewportSize = new() { Width = width, Height = height },
            Locale = "en-US",
        });
        context.SetDefaultTimeout(15_000);
        return new ConsolePage(context, await context.NewPageAsync());
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>
/// A page of the console that records script errors, CSP violations and failed asset loads; disposing it
/// fails the test if any occurred. Failed API calls (4xx answers the test provokes) are not errors.
/// </summary>
public sealed class ConsolePage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];

    public ConsolePage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource: the server responded with a status of 4", StringComparison.Ordinal))
            {
                _errors.Add($"console: {message.Text}");
            }
        };
        page.PageError += (_, error) => _errors.Add($"page error: {error}");
        page.RequestFailed += (_, request) =>
        {
            // The console aborts its events stream on purpose when the Events page is left.
            if (!(request.Failure == "net::ERR_ABORTED" && new Uri(request.Url).AbsolutePath == "/v1/events"))
            {
                _errors.Add($"request failed: {request.Url} {request.Failure}");
            }
        };
    }

    public IPage Page { get; }

    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
        Assert.True(_errors.Count == 0, "The page reported errors:\n" + string.Join("\n", _errors));
    }
}
