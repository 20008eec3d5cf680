using System.Diagnostics;
using System.Net;
using ApiKeys.Dashboard.Tests.Support;

namespace ApiKeys.Dashboard.Tests;

/// <summary>Before a password is set, /admin says how to set one and nothing else; <c>apikeys admin set-password --stdin</c> sets it.</summary>
public sealed class NoPasswordTests(NoPasswordTests.NoPassword fixture) : IClassFixture<NoPasswordTests.NoPassword>
{
    [Fact]
    public async Task Admin_WithoutAPassword_SaysHowToSetOne_ThenTheCliSetsIt()
    {
        var h = fixture.Harness;
        using var client = h.Client(out _);

        foreach (var page in new[] { "admin", "admin/keys", "admin/signin" })
        {
            using var response = await client.GetAsync(page);
            string html = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("apikeys admin set-password", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<form", html, StringComparison.Ordinal);
            Assert.DoesNotContain("AIza", html, StringComparison.Ordinal);
        }

        using var refused = await client.PostAsync("admin/signin", new FormUrlEncodedContent([new("password", "anything at all here")]));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);

        Assert.Equal(0, await SetPasswordAsync(h.Store.Path, "a new dashboard password"));

        string file = Path.Combine(h.Store.Path, "admin_password.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.DoesNotContain("a new dashboard password", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        var (signedIn, _) = await h.SignInAsync("a new dashboard password");
        using (signedIn)
        {
            Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("admin/keys")).StatusCode);
        }
    }

    [Fact]
    public async Task SetPassword_TooShort_IsRefused_AndNothingIsWritten()
    {
        using var dir = new TempDirectory();

        Assert.Equal(1, await SetPasswordAsync(dir.Path, "tiny-pw"));

        Assert.False(File.Exists(Path.Combine(dir.Path, "admin_password.json")));
    }

    private static async Task<int> SetPasswordAsync(string directory, string password)
    {
        var launcher = GatewayProcess.CliLauncher;
        var info = new ProcessStartInfo(launcher[0]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in launcher.Skip(1).Concat(["--dir", directory, "admin", "set-password", "--stdin"]))
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        await process.StandardInput.WriteLineAsync(password);
        process.StandardInput.Close();
        string output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.DoesNotContain(password, output, StringComparison.Ordinal);
        return process.ExitCode;
    }

    public sealed class NoPassword : DashboardFixture
    {
        protected override bool WithPassword => false;
    }
}
