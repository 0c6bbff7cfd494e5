using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FanForge.Grains.Algorand;

namespace FanForge.Tests.Infrastructure;

/// <summary>What the unchanged frontend does to tip, against the development host's simulated ledger.</summary>
public static class Tipping
{
    private static readonly byte[] TestNetGenesisHash = Convert.FromBase64String("SGO1GKSzyE7IEPItTxCByw9x8FmnrCDexi9/cOUJOiI=");

    /// <summary>Registers <paramref name="creator"/> (deploying its TipProxy) and reads its app back from the public route.</summary>
    public static async Task<(ulong AppId, AlgorandAddress AppAddress)> RegisterCreatorAsync(
        this FanForgeApiFactory factory, TestWallet creator, string? username = null)
    {
        var http = await factory.CreateClientAsync(creator);
        (await http.PostAsJsonAsync("/creator/register", new { wallet_address = creator.Address, min_tip_algo = 0.5, username })).EnsureSuccessStatusCode();
        var contract = await factory.CreateClient().GetFromJsonAsync<JsonElement>($"/creator/{creator.Address}/contract");
        return (contract.GetProperty("app_id").GetUInt64(), AlgorandAddress.Parse(contract.GetProperty("app_address").GetString()));
    }

    /// <summary>The frontend's group: [pay fan → app address, NoOp app call ("tip", memo) with a flat fee of 3000].</summary>
    public static string[] TipGroup(TestWallet fan, (ulong AppId, AlgorandAddress AppAddress) app, ulong microAlgo, string memo, ulong firstValid)
    {
        var sender = AlgorandAddress.Parse(fan.Address);
        var header = new Transaction
        {
            Type = TransactionType.Payment, Sender = sender, Fee = 1000, FirstValid = firstValid, LastValid = firstValid + 1000,
            GenesisId = "testnet-v1.0", GenesisHash = TestNetGenesisHash,
        };
        var pay = header with { Receiver = app.AppAddress, Amount = microAlgo };
        var call = header with
        {
            Type = TransactionType.ApplicationCall, Fee = 3000, ApplicationId = app.AppId,
            ApplicationArgs = [Encoding.UTF8.GetBytes("tip"), Encoding.UTF8.GetBytes(memo)],
        };
        return [.. TransactionGroup.AssignGroup([pay, call]).Select(t => Convert.ToBase64String(SignedTransaction.Sign(t, fan.Signer).Encode()))];
    }

    /// <summary>POST /submit-group, anonymous as the frontend sends it.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> SubmitGroupAsync(
        this FanForgeApiFactory factory, string[] signed, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/submit-group") { Content = JsonContent.Create(new { signed_txns = signed }) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("X-Idempotency-Key", idempotencyKey);
        }

        var response = await factory.CreateClient().SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }
}
