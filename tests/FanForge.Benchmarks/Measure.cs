using System.Diagnostics;

namespace FanForge.Benchmarks;

internal static class Measure
{
    public static async Task<double[]> TimeEachAsync(int count, Func<int, Task> write)
    {
        var latencies = new double[count];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await write(i);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        return latencies;
    }

    public static object Summary(double[] latencies)
    {
        var sorted = latencies.Order().ToArray();
        double Percentile(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        return new
        {
            samples = sorted.Length,
            p50_ms = Math.Round(Percentile(0.50), 3),
            median_ms = Math.Round(Percentile(0.50), 3),
            p90_ms = Math.Round(Percentile(0.90), 3),
            p99_ms = Math.Round(Percentile(0.99), 3),
            max_ms = Math.Round(sorted[^1], 3),
        };
    }
}
