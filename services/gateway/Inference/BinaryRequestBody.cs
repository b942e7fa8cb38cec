using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Orbit.Contracts.Inference;

namespace Orbit.Gateway.Inference;

/// <summary>
/// Reads a body under the binary tensor data extension: the JSON header into a pooled buffer, parsed in place,
/// then each binary input's bytes straight from the connection into the array the bus message carries (no JSON
/// numbers, no base64, no second copy). Every size is checked before anything is allocated for it: against the
/// input's shape, and together against what the body holds after its header (its Content-Length, or the body-size
/// limit when it is chunked).
/// </summary>
internal static class BinaryRequestBody
{
    public static async Task<(OipRequestReader.Request? Request, OipError? Error)> ReadAsync(
        string headerValue, long? contentLength, LimitedBodyStream body, long maxBytes, CancellationToken cancellationToken)
    {
        var (headerLength, lengthError) = HeaderLength(headerValue, contentLength, maxBytes);
        if (lengthError is not null)
        {
            return (null, lengthError);
        }

        OipRequestReader.Request? request;
        IReadOnlyList<OipRequestReader.BinaryInput> binary;
        var header = ArrayPool<byte>.Shared.Rent((int)Math.Max(headerLength, 1));
        try
        {
            var read = await body.ReadAtLeastAsync(header.AsMemory(0, (int)headerLength), (int)headerLength, throwOnEndOfStream: false, cancellationToken);
            if (read < headerLength)
            {
                return (null, OipError.BadRequest($"{BinaryTensorData.HeaderLength} {headerLength} is larger than the body of {read} bytes"));
            }

            string? error;
            try
            {
                using var document = JsonDocument.Parse(header.AsMemory(0, (int)headerLength));
                (request, binary, error) = OipRequestReader.ReadHeader(document.RootElement, contentLength ?? maxBytes);
            }
            catch (JsonException ex)
            {
                return (null, OipError.BadRequest($"the JSON header (the first {headerLength} bytes, as {BinaryTensorData.HeaderLength} says) is not valid JSON: {ex.Message}"));
            }

            if (error is not null)
            {
                return (null, OipError.BadRequest(error));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(header);
        }

        var after = (contentLength ?? maxBytes) - headerLength;
        if (Declared(binary, after, contentLength is not null, maxBytes) is { } sizeError)
        {
            return (null, sizeError);
        }

        var inputs = request!.Inputs.ToArray();
        foreach (var input in binary)
        {
            var tensor = inputs[input.Index];
            var bytes = input.Size == 0 ? [] : GC.AllocateUninitializedArray<byte>((int)input.Size);
            var read = await body.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, cancellationToken);
            if (read < bytes.Length)
            {
                return (null, OipError.BadRequest($"the body ends {read} bytes into the {bytes.Length} bytes of binary data of input '{tensor.Name}'"));
            }

            if (tensor.Datatype == "BYTES" && BinaryTensorData.CheckBytes(bytes, input.Count, tensor.Name) is { } bytesError)
            {
                return (null, OipError.BadRequest(bytesError));
            }

            inputs[input.Index] = tensor with { RawData = bytes };
        }

        var left = await DrainAsync(body, cancellationToken);
        return left > 0
            ? (null, OipError.BadRequest($"{left} bytes are left over after the last input's binary data ({binary.Sum(b => b.Size)} bytes declared by {BinaryTensorData.SizeParameter})"))
            : (request with { Inputs = inputs }, null);
    }

    private static (long Length, OipError? Error) HeaderLength(string value, long? contentLength, long maxBytes)
    {
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var length))
        {
            return (0, OipError.BadRequest($"{BinaryTensorData.HeaderLength} '{(value.Length > 40 ? value[..40] + "…" : value)}' is not a number of bytes"));
        }

        if (length < 0)
        {
            return (0, OipError.BadRequest($"{BinaryTensorData.HeaderLength} {length} is negative"));
        }

        if (length > contentLength)
        {
            return (0, OipError.BadRequest($"{BinaryTensorData.HeaderLength} {length} is larger than the body of {contentLength} bytes"));
        }

        // A chunked body has no length to compare with: a header longer than the limit means a body over it.
        return length > Math.Min(maxBytes, Array.MaxLength)
            ? (0, new OipError(StatusCodes.Status413PayloadTooLarge, $"{BinaryTensorData.HeaderLength} {length} is over the request body limit of {maxBytes} bytes"))
            : (length, null);
    }

    /// <summary>The binary inputs' sizes together against what follows the header: exactly it when the body's length is known, at most the limit's rest when chunked.</summary>
    private static OipError? Declared(IReadOnlyList<OipRequestReader.BinaryInput> binary, long after, bool exact, long maxBytes)
    {
        long total = 0;
        foreach (var input in binary)
        {
            if (input.Size > after - total || input.Size > Array.MaxLength)
            {
                return exact
                    ? OipError.BadRequest($"the inputs' {BinaryTensorData.SizeParameter} add up to more than the {after} bytes the body has after its JSON header")
                    : new OipError(StatusCodes.Status413PayloadTooLarge, $"the inputs' {BinaryTensorData.SizeParameter} with the JSON header add up to more than the request body limit of {maxBytes} bytes");
            }

            total += input.Size;
        }

        return exact && total < after
            ? OipError.BadRequest($"{after - total} bytes are left over after the last input's binary data ({total} bytes declared by {BinaryTensorData.SizeParameter}, {after} sent after the JSON header)")
            : null;
    }

    /// <summary>Reads what is left of the body (a chunked one may hold more than it declared), counting it.</summary>
    private static async Task<long> DrainAsync(Stream body, CancellationToken cancellationToken)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            long left = 0;
            int read;
            while ((read = await body.ReadAsync(scratch, cancellationToken)) > 0)
            {
                left += read;
            }

            return left;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}
