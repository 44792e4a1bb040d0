using Weaver.Generators.Diagnostics;

namespace Weaver.Generators.Model;

/// <summary>
/// What parsing one <c>[TaskHandler]</c> class gives: a spec to emit when the declaration is valid, its task kind
/// for the duplicate-name check (whenever the name itself is valid, even if something else is wrong), and the
/// diagnostics that say what to fix. All plain values; a valid handler's result holds no location.
/// </summary>
internal sealed record HandlerParseResult(HandlerSpec? Spec, HandlerNameInfo? Name, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>The task kind a handler declares, and how to find the handler again in a later compilation.</summary>
/// <param name="Name">The task kind.</param>
/// <param name="MetadataName">The handler's metadata name (<c>Demo.Outer+ReviewHandler</c>), to look it up when reporting.</param>
/// <param name="DisplayName">The handler as messages name it (<c>Demo.Outer.ReviewHandler</c>).</param>
internal sealed record HandlerNameInfo(string Name, string MetadataName, string DisplayName);

/// <summary>One handler whose task kind other handlers of the compilation use too.</summary>
/// <param name="Handler">The handler to report.</param>
/// <param name="Others">The other handlers with that name, as messages name them, in order.</param>
internal sealed record DuplicateHandlerName(HandlerNameInfo Handler, EquatableArray<string> Others);
