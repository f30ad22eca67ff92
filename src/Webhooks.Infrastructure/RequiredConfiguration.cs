using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Webhooks.Infrastructure;

internal static class RequiredConfiguration
{
    /// <summary>A setting start-up cannot do without: missing, it stops start-up naming its key.</summary>
    public static string Required(this IConfiguration configuration, string key)
    {
        var value = configuration[key];
        return string.IsNullOrWhiteSpace(value)
            ? throw new OptionsValidationException(key, typeof(string), [$"{key} is not set."])
            : value;
    }
}
