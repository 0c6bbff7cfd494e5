using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FanForge.Api.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace FanForge.Api.OpenApi;

/// <summary>
/// Shapes <c>/openapi/v1.json</c> so a typed client can be generated from it: every operation has a stable
/// <c>operationId</c>, the bearer scheme is required exactly where the route's policy requires a token, and every
/// error status a route can answer is documented with the one error envelope.
/// </summary>
internal static partial class OpenApiSetup
{
    public const string BearerScheme = "bearer";
    public const string ErrorEnvelopeSchema = "ErrorEnvelope";

    /// <summary>Policies beyond "any valid token": the wrong caller gets 403.</summary>
    private static readonly HashSet<string> CallerPolicies = [Policies.WalletOwner, Policies.Creator, Policies.Admin];

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Admin"] = "Platform administration: the audit trail of admin actions and creator configuration changes (admins only).",
        ["Auth"] = "Wallet-signature login: a nonce to sign, then access and refresh tokens; refresh rotation and logout.",
        ["Bauni"] = "Bauni memberships: a fan's membership of a creator, and verification of one.",
        ["Butki"] = "Butki loyalty: a fan's qualifying tips and badges per creator.",
        ["Contracts"] = "TipProxy contracts: deployment, funding and the listing of creators' contracts.",
        ["Creator"] = "A creator's own account: registration, contract administration, prices, dashboard and sticker templates.",
        ["Fan"] = "A fan's own wallet: inventory, claims, pending mints, stats, orders and their cancellation (the token's wallet only).",
        ["Health"] = "Liveness and readiness of the API, the cluster and the database.",
        ["Leaderboards"] = "Top fans per creator and top creators overall.",
        ["Live"] = "The live feed: a WebSocket with feed, creator and fan channels.",
        ["Merch"] = "Creators' stores: products, discounts, quotes and orders paid in ALGO or Shawty tokens.",
        ["Metrics"] = "Prometheus metrics.",
        ["NFT"] = "Sticker NFTs: opt-in, inventory, transfer, and platform mints.",
        ["Notifications"] = "The caller's own notifications (tips, members, orders, badges, memberships, payouts): list, page and mark read.",
        ["Onramp"] = "Buying ALGO by card through Transak: orders and Transak's webhook.",
        ["Payments"] = "Card payments for store orders and Bauni memberships through Stripe Checkout, and Stripe's webhook.",
        ["Payouts"] = "A creator's scheduled payouts (weekly or above a threshold) from its TipProxy to its wallet, and their history.",
        ["Shawty"] = "Shawty tokens: a fan's tokens, burning, locking, transferring and redemption checks.",
        ["Simulation (development only)"] = "Acts on the simulated world (clock, faucet); never mapped in production.",
        ["System"] = "Network parameters and pinned IPFS content.",
        ["Transactions"] = "Submitting signed transactions and the chain follower's status.",
    };

    public static IServiceCollection AddFanForgeOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                DescribeDocument(document);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                DescribeOperation(operation, context);
                return Task.CompletedTask;
            });
        });

    private static void DescribeDocument(OpenApiDocument document)
    {
        document.Info.Title = "FanForge API";
        // The server URL comes from the request's base path ("http://host/"); generators join it with paths that
        // start with "/", so a trailing slash would double it.
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        document.Info.Description = "Errors are always the envelope " +
            "{ success: false, error: { code, message, details } }; branch on error.code, which never changes once shipped.";

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "The accessToken from POST /auth/verify or /auth/refresh.",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ErrorEnvelopeSchema] = ErrorEnvelope();

        // Every tag an operation uses is declared once, with what it groups.
        var used = document.Paths.Values
            .SelectMany(path => path.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>())
            .SelectMany(operation => operation.Tags ?? new HashSet<OpenApiTagReference>())
            .Select(tag => tag.Name)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        document.Tags ??= new HashSet<OpenApiTag>();
        foreach (var tag in document.Tags.Where(t => t.Name is not null))
        {
            tag.Description ??= TagDescriptions.GetValueOrDefault(tag.Name!);
            used.Remove(tag.Name!);
        }

        foreach (var name in used.Order(StringComparer.Ordinal))
        {
            document.Tags.Add(new OpenApiTag { Name = name, Description = TagDescriptions.GetValueOrDefault(name) });
        }
    }

    private static OpenApiSchema ErrorEnvelope() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "Every error response.",
        Required = new HashSet<string> { "success", "error" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["success"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Enum = [JsonValue.Create(false)] },
            ["error"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string> { "code", "message" },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["code"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Description = "Stable, machine-readable code, e.g. validation, unauthorized, forbidden, not_found, rate_limited.",
                    },
                    ["message"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "For people; may change." },
                    ["details"] = new OpenApiSchema { Description = "Optional structured data for some codes (any JSON, or null)." },
                },
            },
        },
    };

    private static void DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var method = description.HttpMethod ?? "GET";
        var policies = metadata.OfType<IAllowAnonymous>().Any()
            ? []
            : metadata.OfType<IAuthorizeData>().Select(a => a.Policy ?? Policies.Authenticated).ToList();

        operation.OperationId = metadata.OfType<IEndpointNameMetadata>().LastOrDefault()?.EndpointName
            ?? OperationId(method, description.RelativePath ?? "");

        // An anonymous route says so with an empty requirement list, so linters and generators see a decision, not an omission.
        operation.Security = policies.Count > 0
            ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }]
            : [];

        operation.Responses ??= [];
        var hasRouteValues = (description.RelativePath ?? "").Contains('{', StringComparison.Ordinal);
        AddError(operation, context, StatusCodes.Status400BadRequest,
            "The request is invalid: validation, malformed_json, invalid_request or a route-specific code.");
        if (policies.Count > 0)
        {
            AddError(operation, context, StatusCodes.Status401Unauthorized, "No valid access token (unauthorized, token_expired …).");
        }

        if (policies.Any(CallerPolicies.Contains))
        {
            AddError(operation, context, StatusCodes.Status403Forbidden, policies.Contains(Policies.Admin)
                ? "The token's wallet is not a platform admin."
                : "The token's wallet is not the route's wallet (or not a registered creator).");
        }

        if (hasRouteValues)
        {
            AddError(operation, context, StatusCodes.Status404NotFound, "What the route names does not exist.");
        }

        AddError(operation, context, StatusCodes.Status429TooManyRequests, "Rate limit exceeded (rate_limited); wait Retry-After seconds.");
        AddError(operation, context, StatusCodes.Status503ServiceUnavailable,
            "Temporarily unavailable (service_unavailable, or a disabled integration); retry after Retry-After seconds if given.");

        // Statuses the route declared itself (409, 413 …) carry the same envelope.
        foreach (var (status, response) in operation.Responses.ToList())
        {
            if (status.Length == 3 && status[0] is '4' or '5' && response is OpenApiResponse declared)
            {
                declared.Content = EnvelopeContent(context);
            }
        }
    }

    private static void AddError(OpenApiOperation operation, OpenApiOperationTransformerContext context, int status, string description)
    {
        var key = status.ToString(CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key))
        {
            return;
        }

        var response = new OpenApiResponse { Description = description, Content = EnvelopeContent(context) };
        if (status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
        {
            response.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Retry-After"] = new OpenApiHeader
                {
                    Description = "Seconds to wait before retrying.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
                },
            };
        }

        operation.Responses[key] = response;
    }

    private static Dictionary<string, OpenApiMediaType> EnvelopeContent(OpenApiOperationTransformerContext context) => new()
    {
        ["application/json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ErrorEnvelopeSchema, context.Document) },
    };

    /// <summary>
    /// <c>GET butki/{wallet}/loyalty/{creatorWallet}</c> → <c>getButkiLoyaltyByCreatorWallet</c>: the method, the
    /// literal segments, and the route values after the last literal one. Derived from the route, so it only changes
    /// when the route does (generated clients name their methods after it).
    /// </summary>
    internal static string OperationId(string method, string route)
    {
        var id = new StringBuilder(method.ToLowerInvariant());
        var trailing = new List<string>();
        foreach (var segment in route.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment.StartsWith('{'))
            {
                trailing.Add(RouteValueName().Match(segment).Groups[1].Value);
                continue;
            }

            trailing.Clear();
            id.Append(Pascal(segment));
        }

        if (trailing.Count > 0)
        {
            id.Append("By").Append(string.Join("And", trailing.Select(Pascal)));
        }

        return id.ToString();
    }

    private static string Pascal(string words) => string.Concat(
        words.Split(['-', '_', '.'], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    [GeneratedRegex(@"^\{\**([^}:=?]+)")]
    private static partial Regex RouteValueName();
}
