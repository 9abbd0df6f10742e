using System.Numerics;
using System.Runtime.Intrinsics;

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
                    int ox = Stride == 2 && typeof(T) == typeof(float) && Vector256.IsHardwareAccelerated ? EightAtATime((float*)upper, top, o) : 0;
                    o += ox;
                    for (int left = ox * Stride; ox < OutWidth; ox++, o++, left += Stride)
                    {
                        T a = upper[left], b = upper[left + 1], c = lower[left], d = lower[left + 1];
                        // comparisons as 0/1 (setcc), the index by arithmetic: no jump depends on the data
                        int upperBest = left + Bit(b > a), lowerBest = left + Width + Bit(d > c);
                        // the output is the winner's own value (x[argmax], where the gradient goes), as in the vector path
                        int best = upperBest + ((lowerBest - upperBest) * Bit(upper[lowerBest] > upper[upperBest]));
                        _argmax[o] = top + best;
                        _pooled[o] = upper[best];
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

        /// <summary>
        /// Outputs 0 … 8·⌊OW/8⌋ − 1 of a 2×2, stride-2 row of floats, eight at a time (the same choices as the scalar loop):
        /// sixteen inputs of a row read as eight pairs, split into the left and right of each pair by narrowing the pairs'
        /// low and high halves. Returns how many outputs it wrote.
        /// </summary>
        private int EightAtATime(float* upper, int top, int o)
        {
            float* lower = upper + Width;
            int ox = 0;
            Vector256<int> twice = Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14);
            for (; ox + 8 <= OutWidth; ox += 8)
            {
                int left = 2 * ox;
                (Vector256<float> a, Vector256<float> b) = Pairs(upper + left);
                (Vector256<float> c, Vector256<float> d) = Pairs(lower + left);
                // a mask is −1 where true: subtracting it adds 1
                Vector256<float> right = Vector256.GreaterThan(b, a), lowerRight = Vector256.GreaterThan(d, c);
                Vector256<float> upperMax = Vector256.ConditionalSelect(right, b, a), lowerMax = Vector256.ConditionalSelect(lowerRight, d, c);
                Vector256<float> down = Vector256.GreaterThan(lowerMax, upperMax);
                Vector256<int> column = Vector256.Create(top + left) + twice;
                Vector256<int> upperBest = column - right.AsInt32(), lowerBest = column + Vector256.Create(Width) - lowerRight.AsInt32();
                Vector256.ConditionalSelect(down.AsInt32(), lowerBest, upperBest).Store(_argmax + o + ox);
                Vector256.ConditionalSelect(down, lowerMax, upperMax).Store((float*)_pooled + o + ox);
            }

            return ox;
        }

        /// <summary>The left and the right value of eight consecutive pairs of floats.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private static (Vector256<float> Left, Vector256<float> Right) Pairs(float* at)
        {
            Vector256<ulong> first = Vector256.Load((ulong*)at), second = Vector256.Load((ulong*)(at + 8));
            Vector256<uint> left = Vector256.Narrow(first, second), right = Vector256.Narrow(first >>> 32, second >>> 32);
            return (left.AsSingle(), right.AsSingle());
        }

        private static int Bit(bool value) => System.Runtime.CompilerServices.Unsafe.BitCast<bool, byte>(value);
    }
}
