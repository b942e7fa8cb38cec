namespace Orbit.InferenceWorker.Batching;

/// <summary>
/// Requests of one model that this worker has received and not yet queued in a batcher (their
/// inputs are being decoded and checked). A batcher with nothing else queued runs at once unless
/// one of these is on its way: a lone request does not wait out the queue delay, and under load the
/// batch still waits for the requests that are about to join it.
/// </summary>
internal sealed class Arrivals
{
    private int _expected;

    /// <summary>Requests received and not yet taken by a batcher (nor answered without one).</summary>
    public int Expected => Math.Max(0, Volatile.Read(ref _expected));

    public void Expect(int count) => Interlocked.Add(ref _expected, count);

    /// <summary>One expected request was taken by its batcher, or answered without one; once per expected request.</summary>
    public void Arrived() => Interlocked.Decrement(ref _expected);
}
