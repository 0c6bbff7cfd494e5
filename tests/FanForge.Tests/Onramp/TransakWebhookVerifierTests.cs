using System.Text;
using System.Text.Json;
using FanForge.Api.Onramp;
using FanForge.GrainInterfaces.Errors;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Onramp;

/// <summary>The webhook JWT check on its own: the shared vector, and each way a token is refused.</summary>
public sealed class TransakWebhookVerifierTests
{
    private static JsonElement Verify(string body, params string[] keys) => TransakWebhookVerifier.Verify(Encoding.UTF8.GetBytes(body), keys);

    private static DomainException Refused(string body, string? accessToken = null) =>
        Assert.IsType<DomainException>(Record.Exception(() => Verify(body, accessToken ?? TransakTokens.AccessToken)));

    private static string VectorJwt => TransakTokens.Vector.GetProperty("webhookBody").Text("data");

    [Fact]
    public void The_shared_vector_verifies_with_its_access_token_and_yields_its_claims()
    {
        var claims = Verify(TransakTokens.VectorBody, TransakTokens.AccessToken);

        var expected = TransakTokens.Vector.GetProperty("expected_claims");
        Assert.Equal(expected.Text("eventID"), claims.Text("eventID"));
        Assert.True(JsonElement.DeepEquals(expected.GetProperty("webhookData"), claims.GetProperty("webhookData")));
    }

    [Fact]
    public void The_vector_signed_before_a_rotation_verifies_with_the_previous_token()
    {
        var claims = Verify(TransakTokens.VectorBody, "a-new-partner-access-token-after-refresh-0123456789", TransakTokens.AccessToken);

        Assert.Equal("order_42", claims.GetProperty("webhookData").Text("partnerOrderId"));
    }

    [Fact]
    public void The_vector_is_refused_with_the_wrong_token_or_a_tampered_segment()
    {
        var wrong = TransakTokens.Vector.GetProperty("negative_cases")[0].Text("accessToken");
        Assert.Equal(OnrampErrors.InvalidSignature, Refused(TransakTokens.VectorBody, wrong).Code);

        var parts = VectorJwt.Split('.');
        var flipped = parts[1][..10] + (parts[1][10] == 'A' ? 'B' : 'A') + parts[1][11..];
        var tampered = Refused(TransakTokens.Body($"{parts[0]}.{flipped}.{parts[2]}"));
        Assert.Equal((DomainErrorKind.Unauthenticated, OnrampErrors.InvalidSignature), (tampered.Kind, tampered.Code));
    }

    [Fact]
    public void Only_HS256_is_accepted_whatever_the_header_claims()
    {
        var claims = new { webhookData = new { partnerOrderId = "order_42", status = "COMPLETED" }, eventID = "ORDER_COMPLETED" };
        var unsigned = TransakTokens.Segment(new { alg = "none", typ = "JWT" }) + "." + TransakTokens.Segment(claims) + ".";

        Assert.Equal(OnrampErrors.InvalidSignature, Refused(TransakTokens.Body(unsigned)).Code);
        Assert.Equal(OnrampErrors.InvalidSignature, Refused(TransakTokens.Body(TransakTokens.Sign(claims, header: new { alg = "none" }))).Code);
        Assert.Equal(OnrampErrors.InvalidSignature, Refused(TransakTokens.Body(TransakTokens.Sign(claims, header: new { alg = "RS256", typ = "JWT" }))).Code);
        Assert.Equal(OnrampErrors.InvalidSignature, Refused(TransakTokens.Body(TransakTokens.Sign(claims, header: new { alg = "hs256" }))).Code);
        Assert.Equal(OnrampErrors.InvalidSignature, Refused(TransakTokens.Body(TransakTokens.Sign(claims, header: new { typ = "JWT" }))).Code);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"data\":42}")]
    [InlineData("{\"data\":\"one.two\"}")]
    [InlineData("{\"data\":\"***.e30.sig\"}")]
    public void A_malformed_body_or_token_is_a_400(string body)
    {
        Assert.Equal(DomainErrorKind.Validation, Refused(body).Kind);
    }

    [Fact]
    public void Without_any_key_nothing_verifies()
    {
        Assert.Equal(OnrampErrors.InvalidSignature, Assert.IsType<DomainException>(Record.Exception(() => Verify(TransakTokens.VectorBody))).Code);
    }

    [Fact]
    public void A_signed_payload_that_is_not_an_object_is_a_400()
    {
        Assert.Equal(DomainErrorKind.Validation, Refused(TransakTokens.Body(TransakTokens.Sign(new[] { 1, 2 }))).Kind);
    }
}
