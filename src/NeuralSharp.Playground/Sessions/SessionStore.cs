using System.Collections.Concurrent;
using System.Security.Cryptography;
using NeuralSharp.Data;

namespace NeuralSharp.Playground.Sessions;

/// <summary>
/// The live sessions, bounded in number and in memory (by each one's <see cref="Session.EstimatedBytes"/>); idle ones
/// expire, and the memory of removed ones is given back to the system.
/// </summary>
public sealed class SessionStore(Limits limits)
{
    private readonly ConcurrentDictionary<string, Session> _sessions = new();
    private readonly object _createGate = new();
    private readonly Dictionary<string, int> _streams = [];
    private int _openStreams;
    private long _reserved;
    private long _lastRelease;
    private int _releasePending;

    /// <summary>The limits in force.</summary>
    public Limits Limits { get; } = limits;

    /// <summary>Event streams open now, on every session.</summary>
    public int OpenStreams => Volatile.Read(ref _openStreams);

    /// <summary>Counts a stream opening on session <paramref name="id"/>; false when the session or the server has as many as allowed.</summary>
    public bool TryOpenStream(string id)
    {
        lock (_streams)
        {
            int mine = _streams.GetValueOrDefault(id);
            if (mine >= Limits.MaxStreamsPerSession || _openStreams >= Limits.MaxStreams)
            {
                return false;
            }

            _streams[id] = mine + 1;
            _openStreams++;
            return true;
        }
    }

    /// <summary>Counts a stream closed (every <see cref="TryOpenStream"/> that said true is followed by one).</summary>
    public void CloseStream(string id)
    {
        lock (_streams)
        {
            int mine = _streams.GetValueOrDefault(id) - 1;
            if (mine <= 0)
            {
                _streams.Remove(id);
            }
            else
            {
                _streams[id] = mine;
            }

            _openStreams--;
        }
    }

    /// <summary>Sessions alive now.</summary>
    public int Count => _sessions.Count;

    /// <summary>All sessions (a snapshot of the set).</summary>
    public IReadOnlyList<Session> All => [.. _sessions.Values];

    /// <summary>The memory the live sessions may hold together, by their estimates.</summary>
    public long ReservedBytes => Interlocked.Read(ref _reserved);

    /// <summary>
    /// Creates a session, or returns null and why not: <see cref="Limits.MaxSessions"/> are alive, or the session's
    /// memory would pass <see cref="Limits.MaxTotalBytes"/>. Nothing is reserved for a session that is not created.
    /// </summary>
    public (Session? Session, string? Refusal) Create(PlaygroundConfig config, Dataset? upload)
    {
        long bytes = Session.EstimateBytes(upload);
        lock (_createGate)
        {
            if (_sessions.Count >= Limits.MaxSessions)
            {
                return (null, $"The playground is full ({Limits.MaxSessions} sessions); try again later.");
            }

            if (ReservedBytes + bytes > Limits.MaxTotalBytes)
            {
                return (null, $"The playground's memory is taken ({ReservedBytes >> 20:N0} of {Limits.MaxTotalBytes >> 20:N0} MB; this session needs up to {bytes >> 20:N0} MB); try again later or upload fewer rows.");
            }

            Interlocked.Add(ref _reserved, bytes);
            try
            {
                var session = new Session(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), config, upload);
                _sessions[session.Id] = session;
                return (session, null);
            }
            catch
            {
                Interlocked.Add(ref _reserved, -bytes);
                throw;
            }
        }
    }

    /// <summary>The session with that id (touched), or null.</summary>
    public Session? Get(string id)
    {
        if (_sessions.TryGetValue(id, out Session? session))
        {
            session.Touch();
            return session;
        }

        return null;
    }

    /// <summary>True while the session exists, without touching it (an open event stream alone does not keep a session alive).</summary>
    public bool Exists(string id) => _sessions.ContainsKey(id);

    /// <summary>Removes a session and gives its memory back; false if there was none.</summary>
    public bool Remove(string id)
    {
        if (!Forget(id))
        {
            return false;
        }

        Release();
        return true;
    }

    /// <summary>Removes every session idle longer than the timeout; returns how many.</summary>
    public int Expire(DateTime now)
    {
        int removed = 0;
        foreach (Session session in _sessions.Values)
        {
            if (now - session.LastTouched > Limits.SessionIdleTimeout && Forget(session.Id))
            {
                removed++;
            }
        }

        if (removed > 0 || Volatile.Read(ref _releasePending) == 1)
        {
            Release();
        }

        return removed;
    }

    private bool Forget(string id)
    {
        if (!_sessions.TryRemove(id, out Session? session))
        {
            return false;
        }

        Interlocked.Add(ref _reserved, -session.EstimatedBytes);
        return true;
    }

    /// <summary>
    /// Gives the memory of removed sessions back to the system, at most once a second (a release asked for sooner is
    /// left pending and done by the next <see cref="Expire"/>, which the trainer calls all the time): the runtime would
    /// otherwise keep the freed heap for later and the process stay at its peak after every learner has left.
    /// </summary>
    private void Release()
    {
        Volatile.Write(ref _releasePending, 1);
        long now = Environment.TickCount64, last = Interlocked.Read(ref _lastRelease);
        if (now - last >= 1000 && Interlocked.CompareExchange(ref _lastRelease, now, last) == last)
        {
            Volatile.Write(ref _releasePending, 0);
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }
}
