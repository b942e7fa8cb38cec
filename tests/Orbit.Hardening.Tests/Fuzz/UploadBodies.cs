using System.Text;
using CsCheck;

namespace Orbit.Hardening.Tests.Fuzz;

/// <summary>
/// Generated version uploads (<c>POST /v1/models/{name}/versions</c>), mostly malformed: model names
/// that are paths, too long or not ASCII; files that are garbage, empty or a real model cut short;
/// metadata that is not JSON, deeply nested, of the wrong types or full of unknown fields; multipart
/// bodies truncated mid-part or with a boundary that never comes.
/// </summary>
internal static class UploadBodies
{
    public sealed record Upload(string Name, byte[] Body, string ContentType)
    {
        public override string ToString() => $"{Name} ({Body.Length} bytes, {ContentType}): {Encoding.UTF8.GetString(Body[..Math.Min(Body.Length, 300)])}";
    }

    private static readonly string[] ModelNames =
    [
        "ok-{0}", "..%2F..%2Fetc", "a%00b", "{0}-" + new string('n', 300), "%C3%A9t%C3%A9-{0}", "-{0}", "{0}.onnx", "CON", "%20{0}",
    ];

    private static readonly string[] Metadata =
    [
        "{}",
        "{\"trainedAt\":\"yesterday\"}",
        "{\"metrics\":{\"auc\":\"high\"}}",
        "{\"baseline\":{\"features\":{\"age\":{\"binEdges\":[3,2,1],\"counts\":[1]}}}}",
        "{\"unknown\":1}",
        "{\"lineage\":{\"parentVersion\":-4,\"dataSnapshotHash\":\"../x\"}}",
        "{\"features\":[{\"name\":\"\",\"role\":\"boss\"}]}",
        "[1,2,3]",
        "not json",
        "{\"metrics\":{\"auc\":1e400}}",
        "{\"description\":\"" + new string('d', 70_000) + "\"}",
    ];

    private static Gen<byte[]> File(byte[] model) => Gen.OneOf(
        Gen.Byte.Array[0, 2048],
        Gen.Const(Array.Empty<byte>()),
        Gen.Int[1, model.Length - 1].Select(cut => model[..cut]),
        Gen.Int[0, model.Length - 1].Select(at => { var copy = (byte[])model.Clone(); copy[at] ^= 0x5a; return copy; }),
        Gen.Const(model));

    public static Gen<Upload> Uploads(byte[] model) => Gen.Select(
        Gen.Int[0, ModelNames.Length - 1], File(model), Gen.Int[0, Metadata.Length + 1], Gen.Int[0, 7], Gen.Int[0, int.MaxValue],
        (name, file, metadata, framing, at) =>
        {
            var suffix = Guid.NewGuid().ToString("N")[..6];
            var boundary = "fz" + suffix;
            var parts = new StringBuilder();
            var body = new List<byte>();
            void Text(string s) => body.AddRange(Encoding.UTF8.GetBytes(s));
            if (framing != 1)
            {
                Text($"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{(framing == 2 ? "../../model.onnx" : "model.onnx")}\"\r\nContent-Type: application/octet-stream\r\n\r\n");
                body.AddRange(file);
                Text("\r\n");
            }

            if (metadata < Metadata.Length)
            {
                Text($"--{boundary}\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n{Metadata[metadata]}\r\n");
            }

            if (framing != 3)
            {
                Text($"--{boundary}--\r\n");
            }

            var bytes = body.ToArray();
            if (framing == 4 && bytes.Length > 1)
            {
                bytes = bytes[..(at % bytes.Length)];
            }

            var contentType = framing switch
            {
                5 => "multipart/form-data",
                6 => "application/json",
                _ => $"multipart/form-data; boundary={boundary}",
            };
            return new Upload(string.Format(System.Globalization.CultureInfo.InvariantCulture, ModelNames[name], suffix), bytes, contentType);
        });
}
