using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NeuralSharp.Playground.Sessions;

namespace NeuralSharp.Playground.Endpoints;

/// <summary>
/// Downloads: a session's trained model (<c>.nsmodel</c>, ONNX) and its data as CSV; and the thumbnails of the
/// generated data sets. All are reads (GET), each a few kilobytes, built under the session's lock.
/// </summary>
public static class DownloadEndpoints
{
    /// <summary>Maps the endpoints under <c>/api</c>.</summary>
    public static IEndpointRouteBuilder MapDownloads(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder api = app.MapGroup("/api");
        api.MapGet("/datasets", () => Results.Ok(SessionDownloads.Thumbnails));
        api.MapGet("/sessions/{id}/model.nsmodel", (string id, SessionStore store) => Model(store, id, onnx: false));
        api.MapGet("/sessions/{id}/model.onnx", (string id, SessionStore store) => Model(store, id, onnx: true));
        api.MapGet("/sessions/{id}/data.csv", (string id, SessionStore store) => store.Get(id) is { } session
            ? Results.File(System.Text.Encoding.UTF8.GetBytes(SessionDownloads.Csv(session)), "text/csv; charset=utf-8", $"playground-{session.Config.Dataset}.csv")
            : SessionEndpoints.NotFound(id));
        return app;
    }

    private static IResult Model(SessionStore store, string id, bool onnx)
    {
        if (store.Get(id) is not { } session)
        {
            return SessionEndpoints.NotFound(id);
        }

        (byte[]? bytes, string? refusal) = SessionDownloads.ModelFileBytes(session, onnx);
        return bytes is null
            ? Results.Json(new { error = refusal, field = "output" }, statusCode: StatusCodes.Status409Conflict)
            : Results.File(bytes, "application/octet-stream", $"playground-{session.Config.Dataset}.{(onnx ? "onnx" : "nsmodel")}");
    }
}
