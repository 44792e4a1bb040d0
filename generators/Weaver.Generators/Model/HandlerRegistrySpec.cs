namespace Weaver.Generators.Model;

/// <summary>What the assembly's <c>WeaverHandlers</c> class holds.</summary>
/// <param name="Namespace">Its namespace: the project's root namespace, or <c>Weaver.Generated</c> (see <see cref="Parsing.RootNamespace"/>).</param>
/// <param name="Handlers">The valid handlers, sorted by task kind (ordinal), then by type.</param>
/// <param name="AddsServices">
/// Whether it also gets <c>AddWeaverHandlers(this IServiceCollection)</c>: only when the compilation sees
/// <c>IServiceCollection</c> and Weaver's hosting, so projects without dependency injection still compile.
/// </param>
internal sealed record HandlerRegistrySpec(string Namespace, EquatableArray<HandlerRegistryEntry> Handlers, bool AddsServices)
{
    /// <summary>The generated file's name.</summary>
    public const string HintName = "WeaverHandlers.g.cs";
}

/// <summary>One handler that <c>RegisterAll</c> adds.</summary>
/// <param name="Name">The task kind.</param>
/// <param name="FullName">The handler type, fully qualified.</param>
/// <param name="Reference">What naming the handler type in <c>WeaverHandlers</c> causes, when it is <c>[Obsolete]</c>.</param>
/// <param name="NeedsServices">Its constructor takes services: <c>AddWeaverHandlers</c> adds it, <c>RegisterAll</c> cannot.</param>
internal sealed record HandlerRegistryEntry(string Name, string FullName, ObsoleteUse Reference, bool NeedsServices);
