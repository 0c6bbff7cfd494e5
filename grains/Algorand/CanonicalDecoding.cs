namespace FanForge.Grains.Algorand;

/// <summary>Reads one value (a map's entry, an array's item) from a <see cref="MsgpackReader"/> passed by reference.</summary>
internal delegate T ReadValue<out T>(ref MsgpackReader reader);

/// <summary>Reads the value of the map entry named <paramref name="key"/>.</summary>
internal delegate void ReadEntry(ref MsgpackReader reader, string key);

/// <summary>
/// The decoding half of <see cref="CanonicalMap"/>: typed reads of Algorand values and the rule that accepted bytes are
/// exactly what we would encode, because algod hashes and verifies its own re-encoding.
/// </summary>
internal static class CanonicalDecoding
{
    public static T Decode<T>(ReadOnlySpan<byte> encoded, string what, ReadValue<T> read, Func<T, byte[]> encode)
    {
        var reader = new MsgpackReader(encoded);
        var value = read(ref reader);
        if (!reader.End)
        {
            throw new AlgorandEncodingException($"{reader.Remaining} unexpected bytes follow the {what}");
        }

        return encoded.SequenceEqual(encode(value))
            ? value
            : throw new AlgorandEncodingException(
                $"The {what} is not canonically encoded (a zero field present, a non-minimal integer or length, or a text/bytes type mix-up); algod would hash different bytes");
    }

    /// <summary>Reads a map whose keys must be sorted and unique, handing each entry to <paramref name="readEntry"/>.</summary>
    public static void ReadMap(this ref MsgpackReader reader, ReadEntry readEntry)
    {
        string? previousKey = null;
        for (var remaining = reader.ReadMapHeader(); remaining > 0; remaining--)
        {
            var key = reader.ReadSortedKey(ref previousKey);
            readEntry(ref reader, key);
        }
    }

    public static IReadOnlyList<T> ReadArray<T>(this ref MsgpackReader reader, ReadValue<T> readItem)
    {
        var items = new T[reader.ReadArrayHeader()];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = readItem(ref reader);
        }

        return items;
    }

    public static ReadOnlyMemory<byte> ReadByteArray(this ref MsgpackReader reader) => reader.ReadBytes().ToArray();

    public static ReadOnlyMemory<byte> ReadFixed(this ref MsgpackReader reader)
    {
        var offset = reader.Position;
        var value = reader.ReadBytes();
        return value.Length == CanonicalMap.FixedLength
            ? value.ToArray()
            : throw new AlgorandEncodingException($"A {CanonicalMap.FixedLength}-byte value at byte {offset} has {value.Length} bytes");
    }

    public static AlgorandAddress ReadAddress(this ref MsgpackReader reader) => AlgorandAddress.FromPublicKey(reader.ReadFixed().Span);

    public static AlgorandEncodingException UnknownField(string key, string where) =>
        new($"Unknown or unsupported field \"{key}\" in {where}");

    /// <summary>Guards the fixed 32-byte properties: empty (not set) or exactly 32 bytes.</summary>
    public static ReadOnlyMemory<byte> RequireFixed(ReadOnlyMemory<byte> value, string name) =>
        value.Length is 0 or CanonicalMap.FixedLength
            ? value
            : throw new ArgumentException($"{name} is {CanonicalMap.FixedLength} bytes (or empty when not set), not {value.Length}", name);
}
