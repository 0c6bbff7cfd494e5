using System.Text.Json.Serialization;
using FanForge.Api.Audit;
using FanForge.Api.Auth;
using FanForge.Api.Responses;
using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Chain;
using FanForge.GrainInterfaces.Audit;
using FanForge.GrainInterfaces.Creators;
using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Nfts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FanForge.Api.Creators;

/// <summary>
/// TipProxy tooling: unsigned transactions for the creator's wallet to sign (pause, unpause, upgrade, fund,
/// self-deploy) and the program's description. The platform cannot pause or upgrade a creator's jar: only the
/// creator's key may (the program says so).
/// </summary>
internal static class ContractApi
{
    private static readonly string[] Methods = ["tip", "withdraw", "pause", "unpause", "update_min_tip"];

    public static IEndpointRouteBuilder MapContracts(this IEndpointRouteBuilder routes)
    {
        var creator = routes.MapGroup("/creator/{wallet}").WithTags("Creator").RequireAuthorization(Policies.Creator);
        creator.MapPost("/pause-contract", (string wallet, HttpContext context, IGrainFactory grains, AuditRecorder audit) =>
                CreatorCallAsync(wallet, "pause", AuditKinds.ContractPause, context, grains, audit))
            .Audited(AuditKinds.ContractPause)
            .WithSummary("The unsigned app call that pauses the creator's TipProxy (the creator's wallet signs it)");
        creator.MapPost("/unpause-contract", (string wallet, HttpContext context, IGrainFactory grains, AuditRecorder audit) =>
                CreatorCallAsync(wallet, "unpause", AuditKinds.ContractUnpause, context, grains, audit))
            .Audited(AuditKinds.ContractUnpause)
            .WithSummary("The unsigned app call that unpauses the creator's TipProxy (the creator's wallet signs it)");
        creator.MapPost("/upgrade-contract", UpgradeAsync).Audited(AuditKinds.ContractUpgrade)
            .WithSummary("The unsigned update that moves the creator's TipProxy to the current program, same app id (the creator's wallet signs it)");

        var contract = routes.MapGroup("/contract").WithTags("Contracts");
        contract.MapGet("/info", (string? name) => TypedResults.Ok(Info(name ?? TipProxyName))).AllowAnonymous()
            .WithSummary("What a platform contract is: schema, methods, version");
        contract.MapGet("/list", () => TypedResults.Ok(new ContractList([Info(TipProxyName)]))).AllowAnonymous()
            .WithSummary("The platform's contracts");
        contract.MapPost("/fund", FundAsync).RequireAuthorization(Policies.Authenticated)
            .WithSummary("An unsigned payment from the caller to an app's account");
        contract.MapPost("/deploy", DeployAsync).RequireAuthorization(Policies.Authenticated)
            .WithSummary("An unsigned TipProxy creation with the caller as its creator (self-deployment; registering deploys one for you)");
        return routes;
    }

    private const string TipProxyName = "tip_proxy";

    private static ContractInfo Info(string name) => name == TipProxyName
        ? new ContractInfo(true, TipProxyName, "FanForge TipProxy: a creator's tip jar; tips accumulate, the creator withdraws", TipProxy.Version,
            (int)TipProxy.GlobalSchema.NumUints, (int)TipProxy.GlobalSchema.NumByteSlices, 0, 0, Methods, null)
        : new ContractInfo(false, name, null, null, null, null, null, null, null, $"Contract '{name}' not compiled yet");

    private static async Task<(TransactionParams Chain, AlgorandAddress Sender)> PrepareAsync(IGrainFactory grains, string sender) =>
        (TransactionParams.From(await grains.GetGrain<IChainInfo>(0).GetParamsAsync()), AlgorandAddress.Parse(sender));

    /// <summary>The path creator's TipProxy; the prototype's 404 when it has none.</summary>
    private static async Task<(string Creator, TipProxyContract App)> ContractOfAsync(string wallet, IGrainFactory grains)
    {
        var creator = RequestValues.Wallet(wallet);
        var app = (await grains.GetGrain<ICreator>(creator).GetProfileAsync())?.Contract ?? throw CreatorsApi.NoActiveContract(creator);
        return (creator, app);
    }

    private static async Task<Ok<ContractCallResponse>> CreatorCallAsync(
        string wallet, string action, string kind, HttpContext context, IGrainFactory grains, AuditRecorder audit)
    {
        var (creator, app) = await ContractOfAsync(wallet, grains);
        var (chain, sender) = await PrepareAsync(grains, creator);
        var call = (PlatformTransactions.FromParams(chain, TransactionType.ApplicationCall, sender) with
        {
            ApplicationId = app.AppId,
            ApplicationArgs = [System.Text.Encoding.ASCII.GetBytes(action)],
        }).WithFlatFee(chain);
        await audit.RecordAsync(context, ContractCallAudit(kind, creator, app.AppId, call, new { action, app_id = app.AppId, txid = call.TxId }));
        return TypedResults.Ok(new ContractCallResponse(Convert.ToBase64String(call.Encode()), app.AppId, action,
            $"Sign this transaction with Pera Wallet to {action} your TipProxy"));
    }

    /// <summary>
    /// In place, never a second app: the watcher reads each creator's one app from its own cursor, so a new app id
    /// would split the tip history. The update carries the programs a deployment would use now; the program being
    /// replaced bumps the on-chain version, which is why the new version is read from the chain, not the profile.
    /// </summary>
    private static async Task<Ok<UpgradeContractResponse>> UpgradeAsync(string wallet, HttpContext context, IGrainFactory grains, AuditRecorder audit)
    {
        var (creator, app) = await ContractOfAsync(wallet, grains);
        var stats = await grains.GetGrain<ICreator>(creator).GetContractStatsAsync() ?? throw CreatorsApi.NoActiveContract(creator);
        var deployment = await grains.GetGrain<IChainInfo>(0).GetTipProxyDeploymentAsync();
        var (chain, sender) = await PrepareAsync(grains, creator);
        var update = TipProxy.BuildUpdate(sender, app.AppId, chain, (deployment.Approval, deployment.Clear));
        var version = stats.ContractVersion + 1;
        await audit.RecordAsync(context, ContractCallAudit(AuditKinds.ContractUpgrade, creator, app.AppId, update,
            new { action = "upgrade", app_id = app.AppId, txid = update.TxId, from_version = stats.ContractVersion, to_version = version }));
        return TypedResults.Ok(new UpgradeContractResponse(
            app.AppId, app.AppId, app.AppAddress, version, $"Sign this transaction with Pera Wallet to upgrade your TipProxy to v{version}",
            Convert.ToBase64String(update.Encode()), app.AppId, "upgrade"));
    }

    /// <summary>
    /// The platform hands out the unsigned call; the creator's key decides whether it ever runs. So the entry records the
    /// request (keyed by the transaction's id: the same call asked for twice in a round is one entry), and the chain
    /// records the outcome.
    /// </summary>
    private static AuditChange ContractCallAudit(string kind, string creator, ulong appId, Transaction transaction, object call) =>
        new(kind, $"contract:{appId}:{transaction.TxId}", $"contract:{appId}", creator, AuditChanges.Diff(null, call));

    private static async Task<Ok<FundResponse>> FundAsync(FundContractRequest request, HttpContext context, IGrainFactory grains)
    {
        var sender = RequestValues.Wallet(request.Sender);
        context.User.RequireCallerWallet(sender, "sender");
        var appId = (ulong)RequestValues.PositiveId(request.AppId ?? request.AppIdSnake, "appId");
        var amount = request.Amount ?? 100_000;
        if (amount is 0 or > 1_000_000_000_000)
        {
            throw DomainException.Invalid(ErrorCodes.Validation, "amount must be 1 to 1,000,000,000,000 micro-ALGO.");
        }

        var (chain, from) = await PrepareAsync(grains, sender);
        var appAddress = AlgorandAddress.ForApplication(appId);
        var pay = (PlatformTransactions.FromParams(chain, TransactionType.Payment, from) with { Receiver = appAddress, Amount = amount }).WithFlatFee(chain);
        return TypedResults.Ok(new FundResponse(Convert.ToBase64String(pay.Encode()), appAddress.ToString(), amount));
    }

    private static async Task<Ok<DeployResponse>> DeployAsync(DeployContractRequest request, HttpContext context, IGrainFactory grains)
    {
        var sender = RequestValues.Wallet(request.Sender);
        context.User.RequireCallerWallet(sender, "sender");
        var name = request.ContractName ?? request.ContractNameSnake ?? TipProxyName;
        if (name != TipProxyName)
        {
            throw new DomainException(DomainErrorKind.NotFound, ErrorCodes.NotFound, $"Contract '{name}' not found.");
        }

        var deployment = await grains.GetGrain<IChainInfo>(0).GetTipProxyDeploymentAsync();
        var (chain, creator) = await PrepareAsync(grains, sender);
        var create = TipProxy.BuildCreate(
            AlgorandAddress.Parse(deployment.Platform), creator, (ulong)MicroAlgo.FromAlgo(0.5m), chain, (deployment.Approval, deployment.Clear), sender: creator);
        return TypedResults.Ok(new DeployResponse(Convert.ToBase64String(create.Encode()), name,
            new DeployArgs(new Schema((int)TipProxy.GlobalSchema.NumUints, (int)TipProxy.GlobalSchema.NumByteSlices), new Schema(0, 0))));
    }
}

internal sealed record ContractInfo(
    bool Compiled, string Name, string? Description, ulong? Version,
    [property: JsonPropertyName("global_uints")] int? GlobalUints,
    [property: JsonPropertyName("global_bytes")] int? GlobalBytes,
    [property: JsonPropertyName("local_uints")] int? LocalUints,
    [property: JsonPropertyName("local_bytes")] int? LocalBytes,
    IReadOnlyList<string>? Methods,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error);

internal sealed record ContractList(IReadOnlyList<ContractInfo> Contracts);

internal sealed record ContractCallResponse(string UnsignedTxn, ulong AppId, string Action, string Message);

/// <summary>The prototype's upgrade answer (old and new app are one app now) plus pause-contract's fields.</summary>
internal sealed record UpgradeContractResponse(
    ulong OldAppId, ulong NewAppId, string NewAppAddress, ulong NewVersion, string Message, string UnsignedTxn, ulong AppId, string Action);

internal sealed record FundContractRequest(string? Sender, long? AppId, [property: JsonPropertyName("app_id")] long? AppIdSnake, ulong? Amount);

internal sealed record FundResponse(string UnsignedTxn, string AppAddress, ulong Amount);

internal sealed record DeployContractRequest(string? Sender, string? ContractName, [property: JsonPropertyName("contract_name")] string? ContractNameSnake);

internal sealed record Schema(int NumUints, int NumBytes);

internal sealed record DeployArgs(Schema GlobalSchema, Schema LocalSchema);

internal sealed record DeployResponse(string UnsignedTxn, string ContractName, DeployArgs AppArgs);
