using System.Text;
using FanForge.Api.Onramp;
using FanForge.GrainInterfaces.Errors;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace FanForge.Tests.Onramp;

/// <summary>The webhook JWT check on its own: the shared vector, and each way a token is refused.</summary>
public sealed class TransakWebhookVerifierTests
{
    private static TransakWebhookVerifier Verifier(string? accessToken, string? previous = null) =>
        new(Options.Create(new TransakSettings { ApiKey = "pk_test", AccessToken = accessToken, PreviousAccessToken = previous }));

    private static DomainException Refused(string body, string? accessToken = null) =>
        Assert.IsType<DomainException>(Record.Exception(() => Verifier(accessToken ?? TransakTokens.AccessToken).Verify(Encoding.UTF8.GetBytes(body))));

    private static string VectorJwt => TransakTokens.Vector.GetProperty("webhookBody").Text("data");

    [Fact]
    public void The_shared_vector_verifies_with_its_access_token_and_yields_its_claims()
    {
        var claims = Verifier(TransakTokens.AccessToken).Verify(Encoding.UTF8.GetBytes(TransakTokens.VectorBody));

        var expected = TransakTokens.Vector.GetProperty("expected_claims");
        Assert.Equal(expected.Text("eventID"), claims.Text("eventID"));
        Assert.True(System.Text.Json.JsonElement.DeepEquals(expected.GetProperty("webhookData"), claims.GetProperty("webhookData")));
    }

    [Fact]
    public void The_vector_signed_before_a_rotation_verifies_with_the_previous_token()
    {
        var claims = Verifier("a-new-partner-access-token-after-refresh-0123456789", TransakTokens.AccessToken).Verify(Encoding.UTF8.GetBytes(TransakTokens.VectorBody));

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
    public void Without_an_access_token_webhooks_are_refused_as_in_simulation_mode()
    {
        var refused = Assert.IsType<DomainException>(Record.Exception(() => Verifier(null).Verify(Encoding.UTF8.GetBytes(TransakTokens.VectorBody))));

        Assert.Equal((DomainErrorKind.Forbidden, OnrampErrors.WebhooksDisabled), (refused.Kind, refused.Code));
    }

    [Fact]
    public void A_signed_payload_that_is_not_an_object_is_a_400()
    {
        Assert.Equal(DomainErrorKind.Validation, Refused(TransakTokens.Body(TransakTokens.Sign(new[] { 1, 2 }))).Kind);
    }
}
