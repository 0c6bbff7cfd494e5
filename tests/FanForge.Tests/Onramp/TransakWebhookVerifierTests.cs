using System.Text;
using System.Text.Json;
using FanForge.Api.Onramp;
using FanForge.GrainInterfaces.Errors;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Onramp;

/// <summary>The webhook JWT check on its own: the shared vector, and each way a token is refused.</summary>
public sealed class TransakWebhookVerifierTests
{
    private static Task<JsonElement> Verify(string body, params string[] keys) => TransakWebhookVerifier.VerifyAsync(Encoding.UTF8.GetBytes(body), keys);

    private static async Task<DomainException> Refused(string body, string? accessToken = null) =>
        Assert.IsType<DomainException>(await Record.ExceptionAsync(() => Verify(body, accessToken ?? TransakTokens.AccessToken)));

    private static string VectorJwt => TransakTokens.Vector.GetProperty("webhookBody").Text("data");

    [Fact]
    public async Task The_shared_vector_verifies_with_its_access_token_and_yields_its_claims()
    {
        var claims = await Verify(TransakTokens.VectorBody, TransakTokens.AccessToken);

        var expected = TransakTokens.Vector.GetProperty("expected_claims");
        Assert.Equal(expected.Text("eventID"), claims.Text("eventID"));
        Assert.True(JsonElement.DeepEquals(expected.GetProperty("webhookData"), claims.GetProperty("webhookData")));
    }

    [Fact]
    public async Task The_vector_signed_before_a_rotation_verifies_with_the_previous_token()
    {
        var claims = await Verify(TransakTokens.VectorBody, "a-new-partner-access-token-after-refresh-0123456789", TransakTokens.AccessToken);

        Assert.Equal("order_42", claims.GetProperty("webhookData").Text("partnerOrderId"));
    }

    [Fact]
    public async Task The_vector_is_refused_with_the_wrong_token_or_a_tampered_segment()
    {
        var wrong = TransakTokens.Vector.GetProperty("negative_cases")[0].Text("accessToken");
        Assert.Equal(OnrampErrors.InvalidSignature, (await Refused(TransakTokens.VectorBody, wrong)).Code);

        var parts = VectorJwt.Split('.');
        var flipped = parts[1][..10] + (parts[1][10] == 'A' ? 'B' : 'A') + parts[1][11..];
        var tampered = await Refused(TransakTokens.Body($"{parts[0]}.{flipped}.{parts[2]}"));
        Assert.Equal((DomainErrorKind.Unauthenticated, OnrampErrors.InvalidSignature), (tampered.Kind, tampered.Code));
    }

    [Fact]
    public async Task A_tampered_or_missing_signature_is_refused()
    {
        var parts = VectorJwt.Split('.');
        var signature = System.Buffers.Text.Base64Url.DecodeFromChars(parts[2]);
        signature[0] ^= 0x01;
        var forged = System.Buffers.Text.Base64Url.EncodeToString(signature);

        var tampered = await Refused(TransakTokens.Body($"{parts[0]}.{parts[1]}.{forged}"));
        var stripped = await Refused(TransakTokens.Body($"{parts[0]}.{parts[1]}."));

        Assert.Equal((DomainErrorKind.Unauthenticated, OnrampErrors.InvalidSignature), (tampered.Kind, tampered.Code));
        Assert.Equal((DomainErrorKind.Unauthenticated, OnrampErrors.InvalidSignature), (stripped.Kind, stripped.Code));
    }

    [Fact]
    public async Task Only_HS256_is_accepted_whatever_the_header_claims()
    {
        var claims = new { webhookData = new { partnerOrderId = "order_42", status = "COMPLETED" }, eventID = "ORDER_COMPLETED" };
        var unsigned = TransakTokens.Segment(new { alg = "none", typ = "JWT" }) + "." + TransakTokens.Segment(claims) + ".";

        // Each header is signed with the right key by HMAC-SHA256: only the header's claim about it differs.
        Assert.Equal(OnrampErrors.InvalidSignature, (await Refused(TransakTokens.Body(unsigned))).Code);
        Assert.Equal(OnrampErrors.InvalidSignature, (await Refused(TransakTokens.Body(TransakTokens.Sign(claims, header: new { alg = "none" })))).Code);
        Assert.Equal(OnrampErrors.InvalidSignature, (await Refused(TransakTokens.Body(TransakTokens.Sign(claims, header: new { alg = "RS256", typ = "JWT" })))).Code);
        Assert.Equal(OnrampErrors.InvalidSignature, (await Refused(TransakTokens.Body(TransakTokens.Sign(claims, header: new { alg = "HS512", typ = "JWT" })))).Code);
        Assert.Equal(OnrampErrors.InvalidSignature, (await Refused(TransakTokens.Body(TransakTokens.Sign(claims, header: new { alg = "hs256" })))).Code);
        Assert.Equal(OnrampErrors.InvalidSignature, (await Refused(TransakTokens.Body(TransakTokens.Sign(claims, header: new { typ = "JWT" })))).Code);
        // The same claims under an honest HS256 header verify, so the refusals above are the header's doing.
        Assert.Equal("order_42", (await Verify(TransakTokens.Body(TransakTokens.Sign(claims)), TransakTokens.AccessToken)).GetProperty("webhookData").Text("partnerOrderId"));
    }

    [Fact]
    public async Task An_RS256_token_is_refused_even_when_the_access_token_is_offered_as_its_key()
    {
        // The classic confusion: an RSA-signed token whose verifier would accept any key type it is handed.
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var claims = new { webhookData = new { partnerOrderId = "order_42", status = "COMPLETED" }, eventID = "ORDER_COMPLETED" };
        var signed = TransakTokens.Segment(new { alg = "RS256", typ = "JWT" }) + "." + TransakTokens.Segment(claims);
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signed), System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);

        var refused = await Refused(TransakTokens.Body(signed + "." + System.Buffers.Text.Base64Url.EncodeToString(signature)));

        Assert.Equal((DomainErrorKind.Unauthenticated, OnrampErrors.InvalidSignature), (refused.Kind, refused.Code));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"data\":42}")]
    [InlineData("{\"data\":\"one.two\"}")]
    [InlineData("{\"data\":\"***.e30.sig\"}")]
    public async Task A_malformed_body_or_token_is_a_400(string body)
    {
        Assert.Equal(DomainErrorKind.Validation, (await Refused(body)).Kind);
    }

    [Fact]
    public async Task Without_any_key_nothing_verifies()
    {
        Assert.Equal(OnrampErrors.InvalidSignature, Assert.IsType<DomainException>(await Record.ExceptionAsync(() => Verify(TransakTokens.VectorBody))).Code);
    }

    [Fact]
    public async Task A_signed_payload_that_is_not_an_object_is_a_400()
    {
        Assert.Equal(DomainErrorKind.Validation, (await Refused(TransakTokens.Body(TransakTokens.Sign(new[] { 1, 2 })))).Kind);
    }
}
