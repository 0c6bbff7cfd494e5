namespace FanForge.Grains.Algorand;

/// <summary>
/// The parameters of an asset config (<c>apar</c>). Unset addresses are the zero address, which also means "that role
/// is gone for good" (no freeze, no clawback) once the asset exists.
/// </summary>
public sealed record AssetParams
{
    public ulong Total { get; init; }

    public uint Decimals { get; init; }

    public bool DefaultFrozen { get; init; }

    public string UnitName { get; init; } = "";

    public string AssetName { get; init; } = "";

    public string Url { get; init; } = "";

    /// <summary>32 bytes (ARC-3: SHA-256 of the metadata JSON), or empty when not set.</summary>
    public ReadOnlyMemory<byte> MetadataHash { get; init => field = CanonicalDecoding.RequireFixed(value, nameof(MetadataHash)); }

    public AlgorandAddress Manager { get; init; }

    public AlgorandAddress Reserve { get; init; }

    public AlgorandAddress Freeze { get; init; }

    public AlgorandAddress Clawback { get; init; }

    /// <summary>Equal when the encodings are: byte fields compare by content, and an empty hash equals an all-zero one.</summary>
    public bool Equals(AssetParams? other) => other is not null && ToMap().Encode().AsSpan().SequenceEqual(other.ToMap().Encode());

    public override int GetHashCode() => HashCode.Combine(Total, AssetName, UnitName);

    internal CanonicalMap ToMap() => new CanonicalMap()
        .AddFixed("am", MetadataHash)
        .Add("an", AssetName)
        .Add("au", Url)
        .Add("c", Clawback)
        .Add("dc", Decimals)
        .Add("df", DefaultFrozen)
        .Add("f", Freeze)
        .Add("m", Manager)
        .Add("r", Reserve)
        .Add("t", Total)
        .Add("un", UnitName);

    internal static AssetParams Read(ref MsgpackReader reader)
    {
        var parameters = new AssetParams();
        reader.ReadMap((ref MsgpackReader entry, string key) => parameters = key switch
        {
            "am" => parameters with { MetadataHash = entry.ReadFixed() },
            "an" => parameters with { AssetName = entry.ReadString() },
            "au" => parameters with { Url = entry.ReadString() },
            "c" => parameters with { Clawback = entry.ReadAddress() },
            "dc" => parameters with { Decimals = entry.ReadUInt32() },
            "df" => parameters with { DefaultFrozen = entry.ReadBoolean() },
            "f" => parameters with { Freeze = entry.ReadAddress() },
            "m" => parameters with { Manager = entry.ReadAddress() },
            "r" => parameters with { Reserve = entry.ReadAddress() },
            "t" => parameters with { Total = entry.ReadUInt() },
            "un" => parameters with { UnitName = entry.ReadString() },
            _ => throw CanonicalDecoding.UnknownField(key, "asset params"),
        });
        return parameters;
    }
}
