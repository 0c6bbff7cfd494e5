using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FanForge.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace FanForge.Tests.Templates;

/// <summary>
/// Pinata at the HTTP boundary: what it receives (legacy <c>pinFileToIPFS</c>, multipart <c>file</c>, <c>pinataMetadata</c>
/// and <c>pinataOptions</c> as JSON strings, Bearer JWT) and what it answers (<c>{IpfsHash, PinSize, Timestamp}</c>).
/// </summary>
public sealed class FakePinata : HttpMessageHandler
{
    public sealed record Pin(string Path, string? Authorization, string FileName, string ContentType, byte[] Bytes, JsonElement Metadata, JsonElement Options);

    public List<Pin> Pins { get; } = [];

    public HttpStatusCode FailWith { get; set; } = HttpStatusCode.OK;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (FailWith != HttpStatusCode.OK)
        {
            return new HttpResponseMessage(FailWith) { Content = new StringContent("""{"error":{"reason":"INVALID_CREDENTIALS"}}""") };
        }

        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(request.Content!.Headers.ContentType!.ToString()).Boundary).Value!;
        var reader = new MultipartReader(boundary, await request.Content.ReadAsStreamAsync(cancellationToken));
        var (fileName, contentType, bytes, metadata, options) = ("", "", Array.Empty<byte>(), default(JsonElement), default(JsonElement));
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            var disposition = ContentDispositionHeaderValue.Parse(section.ContentDisposition);
            using var body = new MemoryStream();
            await section.Body.CopyToAsync(body, cancellationToken);
            switch (disposition.Name.Value)
            {
                case "file":
                    (fileName, contentType, bytes) = (disposition.FileName.Value!, section.ContentType!, body.ToArray());
                    break;
                case "pinataMetadata":
                    metadata = JsonDocument.Parse(body.ToArray()).RootElement.Clone();
                    break;
                case "pinataOptions":
                    options = JsonDocument.Parse(body.ToArray()).RootElement.Clone();
                    break;
            }
        }

        Pins.Add(new Pin(request.RequestUri!.AbsolutePath, request.Headers.Authorization?.ToString(), fileName, contentType, bytes, metadata, options));
        var cid = "bafybei" + Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant()[..52];
        return new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(JsonSerializer.Serialize(new { IpfsHash = cid, PinSize = bytes.Length, Timestamp = "2026-11-23T12:00:00.000Z" }), Encoding.UTF8, "application/json"),
        };
    }
}

/// <summary>The development host, except that templates are pinned to Pinata (the fake above) with a JWT.</summary>
public sealed class PinataApiFactory : FanForgeApiFactory
{
    public const string Jwt = "eyJhbGciOiJIUzI1NiJ9.pinata-test-jwt.signature";

    public FakePinata Pinata { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Ipfs:Provider", "Pinata");
        builder.UseSetting("Ipfs:PinataJwt", Jwt);
        builder.UseSetting("Ipfs:GatewayUrl", "https://fanforge.mypinata.cloud/ipfs");
        builder.ConfigureTestServices(services => services.AddHttpClient("pinata").ConfigurePrimaryHttpMessageHandler(() => Pinata));
    }
}

public sealed class PinataPinningTests(PinataApiFactory factory) : IClassFixture<PinataApiFactory>
{
    [Fact]
    public async Task A_template_pins_the_image_and_the_exact_metadata_bytes_to_pinata_with_the_jwt()
    {
        var creator = TemplatesApiFactory.NewWallet();
        await factory.RegisterCreatorAsync(creator);
        var http = await factory.CreateClientAsync(creator);
        var image = TemplatesApiFactory.Png();
        var before = factory.Pinata.Pins.Count;

        var template = await HttpAssert.OkAsync(await http.PostAsync($"/creator/{creator.Address}/sticker-template", TemplatesApiFactory.Form("Comet", image, category: "bauni_membership")));

        var pins = factory.Pinata.Pins.Skip(before).ToList();
        Assert.Equal(2, pins.Count);
        Assert.All(pins, p => Assert.Equal(("/pinning/pinFileToIPFS", $"Bearer {PinataApiFactory.Jwt}", 1), (p.Path, p.Authorization, p.Options.GetProperty("cidVersion").GetInt32())));
        var (imagePin, metadataPin) = (pins[0], pins[1]);
        Assert.Equal(image, imagePin.Bytes);
        Assert.Equal(("image/png", $"{creator.Address[..8]}-Comet.png"), (imagePin.ContentType, imagePin.Metadata.GetProperty("name").GetString()));
        Assert.Equal("application/json", metadataPin.ContentType);
        var imageCid = template.GetProperty("ipfsHash").GetString()!;
        Assert.Equal($"ipfs://{imageCid}", JsonDocument.Parse(metadataPin.Bytes).RootElement.GetProperty("image").GetString());
        Assert.Equal($"https://fanforge.mypinata.cloud/ipfs/{imageCid}", template.GetProperty("imageUrl").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateClient().GetAsync($"/ipfs/{imageCid}")).StatusCode);
    }

    [Fact]
    public async Task A_pinata_failure_is_a_502_and_no_template_is_created()
    {
        var creator = TemplatesApiFactory.NewWallet();
        await factory.RegisterCreatorAsync(creator);
        var http = await factory.CreateClientAsync(creator);
        factory.Pinata.FailWith = HttpStatusCode.Unauthorized;
        try
        {
            var failed = await HttpAssert.ErrorAsync(await http.PostAsync($"/creator/{creator.Address}/sticker-template", TemplatesApiFactory.Form("Comet", TemplatesApiFactory.Png())),
                HttpStatusCode.BadGateway, "ipfs_unavailable");
            Assert.DoesNotContain(PinataApiFactory.Jwt, failed.ToString());
        }
        finally
        {
            factory.Pinata.FailWith = HttpStatusCode.OK;
        }

        Assert.Equal(0, (await HttpAssert.OkAsync(await http.GetAsync($"/creator/{creator.Address}/templates"))).GetProperty("total").GetInt32());
        await HttpAssert.OkAsync(await http.PostAsync($"/creator/{creator.Address}/sticker-template", TemplatesApiFactory.Form("Comet", TemplatesApiFactory.Png())));
    }
}

/// <summary>Pinata chosen but no JWT configured: uploads are a clear 503, not a crash or a silent local store.</summary>
public sealed class PinataDisabledTests : IClassFixture<PinataDisabledTests.Factory>
{
    public sealed class Factory : FanForgeApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Ipfs:Provider", "Pinata");
        }
    }

    private readonly Factory factory;

    public PinataDisabledTests(Factory factory) => this.factory = factory;

    [Fact]
    public async Task Uploads_answer_503_ipfs_disabled()
    {
        var creator = TemplatesApiFactory.NewWallet();
        await factory.RegisterCreatorAsync(creator);
        var http = await factory.CreateClientAsync(creator);

        await HttpAssert.ErrorAsync(await http.PostAsync($"/creator/{creator.Address}/sticker-template", TemplatesApiFactory.Form("Comet", TemplatesApiFactory.Png())),
            HttpStatusCode.ServiceUnavailable, "ipfs_disabled");
    }
}
