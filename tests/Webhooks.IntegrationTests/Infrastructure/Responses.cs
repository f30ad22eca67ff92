using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;

namespace Webhooks.IntegrationTests.Infrastructure;

internal sealed record Accepted(Guid Id, string Status, bool Duplicate);

internal static class Responses
{
    private static readonly JsonSerializerOptions Snake = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static async Task<Accepted> AcceptedAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue($"the webhook should be accepted, but the answer was {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<Accepted>(text, Snake)!;
    }

    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, int status)
    {
        ((int)response.StatusCode).Should().Be(status, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        return (await response.Content.ReadFromJsonAsync<JsonElement>())!;
    }
}
