using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ApiKeys.Gateway;
using ApiKeys.Keys;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ApiKeys.Dashboard.Benchmarks;

/// <summary>
/// The dashboard's pages on a large store: the gateway (<see cref="GatewayApp.Build"/>) in this process, a signed-in
/// client, every page fetched RUNS times after two warm-ups; prints the server's time (median, p95, max) and the round trip.
/// The target (issue 13): the keys page with 10,000 keys and the request log with 1 million rows under 200 ms.
/// </summary>
internal static partial class DashboardBenchmark
{
    public static async Task<int> RunAsync(int keys, int rows, int runs, string? keep)
    {
        string dir = keep is not null && File.Exists(Path.Combine(keep, "usage.db")) ? keep : await BenchStore.CreateAsync(keys, rows, keep);
        try
        {
            using var times = new ServerTimes();
            await using var app = GatewayApp.Build(
            [
                "--dir", dir, "--urls", "http://127.0.0.1:0", "--upstream", "http://127.0.0.1:9",
                "--Logging:LogLevel:Default", "Warning", "--Gateway:AccessLog", "false",
            ]);
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var client = await SignInAsync(new Uri(address + "/"));
            string firstId = FirstLogId().Match(await client.GetStringAsync("admin/log")).Groups[1].Value;
            long deep = long.Parse(firstId, CultureInfo.InvariantCulture) - (rows / 2);
            string key = KeyIds.For(BenchStore.Secret(keys / 3));
            string day = DateTimeOffset.UtcNow.AddDays(-3).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
            string dayEnd = DateTimeOffset.UtcNow.AddDays(-3).AddHours(1).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
            Console.WriteLine($"{"page",-58} {"server median",13} {"p95",8} {"max",8} {"round trip",11}");
            foreach (var path in new[]
            {
                "admin/keys", $"admin/keys?page={keys / 100}", $"admin/keys?page={(keys + 49) / 50}", "admin/keys?q=bench-999", "admin/keys?state=disabled",
                "admin/log", $"admin/log?before={deep}", $"admin/log?key={key}", "admin/log?token=rare-token", "admin/log?model=gemini-2.5-pro",
                "admin/log?status=errors", $"admin/log?from={day}&to={dayEnd}", $"admin/log?key={key}&token=batch&status=errors", "admin/tokens",
            })
            {
                await TimeAsync(client, times, path, runs, warmups: 2);
            }

            foreach (var path in new[]
            {
                "admin", $"admin/keys/{key}", $"admin/keys/{key}?since=7d", "admin/usage", "admin/usage?since=7d", "admin/usage?by=model&since=7d",
                "admin/usage?by=token&since=30d",
            })
            {
                await TimeAsync(client, times, path, runs, warmups: 2);
            }

            await app.StopAsync();
            return 0;
        }
        finally
        {
            if (keep is null)
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    private static async Task<HttpClient> SignInAsync(Uri address)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromMinutes(10),
        };
        using var response = await client.PostAsync("admin/signin", new FormUrlEncodedContent([new("password", BenchStore.Password)]));
        if (response.StatusCode != HttpStatusCode.Found || !response.Headers.Location!.OriginalString.EndsWith("/admin", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"sign-in: {(int)response.StatusCode} to {response.Headers.Location}");
        }

        return client;
    }

    private static async Task TimeAsync(HttpClient client, ServerTimes times, string path, int runs, int warmups)
    {
        var trips = new List<double>();
        int bytes = 0;
        times.Take();
        for (int i = 0; i < runs + warmups; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await client.GetAsync(path);
            string body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"{path}: {(int)response.StatusCode}");
            }

            bytes = body.Length;
            if (i >= warmups)
            {
                trips.Add(clock.Elapsed.TotalMilliseconds);
            }
            else if (i == warmups - 1)
            {
                WaitFor(times, warmups);
                times.Take();
            }
        }

        var server = WaitFor(times, runs);
        server.Sort();
        trips.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{path + " (" + (bytes / 1024) + " KB)",-58} {server[runs / 2],10:0.0} ms {server[(int)Math.Ceiling(runs * 0.95) - 1],5:0.0} ms {server[^1],5:0.0} ms {trips[runs / 2],8:0.0} ms"));
    }

    /// <summary>The request duration is recorded as the request ends, which may be just after the client has the response.</summary>
    private static List<double> WaitFor(ServerTimes times, int count)
    {
        var heard = new List<double>();
        var deadline = Stopwatch.StartNew();
        while (heard.Count < count && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            heard.AddRange(times.Take());
            Thread.Yield();
        }

        return heard.Count >= count ? heard : throw new InvalidOperationException($"heard {heard.Count} server times of {count}");
    }

    [GeneratedRegex("<tr data-id=\"(\\d+)\"")]
    private static partial Regex FirstLogId();
}
