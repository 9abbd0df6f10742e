using System.ComponentModel;
using Spectre.Console;
using NeuralSharp.Cli.Infrastructure;
using Spectre.Console.Cli;

namespace NeuralSharp.Cli.Commands;

/// <summary>Options of <c>neuralsharp train</c>.</summary>
public sealed class TrainSettings : CommandSettings
{
    /// <summary>Data: a built-in name, a generator, a CSV file or an IDX image file.</summary>
    [CommandOption("--data <DATA>")]
    [Description("Built-in name (iris, breast-cancer, digits, diabetes, mnist), generator (course-regression, circle, xor, gauss, spiral, plane, gauss3, spiral4, animals), FILE.csv or IMAGES.idx[[.gz]].")]
    [DefaultValue("digits")]
    public string Data { get; init; } = "digits";

    /// <summary>The CSV target column.</summary>
    [CommandOption("--target <COLUMN>")]
    [Description("The target column of a CSV file (default: 'target', else the last column).")]
    public string? Target { get; init; }

    /// <summary>The CSV separator.</summary>
    [CommandOption("--delimiter <CHAR>")]
    [Description("The separator of a CSV file: one character (';', '|'), tab, or auto (default: comma, tab or semicolon, whichever the header uses).")]
    public string? Delimiter { get; init; }

    /// <summary>What missing feature cells of a CSV become.</summary>
    [CommandOption("--missing <drop|mean|median>")]
    [Description("What a CSV's missing feature cells (empty, NA, ?, …) become: drop (their rows), mean or median (of the column, kept in the model for predict). Without it a missing cell is refused by line and column. Text columns are read as categories, one-hot, by themselves.")]
    public string? Missing { get; init; }

    /// <summary>Each class's weight in the loss.</summary>
    [CommandOption("--class-weights <balanced|W1,W2,...>")]
    [Description("Each class's weight in the cross entropy's mean: balanced (N / (classes × the class's count), so a rare class counts as much as a common one) or one positive number per class in class order (e.g. 1,5).")]
    public string? ClassWeights { get; init; }

    /// <summary>The IDX labels file.</summary>
    [CommandOption("--labels <FILE>")]
    [Description("The labels file that goes with IDX images.")]
    public string? Labels { get; init; }

    /// <summary>Hidden layer widths.</summary>
    [CommandOption("--layers <WIDTHS>")]
    [Description("Hidden layers, input side first: widths like 64,32 ('none' for no hidden layer), or for images conv:16x5x5[[:s1]][[:p0]], pool:2, dense:100, dropout:0.2, bn. Default: 64; 64,64 for the spirals.")]
    public string? Layers { get; init; }

    /// <summary>Hidden activation.</summary>
    [CommandOption("--activation <NAME>")]
    [Description("Hidden activation: relu, sigmoid, tanh, step, leaky-relu, identity, gelu (erf form), gelu-tanh (its tanh approximation), silu.")]
    [DefaultValue("relu")]
    public string Activation { get; init; } = "relu";

    /// <summary>Dropout after every hidden activation.</summary>
    [CommandOption("--dropout <RATIO>")]
    [Description("Inverted dropout of this ratio (0 … <1) after every hidden dense layer's activation, while training only.")]
    public double? Dropout { get; init; }

    /// <summary>Batch normalisation in every hidden layer.</summary>
    [CommandOption("--batch-norm")]
    [Description("Batch normalisation between every hidden layer and its activation (running averages at inference).")]
    public bool BatchNorm { get; init; }

    /// <summary>Output activation.</summary>
    [CommandOption("--output <NAME>")]
    [Description("Output activation: auto (from the task), identity, sigmoid, softmax.")]
    [DefaultValue("auto")]
    public string Output { get; init; } = "auto";

    /// <summary>Loss.</summary>
    [CommandOption("--loss <NAME>")]
    [Description("Loss: auto (from the task), mse, ce, bce.")]
    [DefaultValue("auto")]
    public string Loss { get; init; } = "auto";

    /// <summary>The task, when a CSV's target leaves it open.</summary>
    [CommandOption("--task <auto|classification|regression>")]
    [Description("For a CSV: auto (text labels, or class indices 0…k−1, are classes; other numbers regression), classification or regression.")]
    [DefaultValue("auto")]
    public string Task { get; init; } = "auto";

    /// <summary>Optimizer.</summary>
    [CommandOption("--optimizer <NAME>")]
    [Description("sgd, momentum, nesterov, adagrad, rmsprop, adam (the course's forms); momentum-pytorch, nesterov-pytorch, rmsprop-pytorch, adam-pytorch (torch.optim's: momentum keeps gradients, not steps; ε = 1e-8, Adam's bias correction on m and v); adamw (decoupled weight decay, torch.optim.AdamW).")]
    [DefaultValue("adam")]
    public string Optimizer { get; init; } = "adam";

    /// <summary>Learning rate.</summary>
    [CommandOption("--lr <RATE>")]
    [Description("Learning rate (default: the optimizer's, e.g. 0.001 for adam, 0.01 for sgd; 0.01 for the spirals).")]
    public double? LearningRate { get; init; }

    /// <summary>L2 regularisation.</summary>
    [CommandOption("--l2 <LAMBDA>")]
    [Description("L2 regularisation (weight decay) λ: each weight matrix's gradient gets λ·W added, the gradient of ½λ‖W‖². Biases are not regularised.")]
    public double? L2 { get; init; }

    /// <summary>Checkpoint every N epochs.</summary>
    [CommandOption("--checkpoint-every <N>")]
    [Description("Every N epochs (and when stopped by Ctrl+C), write the run as it stands — model, epoch, optimizer state — to M.nsckpt beside --save M.nsmodel (else neuralsharp.nsckpt); train --resume goes on from it.")]
    public int? CheckpointEvery { get; init; }

    /// <summary>The checkpoint to resume.</summary>
    [CommandOption("--resume <FILE.nsckpt>")]
    [Description("Go on with the run a checkpoint holds: its data, network and options, from the epoch after it, with its optimizer's memory — ending as the uninterrupted run would, bit for bit. --epochs may extend it.")]
    public string? Resume { get; init; }

    /// <summary>A learning-rate schedule.</summary>
    [CommandOption("--schedule <SCHEDULE>")]
    [Description("Change the learning rate as training goes: step:K:γ (×γ every K epochs), exponential:γ, cosine[[:η_min]] (over the run), warmup:N[[:s]] (up from s·η over N steps), cosine-warmup:N[[:η_min]], onecycle:η_max (per step, as PyTorch's OneCycleLR), plateau[[:P[[:γ]]]] (×γ after P epochs without a better loss).")]
    public string? Schedule { get; init; }

    /// <summary>Where every epoch's numbers go.</summary>
    [CommandOption("--history <FILE>")]
    [Description("Write every epoch's training and validation loss and metric to FILE.csv or FILE.json.")]
    public string? History { get; init; }

    /// <summary>PyTorch's weight decay.</summary>
    [CommandOption("--weight-decay <LAMBDA>")]
    [Description("Weight decay as PyTorch's weight_decay means it: λ·W added to the gradient of every parameter, biases included (--l2 leaves biases alone); with --optimizer adamw, decoupled: every parameter shrinks by η·λ·W each step (default 0.01).")]
    public double? WeightDecay { get; init; }

    /// <summary>L1 regularisation.</summary>
    [CommandOption("--l1 <LAMBDA>")]
    [Description("L1 regularisation λ: each weight matrix's gradient gets λ·sign(W) added, which drives small weights to 0.")]
    public double? L1 { get; init; }

    /// <summary>Early stopping patience.</summary>
    [CommandOption("--early-stopping <N>")]
    [Description("Stop when the held-out loss has not improved for N epochs, and keep the weights of the best epoch.")]
    public int? EarlyStopping { get; init; }

    /// <summary>Epochs.</summary>
    [CommandOption("--epochs <N>")]
    [Description("Passes over the training data (1 … 100000; default: enough for about 600 updates, at least 30 — iris trains for 200).")]
    public int? Epochs { get; init; }

    /// <summary>Batch size, full or online.</summary>
    [CommandOption("--batch <N|full|online>")]
    [Description("Mini-batch size, 'full' (batch gradient descent) or 'online' (one sample at a time, as it arrives).")]
    [DefaultValue("32")]
    public string Batch { get; init; } = "32";

    /// <summary>Weight initialisation.</summary>
    [CommandOption("--init <NAME>")]
    [Description("he, xavier, normal, normal:SIGMA, uniform, zeros, ones, randint:N (default: he for ReLU, else xavier).")]
    public string? Init { get; init; }

    /// <summary>Seed.</summary>
    [CommandOption("--seed <N>")]
    [Description("The seed of the split, the shuffles and the initial weights; the same seed repeats the run bit for bit.")]
    [DefaultValue(42UL)]
    public ulong Seed { get; init; } = 42;

    /// <summary>Test fraction.</summary>
    [CommandOption("--test-split <FRACTION>")]
    [Description("The fraction of the data held out for testing, between 0 and 1.")]
    [DefaultValue(0.2)]
    public double TestSplit { get; init; } = 0.2;

    /// <summary>Validation fraction.</summary>
    [CommandOption("--val-split <FRACTION>")]
    [Description("The fraction of the training part held out for validation — what the epochs' validation loss, --early-stopping and tune's metric see (0: none); the test split is measured only when training has ended.")]
    [DefaultValue(0.2)]
    public double ValidationSplit { get; init; } = 0.2;

    /// <summary>Rows per sample of a series.</summary>
    [CommandOption("--window <N>")]
    [Description("Cut a series (a CSV's rows in time order) into samples of N consecutive rows — every feature column and the target's past values — for recurrent layers (--layers lstm:32) or dense ones; the split keeps time order (the test rows last).")]
    public int? Window { get; init; }

    /// <summary>Rows ahead of a window.</summary>
    [CommandOption("--horizon <H>")]
    [Description("With --window: the target lies H rows after the window's last row (default 1, the next row).")]
    public int? Horizon { get; init; }

    /// <summary>Gradient clipping.</summary>
    [CommandOption("--clip-norm <MAX>")]
    [Description("Clip the gradients' global norm at MAX before every update (any optimizer), against exploding gradients in recurrent networks.")]
    public double? ClipNorm { get; init; }

    /// <summary>The seed of the split alone.</summary>
    [CommandOption("--split-seed <N>")]
    [Description("The seed of the split into training, validation and test rows (default: --seed); tune's trials share one split and differ in --seed.")]
    public ulong? SplitSeed { get; init; }

    /// <summary>A configuration file (read by the command line before the options are parsed).</summary>
    [CommandOption("--config <FILE.json>")]
    [Description("Options from a JSON object, e.g. {\"data\": \"iris\", \"layers\": \"64,32\", \"epochs\": 50}; options typed as well win. --save writes MODEL.config.json beside the model, which repeats the run.")]
    public string? Config { get; init; }

    /// <summary>A model to train on from.</summary>
    [CommandOption("--model <FILE>")]
    [Description("Go on training a saved or imported model (its layers, weights and standardizer) instead of building a new network.")]
    public string? Model { get; init; }

    /// <summary>Model path.</summary>
    [CommandOption("--save <FILE>")]
    [Description("Save the trained model (architecture, weights, standardizer, class names).")]
    public string? Save { get; init; }

    /// <summary>Plot path.</summary>
    [CommandOption("--plot <FILE.png>")]
    [Description("Where to write the loss curve (.png, or .svg for a vector drawing); default neuralsharp-loss.png, and none with --json unless asked.")]
    public string? Plot { get; init; }

    /// <summary>Threads for the matrix products and updates.</summary>
    [CommandOption("--threads <N>")]
    [Description("Threads for matrix products and updates: 1, or 2 (this thread and one helper; more is taken as 2). Default: 2 where the machine has two cores.")]
    public int? Threads { get; init; }

    /// <summary>JSON output.</summary>
    [CommandOption("--json")]
    [Description("Print one JSON object with the results instead of tables.")]
    public bool Json { get; init; }

    /// <summary>The run these options describe (the library's configuration; --model, --save, --plot, --threads and --json are the command's own).</summary>
    public NeuralSharp.Training.RunConfig ToRunConfig() => new()
    {
        Data = Data, Target = Target, Labels = Labels, Delimiter = Delimiter, Task = Task, Missing = Missing, ClassWeights = ClassWeights,
        Layers = Layers, Activation = Activation, Dropout = Dropout, BatchNorm = BatchNorm, Output = Output, Loss = Loss,
        Optimizer = Optimizer, LearningRate = LearningRate, L2 = L2, L1 = L1, WeightDecay = WeightDecay, Schedule = Schedule, EarlyStopping = EarlyStopping,
        Epochs = Epochs, Batch = Batch, Init = Init, Seed = Seed, SplitSeed = SplitSeed, TestSplit = TestSplit, ValidationSplit = ValidationSplit,
        Window = Window, Horizon = Horizon, ClipNorm = ClipNorm,
    };

    /// <inheritdoc />
    public override ValidationResult Validate()
    {
        if (Threads is < 1 or > 64)
        {
            return ValidationResult.Error($"--threads must be 1 … 64, not {Threads}.");
        }

        if (CheckpointEvery is < 1 or > 100_000)
        {
            return ValidationResult.Error($"--checkpoint-every must be a number of epochs, 1 … 100000, not {CheckpointEvery}.");
        }

        if (Resume is not null && (Model is not null || Data != "digits" || Layers is not null))
        {
            return ValidationResult.Error("--resume goes on with the run its checkpoint holds (its data, layers and options): leave out --model, --data and --layers.");
        }

        if (Model is not null && (Layers is not null || Activation != "relu" || Output != "auto" || Init is not null || Dropout is not null || BatchNorm))
        {
            return ValidationResult.Error("--layers, --activation, --output, --init, --dropout and --batch-norm come from the model with --model: leave them out.");
        }

        // every named choice is checked here, before any data is loaded or any table printed
        try
        {
            ToRunConfig().Validate();
        }
        catch (OptionException error)
        {
            return ValidationResult.Error($"--{error.Option}: {error.Detail}");
        }

        return ValidationResult.Success();
    }
}
