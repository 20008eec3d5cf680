// The usage statistics' figures (docs/benchmarks.md, "Usage"):
//   log [ROWS] [--keep FILE]          1M logged requests: file size, the log's page times (FILE: a copy of the database)
//   reports [PER_HOUR] [--dir DIR] [--only TEXT]
//                                     a 90-day aggregate table of 10,000 keys, then every report (DIR: keep and reuse it)
//   record [BenchmarkDotNet options]  the cost of accounting one request: scanner, record, enqueue (BenchmarkDotNet)
//   upstream PORT                     a Gemini-shaped upstream (usageMetadata) for onoff.sh beside this file: the gateway's requests/s, accounting on vs off
using System.Globalization;
using ApiKeys.Usage.Benchmarks;

return args.FirstOrDefault() switch
{
    "log" => await LogBenchmark.RunAsync(Number(1, 1_000_000), Option("--keep")),
    "reports" => await ReportBenchmark.RunAsync(Number(1, 2_000), Option("--dir"), Option("--only")),
    "record" => RecordPathBenchmarks.Run(args[1..]),
    "upstream" => await Upstream.RunAsync(int.Parse(args[1], CultureInfo.InvariantCulture)),
    _ => Usage(),
};

int Number(int at, int fallback) => args.Length > at && int.TryParse(args[at], CultureInfo.InvariantCulture, out int n) ? n : fallback;

string? Option(string name) => Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

static int Usage()
{
    Console.Error.WriteLine("usage: log [ROWS] [--keep FILE] | reports [PER_HOUR] [--dir DIR] [--only TEXT] | record [BenchmarkDotNet options] | upstream PORT");
    return 2;
}
