namespace NeuralSharp.Layers;

/// <summary>What a recurrent layer passes on: the last step's state, or the state of every step.</summary>
public enum RecurrentOutput
{
    /// <summary><c>h_T</c>, <c>[batch, H]</c>: a summary of the whole sequence, for a head that predicts one thing from it.</summary>
    LastStep,

    /// <summary><c>h_1 … h_T</c>, <c>[batch, T·H]</c> (<c>[batch, T, H]</c>): for another recurrent layer, or an output at every step.</summary>
    EveryStep,
}
