using FanForge.Grains.Algorand;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Algorand;

/// <summary>The tip group [pay to the app account, appl "tip"] against algosdk 3.8.0: group id, txids and the POST body.</summary>
public sealed class TransactionGroupVectorTests
{
    private static readonly byte[] GroupId = TransactionVectors.Group.Base64("group_id_b64");

    private static IEnumerable<System.Text.Json.JsonElement> Members => TransactionVectors.Group.GetProperty("txns").EnumerateArray();

    /// <summary>The members as the backend would build them, before grouping.</summary>
    private static Transaction[] Ungrouped =>
        [.. Members.Select(m => TransactionVectors.Build(m.GetProperty("fields")) with { Group = default })];

    [Fact]
    public void The_txlist_and_group_id_match_the_sdk()
    {
        Assert.Equal(TransactionVectors.Group.Hex("txlist_msgpack_hex"), TransactionGroup.EncodeTxList(Ungrouped));
        Assert.Equal(GroupId, TransactionGroup.ComputeGroupId(Ungrouped));
        Assert.Equal(TransactionVectors.Group.Hex("group_id_hex"), GroupId);
    }

    [Fact]
    public void The_group_id_ignores_a_grp_already_set()
    {
        var grouped = TransactionGroup.AssignGroup(Ungrouped);

        Assert.Equal(GroupId, TransactionGroup.ComputeGroupId(grouped));
    }

    [Fact]
    public void Assigning_the_group_changes_each_txid_from_the_sdks_without_group_to_its_with_group()
    {
        var ungrouped = Ungrouped;
        var grouped = TransactionGroup.AssignGroup(ungrouped);

        Assert.Equal(Members.Select(m => m.Text("txid_without_group")), ungrouped.Select(t => t.TxId));
        Assert.Equal(Members.Select(m => m.Text("txid")), grouped.Select(t => t.TxId));
        Assert.Equal(Members.Select(m => Convert.ToHexStringLower(m.Hex("unsigned_msgpack_hex"))), grouped.Select(t => Convert.ToHexStringLower(t.Encode())));
        Assert.All(grouped, member => Assert.Equal(GroupId, member.Group.ToArray()));
    }

    [Fact]
    public void Signing_the_grouped_members_reproduces_the_sdk_post_body()
    {
        var body = TransactionGroup.AssignGroup(Ungrouped)
            .SelectMany(member => SignedTransaction.Sign(member, TransactionVectors.SignerFor(member.Sender)).Encode());

        Assert.Equal(TransactionVectors.Group.Base64("post_body_b64"), body.ToArray());
    }

    [Fact]
    public void The_sdk_post_body_decodes_to_both_members_with_valid_signatures_and_a_consistent_group()
    {
        var signed = SignedTransaction.DecodeConcatenated(TransactionVectors.Group.Base64("post_body_b64"));

        Assert.Equal(Members.Select(m => m.Text("txid")), signed.Select(s => s.TxId));
        Assert.All(signed, member => Assert.True(member.VerifySignature()));
        TransactionGroup.Validate(signed);
    }

    [Fact]
    public void A_group_with_one_members_grp_altered_is_refused_even_when_that_member_is_re_signed()
    {
        var grouped = TransactionGroup.AssignGroup(Ungrouped).ToArray();
        var alteredGroup = GroupId.ToArray();
        alteredGroup[0] ^= 0x01;
        grouped[1] = grouped[1] with { Group = alteredGroup };
        var body = grouped.SelectMany(member => SignedTransaction.Sign(member, TransactionVectors.SignerFor(member.Sender)).Encode()).ToArray();

        var signed = SignedTransaction.DecodeConcatenated(body);

        Assert.All(signed, member => Assert.True(member.VerifySignature()));
        var refused = Assert.Throws<AlgorandEncodingException>(() => TransactionGroup.Validate(signed));
        Assert.Contains("member 1", refused.Message);
    }

    [Fact]
    public void An_incomplete_group_is_refused()
    {
        var firstOnly = SignedTransaction.DecodeConcatenated(TransactionVectors.Case("group_pay").Base64("signed_msgpack_b64"));

        Assert.Throws<AlgorandEncodingException>(() => TransactionGroup.Validate(firstOnly));
    }

    [Fact]
    public void Members_in_another_order_are_refused()
    {
        var swapped = TransactionGroup.AssignGroup(Ungrouped).Reverse().ToArray();

        Assert.Throws<AlgorandEncodingException>(() => TransactionGroup.Validate(swapped));
    }

    [Fact]
    public void A_single_transaction_without_grp_is_a_valid_group_of_one()
    {
        TransactionGroup.Validate([TransactionVectors.Build(TransactionVectors.Case("pay").GetProperty("fields"))]);
    }

    [Fact]
    public void Groups_are_limited_to_sixteen_members()
    {
        var pay = TransactionVectors.Build(TransactionVectors.Case("pay").GetProperty("fields"));
        var seventeen = Enumerable.Range(0, 17).Select(i => pay with { FirstValid = pay.FirstValid + (ulong)i }).ToArray();

        Assert.Throws<ArgumentException>(() => TransactionGroup.ComputeGroupId(seventeen));
        Assert.Throws<AlgorandEncodingException>(() => TransactionGroup.Validate(seventeen));
        Assert.Throws<AlgorandEncodingException>(() => TransactionGroup.Validate(Array.Empty<Transaction>()));
    }
}
