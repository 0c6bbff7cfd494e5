using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace FanForge.Benchmarks;

/// <summary>
/// Counts the database commands this process completes, by Npgsql's own duration histogram (one measurement per command
/// or batch, whichever component sent it: group-commit storage, Orleans' ADO.NET reminders, our tables), so a phase
/// can report its round trips per unit of work.
/// </summary>
internal sealed class DatabaseCommands : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<string, long> counts = new();

    public DatabaseCommands()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Npgsql" && instrument.Name == "db.client.operation.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) => counts.AddOrUpdate(instrument.Name, 1, (_, n) => n + 1));
        listener.Start();
    }

    /// <summary>Commands completed so far.</summary>
    public long Total => counts.Values.Sum();

    /// <summary>The instruments counted (to show which Npgsql measurement the figure rests on).</summary>
    public IReadOnlyCollection<string> Instruments => [.. counts.Keys];

    public void Dispose() => listener.Dispose();
}
