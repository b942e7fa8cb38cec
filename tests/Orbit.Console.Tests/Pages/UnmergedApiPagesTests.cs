using System.Text.Json;
using Microsoft.Playwright;
using Orbit.Console.Tests.Support;

namespace Orbit.Console.Tests.Pages;

/// <summary>
/// The drift monitor's and the batch API's answers are not served by this stack: the browser is handed documented
/// answers (docs/drift.md's DriftModelView, docs/batch.md's BatchJobView) at its network layer, so these tests check
/// the pages' drawing, not the services. The pages against the real services are checked where those are deployed.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class UnmergedApiPagesTests(ConsoleStack stack)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [ChromiumFact]
    public async Task The_drift_page_draws_each_features_live_histogram_over_its_baseline_its_score_and_accuracy_over_time_with_thresholds()
    {
        var tenant = await stack.TenantAsync("viewer");
        await using var console = await ConsolePage.LogInAsync(stack, tenant.Keys["viewer"]);
        var page = console.Page;
        await page.RouteAsync("**/v1/models?*", r => r.FulfillAsync(new() { ContentType = "application/json", Body = """{"items":[{"name":"churn","versionCount":1,"latestVersion":1,"deployment":null,"createdAt":"2026-11-30T07:00:00Z"}],"nextCursor":null}""" }));
        await page.RouteAsync("**/v1/drift/churn", r => r.FulfillAsync(new() { ContentType = "application/json", Body = JsonSerializer.Serialize(DriftModel(tenant.Id), Json) }));

        await console.OpenAsync("#/drift/churn");
        var age = page.GetByTestId("feature-age");
        try
        {
            await age.GetByTestId("chart-histogram").Locator("canvas").WaitForAsync();
        }
        catch (TimeoutException)
        {
            Assert.Fail($"no histogram; page: {await page.Locator("#page").InnerTextAsync()}; script errors: {string.Join(" | ", console.ScriptErrors)}");
        }

        Assert.Equal(["baseline", "live"], await SeriesLabelsAsync(age.GetByTestId("chart-histogram")));
        Assert.Equal(["psi", "warning", "critical"], await SeriesLabelsAsync(age.GetByTestId("chart-series")));
        await page.GetByTestId("feature-plan").GetByTestId("chart-histogram").Locator("canvas").WaitForAsync();
        Assert.Contains("ok → warning", await page.GetByTestId("drift-version-3").InnerTextAsync());
        Assert.Contains("accuracy 0.84 (expected 0.9, degradation 6.7%)", await page.GetByTestId("accuracy").InnerTextAsync());
        var accuracy = page.GetByTestId("drift-version-3").GetByTestId("chart-accuracy");
        await accuracy.Locator("canvas").WaitForAsync();
        Assert.Equal(["accuracy", "warning", "critical"], await SeriesLabelsAsync(accuracy));
        Assert.Contains("accuracy over time (warning 5%, critical 10% degradation)", await accuracy.InnerTextAsync());
        await console.ScreenshotAsync("drift");
    }

    [ChromiumFact]
    public async Task The_platform_admin_names_another_tenants_model_on_the_drift_page_and_reads_it_for_that_tenant()
    {
        var tenant = await stack.TenantAsync("viewer");
        await using var console = await ConsolePage.LogInAsync(stack, ConsoleStack.AdminKey);
        var page = console.Page;
        var asked = new List<string>();
        await page.RouteAsync("**/v1/drift/churn*", r =>
        {
            asked.Add(r.Request.Url);
            return r.FulfillAsync(new() { ContentType = "application/json", Body = JsonSerializer.Serialize(DriftModel(tenant.Id), Json) });
        });

        await page.GetByTestId("tenant").Locator($"option[value='{tenant.Id}']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.GetByTestId("tenant").SelectOptionAsync(tenant.Id);
        await console.OpenAsync("#/drift");
        // The registry lists only the admin tenant's models, so the model of another tenant is typed in.
        await page.GetByTestId("drift-model").FillAsync("churn");
        await page.GetByTestId("drift-model").PressAsync("Enter");
        await page.GetByTestId("drift-version-3").WaitForAsync();

        Assert.Equal([$"/v1/drift/churn?tenant={tenant.Id}"], asked.Select(u => new Uri(u).PathAndQuery).Distinct());
    }

    [ChromiumFact]
    public async Task The_batch_page_shows_progress_rate_and_eta_and_offers_cancel_and_downloads()
    {
        var tenant = await stack.TenantAsync("predictor");
        await using var console = await ConsolePage.LogInAsync(stack, tenant.Keys["predictor"]);
        var page = console.Page;
        var cancelled = false;
        await page.RouteAsync("**/v1/batch-jobs?*", r => r.FulfillAsync(new() { ContentType = "application/json", Body = JsonSerializer.Serialize(new { items = new[] { Job("bj_run", cancelled ? "cancelled" : "running", 2500), Job("bj_done", "completed", 10000) }, nextCursor = (string?)null }, Json) }));
        await page.RouteAsync("**/v1/batch-jobs/bj_run/cancel", r => { cancelled = true; return r.FulfillAsync(new() { ContentType = "application/json", Body = JsonSerializer.Serialize(Job("bj_run", "cancelled", 2500), Json) }); });

        await console.OpenAsync("#/batch");
        var running = page.GetByTestId("batch-bj_run");
        try
        {
            await running.WaitForAsync();
        }
        catch (TimeoutException)
        {
            Assert.Fail($"no job; page: {await page.Locator("#page").InnerTextAsync()}; script errors: {string.Join(" | ", console.ScriptErrors)}");
        }

        var text = await running.InnerTextAsync();
        Assert.Contains("2,500 / 10,000 rows", text);
        Assert.Contains("1,250 rows/s", text);
        Assert.Contains("6s", text);
        Assert.Equal(0, await page.GetByTestId("batch-bj_done").GetByRole(AriaRole.Button, new() { Name = "Cancel" }).CountAsync());
        Assert.Equal(1, await page.GetByTestId("batch-bj_done").GetByRole(AriaRole.Button, new() { Name = "Output" }).CountAsync());
        await console.ScreenshotAsync("batch-jobs");

        await running.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await page.GetByTestId("confirm-yes").ClickAsync();
        await page.GetByTestId("batch-bj_run").Filter(new() { HasText = "cancelled" }).WaitForAsync();
        Assert.True(cancelled);
    }

    private static async Task<string[]> SeriesLabelsAsync(ILocator chart) =>
        [.. (await chart.Locator(".u-legend .u-series .u-label").AllInnerTextsAsync()).Select(s => s.Trim()).Where(s => s is not ("Value" or "Time" or ""))];

    private static object Job(string id, string state, long done) => new
    {
        id, model = "churn", version = 1, state, inputFormat = "csv", outputFormat = "csv", chunkSize = 1000, columns = Array.Empty<string>(), keep = Array.Empty<string>(),
        rowsTotal = 10000L, rowsDone = done, rowsFailed = 0L, chunksTotal = 10, chunksDone = (int)(done / 1000), rowsPerSecond = 1250.0,
        etaSeconds = state == "running" ? 6.0 : (double?)null, maxErrorRatio = 0.01, reason = (string?)null, inputName = "rows.csv",
        createdAt = "2026-11-30T07:00:00Z", finishedAt = (string?)null, createdBy = "key:abc",
    };

    private static object Accuracy(double value, string level, string at) => new
    {
        metric = "accuracy", value, expected = 0.9, degradation = Math.Round((0.9 - value) / 0.9, 3), level, sampleSize = 500, accuracy = value, mae = (double?)null, rmse = (double?)null,
        reason = (string?)null, at,
    };

    private static object DriftModel(string tenant)
    {
        var edges = new[] { 1.0, 2, 3, 4, 5, 6, 7, 8, 9 };
        object Scores(double psi) => new Dictionary<string, double?> { ["psi"] = psi, ["kl"] = 0.08, ["js"] = 0.14, ["ks"] = 0.16, ["ks_pvalue"] = 0.0, ["wasserstein"] = 0.64, ["chi2"] = null, ["chi2_pvalue"] = null };
        var series = new[] { 0.02, 0.09, 0.169 }.Select((v, i) => new { at = $"2026-11-30T07:1{i}:00Z", level = v > 0.1 ? "warning" : "ok", sampleSize = 1800, scores = Scores(v) });
        return new
        {
            tenantId = tenant, modelName = "churn", unknownOutcomes = 0, pendingOutcomes = 3,
            versions = new[]
            {
                new
                {
                    tenantId = tenant, modelName = "churn", modelVersion = 3, status = "warning", reason = (string?)null, sampleSize = 1834, windowSeconds = 300, evaluatedAt = "2026-11-30T07:20:00Z",
                    features = new object[]
                    {
                        new { feature = "age", kind = "numeric", level = "warning", test = "psi", value = 0.169, warning = 0.1, critical = 0.25, scores = Scores(0.169), sampleSize = 1834,
                            live = new { edges, counts = new[] { 50.0, 60, 90, 150, 250, 300, 330, 260, 200, 144 } }, baseline = new { edges, counts = new[] { 180.0, 180, 180, 180, 190, 180, 190, 180, 180, 194 } }, series },
                        new { feature = "plan", kind = "categorical", level = "ok", test = "chi2_pvalue", value = 0.4, warning = 0.05, critical = 0.01, scores = Scores(0.01), sampleSize = 1834,
                            live = new { categories = new Dictionary<string, double> { ["basic"] = 1000, ["pro"] = 700, ["enterprise"] = 134 } },
                            baseline = new { categories = new Dictionary<string, double> { ["basic"] = 0.58, ["pro"] = 0.37, ["enterprise"] = 0.05 } }, series },
                    },
                    alerts = new[] { new { feature = "age", metric = "psi", from = "ok", to = "warning", value = 0.169, threshold = 0.1, sampleSize = 1834, at = "2026-11-30T07:12:00Z" } },
                    accuracy = Accuracy(0.84, "warning", "2026-11-30T07:20:00Z"),
                    accuracySeries = new { warning = 0.05, critical = 0.10, points = new[] { Accuracy(0.9, "ok", "2026-11-30T07:10:00Z"), Accuracy(0.87, "ok", "2026-11-30T07:15:00Z"), Accuracy(0.84, "warning", "2026-11-30T07:20:00Z") } },
                },
            },
        };
    }
}
