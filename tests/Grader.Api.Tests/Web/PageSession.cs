using System.Net;
using System.Text.RegularExpressions;
using Grader.Api.Tests.Infrastructure;
using Grader.Api.Users;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Grader.Api.Tests.Web;

/// <summary>
/// A browser with JavaScript off, as far as the server can tell: it keeps cookies, does not follow
/// redirects by itself (so tests see them), and posts forms with the antiforgery token read from the
/// page that carries the form, as a browser would.
/// </summary>
public sealed partial class PageSession(HttpClient client) : IDisposable
{
    public HttpClient Client { get; } = client;

    public static PageSession Open(GraderApp app) =>
        new(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    public static async Task<string> SignInLinkTokenAsync(GraderApp app, Guid userId) =>
        (await app.Services.GetRequiredService<SignInLinkStore>().CreateAsync(userId, CancellationToken.None)).Token;

    public async Task<string> GetHtmlAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await Client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"GET {path}: {(int)response.StatusCode}, expected {(int)expected}.\n{html}");
        return html;
    }

    /// <summary>Opens the page, then posts the form whose action is given, with the page's antiforgery token.</summary>
    public async Task<HttpResponseMessage> SubmitFormAsync(string pagePath, string action, params (string Name, string Value)[] fields)
    {
        var token = AntiforgeryToken(await GetHtmlAsync(pagePath), action);
        return await Client.PostAsync(action, new FormUrlEncodedContent([new("__antiforgery", token), .. fields.Select(f => KeyValuePair.Create(f.Name, f.Value))]));
    }

    public async Task<HttpResponseMessage> SubmitMultipartAsync(string pagePath, string action, MultipartFormDataContent form)
    {
        form.Add(new StringContent(AntiforgeryToken(await GetHtmlAsync(pagePath), action)), "__antiforgery");
        return await Client.PostAsync(action, form);
    }

    public async Task SignInWithKeyAsync(string key)
    {
        var response = await SubmitFormAsync("/sign-in", "/session/key", ("apiKey", key));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    /// <summary>The antiforgery token inside the form posting to <paramref name="action"/>.</summary>
    public static string AntiforgeryToken(string html, string action)
    {
        var form = FormPattern().Matches(html).FirstOrDefault(m => WebUtility.HtmlDecode(m.Groups["action"].Value) == action)
            ?? throw new InvalidOperationException($"No form posts to {action}:\n{html}");
        var token = TokenPattern().Match(form.Value);
        Assert.True(token.Success, $"The form posting to {action} has no antiforgery token.");
        return WebUtility.HtmlDecode(token.Groups["value"].Value);
    }

    public static string Location(HttpResponseMessage response) =>
        response.Headers.Location?.OriginalString ?? throw new InvalidOperationException($"{(int)response.StatusCode} without a Location.");

    public void Dispose() => Client.Dispose();

    [GeneratedRegex("""<form\b[^>]*\baction="(?<action>[^"]*)"[^>]*>.*?</form>""", RegexOptions.Singleline)]
    private static partial Regex FormPattern();

    [GeneratedRegex("""<input\b(?=[^>]*\bname="__antiforgery")[^>]*\bvalue="(?<value>[^"]*)"[^>]*>""", RegexOptions.Singleline)]
    private static partial Regex TokenPattern();
}
