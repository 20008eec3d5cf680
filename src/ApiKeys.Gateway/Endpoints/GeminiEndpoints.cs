using System.Collections.Frozen;
using ApiKeys.Gateway.Forwarding;

namespace ApiKeys.Gateway.Endpoints;

/// <summary>
/// Gemini's routes under <c>/v1beta</c> and <c>/v1</c>, as Google spells them, so an SDK needs only a new base URL:
/// <c>models/{model}:{method}</c> for the generate, count and embed methods, and the model list and model lookup.
/// <c>GET /v1/models</c> is also OpenAI's list: a client that sends <c>Authorization: Bearer</c> (what OpenAI SDKs do) gets
/// OpenAI's shape from Google's OpenAI-compatible endpoint.
/// </summary>
internal static class GeminiEndpoints
{
    private static readonly FrozenSet<string> Methods = new[]
    {
        "generateContent", "streamGenerateContent", "countTokens", "embedContent", "batchEmbedContents",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static IEndpointRouteBuilder MapGemini(this IEndpointRouteBuilder app)
    {
        var forwarder = app.LazyForwarder();
        foreach (var version in new[] { "v1beta", "v1" })
        {
            var group = app.MapGroup("/" + version);
            var routes = new ModelRoutes(version);
            // One plain segment, split at its last ':' as Google's {model}:{method} is: the router would match a complex
            // segment with its pattern matcher on every request, and pass two values where the route table needs one.
            group.MapPost("/models/{target}", (HttpContext http, string target) =>
                routes.Get(target) is { } route
                    ? forwarder.Value.ForwardAsync(http, route)
                    : NotFoundEndpoints.WriteAsync(http, RouteFlavor.Gemini));
            group.MapGet("/models", (HttpContext http) => forwarder.Value.ForwardAsync(http, ListModels(http, version)));
            group.MapGet("/models/{model}", (HttpContext http, string model) => forwarder.Value.ForwardAsync(http, GetModel(http, version, model)));
        }

        return app;
    }

    private static ForwardRoute ListModels(HttpContext http, string version) =>
        version == "v1" && ClientCredential.UsesBearer(http.Request)
            ? new ForwardRoute("openai/models", RouteFlavor.OpenAi, "v1beta/openai/models")
            : new ForwardRoute("models", RouteFlavor.Gemini, $"{version}/models");

    private static ForwardRoute GetModel(HttpContext http, string version, string model) =>
        version == "v1" && ClientCredential.UsesBearer(http.Request)
            ? new ForwardRoute("openai/models.get", RouteFlavor.OpenAi, $"v1beta/openai/models/{Escape(model)}", model)
            : new ForwardRoute("models.get", RouteFlavor.Gemini, $"{version}/models/{Escape(model)}", model);

    internal static string Escape(string segment) => Uri.EscapeDataString(segment);

    /// <summary>
    /// The routes of <c>models/{model}:{method}</c> under one version, one object per model and method (built once, their
    /// upstream address parsed once), found by the path's segment as the client sent it. The path is the client's, before
    /// any token is checked: only names that look like a model's (<see cref="MaxModelLength"/> characters of letters,
    /// digits, <c>.</c>, <c>_</c>, <c>-</c>) are kept, up to <see cref="MaxRoutes"/>; then the table starts again, so names
    /// that come and go cannot keep the ones in use out.
    /// </summary>
    internal sealed class ModelRoutes(string version)
    {
        public const int MaxRoutes = 1024;
        public const int MaxModelLength = 128;

        private static readonly System.Buffers.SearchValues<char> ModelCharacters =
            System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ForwardRoute> _routes = new(StringComparer.Ordinal);
        private int _count;

        /// <summary>The route of <paramref name="target"/> (<c>{model}:{method}</c>, split at the last <c>:</c>); null when it names no method forwarded.</summary>
        public ForwardRoute? Get(string target)
        {
            if (_routes.TryGetValue(target, out var route))
            {
                return route;
            }

            int colon = target.LastIndexOf(':');
            string method = colon > 0 ? target[(colon + 1)..] : "";
            if (!Methods.Contains(method))
            {
                return null;
            }

            string model = target[..colon];
            bool keep = model.Length <= MaxModelLength && !model.AsSpan().ContainsAnyExcept(ModelCharacters);
            route = new ForwardRoute(method, RouteFlavor.Gemini, $"{version}/models/{Escape(model)}:{method}", model) { Reused = keep };
            if (!keep)
            {
                return route;
            }

            if (Interlocked.Increment(ref _count) > MaxRoutes)
            {
                _routes.Clear();
                Interlocked.Exchange(ref _count, 1);
            }

            return _routes.GetOrAdd(target, route);
        }
    }
}
