using System.Text.Json.Serialization;

namespace Webhooks.Contracts;

// GitHub's events. Seed 002's fields are a floor (repository, ref, commits as a count, pusher, head_commit as the
// commit's id, pr_number, base_branch, head_branch, issue_number, labels …); the rest are additions.

/// <summary>Fields of every GitHub event.</summary>
public abstract record RepositoryEvent : EventData
{
    /// <summary>owner/name.</summary>
    [JsonPropertyName("repository")] public string? Repository { get; init; }

    /// <summary>When the gateway received the webhook (seed 002's processing time).</summary>
    [JsonPropertyName("timestamp")] public DateTimeOffset? Timestamp { get; init; }
}

/// <summary>A push to a GitHub repository.</summary>
public sealed record GitPush : RepositoryEvent
{
    [JsonPropertyName("ref")] public string? Ref { get; init; }

    /// <summary>How many commits were pushed (seed 002).</summary>
    [JsonPropertyName("commits")] public int Commits { get; init; }

    [JsonPropertyName("pusher")] public string? Pusher { get; init; }

    /// <summary>The head commit's id (seed 002).</summary>
    [JsonPropertyName("head_commit")] public string? HeadCommit { get; init; }

    [JsonPropertyName("before")] public string? Before { get; init; }

    [JsonPropertyName("after")] public string? After { get; init; }

    [JsonPropertyName("commit_count")] public int CommitCount { get; init; }

    /// <summary>The head commit's id, message and URL.</summary>
    [JsonPropertyName("head_commit_details")] public GitCommit? HeadCommitDetails { get; init; }
}

public sealed record GitCommit
{
    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("message")] public string? Message { get; init; }

    [JsonPropertyName("url")] public string? Url { get; init; }
}

/// <summary>A GitHub pull request event, published as <c>evt.webhook.pull_request.{action}</c>.</summary>
public sealed record PullRequestChanged : RepositoryEvent
{
    [JsonPropertyName("pr_number")] public long? PrNumber { get; init; }

    [JsonPropertyName("title")] public string? Title { get; init; }

    /// <summary>Who opened it.</summary>
    [JsonPropertyName("author")] public string? Author { get; init; }

    [JsonPropertyName("base_branch")] public string? BaseBranch { get; init; }

    [JsonPropertyName("head_branch")] public string? HeadBranch { get; init; }

    [JsonPropertyName("number")] public long? Number { get; init; }

    [JsonPropertyName("state")] public string? State { get; init; }

    [JsonPropertyName("merged")] public bool? Merged { get; init; }

    [JsonPropertyName("head_ref")] public string? HeadRef { get; init; }

    [JsonPropertyName("base_ref")] public string? BaseRef { get; init; }

    [JsonPropertyName("sender")] public string? Sender { get; init; }

    [JsonPropertyName("url")] public string? Url { get; init; }
}

/// <summary>A GitHub issue; <c>labels</c> are the label names.</summary>
public abstract record Issue : RepositoryEvent
{
    [JsonPropertyName("issue_number")] public long? IssueNumber { get; init; }

    [JsonPropertyName("title")] public string? Title { get; init; }

    [JsonPropertyName("author")] public string? Author { get; init; }

    [JsonPropertyName("labels")] public IReadOnlyList<string> Labels { get; init; } = [];

    [JsonPropertyName("number")] public long? Number { get; init; }

    [JsonPropertyName("state")] public string? State { get; init; }

    [JsonPropertyName("sender")] public string? Sender { get; init; }

    [JsonPropertyName("url")] public string? Url { get; init; }
}

public sealed record IssueOpened : Issue;

public sealed record IssueClosed : Issue;
