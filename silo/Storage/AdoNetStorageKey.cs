using System.Text;
using Orleans.Storage;

namespace FanForge.Silo.Storage;

/// <summary>
/// The identity columns of one <c>OrleansStorage</c> row, computed exactly as Orleans' ADO.NET grain storage
/// (<c>AdoNetGrainStorage</c> with its default <see cref="OrleansDefaultHasher"/>) computes them. Both providers must
/// agree bit for bit, or one would not find the rows the other wrote; the upstream helpers are internal, so this is a
/// faithful re-implementation pinned by the interchangeability tests.
/// </summary>
public sealed record AdoNetStorageKey(
    int GrainIdHash,
    long GrainIdN0,
    long GrainIdN1,
    int GrainTypeHash,
    string GrainTypeString,
    string? GrainIdExtensionString)
{
    // Upstream hashes with OrleansDefaultHasher (StableHash) unless a custom picker is configured; FanForge never
    // configures one, and the hasher is public, so using it directly keeps the hash defined in one place.
    private static readonly OrleansDefaultHasher Hasher = new();

    private static readonly char[] GenericDelimiters = ['[', ']'];

    /// <summary>The row key of the state <paramref name="stateName"/> of <paramref name="grainId"/>.</summary>
    /// <remarks>Orleans passes the state name where the ADO.NET provider's parameter says "grain type".</remarks>
    public static AdoNetStorageKey For(string stateName, GrainId grainId)
    {
        long n0;
        long n1;
        string? extension;
        byte[] hashBytes;
        if (grainId.TryGetGuidKey(out var guid, out extension))
        {
            var guidBytes = guid.ToByteArray();
            n0 = BitConverter.ToInt64(guidBytes, 0);
            n1 = BitConverter.ToInt64(guidBytes, 8);
            // Upstream rebuilds the Guid from N0/N1 before hashing; that round trip is the identity.
            hashBytes = WithExtension(guidBytes, extension);
        }
        else if (grainId.TryGetIntegerKey(out var integer, out extension))
        {
            n0 = 0;
            n1 = integer;
            hashBytes = WithExtension(BitConverter.GetBytes(integer), extension);
        }
        else
        {
            n0 = 0;
            n1 = 0;
            extension = grainId.Key.ToString();
            hashBytes = Encoding.UTF8.GetBytes(extension);
        }

        // Upstream reverses the key bytes on little-endian machines before hashing.
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(hashBytes);
        }

        var baseType = ExtractBaseClass(stateName);
        return new AdoNetStorageKey(
            Hasher.Hash(hashBytes), n0, n1, Hasher.Hash(Encoding.UTF8.GetBytes(baseType)), baseType, extension);
    }

    private static byte[] WithExtension(byte[] keyBytes, string? extension) =>
        extension is null ? keyBytes : [.. keyBytes, .. Encoding.UTF8.GetBytes(extension)];

    /// <summary>
    /// Strips assembly versions from generic type names, as upstream does, so a name that happens to be a
    /// generic CLR type name maps to the same row. Plain state names pass through unchanged.
    /// </summary>
    private static string ExtractBaseClass(string typeName)
    {
        if (!typeName.Contains('`', StringComparison.Ordinal))
        {
            return typeName;
        }

        var segments = new Queue<string>(typeName
            .Split(GenericDelimiters, StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s.Length > 1 && s[0] != ',')
            .Select(WithoutAssemblyVersion));
        return Reformat(segments);

        static string WithoutAssemblyVersion(string input)
        {
            var assemblyName = input.IndexOf(',', StringComparison.Ordinal);
            if (assemblyName < 0)
            {
                return input;
            }

            var assemblyVersion = input.IndexOf(',', assemblyName + 1);
            return assemblyVersion >= 0 ? input[..assemblyVersion] : input[..assemblyName];
        }

        static string Reformat(Queue<string> segments)
        {
            var simpleName = segments.Dequeue();
            var arityIndex = simpleName.IndexOf('`', StringComparison.Ordinal);
            var arity = arityIndex < 0 ? 0 : int.Parse(simpleName.AsSpan()[(arityIndex + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            if (arity <= 0)
            {
                return simpleName;
            }

            var arguments = new List<string>(arity);
            for (var i = 0; i < arity; i++)
            {
                arguments.Add(Reformat(segments));
            }

            return $"{simpleName}[{string.Join(",", arguments.Select(a => $"[{a}]"))}]";
        }
    }
}
