using System.Net;
using System.Text.RegularExpressions;

namespace Webhooks.IntegrationTests.Infrastructure;

/// <summary>What a browser posts back from a dashboard page: its anti-forgery token.</summary>
internal static partial class DashboardForms
{
    public static string Token(string page) => WebUtility.HtmlDecode(TokenInput().Match(page).Groups[1].Value);

    [GeneratedRegex("name=\"__RequestVerificationToken\"(?: type=\"hidden\")? value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();
}
