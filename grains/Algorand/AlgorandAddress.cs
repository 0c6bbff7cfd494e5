using System.Buffers.Binary;
using System.ComponentModel;
using FanForge.GrainInterfaces.Errors;

namespace FanForge.Grains.Algorand;

/// <summary>Why an address text was refused.</summary>
public enum AddressError
{
    None,
    Empty,
    WrongLength,
    InvalidCharacters,
    /// <summary>The last character sets bits beyond the key and checksum; algod refuses such a spelling.</summary>
    NonCanonical,
    BadChecksum,
}

/// <summary>
/// An Algorand account: a 32-byte Ed25519 public key, written as 58 base32 characters of the key followed by the
/// last 4 bytes of its SHA-512/256 digest.
/// </summary>
[TypeConverter(typeof(AlgorandAddressConverter))]
public readonly record struct AlgorandAddress
{
    public const int TextLength = 58;
    public const string InvalidWalletCode = "invalid_wallet";
    private const int KeyLength = 32;
    private const int ChecksumLength = 4;

    private readonly string text;

    private AlgorandAddress(string text) => this.text = text;

    public static AlgorandAddress Zero { get; } = FromPublicKey(new byte[KeyLength]);

    /// <summary>The 32-byte public key (decoded on demand; the canonical text is what the struct keeps).</summary>
    public byte[] PublicKey => text is not null && Base32.TryDecode(text, out var data) ? data[..KeyLength] : new byte[KeyLength];

    /// <summary>The zero address: "not set" in a transaction field (<c>default</c> is the same address).</summary>
    public bool IsZero => Equals(Zero);

    public static AlgorandAddress FromPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != KeyLength)
        {
            throw new ArgumentException("An Algorand public key is 32 bytes.", nameof(publicKey));
        }

        var checksum = Sha512_256.Hash(publicKey).AsSpan(KeyLength - ChecksumLength);
        return new AlgorandAddress(Base32.Encode([.. publicKey, .. checksum]));
    }

    /// <summary>The account of an application: SHA-512/256("appID" ‖ uint64_be(id)).</summary>
    public static AlgorandAddress ForApplication(ulong applicationId)
    {
        Span<byte> id = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(id, applicationId);
        return FromPublicKey(Sha512_256.Hash("appID"u8, id));
    }

    public static bool TryParse(string? text, out AlgorandAddress address, out AddressError error)
    {
        address = default;
        error = text switch
        {
            null or "" => AddressError.Empty,
            { Length: not TextLength } => AddressError.WrongLength,
            _ when !Base32.IsAlphabet(text) => AddressError.InvalidCharacters,
            _ when !Base32.TryDecode(text, out _) => AddressError.NonCanonical,
            _ when !HasValidChecksum(text) => AddressError.BadChecksum,
            _ => AddressError.None,
        };
        if (error == AddressError.None)
        {
            address = new AlgorandAddress(text!);
        }

        return error == AddressError.None;
    }

    /// <summary>Parses or throws a 400 <c>invalid_wallet</c> whose message says what is wrong.</summary>
    public static AlgorandAddress Parse(string? text) =>
        TryParse(text, out var address, out var error) ? address : throw DomainException.Invalid(InvalidWalletCode, error switch
        {
            AddressError.Empty => "Wallet address is required",
            AddressError.WrongLength => $"Invalid Algorand address: expected {TextLength} characters, got {text!.Length}",
            AddressError.InvalidCharacters => "Invalid Algorand address: only upper-case base32 characters (A-Z, 2-7) are allowed",
            AddressError.NonCanonical => "Invalid Algorand address: non-canonical encoding (the last character must be one of A E I M Q U Y 4)",
            _ => $"Invalid Algorand address checksum: {text![..12]}...",
        });

    public override string ToString() => text ?? Zero.text;

    // default(AlgorandAddress) holds no text; it must still equal Zero, the address it stands for.
    public bool Equals(AlgorandAddress other) => string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    private static bool HasValidChecksum(string text)
    {
        Base32.TryDecode(text, out var data);
        var expected = Sha512_256.Hash(data.AsSpan(0, KeyLength)).AsSpan(KeyLength - ChecksumLength);
        return expected.SequenceEqual(data.AsSpan(KeyLength, ChecksumLength));
    }
}
