namespace Weaver.Generators.Model;

/// <summary>One state of a machine.</summary>
/// <param name="Identifier">The member's name as C# source, escaped when it is a keyword (<c>@event</c>).</param>
/// <param name="Name">The member's name as people read it (<c>event</c>).</param>
/// <param name="ParameterName">The name of its <c>Match</c>/<c>Switch</c> parameter, escaped when needed.</param>
/// <param name="IsInitial">Whether it carries <c>[Initial]</c>.</param>
/// <param name="IsTerminal">Whether it carries <c>[Terminal]</c>.</param>
internal sealed record StateSpec(string Identifier, string Name, string ParameterName, bool IsInitial, bool IsTerminal);
