namespace Webhooks.IntegrationTests.Infrastructure;

/// <summary>Waits for an asynchronous outcome by polling with a deadline (never a fixed sleep).</summary>
internal static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, string? because = null, TimeSpan? poll = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met within {(timeout ?? TimeSpan.FromSeconds(20)).TotalSeconds:0} s{(because is null ? "" : ": " + because)}. Last value: {value}");
            }

            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(50));
        }
    }

    public static Task<T> GetAsync<T>(Func<T> probe, Func<T, bool> done, TimeSpan? timeout = null, string? because = null) =>
        GetAsync(() => Task.FromResult(probe()), done, timeout, because);
}
