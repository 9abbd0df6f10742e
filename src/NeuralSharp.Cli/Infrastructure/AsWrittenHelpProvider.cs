using System.Reflection;
using System.Text.RegularExpressions;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace NeuralSharp.Cli.Infrastructure;

/// <summary>
/// Spectre's help, with each option's placeholder as its <see cref="CommandOptionAttribute"/> writes it
/// (<c>--data &lt;FILE.csv&gt;</c>): Spectre upper-cases them all (<c>&lt;FILE.CSV&gt;</c>) and has no setting to stop it;
/// and the examples last, where a reader who has read the options looks for them.
/// </summary>
/// <remarks>
/// Spectre keeps the option's property on its (internal) parameter type; from it the attribute's template is read and
/// the placeholder put back. Should a later Spectre hide either, the help keeps Spectre's own capitals.
/// </remarks>
internal sealed partial class AsWrittenHelpProvider(ICommandAppSettings settings) : HelpProvider(settings)
{
    /// <inheritdoc />
    public override IEnumerable<IRenderable> Write(ICommandModel model, ICommandInfo? command) =>
    [
        .. GetHeader(model, command), .. GetDescription(model, command), .. GetUsage(model, command), .. GetArguments(model, command),
        .. GetOptions(model, command), .. GetCommands(model, command), .. GetExamples(model, command), .. GetFooter(model, command),
    ];

    /// <inheritdoc />
    public override IEnumerable<IRenderable> GetOptions(ICommandModel model, ICommandInfo? command)
    {
        foreach (ICommandOption option in command?.Parameters.OfType<ICommandOption>() ?? [])
        {
            Restore(option);
        }

        return base.GetOptions(model, command);
    }

    private static void Restore(ICommandOption option)
    {
        // the attribute's constructor argument, as the source has it ("--data <FILE.csv>"): the attribute itself keeps
        // only the capitals
        string? template = (option.GetType().GetProperty("Property")?.GetValue(option) as PropertyInfo)?.GetCustomAttributesData()
            .FirstOrDefault(a => a.AttributeType == typeof(CommandOptionAttribute))?.ConstructorArguments.FirstOrDefault().Value as string;
        Match written = Placeholder().Match(template ?? "");
        FieldInfo? field = option.GetType().GetField("<ValueName>k__BackingField", BindingFlags.Instance | BindingFlags.NonPublic);
        if (written.Success && field is not null && string.Equals(written.Groups[1].Value, option.ValueName, StringComparison.OrdinalIgnoreCase))
        {
            field.SetValue(option, written.Groups[1].Value);
        }
    }

    [GeneratedRegex(@"[<\[]([^>\]]+)[>\]]")]
    private static partial Regex Placeholder();
}
