using System.Text.Json;
using FanForge.Grains.Algorand;
using FanForge.GrainInterfaces.Errors;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Algorand;

/// <summary>The address codec against algosdk 3.8.0's vectors (tests/FanForge.Tests/Vectors/algorand/addresses.json).</summary>
public sealed class AddressVectorTests
{
    private static readonly JsonElement File = Vectors.Load("algorand/addresses.json");

    public static TheoryData<string> ValidAddresses() => new(File.GetProperty("valid").EnumerateArray().Select(v => v.Text("address")));

    public static TheoryData<string, string> InvalidAddresses()
    {
        var data = new TheoryData<string, string>();
        foreach (var v in File.GetProperty("invalid").EnumerateArray())
        {
            data.Add(v.Text("address"), v.Text("reason"));
        }

        return data;
    }

    private static JsonElement Valid(string address) =>
        File.GetProperty("valid").EnumerateArray().Single(v => v.Text("address") == address);

    private static JsonElement Special(string name) =>
        File.GetProperty("special").EnumerateArray().Single(v => v.Text("name") == name);

    [Theory]
    [MemberData(nameof(ValidAddresses))]
    public void Encodes_the_public_key_to_the_sdk_address(string address)
    {
        var vector = Valid(address);

        Assert.Equal(address, AlgorandAddress.FromPublicKey(vector.Hex("public_key_hex")).ToString());
    }

    [Theory]
    [MemberData(nameof(ValidAddresses))]
    public void Decodes_the_sdk_address_to_its_public_key(string address)
    {
        var vector = Valid(address);

        Assert.True(AlgorandAddress.TryParse(address, out var parsed, out var error));
        Assert.Equal(AddressError.None, error);
        Assert.Equal(vector.Hex("public_key_hex"), parsed.PublicKey);
    }

    [Theory]
    [MemberData(nameof(ValidAddresses))]
    public void The_checksum_is_the_last_four_bytes_of_the_keys_sha512_256(string address)
    {
        var vector = Valid(address);

        Assert.Equal(vector.Hex("checksum_hex"), Sha512_256.Hash(vector.Hex("public_key_hex"))[^4..]);
    }

    [Fact]
    public void The_zero_address_matches_the_sdk()
    {
        Assert.Equal(Special("zero_address").Text("address"), AlgorandAddress.Zero.ToString());
    }

    [Fact]
    public void An_application_account_is_the_hash_of_appID_and_the_big_endian_id()
    {
        var vector = Special("application_address");

        Assert.Equal(vector.Hex("public_key_hex"), Sha512_256.Hash(vector.Hex("preimage_hex")));
        Assert.Equal(vector.Text("address"), AlgorandAddress.ForApplication(vector.GetProperty("app_id").GetUInt64()).ToString());
    }

    [Theory]
    [MemberData(nameof(InvalidAddresses))]
    public void Refuses_every_invalid_address_with_a_400_invalid_wallet(string address, string reason)
    {
        Assert.False(AlgorandAddress.TryParse(address, out _, out var error), reason);
        Assert.NotEqual(AddressError.None, error);

        var refused = Assert.Throws<DomainException>(() => AlgorandAddress.Parse(address));
        Assert.Equal(DomainErrorKind.Validation, refused.Kind);
        Assert.Equal("invalid_wallet", refused.Code);
    }

    [Theory]
    [InlineData("", AddressError.Empty, "Wallet address is required")]
    [InlineData("RKEOHXLUBHYZL7KS3MWTZOS5OLFGOCN7DWKBEG7TOSEADNAPN5OOTUNSL", AddressError.WrongLength, "expected 58 characters, got 57")]
    [InlineData("rkeohxlubhyzl7ks3mwtzos5olfgocn7dwkbeg7toseadnapn5ootunsle", AddressError.InvalidCharacters, "base32")]
    [InlineData("RKEAHXLUBHYZL7KS3MWTZOS5OLFGOCN7DWKBEG7TOSEADNAPN5OOTUNSLE", AddressError.BadChecksum, "checksum: RKEAHXLUBHYZ...")]
    public void Says_what_is_wrong_with_an_address(string address, AddressError expected, string messagePart)
    {
        AlgorandAddress.TryParse(address, out _, out var error);

        Assert.Equal(expected, error);
        Assert.Contains(messagePart, Assert.Throws<DomainException>(() => AlgorandAddress.Parse(address)).Message);
    }

    [Fact]
    public void A_non_canonical_spelling_of_a_valid_key_is_refused_like_algod_does()
    {
        // algosdk accepts this spelling (same key, non-zero unused bits); algod and we do not.
        var vector = File.GetProperty("invalid").EnumerateArray().Single(v => v.TryGetProperty("algosdk_accepts", out _));

        Assert.False(AlgorandAddress.TryParse(vector.Text("address"), out _, out var error));
        Assert.Equal(AddressError.NonCanonical, error);
    }
}
