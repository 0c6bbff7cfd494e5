using System.ComponentModel;
using System.Globalization;

namespace FanForge.Grains.Algorand;

/// <summary>
/// Lets configuration binding read an <see cref="AlgorandAddress"/> from its 58-character text, so options can hold
/// addresses rather than strings that every consumer would have to parse and validate again.
/// </summary>
public sealed class AlgorandAddressConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text
            ? AlgorandAddress.TryParse(text.Trim(), out var address, out var error)
                ? address
                : throw new FormatException($"'{text}' is not an Algorand address ({error})")
            : base.ConvertFrom(context, culture, value);

    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType) =>
        destinationType == typeof(string) && value is AlgorandAddress address
            ? address.ToString()
            : base.ConvertTo(context, culture, value, destinationType);
}
