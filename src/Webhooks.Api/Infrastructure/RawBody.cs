using Microsoft.AspNetCore.Http.Features;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Api.Infrastructure;

/// <summary>
/// Reads a request body byte for byte, refusing it (413) as soon as it passes the limit. The buffer grows with the
/// bytes that actually arrive, never with what Content-Length announces: a client announcing 10 MiB and trickling
/// holds only what it has sent.
/// </summary>
internal static class RawBody
{
    private const int FirstBuffer = 16 * 1024;

    public static async Task<byte[]> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
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

        var buffer = new byte[request.ContentLength is { } length ? (int)Math.Min(length, FirstBuffer) : FirstBuffer];
        var total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (total > limit)
                {
                    throw new PayloadTooLargeException(limit);
                }

                var announced = request.ContentLength ?? 0;
                var next = Math.Max(buffer.Length * 2L, FirstBuffer);
                if (announced > total && announced <= next)
                {
                    next = announced + 1; // room for the announced rest and one byte to notice a longer body
                }

                Array.Resize(ref buffer, (int)Math.Min(next, limit + 1));
            }

            var read = await request.Body.ReadAsync(buffer.AsMemory(total), cancellationToken);
            if (read == 0)
            {
                break;
            }

            total += read;
            if (total > limit)
            {
                throw new PayloadTooLargeException(limit);
            }
        }

        return total == buffer.Length ? buffer : buffer[..total];
    }
}
