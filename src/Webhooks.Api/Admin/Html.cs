using System.Globalization;
using System.Net;
using System.Text;

namespace Webhooks.Api.Admin;

/// <summary>A small HTML writer for the dashboard: every value is encoded; layout and styles are shared by all pages.</summary>
public sealed class Html
{
    private readonly StringBuilder text = new(8192);

    public static string E(object? value) => WebUtility.HtmlEncode(value switch
    {
        null => "",
        DateTimeOffset at => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    }) ?? "";

    public Html Raw(string markup)
    {
        text.Append(markup);
        return this;
    }

    public Html Tag(string tag, object? value, string? cssClass = null)
    {
        text.Append('<').Append(tag);
        if (cssClass is not null)
        {
            text.Append(" class=\"").Append(cssClass).Append('"');
        }

        text.Append('>').Append(E(value)).Append("</").Append(tag).Append('>');
        return this;
    }

    public Html Table(IEnumerable<string> headers, IEnumerable<IEnumerable<string>> rows)
    {
        text.Append("<table><thead><tr>");
        foreach (var header in headers)
        {
            text.Append("<th>").Append(E(header)).Append("</th>");
        }

        text.Append("</tr></thead><tbody>");
        var any = false;
        foreach (var row in rows)
        {
            any = true;
            text.Append("<tr>");
            foreach (var cell in row)
            {
                text.Append("<td>").Append(cell).Append("</td>");
            }

            text.Append("</tr>");
        }

        if (!any)
        {
            text.Append("<tr><td colspan=\"99\" class=\"muted\">Nothing here.</td></tr>");
        }

        text.Append("</tbody></table>");
        return this;
    }

    /// <summary>A POST button with the anti-forgery token; destructive ones ask for confirmation first.</summary>
    public static string Button(string action, string label, string token, string? confirm = null, string fields = "") =>
        $"<form method=\"post\" action=\"{E(action)}\" class=\"inline\"{(confirm is null ? "" : $" onsubmit=\"return confirm('{E(confirm)}')\"")}>" +
        $"<input type=\"hidden\" name=\"__RequestVerificationToken\" value=\"{E(token)}\">{fields}<button>{E(label)}</button></form>";

    public static string Link(string href, object? label) => $"<a href=\"{E(href)}\">{E(label)}</a>";

    public string Page(string title, string active) =>
        $$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{E(title)}} · Webhooks</title>
        <style>
          body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f6f7f9; }
          header { background: #1d2330; color: #fff; padding: 10px 24px; display: flex; gap: 24px; align-items: center; }
          header b { font-size: 16px; } header a { color: #c9d1e4; text-decoration: none; } header a.on { color: #fff; border-bottom: 2px solid #6ea8fe; }
          main { padding: 16px 24px; max-width: 1400px; }
          h2 { font-size: 16px; margin: 20px 0 8px; }
          table { border-collapse: collapse; width: 100%; background: #fff; margin-bottom: 12px; }
          th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e3e6ec; vertical-align: top; font-size: 13px; }
          th { background: #eef1f5; }
          .cards { display: flex; gap: 12px; flex-wrap: wrap; } .card { background: #fff; border: 1px solid #e3e6ec; padding: 10px 14px; min-width: 150px; }
          .card b { display: block; font-size: 20px; } .up { color: #137333; } .down { color: #b3261e; } .muted { color: #6b7280; }
          form.inline { display: inline; } button { cursor: pointer; margin-right: 4px; }
          form.filter input { margin-right: 6px; } pre { background: #fff; border: 1px solid #e3e6ec; padding: 10px; overflow: auto; max-height: 480px; }
        </style></head><body>
        <header><b>Webhooks</b>
          <a href="/admin" class="{{(active == "overview" ? "on" : "")}}">Overview</a>
          <a href="/admin/inbox" class="{{(active == "inbox" ? "on" : "")}}">Inbox</a>
          <a href="/admin/dead-letters" class="{{(active == "dead" ? "on" : "")}}">Dead letters</a>
          <a href="/admin/subscriptions" class="{{(active == "subscriptions" ? "on" : "")}}">Subscriptions</a>
          <a href="/admin/system" class="{{(active == "system" ? "on" : "")}}">Jobs &amp; sources</a>
          <a href="/admin/audit" class="{{(active == "audit" ? "on" : "")}}">Audit</a>
          <a href="/admin/logout">Log out</a>
        </header><main><h1 style="font-size:20px">{{E(title)}}</h1>{{text}}</main></body></html>
        """;
}
