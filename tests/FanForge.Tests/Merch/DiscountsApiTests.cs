using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Merch;

public sealed class DiscountsApiTests(FanForgeApiFactory factory) : IClassFixture<FanForgeApiFactory>
{
    private static readonly TestWallet Creator = new(250);

    private async Task<HttpClient> CreatorClientAsync()
    {
        await factory.RegisterCreatorAsync(Creator);
        return await factory.CreateClientAsync(Creator);
    }

    [Fact]
    public async Task A_creator_adds_rules_and_lists_them_as_an_array_in_the_prototype_shape()
    {
        var http = await CreatorClientAsync();

        var percent = await http.PostAsJsonAsync($"/creator/{Creator.Address}/discounts", new { discountType = "PERCENT", value = 12.5, minShawtyTokens = 1 });
        var fixedAlgo = await http.PostAsJsonAsync($"/creator/{Creator.Address}/discounts", new { discountType = "FIXED_ALGO", value = 0.25, requiresBauni = true, maxUsesPerWallet = 1, productId = 7 });

        var created = (await percent.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data");
        Assert.Equal(("PERCENT", 12.5m, 1, false), (created.GetProperty("discount_type").GetString(), created.GetProperty("value").GetDecimal(),
            created.GetProperty("min_shawty_tokens").GetInt32(), created.GetProperty("requires_bauni").GetBoolean()));
        Assert.True(created.GetProperty("active").GetBoolean());
        fixedAlgo.EnsureSuccessStatusCode();
        var list = await http.GetFromJsonAsync<JsonElement>($"/creator/{Creator.Address}/discounts");
        var rules = list.GetProperty("data").EnumerateArray().ToList();
        Assert.True(rules.Count >= 2);
        var last = rules[^1];
        Assert.Equal(("FIXED_ALGO", 0.25m, 7L, 1), (last.GetProperty("discount_type").GetString(), last.GetProperty("value").GetDecimal(),
            last.GetProperty("product_id").GetInt64(), last.GetProperty("max_uses_per_wallet").GetInt32()));
        Assert.Equal(rules.Count, list.GetProperty("meta").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_retry_with_the_same_idempotency_key_returns_the_first_rule()
    {
        var http = await CreatorClientAsync();
        async Task<JsonElement> AddAsync(object body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/creator/{Creator.Address}/discounts") { Content = JsonContent.Create(body) };
            request.Headers.Add("X-Idempotency-Key", "rule-once");
            var response = await http.SendAsync(request);
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }

        var first = await AddAsync(new { discountType = "PERCENT", value = 5 });
        var again = await AddAsync(new { discountType = "PERCENT", value = 5 });
        var different = await AddAsync(new { discountType = "PERCENT", value = 6 });

        Assert.Equal(first.GetProperty("data").GetProperty("id").GetInt64(), again.GetProperty("data").GetProperty("id").GetInt64());
        Assert.Equal("idempotency_key_reused", different.GetProperty("error").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("PERCENT", 0)]
    [InlineData("PERCENT", 100.5)]
    [InlineData("PERCENT", 10.125)]
    [InlineData("FIXED_ALGO", 0.0000001)]
    [InlineData("BOGO", 10)]
    public async Task An_invalid_rule_is_a_400_and_stores_nothing(string type, double value)
    {
        var http = await CreatorClientAsync();
        var before = (await http.GetFromJsonAsync<JsonElement>($"/creator/{Creator.Address}/discounts")).GetProperty("meta").GetProperty("total").GetInt32();

        var response = await http.PostAsJsonAsync($"/creator/{Creator.Address}/discounts", new { discountType = type, value });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(before, (await http.GetFromJsonAsync<JsonElement>($"/creator/{Creator.Address}/discounts")).GetProperty("meta").GetProperty("total").GetInt32());
    }
}
