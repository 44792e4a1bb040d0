using System.Linq;
using Microsoft.CodeAnalysis;
using Weaver.Generators.Model;

namespace Weaver.Generators.Diagnostics;

/// <summary>A diagnostic as plain values: its descriptor, where, and the arguments of its message.</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> MessageArgs)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] messageArgs) =>
        new(descriptor, LocationInfo.From(location), messageArgs.ToEquatableArray());

    public Diagnostic ToDiagnostic(Compilation compilation) =>
        Diagnostic.Create(Descriptor, Location?.ToLocation(compilation), MessageArgs.ToArray<object?>());
}
