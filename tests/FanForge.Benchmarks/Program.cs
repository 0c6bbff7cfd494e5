using System.Globalization;
using System.Text.Json;
using FanForge.Benchmarks;

// Benchmarks print one JSON document of measured figures. Usage (Release):
//   dotnet run -c Release --project tests/FanForge.Benchmarks -- grain-writes [writes]
//   dotnet run -c Release --project tests/FanForge.Benchmarks -- tip-ingest [distinctPairs] [tipsPerSecond] [seconds]   (0 pairs: live phase only; 0 tips/s: ingestion only)
//   dotnet run -c Release --project tests/FanForge.Benchmarks -- auth-verify [baseUrl] [logins] [concurrency]
//   dotnet run -c Release --project tests/FanForge.Benchmarks -- membership-expiry [memberships] [validitySeconds]
//   dotnet run -c Release --project tests/FanForge.Benchmarks -- orders [ordersPerScenario]
var command = args.Length > 0 ? args[0] : "grain-writes";
int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

object result = command switch
{
    "grain-writes" => await GrainWriteBenchmark.RunAsync(Arg(1, 2000)),
    "tip-ingest" => await TipIngestBenchmark.RunAsync(Arg(1, 20_000), Arg(2, 1000), Arg(3, 10)),
    "auth-verify" => await AuthVerifyBenchmark.RunAsync(new Uri(args.Length > 1 ? args[1] : "http://127.0.0.1:8000"), Arg(2, 5000), Arg(3, 32)),
    "membership-expiry" => await MembershipExpiryBenchmark.RunAsync(Arg(1, 10_000), Arg(2, 300)),
    "orders" => await OrderBenchmark.RunAsync(Arg(1, 5000)),
    _ => throw new ArgumentException($"Unknown benchmark '{command}': grain-writes | tip-ingest | auth-verify | membership-expiry | orders"),
};

Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
return 0;
