using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NeuralSharp.Data;
using NeuralSharp.Playground.Sessions;

namespace NeuralSharp.Playground.Endpoints;

/// <summary>
/// The session API: create (with an optional CSV upload), read, play, pause, step, reset, edit a weight, read a
/// neuron's formula, list points, stream snapshots (Server-Sent Events), delete. Every input is validated: a 400
/// names the field.
/// </summary>
public static class SessionEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // a field the API does not know is an error naming it, not silently a default session
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The request to create or reset a session: a configuration and, for <c>dataset: upload</c>, the CSV text.</summary>
    public sealed record CreateRequest(PlaygroundConfig? Config, string? Csv);

    /// <summary>The request to set one weight (<c>from = −1</c> for the bias).</summary>
    public sealed record WeightRequest(int Layer, int From, int To, double Value);

    /// <summary>The request to set how fast a playing session trains: epochs per second, 0 for as fast as it can.</summary>
    public sealed record SpeedRequest(int EpochsPerSecond);

    /// <summary>Maps the endpoints under <c>/api</c>.</summary>
    public static IEndpointRouteBuilder MapSessions(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder api = app.MapGroup("/api");
        api.MapGet("/limits", (SessionStore store) => Results.Ok(new
        {
            maxHiddenLayers = Limits.MaxHiddenLayers, maxWidth = Limits.MaxWidth, maxUploadBytes = Limits.MaxUploadBytes,
            maxUploadRows = Limits.MaxUploadRows, maxSessions = store.Limits.MaxSessions, maxSessionBytes = Limits.MaxSessionBytes, maxTotalBytes = store.Limits.MaxTotalBytes,
        }));
        api.MapPost("/sessions", CreateAsync);
        api.MapGet("/sessions/{id}", (string id, SessionStore store) => With(store, id, s => Results.Ok(Snapshot.Of(s))));
        api.MapGet("/sessions/{id}/points", (string id, SessionStore store) => With(store, id, s => Results.Ok(Snapshot.Points(s))));
        api.MapPost("/sessions/{id}/play", (string id, SessionStore store) => With(store, id, s => Control(s, () => s.SetPlaying(true))));
        api.MapPost("/sessions/{id}/pause", (string id, SessionStore store) => With(store, id, s => Control(s, () => s.SetPlaying(false))));
        api.MapPost("/sessions/{id}/step", (string id, SessionStore store) => With(store, id, s => Control(s, () =>
        {
            s.SetPlaying(false);
            s.TrainEpoch();
        })));
        api.MapPost("/sessions/{id}/reset", ResetAsync);
        api.MapPost("/sessions/{id}/weights", WeightAsync);
        api.MapPost("/sessions/{id}/speed", SpeedAsync);
        api.MapGet("/sessions/{id}/neuron", (string id, string? layer, string? unit, string? sample, SessionStore store) => With(store, id, s =>
        {
            (int layerIndex, IResult? badLayer) = Whole(layer, "layer");
            (int unitIndex, IResult? badUnit) = Whole(unit, "unit");
            (int sampleIndex, IResult? badSample) = Whole(sample ?? "0", "sample");
            return badLayer ?? badUnit ?? badSample ?? Guarded(() => Results.Ok(NeuronFormula.Of(s, layerIndex, unitIndex, sampleIndex)));
        }));
        api.MapGet("/sessions/{id}/stream", StreamAsync);
        api.MapDelete("/sessions/{id}", (string id, SessionStore store) => store.Remove(id) ? Results.NoContent() : NotFound(id));
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, SessionStore store)
    {
        (CreateRequest? body, IResult? error) = await ReadAsync<CreateRequest>(request).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        (PlaygroundConfig config, Dataset? upload, IResult? invalid) = Check(body!);
        if (invalid is not null)
        {
            return invalid;
        }

        return Guarded(() => store.Create(config, upload) is var (session, refusal) && session is not null
            ? Results.Created($"/api/sessions/{session.Id}", Snapshot.Of(session))
            : Results.Json(new { error = refusal, field = (string?)null }, statusCode: 429));
    }

    private static async Task<IResult> ResetAsync(string id, HttpRequest request, SessionStore store)
    {
        Session? session = store.Get(id);
        if (session is null)
        {
            return NotFound(id);
        }

        (CreateRequest? body, IResult? error) = await ReadAsync<CreateRequest>(request, allowEmpty: true).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        PlaygroundConfig config = body?.Config ?? session.Config;
        if (config.Validate() is { } problem)
        {
            return Problem(problem.Field, problem.Message);
        }

        if (config.Dataset == "upload" && body?.Csv is not null)
        {
            return Problem("csv", "reset keeps the uploaded data; create a new session to upload another file.");
        }

        return Guarded(() =>
        {
            session.Reset(config);
            return Results.Ok(Snapshot.Of(session));
        });
    }

    private static async Task<IResult> WeightAsync(string id, HttpRequest request, SessionStore store)
    {
        Session? session = store.Get(id);
        if (session is null)
        {
            return NotFound(id);
        }

        (WeightRequest? body, IResult? error) = await ReadAsync<WeightRequest>(request).ConfigureAwait(false);
        return error ?? Guarded(() =>
        {
            session.SetWeight(body!.Layer, body.From, body.To, body.Value);
            return Results.Ok(Snapshot.Of(session));
        });
    }

    private static async Task<IResult> SpeedAsync(string id, HttpRequest request, SessionStore store)
    {
        Session? session = store.Get(id);
        if (session is null)
        {
            return NotFound(id);
        }

        (SpeedRequest? body, IResult? error) = await ReadAsync<SpeedRequest>(request).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        // the training goes on where it is: a speed is not a new configuration
        return body!.EpochsPerSecond is < 0 or > Session.MaxEpochsPerSecond
            ? Results.BadRequest(new { error = $"epochsPerSecond must be 0 (as fast as it can) or 1 … {Session.MaxEpochsPerSecond}.", field = "epochsPerSecond" })
            : Control(session, () => session.SetSpeed(body.EpochsPerSecond));
    }

    private static async Task StreamAsync(string id, HttpContext context, SessionStore store)
    {
        Session? session = store.Get(id);
        if (session is null)
        {
            context.Response.StatusCode = 404;
            return;
        }

        if (!store.TryOpenStream(id))
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            await context.Response.WriteAsJsonAsync(new { error = $"too many event streams are open (at most {Limits.MaxStreamsPerSession} a session, {store.Limits.MaxStreams} in all); close one", field = (string?)null }).ConfigureAwait(false);
            return;
        }

        try
        {
            await StreamOpenAsync(id, session, context, store).ConfigureAwait(false);
        }
        finally
        {
            store.CloseStream(id);
        }
    }

    private static async Task StreamOpenAsync(string id, Session session, HttpContext context, SessionStore store)
    {
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        long sent = -1;
        int frame = 1000 / Math.Max(store.Limits.FramesPerSecond, 1);
        CancellationToken aborted = context.RequestAborted;
        try
        {
            // the stream watches without touching: a session nobody asks anything of expires, and its stream ends
            while (!aborted.IsCancellationRequested && store.Exists(id))
            {
                if (session.Version != sent)
                {
                    Dictionary<string, object?> snapshot = Snapshot.Of(session);
                    sent = (long)snapshot["version"]!;
                    await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(snapshot, Json) + "\n\n", aborted).ConfigureAwait(false);
                    await context.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
                }

                await Task.Delay(frame, aborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // the page went away
        }
    }

    private static (PlaygroundConfig Config, Dataset? Upload, IResult? Error) Check(CreateRequest body)
    {
        PlaygroundConfig config = body.Config ?? new PlaygroundConfig();
        if (config.Validate() is { } problem)
        {
            return (config, null, Problem(problem.Field, problem.Message));
        }

        if (config.Dataset != "upload")
        {
            return (config, null, null);
        }

        if (string.IsNullOrEmpty(body.Csv))
        {
            return (config, null, Problem("csv", "dataset 'upload' needs the CSV text in 'csv'."));
        }

        if (Encoding.UTF8.GetByteCount(body.Csv) > Limits.MaxUploadBytes)
        {
            return (config, null, Problem("csv", $"the CSV is larger than {Limits.MaxUploadBytes:N0} bytes."));
        }

        try
        {
            return (config, PlaygroundData.ReadUpload(body.Csv), null);
        }
        catch (Exception error) when (error is DataFormatException or ArgumentException)
        {
            return (config, null, Problem("csv", error.Message));
        }
    }

    private static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpRequest request, bool allowEmpty = false)
        where T : class
    {
        if (request.ContentLength > Limits.MaxUploadBytes + 65_536)
        {
            return (null, Problem("csv", $"the request is larger than {Limits.MaxUploadBytes:N0} bytes."));
        }

        using var reader = new StreamReader(request.Body);
        // a pooled buffer: a fresh 2 MB array per request would be garbage the size of an upload, every click
        char[] buffer = System.Buffers.ArrayPool<char>.Shared.Rent(Limits.MaxUploadBytes + 65_537);
        string text;
        try
        {
            int length = await reader.ReadBlockAsync(buffer.AsMemory(0, Limits.MaxUploadBytes + 65_537)).ConfigureAwait(false);
            if (length > Limits.MaxUploadBytes + 65_536)
            {
                return (null, Problem("csv", $"the request is larger than {Limits.MaxUploadBytes:N0} bytes."));
            }

            text = new(buffer, 0, length);
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(buffer);
        }

        if (allowEmpty && text.Trim().Length == 0)
        {
            return (null, null);
        }

        try
        {
            return (JsonSerializer.Deserialize<T>(text, Json) ?? throw new JsonException("The body is empty."), null);
        }
        catch (JsonException error)
        {
            string field = (error.Path ?? "$").TrimStart('$', '.').Split('.').Last();
            return (null, Problem(field.Length == 0 ? "body" : field, $"{(field.Length == 0 ? "the body" : field)} has the wrong type or is not valid JSON: {error.Message.Split(" Path:")[0]}"));
        }
    }

    private static IResult Control(Session session, Action action)
    {
        action();
        return Results.Ok(Snapshot.Of(session));
    }

    private static IResult With(SessionStore store, string id, Func<Session, IResult> action) =>
        store.Get(id) is { } session ? action(session) : NotFound(id);

    private static IResult Guarded(Func<IResult> action)
    {
        try
        {
            return action();
        }
        catch (Exception error) when (error is DataFormatException or ArgumentException)
        {
            return Problem(error is ArgumentOutOfRangeException range ? range.ParamName ?? "value" : "config", error.Message.Split(" (Parameter")[0]);
        }
    }

    internal static IResult NotFound(string id) =>
        Results.Json(new { error = $"There is no session '{id}' (it may have expired).", field = "id" }, statusCode: 404);

    /// <summary>A whole number from the query string, or the 400 that names its field (a bad value is not an empty-bodied 400).</summary>
    private static (int Value, IResult? Problem) Whole(string? text, string field) =>
        text is null ? (0, Problem(field, $"{field} is required, e.g. ?layer=1&unit=0."))
        : int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int value) ? (value, null)
        : (0, Problem(field, $"{field} must be a whole number, not '{(text.Length > 20 ? text[..20] + "…" : text)}'."));

    private static IResult Problem(string field, string message) =>
        Results.Json(new { error = message, field }, statusCode: 400);
}
