namespace FanForge.Grains.Algorand;

/// <summary>
/// Algorand wire bytes were refused: malformed or truncated msgpack, a non-canonical encoding, an unknown field, or a
/// group whose members disagree. Callers that got the bytes from a client turn it into a 400.
/// </summary>
public sealed class AlgorandEncodingException : Exception
{
    public AlgorandEncodingException(string message)
        : base(message)
    {
    }

    public AlgorandEncodingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
