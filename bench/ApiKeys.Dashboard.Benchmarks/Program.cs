// The dashboard's figures (docs/benchmarks.md, "Dashboard"): a store of KEYS keys and ROWS logged requests, the gateway in
// this process on a free loopback port, then each page fetched RUNS times by a signed-in client.
//   dotnet run -c Release --project bench/ApiKeys.Dashboard.Benchmarks -- [KEYS [ROWS [RUNS [DIR]]]]   (default 10000 1000000 21)
// With DIR the store is made there once and kept (a later run with the same DIR reuses it); without, in a temporary folder.
using System.Globalization;
using ApiKeys.Dashboard.Benchmarks;

int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
return await DashboardBenchmark.RunAsync(keys: Arg(0, 10_000), rows: Arg(1, 1_000_000), runs: Arg(2, 21), keep: args.Length > 3 ? args[3] : null);
