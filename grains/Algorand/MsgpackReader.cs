using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace FanForge.Grains.Algorand;

/// <summary>
/// Reads MessagePack from untrusted bytes. Every length is checked against what is left, so malformed or truncated
/// input throws <see cref="AlgorandEncodingException"/> and never an index error. It accepts non-minimal forms (a
/// <c>u16</c> holding 5); canonical checks belong to the decoders, which re-encode and compare.
/// <see cref="Position"/> and <see cref="ReadRaw"/> give the exact bytes of a nested value (the <c>txn</c> of a signed txn).
/// </summary>
public ref struct MsgpackReader
{
    private readonly ReadOnlySpan<byte> data;

    public MsgpackReader(ReadOnlySpan<byte> data) => this.data = data;

    public int Position { get; private set; }

    public readonly int Remaining => data.Length - Position;

    public readonly bool End => Position == data.Length;

    public ulong ReadUInt() => ReadExpected(MsgpackType.UnsignedInteger);

    public uint ReadUInt32()
    {
        var offset = Position;
        var value = ReadUInt();
        return value <= uint.MaxValue ? (uint)value : throw Refused(offset, $"{value} does not fit in 32 bits");
    }

    public bool ReadBoolean() => ReadExpected(MsgpackType.Boolean) == 1;

    public int ReadMapHeader() => ReadCount(MsgpackType.Map, minimumBytesPerItem: 2);

    public int ReadArrayHeader() => ReadCount(MsgpackType.Array, minimumBytesPerItem: 1);

    public ReadOnlySpan<byte> ReadBytes() => Take(ReadExpected(MsgpackType.Binary));

    public string ReadString()
    {
        var offset = Position;
        var utf8 = Take(ReadExpected(MsgpackType.String));
        return Utf8.IsValid(utf8) ? Encoding.UTF8.GetString(utf8) : throw Refused(offset, "string is not valid UTF-8");
    }

    /// <summary>Reads a map key that must sort strictly after <paramref name="previousKey"/>: canonical maps have sorted, unique keys.</summary>
    public string ReadSortedKey(ref string? previousKey)
    {
        var offset = Position;
        var key = ReadString();
        if (previousKey is not null && string.CompareOrdinal(previousKey, key) >= 0)
        {
            throw Refused(offset, $"key \"{key}\" after \"{previousKey}\": keys must be sorted and unique");
        }

        previousKey = key;
        return key;
    }

    /// <summary>Returns the complete encoding of the next value (header and contents) and moves past it.</summary>
    public ReadOnlySpan<byte> ReadRaw()
    {
        var start = Position;
        Skip();
        return data[start..Position];
    }

    /// <summary>Moves past the next value. Iterative (a count of values still to skip), so deep nesting cannot overflow the stack.</summary>
    public void Skip()
    {
        ulong pending = 1;
        while (pending > 0)
        {
            pending--;
            var offset = Position;
            var (type, value) = ReadHeader();
            switch (type)
            {
                case MsgpackType.String or MsgpackType.Binary:
                    Take(value);
                    break;
                case MsgpackType.Map or MsgpackType.Array:
                    pending += type == MsgpackType.Map ? value * 2 : value;
                    if (pending > (ulong)Remaining)
                    {
                        throw Refused(offset, $"{type} of {value} entries is longer than the {Remaining} bytes left");
                    }

                    break;
            }
        }
    }

    private int ReadCount(MsgpackType type, int minimumBytesPerItem)
    {
        var offset = Position;
        var count = ReadExpected(type);
        // Checked before any caller sizes a collection by it: each item takes at least one byte.
        return count * (ulong)minimumBytesPerItem <= (ulong)Remaining
            ? (int)count
            : throw Refused(offset, $"{type} of {count} entries is longer than the {Remaining} bytes left");
    }

    private ulong ReadExpected(MsgpackType expected)
    {
        var offset = Position;
        var (type, value) = ReadHeader();
        return type == expected ? value : throw Refused(offset, $"expected {expected}, found {type}");
    }

    /// <summary>Reads one format byte and its fixed-size header: the integer value, the boolean (1 = true), or the length/count.</summary>
    private (MsgpackType Type, ulong Value) ReadHeader()
    {
        var offset = Position;
        var format = Take(1)[0];
        return format switch
        {
            <= Msgpack.PositiveFixIntMax => (MsgpackType.UnsignedInteger, format),
            < Msgpack.FixArray => (MsgpackType.Map, (ulong)(format & 0x0f)),
            < Msgpack.FixStr => (MsgpackType.Array, (ulong)(format & 0x0f)),
            <= Msgpack.FixStr + Msgpack.FixStrMaxLength => (MsgpackType.String, (ulong)(format & 0x1f)),
            Msgpack.Nil => (MsgpackType.Nil, 0),
            Msgpack.False => (MsgpackType.Boolean, 0),
            Msgpack.True => (MsgpackType.Boolean, 1),
            >= Msgpack.Bin8 and <= Msgpack.Bin32 => (MsgpackType.Binary, ReadBigEndian(1 << (format - Msgpack.Bin8))),
            >= Msgpack.UInt8 and <= Msgpack.UInt64 => (MsgpackType.UnsignedInteger, ReadBigEndian(1 << (format - Msgpack.UInt8))),
            >= Msgpack.Int8 and <= Msgpack.Int64 => (MsgpackType.SignedInteger, ReadBigEndian(1 << (format - Msgpack.Int8))),
            >= Msgpack.Str8 and <= Msgpack.Str32 => (MsgpackType.String, ReadBigEndian(1 << (format - Msgpack.Str8))),
            >= Msgpack.Array16 and <= Msgpack.Array32 => (MsgpackType.Array, ReadBigEndian(2 << (format - Msgpack.Array16))),
            >= Msgpack.Map16 and <= Msgpack.Map32 => (MsgpackType.Map, ReadBigEndian(2 << (format - Msgpack.Map16))),
            >= Msgpack.NegativeFixIntMin => (MsgpackType.SignedInteger, format),
            _ => throw Refused(offset, $"unsupported msgpack format 0x{format:x2} (float, ext or reserved)"),
        };
    }

    private ulong ReadBigEndian(int size)
    {
        var bytes = Take((ulong)size);
        return size switch
        {
            1 => bytes[0],
            2 => BinaryPrimitives.ReadUInt16BigEndian(bytes),
            4 => BinaryPrimitives.ReadUInt32BigEndian(bytes),
            _ => BinaryPrimitives.ReadUInt64BigEndian(bytes),
        };
    }

    private ReadOnlySpan<byte> Take(ulong length)
    {
        if (length > (ulong)Remaining)
        {
            throw Refused(Position, $"needs {length} bytes but only {Remaining} are left (truncated)");
        }

        var slice = data.Slice(Position, (int)length);
        Position += (int)length;
        return slice;
    }

    private static AlgorandEncodingException Refused(int offset, string reason) =>
        new($"Malformed msgpack at byte {offset}: {reason}");
}
