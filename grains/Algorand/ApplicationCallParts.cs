namespace FanForge.Grains.Algorand;

/// <summary>What an application call does after running (<c>apan</c>); NoOp is 0 and therefore left out.</summary>
public enum OnCompletion : ulong
{
    NoOp = 0,
    OptIn = 1,
    CloseOut = 2,
    ClearState = 3,
    UpdateApplication = 4,
    DeleteApplication = 5,
}

/// <summary>An application's storage allowance (<c>apgs</c>/<c>apls</c>): <c>nui</c> uints and <c>nbs</c> byte slices.</summary>
public readonly record struct StateSchema(ulong NumUints, ulong NumByteSlices)
{
    internal CanonicalMap ToMap() => new CanonicalMap()
        .Add("nbs", NumByteSlices)
        .Add("nui", NumUints);

    internal static StateSchema Read(ref MsgpackReader reader)
    {
        var schema = default(StateSchema);
        reader.ReadMap((ref MsgpackReader entry, string key) => schema = key switch
        {
            "nbs" => schema with { NumByteSlices = entry.ReadUInt() },
            "nui" => schema with { NumUints = entry.ReadUInt() },
            _ => throw CanonicalDecoding.UnknownField(key, "a state schema"),
        });
        return schema;
    }
}

/// <summary>
/// A box the call may touch (<c>apbx</c> entry): <paramref name="AppIndex"/> is 0 for the called app, otherwise the
/// 1-based position of the app in <c>apfa</c> (not an app id); <paramref name="Name"/> is the box name.
/// </summary>
public sealed record BoxReference(ulong AppIndex, ReadOnlyMemory<byte> Name)
{
    public bool Equals(BoxReference? other) =>
        other is not null && AppIndex == other.AppIndex && Name.Span.SequenceEqual(other.Name.Span);

    public override int GetHashCode() => HashCode.Combine(AppIndex, Name.Length);

    internal CanonicalMap ToMap() => new CanonicalMap()
        .Add("i", AppIndex)
        .AddBytes("n", Name);

    internal static BoxReference Read(ref MsgpackReader reader)
    {
        var box = new BoxReference(0, ReadOnlyMemory<byte>.Empty);
        reader.ReadMap((ref MsgpackReader entry, string key) => box = key switch
        {
            "i" => box with { AppIndex = entry.ReadUInt() },
            "n" => box with { Name = entry.ReadByteArray() },
            _ => throw CanonicalDecoding.UnknownField(key, "a box reference"),
        });
        return box;
    }
}
