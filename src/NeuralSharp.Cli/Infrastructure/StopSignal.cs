using System.Runtime.InteropServices;

namespace NeuralSharp.Cli.Infrastructure;

/// <summary>
/// Ctrl+C and SIGTERM as a request to stop, for a command that can end its work cleanly (finish the epoch, save what it
/// has): the first signal sets <see cref="Token"/>; a second Ctrl+C ends the process as usual.
/// </summary>
internal sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly PosixSignalRegistration? _terminate;

    /// <summary>Listens for the signals, also stopping when <paramref name="outer"/> is cancelled.</summary>
    public StopSignal(CancellationToken outer)
    {
        _source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        Console.CancelKeyPress += OnCancel;
        try
        {
            _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                _source.Cancel();
            });
        }
        catch (PlatformNotSupportedException)
        {
            // Ctrl+C still works
        }
    }

    /// <summary>Set once a stop was asked for.</summary>
    public CancellationToken Token => _source.Token;

    /// <inheritdoc />
    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancel;
        _terminate?.Dispose();
        _source.Dispose();
    }

    private void OnCancel(object? sender, ConsoleCancelEventArgs e)
    {
        // the first Ctrl+C asks; a second one, with the request already made, ends the process
        e.Cancel = !_source.IsCancellationRequested;
        _source.Cancel();
    }
}
