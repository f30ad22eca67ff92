using Microsoft.AspNetCore.Http.Features;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Api.Infrastructure;

/// <summary>Reads a request body byte for byte, refusing it (413) as soon as it passes the limit.</summary>
internal static class RawBody
{
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

        var buffer = new byte[request.ContentLength is { } length ? (int)length : 16 * 1024];
        var total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (total > limit)
                {
                    throw new PayloadTooLargeException(limit);
                }

                Array.Resize(ref buffer, (int)Math.Min(Math.Max(buffer.Length * 2L, 16 * 1024), limit + 1));
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
