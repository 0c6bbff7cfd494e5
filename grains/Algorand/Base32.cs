namespace FanForge.Grains.Algorand;

/// <summary>RFC 4648 base32, upper case, no padding: the alphabet of Algorand addresses and transaction ids.</summary>
public static class Base32
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static readonly System.Buffers.SearchValues<char> AlphabetValues = System.Buffers.SearchValues.Create(Alphabet);

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var chars = new char[(data.Length * 8 + 4) / 5];
        int buffer = 0, bits = 0, index = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                chars[index++] = Alphabet[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            chars[index++] = Alphabet[(buffer << (5 - bits)) & 31];
        }

        return new string(chars, 0, index);
    }

    public static bool IsAlphabet(ReadOnlySpan<char> text) => !text.ContainsAnyExcept(AlphabetValues);

    /// <summary>
    /// Strict decode: upper-case alphabet only, no padding, and the unused trailing bits must be zero, so every byte
    /// string has exactly one accepted text (no two spellings of one address).
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] data)
    {
        data = [];
        if (text.Length * 5 % 8 >= 5)
        {
            return false; // a length no byte string encodes to
        }

        var result = new byte[text.Length * 5 / 8];
        int buffer = 0, bits = 0, index = 0;
        foreach (var c in text)
        {
            var value = c is >= 'A' and <= 'Z' ? c - 'A' : c is >= '2' and <= '7' ? c - '2' + 26 : -1;
            if (value < 0)
            {
                return false;
            }

            buffer = ((buffer << 5) | value) & 0xFFFF;
            bits += 5;
            if (bits >= 8)
            {
                result[index++] = (byte)(buffer >> (bits - 8));
                bits -= 8;
            }
        }

        if ((buffer & ((1 << bits) - 1)) != 0)
        {
            return false;
        }

        data = result;
        return true;
    }
}
