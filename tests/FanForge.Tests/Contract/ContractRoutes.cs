using System.Text.RegularExpressions;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Contract;

/// <summary>One route of the HTTP contract, with its path as the contract writes it (<c>{w}</c>, <c>{id}</c> …).</summary>
public sealed record ContractRoute(string Method, string Path)
{
    /// <summary><c>METHOD /path</c> with every path parameter written <c>{}</c>, so <c>{w}</c> and <c>{wallet}</c> match.</summary>
    public string Key => ContractRoutes.Key(Method, Path);

    public override string ToString() => $"{Method} {Path}";
}

/// <summary>
/// Reads the route list of api/CONTRACT.md: the bullets of "## Routes" (segments separated by " · ", a bullet
/// continued on a line starting with "  ·"; a segment without a method and with a one-segment path inherits the
/// previous method and replaces the previous path's last segment), plus the concrete method + path routes of
/// "## Additions of ours" except the docs page, the WebSocket and the metrics endpoint. A segment it cannot read fails
/// loudly rather than being skipped.
/// </summary>
public static partial class ContractRoutes
{
    public const string ContractFile = "api/CONTRACT.md";

    /// <summary>Additions that are not request/response JSON routes, so the walk leaves them out.</summary>
    private static readonly string[] NotWalked = ["/docs", "/ws", "/metrics"];

    public static IReadOnlyList<ContractRoute> Load() => Parse(RepoFiles.ReadAllText(ContractFile));

    public static string Key(string method, string path) => $"{method} {Placeholder().Replace(path.Split('?')[0], "{}")}";

    public static IReadOnlyList<ContractRoute> Parse(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var routes = new List<ContractRoute>();
        routes.AddRange(ParseRouteSection(Section(lines, "## Routes")));
        routes.AddRange(ParseAdditions(Section(lines, "## Additions of ours")));
        return [.. routes.DistinctBy(r => r.Key)];
    }

    private static IReadOnlyList<string> Section(string[] lines, string heading)
    {
        var start = Array.FindIndex(lines, l => l.StartsWith(heading, StringComparison.Ordinal));
        if (start < 0)
        {
            throw new FormatException($"CONTRACT.md has no \"{heading}\" section.");
        }

        return [.. lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal))];
    }

    private static IEnumerable<ContractRoute> ParseRouteSection(IReadOnlyList<string> lines)
    {
        (string[] Methods, string Path)? previous = null;
        foreach (var line in lines)
        {
            string body;
            if (line.StartsWith("- ", StringComparison.Ordinal))
            {
                previous = null;
                body = line[2..];
            }
            else if (line.StartsWith("  ·", StringComparison.Ordinal))
            {
                body = line.TrimStart()[1..];
            }
            else
            {
                continue; // group titles ("Auth", "Creator (…)") and wrapped notes
            }

            foreach (var raw in body.Split(" · "))
            {
                var segment = raw.Trim();
                var match = RouteSegment().Match(segment);
                string[] methods;
                string path;
                if (match.Success)
                {
                    methods = match.Groups["methods"].Value.Split('|');
                    path = match.Groups["path"].Value;
                }
                else if (ContinuationSegment().Match(segment) is { Success: true } continuation && previous is { } last)
                {
                    methods = last.Methods;
                    path = last.Path[..last.Path.LastIndexOf('/')] + continuation.Groups["path"].Value;
                }
                else
                {
                    throw new FormatException($"CONTRACT.md route segment not understood: \"{segment}\" in \"{line.Trim()}\"");
                }

                previous = (methods, path);
                foreach (var method in methods)
                {
                    yield return new ContractRoute(method, path);
                }
            }
        }
    }

    private static IEnumerable<ContractRoute> ParseAdditions(IReadOnlyList<string> lines) =>
        lines.SelectMany(l => MethodAndPath().Matches(l))
            .Select(m => new ContractRoute(m.Groups["method"].Value, m.Groups["path"].Value))
            .Where(r => !NotWalked.Any(p => r.Path == p || r.Path.StartsWith(p + "/", StringComparison.Ordinal)));

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Placeholder();

    /// <summary><c>METHOD[|METHOD] /path[?query]</c>, then optional notes.</summary>
    [GeneratedRegex(@"^(?<methods>(?:GET|POST|PUT|PATCH|DELETE)(?:\|(?:GET|POST|PUT|PATCH|DELETE))*)\s+(?<path>/[^\s?`]*)(?:\?\S*)?(?:\s.*)?$")]
    private static partial Regex RouteSegment();

    /// <summary><c>/segment</c> alone: the previous route's method and path, with its last segment replaced.</summary>
    [GeneratedRegex(@"^(?<path>/[^\s/?`]+)(?:\?\S*)?(?:\s.*)?$")]
    private static partial Regex ContinuationSegment();

    [GeneratedRegex(@"\b(?<method>GET|POST|PUT|PATCH|DELETE)\s+(?<path>/[^\s,;)`?]*)")]
    private static partial Regex MethodAndPath();
}
