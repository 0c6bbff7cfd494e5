namespace FanForge.Grains.Algorand;

/// <summary>
/// Atomic groups: the group id is SHA-512/256("TG" ‖ msgpack {"txlist": [raw txid of each member
/// computed without grp]}), and every member then carries it in <c>grp</c>, which changes their txids. Sign after grouping.
/// </summary>
public static class TransactionGroup
{
    public const int MaxSize = 16;

    /// <summary>The msgpack <c>{"txlist": [...]}</c> that is hashed into the group id.</summary>
    public static byte[] EncodeTxList(IReadOnlyList<Transaction> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count is 0 or > MaxSize)
        {
            throw new ArgumentException($"A group has 1 to {MaxSize} members, not {members.Count}", nameof(members));
        }

        var writer = new MsgpackWriter();
        writer.WriteMapHeader(1);
        writer.WriteString("txlist");
        writer.WriteArrayHeader(members.Count);
        foreach (var member in members)
        {
            writer.WriteBytes((member with { Group = ReadOnlyMemory<byte>.Empty }).RawTxId);
        }

        return writer.ToArray();
    }

    public static byte[] ComputeGroupId(IReadOnlyList<Transaction> members) => Sha512_256.Hash("TG"u8, EncodeTxList(members));

    /// <summary>Copies of <paramref name="members"/> with <c>grp</c> set to their group id, in the same order.</summary>
    public static IReadOnlyList<Transaction> AssignGroup(IReadOnlyList<Transaction> members)
    {
        var groupId = ComputeGroupId(members);
        return [.. members.Select(member => member with { Group = groupId })];
    }

    /// <summary>
    /// Checks that decoded transactions form one group as algod will: 1 to 16 members, and either a single transaction
    /// with no <c>grp</c> or every member carrying the group id recomputed from all of them, in this order.
    /// </summary>
    public static void Validate(IReadOnlyList<Transaction> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count is 0 or > MaxSize)
        {
            throw new AlgorandEncodingException($"A transaction group has 1 to {MaxSize} members, not {members.Count}");
        }

        if (members is [{ HasGroup: false }])
        {
            return;
        }

        var groupId = ComputeGroupId(members);
        for (var index = 0; index < members.Count; index++)
        {
            if (!members[index].Group.Span.SequenceEqual(groupId))
            {
                throw new AlgorandEncodingException(
                    $"Group member {index} ({members[index].TxId}) does not carry the group id {Convert.ToBase64String(groupId)} of the transactions sent together");
            }
        }
    }

    public static void Validate(IReadOnlyList<SignedTransaction> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        Validate([.. members.Select(signed => signed.Transaction)]);
    }
}
