using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Merch;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FanForge.Tests.Merch;

/// <summary>Products and the store over HTTP on the development host, with real logins and registered creators.</summary>
public sealed class ProductsApiTests(FanForgeApiFactory factory) : IClassFixture<FanForgeApiFactory>
{
    private static ulong round = 90_000;

    private static TestWallet NewWallet() => new(RandomNumberGenerator.GetBytes(32));

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
        var body = JsonDocument.Parse(text).RootElement;
        Assert.True(body.GetProperty("success").GetBoolean());
        return body;
    }


    private async Task<(TestWallet Creator, HttpClient Http)> CreatorAsync()
    {
        var creator = NewWallet();
        await factory.RegisterCreatorAsync(creator);
        return (creator, await factory.CreateClientAsync(creator));
    }

    private static async Task<JsonElement> CreateAsync(HttpClient http, TestWallet creator, object body) =>
        (await OkAsync(await http.PostAsJsonAsync($"/creator/{creator.Address}/products", body))).GetProperty("data");

    private static object Tee(string slug = "tee", decimal price = 25.5m, int? stock = 10, bool membersOnly = false) =>
        new { slug, name = "Tour T-shirt", description = "Black", image_ipfs_hash = "QmTee", price_algo = price, stock_quantity = stock, active = true, members_only = membersOnly };

    [Fact]
    public async Task A_created_product_has_the_prototype_fields_and_the_creator_list_is_an_array()
    {
        var (creator, http) = await CreatorAsync();

        var created = await CreateAsync(http, creator, Tee());
        var second = await CreateAsync(http, creator, new { slug = "cap", name = "Cap", price_algo = 1.000001, stock_quantity = (int?)null });
        var list = await OkAsync(await http.GetAsync($"/creator/{creator.Address}/products"));

        Assert.True(created.GetProperty("id").GetInt64() > 0);
        Assert.Equal(("tee", "Tour T-shirt", "Black", "QmTee"), (created.GetProperty("slug").GetString(), created.GetProperty("name").GetString(),
            created.GetProperty("description").GetString(), created.GetProperty("image_ipfs_hash").GetString()));
        Assert.Equal((25.5m, 10, true, 5, false), (created.GetProperty("price_algo").GetDecimal(), created.GetProperty("stock_quantity").GetInt32(),
            created.GetProperty("active").GetBoolean(), created.GetProperty("max_per_order").GetInt32(), created.GetProperty("members_only").GetBoolean()));
        Assert.Equal(1.000001m, second.GetProperty("price_algo").GetDecimal());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("stock_quantity").ValueKind);
        Assert.Equal(JsonValueKind.Array, list.GetProperty("data").ValueKind);
        Assert.Equal(["cap", "tee"], list.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("slug").GetString()));
        Assert.Equal(2, list.GetProperty("meta").GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("""{"slug":"ok","name":"N","price_algo":1.1234567}""", "price_algo")]
    [InlineData("""{"slug":"ok","name":"N","price_algo":0}""", "price_algo")]
    [InlineData("""{"slug":"ok","name":"N","price_algo":-2}""", "price_algo")]
    [InlineData("""{"slug":"ok","name":"N"}""", "price_algo")]
    [InlineData("""{"slug":"x","name":"N","price_algo":1}""", "slug")]
    [InlineData("""{"slug":"ok","name":"","price_algo":1}""", "name")]
    [InlineData("""{"slug":"ok","name":"N","price_algo":1,"stock_quantity":-1}""", "stock_quantity")]
    [InlineData("""{"slug":"ok","name":"N","price_algo":1,"max_per_order":0}""", "max_per_order")]
    public async Task Create_refuses_invalid_fields_with_400(string json, string field)
    {
        var (creator, http) = await CreatorAsync();

        var error = await HttpAssert.ErrorAsync(await http.PostAsync($"/creator/{creator.Address}/products", new StringContent(json, System.Text.Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "validation");

        Assert.Contains(field, error.GetProperty("message").GetString());
        Assert.Equal(0, (await OkAsync(await http.GetAsync($"/creator/{creator.Address}/products"))).GetProperty("meta").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_duplicate_slug_is_409_and_a_retried_idempotency_key_returns_the_first_product()
    {
        var (creator, http) = await CreatorAsync();
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Post(object body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/creator/{creator.Address}/products") { Content = JsonContent.Create(body) };
            request.Headers.Add("X-Idempotency-Key", key);
            return request;
        }

        var first = (await OkAsync(await http.SendAsync(Post(Tee())))).GetProperty("data");
        var retry = (await OkAsync(await http.SendAsync(Post(Tee())))).GetProperty("data");
        await HttpAssert.ErrorAsync(await http.PostAsJsonAsync($"/creator/{creator.Address}/products", Tee()), HttpStatusCode.Conflict, ProductErrors.DuplicateSlug);

        Assert.Equal(first.GetProperty("id").GetInt64(), retry.GetProperty("id").GetInt64());
        Assert.Equal(1, (await OkAsync(await http.GetAsync($"/creator/{creator.Address}/products"))).GetProperty("meta").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Patch_changes_only_the_given_fields_and_delete_soft_deletes()
    {
        var (creator, http) = await CreatorAsync();
        var id = (await CreateAsync(http, creator, Tee())).GetProperty("id").GetInt64();

        var patched = (await OkAsync(await http.PatchAsJsonAsync($"/creator/{creator.Address}/products/{id}",
            new { price_algo = 30, max_per_order = 2, members_only = true, name = (string?)null }))).GetProperty("data");
        await HttpAssert.ErrorAsync(await http.PatchAsJsonAsync($"/creator/{creator.Address}/products/{id}", new { price_algo = 0.0000001 }), HttpStatusCode.BadRequest, "validation");
        await HttpAssert.ErrorAsync(await http.PatchAsJsonAsync($"/creator/{creator.Address}/products/{id}", new { max_per_order = 0 }), HttpStatusCode.BadRequest, "validation");
        var deleted = (await OkAsync(await http.DeleteAsync($"/creator/{creator.Address}/products/{id}"))).GetProperty("data");
        var list = await OkAsync(await http.GetAsync($"/creator/{creator.Address}/products"));

        Assert.Equal((30m, 2, true, "Tour T-shirt", 10), (patched.GetProperty("price_algo").GetDecimal(), patched.GetProperty("max_per_order").GetInt32(),
            patched.GetProperty("members_only").GetBoolean(), patched.GetProperty("name").GetString(), patched.GetProperty("stock_quantity").GetInt32()));
        Assert.Equal((id, "tee", false, "Product 'tee' soft-deleted (active=False)"), (deleted.GetProperty("id").GetInt64(), deleted.GetProperty("slug").GetString(),
            deleted.GetProperty("active").GetBoolean(), deleted.GetProperty("message").GetString()));
        Assert.False(Assert.Single(list.GetProperty("data").EnumerateArray()).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Delete_is_409_while_an_order_holds_stock()
    {
        var (creator, http) = await CreatorAsync();
        var id = (await CreateAsync(http, creator, Tee())).GetProperty("id").GetInt64();
        await factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IProduct>(id).ReserveAsync(orderId: 77, quantity: 2);

        var error = await HttpAssert.ErrorAsync(await http.DeleteAsync($"/creator/{creator.Address}/products/{id}"), HttpStatusCode.Conflict, ProductErrors.PendingOrders);

        Assert.Equal("Cannot delete product tee: 1 pending order(s) exist", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Product_routes_refuse_anonymous_callers_other_creators_and_other_creators_products()
    {
        var (owner, ownerHttp) = await CreatorAsync();
        var (intruder, intruderHttp) = await CreatorAsync();
        var id = (await CreateAsync(ownerHttp, owner, Tee())).GetProperty("id").GetInt64();
        var anonymous = factory.CreateClient();
        var fanHttp = await factory.CreateClientAsync(NewWallet());

        await HttpAssert.ErrorAsync(await anonymous.PostAsJsonAsync($"/creator/{owner.Address}/products", Tee("x2")), HttpStatusCode.Unauthorized, "unauthorized");
        await HttpAssert.ErrorAsync(await anonymous.GetAsync($"/creator/{owner.Address}/products"), HttpStatusCode.Unauthorized, "unauthorized");
        await HttpAssert.ErrorAsync(await intruderHttp.GetAsync($"/creator/{owner.Address}/products"), HttpStatusCode.Forbidden, "forbidden");
        await HttpAssert.ErrorAsync(await intruderHttp.PatchAsJsonAsync($"/creator/{owner.Address}/products/{id}", new { name = "Mine" }), HttpStatusCode.Forbidden, "forbidden");
        await HttpAssert.ErrorAsync(await intruderHttp.PatchAsJsonAsync($"/creator/{intruder.Address}/products/{id}", new { name = "Mine" }), HttpStatusCode.NotFound, "not_found");
        await HttpAssert.ErrorAsync(await intruderHttp.DeleteAsync($"/creator/{intruder.Address}/products/{id}"), HttpStatusCode.NotFound, "not_found");
        await HttpAssert.ErrorAsync(await ownerHttp.PatchAsJsonAsync($"/creator/{owner.Address}/products/999999999", new { name = "Ghost" }), HttpStatusCode.NotFound, "not_found");
        // A fan (not a creator) on its own wallet is still refused: the creator policy reads the Creator grain.
        var fan = NewWallet();
        fanHttp = await factory.CreateClientAsync(fan);
        await HttpAssert.ErrorAsync(await fanHttp.PostAsJsonAsync($"/creator/{fan.Address}/products", Tee()), HttpStatusCode.Forbidden, "forbidden");

        var product = (await OkAsync(await ownerHttp.GetAsync($"/creator/{owner.Address}/products"))).GetProperty("data")[0];
        Assert.Equal("Tour T-shirt", product.GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_store_lists_active_public_products_with_a_true_total_and_has_more()
    {
        var (creator, http) = await CreatorAsync();
        for (var i = 1; i <= 5; i++)
        {
            await CreateAsync(http, creator, Tee($"item-{i}"));
        }

        await CreateAsync(http, creator, Tee("secret", membersOnly: true));
        var hidden = (await CreateAsync(http, creator, Tee("gone"))).GetProperty("id").GetInt64();
        await OkAsync(await http.PatchAsJsonAsync($"/creator/{creator.Address}/products/{hidden}", new { active = false }));
        var anonymous = factory.CreateClient();

        var first = await OkAsync(await anonymous.GetAsync($"/creator/{creator.Address}/store?limit=2&offset=0"));
        var last = await OkAsync(await anonymous.GetAsync($"/creator/{creator.Address}/store?limit=2&offset=4"));
        var all = await OkAsync(await anonymous.GetAsync($"/creator/{creator.Address}/store"));

        Assert.Equal(["item-5", "item-4"], first.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("slug").GetString()));
        Assert.Equal((2, 0, 5, true), (first.GetProperty("meta").GetProperty("limit").GetInt32(), first.GetProperty("meta").GetProperty("offset").GetInt32(),
            first.GetProperty("meta").GetProperty("total").GetInt32(), first.GetProperty("meta").GetProperty("hasMore").GetBoolean()));
        Assert.Equal(["item-1"], last.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("slug").GetString()));
        Assert.False(last.GetProperty("meta").GetProperty("hasMore").GetBoolean());
        Assert.Equal(5, all.GetProperty("data").GetArrayLength());
        await HttpAssert.ErrorAsync(await anonymous.GetAsync($"/creator/{creator.Address}/store?limit=0"), HttpStatusCode.BadRequest, "validation");
        await HttpAssert.ErrorAsync(await anonymous.GetAsync($"/creator/{creator.Address}/store?limit=201"), HttpStatusCode.BadRequest, "validation");
        await HttpAssert.ErrorAsync(await anonymous.GetAsync($"/creator/{creator.Address}/store?offset=10001"), HttpStatusCode.BadRequest, "validation");
        await HttpAssert.ErrorAsync(await anonymous.GetAsync("/creator/NOT-A-WALLET/store"), HttpStatusCode.BadRequest, "invalid_wallet");
    }

    [Fact]
    public async Task Members_only_needs_the_callers_wallet_and_an_active_bauni_membership()
    {
        var (creator, http) = await CreatorAsync();
        await CreateAsync(http, creator, Tee("public"));
        await CreateAsync(http, creator, Tee("members", membersOnly: true));
        var (fan, stranger) = (NewWallet(), NewWallet());
        var fanHttp = await factory.CreateClientAsync(fan);
        var path = $"/creator/{creator.Address}/store/members-only?fanWallet={fan.Address}";

        await HttpAssert.ErrorAsync(await factory.CreateClient().GetAsync(path), HttpStatusCode.Unauthorized, "unauthorized");
        await HttpAssert.ErrorAsync(await (await factory.CreateClientAsync(stranger)).GetAsync(path), HttpStatusCode.Forbidden, "forbidden");
        await HttpAssert.ErrorAsync(await fanHttp.GetAsync($"/creator/{creator.Address}/store/members-only"), HttpStatusCode.BadRequest, "validation");
        var denied = await HttpAssert.ErrorAsync(await fanHttp.GetAsync(path), HttpStatusCode.Forbidden, "membership_required");
        Assert.Equal(5.0m, denied.GetProperty("details").GetProperty("cost_algo").GetDecimal());

        var grains = factory.Services.GetRequiredService<IGrainFactory>();
        var r = Interlocked.Increment(ref round);
        await grains.GetGrain<ICreatorPayments>(creator.Address).ApplyAsync(
            [new ChainTip(fan.Address, creator.Address, 5_000_000, "MEMBERSHIP:BAUNI", new ChainPosition(r, 0), $"BAUNI-{r}", DateTimeOffset.UtcNow)]);
        var members = await ClusterHosts.EventuallyAsync(
            () => fanHttp.GetAsync(path), response => response.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "the members-only store");

        var body = await OkAsync(members);
        Assert.Equal(["members", "public"], body.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("slug").GetString()));
        Assert.Equal(2, body.GetProperty("meta").GetProperty("total").GetInt32());
        var store = await OkAsync(await factory.CreateClient().GetAsync($"/creator/{creator.Address}/store"));
        Assert.Equal(["public"], store.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("slug").GetString()));
    }
}
