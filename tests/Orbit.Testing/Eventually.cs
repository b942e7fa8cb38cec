namespace Orbit.Testing;

public static class Eventually
{
    /// <summary>
    /// Polls <paramref name="probe"/> until it returns a value, or fails after <paramref name="within"/>
    /// with <paramref name="what"/>. For things that happen asynchronously (a bus connecting, a
    /// message arriving); the bound is generous because CI machines are shared.
    /// </summary>
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, TimeSpan within, string what) where T : class
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {within.TotalSeconds:0} s for {what}.");
            }

            await Task.Delay(100);
        }
    }

    public static async Task HttpOkAsync(HttpClient client, string path, TimeSpan within)
    {
        string? last = null;
        try
        {
            await GetAsync(async () =>
            {
                using var response = await client.GetAsync(path);
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                return response.IsSuccessStatusCode ? "ok" : null;
            }, within, path);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{path} did not answer 200 within {within.TotalSeconds:0} s; last answer: {last}");
        }
    }
}
