using System.Collections.Concurrent;
using System.Security.Cryptography;
using NeuralSharp.Data;

namespace NeuralSharp.Playground.Sessions;

/// <summary>The live sessions, bounded in number; idle ones expire.</summary>
public sealed class SessionStore(Limits limits)
{
    private readonly ConcurrentDictionary<string, Session> _sessions = new();
    private readonly object _createGate = new();

    /// <summary>The limits in force.</summary>
    public Limits Limits { get; } = limits;

    /// <summary>Sessions alive now.</summary>
    public int Count => _sessions.Count;

    /// <summary>All sessions (a snapshot of the set).</summary>
    public IReadOnlyList<Session> All => [.. _sessions.Values];

    /// <summary>Creates a session, or returns null when <see cref="Limits.MaxSessions"/> are alive.</summary>
    public Session? Create(PlaygroundConfig config, Dataset? upload)
    {
        lock (_createGate)
        {
            if (_sessions.Count >= Limits.MaxSessions)
            {
                return null;
            }

            var session = new Session(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), config, upload);
            _sessions[session.Id] = session;
            return session;
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

    /// <summary>Removes a session; false if there was none.</summary>
    public bool Remove(string id) => _sessions.TryRemove(id, out _);

    /// <summary>Removes every session idle longer than the timeout; returns how many.</summary>
    public int Expire(DateTime now)
    {
        int removed = 0;
        foreach (Session session in _sessions.Values)
        {
            if (now - session.LastTouched > Limits.SessionIdleTimeout && _sessions.TryRemove(session.Id, out _))
            {
                removed++;
            }
        }

        return removed;
    }
}
