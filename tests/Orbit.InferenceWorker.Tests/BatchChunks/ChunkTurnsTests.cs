using Orbit.InferenceWorker.BatchChunks;

namespace Orbit.InferenceWorker.Tests.BatchChunks;

public sealed class ChunkTurnsTests
{
    [Fact]
    public async Task A_second_chunk_of_a_model_waits_for_the_first_to_end_its_turn_and_another_model_does_not()
    {
        var turns = new ChunkTurns();
        var first = await turns.TakeAsync("t", "m", CancellationToken.None);

        var second = turns.TakeAsync("t", "m", CancellationToken.None);
        var otherModel = turns.TakeAsync("t", "other", CancellationToken.None);

        Assert.True(otherModel.IsCompleted);
        Assert.False(second.IsCompleted);
        first.Dispose();
        first.Dispose(); // ending a turn twice gives no second turn away
        using var secondTurn = await second.WaitAsync(TimeSpan.FromSeconds(10));
        var third = turns.TakeAsync("t", "m", CancellationToken.None);
        Assert.False(third.IsCompleted);
        (await otherModel).Dispose();
    }
}
