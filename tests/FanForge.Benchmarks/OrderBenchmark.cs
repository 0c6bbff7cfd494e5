using System.Diagnostics;
using System.Security.Cryptography;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Merch;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FanForge.Benchmarks;

/// <summary>
/// Orders per second on PostgreSQL: placing (quote, stock reservation, order write, fan index) and paying (the
/// ORDER:{id} payment as the watcher delivers it: stock sold), for one hot product every order contends on and for
/// orders spread over 1,000 products; paid orders per second across 1,000 products against the same server's pgbench
/// single-row upsert rate (<c>paid_to_upsert_ratio</c>).
/// </summary>
internal static class OrderBenchmark
{
    private const int Parallelism = 16;

    public static async Task<object> RunAsync(int orders)
    {
        await using var server = await PostgresServer.StartAsync(durable: true);
        var connectionString = await server.CreateDatabaseAsync();
        using var host = await BenchmarkSilo.StartAsync(connectionString, "Staging", new Dictionary<string, string?>
        {
            ["Algorand:Mode"] = "Simulated",
            // Measures our pipeline, not the simulator: keep the simulated chain in memory.
            ["Algorand:Simulation:Durable"] = "false",
        });
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        using var commands = new DatabaseCommands();

        var hot = await RunScenarioAsync(grains, commands, "one_hot_product", products: 1, orders);
        var spread = await RunScenarioAsync(grains, commands, "1000_products", products: 1000, orders);
        var upsert = await Pgbench.UpsertAsync(server, connectionString, Parallelism, TimeSpan.FromSeconds(15));
        await host.StopAsync();
        return new
        {
            benchmark = "orders_postgres",
            postgres = "throwaway PostgreSQL, fsync on, loopback; one silo in the same process",
            machine = new { cores = Environment.ProcessorCount },
            parallelism = Parallelism,
            scenarios = new[] { hot.Report, spread.Report },
            pgbench_single_row_upsert = upsert,
            paid_to_upsert_ratio = Math.Round(spread.PaidPerSecond / upsert.Tps, 3),
            database_commands_counted_by = commands.Instruments,
        };
    }

    private static async Task<(object Report, double PaidPerSecond)> RunScenarioAsync(IGrainFactory grains, DatabaseCommands commands, string name, int products, int orders)
    {
        var creator = Wallet();
        var catalog = grains.GetGrain<ICreatorCatalog>(creator);
        var ids = new List<long>();
        foreach (var n in Enumerable.Range(0, products))
        {
            ids.Add((await catalog.CreateAsync(new ProductDraft($"item-{n}", $"Item {n}", null, null, 2_000_000, StockQuantity: orders, MaxPerOrder: 5), null)).Id);
        }

        var fans = Enumerable.Range(0, orders).Select(_ => Wallet()).ToArray();
        var placed = new OrderView[orders];
        var placeLatency = new double[orders];
        var commandsBeforePlacing = commands.Total;
        var placing = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, orders), new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (i, _) =>
        {
            var start = Stopwatch.GetTimestamp();
            var id = await grains.GetGrain<IFanOrders>(fans[i]).OpenAsync(null);
            placed[i] = await grains.GetGrain<IOrder>(id).PlaceAsync(new PlaceOrder(creator, fans[i], [new CartLine(ids[i % ids.Count], 1)], []));
            placeLatency[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        });
        var placeSeconds = placing.Elapsed.TotalSeconds;
        var placeCommands = commands.Total - commandsBeforePlacing;

        var payLatency = new double[orders];
        var commandsBeforePaying = commands.Total;
        var paying = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, orders), new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (i, _) =>
        {
            var order = placed[i];
            var start = Stopwatch.GetTimestamp();
            await grains.GetGrain<IOrder>(order.Id).ApplyPaymentAsync(new ChainTip(order.Fan, order.Creator, order.TotalMicroAlgo, order.Memo,
                new ChainPosition((ulong)i + 1, 0), $"PAY-{order.Id}", DateTimeOffset.UtcNow));
            payLatency[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        });
        var paySeconds = paying.Elapsed.TotalSeconds;
        var payCommands = commands.Total - commandsBeforePaying;

        var stock = await Task.WhenAll(ids.Select(id => grains.GetGrain<IProduct>(id).GetStockAsync()));
        var paid = (await Task.WhenAll(placed.Select(o => grains.GetGrain<IOrder>(o.Id).GetAsync()))).Count(o => o!.Status == OrderStatus.Paid);
        return (new
        {
            scenario = name,
            products,
            orders,
            place = new
            {
                seconds = Math.Round(placeSeconds, 2), orders_per_second = Math.Round(orders / placeSeconds, 1), latency = Measure.Summary(placeLatency),
                database_round_trips_per_order = Math.Round((double)placeCommands / orders, 2),
            },
            pay = new
            {
                seconds = Math.Round(paySeconds, 2), orders_per_second = Math.Round(orders / paySeconds, 1), latency = Measure.Summary(payLatency),
                database_round_trips_per_order = Math.Round((double)payCommands / orders, 2),
            },
            check = new { paid, sold = stock.Sum(s => s!.Sold), reserved_left = stock.Sum(s => s!.Reserved) },
        }, orders / paySeconds);
    }

    private static string Wallet() => new TestWallet(RandomNumberGenerator.GetBytes(32)).Address;
}
