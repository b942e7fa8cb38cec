using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Orbit.Registry.Tests.Support;

namespace Orbit.Registry.Tests.Models;

public abstract class VersionUploadTests(RegistryFixture registry)
{
    private readonly RegistryClient _admin = registry.Host.Client();

    [Fact]
    public async Task An_upload_is_numbered_addressed_by_its_sha256_and_described_by_its_signature()
    {
        var model = TestModels.UniqueName();
        var bytes = TestModels.Add;

        var first = await _admin.PushAsync(model, bytes, """{"datasetVersion":"ds-1","trainingDate":"2026-11-01T00:00:00Z","metrics":{"auc":0.91},"tags":["nightly"]}""");
        var second = await _admin.PushAsync(model, TestModels.Relu);

        Assert.Equal(1, first.Version);
        Assert.Equal(2, second.Version);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)), first.Digest);
        Assert.Equal(bytes.Length, first.SizeBytes);
        Assert.Equal(["x", "y"], first.Signature.Inputs.Select(i => i.Name));
        Assert.Equal(["3", "4", "5"], first.Signature.Inputs[0].Shape);
        Assert.Equal("float", first.Signature.Outputs[0].Datatype);
        Assert.Equal("ds-1", first.Metadata.GetProperty("datasetVersion").GetString());
        Assert.Equal(["nightly"], first.Tags);
    }

    [Fact]
    public async Task A_version_s_serving_max_batch_size_is_kept_and_carried_in_its_route_of_the_routing_table()
    {
        var model = TestModels.UniqueName();
        var never = await _admin.PushAsync(model, TestModels.Add, """{"serving":{"maxBatchSize":0}}""");
        var plain = await _admin.PushAsync(model, TestModels.Relu);

        await _admin.DeployAsync(model, stable: never.Version, candidate: plain.Version, weight: 10);

        Assert.Equal(0, never.Metadata.GetProperty("serving").GetProperty("maxBatchSize").GetInt32());
        var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(Orbit.Testing.TestInfrastructure.Redis);
        var tableJson = await Orbit.Testing.Eventually.GetAsync(async () =>
        {
            var json = await redis.GetDatabase().HashGetAsync($"orbit:routes:admin:{model}", "table");
            return json.IsNullOrEmpty ? null : json.ToString();
        }, TimeSpan.FromSeconds(10), "the routing table in Redis");
        var routes = System.Text.Json.JsonDocument.Parse(tableJson).RootElement.GetProperty("routes").EnumerateArray().ToList();
        Assert.Equal(0, routes.Single(r => r.GetProperty("version").GetInt32() == never.Version).GetProperty("maxBatchSize").GetInt32());
        var plainRoute = routes.Single(r => r.GetProperty("version").GetInt32() == plain.Version);
        Assert.True(!plainRoute.TryGetProperty("maxBatchSize", out var unset) || unset.ValueKind == System.Text.Json.JsonValueKind.Null);

        // The API's JSON rules accept a number as a string; the route still carries it as a number.
        var other = TestModels.UniqueName();
        var quoted = await _admin.PushAsync(other, TestModels.Relu, """{"serving":{"maxBatchSize":"8"}}""");
        await _admin.DeployAsync(other, stable: quoted.Version);
        var otherJson = await Orbit.Testing.Eventually.GetAsync(async () =>
        {
            var json = await redis.GetDatabase().HashGetAsync($"orbit:routes:admin:{other}", "table");
            return json.IsNullOrEmpty ? null : json.ToString();
        }, TimeSpan.FromSeconds(10), "the other routing table in Redis");
        Assert.Equal(8, System.Text.Json.JsonDocument.Parse(otherJson).RootElement.GetProperty("routes")[0].GetProperty("maxBatchSize").GetInt32());
    }

    [Fact]
    public async Task Uploading_the_same_bytes_twice_stores_them_once()
    {
        var bytes = Encoding.UTF8.GetBytes("pad").Length > 0 ? TestModels.Read("test_sigmoid") : [];
        var a = await _admin.PushAsync(TestModels.UniqueName(), bytes);
        var b = await _admin.PushAsync(TestModels.UniqueName(), bytes);

        Assert.Equal(a.Digest, b.Digest);
        var hex = a.Digest["sha256:".Length..];
        Assert.True(File.Exists(Path.Combine(registry.Store.ObjectsDirectory, hex[..2], hex[2..])));
        Assert.Single(Directory.GetFiles(Path.Combine(registry.Store.ObjectsDirectory, hex[..2]), hex[2..]));
    }

    [Fact]
    public async Task A_file_ONNX_Runtime_cannot_load_is_422_with_its_message_and_stores_nothing()
    {
        var model = TestModels.UniqueName();
        var before = ObjectCount();

        using var response = await _admin.UploadAsync(model, Encoding.UTF8.GetBytes("this is not a protobuf model at all"));

        var (status, field, body) = await RegistryClient.ProblemAsync(response);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("file", field);
        Assert.Contains("ONNX Runtime cannot load the file", body);
        Assert.DoesNotContain(registry.Store.DataDirectory, body);
        Assert.Equal(before, ObjectCount());
        Assert.Empty(await _admin.AuditAsync(model));
    }

    [Fact]
    public async Task An_empty_file_is_refused_naming_the_file()
    {
        using var response = await _admin.UploadAsync(TestModels.UniqueName(), []);

        var (status, field, _) = await RegistryClient.ProblemAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("file", field);
    }

    [Fact]
    public async Task A_missing_file_part_is_refused_naming_the_file()
    {
        var form = new MultipartFormDataContent { { new StringContent("{}"), "metadata" } };

        using var response = await _admin.Http.PostAsync($"/v1/models/{TestModels.UniqueName()}/versions", form);

        var (status, field, _) = await RegistryClient.ProblemAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("file", field);
    }

    [Fact]
    public async Task A_body_that_is_not_multipart_is_415()
    {
        using var response = await _admin.Http.PostAsync($"/v1/models/{TestModels.UniqueName()}/versions",
            new ByteArrayContent(TestModels.Add) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } });

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task A_truncated_multipart_body_is_400_and_leaves_nothing_behind()
    {
        var model = TestModels.UniqueName();
        var before = ObjectCount();
        var bytes = TestModels.Add;
        var head = Encoding.ASCII.GetBytes("--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m.onnx\"\r\n\r\n");
        var truncated = head.Concat(bytes.Take(bytes.Length / 2)).ToArray();
        var content = new ByteArrayContent(truncated);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b0undary");

        using var response = await _admin.Http.PostAsync($"/v1/models/{model}/versions", content);

        var (status, field, _) = await RegistryClient.ProblemAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("multipart", field);
        Assert.Equal(before, ObjectCount());
        Assert.Empty(Directory.GetFiles(registry.Store.TempDirectory));
    }

    [Fact]
    public async Task A_metadata_part_over_the_limit_is_413_naming_the_metadata()
    {
        var huge = "{\"description\":\"" + new string('x', 10_000) + "\"}";

        using var response = await _admin.UploadAsync(TestModels.UniqueName(), TestModels.Add, huge);

        var (status, field, _) = await RegistryClient.ProblemAsync(response);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("metadata", field);
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_413_before_its_body_is_read()
    {
        using var response = await _admin.UploadAsync(TestModels.UniqueName(), new byte[2 * 1024 * 1024]);

        var (status, field, _) = await RegistryClient.ProblemAsync(response);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("file", field);
        Assert.Empty(Directory.GetFiles(registry.Store.TempDirectory));
    }

    [Theory]
    [InlineData("""{"tags":"nightly"}""", "metadata.tags")]
    [InlineData("""{"bogus":1}""", "metadata.bogus")]
    [InlineData("""{"metrics":{"auc":"high"}}""", "metadata.metrics.auc")]
    [InlineData("""{"features":[{"name":"age","type":"numeric"},{"name":"age","type":"numeric"}]}""", "metadata.features[1].name")]
    [InlineData("""{"features":[{"name":"age","type":"text"}]}""", "metadata.features[0].type")]
    [InlineData("""{"features":[{"name":"age","type":"numeric"}],"baseline":{"features":{"age":{"binEdges":[1,2],"counts":[5,5]}}}}""", "metadata.baseline.features.age.counts")]
    [InlineData("""{"features":[{"name":"age","type":"numeric"}],"baseline":{"features":{"age":{"binEdges":[2,1],"counts":[1,1,1]}}}}""", "metadata.baseline.features.age.binEdges[1]")]
    [InlineData("""{"features":[{"name":"plan","type":"categorical"}],"baseline":{"features":{"plan":{"binEdges":[1],"counts":[1,1]}}}}""", "metadata.baseline.features.plan")]
    [InlineData("""{"baseline":{"features":{"ghost":{"frequencies":{"a":1}}}},"features":[{"name":"age","type":"numeric"}]}""", "metadata.baseline.features.ghost")]
    [InlineData("""{"lineage":{"dataSnapshotHash":"md5:abc"}}""", "metadata.lineage.dataSnapshotHash")]
    [InlineData("""{"lineage":{"parentVersion":7}}""", "metadata.lineage.parentVersion")]
    [InlineData("""[1,2,3]""", "metadata")]
    [InlineData("""{"description": """, "metadata.description")]
    [InlineData("""{"serving":{"maxBatchSize":-1}}""", "metadata.serving.maxBatchSize")]
    [InlineData("""{"serving":{"maxBatchSize":4097}}""", "metadata.serving.maxBatchSize")]
    [InlineData("""{"serving":{"maxBatchSize":1.5}}""", "metadata.serving.maxBatchSize")]
    [InlineData("""{"serving":{"maxBatch":8}}""", "metadata.serving.maxBatch")]
    [InlineData("""{"classes":["stayed","stayed"]}""", "metadata.classes[1]")]
    [InlineData("""{"classes":[]}""", "metadata.classes")]
    [InlineData("""{"prediction":{"output":""}}""", "metadata.prediction.output")]
    [InlineData("""{"classes":["0","1"],"prediction":{"threshold":1}}""", "metadata.prediction.threshold")]
    [InlineData("""{"classes":["a","b","c"],"prediction":{"threshold":0.5}}""", "metadata.prediction.threshold")]
    [InlineData("""{"prediction":{"threshold":0.5}}""", "metadata.prediction.threshold")]
    public async Task Malformed_metadata_is_400_naming_the_field(string metadata, string expectedField)
    {
        var model = TestModels.UniqueName();

        using var response = await _admin.UploadAsync(model, TestModels.Add, metadata);

        var (status, field, body) = await RegistryClient.ProblemAsync(response);
        Assert.True(status == HttpStatusCode.BadRequest, body);
        Assert.Equal(expectedField, field);
        Assert.Empty(await _admin.AuditAsync(model));
    }

    [Theory]
    [InlineData("..%2Fx")]
    [InlineData("a%2Fb")]
    [InlineData(".hidden")]
    [InlineData("%D0%BC%D0%BE%D0%B4%D0%B5%D0%BB%D1%8C")]
    [InlineData("name%20with%20space")]
    public async Task Names_that_are_paths_or_not_plain_ASCII_are_refused_naming_the_name(string encodedName)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(TestModels.Add), "file", "m.onnx" } };

        using var response = await _admin.Http.PostAsync($"/v1/models/{encodedName}/versions", form);

        var (status, field, body) = await RegistryClient.ProblemAsync(response);
        Assert.True(status == HttpStatusCode.BadRequest, body);
        Assert.Equal("name", field);
    }

    [Fact]
    public async Task A_crash_mid_upload_leaves_no_object_and_no_version()
    {
        var model = TestModels.UniqueName();
        var before = ObjectCount();
        var form = new MultipartFormDataContent { { new StreamContent(new FailingStream(TestModels.Add, failAfter: 64)), "file", "m.onnx" } };

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var response = await _admin.Http.PostAsync($"/v1/models/{model}/versions", form);
            response.EnsureSuccessStatusCode();
        });

        await Orbit.Testing.Eventually.GetAsync(
            () => Task.FromResult(Directory.GetFiles(registry.Store.TempDirectory).Length == 0 ? "empty" : null),
            TimeSpan.FromSeconds(10), "the temp folder to be empty");
        Assert.Equal(before, ObjectCount());
        using var versions = await _admin.Http.GetAsync($"/v1/models/{model}/versions");
        Assert.Equal(HttpStatusCode.NotFound, versions.StatusCode);
    }

    [Fact]
    public async Task Description_and_tags_change_but_nothing_else_does()
    {
        var model = TestModels.UniqueName();
        var version = await _admin.PushAsync(model, TestModels.Add);

        using var response = await _admin.Http.PatchAsync($"/v1/models/{model}/versions/1",
            new StringContent("""{"description":"better","tags":["a","b"]}""", Encoding.UTF8, "application/json"));

        await RegistryClient.ExpectAsync(response, HttpStatusCode.OK);
        var updated = await Orbit.Testing.Eventually.GetAsync(
            async () => await _admin.Http.GetStringAsync($"/v1/models/{model}/versions/1"), TimeSpan.FromSeconds(1), "the version");
        Assert.Contains("\"description\":\"better\"", updated);
        Assert.Contains(version.Digest, updated);
    }

    [Fact]
    public async Task A_version_in_a_deployment_cannot_be_retired_and_a_retired_one_cannot_be_deployed()
    {
        var model = TestModels.UniqueName();
        await _admin.PushAsync(model, TestModels.Add);
        await _admin.PushAsync(model, TestModels.Relu);
        await _admin.DeployAsync(model, stable: 1);

        using var deployed = await _admin.Http.PostAsync($"/v1/models/{model}/versions/1/retire", null);
        using var retired = await _admin.Http.PostAsync($"/v1/models/{model}/versions/2/retire", null);
        using var deployRetired = await _admin.Http.PutAsync($"/v1/models/{model}/deployment",
            new StringContent("""{"stableVersion":2}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Conflict, deployed.StatusCode);
        await RegistryClient.ExpectAsync(retired, HttpStatusCode.OK);
        Assert.Contains("\"status\":\"retired\"", await retired.Content.ReadAsStringAsync());
        var (status, field, _) = await RegistryClient.ProblemAsync(deployRetired);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("stableVersion", field);
    }

    private int ObjectCount() =>
        Directory.Exists(registry.Store.ObjectsDirectory) ? Directory.GetFiles(registry.Store.ObjectsDirectory, "*", SearchOption.AllDirectories).Length : 0;

    /// <summary>A request body that dies part-way, as when the client crashes mid-upload.</summary>
    private sealed class FailingStream(byte[] data, int failAfter) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) =>
            Position >= failAfter ? throw new IOException("client crashed") : base.Read(buffer, offset, Math.Min(count, failAfter - (int)Position));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= failAfter)
            {
                throw new IOException("client crashed");
            }

            return base.ReadAsync(buffer[..Math.Min(buffer.Length, failAfter - (int)Position)], cancellationToken);
        }
    }
}

public sealed class VersionUploadOnSqlite(SqliteRegistry registry) : VersionUploadTests(registry), IClassFixture<SqliteRegistry>;

public sealed class VersionUploadOnPostgres(PostgresRegistry registry) : VersionUploadTests(registry), IClassFixture<PostgresRegistry>;
