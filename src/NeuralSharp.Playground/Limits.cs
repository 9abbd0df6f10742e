namespace NeuralSharp.Playground;

/// <summary>
/// Every bound of the playground in one place, so that a public instance cannot be exhausted by one client.
/// The server's options may lower or raise the session count and idle time; the rest are fixed.
/// </summary>
public sealed record Limits
{
    /// <summary>Hidden layers: 0 … this many.</summary>
    public const int MaxHiddenLayers = 8;

    /// <summary>Neurons per hidden layer: 1 … this many.</summary>
    public const int MaxWidth = 16;

    /// <summary>Largest CSV upload, in bytes.</summary>
    public const int MaxUploadBytes = 1_000_000;

    /// <summary>Most rows in an uploaded CSV.</summary>
    public const int MaxUploadRows = 10_000;

    /// <summary>The largest weight an edit may set (in either sign): ample for the page's networks, far from overflow.</summary>
    public const double MaxWeight = 1000;

    /// <summary>Most classes in an uploaded data set (the page colours and draws each; the library's own limit is far higher).</summary>
    public const int MaxClasses = 10;

    /// <summary>Points generated for a built-in data set.</summary>
    public const int GeneratedPoints = 500;

    /// <summary>Largest learning rate accepted.</summary>
    public const double MaxLearningRate = 10;

    /// <summary>Largest regularisation rate accepted.</summary>
    public const double MaxRegularization = 1;

    /// <summary>Points kept in a loss curve (older points are thinned, not dropped).</summary>
    public const int MaxHistory = 500;

    /// <summary>Epochs a session may train before it stops by itself.</summary>
    public const int MaxEpochs = 100_000;

    /// <summary>Most training time one session gets per scheduling slice, in milliseconds.</summary>
    public const int SliceMilliseconds = 40;

    /// <summary>
    /// The most memory one session may hold, by <see cref="Sessions.Session.EstimateBytes"/>: the largest data set and
    /// network the other limits allow fit inside it, which a test checks.
    /// </summary>
    public const long MaxSessionBytes = 64L << 20;

    /// <summary>
    /// The memory all sessions together may hold, by their estimates; a session that would pass it is refused with 429.
    /// </summary>
    public long MaxTotalBytes { get; init; } = 1L << 30;

    /// <summary>Sessions alive at once; one more is refused with 429.</summary>
    public int MaxSessions { get; init; } = 50;

    /// <summary>A session not touched for this long is removed.</summary>
    public TimeSpan SessionIdleTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Event streams open on one session at once (a page needs one; a few tabs more): one more is refused with 429.</summary>
    public const int MaxStreamsPerSession = 4;

    /// <summary>Event streams open on the server at once; one more is refused with 429.</summary>
    public int MaxStreams { get; init; } = 200;

    /// <summary>Frames per second sent on a session's event stream at most.</summary>
    public int FramesPerSecond { get; init; } = 30;
}
