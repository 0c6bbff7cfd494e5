namespace FanForge.Grains.Algorand;

/// <summary>
/// What wallets and frontends send as base64: the standard or the URL-safe alphabet, with or without padding (the
/// prototype fixed padding up too). Never throws.
/// </summary>
public static class LenientBase64
{
    public static bool TryDecode(string text, out byte[] bytes)
    {
        var standard = text.Trim().Replace('-', '+').Replace('_', '/');
        standard = standard.PadRight(standard.Length + (4 - standard.Length % 4) % 4, '=');
        var buffer = new byte[standard.Length];
        var ok = Convert.TryFromBase64String(standard, buffer, out var written);
        bytes = ok ? buffer[..written] : [];
        return ok;
    }
}
