using System.Security.Cryptography;
using System.Text;

namespace FanForge.Grains;

/// <summary>
/// Recognises a repeat of a recent notice without keeping every notice ever seen: the latest
/// <paramref name="capacity"/> 64-bit fingerprints, oldest first, in a list that lives in grain state. Repeats come
/// from a caller that crashed between sending and recording, and so come soon: a window is enough.
/// </summary>
public sealed class FingerprintWindow(List<long> stored, int capacity)
{
    private readonly HashSet<long> recent = [.. stored];

    /// <summary>True if <paramref name="notice"/> is new (it is now remembered); false for a recent repeat.</summary>
    public bool TryAdd(string notice)
    {
        // 64 bits of SHA-256 keep the window a few kilobytes; a collision inside the window is negligible.
        var fingerprint = BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(notice)));
        if (!recent.Add(fingerprint))
        {
            return false;
        }

        stored.Add(fingerprint);
        if (stored.Count > capacity)
        {
            recent.Remove(stored[0]);
            stored.RemoveAt(0);
        }

        return true;
    }
}
