namespace FanForge.GrainInterfaces.Nfts;

/// <summary>The chain's parameters as clients need them to build transactions.</summary>
[GenerateSerializer, Immutable, Alias("ff.ChainParams")]
public sealed record ChainParams(
    [property: Id(0)] ulong FeePerByte,
    [property: Id(1)] ulong MinFee,
    [property: Id(2)] ulong LastRound,
    [property: Id(3)] string GenesisId,
    [property: Id(4)] byte[] GenesisHash);

/// <summary>Reads of the chain for the API (which holds no node client of its own); any silo answers.</summary>
[Alias("ff.IChainInfo")]
public interface IChainInfo : IGrainWithIntegerKey
{
    /// <summary>The node's suggested parameters now.</summary>
    [Alias("GetParams")]
    Task<ChainParams> GetParamsAsync();

    /// <summary>TipProxy's compiled programs and the platform account that a deployment names.</summary>
    [Alias("GetTipProxyDeployment")]
    Task<TipProxyDeployment> GetTipProxyDeploymentAsync();
}

/// <summary>What a TipProxy creation needs besides the creator: the programs and the platform's address.</summary>
[GenerateSerializer, Immutable, Alias("ff.TipProxyDeployment")]
public sealed record TipProxyDeployment([property: Id(0)] byte[] Approval, [property: Id(1)] byte[] Clear, [property: Id(2)] string Platform);
