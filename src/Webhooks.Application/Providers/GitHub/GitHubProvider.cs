using System.Text.Json.Nodes;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Common.Json;
using Webhooks.Application.Ingestion;
using Webhooks.Contracts;
using Webhooks.Domain.Events;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Providers.GitHub;

/// <summary>GitHub deliveries: X-GitHub-Event (+ the body's action) names them, X-GitHub-Delivery identifies them.</summary>
public sealed class GitHubProvider : IWebhookProvider
{
    public const string EventHeader = "X-GitHub-Event";
    public const string DeliveryHeader = "X-GitHub-Delivery";

    public ProviderKind Kind => ProviderKind.GitHub;

    public SignatureCheck Verify(WebhookRequest request, WebhookSource source, DateTimeOffset now) => GitHubSignature.Verify(request, source);

    public WebhookInterpretation Interpret(WebhookRequest request, WebhookSource source)
    {
        var body = Signatures.ParseJsonObject(request.Body);
        var name = request.Header(EventHeader) ?? throw new MalformedWebhookException($"The {EventHeader} header is missing.");
        var action = body.Text("action");
        var topic = action is null ? name : $"{name}.{action}";
        var key = request.Header(DeliveryHeader) ?? Signatures.BodyKey(request.Body);
        return new WebhookInterpretation(topic, key, body, []).Mapped(() => Map(name, action, body, request.ReceivedAt));
    }

    /// <summary>Seed 002's GitHub mappings (push, pull requests, issues opened and closed), with its field names first.</summary>
    private static MappedEvent? Map(string name, string? action, JsonObject body, DateTimeOffset receivedAt)
    {
        var repository = body.Text("repository", "full_name");
        switch (name)
        {
            case "push":
                var commits = body.Path("commits") is JsonArray pushed ? pushed.Count : 0;
                return ContractEvents.Event(new GitPush
                {
                    Repository = repository,
                    Timestamp = receivedAt,
                    Ref = body.Text("ref"),
                    Commits = commits,
                    Pusher = body.Text("pusher", "name"),
                    HeadCommit = body.Text("head_commit", "id"),
                    Before = body.Text("before"),
                    After = body.Text("after"),
                    CommitCount = commits,
                    HeadCommitDetails = body.Path("head_commit") is JsonObject head
                        ? new GitCommit { Id = head.Text("id"), Message = head.Text("message"), Url = head.Text("url") }
                        : null,
                }, body.Text("after"));
            case "pull_request" when action is not null:
                var pull = body.Path("pull_request");
                return ContractEvents.FamilyEvent(new PullRequestChanged
                {
                    Repository = repository,
                    Timestamp = receivedAt,
                    PrNumber = pull.Long("number"),
                    BaseBranch = pull.Text("base", "ref"),
                    HeadBranch = pull.Text("head", "ref"),
                    Number = body.Long("number"),
                    Title = pull.Text("title"),
                    State = pull.Text("state"),
                    Merged = pull.Bool("merged"),
                    HeadRef = pull.Text("head", "ref"),
                    BaseRef = pull.Text("base", "ref"),
                    Author = pull.Text("user", "login"),
                    Sender = body.Text("sender", "login"),
                    Url = pull.Text("html_url"),
                }, body.Text("number"), action);
            case "issues" when action is "opened" or "closed":
                return ContractEvents.Event(Issue(action == "opened" ? new IssueOpened() : new IssueClosed(), body, repository, receivedAt), body.Text("issue", "number"));
            default:
                return null; // ping and everything unmapped: stored, evt.webhook.received only
        }
    }

    private static Issue Issue(Issue issue, JsonObject body, string? repository, DateTimeOffset receivedAt)
    {
        var details = body.Path("issue");
        return issue with
        {
            Repository = repository,
            Timestamp = receivedAt,
            IssueNumber = details.Long("number"),
            Number = details.Long("number"),
            Title = details.Text("title"),
            State = details.Text("state"),
            Labels = details.Texts("labels", "name"),
            Author = details.Text("user", "login"),
            Sender = body.Text("sender", "login"),
            Url = details.Text("html_url"),
        };
    }
}
