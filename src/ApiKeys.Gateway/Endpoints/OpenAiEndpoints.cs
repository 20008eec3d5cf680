using ApiKeys.Gateway.Forwarding;

namespace ApiKeys.Gateway.Endpoints;

/// <summary>
/// The OpenAI-compatible routes, under <c>/v1beta/openai</c> (Google's own path) and <c>/v1</c> (OpenAI SDKs' default),
/// forwarded to Google's OpenAI-compatible endpoint as they are: no translation layer. The model is read from the body.
/// (<c>GET /v1/models</c> is shared with Gemini's list: see <see cref="GeminiEndpoints"/>.)
/// </summary>
internal static class OpenAiEndpoints
{
    private const string Upstream = "v1beta/openai/";

    // One route object each (its upstream address parsed once).
    private static readonly ForwardRoute Chat = new("chat/completions", RouteFlavor.OpenAi, Upstream + "chat/completions", ModelInBody: true) { Reused = true };
    private static readonly ForwardRoute Embeddings = new("embeddings", RouteFlavor.OpenAi, Upstream + "embeddings", ModelInBody: true) { Reused = true };
    private static readonly ForwardRoute Models = new("openai/models", RouteFlavor.OpenAi, Upstream + "models") { Reused = true };

    public static IEndpointRouteBuilder MapOpenAi(this IEndpointRouteBuilder app)
    {
        var forwarder = app.LazyForwarder();
        foreach (var prefix in new[] { "/v1beta/openai", "/v1" })
        {
            var group = app.MapGroup(prefix);
            group.MapPost("/chat/completions", (HttpContext http) =>
                forwarder.Value.ForwardAsync(http, Chat));
            group.MapPost("/embeddings", (HttpContext http) =>
                forwarder.Value.ForwardAsync(http, Embeddings));
        }

        var own = app.MapGroup("/v1beta/openai");
        own.MapGet("/models", (HttpContext http) =>
            forwarder.Value.ForwardAsync(http, Models));
        own.MapGet("/models/{model}", (HttpContext http, string model) =>
            forwarder.Value.ForwardAsync(http, new ForwardRoute("openai/models.get", RouteFlavor.OpenAi, Upstream + "models/" + GeminiEndpoints.Escape(model), model)));
        return app;
    }
}
