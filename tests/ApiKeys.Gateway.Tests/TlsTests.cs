using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ApiKeys.Gateway.Tests.Support;

namespace ApiKeys.Gateway.Tests;

/// <summary>TLS as docs/gateway.md configures it: a Kestrel endpoint with a certificate file, and nothing else.</summary>
public sealed class TlsTests
{
    [Fact]
    public async Task Https_KestrelEndpointWithACertificateFile_ServesOverTls()
    {
        await using var server = await FakeGeminiServer.StartAsync();
        using var store = new GatewayStore(TestKeys.Many(1));
        string token = store.Token();
        using var certificate = SelfSigned();
        string pfx = Path.Combine(store.Path, "gateway.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "test-password"));

        await using var gateway = await GatewayProcess.StartAsync(store.Path, server.BaseAddress,
            "--Kestrel:Endpoints:Https:Url", "https://127.0.0.1:0",
            "--Kestrel:Endpoints:Https:Certificate:Path", pfx,
            "--Kestrel:Endpoints:Https:Certificate:Password", "test-password");
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
        };
        using var client = new HttpClient(handler) { BaseAddress = gateway.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1beta/models/gemini-2.5-flash:generateContent") { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("x-goog-api-key", token);

        using var response = await client.SendAsync(request);

        Assert.Equal(Uri.UriSchemeHttps, gateway.BaseAddress.Scheme);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(server.Requests);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }
}
