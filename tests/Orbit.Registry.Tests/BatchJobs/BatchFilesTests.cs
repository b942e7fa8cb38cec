using Orbit.Registry.BatchJobs;

namespace Orbit.Registry.Tests.BatchJobs;

public sealed class BatchFilesTests
{
    [Fact]
    public async Task A_write_that_fails_leaves_the_old_file_and_no_temporary_file()
    {
        var directory = Directory.CreateTempSubdirectory("orbit-batch-atomic-").FullName;
        try
        {
            var path = Path.Combine(directory, "000001.csv");
            BatchFiles.WriteAtomically(path, "old\n"u8);

            await Assert.ThrowsAsync<IOException>(() => BatchFiles.WriteAtomicallyAsync(path, async s =>
            {
                await s.WriteAsync("new, half"u8.ToArray());
                throw new IOException("disk full");
            }));

            Assert.Equal([path], Directory.GetFiles(directory));
            Assert.Equal("old\n", await File.ReadAllTextAsync(path));

            BatchFiles.WriteAtomically(path, "new\n"u8);
            Assert.Equal([path], Directory.GetFiles(directory));
            Assert.Equal("new\n", await File.ReadAllTextAsync(path));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
