using System.Numerics;

namespace NeuralSharp.Kernels;

/// <summary>
/// Max pooling's two passes over <c>[planes, H, W]</c> (a batch's channels one after another): each output takes the
/// largest input of its size×size window, every stride pixels, and remembers where it was; backward sends each
/// output's gradient to that input. Planes are independent, so a large pass runs in two halves of the planes.
/// <code>
/// y[plane, oy, ox] = max over (i, j) of x[plane, oy·S + i, ox·S + j]      forward
/// ∂L/∂x[argmax] += ∂L/∂y                                                  backward
/// </code>
/// </summary>
public static unsafe class MaxPooling
{
    /// <summary>Fills <paramref name="y"/> <c>[planes, OH, OW]</c> and each output's winner (an index into <paramref name="x"/>; the first on a tie).</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, Span<int> argmax, int planes, int height, int width, int size, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Pass<T> pass = Check<T>(planes, height, width, size, stride, x.Length, y.Length, argmax.Length);
        fixed (T* px = x, py = y)
        fixed (int* pa = argmax)
        {
            pass.Execute(px, py, pa, backward: false);
        }
    }

    /// <summary><paramref name="dx"/> (cleared first) <c>[planes, H, W]</c> receives each output's gradient <paramref name="dy"/> at its winner.</summary>
    public static void Backward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<int> argmax, Span<T> dx, int planes, int height, int width, int size, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Pass<T> pass = Check<T>(planes, height, width, size, stride, dx.Length, dy.Length, argmax.Length);
        fixed (T* pdx = dx, pdy = dy)
        fixed (int* pa = argmax)
        {
            pass.Execute(pdx, pdy, pa, backward: true);
        }
    }

    private static Pass<T> Check<T>(int planes, int height, int width, int size, int stride, int inputs, int outputs, int winners)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outHeight = Im2Col.OutputSize(height, size, stride, 0), outWidth = Im2Col.OutputSize(width, size, stride, 0);
        if (inputs < (long)planes * height * width || outputs < (long)planes * outHeight * outWidth || winners < (long)planes * outHeight * outWidth)
        {
            throw new ArgumentException($"Spans too short for {planes} planes of {height}×{width} pooled {size}×{size}.");
        }

        Pass<T> pass = Pass<T>.Instance ??= new Pass<T>();
        (pass.Height, pass.Width, pass.Size, pass.Stride, pass.OutHeight, pass.OutWidth, pass.Planes) = (height, width, size, stride, outHeight, outWidth, planes);
        return pass;
    }

    private sealed class Pass<T> : Halves
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        public static Pass<T>? Instance;

        public int Height, Width, Size, Stride, OutHeight, OutWidth, Planes;
        private T* _image, _pooled;
        private int* _argmax;
        private bool _backward;

        /// <summary>The pass over every plane: <paramref name="image"/> is x (forward) or ∂L/∂x (backward), <paramref name="pooled"/> y or ∂L/∂y.</summary>
        public void Execute(T* image, T* pooled, int* argmax, bool backward)
        {
            _image = image;
            _pooled = pooled;
            _argmax = argmax;
            _backward = backward;
            Execute(Planes, 1, (long)Planes * Height * Width);
        }

        protected override void Run(int start, int end)
        {
            int plane = Height * Width, outputs = OutHeight * OutWidth;
            if (_backward)
            {
                new Span<T>(_image + ((long)start * plane), (end - start) * plane).Clear();
                for (long o = (long)start * outputs; o < (long)end * outputs; o++)
                {
                    _image[_argmax[o]] += _pooled[o];
                }

                return;
            }

            for (int p = start; p < end; p++)
            {
                Forward(p * plane, p * outputs);
            }
        }

        private void Forward(int origin, int o)
        {
            T* input = _image;
            for (int oy = 0; oy < OutHeight; oy++)
            {
                int top = origin + (oy * Stride * Width);
                if (Size == 2)
                {
                    // the common 2×2 window, compared without branches (the winner of random data is a coin toss a
                    // branch predictor loses half the time): each row's larger, then the larger row (the first on a tie)
                    T* upper = input + top, lower = upper + Width;
                    for (int ox = 0, left = 0; ox < OutWidth; ox++, o++, left += Stride)
                    {
                        T a = upper[left], b = upper[left + 1], c = lower[left], d = lower[left + 1];
                        // comparisons as 0/1 (setcc), the index by arithmetic: no jump depends on the data
                        int upperBest = left + Bit(b > a), lowerBest = left + Width + Bit(d > c);
                        T upperMax = T.Max(a, b), lowerMax = T.Max(c, d);
                        _argmax[o] = top + upperBest + ((lowerBest - upperBest) * Bit(lowerMax > upperMax));
                        _pooled[o] = T.Max(upperMax, lowerMax);
                    }

                    continue;
                }

                for (int ox = 0; ox < OutWidth; ox++, o++)
                {
                    int best = top + (ox * Stride);
                    T max = input[best];
                    for (int i = 0; i < Size; i++)
                    {
                        T* row = input + top + (i * Width) + (ox * Stride);
                        for (int j = 0; j < Size; j++)
                        {
                            if (row[j] > max)
                            {
                                (best, max) = (top + (i * Width) + (ox * Stride) + j, row[j]);
                            }
                        }
                    }

                    _argmax[o] = best;
                    _pooled[o] = max;
                }
            }
        }

        private static int Bit(bool value) => System.Runtime.CompilerServices.Unsafe.BitCast<bool, byte>(value);
    }
}
