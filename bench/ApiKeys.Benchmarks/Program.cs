using ApiKeys.Benchmarks;
using BenchmarkDotNet.Running;

// --quick: the core figures and the seed baseline in about a minute; anything else goes to BenchmarkDotNet.
if (args.Contains("--quick"))
{
    return QuickMode.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
