using System.Text.RegularExpressions;
using FanForge.Api.Errors;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Merch;
using FanForge.GrainInterfaces.Payouts;
using FanForge.GrainInterfaces.Shawty;
using FanForge.Grains.Creators;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Errors;

/// <summary>
/// Clients branch on the error code, so a code must mean one HTTP status wherever it is raised: a refusal that is
/// 409 on one path and 400 on another (as <c>insufficient_stock</c> once was) breaks their handling. The check reads
/// every place in our sources that raises a <see cref="DomainException"/> with a constant or literal code.
/// </summary>
public sealed partial class ErrorCodeStatusTests
{
    private static readonly string[] SourceFolders = ["api", "grains", "grain-interfaces", "silo"];

    [Fact]
    public void Every_error_code_is_raised_with_exactly_one_status()
    {
        var sources = SourceFolders
            .SelectMany(folder => Directory.EnumerateFiles(RepoFolder(folder), "*.cs", SearchOption.AllDirectories))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText)
            .ToList();
        // Each constant under its own name and under Class.Name (the class declared last before it), so that
        // ErrorCodes.Unavailable and another class's Unavailable are told apart when the code names its class.
        var constants = sources.SelectMany(text => ConstantPattern().Matches(text).Select(m =>
                (Class: ClassPattern().Matches(text[..m.Index]).LastOrDefault()?.Groups["class"].Value, Match: m)))
            .SelectMany(c => new[] { (Key: c.Match.Groups["name"].Value, c.Match), (Key: $"{c.Class}.{c.Match.Groups["name"].Value}", c.Match) })
            .GroupBy(c => c.Key)
            .ToDictionary(g => g.Key, g => g.Select(c => c.Match.Groups["value"].Value).Distinct().ToList());

        var raised = new List<(string Code, int Status, string Site)>();
        foreach (Match site in sources.SelectMany(text => RaisePattern().Matches(text)))
        {
            var kind = site.Groups["factory"].Value switch
            {
                "Invalid" => DomainErrorKind.Validation,
                "Conflict" => DomainErrorKind.Conflict,
                "Forbidden" => DomainErrorKind.Forbidden,
                _ => Enum.Parse<DomainErrorKind>(site.Groups["kind"].Value),
            };
            foreach (var code in Resolve(site.Groups["code"].Value.Trim(), constants))
            {
                raised.Add((code, ApiErrors.StatusFor(kind), site.Value));
            }
        }

        // The scan must actually see the raise sites, or it would pass by finding nothing.
        Assert.True(raised.Count > 60, $"Only {raised.Count} raise sites resolved.");
        Assert.Contains(raised, r => r.Code == ProductErrors.InsufficientStock);
        // A token in its owner's wallet is refused the same way whether it is a Shawty or a golden sticker.
        Assert.Equal([409], raised.Where(r => r.Code == ShawtyErrors.InWallet).Select(r => r.Status).Distinct());
        Assert.True(raised.Count(r => r.Code == ShawtyErrors.InWallet) >= 2, "in_wallet is raised by the Shawty rules and by sticker delivery");
        Assert.Contains(raised, r => (r.Code, r.Status) == (OrderErrors.OrderNotCancellable, 409));
        Assert.Contains(raised, r => (r.Code, r.Status) == (PricingErrors.InvalidPricing, 400));
        Assert.Contains(raised, r => (r.Code, r.Status) == (PayoutErrors.InvalidPayoutSchedule, 400));
        Assert.Contains(raised, r => (r.Code, r.Status) == (ErrorCodes.InvalidCursor, 400));
        var ambiguous = raised.GroupBy(r => r.Code)
            .Where(g => g.Select(r => r.Status).Distinct().Count() > 1)
            .Select(g => $"{g.Key}: {string.Join("; ", g.Select(r => $"{r.Status} at {r.Site}").Distinct())}")
            .ToList();
        Assert.True(ambiguous.Count == 0, "Codes raised with more than one status:\n" + string.Join("\n", ambiguous));
    }

    /// <summary>The values a code expression can stand for: a literal, or a constant by its (last) name.</summary>
    private static IEnumerable<string> Resolve(string expression, Dictionary<string, List<string>> constants, int depth = 0)
    {
        if (expression.StartsWith('"'))
        {
            return [expression.Trim('"')];
        }

        var parts = expression.Split('.');
        var name = parts.Length > 1 ? $"{parts[^2]}.{parts[^1]}" : parts[0];
        // Names are matched without their class, so a constant that aliases one of the same name would loop.
        if (depth > 3 || !constants.TryGetValue(name, out var values))
        {
            return [];
        }

        // A constant defined as another constant (const string X = Other.Y) resolves through it.
        return values.SelectMany(v => v.StartsWith('"') ? [v.Trim('"')] : Resolve(v, constants, depth + 1)).Distinct();
    }

    private static string RepoFolder(string folder) =>
        Path.GetDirectoryName(RepoFiles.PathOf(Path.Combine(folder, folder switch
        {
            "api" => "FanForge.Api.csproj",
            "grains" => "FanForge.Grains.csproj",
            "grain-interfaces" => "FanForge.GrainInterfaces.csproj",
            _ => "FanForge.Silo.csproj",
        })))!;

    [GeneratedRegex(@"\b(?:class|record|struct)\s+(?<class>\w+)")]
    private static partial Regex ClassPattern();

    [GeneratedRegex(@"const\s+string\s+(?<name>\w+)\s*=\s*(?<value>""[^""]*""|[\w.]+)\s*;")]
    private static partial Regex ConstantPattern();

    [GeneratedRegex(@"DomainException\.(?<factory>Invalid|Conflict|Forbidden)\(\s*(?<code>""[^""]*""|[\w.]+)\s*,|new(?:\s+DomainException)?\(\s*DomainErrorKind\.(?<kind>\w+)\s*,\s*(?<code>""[^""]*""|[\w.]+)\s*,")]
    private static partial Regex RaisePattern();
}
