using ApiKeys.Gateway.Forwarding;

namespace ApiKeys.Gateway.Endpoints;

/// <summary>Anything else: 404 in the shape of the API the path looks like (nothing is forwarded that is not a known route).</summary>
internal static class NotFoundEndpoints
{
    public static IEndpointRouteBuilder MapNotFound(this IEndpointRouteBuilder app)
    {
        // Any path, file-like ones included: MapFallback's default pattern ({*path:nonfile}) left those to Kestrel's bare 404,
        // and its constraint ran on every request, the fallback being a candidate of every match.
        app.MapFallback("{**path}", (HttpContext http) => WriteAsync(http, IsOpenAi(http.Request.Path) ? RouteFlavor.OpenAi : RouteFlavor.Gemini));
        return app;
    }

    public static Task WriteAsync(HttpContext http, RouteFlavor flavor)
    {
        var error = new GatewayError(404, $"The gateway has no route {http.Request.Method} {http.Request.Path}: see docs/gateway.md for the routes it forwards.",
            "NOT_FOUND", "invalid_request_error", "unknown_url", GatewayOutcome.NotFound);
        var context = new ForwardContext(new ForwardRoute("not-found", flavor, ""), http.Request.Method, 0);
        return ErrorWriter.WriteAsync(http, flavor, error, context);
    }

    private static bool IsOpenAi(PathString path) =>
        path.StartsWithSegments("/v1beta/openai") || path.StartsWithSegments("/v1/chat") || path.StartsWithSegments("/v1/embeddings");
}
