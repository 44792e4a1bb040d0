using System.Collections;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace Weaver.Benchmarks.Tests;

/// <summary>
/// The benchmarks the suite declares, read from its assembly by reflection: per benchmark class, how many cases a run
/// must report (benchmark methods × the values of each parameter).
/// </summary>
internal static class BenchmarkCases
{
    /// <summary>Every benchmark class and its number of cases, by full name.</summary>
    public static IReadOnlyDictionary<string, int> Expected() => typeof(Program).Assembly.GetTypes()
        .Where(type => type is { IsClass: true, IsAbstract: false, IsPublic: true } && Methods(type).Any())
        .ToDictionary(type => type.FullName!, type => Methods(type).Count() * ParameterValueCounts(type).Aggregate(1, (product, count) => product * count), StringComparer.Ordinal);

    private static IEnumerable<MethodInfo> Methods(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(method => method.GetCustomAttribute<BenchmarkAttribute>() is not null);

    /// <summary>How many values each parameter of <paramref name="type"/> takes in this process (a smoke run's values count the same).</summary>
    private static IEnumerable<int> ParameterValueCounts(Type type)
    {
        foreach (var member in type.GetMembers(BindingFlags.Public | BindingFlags.Instance))
        {
            if (member.GetCustomAttribute<ParamsAttribute>() is { } values)
            {
                yield return values.Values.Length;
            }
            else if (member.GetCustomAttribute<ParamsSourceAttribute>() is { } source)
            {
                var provider = type.GetMember(source.Name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.FlattenHierarchy).Single();
                var produced = provider switch
                {
                    PropertyInfo property => property.GetValue(null),
                    MethodInfo method => method.Invoke(null, null),
                    FieldInfo field => field.GetValue(null),
                    _ => null,
                };
                yield return produced is IEnumerable sequence
                    ? sequence.Cast<object>().Count()
                    : throw new NotSupportedException($"{type.Name}.{member.Name}: ParamsSource '{source.Name}' is not a static sequence this test can count.");
            }
            else if (member.GetCustomAttribute<ParamsAllValuesAttribute>() is not null || member.GetCustomAttribute<ArgumentsSourceAttribute>() is not null)
            {
                throw new NotSupportedException($"{type.Name}.{member.Name}: this test cannot count the cases of ParamsAllValues or ArgumentsSource; teach it to.");
            }
        }

        if (type.GetMethods().Any(method => method.GetCustomAttributes<ArgumentsAttribute>().Any()))
        {
            throw new NotSupportedException($"{type.Name}: this test cannot count the cases of [Arguments]; teach it to.");
        }
    }
}
