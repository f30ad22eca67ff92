using System.Text.Json.Nodes;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Common.Json;
using Webhooks.Application.Ingestion;
using Webhooks.Domain.Events;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Providers.GitHub;

/// <summary>GitHub deliveries: X-GitHub-Event (+ the body's action) names them, X-GitHub-Delivery identifies them.</summary>
internal sealed class GitHubProvider : IWebhookProvider
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
        var mapped = Map(name, action, body);
        return new WebhookInterpretation(topic, key, body, mapped is null ? [] : [mapped]);
    }

    private static MappedEvent? Map(string name, string? action, JsonObject body)
    {
        var repository = body.Copy("repository") is JsonObject repo ? repo.Copy("full_name") : null;
        switch (name)
        {
            case "push":
                return new MappedEvent("evt.webhook.git.push", body.Text("after"), new JsonObject
                {
                    ["repository"] = repository,
                    ["ref"] = body.Copy("ref"),
                    ["before"] = body.Copy("before"),
                    ["after"] = body.Copy("after"),
                    ["commit_count"] = body.Path("commits") is JsonArray commits ? commits.Count : 0,
                    ["pusher"] = body.Path("pusher", "name")?.DeepClone(),
                    ["head_commit"] = body.Path("head_commit") is JsonObject head
                        ? new JsonObject { ["id"] = head.Copy("id"), ["message"] = head.Copy("message"), ["url"] = head.Copy("url") }
                        : null,
                });
            case "pull_request" when action is not null:
                var pull = body.Path("pull_request");
                return new MappedEvent(EventTypes.FromSender("pull_request." + action), body.Text("number"), new JsonObject
                {
                    ["repository"] = repository,
                    ["number"] = body.Copy("number"),
                    ["title"] = pull.Copy("title"),
                    ["state"] = pull.Copy("state"),
                    ["merged"] = pull.Copy("merged"),
                    ["head_ref"] = pull.Path("head", "ref")?.DeepClone(),
                    ["base_ref"] = pull.Path("base", "ref")?.DeepClone(),
                    ["author"] = pull.Path("user", "login")?.DeepClone(),
                    ["sender"] = body.Path("sender", "login")?.DeepClone(),
                    ["url"] = pull.Copy("html_url"),
                });
            case "issues" when action is "opened" or "closed":
                var issue = body.Path("issue");
                return new MappedEvent("evt.webhook.issue." + action, issue.Text("number"), new JsonObject
                {
                    ["repository"] = repository,
                    ["number"] = issue.Copy("number"),
                    ["title"] = issue.Copy("title"),
                    ["state"] = issue.Copy("state"),
                    ["author"] = issue.Path("user", "login")?.DeepClone(),
                    ["sender"] = body.Path("sender", "login")?.DeepClone(),
                    ["url"] = issue.Copy("html_url"),
                });
            default:
                return null; // ping and everything unmapped: stored, evt.webhook.received only
        }
    }
}
