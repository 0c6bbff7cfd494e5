using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FanForge.Silo;

/// <summary>
/// The one way settings are bound and checked. A section binds to its class; data annotations check ranges and
/// required values; an <see cref="IValidateOptions{TOptions}"/> of the class's own holds the rules across fields and
/// the production refusals; all of them run when the host starts, so a bad value stops the process before it serves
/// anything, with a message naming the key (and never a secret's value).
/// </summary>
public static class ValidatedOptions
{
    /// <summary>Binds <paramref name="section"/> to <typeparamref name="T"/>, checked by its annotations on start.</summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section)
        where T : class =>
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();

    /// <summary>As <see cref="AddValidatedOptions{T}(IServiceCollection, string)"/>, plus the rules of <typeparamref name="TRules"/>.</summary>
    public static OptionsBuilder<T> AddValidatedOptions<T, TRules>(this IServiceCollection services, string section)
        where T : class
        where TRules : class, IValidateOptions<T>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, TRules>());
        return services.AddValidatedOptions<T>(section);
    }

    /// <summary>
    /// The same binding and the same checks, now, for the few settings the host is wired from while it is being built
    /// (which providers, which ledger, whether a dashboard), before any start-up validation could run. The host still
    /// registers them with <see cref="AddValidatedOptions{T, TRules}"/>, so both readings agree.
    /// </summary>
    /// <exception cref="OptionsValidationException">Some value is out of range or breaks a rule.</exception>
    public static T ReadValidated<T>(IConfiguration configuration, string section, Action<T>? complete = null, params IValidateOptions<T>[] rules)
        where T : class, new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration.GetSection(section).Get<T>() ?? new T();
        complete?.Invoke(value);
        var failures = rules.Prepend(new DataAnnotationValidateOptions<T>(Options.DefaultName))
            .Select(rule => rule.Validate(Options.DefaultName, value))
            .Where(result => result.Failed)
            .SelectMany(result => result.Failures ?? [])
            .ToList();
        return failures.Count == 0 ? value : throw new OptionsValidationException(Options.DefaultName, typeof(T), failures);
    }
}
