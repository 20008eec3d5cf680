using ApiKeys.Gateway.Forwarding;
using ApiKeys.Gateway.Resources;

namespace ApiKeys.Gateway.Endpoints;

/// <summary>
/// The Files API (uploads, resumable or in one part; get, list, delete) and cached contents. What a key creates exists only
/// in its project: the gateway remembers which key created each file, cached content and upload, and sends every later
/// request naming it (in the path, or in a generate request's body) with that key.
/// </summary>
internal static class ResourceEndpoints
{
    public static IEndpointRouteBuilder MapResources(this IEndpointRouteBuilder app)
    {
        var forwarder = app.LazyForwarder();
        foreach (var version in new[] { "v1beta", "v1" })
        {
            app.MapPost($"/upload/{version}/files", (HttpContext http) =>
            {
                string? upload = ResourceRecorder.UploadId(http.Request.QueryString.Value);
                return forwarder.Value.ForwardAsync(http, new ForwardRoute("files.upload", RouteFlavor.Gemini, $"upload/{version}/files")
                {
                    Resource = upload is null ? null : "upload:" + upload,
                    Creates = true,
                });
            });

            var group = app.MapGroup("/" + version);
            group.MapGet("/files", (HttpContext http) =>
                forwarder.Value.ForwardAsync(http, new ForwardRoute("files.list", RouteFlavor.Gemini, $"{version}/files")));
            group.MapMethods("/files/{name}", ["GET", "DELETE"], (HttpContext http, string name) =>
                forwarder.Value.ForwardAsync(http, Named("files", version, name, http.Request.Method)));
            group.MapPost("/cachedContents", (HttpContext http) =>
                forwarder.Value.ForwardAsync(http, new ForwardRoute("cachedContents.create", RouteFlavor.Gemini, $"{version}/cachedContents") { Creates = true }));
            group.MapGet("/cachedContents", (HttpContext http) =>
                forwarder.Value.ForwardAsync(http, new ForwardRoute("cachedContents.list", RouteFlavor.Gemini, $"{version}/cachedContents")));
            group.MapMethods("/cachedContents/{name}", ["GET", "PATCH", "DELETE"], (HttpContext http, string name) =>
                forwarder.Value.ForwardAsync(http, Named("cachedContents", version, name, http.Request.Method)));
        }

        return app;
    }

    private static ForwardRoute Named(string collection, string version, string name, string method) =>
        new($"{collection}.{method.ToLowerInvariant()}", RouteFlavor.Gemini, $"{version}/{collection}/{GeminiEndpoints.Escape(name)}")
        {
            Resource = $"{collection}/{name}",
            // A PATCH of a cached content's ttl answers with its new expireTime: remembered until then.
            Creates = HttpMethods.IsPatch(method),
            Deletes = HttpMethods.IsDelete(method),
        };
}
