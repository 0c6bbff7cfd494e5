using System.Text.Json;

namespace FanForge.Tests.Infrastructure;

/// <summary>Test vectors made with the official SDKs, copied beside the tests as data.</summary>
public static class Vectors
{
    public static JsonElement Load(string relativePath) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", relativePath))).RootElement;

    public static byte[] Hex(this JsonElement element, string property) => Convert.FromHexString(element.GetProperty(property).GetString()!);

    public static string Text(this JsonElement element, string property) => element.GetProperty(property).GetString()!;
}
