namespace FanForge.Grains.Algorand;

/// <summary>
/// Builds a map the way go-algorand's codec writes it (<c>omitempty</c> tags): zero values are left out (0, false, "",
/// empty bytes/arrays, an all-zero fixed 32-byte value, a nested map with no entries) and keys are written in
/// ordinal order whatever order they were added in.
/// </summary>
internal sealed class CanonicalMap
{
    public const int FixedLength = 32;

    private readonly List<KeyValuePair<string, byte[]>> entries = [];

    public bool IsEmpty => entries.Count == 0;

    public CanonicalMap Add(string key, ulong value) => value == 0 ? this : Add(key, writer => writer.WriteUInt(value));

    public CanonicalMap Add(string key, bool value) => value ? Add(key, writer => writer.WriteBoolean(true)) : this;

    public CanonicalMap Add(string key, string value) => value.Length == 0 ? this : Add(key, writer => writer.WriteString(value));

    public CanonicalMap Add(string key, AlgorandAddress address) => AddFixed(key, address.PublicKey);

    public CanonicalMap Add(string key, CanonicalMap map) => map.IsEmpty ? this : Add(key, map.WriteTo);

    /// <summary>Variable-length bytes (note, args, programs): left out only when empty; 32 zero bytes are kept.</summary>
    public CanonicalMap AddBytes(string key, ReadOnlyMemory<byte> value) =>
        value.IsEmpty ? this : Add(key, writer => writer.WriteBytes(value.Span));

    /// <summary>A fixed 32-byte value (address, hash, group, lease): left out when empty or all zero.</summary>
    public CanonicalMap AddFixed(string key, ReadOnlyMemory<byte> value) =>
        IsZeroFixed(value.Span) ? this : Add(key, writer => writer.WriteBytes(value.Span));

    public CanonicalMap AddArray<T>(string key, IReadOnlyList<T> items, Action<MsgpackWriter, T> writeItem) =>
        items.Count == 0 ? this : Add(key, writer =>
        {
            writer.WriteArrayHeader(items.Count);
            foreach (var item in items)
            {
                writeItem(writer, item);
            }
        });

    public void WriteTo(MsgpackWriter writer)
    {
        writer.WriteMapHeader(entries.Count);
        foreach (var (key, value) in entries.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            writer.WriteString(key);
            writer.WriteRaw(value);
        }
    }

    public byte[] Encode()
    {
        var writer = new MsgpackWriter();
        WriteTo(writer);
        return writer.ToArray();
    }

    public static bool IsZeroFixed(ReadOnlySpan<byte> value) => !value.ContainsAnyExcept((byte)0);

    private CanonicalMap Add(string key, Action<MsgpackWriter> writeValue)
    {
        var writer = new MsgpackWriter();
        writeValue(writer);
        entries.Add(new(key, writer.ToArray()));
        return this;
    }
}
