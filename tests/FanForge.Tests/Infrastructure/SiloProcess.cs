using System.Diagnostics;

namespace FanForge.Tests.Infrastructure;

/// <summary>
/// A real headless silo process (<c>dotnet FanForge.Silo.dll</c>, the binary operators run), for failure tests that
/// need an OS-level kill rather than a graceful host stop.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly string logPath;

    private SiloProcess(Process process, string logPath, ClusterNode node)
    {
        this.process = process;
        this.logPath = logPath;
        Node = node;
    }

    public ClusterNode Node { get; }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>The simulated ledger on a PostgreSQL cluster, as <c>deploy/local</c> runs it (Production refuses it).</summary>
    public static readonly IReadOnlyDictionary<string, string> SimulatedChain = new Dictionary<string, string>
    {
        ["Algorand:Mode"] = "Simulated",
        ["Algorand:WatcherPollInterval"] = "00:00:00.100",
    };

    public const string SimulatedChainEnvironment = "Staging";

    /// <summary>
    /// Starts a silo of <paramref name="node"/>'s cluster. <paramref name="extraSettings"/> win over the node's;
    /// <paramref name="environment"/> is Production unless a test needs what Production refuses (the simulated ledger).
    /// </summary>
    public static SiloProcess Start(ClusterNode node, IReadOnlyDictionary<string, string>? extraSettings = null, string environment = "Production")
    {
        var siloDll = SiloBinary();
        var logPath = Path.Combine(Path.GetTempPath(), $"fanforge-silo-{node.SiloPort}-{Guid.NewGuid():N}.log");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { siloDll },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(siloDll)!,
        };
        start.Environment["DOTNET_ENVIRONMENT"] = environment;
        foreach (var (key, value) in node.Settings.Concat(extraSettings ?? new Dictionary<string, string>()))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the silo process.");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new SiloProcess(process, logPath, node);
    }

    /// <summary>
    /// The silo's own build output. The copy beside the tests cannot run alone: the test folder drops the
    /// ASP.NET Core assemblies the silo needs as packages, because the tests get them from the shared framework.
    /// </summary>
    private static string SiloBinary()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testBin.Parent!.Name;
        var root = testBin;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "FanForge.sln")))
        {
            root = root.Parent;
        }

        var dll = Path.Combine(root?.FullName ?? throw new InvalidOperationException("FanForge.sln not found above the test binaries."),
            "silo", "bin", configuration, testBin.Name, "FanForge.Silo.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution first; the silo binary is missing.", dll);
    }

    /// <summary>SIGKILL: no graceful shutdown, no membership update, exactly like a crashed machine.</summary>
    public void KillHard()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public string LogTail(int lines = 40) =>
        File.Exists(logPath) ? string.Join('\n', File.ReadLines(logPath).TakeLast(lines)) : "(no log)";

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            // SIGTERM lets the silo leave the membership table cleanly.
            using var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        process.Dispose();
        File.Delete(logPath);
    }
}
