using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace NeuralSharp.Playground.Endpoints;

/// <summary>
/// What every request passes before an endpoint sees it, for a server that may face the public: only the expected
/// host names (a page on another name that resolves here — DNS rebinding — is not served), writes only from this
/// origin and only as JSON (a cross-site form or <c>text/plain</c> POST cannot create or change a session), and the
/// usual security headers on every response.
/// </summary>
public static class RequestGuard
{
    /// <summary>Adds the guard in front of every endpoint; <paramref name="hosts"/> are the host names served.</summary>
    public static IApplicationBuilder UseRequestGuard(this IApplicationBuilder app, IReadOnlyCollection<string> hosts)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(async (context, next) =>
        {
            HttpRequest request = context.Request;
            HttpResponse response = context.Response;
            response.Headers["X-Content-Type-Options"] = "nosniff";
            response.Headers["X-Frame-Options"] = "DENY";
            response.Headers["Referrer-Policy"] = "no-referrer";
            response.Headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";
            (int Status, string Message)? problem = !hosts.Contains(request.Host.Host, StringComparer.OrdinalIgnoreCase)
                ? (StatusCodes.Status400BadRequest, $"this server does not answer for the host '{request.Host.Host}'")
                // two Origin headers are refused, not passed because neither is the one checked
                : IsWrite(request.Method) && request.Headers.Origin.Count > 1
                ? (StatusCodes.Status403Forbidden, "a write with more than one Origin header is refused")
                : IsWrite(request.Method) && request.Headers.Origin is [{ } origin] && !SameOrigin(origin, request)
                ? (StatusCodes.Status403Forbidden, $"a write from another origin ('{origin}') is refused")
                // a body sent in chunks has no Content-Length: it is a body all the same
                : IsWrite(request.Method) && (request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0)) && !IsJson(request.ContentType)
                ? (StatusCodes.Status415UnsupportedMediaType, "a write must be sent as application/json")
                : null;
            if (problem is { } refused)
            {
                response.StatusCode = refused.Status;
                await response.WriteAsJsonAsync(new { error = refused.Message, field = (string?)null }).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
    }

    private static bool IsWrite(string method) => HttpMethods.IsPost(method) || HttpMethods.IsDelete(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method);

    private static bool IsJson(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static bool SameOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out Uri? uri) && uri.Scheme == request.Scheme
        && string.Equals($"{uri.Host}:{uri.Port}", $"{request.Host.Host}:{request.Host.Port ?? (request.IsHttps ? 443 : 80)}", StringComparison.OrdinalIgnoreCase);
}
