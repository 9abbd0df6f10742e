using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralSharp.Kernels;

/// <summary>Transposing stored rows into packed columns, for <see cref="PackedGemm"/>'s packing of A and of Bᵀ.</summary>
internal static unsafe class Transpose
{
    /// <summary>
    /// target[p·targetStride + r] = source[r·sourceStride + p] for <paramref name="rows"/> (a multiple of four)
    /// stored rows of <paramref name="length"/> numbers: four rows and four columns at a time, loaded as four
    /// vectors and transposed with unpack and move instructions (the SSE 4 × 4 transpose).
    /// </summary>
    public static void Floats(float* source, int sourceStride, float* target, int targetStride, int rows, int length)
    {
        for (int r0 = 0; r0 < rows; r0 += 4)
        {
            float* row0 = source + (r0 * (long)sourceStride), row1 = row0 + sourceStride;
            float* row2 = row1 + sourceStride, row3 = row2 + sourceStride;
            float* column = target + r0;
            int p = 0;
            for (; p + 4 <= length; p += 4)
            {
                Vector128<float> a0 = Vector128.Load(row0 + p), a1 = Vector128.Load(row1 + p);
                Vector128<float> a2 = Vector128.Load(row2 + p), a3 = Vector128.Load(row3 + p);
                Vector128<float> t0 = Sse.UnpackLow(a0, a1), t1 = Sse.UnpackLow(a2, a3);
                Vector128<float> t2 = Sse.UnpackHigh(a0, a1), t3 = Sse.UnpackHigh(a2, a3);
                Sse.MoveLowToHigh(t0, t1).Store(column);
                Sse.MoveHighToLow(t1, t0).Store(column + targetStride);
                Sse.MoveLowToHigh(t2, t3).Store(column + (2 * targetStride));
                Sse.MoveHighToLow(t3, t2).Store(column + (3 * targetStride));
                column += 4 * targetStride;
            }

            for (; p < length; p++)
            {
                column[0] = row0[p];
                column[1] = row1[p];
                column[2] = row2[p];
                column[3] = row3[p];
                column += targetStride;
            }
        }
    }
}
