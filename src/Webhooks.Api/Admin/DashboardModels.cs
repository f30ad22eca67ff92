using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Webhooks.Application.Admin.Audit;
using Webhooks.Application.Admin.DeadLetters;
using Webhooks.Application.Admin.Inbox;
using Webhooks.Application.Admin.Sources;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Paging;
using Webhooks.Application.Health;

namespace Webhooks.Api.Admin;

public sealed record OverviewPage(HealthReport Health, bool RelayPaused, Page<InboxSummary> Latest, Page<DeadLetterSummary> DeadLetters, ActivityCharts Charts);

/// <summary>The last day on the overview: per source from ingest_minutes, the relay and outbound from gateway_minutes.</summary>
public sealed record ActivityCharts(Webhooks.Application.Admin.Traffic.TrafficView Traffic, Webhooks.Application.Admin.Traffic.GatewayActivity Gateway);

public sealed record InboxPage(Page<InboxSummary> Messages, FilterForm Filter, Pager Pager);

public sealed record SystemPage(IReadOnlyList<RecurringJobView> Jobs, IReadOnlyList<SourceView> Sources, IReadOnlyList<Webhooks.Application.Backfill.BackfillStatusView> Backfills);

public sealed record AuditPage(Page<AuditRecord> Entries, FilterForm Filter, Pager Pager);

/// <summary>A summary card: a title, a value coloured by what it says (up, down), a line of detail.</summary>
public sealed record Card(string Title, string Value, string? Detail)
{
    public string Tone => Value is "up" or "running" ? "up" : Value == "down" ? "down" : "";
}

/// <summary>A search form that GETs <paramref name="Action"/> with one text field per name.</summary>
public sealed record FilterForm(string Action, IReadOnlyList<KeyValuePair<string, string?>> Fields);

/// <summary>A POST button; with <paramref name="Confirm"/> the operator is asked that question first.</summary>
public sealed record PostButton(string Action, string Label, string? Confirm = null);

/// <summary>The link to the next page: the current filter and the cursor, every value URL-encoded.</summary>
public sealed record Pager(string Path, IReadOnlyList<KeyValuePair<string, string?>> Query, string? Next, string Label = "Older →")
{
    public string? Href => Next is null
        ? null
        : QueryHelpers.AddQueryString(Path, Query.Where(q => !string.IsNullOrEmpty(q.Value)).Append(new("cursor", Next)));
}

/// <summary>How the dashboard writes values: instants in UTC, numbers without the server's culture.</summary>
public static class Shown
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, MaxDepth = Webhooks.Application.Common.Json.StoredJson.MaxDepth };

    public static string At(DateTimeOffset? at) =>
        at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "";

    /// <summary>Stored JSON, indented; envelopes nest deeper than the serializer's default allows.</summary>
    public static string Json(JsonElement json) => JsonSerializer.Serialize(json, Indented);

    public static string Number(IFormattable? value, string? format = null) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "";
}
