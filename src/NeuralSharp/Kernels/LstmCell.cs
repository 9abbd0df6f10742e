using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NeuralSharp.Activations;

namespace NeuralSharp.Kernels;

/// <summary>
/// The elementwise part of an LSTM step for one sequence, a vector at a time with a scalar tail, in one pass over the
/// H units (the formulas are <see cref="Layers.Lstm{T}"/>'s; the gates are the blocks i, f, g, o of one row).
/// </summary>
internal static class LstmCell
{
    /// <summary>The gates in place of their inputs, then <c>c = f⊙c₋₁ + i⊙g</c>, <c>tanh c</c> and <c>h = o⊙tanh c</c>.</summary>
    public static void Forward<T>(Span<T> gates, ReadOnlySpan<T> before, Span<T> c, Span<T> tanhC, Span<T> h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SigmoidOperator<T> sigmoid = default;
        TanhOperator<T> tanh = default;
        int units = h.Length, j = 0, count = Vector<T>.Count;
        ref T ri = ref MemoryMarshal.GetReference(gates);
        ref T rf = ref Unsafe.Add(ref ri, units);
        ref T rg = ref Unsafe.Add(ref ri, 2 * units);
        ref T ro = ref Unsafe.Add(ref ri, 3 * units);
        ref T rb = ref MemoryMarshal.GetReference(before);
        ref T rc = ref MemoryMarshal.GetReference(c);
        ref T rt = ref MemoryMarshal.GetReference(tanhC);
        ref T rh = ref MemoryMarshal.GetReference(h);
        for (; Vector.IsHardwareAccelerated && j + count <= units; j += count)
        {
            nuint at = (nuint)j;
            Vector<T> i = sigmoid.Value(Vector.LoadUnsafe(ref ri, at)), f = sigmoid.Value(Vector.LoadUnsafe(ref rf, at));
            Vector<T> g = tanh.Value(Vector.LoadUnsafe(ref rg, at)), o = sigmoid.Value(Vector.LoadUnsafe(ref ro, at));
            Vector<T> cell = (f * Vector.LoadUnsafe(ref rb, at)) + (i * g), t = tanh.Value(cell);
            i.StoreUnsafe(ref ri, at);
            f.StoreUnsafe(ref rf, at);
            g.StoreUnsafe(ref rg, at);
            o.StoreUnsafe(ref ro, at);
            cell.StoreUnsafe(ref rc, at);
            t.StoreUnsafe(ref rt, at);
            (o * t).StoreUnsafe(ref rh, at);
        }

        for (; j < units; j++)
        {
            T i = sigmoid.Value(gates[j]), f = sigmoid.Value(gates[units + j]), g = tanh.Value(gates[(2 * units) + j]), o = sigmoid.Value(gates[(3 * units) + j]);
            (gates[j], gates[units + j], gates[(2 * units) + j], gates[(3 * units) + j]) = (i, f, g, o);
            c[j] = (f * before[j]) + (i * g);
            tanhC[j] = tanh.Value(c[j]);
            h[j] = o * tanhC[j];
        }
    }

    /// <summary>
    /// From ∂L/∂h and the ∂L/∂c carried back (<paramref name="dc"/>, replaced by ∂L/∂c₋₁), the gradients of the
    /// gates' inputs, <paramref name="d"/> (blocks i, f, g, o).
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> gates, ReadOnlySpan<T> before, ReadOnlySpan<T> tanhC, ReadOnlySpan<T> dh, Span<T> dc, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int units = dh.Length, j = 0, count = Vector<T>.Count;
        ref T ri = ref MemoryMarshal.GetReference(gates);
        ref T di = ref MemoryMarshal.GetReference(d);
        ref T rb = ref MemoryMarshal.GetReference(before);
        ref T rt = ref MemoryMarshal.GetReference(tanhC);
        ref T rdh = ref MemoryMarshal.GetReference(dh);
        ref T rdc = ref MemoryMarshal.GetReference(dc);
        Vector<T> one = Vector<T>.One;
        for (; Vector.IsHardwareAccelerated && j + count <= units; j += count)
        {
            nuint at = (nuint)j;
            Vector<T> i = Vector.LoadUnsafe(ref ri, at), f = Vector.LoadUnsafe(ref ri, at + (nuint)units);
            Vector<T> g = Vector.LoadUnsafe(ref ri, at + (nuint)(2 * units)), o = Vector.LoadUnsafe(ref ri, at + (nuint)(3 * units));
            Vector<T> t = Vector.LoadUnsafe(ref rt, at), gradient = Vector.LoadUnsafe(ref rdh, at);
            Vector<T> cell = Vector.LoadUnsafe(ref rdc, at) + (gradient * o * (one - (t * t)));
            (cell * g * i * (one - i)).StoreUnsafe(ref di, at);
            (cell * Vector.LoadUnsafe(ref rb, at) * f * (one - f)).StoreUnsafe(ref di, at + (nuint)units);
            (cell * i * (one - (g * g))).StoreUnsafe(ref di, at + (nuint)(2 * units));
            (gradient * t * o * (one - o)).StoreUnsafe(ref di, at + (nuint)(3 * units));
            (cell * f).StoreUnsafe(ref rdc, at);
        }

        for (; j < units; j++)
        {
            T i = gates[j], f = gates[units + j], g = gates[(2 * units) + j], o = gates[(3 * units) + j], t = tanhC[j];
            T cell = dc[j] + (dh[j] * o * (T.One - (t * t)));
            d[j] = cell * g * i * (T.One - i);
            d[units + j] = cell * before[j] * f * (T.One - f);
            d[(2 * units) + j] = cell * i * (T.One - (g * g));
            d[(3 * units) + j] = dh[j] * t * o * (T.One - o);
            dc[j] = cell * f;
        }
    }
}
