using System.Text;
using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Chain;

namespace FanForge.Tests.Algorand.Clients;

/// <summary>Our TipProxy TEAL, compiled by a node that speaks algod's real /v2/teal/compile format.</summary>
public sealed class TipProxyProgramTests : IAsyncLifetime
{
    private FakeAlgorandNode node = null!;

    public async Task InitializeAsync() => node = await FakeAlgorandNode.StartAsync();

    public async Task DisposeAsync() => await node.DisposeAsync();

    private CompiledTipProxyPrograms Programs() =>
        new(new AlgodHttpClient(new HttpClient(), AlgodClientTests.FastOptions(node.BaseUrl), TimeProvider.System));

    [Fact]
    public async Task Both_programs_are_compiled_by_the_node_once_per_process()
    {
        var programs = Programs();

        var first = await programs.GetAsync(CancellationToken.None);
        var second = await programs.GetAsync(CancellationToken.None);

        var compiles = node.RequestsTo("/v2/teal/compile");
        Assert.Equal(2, compiles.Count);
        Assert.Equal(CompiledTipProxyPrograms.ApprovalSource, Encoding.UTF8.GetString(compiles[0].Body));
        Assert.Equal(CompiledTipProxyPrograms.ClearSource, Encoding.UTF8.GetString(compiles[1].Body));
        Assert.Equal([10, .. Encoding.UTF8.GetBytes(CompiledTipProxyPrograms.ApprovalSource)], first.Approval);
        Assert.Same(first.Approval, second.Approval);
    }

    [Fact]
    public async Task The_shipped_programs_are_version_1_compiled_from_its_source_as_shipped_and_the_current_one()
    {
        var programs = Programs();

        var shipped = await programs.GetShippedAsync(CancellationToken.None);
        var again = await programs.GetShippedAsync(CancellationToken.None);

        Assert.Equal([1UL, TipProxy.Version], shipped.Select(p => p.Version));
        Assert.Equal([10, .. Encoding.UTF8.GetBytes(CompiledTipProxyPrograms.ApprovalV1Source)], shipped[0].Approval);
        Assert.Equal((await programs.GetAsync(CancellationToken.None)).Approval, shipped[1].Approval);
        Assert.Same(shipped, again);
        Assert.Equal(3, node.RequestsTo("/v2/teal/compile").Count);
        Assert.Equal(1UL, TipProxy.ProgramVersionOf(shipped[0].Approval, shipped));
        Assert.Equal(TipProxy.Version, TipProxy.ProgramVersionOf(shipped[1].Approval, shipped));
        Assert.Null(TipProxy.ProgramVersionOf([10, 1, 2, 3], shipped));
    }

    /// <summary>
    /// Apps deployed with version 1 run the bytes its source compiles to; a changed source would make every one of them
    /// look foreign to the chain follower, so the file is pinned to the bytes that were shipped.
    /// </summary>
    [Fact]
    public void Version_1s_source_is_the_one_that_was_shipped()
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(CompiledTipProxyPrograms.ApprovalV1Source)));

        Assert.Equal("2503afbd089dc61e114d7ad2d56903a5ecc841661281d9115c888e5f3ead15be", hash);
        Assert.NotEqual(CompiledTipProxyPrograms.ApprovalV1Source, CompiledTipProxyPrograms.ApprovalSource);
    }

    /// <summary>
    /// Version 2's withdraw, read as code (the simulated ledger applies the same rules, TipProxyPayoutSimulationTests):
    /// exactly two arguments, the sender is the stored creator or the stored platform, and the inner payment's receiver
    /// is the stored creator, never the sender, an argument or a foreign account.
    /// </summary>
    [Fact]
    public void Version_2s_withdraw_admits_the_creator_or_the_platform_and_pays_the_stored_creator()
    {
        var lines = Code(CompiledTipProxyPrograms.ApprovalSource);

        Assert.Equal(
            ["txn NumAppArgs", "int 2", "==", "assert",
             "txn Sender", "byte \"creator\"", "app_global_get", "==", "txn Sender", "byte \"platform\"", "app_global_get", "==", "||", "assert",
             "itxn_begin", "int pay", "itxn_field TypeEnum", "byte \"creator\"", "app_global_get", "itxn_field Receiver",
             "txna ApplicationArgs 1", "btoi", "itxn_field Amount", "int 0", "itxn_field Fee", "itxn_submit", "int 1", "return"],
            After(lines, "withdraw:", 28));
        // Only creation writes creator and platform: no call can change who is paid or who may trigger it.
        Assert.Single(Puts(lines, "creator"));
        Assert.Single(Puts(lines, "platform"));
        // Version 1 keeps its creator-only withdraw to the sender.
        Assert.Equal(["callsub require_creator", "txn NumAppArgs", "int 2", "==", "assert", "itxn_begin", "int pay", "itxn_field TypeEnum", "txn Sender", "itxn_field Receiver"],
            After(Code(CompiledTipProxyPrograms.ApprovalV1Source), "withdraw:", 10));
    }

    private static List<string> Code(string source) => source.Split('\n')
        .Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith("//", StringComparison.Ordinal)).ToList();

    /// <summary>The indices of <c>app_global_put</c>s whose key is <paramref name="key"/> (pushed right before the value).</summary>
    private static List<int> Puts(List<string> lines, string key) =>
        [.. Enumerable.Range(0, lines.Count - 2).Where(i => lines[i] == $"byte \"{key}\"" && lines[i + 2] == "app_global_put")];

    [Fact]
    public async Task A_failed_compile_is_not_remembered()
    {
        node.Enqueue("POST", "/v2/teal/compile", FakeResponse.Error(400, "1: unknown opcode"));
        var programs = Programs();

        await Assert.ThrowsAsync<AlgorandNodeException>(() => programs.GetAsync(CancellationToken.None));
        var compiled = await programs.GetAsync(CancellationToken.None);

        Assert.NotEmpty(compiled.Approval);
    }

    [Fact]
    public void The_program_keeps_the_global_state_and_methods_the_platform_and_the_simulated_ledger_use()
    {
        var source = CompiledTipProxyPrograms.ApprovalSource;

        Assert.StartsWith("#pragma version 10", source, StringComparison.Ordinal);
        foreach (var key in new[] { TipProxy.GlobalKeys.Creator, TipProxy.GlobalKeys.Platform, TipProxy.GlobalKeys.MinTip, TipProxy.GlobalKeys.Paused,
            TipProxy.GlobalKeys.Version, TipProxy.GlobalKeys.TotalTips, TipProxy.GlobalKeys.TotalAmount, "tip", "withdraw", "pause", "unpause", "update_min_tip" })
        {
            Assert.Contains($"byte \"{key}\"", source, StringComparison.Ordinal);
        }

        Assert.Equal((ulong)TipProxy.GlobalSchema.NumUints, (ulong)new[] { "min_tip", "version", "paused", "total_tips", "total_amount" }.Length);
        Assert.Contains("int 1\nreturn", CompiledTipProxyPrograms.ClearSource, StringComparison.Ordinal);
    }

    /// <summary>
    /// No AVM runs here, so the update and delete branches are read as code: the same rules the simulated ledger
    /// applies (TipProxySimulationTests), i.e. the creator only, and an update adds one to <c>version</c>.
    /// </summary>
    [Fact]
    public void An_update_is_the_creators_only_and_adds_one_to_the_version_while_a_delete_changes_nothing()
    {
        var lines = CompiledTipProxyPrograms.ApprovalSource.Split('\n')
            .Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith("//", StringComparison.Ordinal)).ToList();

        Assert.Equal(["txn OnCompletion", "int UpdateApplication", "==", "bnz update_app"], After(lines, "bnz noop", 4));
        Assert.Equal(["txn OnCompletion", "int DeleteApplication", "==", "bnz creator_only"], After(lines, "bnz update_app", 4));
        Assert.Equal(
            ["callsub require_creator", "byte \"version\"", "byte \"version\"", "app_global_get", "int 1", "+", "app_global_put", "int 1", "return"],
            After(lines, "update_app:", 9));
        Assert.Equal(["callsub require_creator", "int 1", "return"], After(lines, "creator_only:", 3));
        Assert.Equal(["txn Sender", "byte \"creator\"", "app_global_get", "==", "assert", "retsub"], After(lines, "require_creator:", 6));
    }

    private static List<string> After(List<string> lines, string anchor, int count)
    {
        var index = lines.IndexOf(anchor);
        Assert.True(index >= 0, $"no line \"{anchor}\" in the approval program");
        return lines.GetRange(index + 1, count);
    }
}
