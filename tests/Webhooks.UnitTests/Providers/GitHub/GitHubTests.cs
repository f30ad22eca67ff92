using System.Text;
using FluentAssertions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Providers.GitHub;
using Webhooks.Domain.Sources;

namespace Webhooks.UnitTests.Providers.GitHub;

public sealed class GitHubTests
{
    // GitHub's documented test vector.
    private const string Secret = "It's a Secret to Everybody";
    private const string Expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("Hello, World!");

    private static bool Valid(byte[] body, string header, params string[] secrets) =>
        GitHubSignature.Verify(TestRequests.With(body, new Dictionary<string, string> { ["X-Hub-Signature-256"] = header }), TestRequests.Source(ProviderKind.GitHub, secrets)).Valid;

    [Fact]
    public void Verify_DocumentedVector_Passes() => Valid(Body, Expected, Secret).Should().BeTrue();

    [Fact]
    public void Sign_ProducesDocumentedVector() => GitHubSignature.Sign(Body, Secret).Should().Be(Expected);

    [Fact]
    public void Verify_TamperedBody_Fails() => Valid(Encoding.UTF8.GetBytes("Hello, World?"), Expected, Secret).Should().BeFalse();

    [Fact]
    public void Verify_WrongSecret_Fails() => Valid(Body, Expected, "not it").Should().BeFalse();

    [Fact]
    public void Verify_RotatedSecret_Accepted() => Valid(Body, Expected, "new secret", Secret).Should().BeTrue();

    [Theory]
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("sha256=zz")]
    public void Verify_MalformedHeader_Fails(string header) => Valid(Body, header, Secret).Should().BeFalse();

    [Fact]
    public void Interpret_Push_CarriesRepositoryRefCountPusherAndHeadCommit()
    {
        var meaning = Interpret("push", """{"ref":"refs/heads/main","after":"abc","repository":{"full_name":"acme/api"},"pusher":{"name":"ada"},"commits":[{},{}],"head_commit":{"id":"abc","message":"Fix"}}""");

        var mapped = meaning.Events.Single();
        mapped.Type.Should().Be("evt.webhook.git.push");
        mapped.Data["repository"]!.GetValue<string>().Should().Be("acme/api");
        mapped.Data["ref"]!.GetValue<string>().Should().Be("refs/heads/main");
        mapped.Data["commits"]!.GetValue<int>().Should().Be(2, "seed 002's count");
        mapped.Data["commit_count"]!.GetValue<int>().Should().Be(2);
        mapped.Data["pusher"]!.GetValue<string>().Should().Be("ada");
        mapped.Data["head_commit_details"]!["message"]!.GetValue<string>().Should().Be("Fix");
        meaning.IdempotencyKey.Should().Be("delivery-1");
    }

    [Theory]
    [InlineData("opened")]
    [InlineData("closed")]
    [InlineData("synchronize")]
    public void Interpret_PullRequest_YieldsPullRequestAction(string action) =>
        Interpret("pull_request", "{\"action\":\"" + action + "\",\"number\":7,\"pull_request\":{\"title\":\"T\"},\"repository\":{\"full_name\":\"acme/api\"}}")
            .Events.Single().Type.Should().Be($"evt.webhook.pull_request.{action}");

    [Theory]
    [InlineData("opened", true)]
    [InlineData("closed", true)]
    [InlineData("labeled", false)]
    public void Interpret_Issues_MapsOpenedAndClosedOnly(string action, bool mapped)
    {
        var meaning = Interpret("issues", "{\"action\":\"" + action + "\",\"issue\":{\"number\":3,\"title\":\"Bug\"}}");

        meaning.Topic.Should().Be($"issues.{action}");
        if (mapped)
        {
            meaning.Events.Single().Type.Should().Be($"evt.webhook.issue.{action}");
        }
        else
        {
            meaning.Events.Should().BeEmpty();
        }
    }

    [Fact]
    public void Interpret_Issue_CarriesItsLabelNames()
    {
        var data = Interpret("issues", """{"action":"opened","issue":{"number":3,"title":"Bug","labels":[{"id":1,"name":"bug"},{"id":2,"name":"p1"}]},"repository":{"full_name":"acme/api"}}""")
            .Events.Single().Data;

        data["labels"]!.AsArray().Select(l => l!.GetValue<string>()).Should().Equal("bug", "p1");
        data["number"]!.GetValue<long>().Should().Be(3);
    }

    [Fact]
    public void Interpret_PullRequest_ActionThatIsNotASegment_IsAMappingFailure_NotARefusal()
    {
        var interpretation = Interpret("pull_request", """{"action":"a.b","number":7,"pull_request":{}}""");

        interpretation.Events.Should().BeEmpty();
        interpretation.MappingFailure.Should().Contain("'a.b'");
        interpretation.Topic.Should().Be("pull_request.a.b", "the delivery itself is still identified, stored and de-duplicated");
    }

    [Fact]
    public void Interpret_Ping_HasNoDomainEvent() => Interpret("ping", """{"zen":"Keep it logically awesome."}""").Events.Should().BeEmpty();

    [Fact]
    public void Interpret_WithoutEventHeader_IsMalformed()
    {
        var act = () => new GitHubProvider().Interpret(TestRequests.With(Encoding.UTF8.GetBytes("{}"), new Dictionary<string, string>()), TestRequests.Source(ProviderKind.GitHub, Secret));
        act.Should().Throw<MalformedWebhookException>().WithMessage("*X-GitHub-Event*");
    }

    private static Webhooks.Application.Providers.WebhookInterpretation Interpret(string name, string body) =>
        new GitHubProvider().Interpret(
            TestRequests.With(Encoding.UTF8.GetBytes(body), new Dictionary<string, string> { ["X-GitHub-Event"] = name, ["X-GitHub-Delivery"] = "delivery-1" }),
            TestRequests.Source(ProviderKind.GitHub, Secret));
}
