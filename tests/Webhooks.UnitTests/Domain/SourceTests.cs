using FluentAssertions;
using Webhooks.Domain.Sources;

namespace Webhooks.UnitTests.Domain;

public sealed class SourceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static SourceSecret Secret(string hint = "…abcd") => SourceSecret.Create(Guid.CreateVersion7(), "sealed", hint, Now);

    private static Source NewSource(params SourceSecret[] secrets) =>
        Source.Create("shop", "Shopify", """{"ExpectedEvery":"01:00:00"}""", secrets, Now);

    [Fact]
    public void Create_KeepsTheSettingsAsGiven_WithTheProviderInLowerCase_AndOwnsItsSecrets()
    {
        var source = NewSource(Secret());

        source.Provider.Should().Be("shopify");
        source.Settings.Should().Contain("ExpectedEvery");
        source.Origin.Should().Be(Source.FromApi);
        source.Secrets.Should().ContainSingle().Which.SourceName.Should().Be("shop");
    }

    [Fact]
    public void RotateSecret_WithAnOverlap_ExpiresTheOthersThen_ButNotTheNewOne()
    {
        var source = NewSource(Secret());

        source.RotateSecret(Secret("…new1"), TimeSpan.FromHours(1), Now);

        source.Secrets.Select(s => s.ExpiresAt).Should().Equal(Now.AddHours(1), null);
    }

    [Fact]
    public void RotateSecret_WithoutAnExpiry_KeepsTheOthersUntilRemoved()
    {
        var source = NewSource(Secret());

        source.RotateSecret(Secret("…new1"), retirePreviousAt: null, Now);

        source.Secrets.Should().OnlyContain(s => s.ExpiresAt == null);
    }

    [Fact]
    public void RemoveSecret_TheLastActiveOne_IsRefused_EvenWhenAnExpiredOneRemains()
    {
        var old = Secret("…old1");
        var source = NewSource(old);
        var current = Secret("…cur1");
        source.RotateSecret(current, TimeSpan.FromMinutes(5), Now);

        source.RemoveSecret(current.Id, Now.AddMinutes(10)).Should().BeFalse();

        source.Secrets.Should().HaveCount(2);
        source.RemoveSecret(old.Id, Now.AddMinutes(10)).Should().BeTrue();
        source.Secrets.Should().ContainSingle().Which.Id.Should().Be(current.Id);
    }

    [Fact]
    public void Change_WithSecrets_ReplacesThemAll_WithoutSecrets_KeepsThem()
    {
        var source = NewSource(Secret(), Secret());

        source.Change("shopify", "{}", [], Now.AddMinutes(1));
        source.Secrets.Should().HaveCount(2);

        var replacement = Secret("…rep1");
        source.Change("stripe", "{}", [replacement], Now.AddMinutes(2));

        source.Secrets.Should().ContainSingle().Which.Should().BeSameAs(replacement);
        (source.Provider, source.UpdatedAt).Should().Be(("stripe", Now.AddMinutes(2)));
    }
}
