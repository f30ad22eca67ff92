using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Webhooks.Infrastructure.Persistence.Configurations;

/// <summary>The tables' columns are snake_case (they are written by SQL migrations); properties keep C# names.</summary>
internal static class Columns
{
    public static void SnakeCase<T>(EntityTypeBuilder<T> builder)
        where T : class
    {
        foreach (var property in builder.Metadata.GetProperties())
        {
            property.SetColumnName(ToSnake(property.Name));
        }
    }

    /// <summary>Enum values as the lower-case text the SQL writes ('pending', 'replayed', …), with the few spelled otherwise.</summary>
    public static PropertyBuilder<TEnum> AsText<TEnum>(this PropertyBuilder<TEnum> property, params (TEnum Value, string Text)[] spelledOtherwise)
        where TEnum : struct, Enum
    {
        var names = Enum.GetValues<TEnum>().ToDictionary(value => value, value => value.ToString().ToLowerInvariant());
        foreach (var (value, text) in spelledOtherwise)
        {
            names[value] = text;
        }

        var byText = names.ToDictionary(pair => pair.Value, pair => pair.Key);
        return property.HasConversion(value => names[value], text => byText[text]);
    }

    private static string ToSnake(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }
}
