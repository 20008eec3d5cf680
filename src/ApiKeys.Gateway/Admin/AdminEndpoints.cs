using ApiKeys.Gateway.Admin.Pages;
using ApiKeys.Gateway.Hosting;
using ApiKeys.Usage;
using Microsoft.Extensions.Options;

namespace ApiKeys.Gateway.Admin;

/// <summary>
/// The dashboard under <c>/admin</c>: its services (<see cref="AddAdmin"/>) and its endpoints (<see cref="MapAdmin"/>), every
/// one behind <see cref="AdminGate"/>. Server-rendered HTML from typed view functions (<see cref="Markup.Html"/>), htmx and
/// uPlot from embedded files: no Razor, so it runs in the NativeAOT binary (<c>apikeys serve</c>).
/// </summary>
internal static class AdminEndpoints
{
    public static void AddAdmin(this WebApplicationBuilder builder, GatewayOptions settings)
    {
        var options = new AdminOptions();
        builder.Configuration.GetSection(AdminOptions.SectionName).Bind(options);
        options.Validate();
        builder.Services.AddSingleton(options);
        if (!options.Enabled)
        {
            return;
        }

        builder.Services.AddSingleton(sp => new AdminContext(sp.GetRequiredService<GatewayBackend>(), sp.GetRequiredService<IOptions<GatewayOptions>>().Value, options,
            sp.GetRequiredService<UsageStoreOptions>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AdminContext>>()));
        builder.Services.AddSingleton(sp => new AdminGate(sp.GetRequiredService<AdminContext>()));
        if (!string.IsNullOrWhiteSpace(options.Urls))
        {
            AddListener(builder, settings, options.Urls);
        }
    }

    public static void MapAdmin(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<AdminOptions>().Enabled)
        {
            return;
        }

        var gate = app.Services.GetRequiredService<AdminGate>();
        var admin = app.MapGroup("/admin");
        admin.AddEndpointFilter(gate);
        admin.MapGet("/assets/{name}", (string name, HttpContext http) => AdminAssets.Serve(name, http)).WithMetadata(new AdminPublicAttribute());
        SignInPage.Map(admin);
        OverviewPage.Map(admin);
        KeysPage.Map(admin);
        KeyActions.Map(admin);
        KeyImport.Map(admin);
        KeyDetailPage.Map(admin);
        UsagePage.Map(admin);
        LogPage.Map(admin);
        TokensPage.Map(admin);
    }

    /// <summary>Listens on <paramref name="urls"/> too (the dashboard answers there only), beside the addresses set so far.</summary>
    private static void AddListener(WebApplicationBuilder builder, GatewayOptions settings, string urls)
    {
        var configuration = builder.Configuration;
        if (configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            int i = 0;
            foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                configuration[$"Kestrel:Endpoints:ApiKeysAdmin{i++}:Url"] = url;
            }

            return;
        }

        // The metrics listener may have set the addresses already: add to them.
        string main = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey) is { Length: > 0 } set ? set
            : configuration["urls"] is { Length: > 0 } configured ? configured : $"http://127.0.0.1:{settings.Port}";
        builder.WebHost.UseUrls(main + ";" + urls);
    }
}
