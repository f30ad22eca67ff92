using System.Text.Json.Serialization;

namespace Webhooks.Contracts;

/// <summary>A push to a GitHub repository.</summary>
public sealed record GitPush : EventData
{
    [JsonPropertyName("repository")] public string? Repository { get; init; }

    [JsonPropertyName("ref")] public string? Ref { get; init; }

    [JsonPropertyName("before")] public string? Before { get; init; }

    [JsonPropertyName("after")] public string? After { get; init; }

    [JsonPropertyName("commit_count")] public int CommitCount { get; init; }

    [JsonPropertyName("pusher")] public string? Pusher { get; init; }

    [JsonPropertyName("head_commit")] public GitCommit? HeadCommit { get; init; }
}

public sealed record GitCommit
{
    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("message")] public string? Message { get; init; }

    [JsonPropertyName("url")] public string? Url { get; init; }
}

/// <summary>A GitHub pull request event, published as <c>evt.webhook.pull_request.{action}</c>.</summary>
public sealed record PullRequestChanged : EventData
{
    [JsonPropertyName("repository")] public string? Repository { get; init; }

    [JsonPropertyName("number")] public long? Number { get; init; }

    [JsonPropertyName("title")] public string? Title { get; init; }

    [JsonPropertyName("state")] public string? State { get; init; }

    [JsonPropertyName("merged")] public bool? Merged { get; init; }

    [JsonPropertyName("head_ref")] public string? HeadRef { get; init; }

    [JsonPropertyName("base_ref")] public string? BaseRef { get; init; }

    [JsonPropertyName("author")] public string? Author { get; init; }

    [JsonPropertyName("sender")] public string? Sender { get; init; }

    [JsonPropertyName("url")] public string? Url { get; init; }
}

/// <summary>A GitHub issue; <c>labels</c> are the label names.</summary>
public abstract record Issue : EventData
{
    [JsonPropertyName("repository")] public string? Repository { get; init; }

    [JsonPropertyName("number")] public long? Number { get; init; }

    [JsonPropertyName("title")] public string? Title { get; init; }

    [JsonPropertyName("state")] public string? State { get; init; }

    [JsonPropertyName("labels")] public IReadOnlyList<string> Labels { get; init; } = [];

    [JsonPropertyName("author")] public string? Author { get; init; }

    [JsonPropertyName("sender")] public string? Sender { get; init; }

    [JsonPropertyName("url")] public string? Url { get; init; }
}

public sealed record IssueOpened : Issue;

public sealed record IssueClosed : Issue;
