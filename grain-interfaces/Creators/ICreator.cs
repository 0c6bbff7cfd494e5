namespace FanForge.GrainInterfaces.Creators;

/// <summary>A creator (key: wallet address): profile and role. Every wallet is a fan; registration makes it a creator.</summary>
[Alias("ff.ICreator")]
public interface ICreator : IGrainWithStringKey
{
    /// <summary>
    /// Registers the wallet as a creator and deploys its TipProxy (the platform pays). An identical repeat returns
    /// the first profile, finishing a deployment an earlier attempt left unconfirmed; a different second registration
    /// is a 409 <c>already_registered</c> naming the first one, as the prototype has it; nothing changes.
    /// </summary>
    [Alias("Register")]
    Task<CreatorProfile> RegisterAsync(RegisterCreator command);

    /// <summary>The profile, or null for a wallet that never registered.</summary>
    [Alias("GetProfile")]
    Task<CreatorProfile?> GetProfileAsync();
}

/// <summary>Registration input; the minimum tip is integer micro-ALGO.</summary>
[GenerateSerializer, Immutable, Alias("ff.RegisterCreator")]
public sealed record RegisterCreator([property: Id(0)] string? Username, [property: Id(1)] long MinTipMicroAlgo);

/// <summary>A registered creator; <see cref="Contract"/> is null until its TipProxy is confirmed on chain.</summary>
[GenerateSerializer, Immutable, Alias("ff.CreatorProfile")]
public sealed record CreatorProfile(
    [property: Id(0)] string Wallet,
    [property: Id(1)] string? Username,
    [property: Id(2)] long MinTipMicroAlgo,
    [property: Id(3)] DateTimeOffset RegisteredAt,
    [property: Id(4)] TipProxyContract? Contract = null);

/// <summary>A creator's deployed TipProxy: fans pay <see cref="AppAddress"/> and call <see cref="AppId"/>.</summary>
[GenerateSerializer, Immutable, Alias("ff.TipProxyContract")]
public sealed record TipProxyContract(
    [property: Id(0)] ulong AppId,
    [property: Id(1)] string AppAddress,
    [property: Id(2)] ulong Version,
    [property: Id(3)] string TxId,
    [property: Id(4)] ulong CreatedRound,
    [property: Id(5)] DateTimeOffset DeployedAt);
