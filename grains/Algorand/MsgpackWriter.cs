using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace FanForge.Grains.Algorand;

/// <summary>
/// Writes MessagePack always in its smallest form (fix formats, then 8/16/32/64-bit), which is what Algorand's
/// canonical encoding requires. It does not sort or omit anything: <see cref="CanonicalMap"/> does that.
/// </summary>
public sealed class MsgpackWriter
{
    // Strict: a string with a lone surrogate is a bug to report, not text to replace with U+FFFD silently.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ArrayBufferWriter<byte> buffer = new(256);

    public byte[] ToArray() => buffer.WrittenSpan.ToArray();

    public void WriteMapHeader(int count) =>
        WriteHeader(count, Msgpack.FixMap, Msgpack.FixMapMaxCount, prefix8: null, Msgpack.Map16, Msgpack.Map32);

    public void WriteArrayHeader(int count) =>
        WriteHeader(count, Msgpack.FixArray, Msgpack.FixArrayMaxCount, prefix8: null, Msgpack.Array16, Msgpack.Array32);

    public void WriteString(string value) => WriteString(StrictUtf8.GetBytes(value));

    /// <summary>Writes already UTF-8 encoded text as a msgpack str.</summary>
    public void WriteString(ReadOnlySpan<byte> utf8)
    {
        WriteHeader(utf8.Length, Msgpack.FixStr, Msgpack.FixStrMaxLength, Msgpack.Str8, Msgpack.Str16, Msgpack.Str32);
        WriteRaw(utf8);
    }

    /// <summary>Writes bytes as msgpack bin (there is no fix form for bin).</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteHeader(value.Length, fixPrefix: 0, fixMaxLength: -1, Msgpack.Bin8, Msgpack.Bin16, Msgpack.Bin32);
        WriteRaw(value);
    }

    public void WriteUInt(ulong value)
    {
        switch (value)
        {
            case <= Msgpack.PositiveFixIntMax:
                WriteByte((byte)value);
                break;
            case <= byte.MaxValue:
                WriteByte(Msgpack.UInt8);
                WriteByte((byte)value);
                break;
            case <= ushort.MaxValue:
                WriteUInt16(Msgpack.UInt16, (ushort)value);
                break;
            case <= uint.MaxValue:
                WriteUInt32(Msgpack.UInt32, (uint)value);
                break;
            default:
                WriteByte(Msgpack.UInt64);
                BinaryPrimitives.WriteUInt64BigEndian(buffer.GetSpan(sizeof(ulong)), value);
                buffer.Advance(sizeof(ulong));
                break;
        }
    }

    public void WriteBoolean(bool value) => WriteByte(value ? Msgpack.True : Msgpack.False);

    /// <summary>Copies bytes that already are msgpack (a nested value encoded elsewhere).</summary>
    public void WriteRaw(ReadOnlySpan<byte> encoded) => buffer.Write(encoded);

    /// <summary>The one length ladder of map, array, str and bin headers: fix form, then 8-, 16- and 32-bit lengths.</summary>
    private void WriteHeader(int length, byte fixPrefix, int fixMaxLength, byte? prefix8, byte prefix16, byte prefix32)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length <= fixMaxLength)
        {
            WriteByte((byte)(fixPrefix | length));
        }
        else if (prefix8 is { } prefix && length <= byte.MaxValue)
        {
            WriteByte(prefix);
            WriteByte((byte)length);
        }
        else if (length <= ushort.MaxValue)
        {
            WriteUInt16(prefix16, (ushort)length);
        }
        else
        {
            WriteUInt32(prefix32, (uint)length);
        }
    }

    private void WriteUInt16(byte prefix, ushort value)
    {
        WriteByte(prefix);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.GetSpan(sizeof(ushort)), value);
        buffer.Advance(sizeof(ushort));
    }

    private void WriteUInt32(byte prefix, uint value)
    {
        WriteByte(prefix);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.GetSpan(sizeof(uint)), value);
        buffer.Advance(sizeof(uint));
    }

    private void WriteByte(byte value)
    {
        buffer.GetSpan(1)[0] = value;
        buffer.Advance(1);
    }
}
