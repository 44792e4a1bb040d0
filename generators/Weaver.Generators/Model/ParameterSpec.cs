namespace Weaver.Generators.Model;

/// <summary>One payload parameter of a trigger.</summary>
/// <param name="Type">The fully qualified type, with nullable annotations.</param>
/// <param name="Name">The parameter's name as C# source.</param>
/// <param name="DefaultValue">The default value as C# source, or <see langword="null"/>.</param>
/// <param name="IsParams">Whether it is a <c>params</c> parameter.</param>
/// <param name="CallerInfo">
/// Its caller-info attribute (<c>[CallerMemberName]</c> and kin) as C# source, or empty: repeated on <c>CanX</c> and
/// <c>X</c> so that they pass the real caller on to <c>TryX</c> instead of the default value.
/// </param>
internal sealed record ParameterSpec(string Type, string Name, string? DefaultValue, bool IsParams, string CallerInfo);
