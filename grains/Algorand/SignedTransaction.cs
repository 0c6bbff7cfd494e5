namespace FanForge.Grains.Algorand;

/// <summary>
/// A transaction with a plain Ed25519 signature by its sender: <c>{"sig": bin64, "txn": map}</c>, the body algod
/// accepts. Multisig, logic signatures and rekeyed signers (<c>msig</c>, <c>lsig</c>, <c>sgnr</c>) are refused: the
/// platform only accepts wallets that sign for themselves.
/// </summary>
public sealed class SignedTransaction
{
    /// <summary>algod takes at most one group per POST, and a group has at most 16 members.</summary>
    public const int MaxPerBody = TransactionGroup.MaxSize;

    private static readonly string[] OtherAuthorizations = ["lsig", "msig", "pqsig", "sgnr"];

    private readonly byte[] transactionBytes;
    private readonly byte[] signature;

    public SignedTransaction(Transaction transaction, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (signature.Length != WalletSignature.SignatureLength)
        {
            throw new ArgumentException($"An Ed25519 signature is {WalletSignature.SignatureLength} bytes, not {signature.Length}", nameof(signature));
        }

        Transaction = transaction;
        transactionBytes = transaction.Encode();
        this.signature = signature.ToArray();
    }

    public Transaction Transaction { get; }

    public ReadOnlyMemory<byte> Signature => signature;

    public string TxId => Base32.Encode(Transaction.RawTxIdOf(transactionBytes));

    public static SignedTransaction Sign(Transaction transaction, ITransactionSigner signer)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(signer);
        if (signer.Address != transaction.Sender)
        {
            // A different key would need "sgnr" (the sender rekeyed to it), which we neither produce nor accept.
            throw new ArgumentException($"The signer {signer.Address} is not the sender {transaction.Sender}", nameof(signer));
        }

        return new SignedTransaction(transaction, signer.Sign(transaction.BytesToSign));
    }

    /// <summary>Ed25519 by the sender's key over <c>"TX" ‖ txn</c>.</summary>
    public bool VerifySignature() => WalletSignature.Verify(Transaction.Sender, Transaction.SigningPrefix, transactionBytes, signature);

    public byte[] Encode()
    {
        var writer = new MsgpackWriter();
        writer.WriteMapHeader(2);
        writer.WriteString("sig");
        writer.WriteBytes(signature);
        writer.WriteString("txn");
        writer.WriteRaw(transactionBytes);
        return writer.ToArray();
    }

    /// <summary>Parses one signed transaction; the <c>txn</c> inside must itself be canonical (see <see cref="Transaction.Decode"/>).</summary>
    public static SignedTransaction Decode(ReadOnlySpan<byte> encoded) =>
        CanonicalDecoding.Decode(encoded, "signed transaction", Read, signed => signed.Encode());

    /// <summary>
    /// Splits a body of signed transactions written one after another (what POST /v2/transactions receives for a group)
    /// and decodes each. Group consistency is a separate check: <see cref="TransactionGroup.Validate(IReadOnlyList{SignedTransaction})"/>.
    /// </summary>
    public static IReadOnlyList<SignedTransaction> DecodeConcatenated(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            throw new AlgorandEncodingException("The body holds no signed transaction");
        }

        var reader = new MsgpackReader(body);
        var signed = new List<SignedTransaction>();
        while (!reader.End)
        {
            if (signed.Count == MaxPerBody)
            {
                throw new AlgorandEncodingException($"The body holds more than {MaxPerBody} signed transactions");
            }

            try
            {
                signed.Add(Decode(reader.ReadRaw()));
            }
            catch (AlgorandEncodingException refused)
            {
                // A body holds up to 16 members: say which one was refused.
                throw new AlgorandEncodingException($"Signed transaction {signed.Count} of the body: {refused.Message}", refused);
            }
        }

        return signed;
    }

    private static SignedTransaction Read(ref MsgpackReader reader)
    {
        byte[]? signature = null;
        Transaction? transaction = null;
        reader.ReadMap((ref MsgpackReader entry, string key) =>
        {
            switch (key)
            {
                case "sig":
                    signature = entry.ReadBytes().ToArray();
                    break;
                case "txn":
                    // Decoded from its exact bytes, so the canonical check covers the txn the signature is over.
                    transaction = Transaction.Decode(entry.ReadRaw());
                    break;
                case var other when OtherAuthorizations.Contains(other):
                    throw new AlgorandEncodingException($"Only plain single-signature transactions are accepted; this one carries \"{other}\"");
                default:
                    throw CanonicalDecoding.UnknownField(key, "a signed transaction");
            }
        });

        if (transaction is null)
        {
            throw new AlgorandEncodingException("The signed transaction has no \"txn\"");
        }

        return signature is { Length: WalletSignature.SignatureLength }
            ? new SignedTransaction(transaction, signature)
            : throw new AlgorandEncodingException($"The signed transaction needs a {WalletSignature.SignatureLength}-byte \"sig\"");
    }
}
