namespace NeuralSharp.Kernels;

/// <summary>
/// A pass over <c>[0, count)</c> whose items are independent (elements of an activation, planes of a pooling): cut in
/// two halves at a multiple of a grain, run by two threads when the pass is worth a meeting, else at once on this one.
/// Every item is computed the same way either way, so the result does not depend on the thread count.
/// </summary>
internal abstract class Halves : GemmWorker.IWork
{
    /// <summary>Passes with fewer items than this run on one thread (a meeting costs a few µs).</summary>
    public const int ParallelThreshold = 64 * 1024;

    private int _count;
    private int _middle;

    /// <inheritdoc />
    public void Run(int share)
    {
        if (share == 0)
        {
            Run(0, _middle);
        }
        else
        {
            Run(_middle, _count);
        }
    }

    /// <summary>Items <paramref name="start"/> … <paramref name="end"/> − 1.</summary>
    protected abstract void Run(int start, int end);

    /// <summary>
    /// Runs the pass over <paramref name="count"/> items, in halves at a multiple of <paramref name="grain"/> when
    /// <paramref name="work"/> (the items' cost, in elements) reaches <paramref name="threshold"/>.
    /// </summary>
    protected void Execute(int count, int grain, long work, long threshold = ParallelThreshold)
    {
        _count = count;
        _middle = count / 2 / grain * grain;
        if (work < threshold || _middle == 0 || Parallelism.Threads < 2 || !GemmWorker.TryRunInParallel(this))
        {
            Run(0, count);
        }
    }
}
