namespace FanForge.GrainInterfaces.Chain;

/// <summary>Every creator's TipProxy app (one grain, key <see cref="Key"/>): what the chain watcher reads.</summary>
[Alias("ff.ICreatorDirectory")]
public interface ICreatorDirectory : IGrainWithStringKey
{
    /// <summary>The only key.</summary>
    public const string Key = "creators";

    /// <summary>Records a creator's app (idempotent); its tips are read from the round it was created in.</summary>
    [Alias("Register")]
    Task RegisterAsync(CreatorApp app);

    /// <summary>Every registered app.</summary>
    [Alias("GetApps")]
    Task<IReadOnlyList<CreatorApp>> GetAppsAsync();
}

/// <summary>A creator's TipProxy application and the round it was created in.</summary>
[GenerateSerializer, Immutable, Alias("ff.CreatorApp")]
public sealed record CreatorApp(
    [property: Id(0)] string Creator,
    [property: Id(1)] ulong AppId,
    [property: Id(2)] ulong CreatedRound);
