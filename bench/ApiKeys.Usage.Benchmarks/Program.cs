// The usage statistics' figures (docs/benchmarks.md, "Usage"):
//   dotnet run -c Release --project bench/ApiKeys.Usage.Benchmarks -- log [ROWS]   1M logged requests: file size, page query times
//   dotnet run -c Release --project bench/ApiKeys.Usage.Benchmarks -- upstream PORT  a Gemini-shaped upstream for the gateway's load test
using ApiKeys.Usage.Benchmarks;

return args.FirstOrDefault() switch
{
    "log" => await LogBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000),
    "upstream" => await Upstream.RunAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: log [ROWS] | upstream PORT");
    return 2;
}
