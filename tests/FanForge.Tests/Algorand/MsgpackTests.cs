using FanForge.Grains.Algorand;

namespace FanForge.Tests.Algorand;

/// <summary>The hand-written msgpack at each encoding boundary, and the reader on hostile input.</summary>
public sealed class MsgpackTests
{
    private static string Hex(Action<MsgpackWriter> write)
    {
        var writer = new MsgpackWriter();
        write(writer);
        return Convert.ToHexStringLower(writer.ToArray());
    }

    private static string Repeated(string hexByte, int count) => string.Concat(Enumerable.Repeat(hexByte, count));

    [Theory]
    [InlineData(0UL, "00")]
    [InlineData(127UL, "7f")]
    [InlineData(128UL, "cc80")]
    [InlineData(255UL, "ccff")]
    [InlineData(256UL, "cd0100")]
    [InlineData(65535UL, "cdffff")]
    [InlineData(65536UL, "ce00010000")]
    [InlineData(4294967295UL, "ceffffffff")]
    [InlineData(4294967296UL, "cf0000000100000000")]
    [InlineData(ulong.MaxValue, "cfffffffffffffffff")]
    public void Unsigned_integers_take_the_smallest_form_and_read_back(ulong value, string expected)
    {
        Assert.Equal(expected, Hex(writer => writer.WriteUInt(value)));
        Assert.Equal(value, new MsgpackReader(Convert.FromHexString(expected)).ReadUInt());
    }

    [Theory]
    [InlineData(0, "a0")]
    [InlineData(31, "bf")]
    [InlineData(32, "d920")]
    [InlineData(255, "d9ff")]
    [InlineData(256, "da0100")]
    [InlineData(65536, "db00010000")]
    public void Strings_take_the_smallest_header(int length, string expectedHeader)
    {
        var text = new string('a', length);
        var encoded = Hex(writer => writer.WriteString(text));

        Assert.Equal(expectedHeader + Repeated("61", length), encoded);
        Assert.Equal(text, new MsgpackReader(Convert.FromHexString(encoded)).ReadString());
    }

    [Theory]
    [InlineData(0, "c400")]
    [InlineData(255, "c4ff")]
    [InlineData(256, "c50100")]
    [InlineData(65535, "c5ffff")]
    [InlineData(65536, "c600010000")]
    public void Bytes_are_bin_with_the_smallest_header(int length, string expectedHeader)
    {
        var bytes = new byte[length];
        var encoded = Hex(writer => writer.WriteBytes(bytes));

        Assert.Equal(expectedHeader + Repeated("00", length), encoded);
        Assert.Equal(bytes, new MsgpackReader(Convert.FromHexString(encoded)).ReadBytes().ToArray());
    }

    [Theory]
    [InlineData(0, "80", "90")]
    [InlineData(15, "8f", "9f")]
    [InlineData(16, "de0010", "dc0010")]
    [InlineData(65535, "deffff", "dcffff")]
    [InlineData(65536, "df00010000", "dd00010000")]
    public void Map_and_array_headers_take_the_smallest_form(int count, string mapHeader, string arrayHeader)
    {
        Assert.Equal(mapHeader, Hex(writer => writer.WriteMapHeader(count)));
        Assert.Equal(arrayHeader, Hex(writer => writer.WriteArrayHeader(count)));
    }

    [Fact]
    public void Booleans_and_raw_bytes()
    {
        Assert.Equal("c3c2", Hex(writer =>
        {
            writer.WriteBoolean(true);
            writer.WriteBoolean(false);
        }));
        Assert.Equal("81a16101", Hex(writer => writer.WriteRaw([0x81, 0xa1, 0x61, 0x01])));
    }

    [Fact]
    public void The_reader_accepts_non_minimal_integers_leaving_canonical_checks_to_decoders()
    {
        Assert.Equal(5UL, new MsgpackReader([Msgpack.UInt16, 0, 5]).ReadUInt());
    }

    [Theory]
    [InlineData("ff", "SignedInteger")]
    [InlineData("d3ffffffffffffffff", "SignedInteger")]
    [InlineData("c0", "Nil")]
    [InlineData("c2", "Boolean")]
    [InlineData("a131", "String")]
    [InlineData("ca00000000", "unsupported msgpack format 0xca")]
    [InlineData("", "truncated")]
    [InlineData("cd00", "truncated")]
    public void Reading_an_unsigned_integer_refuses_anything_else(string hex, string messagePart)
    {
        var refused = Assert.Throws<AlgorandEncodingException>(() => new MsgpackReader(Convert.FromHexString(hex)).ReadUInt());

        Assert.Contains(messagePart, refused.Message);
    }

    [Theory]
    [InlineData("c6ffffffff00")] // bin32 claiming 4 GiB
    [InlineData("dbffffffff")] // str32 claiming 4 GiB
    [InlineData("a5616263")] // fixstr 5 with 3 bytes
    public void Lengths_beyond_the_input_throw_an_encoding_error(string hex)
    {
        Assert.Throws<AlgorandEncodingException>(() => new MsgpackReader(Convert.FromHexString(hex)).Skip());
    }

    [Theory]
    [InlineData("ddffffffff00")] // array32 of 4 G items
    [InlineData("dfffffffff00")] // map32 of 4 G entries
    public void Counts_beyond_the_input_throw_before_anything_is_allocated(string hex)
    {
        var bytes = Convert.FromHexString(hex);

        Assert.Throws<AlgorandEncodingException>(() => new MsgpackReader(bytes).Skip());
        Assert.Throws<AlgorandEncodingException>(() => new MsgpackReader(bytes).ReadArrayHeader());
        Assert.Throws<AlgorandEncodingException>(() => new MsgpackReader(bytes).ReadMapHeader());
    }

    [Fact]
    public void Deep_nesting_is_skipped_without_recursion()
    {
        var nested = Enumerable.Repeat((byte)0x91, 1_000_000).Append((byte)0x01).ToArray();
        var reader = new MsgpackReader(nested);

        Assert.Equal(nested.Length, reader.ReadRaw().Length);
        Assert.True(reader.End);
    }

    [Fact]
    public void Raw_slices_and_positions_cover_exactly_one_value()
    {
        byte[] encoded = [0x82, 0xa1, 0x61, 0x92, 0x01, 0xc4, 0x01, 0xff, 0xa1, 0x62, 0xc3];
        var reader = new MsgpackReader(encoded);

        Assert.Equal(2, reader.ReadMapHeader());
        Assert.Equal("a", reader.ReadString());
        Assert.Equal([0x92, 0x01, 0xc4, 0x01, 0xff], reader.ReadRaw().ToArray());
        Assert.Equal(8, reader.Position);
        Assert.Equal("b", reader.ReadString());
        Assert.True(reader.ReadBoolean());
        Assert.True(reader.End);
    }

    [Fact]
    public void Invalid_utf8_in_a_string_is_refused()
    {
        Assert.Throws<AlgorandEncodingException>(() => new MsgpackReader([0xa2, 0xc3, 0x28]).ReadString());
    }
}
