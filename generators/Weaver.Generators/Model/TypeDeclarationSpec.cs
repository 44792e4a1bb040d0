namespace Weaver.Generators.Model;

/// <summary>One type declaration to reopen as <c>partial</c>.</summary>
/// <param name="Keyword">The declaration keyword: <c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c> or <c>interface</c>.</param>
/// <param name="Name">The type's name with its type parameter list, e.g. <c>Outer&lt;T&gt;</c>.</param>
/// <param name="IsValueType">Whether the type is a struct.</param>
internal sealed record TypeDeclarationSpec(string Keyword, string Name, bool IsValueType);
