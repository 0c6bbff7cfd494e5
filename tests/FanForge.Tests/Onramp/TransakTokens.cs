using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Onramp;

/// <summary>Transak webhook bodies as Transak sends them: <c>{"data":"&lt;JWT&gt;"}</c>, HS256 keyed with the access token.</summary>
public static class TransakTokens
{
    public static JsonElement Vector { get; } = Vectors.Load("transak/webhook.json");

    /// <summary>The vector's Partner Access Token: the tests' configured <c>Transak:AccessToken</c>.</summary>
    public static string AccessToken => Vector.GetProperty("accessToken").GetString()!;

    public static string VectorBody => Vector.GetProperty("webhookBody").GetRawText();

    public static string Segment(object value) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value));

    /// <summary>A JWT with <paramref name="header"/> and <paramref name="claims"/>, HMAC-SHA256 signed with <paramref name="key"/>.</summary>
    public static string Sign(object claims, string? key = null, object? header = null)
    {
        var signed = Segment(header ?? new { alg = "HS256", typ = "JWT" }) + "." + Segment(claims);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key ?? AccessToken), Encoding.ASCII.GetBytes(signed));
        return signed + "." + Base64Url.EncodeToString(mac);
    }

    public static string Body(string jwt) => JsonSerializer.Serialize(new { data = jwt });

    /// <summary>A signed order webhook for <paramref name="partnerOrderId"/> in Transak's <paramref name="status"/>.</summary>
    public static string OrderBody(string partnerOrderId, string status, string wallet, decimal? cryptoAmount = null, string? key = null) =>
        Body(Sign(new
        {
            webhookData = new
            {
                id = "transak-" + partnerOrderId,
                partnerOrderId,
                status,
                fiatCurrency = "INR",
                fiatAmount = 500,
                cryptoCurrency = "ALGO",
                cryptoAmount,
                network = "algorand",
                walletAddress = wallet,
                isBuyOrSell = "BUY",
            },
            eventID = "ORDER_" + status,
        }, key));
}
