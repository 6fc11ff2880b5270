using Grader.Api.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Grader.Api.Tests.Web;

/// <summary>
/// An API node listening on a real port, Debian's Chromium driven by Playwright, and a worker node
/// (a separate process) started only when a test asks for it, so a test can watch a submission
/// wait in the queue and then change state live.
/// </summary>
public sealed class BrowserApp : GraderApp, IAsyncLifetime
{
    // Debian's package; nothing is downloaded at test time. Overridable for other machines.
    private static readonly string Chromium = Environment.GetEnvironmentVariable("GRADER_TEST_CHROMIUM") ?? "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private NodeProcess? _worker;
    private readonly SemaphoreSlim _workerGate = new(1, 1);

    public string BaseUrl { get; private set; } = "";

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Not started.");

    /// <summary>Where each page's screenshot is kept: TestResults/screenshots beside the test binaries.</summary>
    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        BaseUrl = ListenOnLoopback();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            Timeout = 60_000,
        });
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }
        await DisposeAsync();
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, ViewportSize = new ViewportSize { Width = 1100, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>Starts the worker node once; jobs queued before it started are picked up then.</summary>
    public async Task StartWorkerAsync()
    {
        await _workerGate.WaitAsync();
        try
        {
            _worker ??= NodeProcess.Start(ConnectionString, "worker", "browser-tests-worker");
        }
        finally
        {
            _workerGate.Release();
        }
    }

    public string WorkerOutput => _worker?.Output ?? "(no worker)";

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }
}
