using Microsoft.Playwright;

namespace Ipam.Api.Tests.Web;

/// <summary>
/// Pictures of the console taken by the browser tests: every one is kept as a test artefact under
/// <c>screenshots/</c> beside the test assembly; the one the README shows is also written to <c>docs/images/</c>
/// of the checkout when <c>IPAM_UPDATE_SCREENSHOTS=1</c>, so that refreshing it is one test run.
/// </summary>
internal static class Screenshots
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task<string> SaveAsync(IPage page, string name, bool fullPage = false)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, name + ".png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = fullPage });
        return path;
    }

    /// <summary>Saves the artefact, and with <c>IPAM_UPDATE_SCREENSHOTS=1</c> copies it to <c>docs/images/</c> of the checkout.</summary>
    public static async Task SaveForDocsAsync(IPage page, string name)
    {
        var path = await SaveAsync(page, name);
        if (Environment.GetEnvironmentVariable("IPAM_UPDATE_SCREENSHOTS") == "1" && CheckoutRoot() is { } root)
        {
            var docs = Path.Combine(root, "docs", "images");
            System.IO.Directory.CreateDirectory(docs);
            File.Copy(path, Path.Combine(docs, name + ".png"), overwrite: true);
        }
    }

    private static string? CheckoutRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Ipam.slnx")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
