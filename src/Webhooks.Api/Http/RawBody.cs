using System.Buffers;
using Microsoft.AspNetCore.Http.Features;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Api.Http;

/// <summary>
/// Reads a request body byte for byte, refusing it (413) as soon as it passes the limit. What is held grows with the
/// bytes that actually arrive, never with what Content-Length announces: they are gathered in pooled 16 KiB chunks
/// (no doubling, nothing on the large-object heap while they trickle in), each charged to the client's share of the
/// unverified-body budget before it is taken, and copied once, at the end, into an array of the exact size (charged
/// too). A client announcing 10 MiB and trickling holds only what it has sent.
/// </summary>
internal static class RawBody
{
    private const int ChunkSize = 16 * 1024;

    public static async Task<byte[]> ReadAsync(HttpRequest request, long limit, UnverifiedBodies.Charge charge, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            throw new PayloadTooLargeException(limit);
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            // Our own limit applies below; lift the server's generic one so it does not answer first.
            sizeFeature.MaxRequestBodySize = null;
        }

        var chunks = new List<byte[]>(4);
        var total = 0L;
        var used = ChunkSize; // bytes used in the last chunk; a full one means "take another"
        try
        {
            while (true)
            {
                if (used == ChunkSize)
                {
                    charge.Add(ChunkSize);
                    chunks.Add(ArrayPool<byte>.Shared.Rent(ChunkSize));
                    used = 0;
                }

                var read = await request.Body.ReadAsync(chunks[^1].AsMemory(used, ChunkSize - used), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                used += read;
                total += read;
                if (total > limit)
                {
                    throw new PayloadTooLargeException(limit);
                }
            }

            charge.Add(total);
            var body = new byte[total];
            var offset = 0;
            foreach (var chunk in chunks)
            {
                var length = (int)Math.Min(ChunkSize, total - offset);
                chunk.AsSpan(0, length).CopyTo(body.AsSpan(offset));
                offset += length;
            }

            return body;
        }
        finally
        {
            foreach (var chunk in chunks)
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }
    }
}
